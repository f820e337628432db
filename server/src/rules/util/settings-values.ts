// Helpers for the Django/Flask deployment-settings rules (SEC218-SEC226): whether a module is
// the complete production settings (so a missing setting is really missing), what a setting
// read from the environment defaults to, and simple numeric literals (`60 * 60 * 24 * 365`,
// `timedelta(days=30)`).

import type { Node } from '../../engine/parser';
import { fix, replace, type FilePart, type RuleContext } from '../../engine/rule';
import { constantTruth } from '../../engine/scope';
import { callArgs, isFalse, isTrue, stringValue, unparen } from '../../engine/syntax';
import { configEntries, configEnvironment, developmentOverride, environmentOfName, environmentOfPath, importsAny, isConstructedBy, type ConfigEntry, type Environment } from './frameworks';
import { words } from './names';

/** Names Django settings modules define when they are the whole configuration, not a fragment. */
const COMPLETE_MARKERS = ['INSTALLED_APPS', 'MIDDLEWARE', 'MIDDLEWARE_CLASSES'];
/** Module names meant to be extended by another settings module (`settings/base.py`). */
const BASE_WORDS = new Set(['base', 'common', 'default', 'defaults', 'shared', 'core', 'global', 'components']);

/** The `fileKey` part of `isCompleteProductionSettings` (a whole-file question: regexes over the text). */
export function completeProductionKey(ctx: RuleContext): string {
  return isCompleteProductionSettings(ctx) ? 'complete' : '';
}

/**
 * A Django settings module that is production configuration (not test, development, or a base
 * module extended elsewhere) and holds the whole configuration: it defines `INSTALLED_APPS` or
 * `MIDDLEWARE`, or is named for production, and it does not star-import other settings (which
 * may set what this module lacks). A module with a literal `DEBUG = True` is development
 * configuration in practice (SEC210 reports it). Rules that report a *missing* setting only run
 * here.
 */
export function isCompleteProductionSettings(ctx: RuleContext): boolean {
  return ctx.memo('settings-values:complete-production', () => {
    const file = ctx.file;
    if (!file.isSettings || file.isTest) return false;
    const env = environmentOfPath(file.path);
    if (env === 'test' || env === 'development') return false;
    const base = (file.path.split(/[\\/]/).pop() ?? '').replace(/\.pyi?$/i, '');
    if (words(base).some((w) => BASE_WORDS.has(w))) return false;
    // `from .base import *` (facts leave relative imports out), also inside `try:`.
    if (ctx.facts.starImports.length > 0 || /^[ \t]*from[ \t]+[\w.]+[ \t]+import[ \t]+\*/m.test(ctx.text)) return false;
    // Settings set dynamically (`globals().update(...)`, django-split-settings `include(...)`).
    if (/\b(globals|locals|vars)\(\)|\binclude\(/.test(ctx.text)) return false;
    let debug = ctx.facts.moduleAssignments.get('DEBUG')?.childForFieldName('right');
    while (debug?.type === 'assignment') debug = debug.childForFieldName('right'); // DEBUG = TEMPLATE_DEBUG = True
    if (debug && isTrue(unparen(debug))) return false;
    return env === 'production' || COMPLETE_MARKERS.some((n) => ctx.facts.moduleAssignments.has(n));
  });
}

/** Where a missing-setting finding goes: the `MIDDLEWARE`/`INSTALLED_APPS` assignment, else line 1. */
export function missingSettingAnchor(ctx: RuleContext): Node {
  for (const name of ['MIDDLEWARE', 'MIDDLEWARE_CLASSES', 'INSTALLED_APPS']) {
    const a = ctx.facts.moduleAssignments.get(name);
    if (a) return a.childForFieldName('left') ?? a;
  }
  const first = ctx.root.namedChildren.find((c) => c && c.type !== 'comment');
  return first ?? ctx.root;
}

/** Whether a module-level setting is assigned anywhere (plain or annotated assignment). */
export function hasModuleSetting(ctx: RuleContext, key: string): boolean {
  return ctx.facts.moduleAssignments.has(key);
}

export interface EnvRead {
  /** The call that reads the variable. */
  call: Node;
  /** The variable name, when a literal. */
  variable: string | null;
  /** The default value, or null when there is none (the variable is required or defaults to None). */
  fallback: Node | null;
  /**
   * 'string': `os.environ.get` / `os.getenv`, whose result is the raw string when the variable
   * is set (`"False"` is truthy); 'typed': django-environ, environs and python-decouple, which
   * parse the value (`env.bool`, `config(..., cast=bool)`).
   */
  kind: 'string' | 'typed';
  /** For 'typed' reads: whether the value is parsed as a boolean (`env.bool`, `cast=bool`). */
  castsBool: boolean;
}

const STRING_READERS = new Set(['os.environ.get', 'os.getenv', 'os.environ.setdefault']);
const DECOUPLE = new Set(['decouple.config', 'decouple.AutoConfig', 'prettyconf.config']);
const ENV_METHODS = new Set(['bool', 'int', 'float', 'str', 'list', 'tuple', 'dict', 'json', 'url', 'get_value']);

/** `os.environ.get("X", d)`, `os.getenv("X", d)`, `env.bool("X", default=d)`, `env("X", default=d)`, `config("X", default=d, cast=bool)`. */
export function envRead(value: Node | null | undefined, ctx: RuleContext): EnvRead | null {
  if (!value) return null;
  const call = unparen(value);
  if (call.type !== 'call') return null;
  const args = callArgs(call);
  if (args.hasStarArgs || args.hasStarKwargs) return null;
  const variable = stringValue(args.positional[0] ?? args.keywords.get('key') ?? null);
  const name = ctx.callName(call);
  if (name && STRING_READERS.has(name)) {
    return { call, variable, fallback: args.keywords.get('default') ?? args.positional[1] ?? null, kind: 'string', castsBool: false };
  }
  if (name && DECOUPLE.has(name)) {
    const cast = args.keywords.get('cast');
    const castsBool = !!cast && (cast.text === 'bool' || /(^|\.)(strtobool|to_bool|as_bool)$/.test(cast.text));
    // Without `cast`, decouple returns the raw string, like os.environ.get.
    return { call, variable, fallback: args.keywords.get('default') ?? args.positional[1] ?? null, kind: cast ? 'typed' : 'string', castsBool };
  }
  const fn = call.childForFieldName('function');
  if (!fn) return null;
  const envObject = (expr: Node | null): boolean =>
    !!expr && (isConstructedBy(expr, 'envReader', ctx) || (expr.type === 'identifier' && expr.text === 'env' && importsAny(ctx.facts, ['environ', 'environs'])));
  if (fn.type === 'identifier' || fn.type === 'attribute') {
    // `env("DEBUG", default=False)` reads a string unless the Env scheme gives a type.
    if (envObject(fn)) {
      return { call, variable, fallback: args.keywords.get('default') ?? args.positional[2] ?? null, kind: 'typed', castsBool: false };
    }
    if (fn.type === 'attribute') {
      const method = fn.childForFieldName('attribute')?.text ?? '';
      if (ENV_METHODS.has(method) && envObject(fn.childForFieldName('object'))) {
        return { call, variable, fallback: args.keywords.get('default') ?? args.positional[1] ?? null, kind: 'typed', castsBool: method === 'bool' };
      }
    }
  }
  return null;
}

/** The value a setting has when nothing is configured: the literal itself, or an environment read's default. */
export function effectiveValue(value: Node, ctx: RuleContext): { node: Node; fromEnv: EnvRead | null } | null {
  const v = unparen(value);
  const read = envRead(v, ctx);
  if (read) return read.fallback ? { node: unparen(read.fallback), fromEnv: read } : null;
  return { node: v, fromEnv: null };
}

/** An integer literal or simple arithmetic over them (`60 * 60 * 24 * 365`, `31_536_000`), else null. */
export function integerValue(node: Node | null | undefined, depth = 0): number | null {
  if (!node || depth > 20) return null;
  const n = unparen(node);
  if (n.type === 'integer') {
    const t = n.text.replace(/_/g, '').toLowerCase();
    const v = /^0[xob]/.test(t) ? Number(t) : /^\d+$/.test(t) ? Number(t) : NaN;
    return Number.isFinite(v) ? v : null;
  }
  if (n.type === 'float') {
    const v = Number(n.text.replace(/_/g, ''));
    return Number.isFinite(v) ? v : null;
  }
  if (n.type === 'binary_operator') {
    const l = integerValue(n.childForFieldName('left'), depth + 1);
    const r = integerValue(n.childForFieldName('right'), depth + 1);
    if (l === null || r === null) return null;
    switch (n.childForFieldName('operator')?.type) {
      case '*':
        return l * r;
      case '+':
        return l + r;
      case '-':
        return l - r;
      case '//':
        return r === 0 ? null : Math.floor(l / r);
      default:
        return null;
    }
  }
  return null;
}

const TIMEDELTA_UNITS: Record<string, number> = { weeks: 604800, days: 86400, hours: 3600, minutes: 60, seconds: 1, milliseconds: 0.001, microseconds: 0.000001 };
/** `timedelta(days, seconds, microseconds, milliseconds, minutes, hours, weeks)` positional order. */
const TIMEDELTA_POSITIONAL = ['days', 'seconds', 'microseconds', 'milliseconds', 'minutes', 'hours', 'weeks'];

/** Seconds in `timedelta(...)` with literal arguments, or in an integer literal; null otherwise. */
export function durationSeconds(node: Node | null | undefined, ctx: RuleContext): number | null {
  if (!node) return null;
  const n = unparen(node);
  if (n.type === 'call') {
    const name = ctx.callName(n);
    if (name !== 'datetime.timedelta' && name !== 'timedelta') return null;
    const args = callArgs(n);
    if (args.hasStarArgs || args.hasStarKwargs) return null;
    let total = 0;
    for (const [i, arg] of args.positional.entries()) {
      const unit = TIMEDELTA_POSITIONAL[i];
      const v = integerValue(arg);
      if (!unit || v === null) return null;
      total += v * TIMEDELTA_UNITS[unit]!;
    }
    for (const [key, arg] of args.keywords) {
      const unit = TIMEDELTA_UNITS[key];
      const v = integerValue(arg);
      if (unit === undefined || v === null) return null;
      total += v * unit;
    }
    return total;
  }
  return integerValue(n);
}

/** What the settings rules look for in the strings of a module outside `MIDDLEWARE = [...]`. */
export type Mention = 'XFrameOptionsMiddleware' | 'frame-ancestors' | 'CsrfViewMiddleware' | 'DEFAULT_PERMISSION_CLASSES';

const MENTIONS: readonly [Mention, (value: string) => boolean][] = [
  ['XFrameOptionsMiddleware', (v) => v.includes('XFrameOptionsMiddleware')],
  ['frame-ancestors', (v) => v.includes('frame-ancestors')],
  ['CsrfViewMiddleware', (v) => v.includes('CsrfViewMiddleware')],
  ['DEFAULT_PERMISSION_CLASSES', (v) => v === 'DEFAULT_PERMISSION_CLASSES'],
];

/**
 * One region's mentions: the `MENTIONS` some string literal value outside `MIDDLEWARE = [...]`
 * assignments satisfies. Source order: a string inside a MIDDLEWARE assignment or inside another
 * string (an f-string's interpolation) is skipped, as a walk that does not descend into them
 * would. Neither can hold a function, so regions cut nothing apart.
 */
const MENTIONS_PART: FilePart<Mention[]> = {
  name: 'settings-values:mentions',
  nodeTypes: ['assignment', 'string'],
  compute(nodes) {
    const found = new Set<Mention>();
    let skipUntil = -1;
    for (const n of nodes) {
      if (n.startIndex < skipUntil) continue;
      if (n.type === 'assignment') {
        if (/^MIDDLEWARE(_CLASSES)?$/.test(n.childForFieldName('left')?.text ?? '')) skipUntil = n.endIndex;
        continue;
      }
      const v = stringValue(n);
      if (v !== null) for (const [m, test] of MENTIONS) if (test(v)) found.add(m);
      skipUntil = n.endIndex;
    }
    return [...found];
  },
};

function mentions(ctx: RuleContext): ReadonlySet<Mention> {
  return ctx.memo('settings-values:mentions', () => new Set(ctx.parts(MENTIONS_PART).flat()));
}

/**
 * Whether a string literal anywhere in the module outside `MIDDLEWARE = [...]` assignments
 * contains `mention` (is it, for `DEFAULT_PERMISSION_CLASSES`): "is this middleware added some
 * other way" (`MIDDLEWARE.insert(0, "...")`). Rules that ask are local with `mentionsKey`.
 */
export function mentionedOutsideMiddleware(ctx: RuleContext, mention: Mention): boolean {
  return mentions(ctx).has(mention);
}

/** The `fileKey` part of `mentionedOutsideMiddleware`: which mentions the module has. */
export function mentionsKey(ctx: RuleContext): string {
  return [...mentions(ctx)].sort().join(',');
}

/** Human duration: `3600` gives "1 hour", `1209600` gives "14 days". */
export function describeSeconds(seconds: number): string {
  const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (seconds >= 86400 && seconds % 86400 === 0) return plural(seconds / 86400, 'day');
  if (seconds >= 86400) return `${(seconds / 86400).toFixed(1)} days`;
  if (seconds >= 3600 && seconds % 3600 === 0) return plural(seconds / 3600, 'hour');
  if (seconds >= 60 && seconds % 60 === 0) return plural(seconds / 60, 'minute');
  return plural(seconds, 'second');
}

/** The string items of a `MIDDLEWARE = [...]` list or tuple literal, or null when it is not all string literals. */
export function middlewareItems(value: Node): { node: Node; name: string }[] | null {
  const v = unparen(value);
  if (v.type !== 'list' && v.type !== 'tuple') return null;
  const out: { node: Node; name: string }[] = [];
  for (const c of v.namedChildren) {
    if (!c || c.type === 'comment') continue;
    const name = stringValue(c);
    if (name === null) return null;
    out.push({ node: c, name });
  }
  return out;
}

/**
 * Edit that inserts a string item after `anchor` in a list literal, one per line in a
 * multi-line list (after the anchor's trailing comma and any comment on that line), inline
 * otherwise. The new item uses the anchor's quote character.
 */
export function insertItemAfter(anchor: Node, item: string, ctx: RuleContext): { start: number; end: number; newText: string } {
  const quote = ctx.textOf(anchor).trim().startsWith("'") ? "'" : '"';
  const quoted = `${quote}${item}${quote}`;
  const list = anchor.parent!;
  const multiLine = list.startPosition.row !== anchor.startPosition.row;
  const comma = anchor.nextSibling?.type === ',' ? anchor.nextSibling : null;
  if (multiLine) {
    const lineStart = ctx.text.lastIndexOf('\n', anchor.startIndex - 1) + 1;
    const indent = ctx.text.slice(lineStart, anchor.startIndex);
    if (/^[ \t]*$/.test(indent)) {
      if (comma && comma.startPosition.row === anchor.endPosition.row) {
        let lineEnd = ctx.text.indexOf('\n', comma.endIndex);
        if (lineEnd === -1) lineEnd = ctx.text.length;
        if (ctx.text[lineEnd - 1] === '\r') lineEnd--;
        return { start: lineEnd, end: lineEnd, newText: `${ctx.eol}${indent}${quoted},` };
      }
      if (!comma) return { start: anchor.endIndex, end: anchor.endIndex, newText: `,${ctx.eol}${indent}${quoted}` };
    }
  }
  if (comma) return { start: comma.endIndex, end: comma.endIndex, newText: ` ${quoted},` };
  return { start: anchor.endIndex, end: anchor.endIndex, newText: `, ${quoted}` };
}

export interface DjangoSetting {
  entry: ConfigEntry;
  env: Environment | null;
  /** The literal the setting has when nothing is configured (the value or its environment default). */
  literal: Node;
  /** Set when `literal` is the default of an environment read. */
  fromEnv: EnvRead | null;
}

/**
 * Django settings `keys` set in a settings module by `node`: module level, or in a
 * django-configurations class named for production. Test configuration is left out; values
 * without a known literal (computed, or read from the environment without a default) too.
 */
export function djangoSettings(node: Node, ctx: RuleContext, keys: ReadonlySet<string>): DjangoSetting[] {
  const out: DjangoSetting[] = [];
  for (const entry of configEntries(node)) {
    if (!keys.has(entry.key)) continue;
    if (entry.form === 'class') {
      if (environmentOfName(entry.owner?.childForFieldName('name')?.text ?? '') !== 'production') continue;
    } else if (entry.form !== 'module') continue;
    const env = configEnvironment(entry, ctx);
    if (env === 'test') continue;
    const eff = effectiveValue(entry.value, ctx);
    if (!eff) continue;
    out.push({ entry, env, literal: eff.node, fromEnv: eff.fromEnv });
  }
  return out;
}

/**
 * Reports the Django boolean setting `key` where `node` turns it off: an explicit `False`
 * (high confidence, with `offMessage`) or a false default of an environment read (medium).
 * A literal `False` gets the unsafe fix to `True`.
 */
const singleKeys = new Map<string, ReadonlySet<string>>();

export function reportSettingOff(node: Node, ctx: RuleContext, key: string, offMessage: string): void {
  let keys = singleKeys.get(key);
  if (!keys) singleKeys.set(key, (keys = new Set([key])));
  for (const s of djangoSettings(node, ctx, keys)) {
    if (constantTruth(s.literal) !== false) continue;
    ctx.report(s.entry.at, {
      message: s.fromEnv ? `\`${key}\` defaults to off: it is read from the environment with a false default` : offMessage,
      confidence: s.fromEnv ? 'medium' : 'high',
      ...developmentOverride(s.env),
      fixes: isFalse(s.literal) ? [fix(s.fromEnv ? 'Default it to `True`' : 'Set it to `True`', 'unsafe', replace(s.literal, 'True'))] : [],
    });
  }
}
