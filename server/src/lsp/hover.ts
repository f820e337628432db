// Hover: the documentation of every finding under the cursor, and of a rule code inside a
// suppression comment (`# parapet: ignore[SEC602]`, `# nosec B602`, `# noqa: S602`).

import { MarkupKind, type Hover, type Position } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ruleMarkdown } from '../engine/docs';
import type { AnalysisResult } from '../engine/runner';
import { codeMatches } from '../engine/suppressions';
import { ALL_RULES, ruleById } from '../rules';

export function hover(doc: TextDocument, result: AnalysisResult, position: Position): Hover | null {
  const offset = doc.offsetAt(position);
  for (const d of result.directives) {
    for (const c of d.codes) {
      if (offset < c.start || offset > c.end) continue;
      const rule = ALL_RULES.find((r) => codeMatches(c.code, r));
      if (!rule) {
        return {
          contents: { kind: MarkupKind.Markdown, value: `**Unknown rule \`${c.code}\`**: no Parapet rule has this id, name or alias.` },
          range: { start: doc.positionAt(c.start), end: doc.positionAt(c.end) },
        };
      }
      return {
        contents: { kind: MarkupKind.Markdown, value: ruleMarkdown(rule) },
        range: { start: doc.positionAt(c.start), end: doc.positionAt(c.end) },
      };
    }
  }
  const here = result.findings.filter((f) => offset >= f.start && offset <= f.end);
  if (here.length === 0) return null;
  const parts: string[] = [];
  for (const f of here) {
    const rule = ruleById(f.ruleId);
    if (!rule) continue;
    // The editor already shows the finding's message above the hover: show the rule's docs.
    parts.push(ruleMarkdown(rule));
  }
  if (parts.length === 0) return null;
  const first = here[0]!;
  return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n---\n\n') }, range: first.range };
}
