// npx tsx scripts/bench-memory.ts [--edits N] [--points N] [--gc] [--node-args "..."] [--snapshots DIR]
//
// The memory part of scripts/bench.ts on its own, with the server's own numbers: Django's 50
// largest modules (bench/.cache/corpus/python3-django, which `npm run bench` unpacks) open in
// the real server over stdio, then the same seeded single-character edits, the edited file's
// diagnostics pulled every 50 edits. At each point it prints RSS (from /proc), V8's heapUsed,
// heapTotal and external, the wasm memory size and the live tree count, from the
// `parapet/debugMemory` request the server answers when PARAPET_DEBUG_MEMORY=1. With --gc the
// server runs with --expose-gc and collects before each reading (RSS is read after that too).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureBuilt, TestClient } from '../test/support/lsp-client';
import { editingSession, largestModules } from './bench-editing';

const ROOT = path.resolve(__dirname, '..');
const DJANGO = path.join(ROOT, 'bench', '.cache', 'corpus', 'python3-django', 'usr', 'lib', 'python3', 'dist-packages', 'django');

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const EDITS = Number(flag('edits', '10000'));
const POINTS = Number(flag('points', '4'));
const GC = process.argv.includes('--gc');
const NODE_ARGS = flag('node-args', '').split(' ').filter(Boolean);
/** A folder: a heap snapshot is written there at each point. */
const SNAPSHOTS = flag('snapshots', '');



interface DebugMemory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  wasmBytes: number;
  liveTrees: number;
  treesHeld: number;
}

const MiB = (n: number): string => (n / 1048576).toFixed(0);

async function main(): Promise<void> {
  if (!fs.existsSync(DJANGO)) throw new Error(`no Django corpus at ${DJANGO}: run npm run bench once`);
  ensureBuilt();
  const files = largestModules(DJANGO, 50);
  const lines = files.reduce((n, x) => n + x.t.split('\n').length - 1, 0);
  const client = new TestClient({ pull: true, env: { PARAPET_DEBUG_MEMORY: '1' }, nodeArgs: [...(GC ? ['--expose-gc'] : []), ...NODE_ARGS] });
  const rows: string[][] = [];
  let point = 0;
  const read = async (label: string): Promise<void> => {
    const heapSnapshot = SNAPSHOTS ? path.resolve(SNAPSHOTS, `point-${point++}.heapsnapshot`) : undefined;
    const m = (await client.conn.sendRequest('parapet/debugMemory', { gc: GC, ...(heapSnapshot ? { heapSnapshot } : {}) })) as DebugMemory;
    const status = fs.readFileSync(`/proc/${client.proc.pid}/status`, 'utf8');
    const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) * 1024;
    rows.push([label, MiB(rss), MiB(m.heapUsed), MiB(m.heapTotal), MiB(m.external), MiB(m.wasmBytes), String(m.liveTrees), String(m.treesHeld)]);
    process.stderr.write(`${rows.at(-1)!.join('\t')}\n`);
  };
  try {
    await client.initialize();
    await read('started, nothing open');
    await editingSession(client, files, EDITS, POINTS, (moment, done) =>
      read(moment === 'opened' ? `${files.length} files open (${lines} lines)` : moment === 'end' ? 'all re-analysed, 3 s later' : `after ${done} edits`),
    );
  } finally {
    await client.stop();
  }
  const header = ['moment', 'RSS', 'heapUsed', 'heapTotal', 'external', 'wasm', 'live trees', 'trees held'];
  process.stdout.write(
    [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n') + '\n(MiB except the counts)\n',
  );
}

void main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
