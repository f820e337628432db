// A whole-project scan for the CLI and tests: discover files the way `parapet check` does,
// analyse each with the project's configuration, and collect the checklist facts. The language
// server runs its own incremental scan and calls `pythonFileFacts`/`repoFacts` directly.

import * as path from 'node:path';
import type { ProjectConfig } from '../engine/config';
import { createChecker } from '../cli/check';
import { discoverFiles } from '../cli/files';
import type { ChecklistInput } from './context';
import { pythonFileFacts, type PythonFileFacts } from './python-facts';
import { repoFacts } from './repo-facts';
import { loadReviews } from './reviews';
import type { Finding } from '../engine/types';

export interface ScanOptions {
  onProgress?(done: number, total: number): void;
  isCancelled?(): boolean;
}

function emptyFacts(relPath: string): PythonFileFacts {
  return pythonFileFacts('', relPath);
}

/** Requires `initParser()` to have completed. */
export function scanProject(root: string, options: ScanOptions = {}): ChecklistInput & { cancelled: boolean } {
  const absRoot = path.resolve(root);
  const configCache = new Map<string, ProjectConfig | null>();
  const discovery = discoverFiles([absRoot], configCache);
  const checker = createChecker(configCache);
  const repo = repoFacts(absRoot);
  const { reviews, problems } = loadReviews(absRoot);
  repo.problems.push(...problems);
  for (const s of discovery.skipped) repo.problems.push(`${s.path}: ${s.reason}`);
  const files = new Map<string, { findings: readonly Finding[]; facts: PythonFileFacts }>();
  const total = discovery.files.length;
  let cancelled = false;
  options.onProgress?.(0, total);
  for (let i = 0; i < total; i++) {
    if (options.isCancelled?.()) {
      cancelled = true;
      break;
    }
    const file = discovery.files[i]!;
    const rel = path.relative(absRoot, file).split(path.sep).join('/');
    const r = checker.check(file, rel, { fix: false, unsafeFixes: false });
    for (const n of r.notices) repo.problems.push(n.message);
    const python = /\.(py|pyi|ipynb)$/i.test(file);
    files.set(rel, { findings: r.findings, facts: python && r.text ? pythonFileFacts(r.text, rel) : emptyFacts(rel) });
    options.onProgress?.(i + 1, total);
  }
  for (const p of checker.problems) repo.problems.push(p.message);
  return { root: absRoot, files, repo, reviews, cancelled };
}
