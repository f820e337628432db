// Load: 200 documents opened and edited concurrently through the protocol client, with a seeded
// random interleaving of edits, diagnostic pulls, hovers and code actions (some cancelled). Every
// request must be answered or cancelled, the final diagnostics of every document must be those
// of its latest text (no lost or stale sets), and the server's memory stays bounded (RSS is
// printed; the assertion is a generous ceiling, not a measurement).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CancellationTokenSource, type Diagnostic } from 'vscode-languageserver-protocol';
import { analyzeSource } from '../server/src/engine/analyze';
import { options, ready } from './support/engine';
import { fixtureFiles, loadFixture } from './support/fixtures';
import { ensureBuilt, fileUri, TestClient } from './support/lsp-client';
import { mulberry32 } from './support/random';

const DOCS = 200;
const OPS = 2000;
const SNIPPETS = ['x', ' ', '\n', '(', ')', '"', '#', 'random.randint(0, 9)', 'eval(s)', 'import random\n', 'subprocess.run(c, shell=True)\n', '😀', '\r\n', '  # nosec'];

/** Server RSS in MB from /proc (Linux), or null elsewhere. */
function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

function key(d: Pick<Diagnostic, 'code' | 'range'>): string {
  return `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;
}

/** What the engine finds in a text, as the server would show it. */
function expected(text: string, file: string): string[] {
  return analyzeSource(text, file, options()).findings.map((f) => key({ code: f.ruleId, range: f.range })).sort();
}

/** One seeded session: open every document, then interleave operations without waiting. */
async function session(client: TestClient, tmp: string, seed: number, pull: boolean) {
  const rand = mulberry32(seed);
  const bases = fixtureFiles().map((f) => loadFixture(f).text);
  const uris: string[] = [];
  for (let i = 0; i < DOCS; i++) {
    const uri = fileUri(path.join(tmp, `${pull ? 'pull' : 'push'}_${i}.py`));
    uris.push(uri);
    void client.open(uri, bases[i % bases.length]!);
  }
  const pending: Promise<unknown>[] = [];
  let cancelled = 0;
  for (let op = 0; op < OPS; op++) {
    const uri = uris[Math.floor(rand() * DOCS)]!;
    const doc = client.docs.get(uri)!;
    const r = rand();
    if (r < 0.55) {
      const text = doc.getText();
      let at = Math.floor(rand() * (text.length + 1));
      // Never split a surrogate pair or a CRLF, as an editor never does.
      while (at > 0 && at < text.length && ((text.charCodeAt(at) & 0xfc00) === 0xdc00 || (text[at] === '\n' && text[at - 1] === '\r'))) at--;
      const del = rand() < 0.3 ? Math.min(text.length - at, Math.floor(rand() * 6)) : 0;
      let end = at + del;
      while (end < text.length && ((text.charCodeAt(end) & 0xfc00) === 0xdc00 || (text[end] === '\n' && text[end - 1] === '\r'))) end++;
      void client.edit(uri, at, end, SNIPPETS[Math.floor(rand() * SNIPPETS.length)]!);
    } else {
      const source = new CancellationTokenSource();
      const offset = Math.floor(rand() * (doc.getText().length + 1));
      const position = doc.positionAt(offset);
      let request: Promise<unknown>;
      if (r < 0.75 && pull) request = client.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } }, source.token);
      else if (r < 0.88) request = client.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position }, source.token);
      else request = client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: [] } }, source.token);
      if (rand() < 0.2) {
        cancelled++;
        source.cancel();
      }
      pending.push(request);
    }
    // Yield now and then so messages interleave with the server's answers.
    if (op % 50 === 0) await new Promise((res) => setImmediate(res));
  }
  const settled = await Promise.allSettled(pending);
  const rejected = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
  // Refusals allowed: cancelled by us (-32800), or content modified / server cancelled.
  const bad = rejected.filter((s) => ![-32800, -32801, -32802].includes((s.reason as { code?: number }).code ?? 0));
  assert.deepEqual(bad.map((s) => String(s.reason)), [], 'every request answered or cancelled');
  return { uris, requests: pending.length, cancelled, refused: rejected.length };
}

describe('load: 200 documents edited concurrently', function () {
  this.timeout(240_000);
  let tmp: string;

  before(async () => {
    ensureBuilt();
    await ready;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-load-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('pull: every request answered or cancelled, final diagnostics match each latest text, memory bounded', async () => {
    const client = new TestClient({ workspace: tmp });
    try {
      await client.initialize();
      const before = rssMb(client.proc.pid!);
      const started = performance.now();
      const s = await session(client, tmp, 2026, true);
      let mismatches = 0;
      for (const uri of s.uris) {
        const doc = client.docs.get(uri)!;
        const got = (await client.diagnostics(uri)).map(key).sort();
        const want = expected(doc.getText(), new URL(uri).pathname);
        if (JSON.stringify(got) !== JSON.stringify(want)) mismatches++;
        assert.deepEqual(got, want, `${uri} v${doc.version}: diagnostics are not those of the latest text`);
      }
      const after = rssMb(client.proc.pid!);
      console.log(`      pull: ${DOCS} docs, ${OPS} operations, ${s.requests} requests (${s.cancelled} cancelled, ${s.refused} refused) in ${Math.round(performance.now() - started)} ms; server RSS ${before} MB -> ${after} MB`);
      assert.equal(mismatches, 0);
      if (after !== null) assert.ok(after < 1024, `server RSS ${after} MB`);
    } finally {
      await client.stop();
    }
  });

  it('push: the last published set of every document is for its latest version and matches its text', async () => {
    const client = new TestClient({ workspace: tmp, pull: false });
    try {
      await client.initialize();
      const started = performance.now();
      const s = await session(client, tmp, 4711, false);
      for (const uri of s.uris) {
        const doc = client.docs.get(uri)!;
        const list = client.pushed.get(uri) ?? [];
        const latest = list.length && list[list.length - 1]!.version === doc.version ? list[list.length - 1]! : await client.nextPush(uri, doc.version, 30_000);
        assert.deepEqual(latest.diagnostics.map(key).sort(), expected(doc.getText(), new URL(uri).pathname), `${uri} v${doc.version}`);
        // No set for an older version arrives after the latest one.
        const versions = (client.pushed.get(uri) ?? []).map((p) => p.version ?? -1);
        assert.equal(versions[versions.length - 1], doc.version, `${uri}: published versions ${versions.join(',')}`);
        assert.deepEqual([...versions].sort((a, b) => a - b), versions, `${uri}: published versions in order`);
      }
      console.log(`      push: ${DOCS} docs, ${OPS} operations in ${Math.round(performance.now() - started)} ms; server RSS ${rssMb(client.proc.pid!)} MB`);
    } finally {
      await client.stop();
    }
  });
});
