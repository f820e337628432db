// GitLab SAST report (`artifacts: reports: sast`, schema 15.x, without the fields 15.0 removed:
// category, message, confidence, scanner per vulnerability): one vulnerability per finding
// with the Parapet rule, CWE and OWASP identifiers, so merge requests show Parapet's findings in
// GitLab's security widget. Ids are stable across runs (hash of file, rule, line and message).

import { createHash } from 'node:crypto';
import { ruleUrl } from '../engine/docs';
import { owaspLabel, owaspUrl } from '../engine/owasp';
import type { Severity } from '../engine/types';
import { ruleById } from '../rules';
import type { FileResult } from './check';
import { locateSpan } from './locate';

const SEVERITY: Record<Severity, string> = { error: 'High', warning: 'Medium', info: 'Low', hint: 'Info' };

/** A UUID-shaped (version 5 style) id derived from `key`. */
function stableId(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** GitLab wants `YYYY-MM-DDTHH:MM:SS` (no milliseconds, no zone). */
function gitlabTime(d: Date): string {
  return d.toISOString().slice(0, 19);
}

export function gitlabSastReport(results: FileResult[], version: string, started: Date, finished: Date): unknown {
  const vulnerabilities: unknown[] = [];
  for (const r of results) {
    for (const f of r.findings) {
      const rule = ruleById(f.ruleId);
      if (!rule) continue;
      const where = locateSpan(r, f.start, f.end);
      const startLine = where.start.line + 1;
      const identifiers = [
        { type: 'parapet_rule_id', name: `Parapet ${rule.id} ${rule.name}`, value: rule.id, url: ruleUrl(rule) },
        ...rule.cwe.map((c) => ({ type: 'cwe', name: `CWE-${c}`, value: String(c), url: `https://cwe.mitre.org/data/definitions/${c}.html` })),
        { type: 'owasp', name: owaspLabel('2025', rule.owasp['2025']), value: `${rule.owasp['2025']}:2025`, url: owaspUrl('2025', rule.owasp['2025']) },
      ];
      vulnerabilities.push({
        id: stableId(`${r.display}\0${f.ruleId}\0${where.cell ?? 0}\0${startLine}\0${f.message}`),
        name: rule.summary.replace(/`/g, ''),
        description: `${f.message.replace(/`/g, "'")}\n\n${rule.docs.why}`,
        severity: SEVERITY[f.severity],
        solution: f.fixes.length ? f.fixes.map((x) => x.title.replace(/`/g, "'")).join('; ') : `Instead:\n\n${rule.docs.useInstead}`,
        location: { file: r.display, start_line: startLine, end_line: where.end.line + 1 },
        identifiers,
      });
    }
  }
  const tool = { id: 'parapet', name: 'Parapet', version, vendor: { name: 'Parapet' }, url: 'https://github.com/parapet-dev/parapet' };
  return {
    version: '15.0.7',
    vulnerabilities,
    scan: {
      analyzer: tool,
      scanner: tool,
      type: 'sast',
      start_time: gitlabTime(started),
      end_time: gitlabTime(finished),
      status: 'success',
    },
  };
}
