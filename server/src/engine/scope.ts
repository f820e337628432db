// Python's scopes, as the rules need them: which scope a name is read from, what that scope
// binds it to, whether a call is the builtin of that name, whether a value is a constant, and
// whether a fix may refer to an imported module by a given name.
//
// `FileFacts.boundNames` pools every binding of the file, so one method called `eval` in any
// class would hide every builtin `eval(...)` call from `ctx.resolve`. The questions here look
// only at the scopes Python actually consults for a name: the enclosing functions, the class
// body a statement sits in directly, and the module. Each scope is read once per file and
// memoised with `ctx.memo`, so a question costs the memoised climb to the enclosing function
// plus a few map lookups.

import { functionBindingsIn } from './facts';
import type { Node } from './parser';
import type { ImportRef, RuleContext } from './rule';
import { enclosingClassBody, enclosingFunction, isConstant, parameterNames, pushNamedChildren, stringValue, targetNames, unparen } from './syntax';

/** One binding of a name to a value we can see. */
export interface Assignment {
  /** The binding node: an assignment, an augmented assignment, or the `as_pattern` of `with v as name`. */
  node: Node;
  /** What is bound: the innermost right-hand side of `a = b = value`, or the expression before `as`. */
  value: Node;
  /** `name += value`: the value extends what the name held instead of replacing it. */
  augmented: boolean;
  /** `with value as name` / `except value as name`: the name holds what `value` gives, not `value` itself. */
  viaAs: boolean;
}

/** What one scope (a module, a class body or a function body) binds. */
interface ScopeBindings {
  /**
   * Values for "is this a constant": `name = value`, `name += value`, and each item of
   * `for name in ("ls", "pwd")`, which binds only those constants. Source order.
   */
  values: Map<string, Node[]>;
  /** `=`, `+=` and `as` bindings of identifiers in source order, for questions about one use. */
  assignments: Map<string, Assignment[]>;
  /** Names bound in ways whose value we cannot follow: loops, `as`, `:=`, unpacking, defs, `global`. */
  opaque: Set<string>;
  /** Names bound by imports; apart from `opaque` because `from builtins import eval` still binds the builtin. */
  imported: Set<string>;
}

const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

function push<T>(map: Map<string, T[]>, name: string, item: T): void {
  let list = map.get(name);
  if (!list) map.set(name, (list = []));
  list.push(item);
}

/**
 * Collects the bindings made directly in a scope, without descending into nested functions,
 * classes or comprehensions: their bindings are not visible here (except `:=`, which Python
 * binds in the enclosing scope; comprehensions are scanned for it and it stays opaque).
 */
function scopeBindings(scope: Node, ctx: RuleContext): ScopeBindings {
  return ctx.memo(`scope:${scope.id}`, () => {
    const out: ScopeBindings = { values: new Map(), assignments: new Map(), opaque: new Set(), imported: new Set() };
    const opaque = (target: Node | null | undefined): void => {
      if (!target) return;
      if (target.type === 'identifier') out.opaque.add(target.text);
      else if (target.type !== 'attribute' && target.type !== 'subscript') for (const n of targetNames(target)) out.opaque.add(n);
    };
    const stack: Node[] = [];
    pushNamedChildren(stack, scope);
    while (stack.length) {
      const n = stack.pop()!;
      switch (n.type) {
        case 'function_definition':
        case 'class_definition':
          opaque(n.childForFieldName('name'));
          continue;
        case 'lambda':
          continue;
        case 'assignment':
        case 'augmented_assignment': {
          const left = n.childForFieldName('left');
          let right = n.childForFieldName('right');
          // `a = b = "x"` binds both names to the innermost right-hand side.
          while (right?.type === 'assignment') right = right.childForFieldName('right');
          if (left?.type === 'identifier') {
            if (right) {
              push(out.values, left.text, right);
              push(out.assignments, left.text, { node: n, value: right, augmented: n.type === 'augmented_assignment', viaAs: false });
            }
          } else opaque(left);
          break;
        }
        case 'for_statement': {
          // `for cmd in ("ls", "pwd"):` takes only the listed constants.
          const left = n.childForFieldName('left');
          const right = n.childForFieldName('right');
          const items = right ? unparen(right) : null;
          if (left?.type === 'identifier' && items && ['list', 'tuple', 'set'].includes(items.type) && isConstant(items)) {
            for (const item of items.namedChildren) if (item && item.type !== 'comment') push(out.values, left.text, item);
          } else opaque(left);
          break;
        }
        case 'as_pattern': {
          // `with open(p) as f`, `except E as e`: followed by questions about a use, opaque otherwise.
          const target = n.childForFieldName('alias')?.namedChildren[0];
          const value = n.namedChildren[0];
          if (target?.type === 'identifier' && value) push(out.assignments, target.text, { node: n, value, augmented: false, viaAs: true });
          break;
        }
        case 'as_pattern_target':
          opaque(n.namedChildren[0]);
          break;
        case 'named_expression':
          opaque(n.childForFieldName('name'));
          break;
        case 'global_statement':
        case 'nonlocal_statement':
          for (const c of n.namedChildren) opaque(c);
          continue;
        case 'import_statement':
        case 'import_from_statement':
          for (const name of n.childrenForFieldName('name')) {
            if (!name) continue;
            const alias = name.type === 'aliased_import' ? name.childForFieldName('alias') : null;
            out.imported.add((alias?.text ?? name.text).split('.')[0]!);
          }
          continue;
      }
      // Comprehensions have their own scope; only a `:=` inside one leaks out.
      if (COMPREHENSIONS.has(n.type)) {
        const inner: Node[] = [n];
        while (inner.length) {
          const m = inner.pop()!;
          if (m.type === 'named_expression') opaque(m.childForFieldName('name'));
          for (const c of m.namedChildren) if (c && c.type !== 'lambda') inner.push(c);
        }
        continue;
      }
      pushNamedChildren(stack, n);
    }
    return out;
  });
}

function bindsIn(scope: Node, name: string, ctx: RuleContext, countImports = true): boolean {
  const b = scopeBindings(scope, ctx);
  return b.values.has(name) || b.opaque.has(name) || (countImports && b.imported.has(name));
}

/** Names a function binds locally (parameters included), once per function. */
function functionLocals(fn: Node, ctx: RuleContext): Set<string> {
  return ctx.memo(`fn-bindings:${fn.id}`, () => functionBindingsIn(fn, ctx.text));
}

function isWithin(node: Node, ancestor: Node): boolean {
  return node.startIndex >= ancestor.startIndex && node.endIndex <= ancestor.endIndex;
}

/**
 * Whether the identifier `name` at `at` refers to the Python builtin of that name: nothing
 * imported under that name other than the builtin itself (`from builtins import eval`), and no
 * enclosing function, class body or the module rebinds it.
 */
export function isBuiltinName(at: Node, name: string, ctx: RuleContext): boolean {
  const imported = ctx.facts.imports.get(name);
  const importsBuiltin = imported?.qualified === `builtins.${name}`;
  if (imported && !importsBuiltin) return false;
  for (let fn = enclosingFunction(at); fn; fn = enclosingFunction(fn)) {
    if (functionLocals(fn, ctx).has(name)) return false;
  }
  const classBody = enclosingClassBody(at);
  if (classBody && bindsIn(classBody, name, ctx, !importsBuiltin)) return false;
  return !bindsIn(at.tree.rootNode, name, ctx, !importsBuiltin);
}

/** The builtin `call` calls (`len` for `len(x)` and `builtins.len(x)`), or null when it calls anything else. */
export function builtinCalled(call: Node, ctx: RuleContext): string | null {
  const fn = call.childForFieldName('function');
  if (!fn) return null;
  if (fn.type === 'identifier') return isBuiltinName(fn, fn.text, ctx) ? fn.text : null;
  // `builtins.eval(...)` through `import builtins` (callName: resolved once per call).
  const name = ctx.callName(call);
  return name?.startsWith('builtins.') ? name.slice('builtins.'.length) : null;
}

/** Whether `call` calls the builtin `name` (`eval(...)`, not `model.eval()` or a local `eval`). */
export function isBuiltinCall(call: Node, name: string, ctx: RuleContext): boolean {
  const fn = call.childForFieldName('function');
  // Most calls are not even spelled `name`: answer those without looking at any scope.
  if (fn?.type === 'identifier' && fn.text !== name) return false;
  if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text !== name) return false;
  return builtinCalled(call, ctx) === name;
}

/**
 * Whether a fix may write `imp.ref` (e.g. `shlex.split` or `ast.literal_eval`) at `at`. A local
 * variable of the same name would shadow the import, and a newly added `import shlex` must
 * not replace some other module-level binding called `shlex`.
 */
export function canUseImport(imp: ImportRef, at: Node, ctx: RuleContext): boolean {
  const head = imp.ref.split('.')[0]!;
  for (let fn = enclosingFunction(at); fn; fn = enclosingFunction(fn)) {
    if (functionLocals(fn, ctx).has(head)) return false;
  }
  const module = scopeBindings(at.tree.rootNode, ctx);
  if (module.values.has(head)) return false;
  // An existing import is what we want, if it is visible here: `requireImport` also finds
  // imports made inside some other function.
  if (imp.edits.length === 0) {
    const binding = ctx.facts.imports.get(head);
    const importScope = binding ? enclosingFunction(binding.node) : null;
    return !importScope || isWithin(at, importScope);
  }
  return !module.opaque.has(head) && !module.imported.has(head) && !ctx.facts.imports.has(head);
}

/**
 * The scope whose binding a read of `id` sees: the innermost enclosing function that binds
 * the name, else the module. Null when that binding is a parameter.
 */
function bindingScope(id: Node, ctx: RuleContext): Node | null {
  const name = id.text;
  for (let fn = enclosingFunction(id); fn; fn = enclosingFunction(fn)) {
    if (parameterNames(fn).includes(name)) return null;
    if (fn.type === 'lambda') continue;
    const body = fn.childForFieldName('body');
    if (!body) return null;
    if (bindsIn(body, name, ctx)) return body;
  }
  return id.tree.rootNode;
}

/**
 * Every value assigned to the name `id` reads, in the scope Python resolves it in. Null when
 * that binding is one we cannot follow: a parameter, a loop or `with` target, an unpacking, an
 * import, or no assignment at all. All assignments count, not only those before the read: a
 * loop can carry a later assignment back to an earlier read.
 */
export function bindingValues(id: Node, ctx: RuleContext): Node[] | null {
  const scope = bindingScope(id, ctx);
  if (!scope) return null;
  const b = scopeBindings(scope, ctx);
  if (b.opaque.has(id.text) || b.imported.has(id.text)) return null;
  return b.values.get(id.text) ?? null;
}

/**
 * Whether `id` reads a module-level name every binding of which is a string literal
 * (`TABLE = "users"`), not shadowed by an enclosing function.
 */
export function isModuleStringConstant(id: Node, ctx: RuleContext): boolean {
  if (bindingScope(id, ctx)?.type !== 'module') return false;
  const values = bindingValues(id, ctx);
  return !!values && values.every((v) => stringValue(v) !== null);
}

/**
 * The function body (or the module) in whose source order a read of `use` is followed, or
 * null when an enclosing lambda binds the name as a parameter. A lambda cannot assign, so a
 * name read inside one is its enclosing function's. A read directly in a class body is
 * followed in the enclosing function or module.
 */
export function readScope(use: Node): Node | null {
  let fn = enclosingFunction(use);
  while (fn?.type === 'lambda') {
    if (parameterNames(fn).includes(use.text)) return null;
    fn = enclosingFunction(fn);
  }
  return fn ? fn.childForFieldName('body') : use.tree.rootNode;
}

function bindingsBefore(use: Node, ctx: RuleContext): Assignment[] {
  const scope = readScope(use);
  const all = scope ? scopeBindings(scope, ctx).assignments.get(use.text) : undefined;
  return all ? all.filter((a) => a.node.endIndex <= use.startIndex) : [];
}

/**
 * `=` and `+=` assignments to the identifier `use`, made in its scope before it, in source
 * order: how `q = f"..."; q += "..."; cursor.execute(q)` built the query.
 */
export function assignmentsBefore(use: Node, ctx: RuleContext): Assignment[] {
  return bindingsBefore(use, ctx).filter((a) => !a.viaAs);
}

/**
 * What the identifier `use` may hold as an object: the values given to it before `use` in its
 * scope by `name = value` or `with value as name`, in source order (`+=` does not replace it).
 */
export function valuesBefore(use: Node, ctx: RuleContext): Node[] {
  return bindingsBefore(use, ctx)
    .filter((a) => !a.augmented)
    .map((a) => a.value);
}

/**
 * Constant forms some rules accept beyond these (templates accept translated messages).
 * `isConst` is the full test, extension included, for the parts of `node`.
 */
export type ConstantExtension = (node: Node, isConst: (part: Node | null | undefined) => boolean) => boolean;

const MAX_DEPTH = 8;

/**
 * Whether `node` always evaluates to the same value: a literal, an operation on constants, an
 * f-string whose fields are constant, or a name every value of which (`bindingValues`) is such
 * a constant, module-level string constants included. Parameters, loop variables and anything
 * unpacked are not.
 */
export function isConstantValue(node: Node | null | undefined, ctx: RuleContext, extension?: ConstantExtension, depth = 0): boolean {
  if (!node || depth > MAX_DEPTH) return false;
  const n = unparen(node);
  if (isConstant(n)) return true;
  const sub = (c: Node | null | undefined): boolean => isConstantValue(c, ctx, extension, depth + 1);
  let constant: boolean;
  switch (n.type) {
    case 'identifier': {
      const values = bindingValues(n, ctx);
      constant = !!values && values.every(sub);
      break;
    }
    case 'binary_operator':
      constant = sub(n.childForFieldName('left')) && sub(n.childForFieldName('right'));
      break;
    case 'conditional_expression': {
      const [body, , alternative] = n.namedChildren;
      constant = sub(body) && sub(alternative);
      break;
    }
    case 'string':
      // An f-string: constant when every replacement field is.
      constant = n.namedChildren.every((c) => !c || c.type !== 'interpolation' || sub(c.childForFieldName('expression')));
      break;
    case 'concatenated_string':
    case 'list':
    case 'tuple':
      constant = n.namedChildren.every((c) => !c || c.type === 'comment' || sub(c));
      break;
    default:
      constant = false;
  }
  return constant || (!!extension && extension(n, sub));
}

/** Python truthiness of a literal (`True`, `1`, `"x"`, `[]`, `None`...), or null when not a literal. */
export function constantTruth(node: Node | null | undefined): boolean | null {
  if (!node) return null;
  const n = unparen(node);
  switch (n.type) {
    case 'true':
      return true;
    case 'false':
    case 'none':
      return false;
    case 'integer':
    case 'float': {
      const t = n.text.toLowerCase().replace(/_/g, '');
      if (/^0[xob]/.test(t)) return /[1-9a-f]/.test(t.slice(2));
      return /[1-9]/.test(t.replace(/[jl]$/, '').replace(/e[-+]?\d+$/, ''));
    }
    case 'string':
    case 'concatenated_string': {
      const v = stringValue(n);
      return v === null ? null : v.length > 0;
    }
    case 'list':
    case 'tuple':
    case 'dictionary':
    case 'set':
      return isConstant(n) ? n.namedChildren.some((c) => c && c.type !== 'comment') : null;
    default:
      return null;
  }
}
