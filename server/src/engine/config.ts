// Project configuration from `[tool.parapet]` in pyproject.toml, and the rule set it selects.
//
//   [tool.parapet]
//   select = ["SEC"]                    # rule ids, id prefixes, names, Bandit/Ruff aliases, "ALL"
//   extend-select = ["SEC401"]          # added to the default (or selected) set
//   ignore = ["SEC311", "B101"]
//   exclude = ["migrations", "build/**"]
//   per-file-ignores = { "tests/**" = ["SEC101"] }
//   severity = { SEC311 = "warning" }
//   min-confidence = "medium"
//
// Every problem is collected with its line and reported once; a bad value never stops the rest
// of the configuration from applying.

import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { parse as parseToml, TomlError } from 'smol-toml';
import type { Rule } from './rule';
import { CONFIDENCES, SEVERITIES, type Confidence, type Severity } from './types';

export interface ConfigProblem {
  message: string;
  file?: string;
  line?: number;
  severity: 'error' | 'warning';
}

export interface ProjectConfig {
  /** The pyproject.toml the values came from, or null for defaults. */
  file: string | null;
  /** Directory that relative patterns are matched against. */
  root: string;
  select: string[] | null;
  extendSelect: string[];
  ignore: string[];
  exclude: string[];
  perFileIgnores: { pattern: string; selectors: string[] }[];
  severity: Map<string, Severity>;
  minConfidence: Confidence | null;
  /** Extra taint sources and sanitizers (qualified names), used by the dataflow rules. */
  sources: string[];
  sanitizers: string[];
  problems: ConfigProblem[];
}

export function defaultConfig(root: string): ProjectConfig {
  return {
    file: null,
    root,
    select: null,
    extendSelect: [],
    ignore: [],
    exclude: [],
    perFileIgnores: [],
    severity: new Map(),
    minConfidence: null,
    sources: [],
    sanitizers: [],
    problems: [],
  };
}

const KNOWN_KEYS = new Set([
  'select',
  'extend-select',
  'ignore',
  'exclude',
  'per-file-ignores',
  'severity',
  'min-confidence',
  'sources',
  'sanitizers',
  'checklist',
  'baseline',
]);

/** Line (1-based) of `key =` inside the [tool.parapet] table, for messages. */
function keyLine(text: string, key: string): number | undefined {
  const lines = text.split(/\r?\n/);
  let inTable = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (l.startsWith('[')) inTable = /^\[\s*tool\s*\.\s*parapet\s*(\.[^\]]*)?\]/.test(l);
    else if (inTable && new RegExp(`^["']?${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*=`).test(l)) return i + 1;
  }
  const header = lines.findIndex((l) => /^\s*\[\s*tool\s*\.\s*parapet\s*\]/.test(l));
  return header === -1 ? undefined : header + 1;
}

/**
 * Parses pyproject.toml text. Returns null when the file has no [tool.parapet] table (so the
 * search for a configuration continues upwards), else the configuration with its problems.
 */
export function parsePyproject(text: string, file: string): ProjectConfig | null {
  const config = defaultConfig(path.dirname(file));
  config.file = file;
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (e) {
    const err = e as TomlError & { line?: number };
    // An invalid file that mentions the table is still ours to report on.
    if (!/\[\s*tool\s*\.\s*parapet/.test(text)) return null;
    config.problems.push({
      severity: 'error',
      file,
      ...(err.line ? { line: err.line } : {}),
      message: `${file}${err.line ? `:${err.line}` : ''}: invalid TOML, [tool.parapet] ignored: ${String(err.message).split('\n')[0]}`,
    });
    return config;
  }
  const tool = doc['tool'];
  const table = tool && typeof tool === 'object' ? (tool as Record<string, unknown>)['parapet'] : undefined;
  if (table === undefined) return null;
  const problem = (key: string, message: string): void => {
    const line = keyLine(text, key);
    config.problems.push({ severity: 'warning', file, ...(line ? { line } : {}), message: `${file}${line ? `:${line}` : ''}: ${message}` });
  };
  if (typeof table !== 'object' || table === null || Array.isArray(table)) {
    problem('parapet', '[tool.parapet] must be a table; ignored');
    return config;
  }
  const t = table as Record<string, unknown>;
  const stringList = (key: string): string[] | undefined => {
    const v = t[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) {
      problem(key, `\`${key}\` must be a list of strings; ignored`);
      return undefined;
    }
    const out: string[] = [];
    for (const item of v) {
      if (typeof item === 'string') out.push(item);
      else problem(key, `\`${key}\` entry ${JSON.stringify(item)} is not a string; skipped`);
    }
    return out;
  };
  for (const key of Object.keys(t)) {
    if (!KNOWN_KEYS.has(key)) problem(key, `unknown option \`${key}\` in [tool.parapet]; ignored`);
  }
  const select = stringList('select');
  if (select) config.select = select;
  config.extendSelect = stringList('extend-select') ?? [];
  config.ignore = stringList('ignore') ?? [];
  config.exclude = stringList('exclude') ?? [];
  config.sources = stringList('sources') ?? [];
  config.sanitizers = stringList('sanitizers') ?? [];
  const pfi = t['per-file-ignores'];
  if (pfi !== undefined) {
    if (typeof pfi !== 'object' || pfi === null || Array.isArray(pfi)) problem('per-file-ignores', '`per-file-ignores` must be a table of pattern = [rules]; ignored');
    else {
      for (const [pattern, v] of Object.entries(pfi as Record<string, unknown>)) {
        if (Array.isArray(v) && v.every((x) => typeof x === 'string')) config.perFileIgnores.push({ pattern, selectors: v as string[] });
        else problem('per-file-ignores', `per-file-ignores entry "${pattern}" must be a list of rule selectors; skipped`);
      }
    }
  }
  const sev = t['severity'];
  if (sev !== undefined) {
    if (typeof sev !== 'object' || sev === null || Array.isArray(sev)) problem('severity', '`severity` must be a table of rule = "error" | "warning" | "info" | "hint"; ignored');
    else {
      for (const [rule, v] of Object.entries(sev as Record<string, unknown>)) {
        if (typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v)) config.severity.set(rule, v as Severity);
        else problem('severity', `severity for ${rule} must be one of ${SEVERITIES.join(', ')}, not ${JSON.stringify(v)}; skipped`);
      }
    }
  }
  const mc = t['min-confidence'];
  if (mc !== undefined) {
    if (typeof mc === 'string' && (CONFIDENCES as readonly string[]).includes(mc)) config.minConfidence = mc as Confidence;
    else problem('min-confidence', `\`min-confidence\` must be one of ${CONFIDENCES.join(', ')}, not ${JSON.stringify(mc)}; ignored`);
  }
  return config;
}

/** Finds the nearest pyproject.toml with a [tool.parapet] table at or above `dir`. */
export function discoverConfig(dir: string, stopAt?: string, cache?: Map<string, ProjectConfig | null>): ProjectConfig | null {
  let current = path.resolve(dir);
  const visited: string[] = [];
  for (;;) {
    if (cache?.has(current)) {
      const hit = cache.get(current)!;
      for (const v of visited) cache.set(v, hit);
      return hit;
    }
    visited.push(current);
    const candidate = path.join(current, 'pyproject.toml');
    let text: string | null = null;
    try {
      text = fs.readFileSync(candidate, 'utf8');
    } catch {
      text = null;
    }
    if (text !== null) {
      const parsed = parsePyproject(text, candidate);
      if (parsed) {
        for (const v of visited) cache?.set(v, parsed);
        return parsed;
      }
    }
    const parent = path.dirname(current);
    if (parent === current || (stopAt && path.resolve(stopAt) === current)) break;
    current = parent;
  }
  for (const v of visited) cache?.set(v, null);
  return null;
}

// ---------------------------------------------------------------------------------------------
// Rule selection

export interface RuleSet {
  rules: Rule[];
  severity: Map<string, Severity>;
  minConfidence: Confidence | null;
  taint: { sources: string[]; sanitizers: string[] };
}

/** Rules a selector names: "ALL", an id, an id prefix ("SEC6"), a rule name, an alias, or a tag. */
export function matchSelector(selector: string, rules: readonly Rule[]): Rule[] {
  const s = selector.trim();
  const upper = s.toUpperCase();
  if (upper === 'ALL') return [...rules];
  const exact = rules.filter(
    (r) => r.id === upper || r.name === s.toLowerCase() || r.aliases.some((a) => a.toUpperCase() === upper),
  );
  if (exact.length) return exact;
  if (/^SEC\d{0,2}$/.test(upper)) return rules.filter((r) => r.id.startsWith(upper));
  return rules.filter((r) => r.tags.includes(s.toLowerCase()));
}

export interface EditorRuleSettings {
  ignore?: readonly string[];
  severity?: Readonly<Record<string, string>>;
  minConfidence?: string | null;
}

/** Checks every selector of a configuration, returning one problem per unknown selector. */
export function validateSelectors(config: ProjectConfig, rules: readonly Rule[]): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const check = (key: string, selectors: readonly string[]): void => {
    for (const s of selectors) {
      if (matchSelector(s, rules).length === 0) {
        const file = config.file ?? 'settings';
        out.push({ severity: 'warning', file, message: `${file}: unknown rule selector \`${s}\` in \`${key}\`; ignored${suggest(s, rules)}` });
      }
    }
  };
  if (config.select) check('select', config.select);
  check('extend-select', config.extendSelect);
  check('ignore', config.ignore);
  for (const p of config.perFileIgnores) check(`per-file-ignores."${p.pattern}"`, p.selectors);
  check('severity', [...config.severity.keys()]);
  return out;
}

function suggest(s: string, rules: readonly Rule[]): string {
  const lower = s.toLowerCase();
  const near = rules.find((r) => r.name.includes(lower) || lower.includes(r.name) || r.id.toLowerCase() === lower.replace(/^b/, 'sec'));
  return near ? ` (did you mean ${near.id} ${near.name}?)` : '';
}

/** Compiles gitignore-like globs: a pattern without `/` matches a file or folder name anywhere. */
export function globMatcher(patterns: readonly string[]): (relPath: string) => boolean {
  if (patterns.length === 0) return () => false;
  const matchers = patterns.map((raw) => {
    const p = raw.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/$/, '');
    const anchored = p.includes('/');
    const full = picomatch([p, `${p}/**`], { dot: true });
    const base = picomatch(p, { dot: true });
    return (rel: string) => {
      if (full(rel)) return true;
      if (!anchored) return rel.split('/').some((seg) => base(seg));
      return false;
    };
  });
  return (relPath) => {
    const rel = relPath.replace(/\\/g, '/');
    return matchers.some((m) => m(rel));
  };
}

export function relativeTo(config: ProjectConfig, file: string): string {
  return path.relative(config.root, path.resolve(file)).split(path.sep).join('/');
}

export function isExcluded(config: ProjectConfig, file: string): boolean {
  const rel = relativeTo(config, file);
  if (rel.startsWith('..')) return false;
  return globMatcher(config.exclude)(rel);
}

/** The rules enabled for `file` under a configuration and the editor's settings. */
export function selectRules(all: readonly Rule[], config: ProjectConfig, file: string | null, editor: EditorRuleSettings = {}): RuleSet {
  const enabled = new Set<Rule>(config.select ? config.select.flatMap((s) => matchSelector(s, all)) : all.filter((r) => r.enabledByDefault));
  for (const s of config.extendSelect) for (const r of matchSelector(s, all)) enabled.add(r);
  const remove = (selectors: readonly string[]): void => {
    for (const s of selectors) for (const r of matchSelector(s, all)) enabled.delete(r);
  };
  remove(config.ignore);
  remove(editor.ignore ?? []);
  if (file) {
    const rel = relativeTo(config, file);
    for (const p of config.perFileIgnores) if (globMatcher([p.pattern])(rel)) remove(p.selectors);
  }
  const severity = new Map<string, Severity>();
  const addSeverity = (selector: string, value: string): void => {
    if (!(SEVERITIES as readonly string[]).includes(value)) return;
    for (const r of matchSelector(selector, all)) severity.set(r.id, value as Severity);
  };
  for (const [s, v] of config.severity) addSeverity(s, v);
  for (const [s, v] of Object.entries(editor.severity ?? {})) addSeverity(s, v);
  const mc = editor.minConfidence && (CONFIDENCES as readonly string[]).includes(editor.minConfidence) ? (editor.minConfidence as Confidence) : config.minConfidence;
  return { rules: all.filter((r) => enabled.has(r)), severity, minConfidence: mc, taint: { sources: config.sources, sanitizers: config.sanitizers } };
}
