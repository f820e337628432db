import type { Node } from '../../engine/parser';
import { defineRule, fix, replace, type RuleContext } from '../../engine/rule';
import { bindingValues } from '../../engine/scope';
import type { Confidence, Fix, Severity } from '../../engine/types';
import { callArgs, dottedName, stringValue, unparen } from '../../engine/syntax';

const STAT_BITS: Record<string, number> = {
  S_ISUID: 0o4000,
  S_ISGID: 0o2000,
  S_ISVTX: 0o1000,
  S_IRWXU: 0o700,
  S_IRUSR: 0o400,
  S_IWUSR: 0o200,
  S_IXUSR: 0o100,
  S_IREAD: 0o400,
  S_IWRITE: 0o200,
  S_IEXEC: 0o100,
  S_IRWXG: 0o070,
  S_IRGRP: 0o040,
  S_IWGRP: 0o020,
  S_IXGRP: 0o010,
  S_IRWXO: 0o007,
  S_IROTH: 0o004,
  S_IWOTH: 0o002,
  S_IXOTH: 0o001,
};

const OS_CHMOD = new Set(['os.chmod', 'os.lchmod', 'os.fchmod']);

/** Paths whose contents must stay private to their owner. */
const SENSITIVE_PATH = /(\.pem|\.key|\.p12|\.pfx|id_rsa|id_dsa|id_ecdsa|id_ed25519|\.ssh|secret|token|credential|passw|shadow|htpasswd|private|keyfile|key_file|\.env\b|\.netrc|\.pgpass|kubeconfig|key_?path)/i;

/** The permission bits a mode expression sets: `bits` is a lower bound, exact when `exact`. */
interface Mode {
  bits: number;
  exact: boolean;
}

function parseInteger(text: string): number | null {
  const t = text.replace(/_/g, '');
  if (!/^(0[oO][0-7]+|0[xX][0-9a-fA-F]+|0[bB][01]+|[1-9]\d*|0+)$/.test(t)) return null;
  const v = Number(t.toLowerCase());
  return Number.isSafeInteger(v) ? v : null;
}

function resolveMode(node: Node, ctx: RuleContext, depth = 0): Mode | null {
  if (depth > 10) return null;
  const n = unparen(node);
  switch (n.type) {
    case 'integer': {
      const v = parseInteger(n.text);
      return v === null ? null : { bits: v, exact: true };
    }
    case 'identifier':
    case 'attribute': {
      const name = ctx.resolve(n) ?? dottedName(n);
      if (name?.startsWith('stat.')) {
        const bits = STAT_BITS[name.slice(5)];
        return bits === undefined ? null : { bits, exact: true };
      }
      if (n.type !== 'identifier') return null;
      // A constant: `MODE = 0o777` (every assignment gives the same mode).
      const values = bindingValues(n, ctx);
      if (!values || values.length === 0) return null;
      const modes = values.map((v) => resolveMode(v, ctx, depth + 1));
      if (modes.some((m) => !m || !m.exact) || new Set(modes.map((m) => m!.bits)).size !== 1) return null;
      return modes[0]!;
    }
    case 'binary_operator': {
      const op = n.childForFieldName('operator')?.type;
      const left = resolveMode(n.childForFieldName('left')!, ctx, depth + 1);
      const right = resolveMode(n.childForFieldName('right')!, ctx, depth + 1);
      if (op === '|' || op === '+') {
        // `os.stat(p).st_mode | stat.S_IWOTH` sets at least the known bits.
        if (op === '+' && !(left?.exact && right?.exact)) return null;
        if (!left && !right) return null;
        return { bits: (left?.bits ?? 0) | (right?.bits ?? 0), exact: !!left?.exact && !!right?.exact };
      }
      if (!left?.exact || !right?.exact) return null;
      if (op === '&') return { bits: left.bits & right.bits, exact: true };
      if (op === '^') return { bits: left.bits ^ right.bits, exact: true };
      if (op === '-' && left.bits >= right.bits) return { bits: left.bits - right.bits, exact: true };
      return null;
    }
    default:
      return null;
  }
}

/** The string a path argument holds when it is a name bound to one literal (`KEY = "deploy/id_rsa"`), else ''. */
function constantPath(target: Node, ctx: RuleContext): string {
  const t = unparen(target);
  if (t.type !== 'identifier') return '';
  const values = bindingValues(t, ctx);
  return values?.length === 1 ? (stringValue(values[0]) ?? '') : '';
}

function octal(bits: number): string {
  return `0o${bits.toString(8)}`;
}

export default defineRule({
  id: 'SEC103',
  name: 'bad-file-permissions',
  local: true,
  summary: '`chmod` making a file writable by other users (or a private file readable by them)',
  owasp: { '2025': 'A01', '2021': 'A01' },
  cwe: [732],
  severity: 'error',
  confidence: 'high',
  fix: 'sometimes',
  aliases: ['B103', 'S103'],
  tags: ['filesystem'],
  nodeTypes: ['call'],
  check(call, ctx) {
    const fn = call.childForFieldName('function');
    if (!fn) return;
    const name = ctx.callName(call);
    const args = callArgs(call);
    let modeArg: Node | null;
    let target: Node | null;
    if (name && OS_CHMOD.has(name)) {
      modeArg = args.keywords.get('mode') ?? args.positional[1] ?? null;
      target = args.keywords.get('path') ?? args.keywords.get('fd') ?? args.positional[0] ?? null;
    } else if (fn.type === 'attribute' && ['chmod', 'lchmod'].includes(fn.childForFieldName('attribute')?.text ?? '')) {
      // `Path(p).chmod(mode)`, and clients such as `sftp.chmod(path, mode)`.
      if (args.positional.length > 2) return;
      modeArg = args.keywords.get('mode') ?? args.positional[args.positional.length - 1] ?? null;
      target = args.positional.length === 2 ? args.positional[0]! : fn.childForFieldName('object');
    } else return;
    if (!modeArg) return;
    const mode = resolveMode(modeArg, ctx);
    if (!mode) return;
    const where = target ? ` on \`${ctx.textOf(target).replace(/\s+/g, ' ').slice(0, 60)}\`` : '';
    const sensitive = !!target && (SENSITIVE_PATH.test(ctx.textOf(target)) || SENSITIVE_PATH.test(constantPath(target, ctx)));
    let severity: Severity;
    let confidence: Confidence;
    let what: string;
    let fixed: number;
    if (mode.bits & 0o002) {
      severity = 'error';
      confidence = 'high';
      what = 'world-writable';
      fixed = mode.bits & ~0o022;
    } else if (mode.bits & 0o020) {
      severity = 'warning';
      confidence = 'medium';
      what = 'group-writable';
      fixed = mode.bits & ~0o022;
    } else if (sensitive && mode.bits & 0o044) {
      severity = 'warning';
      confidence = 'medium';
      what = mode.bits & 0o004 ? 'world-readable' : 'group-readable';
      fixed = mode.bits & ~0o077;
    } else return;
    const fixes: Fix[] = mode.exact ? [fix(`Use mode \`${octal(fixed)}\``, 'unsafe', replace(unparen(modeArg), octal(fixed)))] : [];
    ctx.report(modeArg, {
      message: `\`chmod\` sets ${mode.exact ? 'mode' : 'bits'} \`${octal(mode.bits)}\`${where}, making it ${what}`,
      severity,
      confidence,
      fixes,
    });
  },
  docs: {
    what: 'Finds `os.chmod`, `os.lchmod`, `os.fchmod`, `Path.chmod` and other `.chmod(path, mode)` methods (such as SFTP clients) whose mode makes the file world-writable (an error) or group-writable (a warning), or makes a file that looks private (a key, `.pem`, `.ssh`, a token or credentials file, `.env`) readable by group or others. The mode is resolved from integer literals (`0o777`, `511`, `0x1ff`), `stat.S_I*` constants combined with `|`, `+`, `&`, and module constants (`MODE = 0o777`); `os.stat(p).st_mode | stat.S_IWOTH` is reported from the bits it certainly adds. Unlike Bandit, a group-executable mode such as `0o755` is not reported: it is the normal mode of directories and scripts.',
    why: 'A world-writable file can be changed by any local user or compromised service on the host: a writable script, config file or plugin directory becomes code execution as the account that loads it, and a writable log or cache becomes a way to plant data. A private key or token readable by others leaks to every account on the machine (CWE-732).',
    example: `import os

os.chmod("/srv/app/run.sh", 0o777)
os.chmod(key_path, 0o644)  # key_path = "deploy/id_rsa"`,
    useInstead: `import os

os.chmod("/srv/app/run.sh", 0o755)
os.chmod(key_path, 0o600)`,
    fixSafety: 'The fix replaces an exactly known mode with the same mode without the group and world write bits (`0o777` becomes `0o755`, `0o666` becomes `0o644`), or for a private file without any group and world bits (`0o644` becomes `0o600`). It is unsafe: other users or services that legitimately wrote (or read) the file through the group or world bits lose that access; give them access through a shared group or ownership instead.',
    references: [
      { title: 'Python: os.chmod', url: 'https://docs.python.org/3/library/os.html#os.chmod' },
      { title: 'CWE-732: Incorrect Permission Assignment for Critical Resource', url: 'https://cwe.mitre.org/data/definitions/732.html' },
      { title: 'Bandit B103: set_bad_file_permissions', url: 'https://bandit.readthedocs.io/en/latest/plugins/b103_set_bad_file_permissions.html' },
    ],
  },
});
