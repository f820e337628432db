// Text and JSON output of `parapet check`.
//
// Text follows ruff's layout: `path:line:col: SEC602 [*] message`, a frame of the source with
// carets under the finding, and the fix as help. Colour only when writing to a terminal.

import type { Rule } from '../engine/rule';
import type { Finding, Range } from '../engine/types';
import { ruleById } from '../rules';
import type { FileResult } from './check';
import { locateSpan, locationLabel } from './locate';

export interface Style {
  bold(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  blue(s: string): string;
  dim(s: string): string;
  green(s: string): string;
}

const plain: Style = { bold: (s) => s, red: (s) => s, yellow: (s) => s, cyan: (s) => s, blue: (s) => s, dim: (s) => s, green: (s) => s };

export function style(color: boolean): Style {
  if (!color) return plain;
  const wrap = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
  return { bold: wrap(1, 22), red: wrap(31, 39), yellow: wrap(33, 39), cyan: wrap(36, 39), blue: wrap(34, 39), dim: wrap(2, 22), green: wrap(32, 39) };
}

function expandTabs(s: string): string {
  return s.replace(/\t/g, '    ');
}

/** Display width of a prefix, counting a tab as four columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += ch === '\t' ? 4 : 1;
  return w;
}

export function frame(text: string, f: Finding, s: Style, range: Range = f.range): string {
  const lines = text.split(/\r\n|\r|\n/);
  const first = range.start.line;
  const last = Math.min(range.end.line, first + 5);
  const from = Math.max(0, first - 1);
  const to = Math.min(lines.length - 1, last + 1);
  const gutter = String(to + 1).length;
  const out: string[] = [`${' '.repeat(gutter + 1)}${s.blue('|')}`];
  for (let i = from; i <= to; i++) {
    const line = lines[i] ?? '';
    out.push(`${s.blue(String(i + 1).padStart(gutter))} ${s.blue('|')} ${expandTabs(line)}`);
    if (i >= first && i <= last) {
      const startCol = i === first ? range.start.character : line.length - line.trimStart().length;
      const endCol = i === range.end.line ? range.end.character : line.length;
      const lead = width(line.slice(0, startCol));
      const len = Math.max(1, width(line.slice(startCol, Math.max(startCol, endCol))));
      const label = i === last ? ` ${f.ruleId}` : '';
      const color = f.severity === 'error' ? s.red : s.yellow;
      out.push(`${' '.repeat(gutter + 1)}${s.blue('|')} ${' '.repeat(lead)}${color('^'.repeat(len) + label)}`);
    }
  }
  out.push(`${' '.repeat(gutter + 1)}${s.blue('|')}`);
  return out.join('\n');
}

export function textFinding(r: FileResult, f: Finding, s: Style): string {
  const fixable = f.fixes.some((x) => x.safety === 'safe');
  const where = locateSpan(r, f.start, f.end);
  const [file, ...rest] = locationLabel(r, where).split(':');
  const loc = `${s.bold(file!)}${s.cyan(':')}${rest.join(s.cyan(':'))}${s.cyan(':')}`;
  const code = f.severity === 'error' ? s.red(s.bold(f.ruleId)) : s.yellow(s.bold(f.ruleId));
  const parts = [`${loc} ${code}${fixable ? ` ${s.cyan('[*]')}` : ''} ${f.message}`, frame(where.text, f, s, { start: where.start, end: where.end })];
  for (const fx of f.fixes) {
    parts.push(`${' '.repeat(2)}${s.cyan('=')} ${s.bold('help')}: ${fx.title}${fx.safety === 'unsafe' ? s.dim(' (unsafe fix)') : ''}`);
  }
  return parts.join('\n') + '\n';
}

export interface Totals {
  findings: number;
  files: number;
  safeFixable: number;
  unsafeFixable: number;
  fixed: number;
  fixedFiles: number;
  suppressed: number;
  baselined: number;
}

export function totals(results: FileResult[]): Totals {
  const t: Totals = { findings: 0, files: results.length, safeFixable: 0, unsafeFixable: 0, fixed: 0, fixedFiles: 0, suppressed: 0, baselined: 0 };
  for (const r of results) {
    t.findings += r.findings.length;
    t.suppressed += r.suppressed;
    t.baselined += r.baselined ?? 0;
    t.fixed += r.fixed.length;
    if (r.fixed.length) t.fixedFiles++;
    for (const f of r.findings) {
      if (f.fixes.some((x) => x.safety === 'safe')) t.safeFixable++;
      else if (f.fixes.length) t.unsafeFixable++;
    }
  }
  return t;
}

export function textSummary(t: Totals, s: Style, fixMode: boolean): string {
  const lines: string[] = [];
  if (t.fixed) lines.push(s.green(`Fixed ${t.fixed} finding${t.fixed === 1 ? '' : 's'} in ${t.fixedFiles} file${t.fixedFiles === 1 ? '' : 's'}.`));
  if (t.findings === 0) lines.push(s.green(`No findings in ${t.files} file${t.files === 1 ? '' : 's'}.`));
  else {
    let line = `Found ${t.findings} finding${t.findings === 1 ? '' : 's'} in ${t.files} file${t.files === 1 ? '' : 's'}.`;
    if (!fixMode && t.safeFixable) line += ` ${t.safeFixable} fixable with \`--fix\``;
    if (!fixMode && t.unsafeFixable) line += `${t.safeFixable ? ',' : ''} ${t.unsafeFixable} more with \`--fix --unsafe-fixes\``;
    lines.push(s.bold(line + (line.endsWith('.') ? '' : '.')));
  }
  if (t.suppressed) lines.push(s.dim(`${t.suppressed} suppressed by comments.`));
  if (t.baselined) lines.push(s.dim(`${t.baselined} in the baseline, not shown.`));
  return lines.join('\n');
}

export interface JsonFinding {
  file: string;
  /** 1-based cell number, for notebooks; line and column are then within the cell. */
  cell?: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  name: string;
  severity: string;
  confidence: string;
  message: string;
  owasp: { '2025': string; '2021': string };
  cwe: number[];
  fixable: boolean;
  fixes: { title: string; safety: string; edits: { cell?: number; line: number; column: number; endLine: number; endColumn: number; content: string }[] }[];
}

export function jsonFinding(r: FileResult, f: Finding): JsonFinding {
  const rule = ruleById(f.ruleId) as Rule;
  const where = locateSpan(r, f.start, f.end);
  return {
    file: r.display,
    ...(where.cell ? { cell: where.cell } : {}),
    line: where.start.line + 1,
    column: where.start.character + 1,
    endLine: where.end.line + 1,
    endColumn: where.end.character + 1,
    rule: f.ruleId,
    name: f.ruleName,
    severity: f.severity,
    confidence: f.confidence,
    message: f.message,
    owasp: { '2025': rule.owasp['2025'], '2021': rule.owasp['2021'] },
    cwe: rule.cwe,
    fixable: f.fixes.some((x) => x.safety === 'safe'),
    fixes: f.fixes.map((fx) => ({
      title: fx.title,
      safety: fx.safety,
      edits: fx.edits.map((e) => {
        const w = locateSpan(r, e.start, e.end);
        return { ...(w.cell ? { cell: w.cell } : {}), line: w.start.line + 1, column: w.start.character + 1, endLine: w.end.line + 1, endColumn: w.end.character + 1, content: e.newText };
      }),
    })),
  };
}

/**
 * Whether to colour output written to `stream`: never with --no-color or when writing to a file;
 * FORCE_COLOR (other than 0/false) forces it on, NO_COLOR (any non-empty value) turns it off;
 * otherwise only when the stream is a terminal.
 */
export function useColor(stream: { isTTY?: boolean }, opts: { noColor?: boolean; toFile?: boolean } = {}, env: NodeJS.ProcessEnv = process.env): boolean {
  if (opts.noColor || opts.toFile) return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '') return !['0', 'false'].includes(force.toLowerCase());
  if (env['NO_COLOR']) return false;
  return !!stream.isTTY;
}

export const SEVERITY_ORDER = ['hint', 'info', 'warning', 'error'] as const;
export const CONFIDENCE_ORDER = ['low', 'medium', 'high'] as const;

/** Whether a finding reaches the --severity / --confidence minimums (either may be absent). */
export function meetsThreshold(f: Finding, minSeverity?: string, minConfidence?: string): boolean {
  if (minSeverity && SEVERITY_ORDER.indexOf(f.severity as (typeof SEVERITY_ORDER)[number]) < SEVERITY_ORDER.indexOf(minSeverity as (typeof SEVERITY_ORDER)[number])) return false;
  if (minConfidence && CONFIDENCE_ORDER.indexOf(f.confidence) < CONFIDENCE_ORDER.indexOf(minConfidence as (typeof CONFIDENCE_ORDER)[number])) return false;
  return true;
}

export interface RuleStatistic {
  rule: string;
  name: string;
  count: number;
  /** How many of them have a safe fix. */
  fixable: number;
}

/** Findings counted per rule, most frequent first (then by rule id). */
export function statistics(results: FileResult[]): RuleStatistic[] {
  const byRule = new Map<string, RuleStatistic>();
  for (const r of results) {
    for (const f of r.findings) {
      const s = byRule.get(f.ruleId) ?? { rule: f.ruleId, name: f.ruleName, count: 0, fixable: 0 };
      s.count++;
      if (f.fixes.some((x) => x.safety === 'safe')) s.fixable++;
      byRule.set(f.ruleId, s);
    }
  }
  return [...byRule.values()].sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule));
}

/** Ruff-style statistics table: count, rule, [*] when every one is fixable, name. */
export function textStatistics(stats: RuleStatistic[], s: Style): string {
  const width = Math.max(1, ...stats.map((x) => String(x.count).length));
  return stats
    .map((x) => {
      const mark = x.fixable === x.count ? '[*]' : x.fixable ? '[-]' : '   ';
      return `${String(x.count).padStart(width)}\t${s.bold(x.rule)}\t${s.cyan(mark)} ${x.name}`;
    })
    .join('\n');
}

/** `parapet rules` as an aligned table (one line per rule, every metadata field) with a header. */
export function textRules(rules: readonly Rule[], s: Style): string {
  const header = ['ID', 'NAME', 'OWASP 2025', 'OWASP 2021', 'CWE', 'SEVERITY', 'CONFIDENCE', 'FIX', 'STATUS', 'DEFAULT', 'ALIASES'];
  const rows = rules.map((r) => [
    r.id,
    r.name,
    r.owasp['2025'],
    r.owasp['2021'],
    r.cwe.length ? r.cwe.map((c) => `CWE-${c}`).join(',') : '-',
    r.severity,
    r.confidence,
    r.fix,
    r.status,
    r.enabledByDefault ? 'on' : 'off',
    r.aliases.length ? r.aliases.join(',') : '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [s.bold(line(header)), ...rows.map(line)].join('\n');
}
