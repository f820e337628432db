// Calls outside every `def`: module- and class-level code, decorators, module-level lambdas.
// Rules whose answer for such a call reads the text of the functions around it (a regex over
// "everything before the call") are local with a `fileKey` that re-computes those answers; this
// is the walk that finds the calls, cheaper than a walk of the file: no function body is entered.

import { rememberParents, type Node } from '../../engine/parser';
import type { RuleContext } from '../../engine/rule';
import { namedTypeIds } from '../../engine/syntax';

/** The calls not inside any `function_definition` (lambdas are entered), in text order. */
export function callsOutsideFunctions(ctx: RuleContext): readonly Node[] {
  return ctx.memo('util:calls-outside-functions', () => {
    const table = namedTypeIds(ctx.root.tree.language);
    const calls = new Set(table.get('call') ?? []);
    const functions = new Set(table.get('function_definition') ?? []);
    const out: Node[] = [];
    const cursor = ctx.root.walk();
    try {
      for (;;) {
        const type = cursor.nodeTypeId;
        if (calls.has(type)) {
          out.push(cursor.currentNode);
          // Their climbs (to the enclosing function, the statement) are then answered from the cache.
          rememberParents(cursor, ctx.root.tree);
        }
        if (!functions.has(type) && cursor.gotoFirstChild()) continue;
        while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return out;
      }
    } finally {
      cursor.delete();
    }
  });
}
