// One renderer for rule documentation: the hover, `parapet explain`, the offline docs view and
// the generated RULES.md all come from the metadata in the rule files.

import { cweName, cweUrl, owaspLabel, owaspUrl, OWASP_CODES, owaspName } from './owasp';
import type { Rule } from './rule';

export const REPOSITORY_URL = 'https://github.com/parapet-dev/parapet';
export const RULES_DOC_URL = `${REPOSITORY_URL}/blob/main/RULES.md`;

/** GitHub's heading slug for "SEC602 subprocess-shell-true". */
export function ruleAnchor(rule: Pick<Rule, 'id' | 'name'>): string {
  return `${rule.id.toLowerCase()}-${rule.name}`;
}

export function ruleUrl(rule: Pick<Rule, 'id' | 'name'>): string {
  return `${RULES_DOC_URL}#${ruleAnchor(rule)}`;
}

export function fixLabel(rule: Rule): string {
  switch (rule.fix) {
    case 'always':
      return 'Fix available';
    case 'sometimes':
      return 'Fix available in some cases';
    default:
      return 'No automatic fix';
  }
}

function owaspLine(rule: Rule): string {
  return (
    `OWASP Top 10: [${owaspLabel('2025', rule.owasp['2025'])}](${owaspUrl('2025', rule.owasp['2025'])}) · ` +
    `[${owaspLabel('2021', rule.owasp['2021'])}](${owaspUrl('2021', rule.owasp['2021'])})`
  );
}

function cweLine(rule: Rule): string {
  return rule.cwe.map((c) => `[CWE-${c}](${cweUrl(c)})${cweName(c) ? ` ${cweName(c)}` : ''}`).join(' · ');
}

export interface RenderOptions {
  /** The finding's message, shown first in a hover. */
  message?: string;
  /** Heading level for the rule title (RULES.md nests rules under families). */
  level?: number;
  /** Omit the link back to RULES.md (the document itself). */
  selfContained?: boolean;
}

export function ruleMarkdown(rule: Rule, opts: RenderOptions = {}): string {
  const h = '#'.repeat(opts.level ?? 3);
  const sub = '#'.repeat((opts.level ?? 3) + 1);
  const parts: string[] = [];
  if (opts.message) parts.push(`**${escapeMd(opts.message)}**`, '');
  parts.push(`${h} ${rule.id} ${rule.name}`, '');
  const facts = [
    `Severity: **${rule.severity}**`,
    `Confidence: **${rule.confidence}**`,
    fixLabel(rule),
    ...(rule.aliases.length ? [`Also: ${rule.aliases.map((a) => `\`${a}\``).join(', ')}`] : []),
    ...(rule.enabledByDefault ? [] : ['Off by default']),
    ...(rule.status === 'preview' ? ['Preview'] : []),
  ];
  parts.push(facts.join(' · '), '');
  parts.push(owaspLine(rule), '');
  parts.push(cweLine(rule), '');
  parts.push(`${sub} What it does`, '', rule.docs.what.trim(), '');
  parts.push(`${sub} Why is this bad?`, '', rule.docs.why.trim(), '');
  parts.push(`${sub} Example`, '', '```python', rule.docs.example.trim(), '```', '');
  parts.push(`${sub} Use instead`, '', '```python', rule.docs.useInstead.trim(), '```', '');
  if (rule.docs.fixSafety) parts.push(`${sub} Fix safety`, '', rule.docs.fixSafety.trim(), '');
  if (rule.docs.references?.length) {
    parts.push(`${sub} References`, '', ...rule.docs.references.map((r) => `- [${r.title}](${r.url})`), '');
  }
  if (!opts.selfContained) parts.push(`[All Parapet rules](${ruleUrl(rule)})`, '');
  return parts.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

function escapeMd(s: string): string {
  return s.replace(/([\\*_[\]<>])/g, '\\$1');
}

export const FAMILIES: Record<string, string> = {
  '0': 'Parapet itself (suppressions and configuration)',
  '1': 'General (credentials, asserts, files, exceptions)',
  '2': 'Framework and deployment settings',
  '3': 'Dangerous calls',
  '4': 'Dangerous imports',
  '5': 'Cryptography, TLS and tokens',
  '6': 'Injection',
  '7': 'Templates and cross-site scripting',
  '8': 'Data exposure',
  '9': 'Dataflow (taint tracking)',
};

/** The whole of RULES.md. A test regenerates it and fails when the committed file differs. */
export function rulesDocument(rules: readonly Rule[]): string {
  const sorted = [...rules].sort((a, b) => a.id.localeCompare(b.id));
  const out: string[] = [
    '# Parapet rules',
    '',
    '<!-- Generated from the rule metadata by `npm run docs`. Do not edit by hand. -->',
    '',
    `${sorted.length} rules. Ids are \`SEC\` + three digits; the hundreds digit is the family, aligned with Bandit's`,
    'numbering so that `SEC602` is Bandit `B602` and Ruff `S602`. Suppress a finding with',
    '`# parapet: ignore[SEC602]` on the statement, or with the `# nosec B602` / `# noqa: S602` comments you already have.',
    '',
    '| Id | Name | OWASP 2025 | OWASP 2021 | CWE | Severity | Confidence | Fix | Aliases |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of sorted) {
    out.push(
      `| [${r.id}](#${ruleAnchor(r)}) | ${r.name}${r.enabledByDefault ? '' : ' (off by default)'} | ${r.owasp['2025']} ${owaspName('2025', r.owasp['2025'])} | ${r.owasp['2021']} ${owaspName('2021', r.owasp['2021'])} | ${r.cwe.map((c) => `CWE-${c}`).join(', ')} | ${r.severity} | ${r.confidence} | ${r.fix === 'none' ? '' : r.fix} | ${r.aliases.join(', ')} |`,
    );
  }
  out.push('', '## OWASP Top 10 coverage', '', '| OWASP 2025 | Rules |', '|---|---|');
  for (const code of OWASP_CODES) {
    const ids = sorted.filter((r) => r.owasp['2025'] === code).map((r) => r.id);
    out.push(`| ${owaspLabel('2025', code)} | ${ids.length ? ids.join(', ') : '—'} |`);
  }
  out.push('');
  let family = '';
  for (const r of sorted) {
    const f = r.id[3]!;
    if (f !== family) {
      family = f;
      out.push(`## ${FAMILIES[f] ?? `Family ${f}xx`}`, '');
    }
    out.push(ruleMarkdown(r, { level: 3, selfContained: true }));
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}
