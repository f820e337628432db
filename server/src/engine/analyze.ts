// One-call analysis of a source text: the entry point for the CLI, the workspace scan and the
// tests. The language server keeps its own incrementally edited trees and calls `analyzeTree`.

import { TextDocument } from 'vscode-languageserver-textdocument';
import { emptyFacts } from './facts';
import { parsePython, parserInput } from './parser';
import { analyzeTree, type AnalysisResult, type AnalyzeOptions, type LineIndex } from './runner';
import { analyzeTemplate, isTemplatePath } from './templates';
import type { AnalysisNotice } from './types';

export interface SourceOptions extends AnalyzeOptions {
  /** Time budget for parsing; past it the file is reported as not analysed. */
  parseBudgetMs?: number;
  /** Files larger than this many UTF-16 code units are not analysed. */
  maxChars?: number;
}

export const DEFAULT_MAX_CHARS = 10 * 1024 * 1024;

/**
 * Time budget for parsing or analysing a text of this size: 2 s plus 1 s per MB. Cold wasm
 * code parses about 2.5 MB/s before V8 tiers it up, so a fixed budget would cut off large
 * files that are merely large; the budget exists to stop pathological ones.
 */
export function budgetFor(chars: number): number {
  return 2000 + Math.round(chars / 1000);
}

export function lineIndex(text: string): LineIndex {
  return TextDocument.create('file:///x.py', 'python', 0, text);
}

/** Heuristic used by git and ripgrep: a NUL in the first 8 KiB means binary. */
export function looksBinary(text: string): boolean {
  return text.slice(0, 8192).indexOf('\0') !== -1;
}

function emptyResult(notices: AnalysisNotice[]): AnalysisResult {
  return { findings: [], notices, directives: [], suppressedCount: 0, timedOut: false, facts: emptyFacts() };
}

/** Guards that decide whether a text is analysed at all; null when it is. */
export function admissionNotice(text: string, path: string, maxChars = DEFAULT_MAX_CHARS): AnalysisNotice | null {
  if (looksBinary(text)) return { kind: 'binary', message: `${path} looks like a binary file (it contains NUL bytes); not analysed.` };
  if (text.length > maxChars) {
    const mb = (text.length / (1024 * 1024)).toFixed(1);
    const limit = (maxChars / (1024 * 1024)).toFixed(1);
    return { kind: 'file-too-large', message: `${path} is ${mb} MB, over the ${limit} MB limit; not analysed.` };
  }
  return null;
}

export function analyzeSource(text: string, path: string, options: SourceOptions): AnalysisResult {
  const refused = admissionNotice(text, path, options.maxChars);
  if (refused) return emptyResult([refused]);
  const parseBudget = options.parseBudgetMs ?? budgetFor(text.length);
  const { tree, timedOut } = parsePython(parserInput(text), null, parseBudget);
  if (!tree) {
    return emptyResult([
      {
        kind: 'time-limit',
        message: `${path} could not be parsed within ${parseBudget} ms${timedOut ? '' : ' (parser error)'}; not analysed.`,
      },
    ]);
  }
  try {
    return analyzeTree(text, tree, path, lineIndex(text), options);
  } finally {
    tree.delete();
  }
}

/**
 * Analyses any file Parapet understands: a Django/Jinja template (template rules only) or
 * Python source (everything else). Templates get the same result shape, with no directives
 * for hovers and empty facts.
 */
export function analyzeFile(text: string, path: string, options: SourceOptions): AnalysisResult {
  if (!isTemplatePath(path)) return analyzeSource(text, path, options);
  const refused = admissionNotice(text, path, options.maxChars);
  if (refused) return emptyResult([refused]);
  const r = analyzeTemplate(text, path, lineIndex(text), options.rules, options.severity ? { severity: options.severity } : {});
  return { ...emptyResult(r.notices), findings: r.findings, suppressedCount: r.suppressedCount };
}
