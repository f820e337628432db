import type { Node } from '../../engine/parser';
import { defineRule, fix, replace, type RuleContext } from '../../engine/rule';
import { callArgs, stringValue, unparen } from '../../engine/syntax';
import type { Fix, OffsetEdit } from '../../engine/types';
import { configEntries, configEnvironment, constructedKey, developmentOverride, environmentOfPath, importsAny, isConstructedBy, type ConfigEntry } from '../util/frameworks';
import { envRead, type EnvRead } from '../util/settings-values';

const DEBUG_KEYS = new Set(['DEBUG', 'TEMPLATE_DEBUG', 'FLASK_DEBUG']);
const WEB_MODULES = ['django', 'flask', 'quart', 'environ', 'environs', 'decouple'];
const STRING_METHODS = new Set(['lower', 'upper', 'strip', 'casefold', 'title', 'capitalize']);
const TRUE_WORDS = new Set(['y', 'yes', 't', 'true', 'on', '1']);

/** A Python value known from literals; `undefined` when unknown. */
type PyValue = string | number | boolean | null | undefined;

interface Simulated {
  /** The value with nothing set in the environment. */
  value: PyValue;
  read: EnvRead;
  /** The result's truth is the raw environment string's truth (`"False"` is truthy). */
  rawTruth: boolean;
}

/** Defaults replaced while checking a candidate fix (node id -> value). */
const OVERRIDE = new Map<number, PyValue>();

function literal(node: Node | null): PyValue {
  if (!node) return null; // no default: None
  const n = unparen(node);
  if (OVERRIDE.has(n.id)) return OVERRIDE.get(n.id);
  switch (n.type) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'none':
      return null;
    case 'integer': {
      const v = Number(n.text.replace(/_/g, ''));
      return Number.isFinite(v) ? v : undefined;
    }
    default: {
      const s = stringValue(n);
      return s === null ? undefined : s;
    }
  }
}

function truth(v: PyValue): boolean | null {
  if (v === undefined) return null;
  if (typeof v === 'string') return v.length > 0;
  return !!v;
}

/** `env = environ.Env(DEBUG=(bool, False))`: the type and default the scheme gives a variable. */
function envScheme(read: EnvRead, ctx: RuleContext): { castsBool: boolean; fallback: Node | null } | null {
  const fn = read.call.childForFieldName('function');
  if (fn?.type !== 'identifier' || !read.variable) return null;
  const assign = ctx.facts.moduleAssignments.get(fn.text);
  const ctor = assign?.childForFieldName('right');
  if (ctor?.type !== 'call') return null;
  const scheme = callArgs(ctor).keywords.get(read.variable);
  if (!scheme) return null;
  const s = unparen(scheme);
  if (s.type === 'tuple') {
    const [type, fallback] = s.namedChildren;
    return { castsBool: type?.text === 'bool', fallback: fallback ?? null };
  }
  return { castsBool: s.text === 'bool', fallback: null };
}

/** What an expression over one environment read evaluates to when the variable is unset. */
function simulate(node: Node, ctx: RuleContext, depth = 0): Simulated | null {
  if (depth > 8) return null;
  const n = unparen(node);
  const read = envRead(n, ctx);
  if (read) {
    if (read.kind === 'string') return { value: literal(read.fallback), read, rawTruth: true };
    const fn = read.call.childForFieldName('function');
    const plainEnvCall = fn?.type === 'identifier' && !read.castsBool && !(callArgs(read.call).keywords.has('cast'));
    if (plainEnvCall) {
      // django-environ's `env("DEBUG")` returns the string unless the Env scheme types it.
      const scheme = envScheme(read, ctx);
      if (scheme) return { value: literal(read.fallback ?? scheme.fallback), read, rawTruth: !scheme.castsBool };
      return { value: literal(read.fallback), read, rawTruth: true };
    }
    const value = literal(read.fallback);
    // A typed read parses the default too when it is a string (`cast=bool, default="True"`).
    const parsed = read.castsBool && typeof value === 'string' ? TRUE_WORDS.has(value.trim().toLowerCase()) : value;
    return { value: parsed, read, rawTruth: false };
  }
  if (n.type === 'call') {
    const fn = n.childForFieldName('function');
    const args = callArgs(n);
    if (fn?.type === 'attribute' && args.positional.length === 0 && args.keywords.size === 0) {
      const method = fn.childForFieldName('attribute')?.text ?? '';
      if (!STRING_METHODS.has(method)) return null;
      const inner = simulate(fn.childForFieldName('object')!, ctx, depth + 1);
      if (!inner) return null;
      const v = inner.value;
      let out: PyValue = undefined;
      if (typeof v === 'string') {
        if (method === 'lower' || method === 'casefold') out = v.toLowerCase();
        else if (method === 'upper') out = v.toUpperCase();
        else if (method === 'strip') out = v.trim();
        else if (method === 'capitalize') out = v.charAt(0).toUpperCase() + v.slice(1).toLowerCase();
        else out = v.replace(/\w\S*/g, (w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase());
      }
      return { value: out, read: inner.read, rawTruth: inner.rawTruth };
    }
    if (args.positional.length !== 1 || args.keywords.size > 0) return null;
    const name = ctx.callName(n) ?? fn?.text ?? '';
    const inner = simulate(args.positional[0]!, ctx, depth + 1);
    if (!inner) return null;
    const v = inner.value;
    if (name === 'bool') return { value: truth(v) ?? undefined, read: inner.read, rawTruth: inner.rawTruth };
    if (name === 'int') {
      const num = typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v) ? Number(v) : typeof v === 'number' || typeof v === 'boolean' ? Number(v) : undefined;
      return { value: num, read: inner.read, rawTruth: false };
    }
    if (/(^|\.)(strtobool|str2bool|to_bool)$/.test(name)) {
      return { value: typeof v === 'string' ? TRUE_WORDS.has(v.trim().toLowerCase()) : undefined, read: inner.read, rawTruth: false };
    }
    if (name === 'ast.literal_eval' || name === 'json.loads') {
      const t = typeof v === 'string' ? v.trim() : '';
      const parsed: PyValue = t === 'True' || t === 'true' ? true : t === 'False' || t === 'false' ? false : /^\d+$/.test(t) ? Number(t) : undefined;
      return { value: parsed, read: inner.read, rawTruth: false };
    }
    return null;
  }
  if (n.type === 'comparison_operator') {
    const operands = n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
    if (operands.length !== 2) return null;
    const op = n.children.filter((c) => c && !c.isNamed).map((c) => c!.text).join(' ');
    const inner = simulate(operands[0]!, ctx, depth + 1);
    if (!inner) return null;
    const right = unparen(operands[1]!);
    const options: PyValue[] = right.type === 'tuple' || right.type === 'list' || right.type === 'set' ? right.namedChildren.map((c) => (c ? literal(c) : undefined)) : [literal(right)];
    if (options.some((o) => o === undefined) || inner.value === undefined) return { value: undefined, read: inner.read, rawTruth: false };
    const hit = options.includes(inner.value);
    const value = op === '==' || op === 'in' ? hit : op === '!=' || op === 'not in' ? !hit : undefined;
    return { value, read: inner.read, rawTruth: false };
  }
  return null;
}

function defaultText(v: PyValue): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return String(v);
}

/** Candidate safe defaults of the same kind as the current one. */
function candidates(current: PyValue): string[] {
  if (typeof current === 'boolean') return ['False'];
  if (typeof current === 'number') return ['0'];
  if (typeof current === 'string') return ['"False"', '"0"', '""'];
  return [];
}

function textWith(node: Node, inner: Node, newText: string, ctx: RuleContext): string {
  const whole = ctx.textOf(node);
  return whole.slice(0, inner.startIndex - node.startIndex) + newText + whole.slice(inner.endIndex - node.startIndex);
}

function fixesFor(value: Node, sim: Simulated, key: string, ctx: RuleContext): Fix[] {
  const fallback = sim.read.fallback;
  if (!fallback) {
    // `os.getenv("DEBUG")`: give it an empty default and parse it.
    const call = sim.read.call;
    const args = callArgs(call);
    if (!sim.rawTruth || !args.list || args.positional.length !== 1 || args.keywords.size > 0) return [];
    const inner = ctx.textOf(args.list).slice(1, -1).trim().replace(/,$/, '');
    const readText = `${ctx.textOf(call.childForFieldName('function')!)}(${inner}, "")`;
    return [fix(`Parse \`${key}\` as a boolean that is off unless set to 1/true/yes/on`, 'unsafe', replace(value, `${readText}.lower() in ("1", "true", "yes", "on")`))];
  }
  const fb = unparen(fallback);
  const current = literal(fb);
  if (current === undefined) return [];
  if (!sim.rawTruth) {
    // Try the same expression with a safe default; keep it only if it really evaluates to off.
    for (const c of candidates(current)) {
      const parsed = c === 'False' ? false : c === '0' ? 0 : c === '""' ? '' : c.slice(1, -1);
      if (evaluateWith(value, fb, parsed, ctx) === false) {
        return [fix(`Default \`${key}\` to off (\`${c}\`)`, 'unsafe', replace(fb, c))];
      }
    }
    return [];
  }
  // A raw string: parse it, and default to the empty string.
  const readText = textWith(sim.read.call, fb, '""', ctx);
  const edits: OffsetEdit[] = [replace(value, `${readText}.lower() in ("1", "true", "yes", "on")`)];
  return [fix(`Parse \`${key}\` as a boolean that is off unless set to 1/true/yes/on`, 'unsafe', edits)];
}

/** Re-simulates `value` with its default literal replaced by `v`, giving the resulting truth. */
function evaluateWith(value: Node, fallback: Node, v: PyValue, ctx: RuleContext): boolean | null {
  OVERRIDE.set(fallback.id, v);
  try {
    const sim = simulate(value, ctx);
    return sim ? truth(sim.value) : null;
  } finally {
    OVERRIDE.delete(fallback.id);
  }
}

function judge(entryValue: Node, key: string, at: Node, ctx: RuleContext, env: ReturnType<typeof environmentOfPath>): void {
  const sim = simulate(entryValue, ctx);
  if (!sim) return;
  const variable = sim.read.variable ? `\`${sim.read.variable}\`` : 'the variable';
  const t = truth(sim.value);
  if (t === true) {
    ctx.report(at, {
      message: `\`${key}\` is on unless ${variable} is set: it is read from the environment with the default \`${defaultText(literal(sim.read.fallback))}\`${sim.rawTruth && typeof literal(sim.read.fallback) === 'string' ? ', a non-empty string and therefore true' : ''}`,
      confidence: 'high',
      ...developmentOverride(env),
      fixes: fixesFor(entryValue, sim, key, ctx),
    });
  } else if (sim.rawTruth) {
    ctx.report(at, {
      message: `\`${key}\` is the raw string from ${variable}: any non-empty value, including "False" and "0", turns it on`,
      confidence: 'medium',
      ...developmentOverride(env),
      fixes: fixesFor(entryValue, sim, key, ctx),
    });
  }
}

/** Module- and class-level `DEBUG = ...` count where they configure a web app, not in any script. */
function relevant(entry: ConfigEntry, ctx: RuleContext): boolean {
  if (entry.form === 'config-item' || entry.form === 'config-update') return true;
  if (entry.form === 'class') {
    const name = entry.owner?.childForFieldName('name')?.text ?? '';
    return /config|settings/i.test(name) && (ctx.file.isSettings || importsAny(ctx.facts, WEB_MODULES) || /config|settings/i.test(ctx.file.path));
  }
  return ctx.file.isSettings || importsAny(ctx.facts, WEB_MODULES) || /(^|[\\/])[^\\/]*(config|settings)[^\\/]*\.py$/i.test(ctx.file.path);
}

export default defineRule({
  id: 'SEC226',
  name: 'debug-from-env-unsafe-default',
  local: true,
  fileKey: constructedKey,
  summary: '`DEBUG` read from the environment with a default that turns it on, or as a raw string where "False" is truthy',
  owasp: { '2025': 'A02', '2021': 'A05' },
  cwe: [489, 1188],
  severity: 'warning',
  confidence: 'high',
  fix: 'sometimes',
  tags: ['django', 'flask', 'debug'],
  nodeTypes: ['assignment', 'call'],
  appliesTo: (file) => !file.isTest && environmentOfPath(file.path) !== 'test',
  check(node, ctx) {
    for (const entry of configEntries(node)) {
      if (!DEBUG_KEYS.has(entry.key) || !relevant(entry, ctx)) continue;
      const env = configEnvironment(entry, ctx);
      if (env === 'test') continue;
      judge(entry.value, entry.key, entry.at, ctx, env);
    }
    if (node.type === 'assignment') {
      // `app.debug = os.environ.get("FLASK_DEBUG", True)`
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left?.type !== 'attribute' || left.childForFieldName('attribute')?.text !== 'debug' || !right) return;
      const receiver = left.childForFieldName('object');
      const isApp = isConstructedBy(receiver, 'flaskApp', ctx) || (receiver?.type === 'identifier' && /^(app|application)$/.test(receiver.text) && importsAny(ctx.facts, ['flask', 'quart']));
      if (isApp) judge(right, 'app.debug', node, ctx, environmentOfPath(ctx.file.path));
    } else {
      // `app.run(debug=os.environ.get("FLASK_DEBUG", "1"))`
      const fn = node.childForFieldName('function');
      if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'run') return;
      const receiver = fn.childForFieldName('object');
      if (!isConstructedBy(receiver, 'flaskApp', ctx) && !(receiver?.type === 'identifier' && importsAny(ctx.facts, ['flask', 'quart']) && /^(app|application)$/.test(receiver.text))) return;
      const args = callArgs(node);
      const debug = args.keywords.get('debug');
      if (debug) judge(debug, 'debug', args.keywordNodes.get('debug')!, ctx, environmentOfPath(ctx.file.path));
    }
  },
  docs: {
    what: `Finds \`DEBUG\` (also \`TEMPLATE_DEBUG\`, \`FLASK_DEBUG\`, \`app.debug\`, \`app.config["DEBUG"]\`, \`app.run(debug=...)\`) read from the environment in a way that leaves it on in production:

- a default that is on: \`os.environ.get("DEBUG", "True")\`, \`os.getenv("DEBUG", True)\`, \`env.bool("DEBUG", default=True)\`, \`config("DEBUG", default=True, cast=bool)\`, \`environ.Env(DEBUG=(bool, True))\`, and parsed forms such as \`os.environ.get("DEBUG", "True") == "True"\` or \`strtobool(os.getenv("DEBUG", "1"))\`. Reported with high confidence: a server started without the variable runs in debug mode.
- the raw string: \`DEBUG = os.environ.get("DEBUG", False)\`, \`bool(os.getenv("DEBUG"))\`, python-decouple's \`config("DEBUG")\` without \`cast\`, django-environ's \`env("DEBUG")\` without a type. When the variable is set, the value is a string, and every non-empty string is true: \`DEBUG=False\` and \`DEBUG=0\` turn debugging *on*. Reported with medium confidence (it is safe as long as the variable is never set to a "false" word).

Django settings modules, Flask config modules and classes, and \`app.config\` are checked; test configuration is skipped and development configuration is reported as information.`,
    why: "A debug default means that the one deployment where someone forgot the variable (a new host, a cron container, a staging copy that became production) shows Django's technical error page or the Werkzeug debugger, which leaks settings and source and, for Werkzeug, runs arbitrary Python for anyone who can reach it. The raw-string bug is worse because it looks right: an operator sets `DEBUG=False` and gets debug mode.",
    example: `import os

DEBUG = os.environ.get("DJANGO_DEBUG", "True") == "True"
TEMPLATE_DEBUG = os.environ.get("TEMPLATE_DEBUG", False)  # "False" is truthy`,
    useInstead: `import os

DEBUG = os.environ.get("DJANGO_DEBUG", "False") == "True"
TEMPLATE_DEBUG = os.environ.get("TEMPLATE_DEBUG", "").lower() in ("1", "true", "yes", "on")`,
    fixSafety: 'For a default that is on, the fix changes the default to an off value of the same kind (`False`, `0`, `"False"`), kept only when the expression then really evaluates to false. For a raw string, the fix parses it: `os.environ.get("DEBUG", "").lower() in ("1", "true", "yes", "on")`. Deployments that set the variable keep their behaviour (except that "False" and "0" now mean off, which is the point), but a developer who relied on the default loses debug mode until they set the variable, so both fixes are unsafe and never applied by fix-all.',
    references: [
      { title: 'Django settings: DEBUG', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#debug' },
      { title: 'Flask configuration: DEBUG', url: 'https://flask.palletsprojects.com/en/stable/config/#DEBUG' },
      { title: 'django-environ: Env.bool', url: 'https://django-environ.readthedocs.io/en/latest/api.html' },
      { title: 'python-decouple: casting', url: 'https://github.com/HBNetwork/python-decouple#how-it-works' },
    ],
  },
});
