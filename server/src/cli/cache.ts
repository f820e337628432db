// Per-file result cache for `parapet check`: an unchanged file is not parsed again. An entry is
// keyed by a hash of the file's bytes, its path, the options it was analysed with (rules,
// severities, confidence, configuration) and the running Parapet build, so any change to the
// file, the configuration or Parapet itself misses. Entries are written atomically (temporary
// file and rename), so concurrent workers and interrupted runs never leave a torn entry; a
// corrupt or unreadable entry is a miss. The folder carries its own .gitignore.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import { version } from '../../../package.json';
import type { AnalysisNotice, Finding } from '../engine/types';

export const CACHE_DIR_NAME = '.parapet-cache';
const FORMAT = 1;

export interface CachedResult {
  findings: Finding[];
  notices: AnalysisNotice[];
  suppressed: number;
}

let buildHash: string | undefined;
/** Parapet's version and a hash of the running bundle: a rebuilt Parapet never reads old entries. */
function build(): string {
  if (buildHash === undefined) {
    const h = createHash('sha256').update(`${FORMAT}:${version}:`);
    try {
      h.update(fs.readFileSync(__filename));
    } catch {
      h.update('no-bundle');
    }
    buildHash = h.digest('hex');
  }
  return buildHash;
}

export class ResultCache {
  private disabled = false;
  private prepared = false;
  readonly hits = { hit: 0, miss: 0 };

  constructor(readonly dir: string) {}

  key(file: string, fingerprint: string, bytes: Uint8Array): string {
    return createHash('sha256').update(build()).update('\0').update(file).update('\0').update(fingerprint).update('\0').update(bytes).digest('hex');
  }

  private entry(key: string): string {
    return path.join(this.dir, `v${FORMAT}`, key.slice(0, 2), `${key.slice(2)}.json`);
  }

  get(key: string): CachedResult | undefined {
    if (this.disabled) return undefined;
    let raw: string;
    try {
      raw = fs.readFileSync(this.entry(key), 'utf8');
    } catch {
      this.hits.miss++;
      return undefined;
    }
    try {
      const v = JSON.parse(raw) as CachedResult;
      if (!Array.isArray(v.findings) || !Array.isArray(v.notices) || typeof v.suppressed !== 'number') throw new Error('bad entry');
      this.hits.hit++;
      return v;
    } catch {
      this.hits.miss++;
      return undefined;
    }
  }

  set(key: string, value: CachedResult): void {
    if (this.disabled) return;
    // Results that depend on the machine's speed or on a rule crashing are not kept.
    if (value.notices.some((n) => n.kind === 'time-limit' || n.kind === 'rule-error')) return;
    try {
      this.prepare();
      const file = this.entry(key);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}-${threadId}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(value));
      fs.renameSync(tmp, file);
    } catch {
      // A read-only or full disk: carry on without caching.
      this.disabled = true;
    }
  }

  private prepare(): void {
    if (this.prepared) return;
    this.prepared = true;
    fs.mkdirSync(this.dir, { recursive: true });
    const ignoreFile = path.join(this.dir, '.gitignore');
    if (!fs.existsSync(ignoreFile)) {
      const tmp = `${ignoreFile}.${process.pid}-${threadId}.tmp`;
      fs.writeFileSync(tmp, '# Created by parapet check: results cache, safe to delete.\n*\n');
      fs.renameSync(tmp, ignoreFile);
    }
  }
}
