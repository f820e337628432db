// `parapet check`: analyse files, optionally apply fixes (written atomically), and collect the
// results for the output formats.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFile, analyzeSource, DEFAULT_MAX_CHARS, type SourceOptions } from '../engine/analyze';
import { discoverConfig, defaultConfig, selectRules, validateSelectors, type ConfigProblem, type ProjectConfig } from '../engine/config';
import { autoFix, fixAll } from '../engine/fixes';
import { combineCells, fixAllCells, parseIpynb, writeIpynb, type CombinedNotebook } from '../engine/notebook';
import type { Rule } from '../engine/rule';
import type { AnalysisNotice, Finding } from '../engine/types';
import { ALL_RULES } from '../rules';
import { ResultCache } from './cache';

export interface LoadedText {
  text: string;
  bom: boolean;
  /** Bytes that are not valid UTF-8 were replaced; the file must not be rewritten. */
  invalidUtf8: boolean;
}

const decoder = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8', { fatal: false });

export function decodeSource(bytes: Uint8Array): LoadedText {
  let text: string;
  let invalidUtf8 = false;
  try {
    text = decoder.decode(bytes);
  } catch {
    text = lenient.decode(bytes);
    invalidUtf8 = true;
  }
  // TextDecoder drops a UTF-8 BOM by default; note whether there was one so writes keep it.
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return { text, bom, invalidUtf8 };
}

/** Writes through a temporary file and a rename, so a crash never leaves a half-written file. */
export function writeAtomic(file: string, content: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.parapet-${process.pid}.tmp`);
  let mode: number | undefined;
  try {
    mode = fs.statSync(file).mode;
  } catch {
    mode = undefined;
  }
  fs.writeFileSync(tmp, content, mode !== undefined ? { mode } : {});
  try {
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

export interface FileResult {
  file: string;
  /** Path as shown to the user (relative to the working directory when inside it). */
  display: string;
  /** The analysed text (for a notebook, its code cells combined). */
  text: string;
  /** For a notebook: how the analysed text maps back to its cells. */
  notebook?: CombinedNotebook;
  findings: Finding[];
  notices: AnalysisNotice[];
  suppressed: number;
  /** Findings accepted by the baseline (not shown). */
  baselined?: number;
  fixed: { ruleId: string; title: string }[];
}

export interface CheckOptions {
  select?: string[];
  ignore?: string[];
  fix: boolean;
  unsafeFixes: boolean;
  /** Read the text from here instead of the file (stdin). */
  stdinText?: string;
  /** Keep per-file results in this folder (see cache.ts); not used with --fix or stdin. */
  cacheDir?: string;
}

export interface Checker {
  check(file: string, display: string, opts: CheckOptions): FileResult;
  /** The result from the cache when `file` has an entry there, without analysing anything. */
  cached(file: string, display: string, opts: CheckOptions): FileResult | undefined;
  /** Reads the configuration for `file` (collecting its problems) without analysing it. */
  prepare(file: string, opts: CheckOptions): void;
  problems: ConfigProblem[];
}

export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
}

export function createChecker(configCache: Map<string, ProjectConfig | null>, rules: readonly Rule[] = ALL_RULES): Checker {
  const problems: ConfigProblem[] = [];
  const validated = new Set<string>();
  const fingerprints = new WeakMap<SourceOptions, string>();
  const caches = new Map<string, ResultCache>();
  const optionsFor = (file: string, opts: CheckOptions): SourceOptions => {
    const config = discoverConfig(path.dirname(file), undefined, configCache) ?? defaultConfig(process.cwd());
    const key = config.file ?? '<defaults>';
    if (!validated.has(key)) {
      validated.add(key);
      problems.push(...config.problems, ...validateSelectors(config, rules));
    }
    const effective: ProjectConfig = {
      ...config,
      select: opts.select?.length ? opts.select : config.select,
      ignore: [...config.ignore, ...(opts.ignore ?? [])],
    };
    const selection = selectRules(rules, effective, file);
    const options: SourceOptions = {
      rules: selection.rules,
      knownRules: rules,
      severity: selection.severity,
      ...(selection.minConfidence ? { minConfidence: selection.minConfidence } : {}),
      taint: selection.taint,
      maxChars: DEFAULT_MAX_CHARS,
      budgetMs: 20_000,
      parseBudgetMs: 20_000,
    };
    fingerprints.set(
      options,
      JSON.stringify([
        options.rules.map((r) => r.id),
        options.knownRules.map((r) => r.id),
        [...(options.severity ?? new Map())].sort(),
        options.minConfidence ?? null,
        options.maxChars,
        config.file,
        config.sources,
        config.sanitizers,
      ]),
    );
    return options;
  };
  const cacheFor = (dir: string): ResultCache => {
    let c = caches.get(dir);
    if (!c) caches.set(dir, (c = new ResultCache(dir)));
    return c;
  };

  function run(file: string, display: string, opts: CheckOptions, onlyCached: true): FileResult | undefined;
  function run(file: string, display: string, opts: CheckOptions, onlyCached: false): FileResult;
  function run(file: string, display: string, opts: CheckOptions, onlyCached: boolean): FileResult | undefined {
      if (onlyCached && (!opts.cacheDir || opts.fix || opts.stdinText !== undefined || file.endsWith('.ipynb'))) return undefined;
      const result: FileResult = { file, display, text: '', findings: [], notices: [], suppressed: 0, fixed: [] };
      let loaded: LoadedText;
      let bytes: Uint8Array | undefined;
      if (opts.stdinText !== undefined) loaded = { text: opts.stdinText, bom: false, invalidUtf8: false };
      else {
        let size: number;
        try {
          size = fs.statSync(file).size;
        } catch (e) {
          result.notices.push({ kind: 'parse-error', message: `${display}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})` });
          return result;
        }
        // Over 4 bytes per UTF-16 unit is impossible, so this bounds the decoded size cheaply.
        if (size > DEFAULT_MAX_CHARS * 4) {
          result.notices.push({ kind: 'file-too-large', message: `${display} is ${(size / 1048576).toFixed(1)} MB, over the size limit; not analysed.` });
          return result;
        }
        try {
          bytes = fs.readFileSync(file);
          loaded = decodeSource(bytes);
        } catch (e) {
          result.notices.push({ kind: 'parse-error', message: `${display}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})` });
          return result;
        }
      }
      if (loaded.invalidUtf8) {
        result.notices.push({ kind: 'encoding', message: `${display} is not valid UTF-8; invalid bytes were replaced for analysis and the file will not be fixed.` });
      }
      if (onlyCached && (!bytes || result.notices.length)) return undefined;
      const options = optionsFor(file, opts);
      if (file.endsWith('.ipynb')) return checkNotebook(result, loaded, options, { ...opts, fix: opts.fix && opts.stdinText === undefined });
      // Notebooks, fixes and stdin are never cached; everything else is looked up by content.
      const cache = opts.cacheDir && bytes && !opts.fix && opts.stdinText === undefined ? cacheFor(opts.cacheDir) : undefined;
      const key = cache && bytes ? cache.key(`${file}\0${display}`, fingerprints.get(options)!, bytes) : '';
      if (cache) {
        const hit = cache.get(key);
        if (hit) {
          result.text = loaded.text;
          result.findings = hit.findings;
          result.notices.push(...hit.notices);
          result.suppressed = hit.suppressed;
          return result;
        }
      }
      if (onlyCached) return undefined;
      let text = loaded.text;
      if (opts.fix && !loaded.invalidUtf8) {
        const fixed = fixAll(text, display, options, opts.unsafeFixes);
        // Standard input: the caller prints the fixed text (result.text); nothing is written.
        if (fixed.text !== text && opts.stdinText !== undefined) {
          text = fixed.text;
          result.fixed = fixed.applied;
        } else if (fixed.text !== text) {
          try {
            writeAtomic(file, (loaded.bom ? '\uFEFF' : '') + fixed.text);
            text = fixed.text;
            result.fixed = fixed.applied;
          } catch (e) {
            result.notices.push({ kind: 'parse-error', message: `${display}: could not write fixes (${(e as NodeJS.ErrnoException).code ?? String(e)})` });
          }
        }
      }
      const analysis = analyzeFile(text, display, options);
      result.text = text;
      result.findings = analysis.findings;
      result.notices.push(...analysis.notices);
      result.suppressed = analysis.suppressedCount;
      cache?.set(key, { findings: analysis.findings, notices: analysis.notices, suppressed: analysis.suppressedCount });
      return result;
  }

  return {
    problems,
    prepare(file, opts) {
      optionsFor(file, opts);
    },
    cached: (file, display, opts) => run(file, display, opts, true),
    check: (file, display, opts) => run(file, display, opts, false),
  };
}

/** A notebook: its code cells analysed as one text; --fix rewrites the cells in the JSON. */
function checkNotebook(result: FileResult, loaded: LoadedText, options: SourceOptions, opts: CheckOptions): FileResult {
  let parsed;
  try {
    parsed = parseIpynb(loaded.text);
  } catch (e) {
    result.notices.push({ kind: 'parse-error', message: `${result.display}: ${e instanceof Error ? e.message : String(e)}; not analysed.` });
    return result;
  }
  // Notebooks are never test files, whatever they are called.
  const nbOptions: SourceOptions = { ...options, isTest: false };
  let cells = parsed.cells;
  if (opts.fix && !loaded.invalidUtf8) {
    const fixed = fixAllCells(cells, (text) => {
      const found = analyzeSource(text, result.display, nbOptions).findings;
      const withFix = found.map((f) => ({ f, fix: autoFix(f, opts.unsafeFixes) })).filter((x) => x.fix);
      return { fixes: withFix.map((x) => x.fix!), ruleIds: withFix.map((x) => x.f.ruleId) };
    });
    if (fixed.sources.size > 0) {
      try {
        writeAtomic(result.file, (loaded.bom ? '\uFEFF' : '') + writeIpynb(parsed, fixed.sources));
        cells = cells.map((c) => (fixed.sources.has(c.index) ? { ...c, source: fixed.sources.get(c.index)! } : c));
        result.fixed = fixed.applied;
      } catch (e) {
        result.notices.push({ kind: 'parse-error', message: `${result.display}: could not write fixes (${(e as NodeJS.ErrnoException).code ?? String(e)})` });
      }
    }
  }
  const combined = combineCells(cells);
  const analysis = analyzeSource(combined.text, result.display, nbOptions);
  result.text = combined.text;
  result.notebook = combined;
  result.findings = analysis.findings;
  result.notices.push(...analysis.notices);
  result.suppressed = analysis.suppressedCount;
  return result;
}
