// The `parapet` command line: the same engine as the language server, for CI and terminals.
//
//   parapet check [PATH...|-] [--format text|json|sarif|gitlab-sast] [--select IDS] [--ignore IDS] [--fix] [--unsafe-fixes]
//                 [--severity L] [--confidence L] [--statistics] [--quiet] [--output-file F] [--stdin-filename F]
//   parapet rules [--format text|json]
//   parapet explain SEC602
//   parapet checklist [PATH] [--format text|json|markdown] [--fail-on fail|warning|none] [--output-file FILE]
//
// Exit status: 0 no findings, 1 findings, 2 usage or configuration error.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { version } from '../../../package.json';
import { discoverConfig, matchSelector, type ProjectConfig } from '../engine/config';
import { ruleMarkdown } from '../engine/docs';
import { initParser } from '../engine/parser';
import { ALL_RULES } from '../rules';
import { applyBaseline, createBaseline, parseBaseline, serialiseBaseline, type Baseline } from '../engine/baseline';
import type { Finding } from '../engine/types';
import { CACHE_DIR_NAME } from './cache';
import { createChecker, decodeSource, displayPath, writeAtomic, type Checker, type CheckOptions, type FileResult } from './check';
import { canUseWorkers, checkInWorkers, runCheckWorker } from './pool';
import { checklist } from './checklist';
import { ConfigError, UsageError } from './errors';
import { discoverFiles } from './files';
import { CONFIDENCE_ORDER, jsonFinding, meetsThreshold, SEVERITY_ORDER, statistics, style, textFinding, textRules, textStatistics, textSummary, totals, useColor } from './output';
import { gitlabSastReport } from './gitlab';
import { sarifLog } from './sarif';

const USAGE = `Parapet ${version}: security checks for Python code

Usage:
  parapet check [PATH...] [options]   Check files and folders (default: .)
  parapet check - --stdin-filename F  Check text from standard input as if it were file F
  parapet rules [--format text|json]  List every rule with its metadata
  parapet explain RULE                Show a rule's documentation
  parapet checklist [PATH] [options]  Show the project's security checklist (default: .)
  parapet --version

Options for check:
  --format FORMAT            text, json, sarif (GitHub code scanning) or gitlab-sast (GitLab SAST
                             report); default: text
  --select IDS               Only these rules (ids, prefixes such as SEC6, names, B/S aliases; comma-separated)
  --ignore IDS               Skip these rules (comma-separated, adds to [tool.parapet] ignore)
  --fix                      Apply safe fixes in place and report what changed
  --unsafe-fixes             With --fix, also apply unsafe fixes
  --baseline FILE            Report only findings not in FILE (written from today's findings if missing)
  --update-baseline          With --baseline, rewrite FILE from today's findings
  --exit-zero                Exit 0 even when there are findings (errors still exit 2)
  --severity LEVEL           Report only findings of this severity or worse (hint, info, warning, error)
  --confidence LEVEL         Report only findings of this confidence or higher (low, medium, high)
  --statistics               Print how many findings each rule has instead of the findings
  -q, --quiet                Print findings only: no summary, no warnings, no progress
  -o, --output-file FILE     Write the report to FILE (replaced atomically) instead of standard output
  --stdin-filename FILE      With \`-\`: the path the text is checked as (config, test-file rules, output)
                             With --fix the fixed text is written to standard output, the report to
                             standard error
  --force-exclude            Skip files named on the command line that [tool.parapet] exclude matches
                             (for pre-commit, which names every staged file)
  --jobs N                   Check files on N threads (default: one per CPU core for larger projects)
  --cache-dir DIR            Keep per-file results in DIR (default: .parapet-cache in the project)
  --no-cache                 Do not read or write cached results
  --no-color                 Never colour the output (also NO_COLOR=1; FORCE_COLOR=1 forces colour;
                             colour is otherwise used only on a terminal)

Options for checklist:
  --format text|json|markdown  Output format (default: text)
  --fail-on fail|warning|none  Exit 1 when an item not marked reviewed in .parapet/checklist.json
                               has this status or worse (default: fail; none always exits 0)
  --output-file FILE           Write the report to FILE instead of standard output
  --no-color                   Never colour the output

Exit status: 0 no findings, 1 findings, 2 usage or configuration error.
For checklist: 0 nothing reaches --fail-on, 1 something does, 2 usage error or missing path.
`;


function list(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

function write(s: string): void {
  process.stdout.write(s);
}

/** Reads all of standard input as UTF-8 (for `parapet check -`). */
function readStdin(): string {
  const chunks: Buffer[] = [];
  const buf = Buffer.alloc(65536);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue;
      if (code === 'EOF') break;
      throw e;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return decodeSource(Buffer.concat(chunks)).text;
}

async function check(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string', default: 'text' },
      select: { type: 'string', multiple: true },
      ignore: { type: 'string', multiple: true },
      fix: { type: 'boolean', default: false },
      'unsafe-fixes': { type: 'boolean', default: false },
      'no-color': { type: 'boolean', default: false },
      'exit-zero': { type: 'boolean', default: false },
      baseline: { type: 'string' },
      'update-baseline': { type: 'boolean', default: false },
      quiet: { type: 'boolean', short: 'q', default: false },
      statistics: { type: 'boolean', default: false },
      'output-file': { type: 'string', short: 'o' },
      severity: { type: 'string' },
      confidence: { type: 'string' },
      'stdin-filename': { type: 'string' },
      'force-exclude': { type: 'boolean', default: false },
      jobs: { type: 'string' },
      'cache-dir': { type: 'string' },
      'no-cache': { type: 'boolean', default: false },
    },
  });
  const format = values.format!;
  let jobs: number | undefined;
  if (values.jobs !== undefined) {
    jobs = Number(values.jobs);
    if (!Number.isInteger(jobs) || jobs < 1 || jobs > 256) throw new UsageError(`--jobs needs a whole number from 1 to 256, not ${JSON.stringify(values.jobs)}`);
  }
  if (values['no-cache'] && values['cache-dir']) throw new UsageError('--no-cache and --cache-dir cannot be used together');
  if (!['text', 'json', 'sarif', 'gitlab-sast'].includes(format)) throw new UsageError(`unknown --format ${JSON.stringify(format)}: use text, json, sarif or gitlab-sast`);
  if (values['unsafe-fixes'] && !values.fix) throw new UsageError('--unsafe-fixes needs --fix');
  if (values['update-baseline'] && !values.baseline) throw new UsageError('--update-baseline needs --baseline FILE');
  if (values.statistics && format !== 'text' && format !== 'json') throw new UsageError('--statistics works with --format text or json');
  const started = new Date();
  const minSeverity = values.severity;
  if (minSeverity !== undefined && !(SEVERITY_ORDER as readonly string[]).includes(minSeverity)) {
    throw new UsageError(`unknown --severity ${JSON.stringify(minSeverity)}: use ${[...SEVERITY_ORDER].reverse().join(', ')}`);
  }
  const minConfidence = values.confidence;
  if (minConfidence !== undefined && !(CONFIDENCE_ORDER as readonly string[]).includes(minConfidence)) {
    throw new UsageError(`unknown --confidence ${JSON.stringify(minConfidence)}: use ${[...CONFIDENCE_ORDER].reverse().join(', ')}`);
  }
  // `parapet check -`: the text comes from standard input, named by --stdin-filename.
  const fromStdin = positionals.includes('-');
  if (fromStdin && positionals.length > 1) throw new UsageError('`-` (standard input) cannot be combined with other paths');
  if (values['stdin-filename'] !== undefined && !fromStdin) throw new UsageError('--stdin-filename needs `-` as the path, e.g. `parapet check - --stdin-filename app.py`');
  if (fromStdin && values.baseline) throw new UsageError('--baseline cannot be used with standard input');
  const stdinFile = path.resolve(values['stdin-filename'] ?? 'stdin.py');
  if (fromStdin && values.fix && stdinFile.endsWith('.ipynb')) throw new UsageError('--fix cannot rewrite a notebook read from standard input');
  // With --fix on standard input the fixed text goes to standard output (as formatters do), so
  // the report moves to standard error unless it goes to --output-file.
  const outputFile = values['output-file'];
  const reportToStderr = fromStdin && values.fix && !outputFile;
  const chunks: string[] = [];
  const write = (text: string): void => {
    if (outputFile) chunks.push(text);
    else if (reportToStderr) process.stderr.write(text);
    else process.stdout.write(text);
  };
  const quiet = values.quiet!;
  const warn = (text: string): void => {
    if (!quiet) process.stderr.write(text);
  };

  // A baseline file that exists is read; one that does not (or --update-baseline) is written.
  const baselineFile = values.baseline;
  let baseline: Baseline | null = null;
  if (baselineFile && !values['update-baseline'] && fs.existsSync(baselineFile)) {
    try {
      baseline = parseBaseline(fs.readFileSync(baselineFile, 'utf8'));
    } catch (e) {
      throw new ConfigError(`${baselineFile}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const writingBaseline = !!baselineFile && !baseline;
  const recorded: { file: string; text: string; findings: Finding[] }[] = [];
  const select = list(values.select);
  const ignore = list(values.ignore);
  for (const s of [...select, ...ignore]) {
    if (matchSelector(s, ALL_RULES).length === 0) throw new UsageError(`unknown rule selector ${JSON.stringify(s)}`);
  }
  const color = format === 'text' && useColor(reportToStderr ? process.stderr : process.stdout, { noColor: values['no-color']!, toFile: !!outputFile });
  const s = style(color);
  const stdinText = fromStdin ? readStdin() : undefined;
  await initParser();

  const configCache = new Map<string, ProjectConfig | null>();
  const discovery = fromStdin ? { files: [stdinFile], skipped: [] } : discoverFiles(positionals.length ? positionals : ['.'], configCache, undefined, values['force-exclude']);
  for (const skip of discovery.skipped) process.stderr.write(`warning: ${skip.path}: ${skip.reason}\n`);
  const checker = createChecker(configCache);
  const results: FileResult[] = [];
  // Standard input and --fix are never cached.
  const cacheDir = values['no-cache'] || values.fix || fromStdin ? undefined : path.resolve(values['cache-dir'] ?? defaultCacheDir(positionals.length ? positionals : ['.'], configCache));
  const opts: CheckOptions = { select, ignore, fix: values.fix!, unsafeFixes: values['unsafe-fixes']!, ...(cacheDir ? { cacheDir } : {}) };
  const statsOnly = values.statistics!;
  let fixedStdin: string | undefined;
  // Configuration problems are collected here, in file order, whichever thread analyses the file.
  for (const file of discovery.files) checker.prepare(file, opts);
  const checked: AsyncIterable<FileResult> | Iterable<FileResult> =
    stdinText !== undefined
      ? [checker.check(stdinFile, displayPath(stdinFile), { ...opts, stdinText, fix: opts.fix && !stdinFile.endsWith('.ipynb') })]
      : checkAll(checker, discovery.files, opts, jobs);

  // Results stream out file by file; JSON stays one valid array.
  let firstJson = true;
  if (format === 'json' && !statsOnly) write('[');
  const progress = !quiet && !!process.stderr.isTTY && discovery.files.length > 200;
  let i = -1;
  for await (const r of checked) {
    i++;
    const file = r.file;
    if (stdinText !== undefined && opts.fix) fixedStdin = r.text;
    if (minSeverity || minConfidence) r.findings = r.findings.filter((f) => meetsThreshold(f, minSeverity, minConfidence));
    if (writingBaseline) {
      recorded.push({ file, text: r.text, findings: r.findings });
      r.baselined = r.findings.length;
      r.findings = [];
    } else if (baseline && baselineFile) {
      const split = applyBaseline(baseline, baselineFile, file, r.text, r.findings);
      r.findings = split.fresh;
      r.baselined = split.baselined.length;
    }
    // Clear the progress line before anything else reaches the terminal.
    if (progress && (r.findings.length || r.notices.length)) process.stderr.write('\r\x1b[K');
    for (const n of r.notices) {
      if (n.kind === 'rule-error') process.stderr.write(`error: ${n.message}\n`);
      else warn(`warning: ${n.message}\n`);
    }
    if (format === 'text' && !statsOnly) {
      for (const f of r.findings) write(textFinding(r, f, s) + '\n');
    } else if (format === 'json' && !statsOnly) {
      for (const f of r.findings) {
        write(`${firstJson ? '\n' : ',\n'}  ${JSON.stringify(jsonFinding(r, f))}`);
        firstJson = false;
      }
    }
    if (progress && i % 50 === 0) process.stderr.write(`\rChecking ${i}/${discovery.files.length} files...`);
    // Keep the text for SARIF and GitLab (positions are computed at the end); free it otherwise.
    if (format !== 'sarif' && format !== 'gitlab-sast') {
      r.text = '';
      delete r.notebook;
    }
    results.push(r);
  }
  if (progress) process.stderr.write('\r\x1b[K');
  if (format === 'json' && !statsOnly) write(firstJson ? ']\n' : '\n]\n');
  if (format === 'sarif') write(JSON.stringify(sarifLog(results, version, process.cwd()), null, 2) + '\n');
  if (format === 'gitlab-sast') write(JSON.stringify(gitlabSastReport(results, version, started, new Date()), null, 2) + '\n');
  if (statsOnly) {
    const stats = statistics(results);
    if (format === 'json') write(JSON.stringify(stats, null, 2) + '\n');
    else if (stats.length) write(textStatistics(stats, s) + '\n');
  }

  for (const p of checker.problems) process.stderr.write(`${p.severity}: ${p.message}\n`);
  if (writingBaseline && baselineFile) {
    const b = createBaseline(recorded, baselineFile);
    writeAtomic(baselineFile, serialiseBaseline(b));
    const n = recorded.reduce((a, r) => a + r.findings.length, 0);
    warn(`Wrote baseline ${baselineFile} with ${n} finding${n === 1 ? '' : 's'}; later runs with --baseline report only new ones.\n`);
  }
  const t = totals(results);
  if (opts.fix) {
    for (const r of results) {
      if (!r.fixed.length) continue;
      const byRule = new Map<string, number>();
      for (const f of r.fixed) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
      warn(`Fixed ${r.display}: ${[...byRule].map(([id, n]) => `${id} x${n}`).join(', ')}\n`);
    }
  }
  if (format === 'text' && !quiet) write(textSummary(t, s, opts.fix) + '\n');
  else if (opts.fix && format !== 'text') warn(`Fixed ${t.fixed} finding(s) in ${t.fixedFiles} file(s).\n`);
  if (outputFile) {
    try {
      writeAtomic(path.resolve(outputFile), chunks.join(''));
    } catch (e) {
      throw new ConfigError(`cannot write ${outputFile} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
  }
  if (fixedStdin !== undefined) process.stdout.write(fixedStdin);
  if (checker.problems.some((p) => p.severity === 'error')) return 2;
  if (discovery.files.length === 0 && discovery.skipped.length > 0) return 2;
  return t.findings > 0 && !values['exit-zero'] ? 1 : 0;
}

/**
 * Every file's result, in order: cached results straight from the main thread, the rest
 * analysed on a pool of worker threads (one per core by default, for 64 files or more) or
 * here when one thread is asked for or there is little to do.
 */
async function* checkAll(checker: Checker, files: string[], opts: CheckOptions, jobs: number | undefined): AsyncGenerator<FileResult> {
  const hits = files.map((file) => checker.cached(file, displayPath(file), opts));
  const misses = files.filter((_, i) => !hits[i]);
  const threads = Math.min(jobs ?? (misses.length >= 64 ? os.availableParallelism() : 1), misses.length);
  const fresh: AsyncIterator<FileResult> | Iterator<FileResult> =
    threads > 1 && canUseWorkers()
      ? checkInWorkers(misses.map((file) => ({ file, display: displayPath(file) })), opts, threads)
      : (function* () {
          for (const file of misses) yield checker.check(file, displayPath(file), opts);
        })();
  try {
    for (let i = 0; i < files.length; i++) {
      const hit = hits[i];
      if (hit) {
        hits[i] = undefined;
        yield hit;
        continue;
      }
      const next = await fresh.next();
      if (next.done) throw new Error('internal error: fewer results than files');
      yield next.value;
    }
  } finally {
    // Stops the workers.
    await fresh.return?.();
  }
}

/** `.parapet-cache` next to the project's pyproject.toml, or in the first folder checked. */
function defaultCacheDir(paths: string[], configCache: Map<string, ProjectConfig | null>): string {
  const first = path.resolve(paths[0] ?? '.');
  let dir = first;
  try {
    if (!fs.statSync(first).isDirectory()) dir = path.dirname(first);
  } catch {
    dir = path.dirname(first);
  }
  const config = discoverConfig(dir, undefined, configCache);
  return path.join(config?.file ? path.dirname(config.file) : dir, CACHE_DIR_NAME);
}

function rules(argv: string[]): number {
  const { values } = parseArgs({ args: argv, strict: true, options: { format: { type: 'string', default: 'text' }, 'no-color': { type: 'boolean', default: false } } });
  if (values.format === 'json') {
    write(
      JSON.stringify(
        ALL_RULES.map((r) => ({
          id: r.id,
          name: r.name,
          summary: r.summary,
          aliases: r.aliases,
          owasp: r.owasp,
          cwe: r.cwe,
          severity: r.severity,
          confidence: r.confidence,
          fix: r.fix,
          status: r.status,
          enabledByDefault: r.enabledByDefault,
        })),
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  if (values.format !== 'text') throw new UsageError(`unknown --format ${JSON.stringify(values.format)}: use text or json`);
  write(textRules(ALL_RULES, style(useColor(process.stdout, { noColor: values['no-color']! }))) + '\n');
  return 0;
}

function explain(argv: string[]): number {
  const id = argv[0];
  if (!id) throw new UsageError('explain needs a rule id, e.g. `parapet explain SEC602`');
  const matches = matchSelector(id, ALL_RULES);
  if (matches.length !== 1) throw new UsageError(`unknown rule ${JSON.stringify(id)}`);
  write(ruleMarkdown(matches[0]!, { level: 1, selfContained: true }));
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        write(USAGE);
        return command === undefined ? 2 : 0;
      case '--version':
      case '-V':
        write(`parapet ${version}\n`);
        return 0;
      case 'check':
        return await check(rest);
      case 'rules':
        return rules(rest);
      case 'explain':
        return explain(rest);
      case 'checklist':
        return await checklist(rest);
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (e) {
    const usage = e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`parapet: ${e instanceof Error ? e.message : String(e)}\n`);
    if (usage) process.stderr.write(`Run \`parapet --help\` for usage.\n`);
    else if (!(e instanceof ConfigError)) process.stderr.write(`${e instanceof Error ? e.stack : ''}\n`);
    return 2;
  }
}

if (!isMainThread && (workerData as { parapetCheckWorker?: boolean } | null)?.parapetCheckWorker && parentPort) {
  runCheckWorker(parentPort);
} else if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

