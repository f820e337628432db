// Engine findings to LSP diagnostics. The fixes travel in `data`, with the document version
// they apply to, so a code action request can be answered from the diagnostic alone (ruff's
// approach) whenever the document has not changed since.

import {
  DiagnosticSeverity,
  DiagnosticTag,
  type Diagnostic,
  type TextEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ruleUrl } from '../engine/docs';
import type { Finding, Fix, OffsetEdit, Severity } from '../engine/types';
import { ruleById } from '../rules';

export interface FixData {
  title: string;
  safety: Fix['safety'];
  edits: TextEdit[];
}

export interface DiagnosticData {
  version: number;
  fixes: FixData[];
  ignore?: TextEdit;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toTextEdit(doc: TextDocument, e: OffsetEdit): TextEdit {
  return { range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) }, newText: e.newText };
}

export function toDiagnostic(doc: TextDocument, f: Finding): Diagnostic {
  const rule = ruleById(f.ruleId);
  const data: DiagnosticData = {
    version: doc.version,
    fixes: f.fixes.map((fx) => ({ title: fx.title, safety: fx.safety, edits: fx.edits.map((e) => toTextEdit(doc, e)) })),
    ...(f.ignoreEdit ? { ignore: toTextEdit(doc, f.ignoreEdit) } : {}),
  };
  const d: Diagnostic = {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.ruleId,
    source: 'parapet',
    message: f.message,
    data,
  };
  if (rule) d.codeDescription = { href: ruleUrl(rule) };
  if (f.tags?.includes('unnecessary')) d.tags = [DiagnosticTag.Unnecessary];
  if (f.related?.length) {
    d.relatedInformation = f.related.map((r) => ({ location: { uri: doc.uri, range: r.range }, message: r.message }));
  }
  return d;
}
