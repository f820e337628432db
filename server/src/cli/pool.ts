// Parallel `parapet check`: a pool of worker threads, each with its own parser and checker,
// takes the files in small chunks on demand; results come back in the order the files were
// discovered, so the output is the same as a single-threaded run's, and still streams.

import { Worker } from 'node:worker_threads';
import { initParser } from '../engine/parser';
import { createChecker, type CheckOptions, type FileResult } from './check';

export interface Job {
  file: string;
  display: string;
}

interface Request {
  chunk: number;
  jobs: Job[];
  opts: CheckOptions;
}

interface Reply {
  chunk: number;
  results?: FileResult[];
  error?: string;
}

/** True when this code runs from a bundle a worker can load (not from TypeScript sources). */
export function canUseWorkers(): boolean {
  return __filename.endsWith('.js');
}

/** Checks `jobs` on `threads` workers; yields each file's result in input order. */
export async function* checkInWorkers(jobs: Job[], opts: CheckOptions, threads: number): AsyncGenerator<FileResult> {
  const size = Math.max(1, Math.min(32, Math.ceil(jobs.length / (threads * 8))));
  const chunks: Job[][] = [];
  for (let i = 0; i < jobs.length; i += size) chunks.push(jobs.slice(i, i + size));
  const done = new Map<number, FileResult[]>();
  let next = 0;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };

  const workers: Worker[] = [];
  const feed = (w: Worker): void => {
    if (next >= chunks.length || failure) return;
    const chunk = next++;
    w.postMessage({ chunk, jobs: chunks[chunk]!, opts } satisfies Request);
  };
  for (let i = 0; i < Math.min(threads, chunks.length); i++) {
    const w = new Worker(__filename, { workerData: { parapetCheckWorker: true } });
    w.on('message', (m: Reply) => {
      if (m.error !== undefined) failure ??= new Error(m.error);
      else done.set(m.chunk, m.results!);
      feed(w);
      notify();
    });
    w.on('error', (e) => {
      failure ??= e;
      notify();
    });
    w.on('exit', (code) => {
      if (code !== 0) failure ??= new Error(`a check worker stopped with code ${code}`);
      notify();
    });
    workers.push(w);
    feed(w);
  }
  try {
    for (let c = 0; c < chunks.length; c++) {
      while (!done.has(c)) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
      }
      const results = done.get(c)!;
      done.delete(c);
      yield* results;
    }
  } finally {
    for (const w of workers) {
      w.removeAllListeners('exit');
      void w.terminate();
    }
  }
}

/** The worker side: answers each chunk with its results. */
export function runCheckWorker(port: import('node:worker_threads').MessagePort): void {
  const checker = createChecker(new Map());
  const ready = initParser();
  port.on('message', (m: Request) => {
    void ready
      .then(() => {
        const results = m.jobs.map((j) => checker.check(j.file, j.display, m.opts));
        port.postMessage({ chunk: m.chunk, results } satisfies Reply);
      })
      .catch((e: unknown) => port.postMessage({ chunk: m.chunk, error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies Reply));
  });
}
