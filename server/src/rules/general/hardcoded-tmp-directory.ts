import type { Node } from '../../engine/parser';
import { defineRule, type RuleContext } from '../../engine/rule';
import type { Confidence, Severity } from '../../engine/types';
import { calleeTail, isFString, stringValue } from '../../engine/syntax';

const SHARED_TMP = /^(\/tmp|\/var\/tmp|\/dev\/shm)(\/|$)/;

/** Calls that use their string arguments as text, not as a path. */
const TEXT_CALLS = new Set(['print', 'startswith', 'endswith', 'replace', 'removeprefix', 'removesuffix', 'split', 'rsplit', 'strip', 'lstrip', 'rstrip', 'find', 'index', 'rfind', 'count', 'format', 'warn', 'debug', 'info', 'warning', 'error', 'exception', 'critical', 'log', 'echo', 'secho', 'write', 'gettext', '_', 'relative_to', 'is_relative_to', 'match', 'search', 'fullmatch', 'sub', 'compile', 'assertEqual', 'assertIn']);

/** Keywords that carry messages or documentation. */
const TEXT_KEYWORDS = new Set(['help', 'description', 'msg', 'message', 'doc', 'epilog', 'usage', 'metavar', 'detail']);

/** Calls that open or create the path itself: a fixed name in a shared directory. */
const DIRECT_PATH_CALLS = new Set([
  'open',
  'io.open',
  'codecs.open',
  'os.open',
  'os.mkdir',
  'os.makedirs',
  'os.mkfifo',
  'os.symlink',
  'os.path.join',
  'pathlib.Path',
  'pathlib.PurePath',
  'shutil.copy',
  'shutil.copyfile',
  'shutil.copy2',
  'shutil.move',
  'shutil.copytree',
  'sqlite3.connect',
  'logging.FileHandler',
  'logging.handlers.RotatingFileHandler',
  'logging.handlers.TimedRotatingFileHandler',
  'logging.handlers.WatchedFileHandler',
  'socket.socket.bind',
]);

const TEMPFILE_CALLS = new Set(['tempfile.mkstemp', 'tempfile.mkdtemp', 'tempfile.NamedTemporaryFile', 'tempfile.TemporaryFile', 'tempfile.SpooledTemporaryFile', 'tempfile.TemporaryDirectory']);

const BARE_DIR = /^(\/tmp|\/var\/tmp|\/dev\/shm)\/?$/;
const ENV_GETTERS = new Set(['os.getenv', 'os.environ.get', 'os.environ.setdefault']);

/** The literal text a string starts with: its value, or for an f-string its text before the first field. */
function leadingText(str: Node): string | null {
  if (!isFString(str)) return stringValue(str);
  let out = '';
  for (const child of str.namedChildren) {
    if (!child) continue;
    if (child.type === 'interpolation') break;
    if (child.type === 'string_content') out += child.text;
  }
  return out;
}

interface Use {
  severity?: Severity;
  confidence: Confidence;
}

/** How the string is used: as a path (and how directly), or null when it is text, a comparison, a docstring. */
function pathUse(str: Node, ctx: RuleContext): Use | null {
  let n: Node = str;
  let p = n.parent;
  // Climb through containers and operators that keep the string a path: `("/tmp/x", 0)`, `Path("/tmp") / name`, `"/tmp/" + name`.
  while (p && ['parenthesized_expression', 'concatenated_string', 'binary_operator', 'boolean_operator', 'list', 'tuple', 'conditional_expression'].includes(p.type)) {
    n = p;
    p = p.parent;
  }
  if (!p) return null;
  switch (p.type) {
    case 'keyword_argument': {
      const kw = p.childForFieldName('name')?.text ?? '';
      if (TEXT_KEYWORDS.has(kw)) return null;
      const call = p.parent?.parent;
      if (call?.type !== 'call') return null;
      const name = ctx.callName(call) ?? '';
      // `tempfile.mkstemp(dir="/tmp")`: the file name is random and created exclusively.
      if (TEMPFILE_CALLS.has(name)) return { severity: 'info', confidence: 'low' };
      if (TEXT_CALLS.has(calleeTail(call) ?? '')) return null;
      return { confidence: 'medium' };
    }
    case 'argument_list': {
      const call = p.parent;
      if (call?.type !== 'call') return null;
      const tail = calleeTail(call) ?? '';
      const name = ctx.callName(call) ?? '';
      if (TEXT_CALLS.has(tail) || /^(logging|warnings|click)\./.test(name) || /(^|\.)(log|logger|LOG|LOGGER)\.\w+$/.test(ctx.textOf(call.childForFieldName('function')!))) return null;
      if (TEMPFILE_CALLS.has(name)) return { severity: 'info', confidence: 'low' };
      // `os.environ.get("TMPDIR", "/tmp")`: the system's temporary directory itself as a fallback.
      if (ENV_GETTERS.has(name) && BARE_DIR.test(stringValue(str) ?? '')) return null;
      if (DIRECT_PATH_CALLS.has(name) || /^(os|shutil|pathlib)\./.test(name)) return { confidence: 'high' };
      return { confidence: 'medium' };
    }
    case 'assignment':
    case 'augmented_assignment':
      // `LOG_PATH = "/tmp/app.log"` (not the left side, which cannot be a string).
      return p.childForFieldName('right')?.id === n.id ? { confidence: 'medium' } : null;
    case 'default_parameter':
    case 'typed_default_parameter':
      return { confidence: 'medium' };
    case 'pair':
      return p.childForFieldName('value')?.id === n.id ? { confidence: 'medium' } : null;
    case 'return_statement':
      return { confidence: 'medium' };
    default:
      return null;
  }
}

export default defineRule({
  id: 'SEC108',
  name: 'hardcoded-tmp-directory',
  local: true,
  summary: 'Fixed path in a shared temporary directory (`/tmp`, `/var/tmp`, `/dev/shm`)',
  owasp: { '2025': 'A01', '2021': 'A01' },
  cwe: [377],
  severity: 'warning',
  confidence: 'medium',
  aliases: ['B108', 'S108'],
  tags: ['filesystem'],
  nodeTypes: ['string'],
  appliesTo: (file) => !file.isTest,
  check(str, ctx) {
    // Parts of an implicit concatenation are judged as the whole.
    if (str.parent?.type === 'concatenated_string' && str.parent.namedChildren[0]?.id !== str.id) return;
    const lead = leadingText(str);
    if (lead === null || !SHARED_TMP.test(lead)) return;
    const at = str.parent?.type === 'concatenated_string' ? str.parent : str;
    const use = pathUse(at, ctx);
    if (!use) return;
    const dir = SHARED_TMP.exec(lead)![1];
    ctx.report(at, {
      message: `\`${lead.length > 60 ? `${lead.slice(0, 57)}...` : lead}\` is a fixed path in the shared directory \`${dir}\`, which other local users can create first`,
      confidence: use.confidence,
      ...(use.severity ? { severity: use.severity } : {}),
    });
  },
  docs: {
    what: 'Finds string literals (f-strings included) that start with `/tmp`, `/var/tmp` or `/dev/shm` and are used as paths: passed to a call (`open()`, `os.path.join()`, `Path()`, `shutil.*`, a logging file handler), assigned to a name, used as a default parameter, a dictionary value or a return value. Strings used as text are not reported: comparisons, `startswith()` and other string methods, `print()` and logging messages, `help=` texts, docstrings. Test files are skipped. The shared directory itself as the fallback of an environment lookup (`os.environ.get("TMPDIR", "/tmp")`) is not reported. `dir="/tmp"` given to a `tempfile` function is reported as low-confidence information: the file name there is random and created exclusively, only the directory is fixed.',
    why: '`/tmp` is writable by every local user. A program that uses a predictable name there can be attacked by creating that name first: a symlink `/tmp/app.log -> ~victim/.bashrc` makes the program overwrite the victim\'s file with its own privileges, and a pre-created file lets the attacker read or inject the data the program stores (CWE-377, CWE-379). In containers and CI the same path is shared between jobs.',
    example: `import json

def save_report(report):
    with open("/tmp/report.json", "w") as f:
        json.dump(report, f)`,
    useInstead: `import json
import tempfile

def save_report(report):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(report, f)
    return f.name`,
    references: [
      { title: 'Python: tempfile', url: 'https://docs.python.org/3/library/tempfile.html' },
      { title: 'CWE-377: Insecure Temporary File', url: 'https://cwe.mitre.org/data/definitions/377.html' },
      { title: 'Bandit B108: hardcoded_tmp_directory', url: 'https://bandit.readthedocs.io/en/latest/plugins/b108_hardcoded_tmp_directory.html' },
    ],
  },
});
