// Baselines: adopt Parapet on an existing codebase by recording today's findings and
// reporting only new ones. A finding is keyed by its rule, its file (relative to the
// baseline file, so the baseline can be committed) and a fingerprint of the code itself (the
// finding's text and its line, whitespace-normalised), not by line number: moving code,
// adding lines above it or re-indenting it keeps it baselined; changing it does not. Equal
// fingerprints are counted, so a baseline with two identical findings accepts two.

import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { Finding } from './types';

export interface BaselineEntry {
  file: string;
  rule: string;
  fingerprint: string;
  count: number;
  /** For people reading the file: the finding's message when recorded. */
  message: string;
}

export interface Baseline {
  version: 1;
  tool: 'parapet';
  findings: BaselineEntry[];
}

function normalise(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** The fingerprint of a finding in `text`: its own source and the line(s) it sits on. */
export function fingerprint(text: string, f: Pick<Finding, 'ruleId' | 'start' | 'end'>): string {
  const lineStart = text.lastIndexOf('\n', f.start - 1) + 1;
  let lineEnd = text.indexOf('\n', f.end);
  if (lineEnd === -1) lineEnd = text.length;
  const h = createHash('sha256');
  h.update(f.ruleId);
  h.update('\0');
  h.update(normalise(text.slice(f.start, f.end)));
  h.update('\0');
  h.update(normalise(text.slice(lineStart, lineEnd)));
  return h.digest('hex').slice(0, 16);
}

/** Path of `file` as stored in a baseline that lives at `baselineFile`. */
export function baselinePath(baselineFile: string, file: string): string {
  return path.relative(path.dirname(path.resolve(baselineFile)), path.resolve(file)).split(path.sep).join('/');
}

export function createBaseline(entries: { file: string; text: string; findings: Finding[] }[], baselineFile: string): Baseline {
  const byKey = new Map<string, BaselineEntry>();
  for (const { file, text, findings } of entries) {
    const rel = baselinePath(baselineFile, file);
    for (const f of findings) {
      const fp = fingerprint(text, f);
      const key = `${rel}\0${f.ruleId}\0${fp}`;
      const e = byKey.get(key);
      if (e) e.count++;
      else byKey.set(key, { file: rel, rule: f.ruleId, fingerprint: fp, count: 1, message: f.message });
    }
  }
  const findings = [...byKey.values()].sort((a, b) => a.file.localeCompare(b.file) || a.rule.localeCompare(b.rule) || a.fingerprint.localeCompare(b.fingerprint));
  return { version: 1, tool: 'parapet', findings };
}

export function serialiseBaseline(b: Baseline): string {
  return JSON.stringify(b, null, 2) + '\n';
}

/** Parses a baseline file; throws an Error saying what is wrong when it is not one. */
export function parseBaseline(text: string): Baseline {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`not a Parapet baseline (invalid JSON: ${e instanceof Error ? e.message : String(e)})`);
  }
  const b = json as Partial<Baseline>;
  if (!b || b.tool !== 'parapet' || b.version !== 1 || !Array.isArray(b.findings)) throw new Error('not a Parapet baseline (expected {"version": 1, "tool": "parapet", "findings": [...]})');
  for (const e of b.findings) {
    if (typeof e?.file !== 'string' || typeof e.rule !== 'string' || typeof e.fingerprint !== 'string') throw new Error('not a Parapet baseline (an entry lacks file, rule or fingerprint)');
  }
  return { version: 1, tool: 'parapet', findings: b.findings.map((e) => ({ ...e, count: typeof e.count === 'number' && e.count > 0 ? e.count : 1 })) };
}

/**
 * Splits a file's findings into new ones and those the baseline accepts. Counts are consumed
 * per file, so each call must cover one whole file.
 */
export function applyBaseline(b: Baseline, baselineFile: string, file: string, text: string, findings: Finding[]): { fresh: Finding[]; baselined: Finding[] } {
  const rel = baselinePath(baselineFile, file);
  const budget = new Map<string, number>();
  for (const e of b.findings) if (e.file === rel) budget.set(`${e.rule}\0${e.fingerprint}`, (budget.get(`${e.rule}\0${e.fingerprint}`) ?? 0) + e.count);
  const fresh: Finding[] = [];
  const baselined: Finding[] = [];
  for (const f of findings) {
    const key = `${f.ruleId}\0${fingerprint(text, f)}`;
    const left = budget.get(key) ?? 0;
    if (left > 0) {
      budget.set(key, left - 1);
      baselined.push(f);
    } else fresh.push(f);
  }
  return { fresh, baselined };
}
