// Jupyter notebooks as one Python text. The code cells are joined in order with a newline
// between them, so an import in the first cell resolves a call in the tenth, and every offset
// maps back to (cell, offset in cell). IPython syntax is neutralised without moving any
// offset: a line magic or shell escape (`%matplotlib inline`, `!pip install x`) becomes a
// comment by replacing its first non-blank character with `#`, and a cell magic cell
// (`%%bash`) is commented out line by line, except the magics whose body is Python.

import { applyEdits, compatibleFixes } from './fixes';
import type { Fix, OffsetEdit } from './types';

export interface NotebookCell {
  /** Position of the cell in the notebook, counting every cell (0-based). */
  index: number;
  kind: 'code' | 'markdown' | 'raw';
  source: string;
  language?: string;
}

export interface CellSpan {
  index: number;
  /** Offsets of the cell's text within the combined text. */
  start: number;
  end: number;
}

export interface CombinedNotebook {
  /** The code cells joined by newlines, IPython syntax neutralised (same offsets). */
  text: string;
  cells: CellSpan[];
}

/** Cell magics whose body is still Python. */
const PYTHON_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun', 'debug', 'pypy', 'python', 'python3']);

function commentLine(line: string): string {
  const i = line.search(/\S/);
  return i === -1 ? line : line.slice(0, i) + '#' + line.slice(i + 1);
}

/** Neutralises IPython-only syntax in one cell, keeping every offset. */
export function neutraliseIPython(source: string): string {
  const lines = source.split(/(?<=\n)/);
  const first = lines[0]?.trimStart() ?? '';
  if (first.startsWith('%%')) {
    const magic = /^%%(\w+)/.exec(first)?.[1] ?? '';
    if (!PYTHON_CELL_MAGICS.has(magic)) return lines.map(commentLine).join('');
    return [commentLine(lines[0]!), ...lines.slice(1).map(neutraliseLine)].join('');
  }
  return lines.map(neutraliseLine).join('');
}

function neutraliseLine(line: string): string {
  // `%magic`, `!shell`, `?obj` and `obj?` help lines; `x = !ls` and `x = %who` assignments.
  if (/^\s*[%!?]/.test(line) || /^\s*[\w.]+\?\??\s*$/.test(line)) return commentLine(line);
  // `files = !ls -la` -> `files = 0      `: a valid assignment of the same length.
  const m = /^(\s*[\w.,\s]+=\s*)[!%]/.exec(line);
  if (m) {
    const body = line.replace(/\r?\n$/, '');
    const eol = line.slice(body.length);
    return m[1]! + '0' + ' '.repeat(body.length - m[1]!.length - 1) + eol;
  }
  return line;
}

export function combineCells(cells: readonly NotebookCell[]): CombinedNotebook {
  const out: CellSpan[] = [];
  let text = '';
  for (const cell of cells) {
    if (cell.kind !== 'code' || (cell.language && cell.language !== 'python')) continue;
    if (out.length) text += '\n';
    const start = text.length;
    text += neutraliseIPython(cell.source);
    out.push({ index: cell.index, start, end: text.length });
  }
  return { text, cells: out };
}

/** The cell holding a combined-text offset, and the offset within that cell. */
export function locate(nb: CombinedNotebook, offset: number): { cell: CellSpan; offset: number } | null {
  for (const cell of nb.cells) {
    if (offset >= cell.start && offset <= cell.end) return { cell, offset: offset - cell.start };
  }
  return null;
}

/**
 * An edit on the combined text as an edit of one cell's source, or null when it spans cells.
 * A whole-line insertion at the very start of a cell (`import secrets\n`, added after the
 * last import) belongs at the end of the previous code cell when that cell does not end with
 * a newline: the import then stays with the imports, which is where a person would put it.
 */
export function editInCell(nb: CombinedNotebook, e: OffsetEdit): { cell: CellSpan; edit: OffsetEdit } | null {
  const a = locate(nb, e.start);
  const b = locate(nb, e.end);
  if (!a || !b || a.cell.index !== b.cell.index) return null;
  if (e.start === e.end && a.offset === 0 && e.newText.endsWith('\n')) {
    const prev = nb.cells[nb.cells.indexOf(a.cell) - 1];
    if (prev && prev.end === a.cell.start - 1 && nb.text[prev.end - 1] !== '\n') {
      const at = prev.end - prev.start;
      return { cell: prev, edit: { start: at, end: at, newText: '\n' + e.newText.replace(/\r?\n$/, '') } };
    }
  }
  return { cell: a.cell, edit: { start: a.offset, end: b.offset, newText: e.newText } };
}

// ---------------------------------------------------------------------------------------------
// .ipynb files

interface IpynbCell {
  cell_type?: string;
  source?: string | string[];
  metadata?: Record<string, unknown>;
}

interface Ipynb {
  cells?: IpynbCell[];
  metadata?: { language_info?: { name?: string }; kernelspec?: { language?: string } };
}

export interface ParsedNotebook {
  cells: NotebookCell[];
  json: Ipynb;
  /** Indentation of the JSON file, to write it back the same way. */
  indent: number;
  trailingNewline: boolean;
}

/** Parses an .ipynb file; throws an Error saying what is wrong when it is not one. */
export function parseIpynb(text: string): ParsedNotebook {
  let json: Ipynb;
  try {
    json = JSON.parse(text) as Ipynb;
  } catch (e) {
    throw new Error(`not a valid notebook (invalid JSON: ${e instanceof Error ? e.message : String(e)})`);
  }
  if (!json || typeof json !== 'object' || !Array.isArray(json.cells)) throw new Error('not a valid notebook (no "cells" list)');
  const language = json.metadata?.language_info?.name ?? json.metadata?.kernelspec?.language ?? 'python';
  const cells: NotebookCell[] = json.cells.map((c, index) => ({
    index,
    kind: c.cell_type === 'code' ? 'code' : c.cell_type === 'raw' ? 'raw' : 'markdown',
    source: Array.isArray(c.source) ? c.source.join('') : typeof c.source === 'string' ? c.source : '',
    language: language.toLowerCase(),
  }));
  const indentMatch = /^\{\r?\n([ \t]+)"/.exec(text);
  return { cells, json, indent: indentMatch ? indentMatch[1]!.length : 1, trailingNewline: text.endsWith('\n') };
}

/** The notebook file with new sources for some cells, in nbformat's layout (lines kept). */
export function writeIpynb(nb: ParsedNotebook, sources: ReadonlyMap<number, string>): string {
  const json = structuredClone(nb.json);
  for (const [index, source] of sources) {
    const cell = json.cells?.[index];
    if (!cell) continue;
    cell.source = source.split(/(?<=\n)/).filter((l) => l.length > 0);
  }
  return JSON.stringify(json, null, nb.indent) + (nb.trailingNewline ? '\n' : '');
}

// ---------------------------------------------------------------------------------------------
// Fixes

/**
 * Fix-all over a notebook: each round analyses the combined cells, keeps the compatible fixes
 * whose edits each stay inside one cell, and applies them to the cells' own sources. Returns
 * the new source of every cell that changed.
 */
export function fixAllCells(
  cells: readonly NotebookCell[],
  analyse: (text: string) => { fixes: Fix[]; ruleIds: string[] },
  maxIterations = 10,
): { sources: Map<number, string>; applied: { ruleId: string; title: string }[] } {
  const current = cells.map((c) => ({ ...c }));
  const applied: { ruleId: string; title: string }[] = [];
  for (let i = 0; i < maxIterations; i++) {
    const combined = combineCells(current);
    const { fixes, ruleIds } = analyse(combined.text);
    const perCell = new Map<number, OffsetEdit[]>();
    const chosen = compatibleFixes(fixes.filter((f) => f.edits.every((e) => editInCell(combined, e))));
    if (chosen.length === 0) break;
    for (const f of chosen) {
      for (const e of f.edits) {
        const { cell, edit } = editInCell(combined, e)!;
        const list = perCell.get(cell.index) ?? [];
        // The same import added by two fixes lands once.
        if (!list.some((x) => x.start === edit.start && x.end === edit.end && x.newText === edit.newText)) list.push(edit);
        perCell.set(cell.index, list);
      }
      applied.push({ ruleId: ruleIds[fixes.indexOf(f)] ?? '', title: f.title });
    }
    for (const [index, edits] of perCell) {
      const cell = current.find((c) => c.index === index)!;
      cell.source = applyEdits(cell.source, edits);
    }
  }
  const sources = new Map<number, string>();
  for (const c of current) {
    const before = cells.find((x) => x.index === c.index)!;
    if (before.source !== c.source) sources.set(c.index, c.source);
  }
  return { sources, applied };
}
