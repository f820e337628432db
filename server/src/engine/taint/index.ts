// Entry point of the taint analysis for rules: `taintFlows(ctx, expr, kind)` answers which
// untrusted sources reach `expr`. The analysis is created once per file, on the first question,
// and only when the file can contain a source at all (`mayHaveSources`).

import type { Node } from '../parser';
import type { RuleContext } from '../rule';
import { TaintAnalysis, type Flow } from './analysis';
import { mayHaveSources } from './sources';
import type { SinkKind } from './types';

export { SinkKind } from './types';
export type { Flow } from './analysis';
export type { Origin, Step } from './types';

/** The file's analysis, or null when nothing in the file can be a source. */
export function taintAnalysis(ctx: RuleContext): TaintAnalysis | null {
  return ctx.memo('taint', () => (mayHaveSources(ctx) ? new TaintAnalysis(ctx) : null));
}

/** The flows of untrusted data into `expr`, best first (highest confidence, nearest source). */
export function taintFlows(ctx: RuleContext, expr: Node | null | undefined, kind: SinkKind): Flow[] {
  if (!expr) return [];
  const analysis = taintAnalysis(ctx);
  if (!analysis) return [];
  const flows = analysis.flowsTo(expr, kind);
  const rank = (f: Flow): number => (f.confidence === 'high' ? 3 : f.confidence === 'medium' ? 2 : 1);
  return flows.sort((a, b) => rank(b) - rank(a) || a.calls.length - b.calls.length || a.origin.node.startIndex - b.origin.node.startIndex);
}
