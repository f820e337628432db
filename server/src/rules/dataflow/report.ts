// Shared reporting for the 9xx taint rules: one finding per sink argument, its message naming
// the best source, and related locations for the source, the functions the data went through
// and the call sites that carried it into the sink's function.

import type { Node } from '../../engine/parser';
import type { RuleContext } from '../../engine/rule';
import { taintFlows, type Flow, type SinkKind } from '../../engine/taint';
import { lower } from '../../engine/taint/types';
import type { Confidence, Fix } from '../../engine/types';

function short(text: string): string {
  const t = text.replace(/\s+/g, ' ');
  return t.length > 40 ? `${t.slice(0, 37)}…` : t;
}

function line(node: Node): number {
  return node.startPosition.row + 1;
}

/** "`request.args` (line 12) through `build()` (line 30)". */
export function describeFlow(flow: Flow): string {
  const o = flow.origin;
  let s = `${o.label.startsWith('`') || /\s/.test(o.label) ? o.label : `\`${o.label}\``} (line ${line(o.node)})`;
  for (const step of o.steps) s += ` ${step.message} (line ${line(step.at)})`;
  return s;
}

/**
 * Reports `arg` at `at` when untrusted data reaches it. `what` names the sink
 * ("the SQL query of `cursor.execute()`"). Returns whether it reported.
 */
export function reportFlows(ctx: RuleContext, at: Node, arg: Node | null | undefined, kind: SinkKind, what: string, confidence?: Confidence, fixes?: () => Fix[]): boolean {
  const flows = taintFlows(ctx, arg, kind);
  if (flows.length === 0) return false;
  const best = flows[0]!;
  const value = arg ? short(ctx.textOf(arg)) : '';
  const via = best.calls.length ? `, passed in by the call on line ${line(best.calls[best.calls.length - 1]!.at)}` : '';
  const related: { at: Node; message: string }[] = [];
  for (const f of flows.slice(0, 3)) {
    related.push({ at: f.origin.node, message: `untrusted data enters here: ${f.origin.label}` });
    for (const s of f.origin.steps) related.push({ at: s.at, message: s.message });
    for (const c of f.calls) related.push({ at: c.at, message: c.message });
  }
  const conf = confidence ? lower(confidence, best.confidence) : best.confidence;
  ctx.report(at, {
    message: `\`${value}\` comes from ${describeFlow(best)}${via} and reaches ${what}`,
    confidence: conf,
    // A flow through calls we cannot see into, or from the environment, is a lead, not a verdict.
    ...(conf === 'low' ? { severity: 'info' as const } : {}),
    related,
    ...(fixes ? { fixes: fixes() } : {}),
  });
  return true;
}

/** Appended to every 9xx rule's description. */
export const FLOW_NOTE =
  ' The analysis covers one file: data is followed through assignments, string building, containers and the functions and methods of the file, and from a parameter back to each call site in the file. Within a function it follows the order of the statements (a value replaced before the sink does not count; loops are taken into account); a global or a variable of an enclosing function counts with everything assigned to it anywhere. A flow through a call it cannot see into (a library or another module) is reported with low confidence and severity `info`.';
