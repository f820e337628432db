// The workspace index behind the security checklist panel: every Python file of each workspace
// folder, analysed in the background, with the findings and checklist facts of each file.
//
// - The scan starts on the first checklist request (a user who never opens the panel pays
//   nothing), reports LSP work-done progress ("Scanning 340/2,697 files") and can be cancelled.
// - It yields to the event loop after every file, so requests for open editors (diagnostics,
//   code actions, hover) are answered between two files instead of after the whole scan.
// - Open documents win: what the editor shows replaces what is on disk. Files that change on
//   disk (file watchers) are re-read; the checklist is re-evaluated shortly after a burst of
//   changes, and the client is told to ask again.
// - Files are hashed: a file whose content did not change is not analysed again.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  evaluateChecklist,
  findingsByOwasp,
  loadReviews,
  pythonFileFacts,
  renderMarkdown,
  repoFacts,
  saveReviews,
  setReview,
  type PythonFileFacts,
  type RepoFacts,
} from '../checklist';
import type { ChecklistReport, Review, ReviewFile } from '../checklist/types';
import { discoverFiles } from '../cli/files';
import { admissionNotice, budgetFor, DEFAULT_MAX_CHARS, lineIndex } from '../engine/analyze';
import type { FileFacts } from '../engine/facts';
import { parsePython, parserInput, releaseTreeCaches } from '../engine/parser';
import { analyzeTree } from '../engine/runner';
import type { ProjectConfig } from '../engine/config';
import type { Node } from '../engine/parser';
import type { Finding } from '../engine/types';
import type { OwaspGroup, ParapetSettings, ScanState, WorkspaceChecklist } from '../protocol';
import type { Analyzer } from './analysis';

/** Files the scan analyses; notebooks and templates are analysed when opened. */
const SCANNED = ['.py', '.pyi'];
/** How long a burst of changes may last before the checklist is evaluated again. */
const SETTLE_MS = 400;

interface IndexedFile {
  hash: string;
  findings: readonly Finding[];
  facts: PythonFileFacts;
  /** Set while an open editor owns the file: disk events are ignored. */
  open: boolean;
}

interface Folder {
  root: string;
  files: Map<string, IndexedFile>;
  repo: RepoFacts | null;
  reviews: ReviewFile;
  reviewProblems: string[];
  scan: ScanState;
  report: ChecklistReport | null;
  dirty: boolean;
}

export interface Progress {
  report(percentage: number, message: string): void;
  done(): void;
  readonly cancelled: boolean;
}

export interface WorkspaceHost {
  roots(): string[];
  analyzer: Analyzer;
  settings(uri: string): Promise<ParapetSettings>;
  /** Work-done progress, or null when the client cannot show it. */
  progress(title: string): Promise<Progress | null>;
  changed(): void;
  log(message: string): void;
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class WorkspaceIndex {
  private readonly folders = new Map<string, Folder>();
  private started = false;
  private scanning: Promise<void> | null = null;
  private settleTimer: NodeJS.Timeout | undefined;
  private generation = 0;

  constructor(private readonly host: WorkspaceHost) {}

  private folderFor(file: string): Folder | undefined {
    let best: Folder | undefined;
    for (const f of this.folders.values()) {
      if ((file === f.root || file.startsWith(f.root + path.sep)) && (!best || f.root.length > best.root.length)) best = f;
    }
    return best;
  }

  private rel(folder: Folder, file: string): string {
    return path.relative(folder.root, file).split(path.sep).join('/');
  }

  private ensureFolders(): void {
    const roots = this.host.roots();
    for (const root of roots) {
      if (this.folders.has(root)) continue;
      const { reviews, problems } = loadReviews(root);
      this.folders.set(root, {
        root,
        files: new Map(),
        repo: null,
        reviews,
        reviewProblems: problems,
        scan: { state: 'idle', done: 0, total: 0 },
        report: null,
        dirty: true,
      });
    }
    for (const root of [...this.folders.keys()]) if (!roots.includes(root)) this.folders.delete(root);
  }

  /** The checklist of every folder; the first call (or `rescan`) starts the scan. */
  async checklist(rescan = false): Promise<WorkspaceChecklist[]> {
    this.ensureFolders();
    if (!this.started || rescan) {
      this.started = true;
      void this.scan();
    }
    return [...this.folders.values()].map((f) => ({ folder: pathToFileURL(f.root).toString(), scan: { ...f.scan }, report: this.reportOf(f) }));
  }

  findings(): OwaspGroup[] {
    const merged = new Map<string, OwaspGroup>();
    for (const f of this.folders.values()) {
      const folder = pathToFileURL(f.root).toString();
      for (const group of findingsByOwasp(this.findingsByFile(f))) {
        let g = merged.get(group.category);
        if (!g) merged.set(group.category, (g = { category: group.category, title: group.title, rules: [] }));
        for (const r of group.rules) {
          let rule = g.rules.find((x) => x.ruleId === r.ruleId);
          if (!rule) g.rules.push((rule = { ruleId: r.ruleId, ruleName: r.ruleName, findings: [] }));
          rule.findings.push(...r.findings.map((x) => ({ ...x, folder })));
        }
      }
    }
    return [...merged.values()].sort((a, b) => a.category.localeCompare(b.category));
  }

  private findingsByFile(f: Folder): Map<string, readonly Finding[]> {
    return new Map([...f.files].map(([rel, v]) => [rel, v.findings]));
  }

  private reportOf(f: Folder): ChecklistReport | null {
    if (!f.repo) return null;
    if (f.dirty || !f.report) {
      const report = evaluateChecklist({ root: f.root, files: new Map([...f.files].map(([rel, v]) => [rel, { findings: v.findings, facts: v.facts }])), repo: f.repo, reviews: f.reviews });
      report.problems = [...f.reviewProblems, ...report.problems];
      if (f.scan.state === 'cancelled') report.problems.push(`The workspace scan was cancelled after ${f.scan.done} of ${f.scan.total} files: the checklist covers only those. Refresh to scan again.`);
      f.report = report;
      f.dirty = false;
    }
    return f.report;
  }

  /** Scans every folder; a new scan supersedes a running one. */
  async scan(): Promise<void> {
    const generation = ++this.generation;
    await this.scanning?.catch(() => undefined);
    if (generation !== this.generation) return;
    this.scanning = this.runScan(generation);
    return this.scanning;
  }

  private async runScan(generation: number): Promise<void> {
    this.ensureFolders();
    const folders = [...this.folders.values()];
    const configCache = new Map<string, ProjectConfig | null>();
    const plans = folders.map((f) => {
      const found = discoverFiles([f.root], configCache, SCANNED);
      for (const s of found.skipped) this.host.log(`Workspace scan: skipped ${s.path}: ${s.reason}`);
      return { folder: f, files: found.files };
    });
    const total = plans.reduce((n, p) => n + p.files.length, 0);
    const progress = await this.host.progress('Parapet');
    const started = performance.now();
    let done = 0;
    let cancelled = false;
    try {
      for (const { folder, files } of plans) {
        folder.scan = { state: 'scanning', done: 0, total: files.length };
        folder.repo = this.readRepo(folder);
        const seen = new Set<string>();
        for (const file of files) {
          if (generation !== this.generation || progress?.cancelled) {
            cancelled = true;
            break;
          }
          const rel = this.rel(folder, file);
          seen.add(rel);
          await this.indexFromDisk(folder, file);
          folder.scan.done++;
          done++;
          if (done % 25 === 0 || done === total) {
            progress?.report(Math.floor((done / Math.max(total, 1)) * 100), `Scanning ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} files`);
          }
          // Let the panel show the partial picture (and the count) on long scans.
          if (done % 500 === 0) this.host.changed();
          await yieldToEventLoop();
        }
        if (cancelled) {
          folder.scan.state = 'cancelled';
        } else {
          // Files that disappeared since the last scan.
          for (const rel of [...folder.files.keys()]) if (!seen.has(rel) && !folder.files.get(rel)!.open) folder.files.delete(rel);
          folder.scan.state = 'done';
        }
        folder.dirty = true;
        if (cancelled) break;
      }
    } finally {
      progress?.done();
    }
    if (generation !== this.generation) return;
    for (const { folder } of plans) if (folder.scan.state === 'scanning') folder.scan.state = 'cancelled';
    this.host.log(`Workspace scan ${cancelled ? 'cancelled' : 'finished'}: ${done} of ${total} files in ${Math.round(performance.now() - started)} ms.`);
    this.host.changed();
  }

  /** The project's non-Python facts; on failure the previous ones stay (logged). */
  private readRepo(folder: Folder): RepoFacts | null {
    try {
      return repoFacts(folder.root);
    } catch (e) {
      this.host.log(`Could not read the project files of ${folder.root}: ${e instanceof Error ? e.message : String(e)}`);
      return folder.repo;
    }
  }

  /** Reads and analyses one file from disk unless an editor owns it or it did not change. */
  private async indexFromDisk(folder: Folder, file: string): Promise<void> {
    const rel = this.rel(folder, file);
    const current = folder.files.get(rel);
    if (current?.open) return;
    let text: string;
    try {
      // Something other than a regular file by now (a FIFO would block the read forever), or
      // too large to be analysed whatever the settings: not read at all.
      const st = await fs.promises.stat(file);
      if (!st.isFile() || st.size > DEFAULT_MAX_CHARS * 4) {
        if (current) folder.files.delete(rel);
        folder.dirty = true;
        if (st.isFile()) this.host.log(`Workspace scan: ${file} is ${(st.size / 1048576).toFixed(1)} MB, over the size limit; not analysed.`);
        return;
      }
      text = await fs.promises.readFile(file, 'utf8');
    } catch (e) {
      // Deleted or unreadable since discovery: forget it.
      if (current) folder.files.delete(rel);
      folder.dirty = true;
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.host.log(`Workspace scan: cannot read ${file}: ${(e as Error).message}`);
      return;
    }
    const hash = sha1(text);
    if (current && current.hash === hash) return;
    const uri = pathToFileURL(file).toString();
    const settings = await this.host.settings(uri);
    const options = this.host.analyzer.sourceOptions(uri, settings);
    if (!options || admissionNotice(text, file, options.maxChars)) {
      folder.files.delete(rel);
      folder.dirty = true;
      return;
    }
    // One parse serves the rules and the checklist facts.
    const budget = budgetFor(text.length);
    const { tree } = parsePython(parserInput(text), null, budget);
    if (!tree) {
      this.host.log(`Workspace scan: ${file} could not be parsed within ${budget} ms; left out of the checklist.`);
      folder.files.delete(rel);
      folder.dirty = true;
      return;
    }
    let findings: readonly Finding[] = [];
    let facts: PythonFileFacts;
    try {
      const result = analyzeTree(text, tree, file, lineIndex(text), { ...options, budgetMs: budget });
      findings = result.findings;
      facts = pythonFileFacts(text, rel, tree.rootNode, result.facts);
    } catch (e) {
      this.host.log(`Workspace scan: analysis of ${file} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return;
    } finally {
      tree.delete();
    }
    folder.files.set(rel, { hash, findings, facts, open: false });
    folder.dirty = true;
  }

  /** An open editor's analysis: the editor's text is what the checklist shows. */
  fromEditor(file: string, text: string, findings: readonly Finding[], tree?: Node, fileFacts?: FileFacts): void {
    // Before the panel is first opened, nothing is collected: typing costs nothing extra.
    if (!this.started) return;
    const folder = this.folderFor(file);
    if (!folder || !SCANNED.includes(path.extname(file).toLowerCase())) return;
    const rel = this.rel(folder, file);
    const hash = sha1(text);
    const current = folder.files.get(rel);
    if (current && current.hash === hash && current.open && current.findings === findings) return;
    let facts: PythonFileFacts;
    try {
      facts = pythonFileFacts(text, rel, tree, fileFacts);
    } catch (e) {
      this.host.log(`Checklist facts of ${file} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return;
    } finally {
      // The editor keeps this tree; the memos filled for the facts are not needed again.
      if (tree) releaseTreeCaches(tree.tree);
    }
    folder.files.set(rel, { hash, findings, facts, open: true });
    folder.dirty = true;
    this.settle();
  }

  /** The editor closed a file: what is on disk counts again. */
  closed(file: string): void {
    const folder = this.folderFor(file);
    const current = folder?.files.get(this.rel(folder, file));
    if (!folder || !current) return;
    current.open = false;
    current.hash = '';
    if (this.started) void this.indexFromDisk(folder, file).then(() => this.settle());
  }

  /** File watcher events for files on disk. */
  async diskChanged(changes: { file: string; deleted: boolean }[]): Promise<void> {
    if (!this.started) return;
    const touched = new Set<Folder>();
    for (const { file, deleted } of changes) {
      const folder = this.folderFor(file);
      if (!folder) continue;
      touched.add(folder);
      const rel = this.rel(folder, file);
      if (rel === '.parapet/checklist.json') {
        const { reviews, problems } = loadReviews(folder.root);
        folder.reviews = reviews;
        folder.reviewProblems = problems;
        folder.dirty = true;
        continue;
      }
      if (SCANNED.includes(path.extname(file).toLowerCase())) {
        if (deleted) {
          if (!folder.files.get(rel)?.open) folder.files.delete(rel);
          folder.dirty = true;
        } else {
          await this.indexFromDisk(folder, file);
        }
        continue;
      }
    }
    // Lock files, CI configuration, .gitignore, .env, keys: read the project files again.
    for (const folder of touched) {
      folder.repo = this.readRepo(folder);
      folder.dirty = true;
    }
    if (touched.size) this.settle();
  }

  async setReview(folderPath: string, itemId: string, review: Review | null): Promise<void> {
    this.ensureFolders();
    const folder = this.folders.get(folderPath);
    if (!folder) throw new Error(`${folderPath} is not a workspace folder`);
    const next = setReview(folder.reviews, itemId, review);
    saveReviews(folder.root, next);
    folder.reviews = next;
    folder.reviewProblems = [];
    folder.dirty = true;
    this.host.changed();
  }

  exportReport(folderPath: string, target: string): void {
    this.ensureFolders();
    const folder = this.folders.get(folderPath);
    if (!folder) throw new Error(`${folderPath} is not a workspace folder`);
    const report = this.reportOf(folder);
    if (!report) throw new Error('The workspace has not been scanned yet; open the Security Checklist first.');
    const markdown = renderMarkdown(report, this.findingsByFile(folder));
    // Atomic: a crash never leaves a half-written report.
    const tmp = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, markdown, 'utf8');
    try {
      fs.renameSync(tmp, target);
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      throw e;
    }
  }

  /** Settings or configuration changed: analyse everything again. */
  invalidate(): void {
    for (const f of this.folders.values()) for (const v of f.files.values()) v.hash = '';
    if (this.started) void this.scan();
  }

  private settle(): void {
    if (!this.started) return;
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => this.host.changed(), SETTLE_MS);
  }

  dispose(): void {
    clearTimeout(this.settleTimer);
    this.generation++;
  }
}
