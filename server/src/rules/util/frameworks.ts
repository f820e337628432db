// Framework configuration as the settings and template rules see it: where a setting such as
// `DEBUG` or `WTF_CSRF_ENABLED` is given a value (Django settings modules, Flask config
// classes, `app.config[...]`, `app.config.update(...)`), which objects a file constructs
// (`app = Flask(__name__)`), and whether the surrounding code is a test or development setup.
//
// The environment matters for precision: `SESSION_COOKIE_SECURE = False` in
// `class DevelopmentConfig` or `WTF_CSRF_ENABLED = False` next to `TESTING = True` is what the
// frameworks' own documentation recommends, while the same line in `settings.py` ships to
// production.

import type { FileFacts } from '../../engine/facts';
import type { Node } from '../../engine/parser';
import type { FilePart, RuleContext } from '../../engine/rule';
import { callArgs, dottedName, enclosingFunction, isTrue, nodesOfTypes, stringValue, treeMemo, unparen } from '../../engine/syntax';
import { words } from './names';

export function importsAny(facts: FileFacts, modules: readonly string[]): boolean {
  return modules.some((m) => facts.importedModules.has(m));
}

/** The web frameworks whose response objects share `set_cookie(key, value, ..., secure, httponly, samesite)`. */
export const COOKIE_FRAMEWORKS = ['django', 'flask', 'werkzeug', 'starlette', 'fastapi', 'quart', 'aiohttp', 'bottle'] as const;

export type Environment = 'test' | 'development' | 'production';

const TEST_WORDS = new Set(['test', 'tests', 'testing', 'ci', 'pytest']);
const DEV_WORDS = new Set(['dev', 'develop', 'development', 'local', 'debug']);
const PROD_WORDS = new Set(['prod', 'production', 'live', 'deploy', 'deployment', 'staging']);

/** The environment a name says it is for: `TestingConfig`, `settings_dev`, `ProductionConfig`. */
export function environmentOfName(name: string): Environment | null {
  const ws = words(name);
  if (ws.some((w) => TEST_WORDS.has(w))) return 'test';
  if (ws.some((w) => DEV_WORDS.has(w))) return 'development';
  if (ws.some((w) => PROD_WORDS.has(w))) return 'production';
  return null;
}

/**
 * The environment a module's file name says it is for: `settings/local.py`, `dev_settings.py`.
 * "debug" does not count here: `debug_views.py` ships to production like any other module.
 */
export function environmentOfPath(path: string): Environment | null {
  const base = (path.split(/[\\/]/).pop() ?? '').replace(/\.pyi?$/i, '');
  return environmentOfName(words(base).filter((w) => w !== 'debug').join('_'));
}

export type ConfigForm = 'module' | 'class' | 'config-item' | 'config-update';

/** One setting given a value. */
export interface ConfigEntry {
  key: string;
  /** The value, without redundant parentheses. */
  value: Node;
  /** What to report: the assignment, or the keyword argument or dict pair of an update call. */
  at: Node;
  form: ConfigForm;
  /** The class of a class-level setting, or the `config.update(...)` call. */
  owner: Node | null;
}

/** `app.config`, `current_app.config`, `self.app.config`: the Flask (and Quart) config mapping. */
function isConfigObject(node: Node | null): boolean {
  return !!node && node.type === 'attribute' && node.childForFieldName('attribute')?.text === 'config';
}

/** The value at the end of a chained assignment `a = b = value`. */
function finalValue(assign: Node): Node | null {
  let right = assign.childForFieldName('right');
  while (right && right.type === 'assignment') right = right.childForFieldName('right');
  return right ? unparen(right) : null;
}

/** The statement level of an assignment: 'module', the class it is a class attribute of, or null. */
function placement(assign: Node): 'module' | Node | null {
  let p = assign.parent;
  while (p && p.type === 'assignment') p = p.parent;
  if (p?.type !== 'expression_statement') return null;
  const parent = p.parent;
  if (parent?.type === 'module') return 'module';
  if (parent?.type === 'block' && parent.parent?.type === 'class_definition') return parent.parent;
  return null;
}

function updateEntries(call: Node, out: ConfigEntry[]): void {
  const args = callArgs(call);
  for (const [key, value] of args.keywords) out.push({ key, value: unparen(value), at: args.keywordNodes.get(key)!, form: 'config-update', owner: call });
  for (const arg of args.positional) {
    const a = unparen(arg);
    if (a.type === 'dictionary') {
      for (const pair of a.namedChildren) {
        if (pair?.type !== 'pair') continue;
        const key = stringValue(pair.childForFieldName('key'));
        const value = pair.childForFieldName('value');
        if (key !== null && value) out.push({ key, value: unparen(value), at: pair, form: 'config-update', owner: call });
      }
    } else if (a.type === 'call' && a.childForFieldName('function')?.text === 'dict') {
      const inner = callArgs(a);
      for (const [key, value] of inner.keywords) out.push({ key, value: unparen(value), at: inner.keywordNodes.get(key)!, form: 'config-update', owner: call });
    }
  }
}

/**
 * The settings an `assignment` or `call` node sets. Module-level and class-level assignments
 * count only when unconditional (a setting inside `if DEBUG:` is already environment-gated);
 * `app.config[...] = ...` and `app.config.update(...)` count anywhere, since they usually live
 * in an application factory.
 */
// Every settings rule asks about the same assignments and calls: answered once per node and tree.
const entriesMemo = treeMemo<ConfigEntry[]>();

export function configEntries(node: Node): ConfigEntry[] {
  return entriesMemo(node, node.id, () => readConfigEntries(node));
}

function readConfigEntries(node: Node): ConfigEntry[] {
  const out: ConfigEntry[] = [];
  if (node.type === 'assignment') {
    const left = node.childForFieldName('left');
    const value = finalValue(node);
    if (!left || !value) return out;
    if (left.type === 'identifier') {
      const where = placement(node);
      if (where === 'module') out.push({ key: left.text, value, at: node, form: 'module', owner: null });
      else if (where) out.push({ key: left.text, value, at: node, form: 'class', owner: where });
    } else if (left.type === 'subscript' && isConfigObject(left.childForFieldName('value'))) {
      const key = stringValue(left.childForFieldName('subscript'));
      if (key !== null) out.push({ key, value, at: node, form: 'config-item', owner: null });
    }
  } else if (node.type === 'call') {
    const fn = node.childForFieldName('function');
    const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : null;
    if ((method === 'update' || method === 'from_mapping') && isConfigObject(fn!.childForFieldName('object'))) updateEntries(node, out);
  }
  return out;
}

/**
 * The `app.config[...]` / `app.config.update(...)` entries made directly in `scope` (a function
 * or lambda; null for the module and class bodies), by key. Only that scope is read: a function's
 * own body, so that checking an entry in one function never reads another function.
 */
function scopeConfigEntries(scope: Node | null, ctx: RuleContext): Map<string, ConfigEntry[]> {
  const scopeId = scope?.id ?? -1;
  return ctx.memo(`frameworks:config-entries:${scopeId}`, () => {
    const map = new Map<string, ConfigEntry[]>();
    for (const n of nodesOfTypes(scope ?? ctx.root, ['assignment', 'call'])) {
      if ((enclosingFunction(n)?.id ?? -1) !== scopeId) continue;
      for (const e of configEntries(n)) {
        if (e.form !== 'config-item' && e.form !== 'config-update') continue;
        let list = map.get(e.key);
        if (!list) map.set(e.key, (list = []));
        list.push(e);
      }
    }
    return map;
  });
}

/**
 * The value another setting has in the same place as `entry`: the same module, the same
 * config class, the same `update()` call, or (for `app.config` forms) anywhere in the file.
 */
export function siblingSetting(entry: ConfigEntry, key: string, ctx: RuleContext): Node | null {
  switch (entry.form) {
    case 'module': {
      const assign = ctx.facts.moduleAssignments.get(key);
      return assign ? finalValue(assign) : null;
    }
    case 'class': {
      const body = entry.owner?.childForFieldName('body');
      let found: Node | null = null;
      for (const stmt of body?.namedChildren ?? []) {
        const a = stmt?.type === 'expression_statement' ? stmt.namedChildren[0] : null;
        if (a?.type === 'assignment' && a.childForFieldName('left')?.text === key) found = finalValue(a);
      }
      return found;
    }
    case 'config-update':
    case 'config-item': {
      if (entry.owner) {
        const own: ConfigEntry[] = [];
        updateEntries(entry.owner, own);
        const hit = own.find((e) => e.key === key);
        if (hit) return hit.value;
      }
      // Elsewhere in the same function (an application factory) or, at module level, the module.
      const list = scopeConfigEntries(enclosingFunction(entry.at), ctx).get(key) ?? [];
      return list.length ? list[list.length - 1]!.value : null;
    }
  }
}

/** `if app.debug:`, `if testing:`, `elif ENV == "development":` around the node (not `if not ...`). */
function guardEnvironment(node: Node, ctx: RuleContext): Environment | null {
  for (let n: Node | null = node, p = node.parent; p; n = p, p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'class_definition' || p.type === 'module') break;
    if ((p.type === 'if_statement' || p.type === 'elif_clause') && p.childForFieldName('consequence')?.id === n.id) {
      const condition = p.childForFieldName('condition');
      if (!condition) continue;
      const ws = words(ctx.textOf(condition));
      if (ws.includes('not')) continue;
      const env = environmentOfName(ctx.textOf(condition));
      if (env === 'test' || env === 'development') return env;
    }
  }
  return null;
}

/**
 * The environment a setting is made for, from the strongest signal: a test file, a test or
 * development module or config class, `TESTING = True` next to it, or an `if` on debug/test.
 */
export function configEnvironment(entry: ConfigEntry, ctx: RuleContext): Environment | null {
  if (ctx.file.isTest) return 'test';
  const fromPath = environmentOfPath(ctx.file.path);
  if (fromPath === 'test') return 'test';
  const className = entry.form === 'class' ? entry.owner?.childForFieldName('name')?.text : undefined;
  const fromClass = className ? environmentOfName(className) : null;
  if (fromClass === 'test') return 'test';
  if (isTrue(siblingSetting(entry, 'TESTING', ctx))) return 'test';
  const guard = guardEnvironment(entry.at, ctx);
  if (guard) return guard;
  return fromClass ?? fromPath;
}

/**
 * The constructors rules ask `isConstructedBy` about, by what they build. A rule asks by kind,
 * so every constructor asked about is in `TRACKED_CONSTRUCTORS`, and the file key of the rules
 * that ask (`constructedKey`) holds the objects built by these and nothing else.
 */
export const CONSTRUCTORS = {
  /** Flask (and Quart) applications: `app = Flask(__name__)`. */
  flaskApp: new Set(['flask.Flask', 'flask.app.Flask', 'quart.Quart']),
  /** FastAPI and Starlette applications. */
  asgiApp: new Set(['fastapi.FastAPI', 'fastapi.applications.FastAPI', 'starlette.applications.Starlette']),
  /** Flask-WTF's CSRF extension: `csrf = CSRFProtect(app)`. */
  csrfProtect: new Set(['flask_wtf.csrf.CSRFProtect', 'flask_wtf.CSRFProtect', 'flask_wtf.csrf.CsrfProtect', 'flask_wtf.CsrfProtect']),
  /** django-environ and environs readers: `env = environ.Env()`. */
  envReader: new Set(['environ.Env', 'environs.Env', 'environ.environ.Env']),
  /** Jinja2 environments: `env = Environment(...)`. */
  jinjaEnvironment: new Set(['jinja2.Environment', 'jinja2.environment.Environment']),
} satisfies Record<string, ReadonlySet<string>>;

export type ConstructedKind = keyof typeof CONSTRUCTORS;

/** Every constructor some rule asks about: the union of `CONSTRUCTORS`. */
export const TRACKED_CONSTRUCTORS: ReadonlySet<string> = new Set(Object.values(CONSTRUCTORS).flatMap((s) => [...s]));

/**
 * One region's objects built by a tracked constructor, as `[target, constructor]`: `app =
 * Flask(__name__)` gives `["app", "flask.Flask"]`, `self.env = Environment()` gives
 * `["self.env", "jinja2.Environment"]`.
 */
const CONSTRUCTED: FilePart<[string, string][]> = {
  name: 'frameworks:constructed',
  nodeTypes: ['assignment'],
  compute(nodes, ctx) {
    const out: [string, string][] = [];
    for (const n of nodes) {
      const target = dottedName(n.childForFieldName('left'));
      const value = finalValue(n);
      if (!target || value?.type !== 'call') continue;
      const name = ctx.callName(value);
      if (name && TRACKED_CONSTRUCTORS.has(name)) out.push([target, name]);
    }
    return out;
  },
};

/**
 * The last names of the tracked constructors (`Flask`, `Env`...). A call resolves to a qualified
 * name whose last part is spelled in the file (in the call, or in the import that binds it), so
 * a file without any of these constructs no tracked object: most files, which then skip the parts.
 */
const CONSTRUCTOR_NAMES = [...new Set([...TRACKED_CONSTRUCTORS].map((q) => q.slice(q.lastIndexOf('.') + 1)))];

/** Objects the file constructs with a tracked constructor, by the expression they are stored in. */
function constructedObjects(ctx: RuleContext): Map<string, Set<string>> {
  return ctx.memo('frameworks:constructed', () => {
    const map = new Map<string, Set<string>>();
    if (!CONSTRUCTOR_NAMES.some((n) => ctx.text.includes(n))) return map;
    for (const part of ctx.parts(CONSTRUCTED)) {
      for (const [target, name] of part) {
        let set = map.get(target);
        if (!set) map.set(target, (set = new Set()));
        set.add(name);
      }
    }
    return map;
  });
}

/**
 * The `fileKey` of the rules that call `isConstructedBy`: which expressions hold an object built
 * by a tracked constructor anywhere in the file. Shared (one function object), so computed once.
 */
export function constructedKey(ctx: RuleContext): string {
  return ctx.memo('frameworks:constructed-key', () => {
    const pairs: string[] = [];
    for (const [target, names] of constructedObjects(ctx)) for (const name of names) pairs.push(`${target}=${name}`);
    return pairs.sort().join(',');
  });
}

/**
 * Whether `expr` (an identifier or `self.x`) holds an object built by one of the constructors of
 * `kind` anywhere in this file. Rules that ask are local only with `fileKey: constructedKey`.
 */
export function isConstructedBy(expr: Node | null, kind: ConstructedKind, ctx: RuleContext): boolean {
  const key = dottedName(expr);
  if (!key) return false;
  const made = constructedObjects(ctx).get(key);
  if (!made) return false;
  const constructors = CONSTRUCTORS[kind];
  for (const m of made) if (constructors.has(m)) return true;
  return false;
}

/**
 * How a finding in development-only configuration is reported: still shown (a file named
 * `local_settings.py` is sometimes deployed), but as information with low confidence so that
 * `min-confidence = "medium"` hides it.
 */
export function developmentOverride(env: Environment | null): { confidence?: 'low'; severity?: 'info' } {
  return env === 'development' ? { confidence: 'low', severity: 'info' } : {};
}
