// Small scope questions the engine's file-level facts answer too coarsely for some rules:
// "is this `exec` / `print` really the builtin?" and "what was this local name assigned from?".
//
// `facts.boundNames` contains every name bound anywhere in the file, including method names
// inside classes, so `class Cursor: def exec(self)` would hide every call to the builtin
// `exec()`. The helpers here look only at the module's own top-level bindings and at the
// functions that enclose the call.

import { pushNamedChildren } from '../../engine/syntax';
import { functionBindings } from '../../engine/facts';
import type { Node } from '../../engine/parser';
import type { RuleContext } from '../../engine/rule';

/** Names bound at module level by def, class, assignment, for or with (not inside functions or classes). */
function moduleBindings(ctx: RuleContext): Set<string> {
  return ctx.memo('bindings:module', () => {
    const out = new Set<string>();
    const visit = (stmts: Node[]): void => {
      for (const s of stmts) {
        switch (s.type) {
          case 'function_definition':
          case 'class_definition': {
            const name = s.childForFieldName('name');
            if (name) out.add(name.text);
            break;
          }
          case 'decorated_definition':
            visit([s.childForFieldName('definition')].filter((d): d is Node => !!d));
            break;
          case 'expression_statement': {
            for (let a: Node | null = s.namedChildren[0] ?? null; a && (a.type === 'assignment' || a.type === 'augmented_assignment'); a = a.childForFieldName('right')) {
              const left = a.childForFieldName('left');
              if (left?.type === 'identifier') out.add(left.text);
            }
            break;
          }
          case 'if_statement':
          case 'try_statement':
          case 'with_statement':
          case 'for_statement':
          case 'while_statement':
          case 'else_clause':
          case 'elif_clause':
          case 'except_clause':
          case 'finally_clause':
          case 'block':
            // Module-level code under if/try still binds module names.
            visit(s.namedChildren.filter((c): c is Node => !!c && (c.type === 'block' || c.type.endsWith('_clause') || c.type.endsWith('_statement') || c.type.endsWith('definition'))));
            break;
        }
      }
    };
    visit(ctx.root.namedChildren.filter((c): c is Node => !!c));
    return out;
  });
}

/**
 * Whether `call` calls the builtin `name` (`exec`, `print`): the callee is that bare name (or
 * `builtins.name`) and neither an import, a module-level definition nor a local of an
 * enclosing function rebinds it.
 */
export function isBuiltinCall(call: Node, name: string, ctx: RuleContext): boolean {
  const fn = call.childForFieldName('function');
  if (!fn) return false;
  if (fn.type === 'attribute') return ctx.resolve(fn) === `builtins.${name}`;
  if (fn.type !== 'identifier' || fn.text !== name) return false;
  const imported = ctx.facts.imports.get(name);
  if (imported) return imported.qualified === `builtins.${name}`;
  if (moduleBindings(ctx).has(name)) return false;
  for (let n = call.parent; n; n = n.parent) {
    if (n.type !== 'function_definition' && n.type !== 'lambda') continue;
    const fn = n;
    if (ctx.memo(`bindings:function:${fn.id}`, () => functionBindings(fn)).has(name)) return false;
  }
  return true;
}

/**
 * Values assigned to the local `name` before `use`, in the function that contains `use` (or the
 * module): `x = value` and `with value as x`. Nested functions and classes are not searched.
 */
export function assignedValues(name: string, use: Node): Node[] {
  let scope: Node | null = use.parent;
  while (scope && scope.type !== 'function_definition' && scope.type !== 'module') scope = scope.parent;
  if (!scope) return [];
  const body = scope.type === 'module' ? scope : scope.childForFieldName('body');
  const out: Node[] = [];
  const stack: Node[] = body ? [body] : [];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.startIndex >= use.startIndex) continue;
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') continue;
    if (n.type === 'assignment') {
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (left?.type === 'identifier' && left.text === name && right) out.push(right);
    } else if (n.type === 'as_pattern') {
      const alias = n.childForFieldName('alias');
      const target = alias?.namedChildren[0];
      const value = n.namedChildren[0];
      if (target?.type === 'identifier' && target.text === name && value) out.push(value);
    }
    pushNamedChildren(stack, n);
  }
  return out;
}
