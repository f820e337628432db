// npm run bench [-- --rounds N] [--edits N] [--memory-edits N] [--only scan|typing]
//
// Parapet's speed, side by side with Bandit and Ruff's S rules, on real code from Debian's
// packages (downloaded with `apt-get download` and unpacked with `dpkg -x` into bench/.cache,
// which git ignores). It reports numbers; it never fails on them. Writes bench/RESULTS.md.
//
//   Full scans: each tool as a whole process, cold, interleaved over several rounds; medians,
//   ranges, and the ratios within each round; peak RSS from /usr/bin/time (or, without it,
//   from the child's resource usage). Parapet also with its result cache: cold (filling it),
//   after a few files changed, and with nothing changed.
//   Typing: the real server over stdio; seeded single-character edits at random positions in
//   a 4,000-line and a 20,000-line file; time from didChange to the diagnostics for that
//   version (pull, and push including the server's debounce); code action and hover times.

import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { ensureBuilt, fileUri, TestClient } from '../test/support/lsp-client';
import { EDITS_PER_PULL, editingSession, largestModules, pyFiles, rng } from './bench-editing';

const ROOT = path.resolve(__dirname, '..');
const CACHE = path.join(ROOT, 'bench', '.cache');
const CLI = path.join(ROOT, 'server', 'out', 'cli.js');
const RUFF = path.join(ROOT, 'scripts', 'bench-ruff.mjs');
const RESULTS = path.join(ROOT, 'bench', 'RESULTS.md');

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const ROUNDS = Number(flag('rounds', '3'));
const EDITS = Number(flag('edits', '1000'));
const ONLY = flag('only', 'all');

const notes: string[] = [];
function note(s: string): void {
  notes.push(s);
  process.stderr.write(`note: ${s}\n`);
}

// ---------------------------------------------------------------------------------------------
// Corpus

interface Corpus {
  name: string;
  dir: string;
  files: number;
  lines: number;
  bytes: number;
}


/** Unpacks a Debian package into bench/.cache/corpus/PKG; returns the folder, or null. */
function debianPackage(pkg: string): string | null {
  const dest = path.join(CACHE, 'corpus', pkg);
  if (fs.existsSync(path.join(dest, '.complete'))) return dest;
  const debs = path.join(CACHE, 'debs');
  fs.mkdirSync(debs, { recursive: true });
  const find = (): string | undefined => fs.readdirSync(debs).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
  if (!find()) {
    process.stderr.write(`apt-get download ${pkg}...\n`);
    const r = spawnSync('apt-get', ['download', pkg], { cwd: debs, encoding: 'utf8' });
    if (r.status !== 0 || !find()) {
      note(`\`apt-get download ${pkg}\` failed (${(r.stderr || r.error?.message || '').trim().split('\n').pop()}); it is left out.`);
      return null;
    }
  }
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(dest, { recursive: true });
  const x = spawnSync('dpkg', ['-x', path.join(debs, find()!), dest], { encoding: 'utf8' });
  if (x.status !== 0) {
    note(`\`dpkg -x\` of ${pkg} failed (${x.stderr.trim()}); it is left out.`);
    return null;
  }
  fs.writeFileSync(path.join(dest, '.complete'), '');
  return dest;
}

function corpus(name: string, pkg: string, sub: string): Corpus | null {
  const root = debianPackage(pkg);
  if (!root) return null;
  const dir = path.join(root, 'usr', 'lib', 'python3', 'dist-packages', sub);
  if (!fs.existsSync(dir)) {
    note(`${pkg} has no ${sub} folder; it is left out.`);
    return null;
  }
  const files = pyFiles(dir);
  let lines = 0;
  let bytes = 0;
  for (const f of files) {
    const t = fs.readFileSync(f, 'utf8');
    bytes += Buffer.byteLength(t);
    lines += t.split('\n').length - (t.endsWith('\n') ? 1 : 0);
  }
  return { name, dir, files: files.length, lines, bytes };
}

// ---------------------------------------------------------------------------------------------
// Processes

interface Run {
  ms: number;
  rssMiB: number;
  findings: number;
  ok: boolean;
}

const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

function measure(cmd: string, args: string[], count: (stdout: string) => number, cwd = ROOT): Run {
  const rssFile = path.join(CACHE, 'rss.txt');
  const [file, argv] = TIME ? [TIME, ['-o', rssFile, '-f', '%M', cmd, ...args]] : [cmd, args];
  const start = performance.now();
  const r = spawnSync(file, argv, { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - start;
  let rssKiB = NaN;
  if (TIME) rssKiB = Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop());
  let findings = NaN;
  try {
    findings = count(r.stdout);
  } catch {
    process.stderr.write(`could not read the output of ${cmd} ${args.join(' ')}:\n${r.stderr.slice(0, 2000)}\n`);
  }
  return { ms, rssMiB: rssKiB / 1024, findings, ok: Number.isFinite(findings) };
}

/** Without /usr/bin/time: the peak RSS of a child as Node's own resource usage reports it. */
function measureNode(args: string[], count: (stdout: string) => number): Run {
  if (TIME) return measure(process.execPath, args, count);
  const wrapper = `const r=require('child_process').spawnSync(process.execPath,${JSON.stringify(args)},{encoding:'utf8',maxBuffer:1<<30});process.stdout.write(r.stdout);process.stderr.write('\\nRSS '+require('process').resourceUsage().maxRSS)`;
  const start = performance.now();
  const r = spawnSync(process.execPath, ['-e', wrapper], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - start;
  const rss = Number(/RSS (\d+)/.exec(r.stderr)?.[1]);
  let findings = NaN;
  try {
    findings = count(r.stdout);
  } catch {
    // reported as not ok
  }
  return { ms, rssMiB: rss / 1024, findings, ok: Number.isFinite(findings) };
}

function ensureBandit(): string | null {
  const v = spawnSync('bandit', ['--version'], { encoding: 'utf8' });
  if (v.status !== 0) {
    try {
      process.stderr.write('installing python3-bandit with apt-get...\n');
      execFileSync('apt-get', ['install', '-y', '-qq', 'python3-bandit'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    } catch {
      note('python3-bandit is not installed and `apt-get install python3-bandit` failed: no Bandit columns.');
      return null;
    }
  }
  return spawnSync('bandit', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0]!.trim();
}

// ---------------------------------------------------------------------------------------------
// Statistics and tables

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const ms = (x: number): string => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(x < 10 ? 1 : 0)} ms`);
const range = (xs: number[], f: (x: number) => string): string => `${f(Math.min(...xs))} – ${f(Math.max(...xs))}`;
const ratio = (x: number): string => `${x.toFixed(x < 10 ? 2 : 1)}x`;

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i ? ' ---: ' : ' --- ')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Full scans

interface Tool {
  name: string;
  run: (c: Corpus) => Run;
}

const countParapet = (out: string): number => (JSON.parse(out) as unknown[]).length;
const countBandit = (out: string): number => (JSON.parse(out) as { results: unknown[] }).results.length;
const countRuff = (out: string): number => (JSON.parse(out) as { findings: number }).findings;

function scanTools(bandit: boolean): Tool[] {
  const parapet = (extra: string[]) => (c: Corpus) => measureNode([CLI, 'check', c.dir, '--format', 'json', '--exit-zero', ...extra], countParapet);
  const tools: Tool[] = [
    { name: `Parapet (${os.availableParallelism()} workers)`, run: parapet(['--no-cache']) },
    { name: 'Parapet (--jobs 1)', run: parapet(['--no-cache', '--jobs', '1']) },
  ];
  if (bandit) tools.push({ name: 'Bandit', run: (c) => measure('bandit', ['-r', '-q', '-f', 'json', c.dir], countBandit) });
  tools.push(
    { name: 'Ruff S (wasm, --liftoff-only)', run: (c) => measureNode(['--liftoff-only', RUFF, c.dir], countRuff) },
    { name: 'Ruff S (wasm, default V8 tiers)', run: (c) => measureNode([RUFF, c.dir], countRuff) },
  );
  return tools;
}

interface ScanResult {
  corpus: Corpus;
  tools: string[];
  runs: Run[][]; // [round][tool]
  cache: { cold: Run[]; changed: Run[]; unchanged: Run[]; changedFiles: number };
}

/** Appends a comment to `n` files of the corpus, so their cache entries miss; returns the undo. */
function touch(c: Corpus, n: number, round: number): () => void {
  const files = pyFiles(c.dir);
  const step = Math.max(1, Math.floor(files.length / n));
  const saved: [string, Buffer][] = [];
  for (let i = 0; i < files.length && saved.length < n; i += step) {
    saved.push([files[i]!, fs.readFileSync(files[i]!)]);
    fs.appendFileSync(files[i]!, `# bench edit ${round}\n`);
  }
  return () => {
    for (const [f, b] of saved) fs.writeFileSync(f, b);
  };
}

function scan(c: Corpus, tools: Tool[]): ScanResult {
  const runs: Run[][] = [];
  const cache: ScanResult['cache'] = { cold: [], changed: [], unchanged: [], changedFiles: 0 };
  const cacheDir = path.join(CACHE, 'parapet-cache', c.name);
  const cached = (): Run => measureNode([CLI, 'check', c.dir, '--format', 'json', '--exit-zero', '--cache-dir', cacheDir], countParapet);
  for (let round = 0; round < ROUNDS; round++) {
    process.stderr.write(`${c.name}: round ${round + 1}/${ROUNDS}\n`);
    // Interleaved, and the order rotates, so a burst of load on the machine hits every tool.
    const order = tools.map((_, i) => (i + round) % tools.length);
    const row: Run[] = [];
    for (const i of order) row[i] = tools[i]!.run(c);
    runs.push(row);
    fs.rmSync(cacheDir, { recursive: true, force: true });
    cache.cold.push(cached());
    cache.changedFiles = Math.max(1, Math.round(c.files / 100));
    const undo = touch(c, cache.changedFiles, round);
    try {
      cache.changed.push(cached());
      cache.unchanged.push(cached());
    } finally {
      undo();
    }
  }
  return { corpus: c, tools: tools.map((t) => t.name), runs, cache };
}

function scanReport(s: ScanResult): string {
  const out: string[] = [];
  const c = s.corpus;
  out.push(`### ${c.name}: ${c.files.toLocaleString('en')} files, ${c.lines.toLocaleString('en')} lines, ${(c.bytes / 1048576).toFixed(1)} MB\n`);
  const rows = s.tools.map((name, t) => {
    const col = s.runs.map((r) => r[t]!);
    const okRuns = col.filter((r) => r.ok);
    if (!okRuns.length) return [name, 'failed', '', '', '', ''];
    return [
      name,
      ms(median(okRuns.map((r) => r.ms))),
      range(okRuns.map((r) => r.ms), ms),
      `${median(okRuns.map((r) => r.rssMiB)).toFixed(0)} MiB`,
      String(okRuns[0]!.findings),
      `${((c.lines / median(okRuns.map((r) => r.ms))) * 1000).toLocaleString('en', { maximumFractionDigits: 0 })}`,
    ];
  });
  out.push(table(['cold full scan, whole process', 'median', 'range', 'peak RSS', 'findings', 'lines/s'], rows));
  // Ratios within each round: how many times longer the other tool took than Parapet.
  const p = 0;
  const ratioRows: string[][] = [];
  for (let t = 1; t < s.tools.length; t++) {
    const per = s.runs.filter((r) => r[p]!.ok && r[t]!.ok).map((r) => r[t]!.ms / r[p]!.ms);
    if (!per.length) continue;
    ratioRows.push([`${s.tools[t]} ÷ ${s.tools[p]}`, ratio(median(per)), per.map(ratio).join(', ')]);
  }
  out.push('\nTime ratios in the same round (above 1 means Parapet was faster):\n');
  out.push(table(['ratio', 'median', 'per round'], ratioRows));
  const cr = (name: string, runs: Run[]): string[] => [name, ms(median(runs.map((r) => r.ms))), range(runs.map((r) => r.ms), ms), `${median(runs.map((r) => r.rssMiB)).toFixed(0)} MiB`, String(runs[0]?.findings ?? '')];
  out.push(`\nParapet with its result cache (\`--cache-dir\`, ${os.availableParallelism()} workers):\n`);
  out.push(
    table(
      ['rescan', 'median', 'range', 'peak RSS', 'findings'],
      [
        cr('empty cache (filling it)', s.cache.cold),
        cr(`${s.cache.changedFiles} files changed (1%), rest cached`, s.cache.changed),
        cr('nothing changed', s.cache.unchanged),
      ],
    ),
  );
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Typing latency through the server

/** Seeded PRNG (mulberry32), so every run makes the same edits. */

/** About the first `n` lines of `text`: cut before the top-level statement nearest line `n`. */
function cutAt(text: string, n: number): string {
  const lines = text.split('\n');
  let best = lines.length;
  for (let i = 1; i < lines.length; i++) if (/^[A-Za-z@]/.test(lines[i]!) && Math.abs(i - n) < Math.abs(best - n)) best = i;
  return lines.slice(0, best).join('\n') + '\n';
}

interface TypingFile {
  label: string;
  source: string;
  text: string;
}

function typingFiles(django: Corpus | null): TypingFile[] {
  const out: TypingFile[] = [];
  // 4,000 lines: the start of CPython's decimal module (Debian's libpython3.11-stdlib).
  const stdlib = debianPackage('libpython3.11-stdlib');
  const decimal = stdlib ? path.join(stdlib, 'usr', 'lib', 'python3.11', '_pydecimal.py') : '/usr/lib/python3.11/_pydecimal.py';
  if (fs.existsSync(decimal)) {
    out.push({ label: '4,000 lines', source: `the first ${cutAt(fs.readFileSync(decimal, 'utf8'), 4000).split('\n').length - 1} lines of Lib/_pydecimal.py (${stdlib ? 'libpython3.11-stdlib' : 'the installed Python'})`, text: cutAt(fs.readFileSync(decimal, 'utf8'), 4000) });
  } else note('no _pydecimal.py: the 4,000-line typing test is left out.');
  // 20,000 lines: Django has no file that long; its largest modules, one after another.
  if (django) {
    const files = pyFiles(django.dir)
      .map((f) => ({ f, t: fs.readFileSync(f, 'utf8') }))
      .sort((a, b) => b.t.length - a.t.length || (a.f < b.f ? -1 : 1));
    let text = '';
    const used: string[] = [];
    for (const { f, t } of files) {
      if (text.split('\n').length >= 20_000) break;
      text += t.endsWith('\n') ? t : t + '\n';
      used.push(path.relative(django.dir, f));
    }
    out.push({ label: '20,000 lines', source: `Django's ${used.length} largest modules concatenated (${text.split('\n').length - 1} lines; no single Django file is that long)`, text });
  }
  return out;
}

interface Latency {
  label: string;
  source: string;
  lines: number;
  pull: number[];
  push: number[];
  firstMs: number;
  findings: number;
  codeAction: number[];
  hover: number[];
}

async function typing(file: TypingFile): Promise<Latency> {
  const dir = path.join(CACHE, 'typing');
  fs.mkdirSync(dir, { recursive: true });
  const p = path.join(dir, `${file.label.replace(/\D/g, '')}.py`);
  fs.writeFileSync(p, file.text);
  const uri = fileUri(p);
  const result: Latency = { label: file.label, source: file.source, lines: file.text.split('\n').length - 1, pull: [], push: [], firstMs: 0, findings: 0, codeAction: [], hover: [] };
  for (const mode of ['pull', 'push'] as const) {
    const client = new TestClient({ pull: mode === 'pull' });
    try {
      await client.initialize();
      const t0 = performance.now();
      const first = mode === 'push' ? client.nextPush(uri, 1, 120_000) : undefined;
      await client.open(uri, file.text);
      let diags: Diagnostic[] = mode === 'pull' ? await client.diagnostics(uri) : (await first!).diagnostics;
      if (mode === 'pull') {
        result.firstMs = performance.now() - t0;
        result.findings = diags.length;
      }
      const random = rng(42);
      const letters = 'abcdefghijklmnopqrstuvwxyz_ ';
      for (let n = 0; n < EDITS; n++) {
        const doc = client.docs.get(uri)!;
        const text = doc.getText();
        const at = Math.floor(random() * text.length);
        const insert = n % 2 === 0 || text[at] === '\n' || at >= text.length;
        const version = doc.version + 1;
        const start = performance.now();
        const pushed = mode === 'push' ? client.nextPush(uri, version, 120_000) : undefined;
        if (insert) await client.edit(uri, at, at, letters[Math.floor(random() * letters.length)]!);
        else await client.edit(uri, at, at + 1, '');
        if (mode === 'pull') diags = await client.diagnostics(uri);
        else diags = (await pushed!).diagnostics;
        (mode === 'pull' ? result.pull : result.push).push(performance.now() - start);
        if (n % 100 === 99) process.stderr.write(`${file.label} ${mode}: ${n + 1}/${EDITS} edits\n`);
      }
      if (mode === 'pull') {
        // Code actions and hover on findings: the first of each of 50 findings, in order.
        const doc = client.docs.get(uri)!;
        const targets = diags.filter((d) => d.source !== undefined).slice(0, 50);
        for (const d of targets) {
          let t = performance.now();
          await client.codeActions(uri, d.range, [d]);
          result.codeAction.push(performance.now() - t);
          t = performance.now();
          await client.hover(uri, doc.offsetAt(d.range.start));
          result.hover.push(performance.now() - t);
        }
      }
    } finally {
      await client.stop();
    }
  }
  return result;
}

function typingReport(ls: Latency[]): string {
  const stats = (xs: number[]): string[] => {
    if (!xs.length) return ['', '', '', ''];
    const s = [...xs].sort((a, b) => a - b);
    return [ms(percentile(s, 50)), ms(percentile(s, 95)), ms(percentile(s, 99)), ms(s.at(-1)!)];
  };
  const rows: string[][] = [];
  for (const l of ls) {
    rows.push([`${l.label}: pull (didChange → diagnostic report)`, String(l.pull.length), ...stats(l.pull)]);
    rows.push([`${l.label}: push (didChange → publishDiagnostics, includes the 150 ms debounce)`, String(l.push.length), ...stats(l.push)]);
    rows.push([`${l.label}: push minus the 150 ms debounce`, String(l.push.length), ...stats(l.push.map((x) => Math.max(0, x - 150)))]);
    rows.push([`${l.label}: code action on a finding`, String(l.codeAction.length), ...stats(l.codeAction)]);
    rows.push([`${l.label}: hover on a finding`, String(l.hover.length), ...stats(l.hover)]);
  }
  const files = ls.map((l) => `- ${l.label}: ${l.source}; ${l.findings} diagnostics; open → first diagnostics ${ms(l.firstMs)}.`).join('\n');
  return `${files}\n\n${table(['measurement', 'samples', 'p50', 'p95', 'p99', 'max'], rows)}`;
}

// ---------------------------------------------------------------------------------------------
// Server start-up and memory under a long editing session.

const MEMORY_EDITS = Number(flag('memory-edits', '10000'));

/** Resident set size of a process in MiB, from /proc (Linux). */
function rssMiB(pid: number | undefined): number {
  if (!pid) return NaN;
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

interface ServerCosts {
  startup: number[];
  firstDiagnostics: number[];
  files: number;
  lines: number;
  rss: { label: string; mib: number }[];
  editsPerPull: number;
}

async function serverCosts(django: Corpus | null): Promise<ServerCosts | null> {
  if (!django) return null;
  const result: ServerCosts = { startup: [], firstDiagnostics: [], files: 0, lines: 0, rss: [], editsPerPull: EDITS_PER_PULL };
  // Start-up: spawn to the initialize result, and to the diagnostics of a small file.
  const small = path.join(CACHE, 'typing', 'small.py');
  fs.mkdirSync(path.dirname(small), { recursive: true });
  fs.writeFileSync(small, 'import random\n\ntoken = random.randint(100000, 999999)\n');
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const client = new TestClient({ pull: true });
    try {
      await client.initialize();
      result.startup.push(performance.now() - t0);
      await client.open(fileUri(small), fs.readFileSync(small, 'utf8'));
      await client.diagnostics(fileUri(small));
      result.firstDiagnostics.push(performance.now() - t0);
    } finally {
      await client.stop();
    }
  }
  // Memory: Django's 50 largest modules open, then seeded single-character edits spread over
  // them; every editsPerPull edits the edited file's diagnostics are pulled, so the server
  // keeps up. RSS is read from /proc after opening and along the way.
  const files = largestModules(django.dir, 50);
  result.files = files.length;
  result.lines = files.reduce((n, x) => n + x.t.split('\n').length - 1, 0);
  const client = new TestClient({ pull: true });
  try {
    await client.initialize();
    result.rss.push({ label: 'started, nothing open', mib: rssMiB(client.proc.pid) });
    await editingSession(client, files, MEMORY_EDITS, 4, (moment, done) => {
      const label =
        moment === 'opened' ? `${files.length} files open and analysed` : moment === 'end' ? 'all files re-analysed, 3 s later' : `after ${done.toLocaleString('en-US')} edits`;
      result.rss.push({ label, mib: rssMiB(client.proc.pid) });
      if (moment === 'edits') process.stderr.write(`memory: ${done}/${MEMORY_EDITS} edits\n`);
    });
  } finally {
    await client.stop();
  }
  return result;
}

function serverReport(c: ServerCosts): string {
  const med = (xs: number[]): string => ms([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!);
  const rows = c.rss.map((r) => [r.label, `${r.mib.toFixed(0)} MiB`]);
  return [
    `- Start-up (5 runs, median): spawn to the initialize result ${med(c.startup)}; to the first diagnostics of a 3-line file ${med(c.firstDiagnostics)}.`,
    `- Memory: Django's ${c.files} largest modules open (${c.lines.toLocaleString('en-US')} lines), then ${MEMORY_EDITS.toLocaleString('en-US')} seeded single-character edits spread over them, the edited file's diagnostics pulled every ${c.editsPerPull} edits. Server RSS from /proc:`,
    '',
    table(['moment', 'server RSS'], rows),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------

function machine(banditVersion: string | null): string {
  const cpus = os.cpus();
  const ruffVersion = (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', '@astral-sh', 'ruff-wasm-nodejs', 'package.json'), 'utf8')) as { version: string }).version;
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim() ? ' with uncommitted changes' : '';
  return [
    `- Machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${os.availableParallelism()} cores available, ${(os.totalmem() / 1073741824).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}`,
    `- Load average when the run started: ${os.loadavg().map((x) => x.toFixed(2)).join(', ')} (the machine is shared; read ranges, and ratios within a round, rather than single numbers)`,
    `- Node ${process.version}; Parapet ${pkg.version} at ${commit}${dirty}; ${banditVersion ?? 'Bandit not available'} (Debian python3-bandit); Ruff ${ruffVersion} (@astral-sh/ruff-wasm-nodejs, \`select = ["S"]\`, every .py file checked in one Node process)`,
    `- Peak RSS: ${TIME ? '/usr/bin/time %M' : "Node's process.resourceUsage().maxRSS of a wrapper"}; times are wall clock for the whole process, start-up included.`,
  ].join('\n');
}

async function main(): Promise<void> {
  fs.mkdirSync(CACHE, { recursive: true });
  ensureBuilt();
  const started = new Date();
  const banditVersion = ONLY === 'typing' ? null : ensureBandit();
  const header = machine(banditVersion);
  const corpora = [corpus('Django 3.2 (python3-django)', 'python3-django', 'django'), corpus('Requests (python3-requests)', 'python3-requests', 'requests'), corpus('Flask (python3-flask)', 'python3-flask', 'flask')];
  const sections: string[] = [];
  if (ONLY !== 'typing') {
    const tools = scanTools(banditVersion !== null);
    const scans = corpora.filter((c): c is Corpus => c !== null).map((c) => scan(c, tools));
    sections.push(`## Full scan\n\n${ROUNDS} interleaved rounds per corpus. Each command's JSON output is parsed to count findings (the tools' rule sets differ, so counts are not comparable as quality).\n\nCommands: \`node server/out/cli.js check DIR --format json --exit-zero --no-cache [--jobs 1]\`; \`bandit -r -q -f json DIR\`; \`node [--liftoff-only] scripts/bench-ruff.mjs DIR\`.\n\n${scans.map(scanReport).join('\n\n')}`);
  }
  if (ONLY !== 'scan') {
    const ls: Latency[] = [];
    for (const f of typingFiles(corpora[0] ?? null)) ls.push(await typing(f));
    sections.push(`## Typing latency (server over stdio)\n\n${EDITS} seeded single-character edits (alternately inserting a character and deleting one) at random positions, one at a time: each waits for the diagnostics of its own version before the next. Pull: \`textDocument/diagnostic\` right after \`didChange\`. Push: a client without pull support, waiting for \`publishDiagnostics\` with that version (the server waits 150 ms after the last change before it analyses; that debounce is included, then subtracted). On each change the server re-runs the rules declared local only in the functions (and comments and docstrings) whose text changed, the dataflow rules only in the functions connected to those by calls, while the code outside functions is unchanged, and the other rules over the whole file.\n\n${typingReport(ls)}`);
    const costs = await serverCosts(corpora[0] ?? null);
    if (costs) sections.push(`## Server start-up and memory\n\n${serverReport(costs)}`);
    else note('no Django corpus: the server memory test is left out.');
  }
  // With --only, the other sections are kept from the last run, saying which run that was.
  if (ONLY !== 'all' && fs.existsSync(RESULTS)) {
    const previous = fs.readFileSync(RESULTS, 'utf8');
    const generated = /^Generated by .*$/m.exec(previous)?.[0] ?? 'an earlier run';
    const version = /^- Node .*$/m.exec(previous)?.[0]?.replace(/^- /, '') ?? '';
    const kept = previous
      .split(/^(?=## )/m)
      .slice(1)
      .filter((sec) => (ONLY === 'typing' ? sec.startsWith('## Full scan') : !sec.startsWith('## Full scan')))
      .map((sec) => sec.trimEnd().replace(/^(## .*)$/m, `$1 (earlier run)\n\nFrom the earlier run: ${generated.replace(/; do not edit by hand\.$/, '')} ${version}.`));
    if (ONLY === 'typing') sections.unshift(...kept);
    else sections.push(...kept);
  }
  const took = ((Date.now() - started.getTime()) / 60000).toFixed(1);
  const md = `# Parapet benchmark\n\nGenerated by \`npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\` (scripts/bench.ts) on ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC in ${took} minutes; do not edit by hand.\n\n${header}\n${notes.length ? `\nNotes:\n${notes.map((n) => `- ${n}`).join('\n')}\n` : ''}\n${sections.join('\n\n')}\n`;
  fs.writeFileSync(RESULTS, md);
  process.stdout.write(md);
}

void main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
