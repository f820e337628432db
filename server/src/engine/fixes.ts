// Applying fixes: one fix, or every applicable fix of a file ("fix all"), iterated until
// nothing more applies (like ruff: a fix can only be judged on the text it produces).

import { analyzeFile, type SourceOptions } from './analyze';
import type { Finding, Fix, OffsetEdit } from './types';

function editKey(e: OffsetEdit): string {
  return `${e.start}:${e.end}:${e.newText}`;
}

/** Applies non-overlapping edits (identical duplicates are applied once). */
export function applyEdits(text: string, edits: readonly OffsetEdit[]): string {
  const unique = new Map<string, OffsetEdit>();
  for (const e of edits) unique.set(editKey(e), e);
  const sorted = [...unique.values()].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    if (e.start < pos) throw new Error(`overlapping edits at ${e.start}`);
    out += text.slice(pos, e.start) + e.newText;
    pos = e.end;
  }
  return out + text.slice(pos);
}

/**
 * Picks fixes whose edits do not conflict with fixes picked before them. Identical edits
 * (two fixes adding the same `import secrets`) are compatible; two different insertions at
 * the same offset are not, since their order would be arbitrary.
 */
export function compatibleFixes(fixes: readonly Fix[]): Fix[] {
  const taken: OffsetEdit[] = [];
  const keys = new Set<string>();
  const out: Fix[] = [];
  for (const f of fixes) {
    const conflict = f.edits.some((e) => {
      if (keys.has(editKey(e))) return false;
      return taken.some((t) => {
        if (e.start === e.end && t.start === t.end) return e.start === t.start;
        return e.start < t.end && t.start < e.end || (e.start === e.end && e.start > t.start && e.start < t.end) || (t.start === t.end && t.start > e.start && t.start < e.end);
      });
    });
    if (conflict) continue;
    for (const e of f.edits) {
      if (!keys.has(editKey(e))) {
        keys.add(editKey(e));
        taken.push(e);
      }
    }
    out.push(f);
  }
  return out;
}

/** The fix that fix-all applies for a finding: its first fix of an allowed safety. */
export function autoFix(finding: Finding, unsafe: boolean): Fix | undefined {
  return finding.fixes.find((f) => f.safety === 'safe' || unsafe);
}

export interface AppliedFix {
  ruleId: string;
  title: string;
}

export interface FixAllResult {
  text: string;
  applied: AppliedFix[];
  iterations: number;
}

export function fixAll(text: string, path: string, options: SourceOptions, unsafe = false, maxIterations = 10): FixAllResult {
  let current = text;
  const applied: AppliedFix[] = [];
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const result = analyzeFile(current, path, options);
    const candidates: { finding: Finding; fix: Fix }[] = [];
    for (const f of result.findings) {
      const fx = autoFix(f, unsafe);
      if (fx) candidates.push({ finding: f, fix: fx });
    }
    const chosen = new Set(compatibleFixes(candidates.map((c) => c.fix)));
    if (chosen.size === 0) break;
    const next = applyEdits(current, [...chosen].flatMap((f) => f.edits));
    for (const c of candidates) if (chosen.has(c.fix)) applied.push({ ruleId: c.finding.ruleId, title: c.fix.title });
    if (next === current) break;
    current = next;
  }
  return { text: current, applied, iterations };
}

/** The smallest single replacement turning `before` into `after` (common prefix and suffix kept). */
export function minimalEdit(before: string, after: string): OffsetEdit | null {
  if (before === after) return null;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before.charCodeAt(endB - 1) === after.charCodeAt(endA - 1)) {
    endB--;
    endA--;
  }
  // Never split a surrogate pair or a CRLF.
  while (start > 0 && (isLowSurrogate(before.charCodeAt(start)) || (before[start] === '\n' && before[start - 1] === '\r'))) start--;
  while (endB < before.length && (isLowSurrogate(before.charCodeAt(endB)) || (before[endB] === '\n' && before[endB - 1] === '\r'))) {
    endB++;
    endA++;
  }
  return { start, end: endB, newText: after.slice(start, endA) };
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
