// Baselines: adopt Parapet on an existing codebase and see only new findings.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyBaseline, createBaseline, parseBaseline, serialiseBaseline } from '../server/src/engine/baseline';
import { findings, ready } from './support/engine';
import { ensureBuilt, fileUri, ROOT, TestClient } from './support/lsp-client';

const V1 = 'import random\n\ndef f():\n    token = random.randint(0, 9)\n    otp = random.randint(0, 9)\n';

describe('baseline', function () {
  this.timeout(60_000);
  before(() => ready);

  it('keeps findings baselined when code moves or is re-indented, not when it changes', () => {
    const b = createBaseline([{ file: '/p/app.py', text: V1, findings: findings(V1) }], '/p/baseline.json');
    assert.equal(b.findings.length, 2);
    const moved = '"""Doc."""\nimport random\n\n\nclass K:\n    def f(self):\n        token   =  random.randint(0, 9)\n        otp = random.randint(0, 9)\n';
    assert.deepEqual(applyBaseline(b, '/p/baseline.json', '/p/app.py', moved, findings(moved)).fresh, []);
    const changed = V1.replace('otp = random.randint(0, 9)', 'otp = random.randint(0, 99)') + '    pin = random.randint(0, 9)\n';
    const fresh = applyBaseline(b, '/p/baseline.json', '/p/app.py', changed, findings(changed)).fresh;
    assert.deepEqual(fresh.map((f) => f.message.match(/`(\w+)`, a security/)![1]), ['otp', 'pin']);
    // Another file with the same code is not covered.
    assert.equal(applyBaseline(b, '/p/baseline.json', '/p/other.py', V1, findings(V1)).fresh.length, 2);
  });

  it('counts identical findings', () => {
    const twice = 'import random\ntoken = random.randint(0, 9)\ntoken = random.randint(0, 9)\n';
    const b = createBaseline([{ file: '/p/a.py', text: twice, findings: findings(twice) }], '/p/b.json');
    assert.equal(b.findings[0]!.count, 2);
    const thrice = twice + 'token = random.randint(0, 9)\n';
    assert.equal(applyBaseline(parseBaseline(serialiseBaseline(b)), '/p/b.json', '/p/a.py', thrice, findings(thrice)).fresh.length, 1);
  });

  it('rejects a file that is not a baseline with a clear message', () => {
    assert.throws(() => parseBaseline('{"x": 1}'), /not a Parapet baseline/);
    assert.throws(() => parseBaseline('nope'), /invalid JSON/);
  });

  it('CLI: --baseline writes the file once, then reports only new findings', () => {
    ensureBuilt();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-bl-'));
    fs.writeFileSync(path.join(dir, 'app.py'), V1);
    const cli = (args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'server', 'out', 'cli.js'), ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const first = cli(['check', '--baseline', 'parapet-baseline.json', '.']);
    assert.equal(first.status, 0);
    assert.match(first.stderr, /Wrote baseline parapet-baseline\.json with 2 findings/);
    assert.equal(cli(['check', '--baseline', 'parapet-baseline.json', '.']).status, 0);
    fs.appendFileSync(path.join(dir, 'app.py'), '    pin = random.randint(0, 9)\n');
    const again = cli(['check', '--baseline', 'parapet-baseline.json', '.']);
    assert.equal(again.status, 1);
    assert.match(again.stdout, /generates `pin`/);
    assert.doesNotMatch(again.stdout, /generates `token`/);
    assert.match(again.stdout, /2 in the baseline, not shown\./);
    assert.equal(cli(['check', '--baseline', 'parapet-baseline.json', '--update-baseline', '.']).status, 0);
    assert.equal(cli(['check', '--baseline', 'parapet-baseline.json', '.']).status, 0);
    fs.writeFileSync(path.join(dir, 'broken.json'), '[]');
    const bad = cli(['check', '--baseline', 'broken.json', '.']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /broken\.json: not a Parapet baseline/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('editor: parapet.baseline dims baselined findings, or hides them', async () => {
    ensureBuilt();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-blls-'));
    const file = path.join(dir, 'app.py');
    const b = createBaseline([{ file, text: V1, findings: findings(V1).filter((f) => f.message.includes('`token`')) }], path.join(dir, 'base.json'));
    fs.writeFileSync(path.join(dir, 'base.json'), serialiseBaseline(b));
    const client = new TestClient({ workspace: dir, settings: { baseline: 'base.json' } });
    try {
      await client.initialize();
      await client.open(fileUri(file), V1);
      const dim = await client.diagnostics(fileUri(file));
      assert.deepEqual(dim.map((d) => `${d.severity}:${String(d.message).includes('(in the baseline)')}:${d.tags?.includes(1) ?? false}`), ['4:true:true', '1:false:false']);
      await client.changeSettings({ baseline: 'base.json', baselineMode: 'hide' });
      const hidden = await client.diagnostics(fileUri(file));
      assert.equal(hidden.length, 1);
      assert.match(String(hidden[0]!.message), /`otp`/);
      await client.changeSettings({ baseline: 'missing.json' });
      assert.equal((await client.diagnostics(fileUri(file))).length, 2);
      assert.ok(client.logs.some((l) => /missing\.json does not exist/.test(l)), client.logs.join('\n'));
    } finally {
      await client.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
