// pysnmp entry points, also through `from pysnmp.hlapi import *` (the usual import in examples).

import type { Node } from '../../engine/parser';
import type { RuleContext } from '../../engine/rule';

/** Whether `call` constructs pysnmp's `cls` (`CommunityData`, `UsmUserData`). */
export function isPysnmpCall(call: Node, cls: string, ctx: RuleContext): boolean {
  const name = ctx.callName(call);
  if (!name) return false;
  if (name.startsWith('pysnmp.') && name.endsWith(`.${cls}`)) return true;
  return name === cls && ctx.facts.starImports.some((m) => m === 'pysnmp' || m.startsWith('pysnmp.'));
}

/** The pysnmp constant `node` names (`usmDESPrivProtocol`), through imports or a star import. */
export function pysnmpConstant(node: Node | null | undefined, ctx: RuleContext): string | null {
  if (!node) return null;
  const q = ctx.resolve(node);
  if (!q) return null;
  if (q.startsWith('pysnmp.')) return q.slice(q.lastIndexOf('.') + 1);
  if (!q.includes('.') && ctx.facts.starImports.some((m) => m.startsWith('pysnmp'))) return q;
  return null;
}
