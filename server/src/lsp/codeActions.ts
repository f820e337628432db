// Code actions: for each Parapet diagnostic, its fixes (the safe one preferred), "Ignore SECxxx
// on this line" and "Show documentation for SECxxx"; plus `source.fixAll.parapet`.

import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { autoFix, compatibleFixes, minimalEdit } from '../engine/fixes';
import type { Finding } from '../engine/types';
import { ClientCommands, FIX_ALL_KIND, ServerCommands } from '../protocol';
import { toTextEdit, type DiagnosticData, type FixData } from './convert';

export interface ActionContext {
  doc: TextDocument;
  findings: Finding[];
  vscodeClient: boolean;
  documentChanges: boolean;
  /** Runs fix-all on the current text with the document's rule selection. */
  fixAllText(unsafe: boolean): string;
}

function workspaceEdit(ctx: ActionContext, edits: TextEdit[]): WorkspaceEdit {
  if (ctx.documentChanges) {
    return { documentChanges: [{ textDocument: { uri: ctx.doc.uri, version: ctx.doc.version }, edits }] };
  }
  return { changes: { [ctx.doc.uri]: edits } };
}

function sameRange(d: Diagnostic, f: Finding): boolean {
  return (
    d.range.start.line === f.range.start.line &&
    d.range.start.character === f.range.start.character &&
    d.range.end.line === f.range.end.line &&
    d.range.end.character === f.range.end.character
  );
}

/** Fixes for a diagnostic: from its data when still current, else from the fresh findings. */
function fixesFor(d: Diagnostic, ctx: ActionContext): { fixes: FixData[]; ignore?: TextEdit } | null {
  const data = d.data as DiagnosticData | undefined;
  if (data && data.version === ctx.doc.version && Array.isArray(data.fixes)) return { fixes: data.fixes, ...(data.ignore ? { ignore: data.ignore } : {}) };
  const f = ctx.findings.find((x) => x.ruleId === d.code && sameRange(d, x));
  if (!f) return null;
  return {
    fixes: f.fixes.map((fx) => ({ title: fx.title, safety: fx.safety, edits: fx.edits.map((e) => toTextEdit(ctx.doc, e)) })),
    ...(f.ignoreEdit ? { ignore: toTextEdit(ctx.doc, f.ignoreEdit) } : {}),
  };
}

function wants(only: string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return true;
  return only.some((o) => kind === o || kind.startsWith(o + '.'));
}

export function codeActions(params: CodeActionParams, ctx: ActionContext): CodeAction[] {
  const only = params.context.only;
  const out: CodeAction[] = [];
  if (wants(only, CodeActionKind.QuickFix)) {
    const docActions: CodeAction[] = [];
    const seenRules = new Set<string>();
    for (const d of params.context.diagnostics) {
      if (d.source !== 'parapet' || typeof d.code !== 'string') continue;
      const found = fixesFor(d, ctx);
      if (!found) continue;
      found.fixes.forEach((fx, i) => {
        out.push({
          title: fx.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          isPreferred: i === 0 && fx.safety === 'safe',
          edit: workspaceEdit(ctx, fx.edits),
        });
      });
      if (found.ignore) {
        out.push({
          title: `Ignore ${d.code} on this line`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          edit: workspaceEdit(ctx, [found.ignore]),
        });
      }
      if (!seenRules.has(d.code)) {
        seenRules.add(d.code);
        docActions.push({
          title: `Show documentation for ${d.code}`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          command: ctx.vscodeClient
            ? { title: `Show documentation for ${d.code}`, command: ClientCommands.showRuleDocumentation, arguments: [d.code] }
            : { title: `Show documentation for ${d.code}`, command: ServerCommands.openRuleDocs, arguments: [d.code] },
        });
      }
    }
    out.push(...docActions);
    // With several safe fixes in the file, offer them all at once (computed when chosen).
    const fixable = compatibleFixes(ctx.findings.map((f) => autoFix(f, false)).filter((f): f is NonNullable<typeof f> => !!f));
    if (fixable.length > 1 && params.context.diagnostics.some((d) => d.source === 'parapet')) {
      out.push({
        title: 'Fix all auto-fixable Parapet problems',
        kind: CodeActionKind.QuickFix,
        command: {
          title: 'Fix all auto-fixable Parapet problems',
          command: ServerCommands.applyAutoFixes,
          arguments: [{ uri: ctx.doc.uri, version: ctx.doc.version }],
        },
      });
    }
  }
  // Only when asked for explicitly (e.g. editor.codeActionsOnSave): it reanalyses the file.
  if (only && wants(only, FIX_ALL_KIND) && only.some((o) => FIX_ALL_KIND.startsWith(o) && o.startsWith('source'))) {
    const edit = fixAllEdit(ctx);
    out.push({ title: 'Parapet: Fix all auto-fixable problems', kind: FIX_ALL_KIND, edit: workspaceEdit(ctx, edit ? [edit] : []) });
  }
  return out;
}

/** One edit turning the document into its fix-all result, or null when nothing changes. */
export function fixAllEdit(ctx: Pick<ActionContext, 'doc' | 'fixAllText'>): TextEdit | null {
  const before = ctx.doc.getText();
  const e = minimalEdit(before, ctx.fixAllText(false));
  return e ? toTextEdit(ctx.doc, e) : null;
}
