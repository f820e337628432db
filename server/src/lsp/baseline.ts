// The editor's view of a baseline file (`parapet.baseline`): loaded once, reloaded when its
// modification time changes, and applied to each document's findings (dimmed or hidden).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyBaseline, parseBaseline, type Baseline } from '../engine/baseline';
import type { Finding } from '../engine/types';

interface Loaded {
  mtimeMs: number;
  baseline: Baseline | null;
  error?: string;
}

export class BaselineCache {
  private readonly loaded = new Map<string, Loaded>();

  constructor(private readonly report: (message: string) => void) {}

  /** The baseline at `file`, or null (missing or invalid, the latter reported once). */
  get(file: string): Baseline | null {
    let mtimeMs: number;
    try {
      mtimeMs = fs.statSync(file).mtimeMs;
    } catch {
      const prev = this.loaded.get(file);
      if (!prev || prev.mtimeMs !== -1) this.report(`Baseline ${file} does not exist; all findings are shown. Create it with \`parapet check --baseline ${path.basename(file)}\`.`);
      this.loaded.set(file, { mtimeMs: -1, baseline: null });
      return null;
    }
    const hit = this.loaded.get(file);
    if (hit && hit.mtimeMs === mtimeMs) return hit.baseline;
    try {
      const baseline = parseBaseline(fs.readFileSync(file, 'utf8'));
      this.loaded.set(file, { mtimeMs, baseline });
      return baseline;
    } catch (e) {
      const error = `${file}: ${e instanceof Error ? e.message : String(e)}; all findings are shown.`;
      this.report(error);
      this.loaded.set(file, { mtimeMs, baseline: null, error });
      return null;
    }
  }

  clear(): void {
    this.loaded.clear();
  }
}

/** Findings after the baseline: hidden, or dimmed to faded hints that say so. */
export function withBaseline(baseline: Baseline, baselineFile: string, file: string, text: string, findings: Finding[], mode: 'dim' | 'hide'): Finding[] {
  const { fresh, baselined } = applyBaseline(baseline, baselineFile, file, text, findings);
  if (mode === 'hide') return fresh;
  const dimmed = baselined.map((f) => ({ ...f, severity: 'hint' as const, message: `${f.message} (in the baseline)`, tags: [...(f.tags ?? []), 'unnecessary' as const] }));
  return [...fresh, ...dimmed].sort((a, b) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId));
}
