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

/** "`request.args` (line 12) through `build()` (line 30)", the line numbers from `lines`. */
export function describeFlow(flow: Flow): string {
  const lines: number[] = [];
  const text = describeFlowWith(flow, lines);
  return text.replace(/\{line(\d+)\}/g, (_, i: string) => String(lines[Number(i)]!));
}

/**
 * The same with `{lineN}` placeholders for the runner to fill in (`ReportOptions.lines`);
 * pushes the offsets to `offsets`. `describeFlow` gives line numbers instead.
 */
function describeFlowWith(flow: Flow, offsets: number[]): string {
  const at = (node: Node): string => `{line${offsets.push(node.startIndex) - 1}}`;
  const o = flow.origin;
  let s = `${o.label.startsWith('`') || /\s/.test(o.label) ? o.label : `\`${o.label}\``} (line ${at(o.node)})`;
  for (const step of o.steps) s += ` ${step.message} (line ${at(step.at)})`;
  return s;
}

/** Sources the person running the program controls: the command line, the terminal, the environment. */
const LOCAL_INPUTS = new Set(['sys.argv', 'input()', 'os.environ', 'os.getenv', 'os.environ.get']);

/**
 * For sinks whose harm needs a remote attacker (log lines, headers, sessions, cookies): flows
 * from the network (a web request, an `http.server` handler, a socket peer), not from the
 * operator's own command line or environment, and not only
 * through calls the analysis cannot see into (a database lookup keyed by request data returns
 * the database's data).
 */
export function remoteAndDirect(flow: Flow): boolean {
  return flow.confidence !== 'low' && !LOCAL_INPUTS.has(flow.origin.label);
}

/**
 * Sources whose values cannot hold a line break: the header and cookie values of the request
 * (the server's HTTP parser refuses CR and LF in them). For sinks where the harm is a line break
 * (log lines, response headers), echoing one is not an injection.
 */
const SINGLE_LINE = new Set(['request.headers', 'request.cookies', 'request.COOKIES']);

export function mayHoldLineBreaks(flow: Flow): boolean {
  return !SINGLE_LINE.has(flow.origin.label);
}

/**
 * Reports `arg` at `at` when untrusted data reaches it. `what` names the sink
 * ("the SQL query of `cursor.execute()`"). `keep` drops flows the rule does not count.
 * Returns whether it reported.
 */
export function reportFlows(ctx: RuleContext, at: Node, arg: Node | null | undefined, kind: SinkKind, what: string, confidence?: Confidence, fixes?: () => Fix[], keep?: (flow: Flow) => boolean): boolean {
  const all = taintFlows(ctx, arg, kind);
  const flows = keep ? all.filter(keep) : all;
  if (flows.length === 0) return false;
  const best = flows[0]!;
  const value = arg ? short(ctx.textOf(arg)) : '';
  const offsets: number[] = [];
  const described = describeFlowWith(best, offsets);
  const via = best.calls.length ? `, passed in by the call on line {line${offsets.push(best.calls[best.calls.length - 1]!.at.startIndex) - 1}}` : '';
  const related: { at: Node; message: string }[] = [];
  for (const f of flows.slice(0, 3)) {
    related.push({ at: f.origin.node, message: `untrusted data enters here: ${f.origin.label}` });
    for (const s of f.origin.steps) related.push({ at: s.at, message: s.message });
    for (const c of f.calls) related.push({ at: c.at, message: c.message });
  }
  const conf = confidence ? lower(confidence, best.confidence) : best.confidence;
  ctx.report(at, {
    message: `\`${value}\` comes from ${described}${via} and reaches ${what}`,
    lines: offsets,
    confidence: conf,
    // A flow through calls we cannot see into, or from the environment, is a lead, not a verdict.
    ...(conf === 'low' ? { severity: 'info' as const } : {}),
    related,
    ...(fixes ? { fixes: fixes() } : {}),
  });
  return true;
}

const FLOW_SCOPE =
  ' The analysis covers one file: data is followed through assignments, string building, containers and the functions and methods of the file, and from a parameter back to each call site in the file. Within a function it follows the order of the statements (a value replaced before the sink does not count; loops are taken into account); a global or a variable of an enclosing function counts with everything assigned to it anywhere.';

/** Appended to every 9xx rule's description. */
export const FLOW_NOTE = `${FLOW_SCOPE} A flow through a call it cannot see into (a library or another module) is reported with low confidence and severity \`info\`.`;

/** The same, for the rules that keep only direct flows from a web request (`remoteAndDirect`). */
export const DIRECT_FLOW_NOTE = `${FLOW_SCOPE} A flow through a call it cannot see into (a library or another module) is not reported.`;
