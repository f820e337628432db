// Test helpers for incremental analysis: an editing session that reparses incrementally and
// carries the analysis state from one edit to the next, as the language server does, and a
// description of a finding complete enough to compare two analyses (fixes and the ignore edit).

import * as assert from 'node:assert/strict';
import { analyzeTree, type AnalysisResult, type IncrementalState } from '../../server/src/engine/runner';
import type { Finding } from '../../server/src/engine/types';
import { DocumentStore } from '../../server/src/lsp/documents';
import { ALL_RULES } from '../../server/src/rules';
import { options } from './engine';

export function describeFinding(f: Finding): string {
  const fixes = f.fixes.map((x) => `${x.title}|${x.safety}|${x.edits.map((e) => `${e.start}-${e.end}:${e.newText}`).join(';')}`).join(' / ');
  return `${f.ruleId} ${f.start}-${f.end} ${f.severity} ${f.confidence} ${f.message} [${fixes}] ${f.ignoreEdit ? `${f.ignoreEdit.start}:${f.ignoreEdit.newText}` : ''}`;
}

/** Replace `from` (which must occur once in the text) by `to`. */
export interface Edit {
  from: string;
  to: string;
}

export interface EditingSession {
  /** Applies the edit, if any, and analyses the new version with every rule, from the last state. */
  analyse(edit?: Edit): AnalysisResult;
  text(): string;
  close(): void;
}

export function editingSession(text: string, path = '/inc/app.py'): EditingSession {
  const store = new DocumentStore({ maxTrees: 2, parseBudgetMs: 10_000 });
  const uri = `file://${path}`;
  let entry = store.open(uri, 'python', 0, text);
  let state: IncrementalState | null = null;
  let version = 0;
  return {
    analyse(edit) {
      if (edit) {
        const now = entry.doc.getText();
        const at = now.indexOf(edit.from);
        assert.ok(at !== -1, `${edit.from} is in the text`);
        assert.equal(now.indexOf(edit.from, at + 1), -1, `${edit.from} is in the text once`);
        entry = store.change(uri, ++version, [{ range: { start: entry.doc.positionAt(at), end: entry.doc.positionAt(at + edit.from.length) }, text: edit.to }])!;
      }
      const r = analyzeTree(entry.doc.getText(), store.ensureTree(entry)!, path, entry.doc, { ...options(ALL_RULES), incremental: { previous: state } });
      state = r.state ?? null;
      return r;
    },
    text: () => entry.doc.getText(),
    close: () => store.closeAll(),
  };
}
