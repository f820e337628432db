import { defineRule } from '../../engine/rule';
import { argument, callArgs, isConstant } from '../../engine/syntax';

/**
 * Qualified callee -> the argument that carries the serialized bytes in memory (position,
 * keyword), or null when the data comes from a file. Every one of these ends in an
 * unpickler, which imports and calls whatever the stream names.
 */
const PICKLE_LOADERS = new Map<string, [number, string] | null>([
  ['pickle.load', null],
  ['pickle.loads', [0, 'data']],
  ['pickle.Unpickler', null],
  ['cPickle.load', null],
  ['cPickle.loads', [0, 'data']],
  ['cPickle.Unpickler', null],
  ['_pickle.load', null],
  ['_pickle.loads', [0, 'data']],
  ['_pickle.Unpickler', null],
  ['dill.load', null],
  ['dill.loads', [0, 'str']],
  ['dill.Unpickler', null],
  ['shelve.open', null],
  ['jsonpickle.decode', [0, 'string']],
  ['jsonpickle.unpickler.decode', [0, 'string']],
  ['pandas.read_pickle', null],
  ['joblib.load', null],
]);

export default defineRule({
  id: 'SEC301',
  name: 'pickle-deserialization',
  local: true,
  summary: 'Data deserialized with `pickle` (or `dill`, `shelve`, `jsonpickle`, `pandas.read_pickle`), which can run arbitrary code',
  owasp: { '2025': 'A08', '2021': 'A08' },
  cwe: [502],
  severity: 'warning',
  confidence: 'high',
  aliases: ['B301', 'S301'],
  tags: ['deserialization'],
  nodeTypes: ['call'],
  check(call, ctx) {
    const name = ctx.callName(call);
    if (!name) return;
    const data = PICKLE_LOADERS.get(name);
    if (data === undefined) return;
    // `pickle.loads(b"...")` in the source: the bytes are the program's own, not an attacker's.
    if (data && isConstant(argument(callArgs(call), data[0], data[1]))) return;
    const what = name === 'shelve.open' ? 'opens a shelf, whose values are unpickled when read' : 'deserializes data with pickle, which can run arbitrary code';
    ctx.report(call.childForFieldName('function') ?? call, { message: `\`${name}()\` ${what}` });
  },
  docs: {
    what: `Finds calls that unpickle data: \`pickle.load\`, \`pickle.loads\` and \`pickle.Unpickler\` (also through \`cPickle\` and \`_pickle\`), \`dill.load\`/\`loads\`/\`Unpickler\`, \`shelve.open\`, \`jsonpickle.decode\`, \`pandas.read_pickle\` and \`joblib.load\`, however they are imported. A \`loads()\` of a bytes literal written in the source is not reported.`,
    why: `A pickle is a small program for a stack machine: its \`GLOBAL\` and \`REDUCE\` opcodes import any callable and call it with any arguments. Whoever controls the bytes (an uploaded file, a cookie, a cache entry, a message on a queue, a model downloaded from the internet) can make \`pickle.loads\` run \`os.system("...")\` in your process. The Python documentation warns: never unpickle data that could have come from an untrusted source or that could have been tampered with. Signing the data with an HMAC before storing it and checking the signature before loading is the only way to make a pickle trustworthy.`,
    example: `import pickle

def load_session(cookie: bytes):
    return pickle.loads(base64.b64decode(cookie))`,
    useInstead: `import json

def load_session(cookie: bytes):
    return json.loads(base64.b64decode(cookie))

# Models and arrays: safetensors, numpy.load(..., allow_pickle=False),
# or an HMAC-verified pickle when the format cannot change.`,
    references: [
      { title: 'Python docs: pickle — Python object serialization (security warning)', url: 'https://docs.python.org/3/library/pickle.html' },
      { title: 'OWASP Deserialization Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Deserialization_Cheat_Sheet.html' },
      { title: 'Bandit: blacklist calls (B301)', url: 'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_calls.html' },
    ],
  },
});
