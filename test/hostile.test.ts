// Hostile and odd input not covered by bad-input.test.ts (server documents) and cli.test.ts:
// 100,000-line and over-limit files, minified one-line files, mixed line endings with astral
// characters, malformed suppression comments, wrong-typed [tool.parapet] values, files that
// change on disk during a CLI scan, and a workspace with symlink loops, dangling links, a FIFO,
// a folder named like a module, unreadable and invalid UTF-8 files.

import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeSource, DEFAULT_MAX_CHARS } from '../server/src/engine/analyze';
import { applyEdits, fixAll } from '../server/src/engine/fixes';
import { findings, options, ready, syntaxErrors } from './support/engine';
import { ensureBuilt, fileUri, ROOT, TestClient } from './support/lsp-client';

const CLI = path.join(ROOT, 'server', 'out', 'cli.js');

function where(text: string, rule: string): string[] {
  const doc = TextDocument.create('file:///x.py', 'python', 0, text);
  return findings(text)
    .filter((f) => f.ruleId === rule)
    .map((f) => {
      // The range and the offsets must agree (as the editor computes positions from offsets).
      assert.deepEqual(f.range.start, doc.positionAt(f.start));
      assert.deepEqual(f.range.end, doc.positionAt(f.end));
      return `${f.range.start.line}:${f.range.start.character}`;
    });
}

describe('hostile input (engine)', function () {
  this.timeout(120_000);
  before(() => ready);

  it('a 100,000-line file: analysed within its budget, or cut off with a notice', () => {
    const text = 'import random\n' + 'x = 1\n'.repeat(99_998) + 'token = random.randint(0, 9)\n';
    assert.equal(text.split('\n').length - 1, 100_000);
    const started = performance.now();
    const r = analyzeSource(text, 'lines.py', options());
    console.log(`      100,000 lines (${(text.length / 1024).toFixed(0)} KB): ${Math.round(performance.now() - started)} ms`);
    if (r.notices.some((n) => n.kind === 'time-limit')) assert.ok(r.findings.length <= 1);
    else assert.deepEqual(r.findings.map((f) => `${f.ruleId}@${f.range.start.line}`), ['SEC311@99999']);
  });

  it('a parse over its time budget is cut off with a notice, and the next parse is unaffected', () => {
    const text = 'import random\n' + 'def f(x):\n    return [x, {x: (x, x)}]\n'.repeat(40_000);
    const r = analyzeSource(text, 'slow.py', { ...options(), parseBudgetMs: 0 });
    assert.deepEqual(r.findings, []);
    assert.deepEqual(r.notices.map((n) => n.kind), ['time-limit']);
    assert.match(r.notices[0]!.message, /slow\.py could not be parsed within 0 ms; not analysed\./);
    assert.deepEqual(findings('import random\ntoken = random.randint(0, 9)\n').map((f) => f.ruleId), ['SEC311']);
  });

  it('a file over 10 MB is not analysed, with a clear notice', () => {
    const text = 'x = 1\n'.repeat(Math.ceil((DEFAULT_MAX_CHARS + 1) / 6));
    const r = analyzeSource(text, 'huge.py', options());
    assert.deepEqual(r.findings, []);
    assert.deepEqual(r.notices.map((n) => n.kind), ['file-too-large']);
    assert.match(r.notices[0]!.message, /huge\.py is 10\.0 MB, over the 10\.0 MB limit; not analysed\./);
  });

  it('a minified one-line file: findings at the right (large) columns', () => {
    const parts: string[] = ['import random'];
    for (let i = 0; i < 20_000; i++) parts.push(`v${i}=${i}`);
    parts.push('token=random.randint(0,9)');
    for (let i = 0; i < 5_000; i++) parts.push(`w${i}=${i}`);
    const text = parts.join(';');
    const col = text.indexOf('random.randint');
    assert.deepEqual(where(text, 'SEC311'), [`0:${col}`]);
  });

  it('mixed LF, CRLF and CR line endings with tabs and surrogate pairs: lines and UTF-16 columns agree', () => {
    const text = 'import random\r\n\t# 😀 emoji\rx = "𝒳𝒴"; token = random.randint(0, 9)\n\ty = 1\r\nif x:\r\n\tz = "😀"; secret = random.choice(s)\r';
    assert.deepEqual(where(text, 'SEC311'), ['2:20', '5:20']);
    // Fixes keep every line ending and never split a pair.
    const fixed = fixAll(text, 'x.py', options()).text;
    assert.deepEqual(syntaxErrors(fixed), []);
    assert.equal((fixed.match(/\r\n/g) ?? []).length, (text.match(/\r\n/g) ?? []).length + (fixed.includes('import secrets') ? 1 : 0));
    assert.doesNotMatch(fixed, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/, 'no lone surrogate');
  });

  it('unknown or malformed suppression comments never hide or break anything', () => {
    const base = 'import random\n';
    const finding = 'token = random.randint(0, 9)';
    const comments = [
      '# parapet: ignore[',
      '# parapet: ignore[]',
      '# parapet: ignore[,,]',
      '# parapet: ignore[SEC311',
      '# parapet: ignore SEC311',
      '# parapet:ignore[SEC3111]',
      '# parapet: ignore[😀]',
      '# parapet: ignore-file[',
      '# parapet: ignorefile[SEC311]',
      '# parapet: disable[SEC311]',
      '# parapet: ' + '['.repeat(5000),
      '# nosec B9999',
      '# noqa:',
      '# noqa: S',
      '# nosec: ' + 'B311,'.repeat(2000),
    ];
    for (const c of comments) {
      const text = `${base}${finding}  ${c}\n`;
      const r = analyzeSource(text, 'x.py', options());
      assert.ok(r.notices.every((n) => n.kind !== 'rule-error'), `${c}: ${r.notices.map((n) => n.message).join()}`);
      for (const f of r.findings) {
        assert.ok(f.end <= text.length);
        for (const fix of f.fixes) applyEdits(text, fix.edits);
        if (f.ignoreEdit) applyEdits(text, [f.ignoreEdit]);
      }
    }
    // A well-formed one still works after all that.
    assert.deepEqual(findings(`${base}${finding}  # parapet: ignore[SEC311]\n`).map((f) => f.ruleId), []);
  });
});

describe('hostile input (command line and workspace scan)', function () {
  this.timeout(120_000);
  let tmp: string;

  before(() => {
    ensureBuilt();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-hostile-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function cli(args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  }

  /** A workspace with every awkward kind of directory entry. */
  function awkward(name: string): string {
    const root = path.join(tmp, name);
    fs.mkdirSync(path.join(root, 'pkg', 'module.py'), { recursive: true }); // a folder named like a module
    fs.writeFileSync(path.join(root, 'pkg', 'app.py'), 'import random\ntoken = random.randint(0, 9)\n');
    fs.writeFileSync(path.join(root, 'latin1.py'), Buffer.from([0x23, 0x20, 0xe9, 0x0a, ...Buffer.from('import random\ntoken = random.randint(0, 9)\n')]));
    fs.symlinkSync(root, path.join(root, 'pkg', 'loop'));
    fs.symlinkSync(path.join(root, 'missing.py'), path.join(root, 'dangling.py'));
    fs.symlinkSync(path.join(root, 'self.py'), path.join(root, 'self.py'));
    spawnSync('mkfifo', [path.join(root, 'pipe.py')]);
    fs.writeFileSync(path.join(root, 'secret.py'), 'import random\ntoken = random.randint(0, 9)\n', { mode: 0o000 });
    return root;
  }

  it('CLI: symlink loops, dangling and self links, a FIFO, a folder named x.py, unreadable and invalid UTF-8 files', () => {
    const root = awkward('awkward-cli');
    const r = cli(['check', '--format', 'json', '.'], root);
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    const files = [...new Set((JSON.parse(r.stdout) as { file: string }[]).map((i) => i.file))].sort();
    // Running as root, a 000 file is still readable; otherwise it is reported as unreadable.
    const readable = process.getuid?.() === 0;
    assert.deepEqual(files, ['latin1.py', 'pkg/app.py', ...(readable ? ['secret.py'] : [])]);
    if (!readable) assert.match(r.stderr, /secret\.py: cannot read/);
    assert.match(r.stderr, /latin1\.py is not valid UTF-8/);
  });

  it('CLI: wrong-typed [tool.parapet] values are reported and the check still runs', () => {
    const root = path.join(tmp, 'types');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'pyproject.toml'), '[tool.parapet]\nignore = 5\nselect = "SEC3"\nexclude = [1, 2]\nper-file-ignores = "tests/*"\nseverity = ["error"]\nmin-confidence = 3\n');
    fs.writeFileSync(path.join(root, 'app.py'), 'import random\ntoken = random.randint(0, 9)\n');
    const r = cli(['check', '--format', 'json', '.'], root);
    assert.ok(r.code === 1 || r.code === 2, `exit ${r.code}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    for (const key of ['ignore', 'select', 'per-file-ignores', 'severity', 'min-confidence']) assert.match(r.stderr, new RegExp(`pyproject\\.toml:\\d+: \`${key}\` must be`), key);
    assert.match(r.stderr, /`exclude` entry 1 is not a string; skipped/);
    assert.ok(Array.isArray(JSON.parse(r.stdout)));
  });

  it('CLI: files rewritten, truncated and deleted on disk during a scan', async () => {
    const root = path.join(tmp, 'churn');
    const N = 150;
    const body = 'import random\n\n\ndef f():\n    token = random.randint(0, 9)\n    return token\n';
    for (let i = 0; i < N; i++) {
      fs.mkdirSync(path.join(root, `d${i % 10}`), { recursive: true });
      fs.writeFileSync(path.join(root, `d${i % 10}`, `m${i}.py`), body);
    }
    const child = spawn(process.execPath, [CLI, 'check', '--format', 'json', '.'], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let running = true;
    void exited.then(() => (running = false));
    let round = 0;
    while (running && round < 2000) {
      const i = round % N;
      const file = path.join(root, `d${i % 10}`, `m${i}.py`);
      const what = round % 4;
      try {
        if (what === 0) fs.rmSync(file, { force: true });
        else if (what === 1) fs.writeFileSync(file, body.slice(0, (round * 7) % body.length));
        else if (what === 2) fs.writeFileSync(file, Buffer.from([0xff, 0x00, 0xfe]));
        else fs.writeFileSync(file, body + 'x = 1\n'.repeat(round % 50));
      } catch {
        // The folder may be mid-change too; carry on.
      }
      round++;
      await new Promise((r) => setImmediate(r));
    }
    const code = await exited;
    assert.ok(code === 0 || code === 1, `exit ${code}: ${stderr}`);
    assert.doesNotMatch(stderr, /\n\s+at |Uncaught|TypeError|RangeError/, stderr);
    const items = JSON.parse(stdout) as { file: string; rule: string; line: number }[];
    assert.ok(items.every((i) => i.rule === 'SEC311' && i.line === 5), 'every finding is one the files really had');
    console.log(`      ${round} changes on disk during the scan; ${items.length} findings; exit ${code}`);
  });

  it('workspace scan in the server: the awkward workspace completes and the server keeps serving', async () => {
    const root = awkward('awkward-lsp');
    const client = new TestClient({ workspace: root });
    try {
      await client.initialize();
      let report: { scan: { state: string }; report: { files: number } | null }[] = [];
      for (let i = 0; i < 300; i++) {
        report = await client.conn.sendRequest('parapet/checklist', {});
        if (report.every((r) => r.scan.state === 'done')) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(report[0]!.scan.state, 'done');
      const files = report[0]!.report!.files;
      assert.ok(files >= 2);
      // A FIFO created after the scan and reported by the file watcher must not block the
      // update of the files reported with it (reading a FIFO waits for a writer forever).
      spawnSync('mkfifo', [path.join(root, 'late.py')]);
      fs.writeFileSync(path.join(root, 'later.py'), 'import pickle\npickle.loads(b)\n');
      const changed = client.nextChecklistChange();
      await client.conn.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [{ uri: fileUri(path.join(root, 'late.py')), type: 1 }, { uri: fileUri(path.join(root, 'later.py')), type: 1 }],
      });
      await changed;
      report = await client.conn.sendRequest('parapet/checklist', {});
      assert.equal(report[0]!.report!.files, files + 1);
      const uri = fileUri(path.join(root, 'pkg', 'app.py'));
      await client.open(uri, 'import random\ntoken = random.randint(0, 9)\n');
      assert.deepEqual((await client.diagnostics(uri)).map((d) => d.code), ['SEC311']);
      assert.equal(client.proc.exitCode, null, client.stderr);
    } finally {
      await client.stop();
    }
  });
});
