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
import { ensureBuilt, fileUri, TestClient } from '../test/support/lsp-client';

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

function pyFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) pyFiles(p, out);
    else if (e.isFile() && e.name.endsWith('.py')) out.push(p);
  }
  return out.sort();
}

/** Same PRNG and seed as scripts/bench.ts, so the edits are the same. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
  const files = pyFiles(DJANGO)
    .map((f) => ({ f, t: fs.readFileSync(f, 'utf8') }))
    .sort((a, b) => b.t.length - a.t.length || (a.f < b.f ? -1 : 1))
    .slice(0, 50);
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
    const uris = files.map((x) => fileUri(x.f));
    for (let i = 0; i < files.length; i++) {
      await client.open(uris[i]!, files[i]!.t);
      await client.diagnostics(uris[i]!);
    }
    await read(`${files.length} files open (${lines} lines)`);
    const random = rng(7);
    const letters = 'abcdefghijklmnopqrstuvwxyz_ ';
    for (let n = 0; n < EDITS; n++) {
      const uri = uris[Math.floor(random() * uris.length)]!;
      const doc = client.docs.get(uri)!;
      const text = doc.getText();
      const at = Math.floor(random() * text.length);
      if (n % 2 === 0 || text[at] === '\n' || at >= text.length) await client.edit(uri, at, at, letters[Math.floor(random() * letters.length)]!);
      else await client.edit(uri, at, at + 1, '');
      if (n % 50 === 49) await client.diagnostics(uri);
      if ((n + 1) % Math.max(1, Math.floor(EDITS / POINTS)) === 0) await read(`after ${n + 1} edits`);
    }
    for (const uri of uris) await client.diagnostics(uri);
    await new Promise((r) => setTimeout(r, 3000));
    await read('all re-analysed, 3 s later');
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
