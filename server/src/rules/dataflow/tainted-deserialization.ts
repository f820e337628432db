import { defineRule } from '../../engine/rule';
import { SinkKind } from '../../engine/taint';
import { callArgs, dottedName } from '../../engine/syntax';
import { FLOW_NOTE, reportFlows } from './report';

const CALLS = new Set(['pickle.loads', 'pickle.load', 'pickle.Unpickler', 'cPickle.loads', 'cPickle.load', '_pickle.loads', 'dill.loads', 'dill.load', 'marshal.loads', 'marshal.load', 'jsonpickle.decode', 'yaml.unsafe_load', 'yaml.full_load', 'shelve.open', 'torch.load', 'joblib.load', 'pandas.read_pickle', 'numpy.load']);

export default defineRule({
  id: 'SEC904',
  name: 'tainted-deserialization',
  summary: 'Request data or other untrusted input is deserialised by a format that can run code',
  owasp: { '2025': 'A08', '2021': 'A08' },
  cwe: [502],
  severity: 'error',
  confidence: 'high',
  tags: ['dataflow', 'pickle', 'yaml'],
  nodeTypes: ['call'],
  check(call, ctx) {
    const name = ctx.callName(call);
    if (!name) return;
    const args = callArgs(call);
    const data = args.positional[0] ?? args.keywords.get('data') ?? args.keywords.get('stream') ?? args.keywords.get('file') ?? null;
    if (name === 'yaml.load') {
      // Safe loaders cannot construct objects.
      const loader = dottedName(args.keywords.get('Loader') ?? args.positional[1] ?? null) ?? '';
      if (/Safe|Base/.test(loader)) return;
    } else if (!CALLS.has(name)) return;
    reportFlows(ctx, data ?? call, data, SinkKind.deserialization, `\`${name}()\`, which can run code while it loads`);
  },
  docs: {
    what: 'Reports untrusted data (request bodies, uploaded files, cookies, route parameters) that reaches a deserialiser able to construct arbitrary objects: `pickle`, `dill`, `marshal`, `jsonpickle`, `shelve`, `torch.load`, `joblib.load`, `yaml.load` without a safe loader and `yaml.unsafe_load`. SEC301 and its relatives report every such call; this rule says when a user supplies the data.' + FLOW_NOTE,
    why: 'A pickle is a program: `__reduce__` lets the payload call `os.system` while it is loaded, before your code sees the result. Loading one from a request is remote code execution.',
    example: `import pickle
from flask import request

@app.route("/restore", methods=["POST"])
def restore():
    state = pickle.loads(request.data)`,
    useInstead: `import json

@app.route("/restore", methods=["POST"])
def restore():
    state = json.loads(request.data)`,
    references: [{ title: 'OWASP Deserialization Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Deserialization_Cheat_Sheet.html' }],
  },
});
