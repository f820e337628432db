// The checklist panel's server side, through the protocol: the background workspace scan with
// work-done progress and cancellation, editors answered while it runs, updates from file
// watchers and open editors, reviews written to .parapet/checklist.json, the exported report.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChecklistReport } from '../server/src/checklist/types';
import type { ChecklistResult, OwaspGroup } from '../server/src/protocol';
import { ensureBuilt, fileUri, TestClient } from './support/lsp-client';

function project(dir: string, files: number): void {
  fs.mkdirSync(path.join(dir, 'app'), { recursive: true });
  for (let i = 0; i < files; i++) {
    fs.writeFileSync(
      path.join(dir, 'app', `module_${i}.py`),
      `import os\n\n\ndef handler_${i}(request):\n    value = request.args.get("q")\n    return os.path.join("/srv/data", value or "")\n`,
    );
  }
}

async function checklist(client: TestClient, rescan = false): Promise<ChecklistResult> {
  return client.conn.sendRequest<ChecklistResult>('parapet/checklist', { rescan });
}

/** Asks until the scan of the first folder has ended (done or cancelled). */
async function settled(client: TestClient, timeoutMs = 60_000): Promise<ChecklistResult[number]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [first] = await checklist(client);
    if (first && first.scan.state !== 'scanning' && first.scan.state !== 'idle' && first.report) return first;
    if (Date.now() > until) throw new Error(`scan did not end: ${JSON.stringify(first?.scan)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function allItems(report: ChecklistReport) {
  return report.categories.flatMap((c) => c.items);
}

describe('checklist through the language server', function () {
  this.timeout(120_000);
  let tmp: string;
  let client: TestClient | undefined;

  before(() => ensureBuilt());
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-checklist-'));
  });
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('scans the workspace in the background with cancellable progress, then reports every file', async () => {
    project(tmp, 60);
    client = new TestClient({ workspace: tmp, workDoneProgress: true });
    await client.initialize();
    const first = await checklist(client);
    assert.equal(first.length, 1);
    assert.equal(first[0]!.folder, fileUri(tmp));
    const done = await settled(client);
    assert.equal(done.scan.state, 'done');
    assert.equal(done.scan.total, 60);
    assert.equal(done.report!.files, 60);
    assert.ok(done.report!.categories.length >= 10, 'every checklist category is present');
    const values = [...client.progress.values()].find((v) => v.some((x) => x.kind === 'begin'));
    assert.ok(values, 'work-done progress was created and begun');
    assert.equal(values[0]!.kind, 'begin');
    assert.equal(values[0]!.cancellable, true);
    assert.ok(values.some((v) => v.kind === 'report' && /^Scanning \d+\/60 files$/.test(v.message ?? '')), JSON.stringify(values));
    assert.equal(values.at(-1)!.kind, 'end');
  });

  it('stops the scan when the user cancels the progress, and says the checklist is partial', async () => {
    project(tmp, 1500);
    client = new TestClient({ workspace: tmp, workDoneProgress: true });
    await client.initialize();
    await checklist(client);
    // Wait for the first progress report, then cancel.
    let token: string | number | undefined;
    const until = Date.now() + 30_000;
    while (token === undefined && Date.now() < until) {
      token = [...client.progress.entries()].find(([, v]) => v.some((x) => x.kind === 'report'))?.[0];
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(token !== undefined, 'progress reported');
    await client.conn.sendNotification('window/workDoneProgress/cancel', { token });
    const end = await settled(client);
    assert.equal(end.scan.state, 'cancelled');
    assert.ok(end.scan.done < 1500, `stopped early (${end.scan.done})`);
    assert.ok(end.report!.problems.some((p) => /cancelled after \d+ of 1500 files/.test(p)), end.report!.problems.join('\n'));
    assert.equal(client.progress.get(token!)!.at(-1)!.kind, 'end');
  });

  it('answers diagnostics for an open editor while the scan runs', async () => {
    project(tmp, 800);
    client = new TestClient({ workspace: tmp, workDoneProgress: true });
    await client.initialize();
    await checklist(client);
    const uri = fileUri(path.join(tmp, 'editing.py'));
    await client.open(uri, 'import yaml\n\n\ndef load(data):\n    return yaml.load(data)\n');
    const started = performance.now();
    const ds = await client.diagnostics(uri);
    const ms = performance.now() - started;
    const [state] = await checklist(client);
    assert.deepEqual(ds.map((d) => d.code), ['SEC506']);
    // Reported, not asserted (timing is measured, not tested): the scan yields after every file.
    console.log(`      diagnostics during the scan (${state!.scan.state} ${state!.scan.done}/${state!.scan.total}): ${ms.toFixed(0)} ms`);
  });

  it('follows files created and deleted on disk (file watchers) and what open editors show', async () => {
    project(tmp, 3);
    client = new TestClient({ workspace: tmp });
    await client.initialize();
    await checklist(client);
    assert.equal((await settled(client)).report!.files, 3);

    const added = path.join(tmp, 'app', 'loader.py');
    fs.writeFileSync(added, 'import pickle\n\n\ndef load(blob):\n    return pickle.loads(blob)\n');
    let changed = client.nextChecklistChange();
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(added), type: 1 }] });
    await changed;
    assert.equal((await settled(client)).report!.files, 4);
    let groups = await client.conn.sendRequest<OwaspGroup[]>('parapet/findingsByOwasp');
    const pickle = groups.flatMap((g) => g.rules).find((r) => r.ruleId === 'SEC301');
    assert.ok(pickle, JSON.stringify(groups));
    assert.deepEqual(pickle.findings.map((f) => [f.file, f.range.start.line]), [['app/loader.py', 4]]);

    // The editor's unsaved text replaces the file on disk.
    changed = client.nextChecklistChange();
    await client.open(fileUri(added), 'import json\n\n\ndef load(blob):\n    return json.loads(blob)\n');
    await client.diagnostics(fileUri(added));
    await changed;
    groups = await client.conn.sendRequest<OwaspGroup[]>('parapet/findingsByOwasp');
    assert.equal(groups.flatMap((g) => g.rules).find((r) => r.ruleId === 'SEC301'), undefined);

    // Closed without saving: the disk version counts again.
    changed = client.nextChecklistChange();
    await client.close(fileUri(added));
    await changed;
    groups = await client.conn.sendRequest<OwaspGroup[]>('parapet/findingsByOwasp');
    assert.ok(groups.flatMap((g) => g.rules).find((r) => r.ruleId === 'SEC301'));

    fs.rmSync(added);
    changed = client.nextChecklistChange();
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(added), type: 3 }] });
    await changed;
    assert.equal((await settled(client)).report!.files, 3);
  });

  it('stores a review in .parapet/checklist.json and exports the Markdown report atomically', async () => {
    project(tmp, 2);
    client = new TestClient({ workspace: tmp });
    await client.initialize();
    await checklist(client);
    const before = (await settled(client)).report!;
    const target = allItems(before).find((i) => i.status === 'needs-review') ?? allItems(before)[0]!;
    assert.ok(target, 'the checklist has items');
    await client.conn.sendRequest('parapet/setReview', {
      folder: fileUri(tmp),
      itemId: target.id,
      review: { status: 'accepted-risk', reason: 'handled by the platform team', date: '2026-11-24' },
    });
    const stored = JSON.parse(fs.readFileSync(path.join(tmp, '.parapet', 'checklist.json'), 'utf8')) as { items: Record<string, { reason: string }> };
    assert.equal(stored.items[target.id]!.reason, 'handled by the platform team');
    const after = (await settled(client)).report!;
    const reviewed = allItems(after).find((i) => i.id === target.id)!;
    assert.equal(reviewed.review?.status, 'accepted-risk');
    assert.equal(reviewed.status, target.status, 'a review does not change what the code says');

    const out = path.join(tmp, 'SECURITY-REPORT.md');
    await client.conn.sendRequest('parapet/exportReport', { folder: fileUri(tmp), target: out });
    const md = fs.readFileSync(out, 'utf8');
    assert.match(md, /^# /m);
    assert.ok(md.includes(target.title), 'the report lists the items');
    assert.deepEqual(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');

    await client.conn.sendRequest('parapet/setReview', { folder: fileUri(tmp), itemId: target.id, review: null });
    const cleared = JSON.parse(fs.readFileSync(path.join(tmp, '.parapet', 'checklist.json'), 'utf8')) as { items: Record<string, unknown> };
    assert.equal(cleared.items[target.id], undefined);
  });

  it('reports an export to a folder that does not exist as an error, without crashing', async () => {
    project(tmp, 1);
    client = new TestClient({ workspace: tmp });
    await client.initialize();
    await checklist(client);
    await settled(client);
    await assert.rejects(client.conn.sendRequest('parapet/exportReport', { folder: fileUri(tmp), target: path.join(tmp, 'missing', 'r.md') }), /ENOENT|no such file/);
    assert.equal((await checklist(client)).length, 1, 'the server still answers');
  });
});
