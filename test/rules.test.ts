import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFile } from '../server/src/engine/analyze';
import { ALL_RULES } from '../server/src/rules';
import { options, ready } from './support/engine';
import { classify, FIXTURES, loadFixture } from './support/fixtures';

describe('rule fixtures', () => {
  before(() => ready);

  for (const rule of ALL_RULES) {
    const file = path.join(FIXTURES, `${rule.name}.${rule.checkTemplate ? 'html' : 'py'}`);
    it(`${rule.id} ${rule.name}`, () => {
      assert.ok(fs.existsSync(file), `missing fixture ${path.relative(process.cwd(), file)}`);
      const fixture = loadFixture(file);
      const result = analyzeFile(fixture.text, fixture.analysisPath, options(ALL_RULES));
      assert.deepEqual(result.notices, [], 'analysis notices');
      const c = classify(fixture, result.findings, rule.id);
      const problems = [...c.missing.map((m) => `missing: ${m}`), ...c.noisy.map((n) => `noisy: ${n}`)];
      assert.deepEqual(problems, [], `${path.basename(file)}:\n  ${problems.join('\n  ')}`);
      const own = (m: Map<number, Set<string>>): number => [...m.values()].filter((s) => s.has(rule.id)).length;
      assert.ok(own(fixture.expect) > 0, 'the fixture has no `# expect:` line for its own rule');
      if (rule.id !== 'SEC002') assert.ok(own(fixture.ok) > 0, 'the fixture has no `# ok:` line for its own rule');
    });
  }

  it('has no fixture without a rule', () => {
    const names = new Set(ALL_RULES.map((r) => `${r.name}.${r.checkTemplate ? 'html' : 'py'}`));
    const orphans = fs.readdirSync(FIXTURES).filter((f) => (f.endsWith('.py') || f.endsWith('.html')) && !names.has(f));
    assert.deepEqual(orphans, []);
  });
});
