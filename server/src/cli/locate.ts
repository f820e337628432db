// Where a finding is, as the user reads it: line and column in the file, or, for a notebook,
// the cell (1-based, counting every cell as Jupyter does) and the line and column in it.

import { lineIndex } from '../engine/analyze';
import { locate } from '../engine/notebook';
import type { LineIndex } from '../engine/runner';
import type { Position } from '../engine/types';
import type { FileResult } from './check';

export interface Located {
  /** 1-based cell number for notebooks. */
  cell?: number;
  /** The text `start`/`end` refer to: the file, or the cell's source. */
  text: string;
  start: Position;
  end: Position;
}

const indexes = new WeakMap<FileResult, Map<number, { text: string; lines: LineIndex }>>();

function indexFor(r: FileResult, key: number, text: () => string): { text: string; lines: LineIndex } {
  let m = indexes.get(r);
  if (!m) indexes.set(r, (m = new Map()));
  let hit = m.get(key);
  if (!hit) {
    const t = text();
    m.set(key, (hit = { text: t, lines: lineIndex(t) }));
  }
  return hit;
}

export function locateSpan(r: FileResult, start: number, end: number): Located {
  if (!r.notebook) {
    const { text, lines } = indexFor(r, -1, () => r.text);
    return { text, start: lines.positionAt(start), end: lines.positionAt(end) };
  }
  const nb = r.notebook;
  const at = locate(nb, start);
  if (!at) {
    const { text, lines } = indexFor(r, -1, () => nb.text);
    return { text, start: lines.positionAt(start), end: lines.positionAt(end) };
  }
  const span = at.cell;
  const { text, lines } = indexFor(r, span.index, () => nb.text.slice(span.start, span.end));
  return {
    cell: span.index + 1,
    text,
    start: lines.positionAt(start - span.start),
    end: lines.positionAt(Math.min(end, span.end) - span.start),
  };
}

/** `path:line:col` or `path:cell N:line:col` (1-based). */
export function locationLabel(r: FileResult, where: Located): string {
  return `${r.display}${where.cell ? `:cell ${where.cell}` : ''}:${where.start.line + 1}:${where.start.character + 1}`;
}
