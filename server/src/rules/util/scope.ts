// Scope-aware name questions that the file-wide import model cannot answer on its own:
// is this `eval` the builtin, is this name only ever assigned constants, can a fix refer to
// an imported module by this name here.
//
// `FileFacts.boundNames` pools every binding of the file, so one method called `eval` in any
// class would hide every builtin `eval(...)` call from `ctx.resolve`. These helpers look only
// at the scopes Python actually consults for a name: the enclosing functions, the class body
// a statement sits in directly, and the module.

import { functionBindings } from '../../engine/facts';
import type { Node } from '../../engine/parser';
import type { ImportRef, RuleContext } from '../../engine/rule';
import { enclosingFunction, isConstant, parameterNames, pushNamedChildren, stringValue, targetNames, unparen } from '../../engine/syntax';

/** Names assigned in one scope: the assigned values, and names bound in ways we cannot follow. */
export interface ScopeAssignments {
  /** `name = value` and `name += value` (identifier targets only), in source order. */
  values: Map<string, Node[]>;
  /** Names bound by loops, `with ... as`, `except ... as`, `:=`, unpacking, imports, defs, `global`. */
  opaque: Set<string>;
}

const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

/**
 * Collects the assignments made directly in a scope (a module, a class body, or a function
 * body), without descending into nested functions, classes or comprehensions: their
 * bindings are not visible here (except `:=`, which Python binds in the enclosing scope; we
 * keep it opaque by scanning comprehensions for it).
 */
export function scopeAssignments(scope: Node, ctx: RuleContext): ScopeAssignments {
  return ctx.memo(`scope-assign:${scope.id}`, () => {
    const out: ScopeAssignments = { values: new Map(), opaque: new Set() };
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
          // `a = b = "x"`: the value is the innermost right-hand side.
          while (right?.type === 'assignment') right = right.childForFieldName('right');
          if (left?.type === 'identifier') {
            if (right) {
              let list = out.values.get(left.text);
              if (!list) out.values.set(left.text, (list = []));
              list.push(right);
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
            let list = out.values.get(left.text);
            if (!list) out.values.set(left.text, (list = []));
            for (const item of items.namedChildren) if (item && item.type !== 'comment') list.push(item);
          } else opaque(left);
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
            out.opaque.add((alias?.text ?? name.text).split('.')[0]!);
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

function isWithin(node: Node, ancestor: Node): boolean {
  return node.startIndex >= ancestor.startIndex && node.endIndex <= ancestor.endIndex;
}

/** The class body a node sits in directly (not through a method), or null. */
function enclosingClassBody(node: Node): Node | null {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'lambda') return null;
    if (n.type === 'class_definition') return n.childForFieldName('body');
  }
  return null;
}

function boundIn(scope: Node, name: string, ctx: RuleContext): boolean {
  const a = scopeAssignments(scope, ctx);
  return a.values.has(name) || a.opaque.has(name);
}

/**
 * Whether the identifier `name` at `at` refers to the Python builtin of that name: it is not
 * imported from elsewhere and no enclosing function, class body or the module rebinds it.
 */
export function isBuiltinName(at: Node, name: string, ctx: RuleContext): boolean {
  const imported = ctx.facts.imports.get(name);
  if (imported && imported.qualified !== `builtins.${name}`) return false;
  for (let fn = enclosingFunction(at); fn; fn = enclosingFunction(fn)) {
    if (ctx.memo(`fn-bindings:${fn.id}`, () => functionBindings(fn)).has(name)) return false;
  }
  const classBody = enclosingClassBody(at);
  if (classBody && boundIn(classBody, name, ctx)) return false;
  return !boundIn(at.tree.rootNode, name, ctx);
}

/** Whether `call` calls the builtin `name` (`eval(...)`, not `model.eval()` or a local `eval`). */
export function isBuiltinCall(call: Node, name: string, ctx: RuleContext): boolean {
  const fn = call.childForFieldName('function');
  if (!fn) return false;
  if (fn.type === 'identifier') return fn.text === name && isBuiltinName(fn, name, ctx);
  // `builtins.eval(...)` through `import builtins`.
  return ctx.resolve(fn) === `builtins.${name}`;
}

/**
 * Whether a fix may write `imp.ref` (e.g. `shlex.split` or `ast.literal_eval`) at `at`. A local
 * variable of the same name would shadow the import, and a newly added `import shlex` must
 * not replace some other module-level binding called `shlex`.
 */
export function canUseImport(imp: ImportRef, at: Node, ctx: RuleContext): boolean {
  const head = imp.ref.split('.')[0]!;
  for (let fn = enclosingFunction(at); fn; fn = enclosingFunction(fn)) {
    if (ctx.memo(`fn-bindings:${fn.id}`, () => functionBindings(fn)).has(head)) return false;
  }
  const module = scopeAssignments(at.tree.rootNode, ctx);
  if (module.values.has(head)) return false;
  // An existing import is what we want, if it is visible here: `requireImport` also finds
  // imports made inside some other function.
  if (imp.edits.length === 0) {
    const binding = ctx.facts.imports.get(head);
    const importScope = binding ? enclosingFunction(binding.node) : null;
    return !importScope || isWithin(at, importScope);
  }
  return !module.opaque.has(head) && !ctx.facts.imports.has(head);
}

const MAX_DEPTH = 8;

/**
 * The values assigned to the name `id` reads, in the scope Python resolves it in (the
 * innermost enclosing function that binds it, else the module). Null when that binding is
 * one we cannot follow: a parameter, a loop or `with` target, an unpacking, an import, or no
 * assignment at all.
 */
export function bindingValues(id: Node, ctx: RuleContext): Node[] | null {
  const name = id.text;
  for (let fn = enclosingFunction(id); fn; fn = enclosingFunction(fn)) {
    if (parameterNames(fn).includes(name)) return null;
    if (fn.type === 'lambda') continue;
    const body = fn.childForFieldName('body');
    if (!body) return null;
    const scope = scopeAssignments(body, ctx);
    if (scope.opaque.has(name)) return null;
    const values = scope.values.get(name);
    if (values) return values;
  }
  const module = scopeAssignments(id.tree.rootNode, ctx);
  if (module.opaque.has(name)) return null;
  return module.values.get(name) ?? null;
}

function isConstantName(id: Node, ctx: RuleContext, depth: number): boolean {
  const values = bindingValues(id, ctx);
  return !!values && values.every((v) => isConstantValue(v, ctx, depth + 1));
}

/**
 * Whether `node` always evaluates to the same value: a literal, an operation on literals, an
 * f-string whose fields are constant, or a name every assignment of which (in the scope that
 * binds it) is such a constant. Parameters, loop variables and anything unpacked are not.
 * All assignments count, not only those before the use, because a loop can carry a later
 * assignment back to an earlier read.
 */
export function isConstantValue(node: Node | null | undefined, ctx: RuleContext, depth = 0): boolean {
  if (!node || depth > MAX_DEPTH) return false;
  const n = unparen(node);
  if (isConstant(n)) return true;
  switch (n.type) {
    case 'identifier':
      return isConstantName(n, ctx, depth);
    case 'binary_operator':
      return isConstantValue(n.childForFieldName('left'), ctx, depth + 1) && isConstantValue(n.childForFieldName('right'), ctx, depth + 1);
    case 'conditional_expression': {
      const [body, , alternative] = n.namedChildren;
      return isConstantValue(body, ctx, depth + 1) && isConstantValue(alternative, ctx, depth + 1);
    }
    case 'string':
      // An f-string: constant when every replacement field is.
      return n.namedChildren.every((c) => !c || c.type !== 'interpolation' || isConstantValue(c.childForFieldName('expression'), ctx, depth + 1));
    case 'concatenated_string':
      return n.namedChildren.every((c) => !c || c.type === 'comment' || isConstantValue(c, ctx, depth + 1));
    case 'list':
    case 'tuple':
      return n.namedChildren.every((c) => !c || c.type === 'comment' || isConstantValue(c, ctx, depth + 1));
    default:
      return false;
  }
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
