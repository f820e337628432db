// The editing session shared by scripts/bench.ts (its memory section) and
// scripts/bench-memory.ts: the same files, the same seeded edits, readings at the same points.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileUri, type TestClient } from '../test/support/lsp-client';

/** Every .py file under `dir`, sorted. */
export function pyFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) pyFiles(p, out);
    else if (e.isFile() && e.name.endsWith('.py')) out.push(p);
  }
  return out.sort();
}

/** mulberry32: a small seeded PRNG, so every run makes the same edits. */
export function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SourceFile {
  f: string;
  t: string;
}

/** The `count` largest .py files under `dir` (ties by path), with their text. */
export function largestModules(dir: string, count: number): SourceFile[] {
  return pyFiles(dir)
    .map((f) => ({ f, t: fs.readFileSync(f, 'utf8') }))
    .sort((a, b) => b.t.length - a.t.length || (a.f < b.f ? -1 : 1))
    .slice(0, count);
}

export const EDITS_PER_PULL = 50;

/**
 * Opens `files` in an initialized client (pulling each one's diagnostics), then makes `edits`
 * seeded single-character edits spread over them, pulling the edited file's diagnostics every
 * EDITS_PER_PULL edits so the server keeps up; finally pulls every file once more and waits
 * 3 s for the collector. `read` is called after opening, at `points` even steps of the edits
 * and at the end.
 */
export async function editingSession(
  client: TestClient,
  files: readonly SourceFile[],
  edits: number,
  points: number,
  read: (moment: 'opened' | 'edits' | 'end', editsDone: number) => Promise<void> | void,
): Promise<void> {
  const uris = files.map((x) => fileUri(x.f));
  for (let i = 0; i < files.length; i++) {
    await client.open(uris[i]!, files[i]!.t);
    await client.diagnostics(uris[i]!);
  }
  await read('opened', 0);
  const random = rng(7);
  const letters = 'abcdefghijklmnopqrstuvwxyz_ ';
  for (let n = 0; n < edits; n++) {
    const uri = uris[Math.floor(random() * uris.length)]!;
    const text = client.docs.get(uri)!.getText();
    const at = Math.floor(random() * text.length);
    if (n % 2 === 0 || text[at] === '\n' || at >= text.length) await client.edit(uri, at, at, letters[Math.floor(random() * letters.length)]!);
    else await client.edit(uri, at, at + 1, '');
    if (n % EDITS_PER_PULL === EDITS_PER_PULL - 1) await client.diagnostics(uri);
    if ((n + 1) % Math.max(1, Math.floor(edits / points)) === 0) await read('edits', n + 1);
  }
  for (const uri of uris) await client.diagnostics(uri);
  await new Promise((r) => setTimeout(r, 3000));
  await read('end', edits);
}
