// npm run measure:scan [FILES]: the checklist's workspace scan through the real server over
// stdio, on a generated workspace of FILES Python files (default 3,000): how long the scan
// takes, and how long an open editor waits for its diagnostics while the scan runs (pull after
// an edit, several times). It prints numbers; it never fails.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChecklistResult } from '../server/src/protocol';
import { ensureBuilt, fileUri, TestClient } from '../test/support/lsp-client';

const FILES = Number(process.argv[2] ?? 3000);

const MODULE = (i: number): string => `"""Module ${i}: request handlers."""
import os
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/items/${i}")
def item_${i}():
    name = request.args.get("name", "")
    path = os.path.join("/srv/items", name)
    with open(path) as f:
        data = f.read()
    if request.args.get("debug"):
        subprocess.run(["ls", "-l", path], check=False)
    return {"name": name, "size": len(data)}


def helper_${i}(values):
    total = 0
    for v in values:
        total += len(str(v))
    return total
`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  ensureBuilt();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-scan-'));
  for (let i = 0; i < FILES; i++) {
    const sub = path.join(dir, `pkg${Math.floor(i / 100)}`);
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(sub, `mod_${i}.py`), MODULE(i));
  }
  const client = new TestClient({ workspace: dir, workDoneProgress: true });
  try {
    await client.initialize();
    const editing = fileUri(path.join(dir, 'editing.py'));
    await client.open(editing, 'import yaml\n\n\ndef load(data):\n    return yaml.load(data)\n');
    await client.diagnostics(editing);

    const started = performance.now();
    await client.conn.sendRequest<ChecklistResult>('parapet/checklist', {});
    const latencies: number[] = [];
    let state: ChecklistResult[number] | undefined;
    for (let n = 0; ; n++) {
      // An edit, then the pull the editor sends: how long until fresh diagnostics.
      const t = performance.now();
      await client.edit(editing, 0, 0, n % 2 ? '#' : ' ');
      await client.diagnostics(editing);
      latencies.push(performance.now() - t);
      [state] = await client.conn.sendRequest<ChecklistResult>('parapet/checklist', {});
      if (state && state.scan.state !== 'scanning') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const scanMs = performance.now() - started;
    const sorted = [...latencies].sort((a, b) => a - b);
    const progress = [...client.progress.values()].flat().filter((v) => v.kind === 'report').length;
    console.log(`workspace: ${FILES} files (${os.cpus().length} cores, Node ${process.version})`);
    console.log(`scan: ${state?.scan.state} ${state?.scan.done}/${state?.scan.total} files in ${(scanMs / 1000).toFixed(1)} s (${(FILES / (scanMs / 1000)).toFixed(0)} files/s), ${progress} progress reports`);
    console.log(`diagnostics after an edit during the scan (${latencies.length} samples): p50 ${percentile(sorted, 50).toFixed(0)} ms, p95 ${percentile(sorted, 95).toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`);
    const report = state?.report;
    if (report) console.log(`checklist: ${report.score.passed}/${report.score.applicable} passed over ${report.files} files`);
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
