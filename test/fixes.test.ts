// Every fix in every fixture is checked mechanically (DESIGN.md section 4): the fixed text
// parses with no ERROR or MISSING node, the rule no longer fires where the fix was applied,
// and applying fix-all twice changes nothing the second time.

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzeFile } from '../server/src/engine/analyze';
import { applyEdits, fixAll } from '../server/src/engine/fixes';
import type { Finding, OffsetEdit } from '../server/src/engine/types';
import { ALL_RULES } from '../server/src/rules';
import { options, ready, syntaxErrors } from './support/engine';
import { fixtureFiles, loadFixture } from './support/fixtures';

/** Where `offset` moves to once `edits` are applied. */
function mapOffset(offset: number, edits: OffsetEdit[]): number {
  let delta = 0;
  for (const e of edits) if (e.end <= offset) delta += e.newText.length - (e.end - e.start);
  return offset + delta;
}

function countAt(findings: Finding[], ruleId: string, start: number, end: number): number {
  return findings.filter((f) => f.ruleId === ruleId && f.start < end && f.end > start).length;
}

describe('fixes', () => {
  before(() => ready);

  for (const file of fixtureFiles()) {
    const name = path.basename(file);
    it(`every fix in ${name} parses and removes its finding`, () => {
      const fx = loadFixture(file);
      const opts = options(ALL_RULES);
      const before = analyzeFile(fx.text, fx.analysisPath, opts).findings;
      // Templates are not Python: their fixes are checked for removing the finding only.
      const python = !fx.file.endsWith('.html');
      const baseErrors = python ? syntaxErrors(fx.text) : [];
      const problems: string[] = [];
      for (const finding of before) {
        for (const f of finding.fixes) {
          const label = `${finding.ruleId} line ${finding.range.start.line + 1} "${f.title}"`;
          const fixed = applyEdits(fx.text, f.edits);
          const errors = python ? syntaxErrors(fixed) : [];
          if (errors.length > baseErrors.length) problems.push(`${label}: fixed text does not parse (${errors.join(', ')})`);
          const after = analyzeFile(fixed, fx.analysisPath, opts).findings;
          const start = mapOffset(finding.start, f.edits);
          // The fixed region: from the mapped start to the end of the edit covering it.
          const covering = f.edits.filter((e) => e.start <= finding.end && e.end >= finding.start);
          const end = covering.length ? Math.max(...covering.map((e) => mapOffset(e.start, f.edits) + e.newText.length)) : mapOffset(finding.end, f.edits);
          const was = countAt(before, finding.ruleId, finding.start, finding.end);
          const now = countAt(after, finding.ruleId, Math.min(start, end), Math.max(start, end, start + 1));
          if (now >= was) problems.push(`${label}: ${finding.ruleId} still reported there`);
        }
      }
      assert.deepEqual(problems, []);
    });

    it(`fix-all on ${name} parses and is idempotent`, () => {
      const fx = loadFixture(file);
      const opts = options(ALL_RULES);
      // Templates are not Python: their fixes are checked for removing the finding only.
      const python = !fx.file.endsWith('.html');
      const baseErrors = python ? syntaxErrors(fx.text) : [];
      for (const unsafe of [false, true]) {
        const once = fixAll(fx.text, fx.analysisPath, opts, unsafe);
        const after = python ? syntaxErrors(once.text) : [];
        assert.ok(after.length <= baseErrors.length, `fix-all (unsafe=${unsafe}) output does not parse: ${after.join(', ')}`);
        const twice = fixAll(once.text, fx.analysisPath, opts, unsafe);
        assert.equal(twice.text, once.text, `second fix-all (unsafe=${unsafe}) changed the text`);
        assert.equal(twice.applied.length, 0);
      }
    });
  }

  it('fix-all applies safe fixes only unless unsafe fixes are requested', () => {
    const text = 'import jwt\n\ndef f(t):\n    return jwt.decode(t, "k")\n';
    const safe = fixAll(text, 'x.py', options());
    assert.equal(safe.text, text, 'the HS256 assumption is unsafe and must not be applied by default');
    const unsafe = fixAll(text, 'x.py', options(), true);
    assert.match(unsafe.text, /jwt\.decode\(t, "k", algorithms=\["HS256"\]\)/);
  });
});
