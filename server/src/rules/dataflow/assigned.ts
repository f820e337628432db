// What a local name was assigned in its scope: `parser = etree.XMLParser(...)` before
// `etree.fromstring(data, parser)`, `resp = make_response(...)` before `resp.headers[...] = v`.
// Syntax only (no taint): the pattern checks of the 9xx rules that need to know what kind of
// object a name holds.

import type { Node } from '../../engine/parser';
import type { RuleContext } from '../../engine/rule';
import { enclosingFunction, unparen } from '../../engine/syntax';

/**
 * The values assigned to `name` (`name = value`, `name: T = value`) in the function around
 * `at`, nested functions and classes left out; when that function assigns none (or `at` is at
 * module level), those of the module.
 */
export function assignedValues(name: string, at: Node, ctx: RuleContext): Node[] {
  const fn = enclosingFunction(at);
  const body = fn?.childForFieldName('body');
  const local = body ? table(body, ctx).get(name) : undefined;
  return local ?? table(ctx.root, ctx).get(name) ?? [];
}

/** Name -> assigned values of one scope, memoised per file. */
function table(scope: Node, ctx: RuleContext): Map<string, Node[]> {
  return ctx.memo(`dataflow:assigned:${scope.id}`, () => {
    const map = new Map<string, Node[]>();
    const stack: Node[] = [scope];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') continue;
      if (n.type === 'assignment') {
        const left = n.childForFieldName('left');
        let right = n.childForFieldName('right');
        while (right?.type === 'assignment') right = right.childForFieldName('right');
        if (left?.type === 'identifier' && right) {
          const list = map.get(left.text) ?? [];
          list.push(unparen(right));
          map.set(left.text, list);
        }
      }
      for (const c of n.namedChildren) if (c) stack.push(c);
    }
    return map;
  });
}
