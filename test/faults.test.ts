// Fault isolation: a rule that throws is skipped for that file with one logged error while the
// other rules still report (through the real server, with a test hook that makes a rule throw);
// requests with nonsense arguments are answered without taking the server down; a server whose
// editor goes away exits by itself; and the client's restart decisions after a crash.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MAX_RESTARTS, RESTART_WINDOW_MS, RestartPolicy } from '../client/src/restart';
import { ensureBuilt, fileUri, TestClient } from './support/lsp-client';

const TWO_PROBLEMS = 'import random\nimport sqlite3\n\ndef f(conn, email):\n    token = random.randint(0, 9)\n    conn.execute(f"SELECT * FROM u WHERE e = \'{email}\'")\n    return token\n';

function exited(client: TestClient, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null } | null> {
  if (client.proc.exitCode !== null || client.proc.signalCode !== null) return Promise.resolve({ code: client.proc.exitCode, signal: client.proc.signalCode });
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(null), timeoutMs);
    client.proc.once('exit', (code, signal) => {
      clearTimeout(t);
      resolve({ code, signal });
    });
  });
}

describe('fault isolation', function () {
  this.timeout(60_000);
  let tmp: string;

  before(() => {
    ensureBuilt();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-faults-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('a rule that throws in the server is skipped for the file, logged once, and the other rules still report', async () => {
    const client = new TestClient({ workspace: tmp, env: { PARAPET_TEST_THROWING_RULE: 'SEC311' } });
    try {
      await client.initialize();
      const uri = fileUri(path.join(tmp, 'faulty.py'));
      await client.open(uri, TWO_PROBLEMS);
      assert.deepEqual((await client.diagnostics(uri)).map((d) => d.code), ['SEC608']);
      // Edits re-run the analysis: still no crash, still the other findings.
      for (let i = 0; i < 3; i++) {
        await client.edit(uri, 0, 0, '#\n');
        assert.deepEqual((await client.diagnostics(uri)).map((d) => d.code), ['SEC608']);
      }
      const errors = client.logs.filter((l) => /SEC311 \(random-security-value\) failed on .*faulty\.py and is skipped for this file/.test(l));
      assert.equal(errors.length, 1, `one logged error for the file, got:\n${client.logs.join('\n')}`);
      assert.match(errors[0]!, /injected fault/);
      // Another file gets its own (single) error, and the server stays up.
      const other = fileUri(path.join(tmp, 'other.py'));
      await client.open(other, TWO_PROBLEMS);
      assert.deepEqual((await client.diagnostics(other)).map((d) => d.code), ['SEC608']);
      assert.equal(client.logs.filter((l) => /SEC311 .*failed on .*other\.py/.test(l)).length, 1);
      assert.equal(client.proc.exitCode, null);
    } finally {
      await client.stop();
    }
  });

  it('requests with nonsense arguments are answered (or refused) and the server keeps serving', async () => {
    const client = new TestClient({ workspace: tmp });
    try {
      await client.initialize();
      const ghost = fileUri(path.join(tmp, 'never-opened.py'));
      const answers = await Promise.allSettled([
        client.conn.sendRequest('textDocument/hover', { textDocument: { uri: ghost }, position: { line: 5, character: 3 } }),
        client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri: ghost }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } }),
        client.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: ghost } }),
        client.execute('parapet.server.applyAutoFixes', [{ uri: ghost, version: 7 }]),
        client.execute('parapet.server.applyAutoFixes', ['not an object', 42, null]),
        client.execute('parapet.nope', []),
        client.conn.sendRequest('parapet/checklist', { nonsense: true }),
        client.conn.sendRequest('parapet/ruleDocumentation', { rule: 12 }),
      ]);
      assert.equal(answers.length, 8, 'every request settled');
      const uri = fileUri(path.join(tmp, 'after.py'));
      await client.open(uri, TWO_PROBLEMS);
      // A hover far past the end of an open document.
      await client.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 999, character: 999 } });
      assert.deepEqual((await client.diagnostics(uri)).map((d) => d.code).sort(), ['SEC311', 'SEC608']);
      assert.equal(client.proc.exitCode, null, client.stderr);
      assert.doesNotMatch(client.stderr, /Uncaught|Unhandled/);
    } finally {
      await client.stop();
    }
  });

  it('exits cleanly after shutdown and exit, and by itself when the editor goes away', async () => {
    const polite = new TestClient({ workspace: tmp });
    await polite.initialize();
    await polite.stop();
    assert.deepEqual({ code: polite.proc.exitCode, signal: polite.proc.signalCode }, { code: 0, signal: null });

    // The editor crashes: its end of the pipe closes without shutdown.
    const orphan = new TestClient({ workspace: tmp });
    await orphan.initialize();
    const uri = fileUri(path.join(tmp, 'orphan.py'));
    await orphan.open(uri, TWO_PROBLEMS);
    await orphan.diagnostics(uri);
    orphan.proc.stdin!.end();
    const r = await exited(orphan, 10_000);
    assert.ok(r, 'the server exits when its input closes');
    assert.equal(r.signal, null);
    orphan.conn.dispose();
  });

  it('a killed server is noticed by the client connection (which the editor restarts)', async () => {
    const client = new TestClient({ workspace: tmp });
    await client.initialize();
    const closed = new Promise<void>((resolve) => client.conn.onClose(() => resolve()));
    client.proc.kill('SIGKILL');
    await closed;
    const r = await exited(client, 5000);
    assert.deepEqual(r, { code: null, signal: 'SIGKILL' });
    client.conn.dispose();
    // The replacement the editor starts serves as before.
    const again = new TestClient({ workspace: tmp });
    try {
      await again.initialize();
      const uri = fileUri(path.join(tmp, 'restarted.py'));
      await again.open(uri, TWO_PROBLEMS);
      assert.deepEqual((await again.diagnostics(uri)).map((d) => d.code).sort(), ['SEC311', 'SEC608']);
    } finally {
      await again.stop();
    }
  });

  describe('client restart policy after a crash', () => {
    it('restarts with a notice, up to 4 times in 3 minutes, then stops and says how to restart', () => {
      const p = new RestartPolicy();
      const t0 = 1_000_000;
      for (let i = 1; i < MAX_RESTARTS; i++) {
        const d = p.closed(t0 + i * 1000);
        assert.equal(d.restart, true);
        if (d.restart) {
          assert.equal(d.count, i);
          assert.match(d.notice, /stopped unexpectedly and was restarted/);
          assert.match(d.log, new RegExp(`restarting it \\(${i}/${MAX_RESTARTS}\\)`));
        }
      }
      const last = p.closed(t0 + MAX_RESTARTS * 1000);
      assert.equal(last.restart, false);
      if (!last.restart) assert.match(last.message, /will not be restarted\. Run "Parapet: Restart Server"/);
    });

    it('crashes spread over more than 3 minutes keep being restarted; a manual restart resets the count', () => {
      const p = new RestartPolicy();
      for (let i = 0; i < 20; i++) assert.equal(p.closed(i * (RESTART_WINDOW_MS / 2)).restart, true);
      const q = new RestartPolicy();
      for (let i = 0; i < MAX_RESTARTS - 1; i++) q.closed(i);
      q.reset();
      assert.equal(q.closed(10).restart, true);
    });
  });
});
