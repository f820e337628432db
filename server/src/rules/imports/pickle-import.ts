import { importBlacklistRule } from './blacklist';

const PICKLE_HARMLESS = ['dumps', 'dump', 'Pickler', 'HIGHEST_PROTOCOL', 'DEFAULT_PROTOCOL', 'PickleError', 'PicklingError', 'UnpicklingError', 'PickleBuffer'];

export default importBlacklistRule({
  id: 'SEC403',
  name: 'pickle-import',
  summary: '`pickle`, `cPickle`, `dill` or `shelve` imported: unpickling untrusted data runs code',
  owasp: { '2025': 'A08', '2021': 'A08' },
  cwe: [502],
  severity: 'info',
  confidence: 'high',
  aliases: ['B403', 'S403'],
  tags: ['deserialization'],
  enabledByDefault: false,
  skipTests: true,
  modules: ['pickle', 'cPickle', '_pickle', 'dill', 'shelve'],
  harmless: { pickle: PICKLE_HARMLESS, cPickle: PICKLE_HARMLESS, _pickle: PICKLE_HARMLESS, dill: PICKLE_HARMLESS },
  message: (m) => `\`${m}\` is imported: unpickling data that an attacker can influence runs arbitrary code`,
  docs: {
    what: 'Reports imports of `pickle`, `cPickle`, `_pickle`, `dill` and `shelve`, in every import form and through `importlib.import_module("pickle")`. A module boundary is respected (`pickletools` is not `pickle`). An import used only to write pickles (`dumps`, `dump`, `Pickler`, the protocol constants and exceptions) is not reported. Off by default: SEC301 pickle-deserialization reports the actual `load`/`loads` calls; this rule is for audits that want every file that touches pickle. Test files are skipped.',
    why: "A pickle is a program: unpickling it imports any callable named in the stream and calls it with any arguments, so `pickle.loads(data)` on bytes from a cookie, an upload, a cache or a message queue lets whoever wrote those bytes run `os.system(...)` in your process. `shelve` stores its values as pickles, and `dill` extends pickle to more types with the same property. The import marks the places where that can happen.",
    example: `import pickle

def load_cart(cookie: bytes):
    return pickle.loads(cookie)`,
    useInstead: `import json

def load_cart(cookie: bytes):
    return json.loads(cookie)`,
    references: [
      { title: 'Bandit B403: import_pickle', url: 'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_imports.html#b403-import-pickle' },
      { title: 'Python docs: pickle (the security warning)', url: 'https://docs.python.org/3/library/pickle.html' },
      { title: 'CWE-502: Deserialization of Untrusted Data', url: 'https://cwe.mitre.org/data/definitions/502.html' },
    ],
  },
});
