// The checklist as a person reads it: Markdown for a pull request or an exported report, and
// the grouping of findings by OWASP Top 10:2025 category that the findings view and the report
// share.

import * as path from 'node:path';
import { OWASP_CODES, owaspLabel, type OwaspCode } from '../engine/owasp';
import type { Finding } from '../engine/types';
import { ruleById } from '../rules';
import type { ChecklistItem, ChecklistReport, ChecklistStatus, Evidence, FindingsByFile, FindingSummary } from './types';

export const STATUS_WORD: Record<ChecklistStatus, string> = {
  pass: 'pass',
  fail: 'FAIL',
  warning: 'warning',
  'needs-review': 'needs review',
  'not-applicable': 'n/a',
};

const STATUS_EMOJI: Record<ChecklistStatus, string> = {
  pass: '✅',
  fail: '❌',
  warning: '⚠️',
  'needs-review': '🔍',
  'not-applicable': '➖',
};

export interface OwaspGroup {
  category: string;
  title: string;
  rules: { ruleId: string; ruleName: string; findings: FindingSummary[] }[];
}

function summary(file: string, f: Finding): FindingSummary {
  return { file, ruleId: f.ruleId, ruleName: f.ruleName, message: f.message, severity: f.severity, range: f.range };
}

/** OWASP 2025 category -> rule -> findings, in category and rule id order; empty categories left out. */
export function findingsByOwasp(findings: FindingsByFile): OwaspGroup[] {
  const byCode = new Map<string, Map<string, { ruleId: string; ruleName: string; findings: FindingSummary[] }>>();
  const files = [...findings.keys()].sort();
  for (const file of files) {
    for (const f of findings.get(file)!) {
      const code: string = ruleById(f.ruleId)?.owasp['2025'] ?? 'other';
      let rules = byCode.get(code);
      if (!rules) byCode.set(code, (rules = new Map()));
      let rule = rules.get(f.ruleId);
      if (!rule) rules.set(f.ruleId, (rule = { ruleId: f.ruleId, ruleName: f.ruleName, findings: [] }));
      rule.findings.push(summary(file, f));
    }
  }
  const order = [...OWASP_CODES, 'other'];
  return [...byCode]
    .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
    .map(([code, rules]) => ({
      category: code === 'other' ? 'other' : `${code}:2025`,
      title: code === 'other' ? 'Other' : owaspLabel('2025', code as OwaspCode),
      rules: [...rules.values()]
        .sort((a, b) => a.ruleId.localeCompare(b.ruleId))
        .map((r) => ({ ...r, findings: r.findings.sort((x, y) => x.file.localeCompare(y.file) || x.range.start.line - y.range.start.line || x.range.start.character - y.range.start.character) })),
    }));
}

/** `path/to/file.py:12` (1-based line), or just the path for whole-file evidence. */
export function evidenceLocation(e: Evidence): string {
  return e.range ? `${e.file}:${e.range.start.line + 1}` : e.file;
}

function md(s: string): string {
  return s.replace(/([\\`*_[\]<>|])/g, '\\$1');
}

function itemLine(item: ChecklistItem): string[] {
  const lines: string[] = [];
  const status = `${STATUS_EMOJI[item.status]} **${STATUS_WORD[item.status]}**`;
  lines.push(`- ${status} ${md(item.title)} \`${item.id}\``);
  if (item.detail) lines.push(`  ${md(item.detail)}`);
  if (item.review) {
    const who = item.review.by ? ` by ${md(item.review.by)}` : '';
    lines.push(`  - ${item.review.status === 'accepted-risk' ? 'Accepted risk' : 'Reviewed'}${who} on ${item.review.date}: ${md(item.review.reason)}`);
  }
  const shown = item.evidence.slice(0, 10);
  for (const e of shown) lines.push(`  - \`${evidenceLocation(e)}\` ${md(e.message)}`);
  if (item.evidence.length > shown.length) lines.push(`  - and ${item.evidence.length - shown.length} more`);
  return lines;
}

export function renderMarkdown(report: ChecklistReport, findings: FindingsByFile): string {
  const out: string[] = [];
  const name = path.basename(report.root) || report.root;
  out.push(`# Parapet security report: ${md(name)}`, '');
  out.push(`Generated ${report.generatedAt} from ${report.files} analysed file${report.files === 1 ? '' : 's'}.`, '');
  out.push(`**Checklist: ${report.score.passed}/${report.score.applicable} applicable checks pass or are reviewed.**`, '');
  const counts = new Map<ChecklistStatus, number>();
  for (const i of report.categories.flatMap((c) => c.items)) counts.set(i.status, (counts.get(i.status) ?? 0) + 1);
  out.push(
    (['fail', 'warning', 'needs-review', 'pass', 'not-applicable'] as const).map((s) => `${STATUS_EMOJI[s]} ${STATUS_WORD[s]}: ${counts.get(s) ?? 0}`).join(' · '),
    '',
  );
  if (report.problems.length) {
    out.push('> **Problems while reading the project**', ...report.problems.map((p) => `> - ${md(p)}`), '');
  }
  out.push('## Checklist', '');
  for (const c of report.categories) {
    out.push(`### ${md(c.title)} ${c.passed}/${c.applicable}`, '');
    for (const item of c.items) out.push(...itemLine(item));
    out.push('');
  }
  const groups = findingsByOwasp(findings);
  const total = groups.reduce((a, g) => a + g.rules.reduce((b, r) => b + r.findings.length, 0), 0);
  out.push('## Findings by OWASP Top 10:2025', '');
  if (total === 0) out.push('No findings.', '');
  else {
    out.push('| Category | Findings |', '| --- | ---: |');
    for (const g of groups) out.push(`| ${md(g.title)} | ${g.rules.reduce((b, r) => b + r.findings.length, 0)} |`);
    out.push(`| **Total** | **${total}** |`, '');
    for (const g of groups) {
      out.push(`### ${md(g.title)}`, '');
      for (const r of g.rules) {
        out.push(`- **${r.ruleId}** ${md(r.ruleName)} (${r.findings.length})`);
        for (const f of r.findings.slice(0, 50)) out.push(`  - \`${f.file}:${f.range.start.line + 1}\` ${md(f.message)}`);
        if (r.findings.length > 50) out.push(`  - and ${r.findings.length - 50} more`);
      }
      out.push('');
    }
  }
  return out.join('\n').replace(/\n+$/, '\n');
}
