// Jupyter notebooks in the editor (LSP 3.17 notebook document sync). A notebook's Python code
// cells are analysed together as one text (engine/notebook.ts), so an import in the first
// cell counts in every later one; diagnostics, hovers and code actions are then answered per
// cell, and a fix may edit several cells at once (the fix and the `import` it needs).

import {
  CodeActionKind,
  MarkupKind,
  type CodeAction,
  type Diagnostic,
  type DidChangeNotebookDocumentParams,
  type DidCloseNotebookDocumentParams,
  type DidOpenNotebookDocumentParams,
  type Hover,
  type Position,
  type TextDocumentEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeSource, type SourceOptions } from '../engine/analyze';
import { combineCells, editInCell, type CombinedNotebook } from '../engine/notebook';
import type { AnalysisResult } from '../engine/runner';
import type { Finding, OffsetEdit } from '../engine/types';
import { ClientCommands, ServerCommands } from '../protocol';
import { toDiagnostic } from './convert';
import { hover as hoverAt } from './hover';

interface Cell {
  uri: string;
  kind: 1 | 2;
}

export interface OpenNotebook {
  uri: string;
  version: number;
  cells: Cell[];
}

export interface NotebookAnalysis {
  version: number;
  generation: number;
  combined: CombinedNotebook;
  doc: TextDocument;
  result: AnalysisResult;
}

export class NotebookStore {
  private readonly notebooks = new Map<string, OpenNotebook>();
  private readonly cellDocs = new Map<string, TextDocument>();
  private readonly cellOwner = new Map<string, string>();
  private readonly analyses = new Map<string, NotebookAnalysis>();

  open(p: DidOpenNotebookDocumentParams): OpenNotebook {
    const nb: OpenNotebook = { uri: p.notebookDocument.uri, version: p.notebookDocument.version, cells: p.notebookDocument.cells.map((c) => ({ uri: c.document, kind: c.kind as 1 | 2 })) };
    this.notebooks.set(nb.uri, nb);
    for (const d of p.cellTextDocuments) this.addCell(nb.uri, d.uri, d.languageId, d.version, d.text);
    return nb;
  }

  change(p: DidChangeNotebookDocumentParams): OpenNotebook | undefined {
    const nb = this.notebooks.get(p.notebookDocument.uri);
    if (!nb) return undefined;
    nb.version = p.notebookDocument.version;
    const cells = p.change.cells;
    if (cells?.structure) {
      const { array, didOpen, didClose } = cells.structure;
      nb.cells.splice(array.start, array.deleteCount, ...(array.cells ?? []).map((c) => ({ uri: c.document, kind: c.kind as 1 | 2 })));
      for (const d of didClose ?? []) this.removeCell(d.uri);
      for (const d of didOpen ?? []) this.addCell(nb.uri, d.uri, d.languageId, d.version, d.text);
    }
    for (const c of cells?.data ?? []) {
      const cell = nb.cells.find((x) => x.uri === c.document);
      if (cell) cell.kind = c.kind as 1 | 2;
    }
    for (const t of cells?.textContent ?? []) {
      const doc = this.cellDocs.get(t.document.uri);
      if (doc) TextDocument.update(doc, t.changes, t.document.version);
    }
    this.analyses.delete(nb.uri);
    return nb;
  }

  close(p: DidCloseNotebookDocumentParams): void {
    const nb = this.notebooks.get(p.notebookDocument.uri);
    for (const c of p.cellTextDocuments) this.removeCell(c.uri);
    for (const c of nb?.cells ?? []) this.removeCell(c.uri);
    this.notebooks.delete(p.notebookDocument.uri);
    this.analyses.delete(p.notebookDocument.uri);
  }

  private addCell(notebook: string, uri: string, languageId: string, version: number, text: string): void {
    this.cellDocs.set(uri, TextDocument.create(uri, languageId, version, text));
    this.cellOwner.set(uri, notebook);
  }

  private removeCell(uri: string): void {
    this.cellDocs.delete(uri);
    this.cellOwner.delete(uri);
  }

  notebookOfCell(cellUri: string): OpenNotebook | undefined {
    const owner = this.cellOwner.get(cellUri);
    return owner ? this.notebooks.get(owner) : undefined;
  }

  cellDoc(uri: string): TextDocument | undefined {
    return this.cellDocs.get(uri);
  }

  all(): OpenNotebook[] {
    return [...this.notebooks.values()];
  }

  invalidate(): void {
    this.analyses.clear();
  }

  /** Analyses the notebook's Python code cells together (cached per version and generation). */
  analyse(nb: OpenNotebook, generation: number, options: SourceOptions, path: string): NotebookAnalysis {
    const hit = this.analyses.get(nb.uri);
    if (hit && hit.version === nb.version && hit.generation === generation) return hit;
    const combined = combineCells(
      nb.cells.map((c, index) => {
        const doc = this.cellDocs.get(c.uri);
        return { index, kind: c.kind === 2 ? 'code' : 'markdown', source: doc?.getText() ?? '', language: doc?.languageId ?? 'python' } as const;
      }),
    );
    const result = analyzeSource(combined.text, path, { ...options, isTest: false });
    const a: NotebookAnalysis = { version: nb.version, generation, combined, doc: TextDocument.create(nb.uri, 'python', nb.version, combined.text), result };
    this.analyses.set(nb.uri, a);
    return a;
  }

  // -------------------------------------------------------------------------------------------
  // Per-cell views of a notebook analysis

  private cellSpan(nb: OpenNotebook, a: NotebookAnalysis, cellUri: string): { start: number; end: number } | null {
    const index = nb.cells.findIndex((c) => c.uri === cellUri);
    return a.combined.cells.find((c) => c.index === index) ?? null;
  }

  /** The finding's span translated into a cell document, as a Finding the converters accept. */
  private inCell(f: Finding, span: { start: number }, doc: TextDocument): Finding {
    const start = f.start - span.start;
    const end = Math.min(f.end - span.start, doc.getText().length);
    const local = { ...f, start, end, range: { start: doc.positionAt(start), end: doc.positionAt(end) }, fixes: [] };
    delete (local as Partial<Finding>).ignoreEdit;
    return local;
  }

  diagnostics(nb: OpenNotebook, a: NotebookAnalysis, cellUri: string): Diagnostic[] {
    const doc = this.cellDocs.get(cellUri);
    const span = this.cellSpan(nb, a, cellUri);
    if (!doc || !span) return [];
    return a.result.findings
      .filter((f) => f.start >= span.start && f.start <= span.end)
      .map((f) => {
        // Fixes travel as cross-cell edits in code actions, not in `data`.
        const d = toDiagnostic(doc, this.inCell(f, span, doc));
        d.data = { notebook: nb.uri, version: nb.version };
        return d;
      });
  }

  /** Offset edits on the combined text as one edit per touched cell document. */
  private cellEdits(nb: OpenNotebook, a: NotebookAnalysis, edits: OffsetEdit[]): TextDocumentEdit[] | null {
    const byCell = new Map<string, TextDocumentEdit>();
    for (const e of edits) {
      const mapped = editInCell(a.combined, e);
      if (!mapped) return null;
      const uri = nb.cells[mapped.cell.index]!.uri;
      const doc = this.cellDocs.get(uri)!;
      let edit = byCell.get(uri);
      if (!edit) byCell.set(uri, (edit = { textDocument: { uri, version: doc.version }, edits: [] }));
      edit.edits.push({ range: { start: doc.positionAt(mapped.edit.start), end: doc.positionAt(mapped.edit.end) }, newText: mapped.edit.newText });
    }
    return [...byCell.values()];
  }

  codeActions(nb: OpenNotebook, a: NotebookAnalysis, cellUri: string, diagnostics: Diagnostic[], vscodeClient: boolean): CodeAction[] {
    const doc = this.cellDocs.get(cellUri);
    const span = this.cellSpan(nb, a, cellUri);
    if (!doc || !span) return [];
    const out: CodeAction[] = [];
    for (const d of diagnostics) {
      if (d.source !== 'parapet' || typeof d.code !== 'string') continue;
      const start = span.start + doc.offsetAt(d.range.start);
      const f = a.result.findings.find((x) => x.ruleId === d.code && x.start === start);
      if (!f) continue;
      f.fixes.forEach((fx, i) => {
        const changes = this.cellEdits(nb, a, fx.edits);
        if (changes) out.push({ title: fx.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: i === 0 && fx.safety === 'safe', edit: { documentChanges: changes } });
      });
      const ignore = f.ignoreEdit ? this.cellEdits(nb, a, [f.ignoreEdit]) : null;
      if (ignore) out.push({ title: `Ignore ${f.ruleId} on this line`, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: { documentChanges: ignore } });
      out.push({
        title: `Show documentation for ${f.ruleId}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        command: { title: `Show documentation for ${f.ruleId}`, command: vscodeClient ? ClientCommands.showRuleDocumentation : ServerCommands.openRuleDocs, arguments: [f.ruleId] },
      });
    }
    return out;
  }

  hover(nb: OpenNotebook, a: NotebookAnalysis, cellUri: string, position: Position): Hover | null {
    const doc = this.cellDocs.get(cellUri);
    const span = this.cellSpan(nb, a, cellUri);
    if (!doc || !span) return null;
    const h = hoverAt(a.doc, a.result, a.doc.positionAt(span.start + doc.offsetAt(position)));
    if (!h?.range) return h;
    const start = a.doc.offsetAt(h.range.start) - span.start;
    const end = a.doc.offsetAt(h.range.end) - span.start;
    return { contents: h.contents ?? { kind: MarkupKind.Markdown, value: '' }, range: { start: doc.positionAt(Math.max(0, start)), end: doc.positionAt(Math.max(0, end)) } };
  }
}
