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
import type { RuleContext } from '../../engine/rule';
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

/** Every `app.config[...]` / `app.config.update(...)` entry in the file, by key. */
function fileConfigEntries(ctx: RuleContext): Map<string, ConfigEntry[]> {
  return ctx.memo('frameworks:config-entries', () => {
    const map = new Map<string, ConfigEntry[]>();
    for (const n of nodesOfTypes(ctx.root, ['assignment', 'call'])) {
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
      const scope = enclosingFunction(entry.at)?.id ?? -1;
      const list = (fileConfigEntries(ctx).get(key) ?? []).filter((e) => (enclosingFunction(e.at)?.id ?? -1) === scope);
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
 * Objects the file constructs, by the expression they are stored in: `app = Flask(__name__)`
 * gives `app -> {flask.Flask}`, `self.env = Environment()` gives `self.env -> {jinja2.Environment}`.
 */
export function constructedObjects(ctx: RuleContext): Map<string, Set<string>> {
  return ctx.memo('frameworks:constructed', () => {
    const map = new Map<string, Set<string>>();
    for (const n of nodesOfTypes(ctx.root, ['assignment'])) {
      const target = dottedName(n.childForFieldName('left'));
      const value = finalValue(n);
      if (target && value?.type === 'call') {
        const name = ctx.callName(value);
        if (name) {
          let set = map.get(target);
          if (!set) map.set(target, (set = new Set()));
          set.add(name);
        }
      }
    }
    return map;
  });
}

/** Whether `expr` (an identifier or `self.x`) holds an object built by one of `constructors` in this file. */
export function isConstructedBy(expr: Node | null, constructors: ReadonlySet<string>, ctx: RuleContext): boolean {
  const key = dottedName(expr);
  if (!key) return false;
  const made = constructedObjects(ctx).get(key);
  return !!made && [...made].some((m) => constructors.has(m));
}

/**
 * How a finding in development-only configuration is reported: still shown (a file named
 * `local_settings.py` is sometimes deployed), but as information with low confidence so that
 * `min-confidence = "medium"` hides it.
 */
export function developmentOverride(env: Environment | null): { confidence?: 'low'; severity?: 'info' } {
  return env === 'development' ? { confidence: 'low', severity: 'info' } : {};
}
