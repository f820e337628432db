// `npm run new-rule`: the scaffold CONTRIBUTING.md tells contributors to start from. The
// generated rule must load, pass its own generated fixture, and be registered; bad input is
// refused without writing anything.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Rule } from '../server/src/engine/rule';
import { findings, ready } from './support/engine';
import { classify, loadFixture } from './support/fixtures';

const ROOT = path.resolve(__dirname, '..');
const SCRIPT = path.join(ROOT, 'scripts', 'new-rule.ts');
const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

function scaffold(root: string, ...args: string[]) {
  return spawnSync(process.execPath, [TSX, SCRIPT, '--root', root, ...args], { encoding: 'utf8' });
}

describe('npm run new-rule', function () {
  this.timeout(60_000);
  let root: string;

  before(() => ready);
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-new-rule-'));
    // A checkout with the real engine and the general family's index.
    fs.mkdirSync(path.join(root, 'server', 'src', 'rules', 'general'), { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'server', 'src', 'engine'), path.join(root, 'server', 'src', 'engine'));
    fs.copyFileSync(path.join(ROOT, 'server', 'src', 'rules', 'general', 'index.ts'), path.join(root, 'server', 'src', 'rules', 'general', 'index.ts'));
    fs.copyFileSync(path.join(ROOT, 'server', 'src', 'rules', 'general', 'exec-used.ts'), path.join(root, 'server', 'src', 'rules', 'general', 'exec-used.ts'));
    fs.writeFileSync(path.join(root, 'CHANGELOG.md'), '# Changelog\n\n## [Unreleased]\n\n### Added\n\n- Something.\n\n## [0.1.0]\n');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('creates a rule that loads and passes its generated fixture, registers it and adds the changelog line', async () => {
    const r = scaffold(root, 'SEC199', 'example-danger');
    assert.equal(r.status, 0, r.stderr);
    const ruleFile = path.join(root, 'server', 'src', 'rules', 'general', 'example-danger.ts');
    const rule = ((await import(ruleFile)) as { default: Rule }).default;
    assert.equal(rule.id, 'SEC199');
    assert.equal(rule.name, 'example-danger');
    const fx = loadFixture(path.join(root, 'test', 'fixtures', 'rules', 'example-danger.py'));
    const c = classify(fx, findings(fx.text, 'app.py', [rule]), 'SEC199');
    assert.deepEqual({ missing: c.missing, noisy: c.noisy }, { missing: [], noisy: [] });
    assert.equal(c.reported.length, 1);
    const index = fs.readFileSync(path.join(root, 'server', 'src', 'rules', 'general', 'index.ts'), 'utf8');
    assert.match(index, /^import exampleDanger from '\.\/example-danger';$/m);
    assert.match(index, /\n  exampleDanger,\n\];/);
    assert.match(fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8'), /### Added\n\n- SEC199 example-danger\.\n- Something\./);
  });

  it('refuses a taken id, a taken name, a bad id or name, and an unknown family, writing nothing', () => {
    const before = fs.readFileSync(path.join(root, 'server', 'src', 'rules', 'general', 'index.ts'), 'utf8');
    const cases: [string[], RegExp][] = [
      [['SEC102', 'something-new'], /SEC102 is taken by general\/exec-used\.ts/],
      [['SEC198', 'exec-used'], /a rule named exec-used exists/],
      [['SEC12', 'x'], /not SEC followed by three digits/],
      [['SEC197', 'Bad_Name'], /not kebab-case/],
      [['SEC196', 'fine-name', 'nonsense'], /no rule family folder/],
      [[], /usage: npm run new-rule/],
    ];
    for (const [args, message] of cases) {
      const r = scaffold(root, ...args);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, message);
    }
    assert.equal(fs.readFileSync(path.join(root, 'server', 'src', 'rules', 'general', 'index.ts'), 'utf8'), before);
    assert.deepEqual(fs.readdirSync(path.join(root, 'server', 'src', 'rules', 'general')).sort(), ['exec-used.ts', 'index.ts']);
    assert.ok(!fs.existsSync(path.join(root, 'test')));
  });
});
