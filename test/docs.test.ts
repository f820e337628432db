// Generated files must match the rule metadata: regenerate in memory and compare.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generatedFiles } from '../server/src/engine/generated';
import { ALL_RULES } from '../server/src/rules';

const ROOT = path.resolve(__dirname, '..');

describe('generated files', () => {
  const files = generatedFiles(ALL_RULES, fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  for (const [file, content] of Object.entries(files)) {
    it(`${file} is up to date with the rule metadata (npm run docs)`, () => {
      const committed = fs.readFileSync(path.join(ROOT, file), 'utf8');
      assert.ok(committed === content, `${file} is stale: run \`npm run docs\` and commit the result`);
    });
  }

  it('RULES.md documents every rule under its anchor', () => {
    const md = files['RULES.md']!;
    for (const r of ALL_RULES) assert.ok(md.includes(`### ${r.id} ${r.name}\n`), r.id);
  });
});

describe('changelog', () => {
  it('has a line for every rule id', () => {
    const changelog = fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
    const missing = ALL_RULES.filter((r) => !changelog.includes(`${r.id} ${r.name}`)).map((r) => r.id);
    assert.deepEqual(missing, [], 'add "- SECnnn rule-name." lines to CHANGELOG.md');
  });
});
