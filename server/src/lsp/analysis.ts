// Analysis of open documents: resolves the settings and project configuration that apply to a
// document, runs the engine on its (incrementally parsed) tree, and caches the result per
// document version and configuration generation.

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { admissionNotice, analyzeFile, budgetFor, type SourceOptions } from '../engine/analyze';
import { isTemplatePath } from '../engine/templates';
import {
  defaultConfig,
  discoverConfig,
  isExcluded,
  matchSelector,
  selectRules,
  validateSelectors,
  type ConfigProblem,
  type ProjectConfig,
} from '../engine/config';
import { analyzeTree, type AnalysisResult } from '../engine/runner';
import type { Rule } from '../engine/rule';
import type { AnalysisNotice } from '../engine/types';
import type { ParapetSettings } from '../protocol';
import { ALL_RULES } from '../rules';
import { BaselineCache, withBaseline } from './baseline';
import type { DocumentStore, OpenDocument } from './documents';

/**
 * Test hook for fault isolation end to end: with PARAPET_TEST_THROWING_RULE=SEC311 in the
 * server's environment, that rule throws whenever it runs. Unset in normal use.
 */
function withInjectedFault(rules: readonly Rule[]): readonly Rule[] {
  const id = process.env['PARAPET_TEST_THROWING_RULE'];
  if (!id) return rules;
  return rules.map((r) =>
    r.id === id
      ? {
          ...r,
          check: () => {
            throw new Error('injected fault (PARAPET_TEST_THROWING_RULE)');
          },
        }
      : r,
  );
}

export interface DocAnalysis {
  version: number;
  generation: number;
  /** Null when analysis is off for this document (disabled, excluded, not a file we handle). */
  result: AnalysisResult | null;
  notices: AnalysisNotice[];
  durationMs: number;
  settings: ParapetSettings;
}

export interface AnalyzerHost {
  settings(uri: string): Promise<ParapetSettings>;
  workspaceRoots(): string[];
  reportProblems(problems: ConfigProblem[]): void;
  log(message: string): void;
  /** Logs at error level (defaults to log). */
  error?(message: string): void;
}

/** Filesystem path for a document URI (a notebook cell maps to its notebook). */
export function uriToPath(uri: string): string | null {
  try {
    if (uri.startsWith('file:')) return fileURLToPath(uri);
    const m = /^vscode-notebook-cell:(\/\/[^/]*)?(\/[^#?]*)/.exec(uri);
    if (m) return decodeURIComponent(m[2]!);
  } catch {
    return null;
  }
  return null;
}

export class Analyzer {
  /** Bumped whenever settings or configuration change; part of every cache key. */
  generation = 0;
  private readonly cache = new Map<string, DocAnalysis>();
  private readonly configCache = new Map<string, ProjectConfig | null>();
  private readonly reportedConfigs = new Set<string>();
  private readonly ruleErrorsLogged = new Set<string>();
  private readonly baselines = new BaselineCache((message) => this.host.reportProblems([{ severity: 'warning', message }]));

  constructor(
    private readonly store: DocumentStore,
    private readonly host: AnalyzerHost,
  ) {}

  /** The workspace folder holding `file` (relative settings paths resolve against it). */
  folderOf(file: string): string {
    const roots = this.host.workspaceRoots();
    return roots.find((r) => file === r || file.startsWith(r + path.sep)) ?? roots[0] ?? path.dirname(file);
  }

  invalidate(): void {
    this.generation++;
    this.baselines.clear();
    this.cache.clear();
    this.configCache.clear();
    this.reportedConfigs.clear();
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  cached(uri: string): DocAnalysis | undefined {
    return this.cache.get(uri);
  }

  /** The project configuration for a file path (or the first workspace root). */
  configFor(filePath: string | null): ProjectConfig {
    const roots = this.host.workspaceRoots();
    const dir = filePath ? path.dirname(filePath) : roots[0];
    if (!dir) return defaultConfig(process.cwd());
    const root = roots.find((r) => filePath && (filePath === r || filePath.startsWith(r + path.sep))) ?? roots[0] ?? dir;
    const found = discoverConfig(dir, undefined, this.configCache);
    const config = found ?? defaultConfig(root);
    const key = `${config.file ?? '<defaults>'}#${this.generation}`;
    if (!this.reportedConfigs.has(key)) {
      this.reportedConfigs.add(key);
      const problems = [...config.problems, ...validateSelectors(config, ALL_RULES)];
      if (problems.length) this.host.reportProblems(problems);
    }
    return config;
  }

  async analyze(entry: OpenDocument): Promise<DocAnalysis> {
    const version = entry.doc.version;
    const generation = this.generation;
    const hit = this.cache.get(entry.uri);
    if (hit && hit.version === version && hit.generation === generation) return hit;
    const settings = await this.host.settings(entry.uri);
    // Settings may have arrived after an edit: analyse whatever is current now.
    const current = this.store.get(entry.uri);
    if (!current) throw new Error(`document ${entry.uri} was closed`);
    const again = this.cache.get(entry.uri);
    if (again && again.version === current.doc.version && again.generation === this.generation) return again;
    const value = this.run(current, settings);
    this.cache.set(entry.uri, value);
    return value;
  }

  /** Engine options for a document, or null when it is not analysed (disabled or excluded). */
  sourceOptions(uri: string, settings: ParapetSettings): SourceOptions | null {
    if (!settings.enable) return null;
    const filePath = uriToPath(uri);
    const config = this.configFor(filePath);
    if (filePath && isExcluded(config, filePath)) return null;
    const selection = selectRules(ALL_RULES, config, filePath, {
      ignore: settings.rules.ignore,
      severity: settings.rules.severity,
      minConfidence: settings.minConfidence,
    });
    const shown = filePath ?? uri;
    return {
      rules: withInjectedFault(selection.rules),
      knownRules: ALL_RULES,
      severity: selection.severity,
      ...(selection.minConfidence ? { minConfidence: selection.minConfidence } : {}),
      taint: selection.taint,
      // Budgets per text size: see budgetFor().
      maxChars: settings.maxFileSizeKb * 1024,
      // Notebook cells are never test files, whatever the notebook is called.
      ...(uri.startsWith('vscode-notebook-cell:') ? { isTest: false } : {}),
      // One logged error per rule and file, however often the file is analysed again.
      onRuleError: (ruleId, error) => {
        const key = `${shown}#${ruleId}`;
        if (this.ruleErrorsLogged.has(key)) return;
        this.ruleErrorsLogged.add(key);
        const rule = ALL_RULES.find((r) => r.id === ruleId);
        const message = `${ruleId}${rule ? ` (${rule.name})` : ''} failed on ${shown} and is skipped for this file: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
        (this.host.error ?? this.host.log).call(this.host, message);
      },
    };
  }

  private run(entry: OpenDocument, settings: ParapetSettings): DocAnalysis {
    const started = performance.now();
    const base = { version: entry.doc.version, generation: this.generation, settings };
    const filePath = uriToPath(entry.uri);
    const shown = filePath ?? entry.uri;
    const options = this.sourceOptions(entry.uri, settings);
    if (!options) return { ...base, result: null, notices: [], durationMs: 0 };
    const text = entry.doc.getText();
    const refused = admissionNotice(text, shown, options.maxChars);
    if (refused) return { ...base, result: null, notices: [refused], durationMs: performance.now() - started };
    // Django/Jinja templates: text rules only, no syntax tree.
    if (isTemplatePath(filePath ?? entry.uri)) {
      const result = analyzeFile(text, filePath ?? shown, options);
      return { ...base, result, notices: result.notices, durationMs: performance.now() - started };
    }
    const tree = this.store.ensureTree(entry);
    if (!tree) {
      return {
        ...base,
        result: null,
        notices: [{ kind: 'time-limit', message: `${shown} could not be parsed within the time budget; not analysed.` }],
        durationMs: performance.now() - started,
      };
    }
    // The previous analysis of this document (any version, same settings): findings of local
    // rules in functions that did not change are carried over instead of computed again.
    const before = this.cache.get(entry.uri);
    const previous = before && before.generation === this.generation ? (before.result?.state ?? null) : null;
    const result = analyzeTree(text, tree, filePath ?? shown, entry.doc, { ...options, budgetMs: budgetFor(text.length), incremental: { previous } });
    if (settings.baseline && filePath) {
      const baselineFile = path.resolve(this.folderOf(filePath), settings.baseline);
      const baseline = this.baselines.get(baselineFile);
      if (baseline) result.findings = withBaseline(baseline, baselineFile, filePath, text, result.findings, settings.baselineMode);
    }
    return { ...base, result, notices: result.notices, durationMs: performance.now() - started };
  }
}

/** Unknown rule ids in the editor's `parapet.rules.*` settings. */
export function settingsSelectorProblems(settings: ParapetSettings): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const check = (key: string, ids: string[]): void => {
    for (const id of ids) {
      if (matchSelector(id, ALL_RULES).length === 0) out.push({ severity: 'warning', message: `Setting "parapet.${key}": unknown rule \`${id}\`; ignored.` });
    }
  };
  check('rules.ignore', settings.rules.ignore);
  check('rules.severity', Object.keys(settings.rules.severity));
  return out;
}
