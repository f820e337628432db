// Plain data types shared by the engine, the rules, the CLI and the LSP layer.
// Nothing here knows about the Language Server Protocol: positions are 0-based lines and
// UTF-16 code unit columns (which happens to be LSP's default encoding), and every
// span is also kept as UTF-16 offsets into the analysed text so edits can be applied
// without a line table.

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type Confidence = 'high' | 'medium' | 'low';
export type FixSafety = 'safe' | 'unsafe';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];
export const CONFIDENCES: readonly Confidence[] = ['high', 'medium', 'low'];

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Half-open span of UTF-16 offsets into the analysed text. */
export interface Span {
  start: number;
  end: number;
}

/** A replacement of `text[start, end)` by `newText`. */
export interface OffsetEdit extends Span {
  newText: string;
}

export interface Fix {
  title: string;
  safety: FixSafety;
  edits: OffsetEdit[];
}

export interface RelatedLocation extends Span {
  range: Range;
  message: string;
}

export interface Finding extends Span {
  ruleId: string;
  ruleName: string;
  range: Range;
  message: string;
  severity: Severity;
  confidence: Confidence;
  fixes: Fix[];
  related?: RelatedLocation[];
  /** The edit that adds this finding's rule to a `# parapet: ignore[...]` comment. */
  ignoreEdit?: OffsetEdit;
  /** Extra tags for the client (e.g. 'unnecessary' for unused suppressions). */
  tags?: ('unnecessary' | 'deprecated')[];
}

/** A message about the analysis itself rather than the code (size limits, rule crashes). */
export interface AnalysisNotice {
  kind: 'file-too-large' | 'time-limit' | 'rule-error' | 'parse-error' | 'binary' | 'encoding';
  message: string;
  ruleId?: string;
}

export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b);
}

export function confidenceRank(c: Confidence): number {
  return c === 'high' ? 3 : c === 'medium' ? 2 : 1;
}
