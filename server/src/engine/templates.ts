// Django and Jinja templates (`.html` and friends in template folders). There is no syntax
// tree for them here, so template rules read the text: `{{ value|safe }}`, `{% autoescape off %}`.
// Suppressions use the templates' own comments: `{# parapet: ignore[SEC720] #}` or
// `<!-- parapet: ignore[SEC720] -->` on the same line, or `ignore-file` anywhere.

import type { LineIndex } from './runner';
import type { Rule, TemplateContext } from './rule';
import { codeMatches, parseComment, type Directive } from './suppressions';
import type { AnalysisNotice, Finding, Span } from './types';

// Text and XML templates (emails, feeds) are not HTML: `|safe` there is no XSS risk.
const TEMPLATE_EXTENSIONS = ['.html', '.htm', '.jinja', '.jinja2', '.j2', '.djhtml'];

/** Whether a path is a template Parapet checks: a template extension under a template folder. */
export function isTemplatePath(p: string): boolean {
  const norm = p.replace(/\\/g, '/');
  const lower = norm.toLowerCase();
  if (/\.(jinja2?|j2|djhtml)$/.test(lower)) return true;
  if (!TEMPLATE_EXTENSIONS.some((e) => lower.endsWith(e))) return false;
  return /(^|\/)(templates|jinja2|template)\//.test(norm);
}

const COMMENT = /\{#([\s\S]*?)#\}|<!--([\s\S]*?)-->/g;

export interface TemplateResult {
  findings: Finding[];
  notices: AnalysisNotice[];
  suppressedCount: number;
}

export function analyzeTemplate(text: string, path: string, lines: LineIndex, rules: readonly Rule[], options: { severity?: ReadonlyMap<string, string> } = {}): TemplateResult {
  const directives: Directive[] = [];
  COMMENT.lastIndex = 0;
  for (let m = COMMENT.exec(text); m; m = COMMENT.exec(text)) {
    const body = m[0];
    directives.push(...parseComment(body, m.index, lines.positionAt(m.index).line).filter((d) => d.kind === 'parapet' || d.kind === 'parapet-file'));
  }
  const notices: AnalysisNotice[] = [];
  const findings: Finding[] = [];
  let suppressedCount = 0;
  for (const rule of rules) {
    if (!rule.checkTemplate) continue;
    const ctx: TemplateContext = {
      path,
      text,
      report(span: Span, o) {
        const line = lines.positionAt(span.start).line;
        const hit = directives.some((d) => (d.kind === 'parapet-file' || d.line === line) && (d.codes.length === 0 || d.codes.some((c) => codeMatches(c.code, rule))));
        if (hit) {
          suppressedCount++;
          return;
        }
        findings.push({
          ruleId: rule.id,
          ruleName: rule.name,
          ...span,
          range: { start: lines.positionAt(span.start), end: lines.positionAt(span.end) },
          message: o.message,
          severity: (options.severity?.get(rule.id) as Finding['severity'] | undefined) ?? o.severity ?? rule.severity,
          confidence: o.confidence ?? rule.confidence,
          fixes: o.fixes ?? [],
          ignoreEdit: { start: lines.offsetAt({ line, character: Number.MAX_SAFE_INTEGER }), end: lines.offsetAt({ line, character: Number.MAX_SAFE_INTEGER }), newText: ` {# parapet: ignore[${rule.id}] #}` },
        });
      },
    };
    try {
      rule.checkTemplate(ctx);
    } catch (e) {
      notices.push({ kind: 'rule-error', ruleId: rule.id, message: `${rule.id} (${rule.name}) failed on ${path} and was skipped: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  findings.sort((a, b) => a.start - b.start || a.ruleId.localeCompare(b.ruleId));
  return { findings, notices, suppressedCount };
}
