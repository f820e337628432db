// SARIF 2.1.0 output, shaped for GitHub code scanning: rule metadata with help text, CWE and
// OWASP tags and a `security-severity`, results with regions in UTF-16 columns (SARIF's
// default column kind), fixes as artifact changes, and analysis notices as notifications.

import type * as Sarif from 'sarif';
import { ruleMarkdown, ruleUrl, REPOSITORY_URL } from '../engine/docs';
import { owaspLabel } from '../engine/owasp';
import type { Rule } from '../engine/rule';
import type { Severity } from '../engine/types';
import { ALL_RULES } from '../rules';
import type { FileResult } from './check';
import { locateSpan } from './locate';

const LEVEL: Record<Severity, Sarif.Result.level> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };
/** GitHub's 0-10 scale: critical >= 9, high >= 7, medium >= 4. */
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.5', info: '3.0', hint: '1.0' };
const PRECISION: Record<string, string> = { high: 'high', medium: 'medium', low: 'low' };

function sarifRule(rule: Rule): Sarif.ReportingDescriptor {
  return {
    id: rule.id,
    name: rule.name,
    shortDescription: { text: rule.summary.replace(/`/g, '') },
    fullDescription: { text: rule.docs.what.replace(/`/g, '') },
    helpUri: ruleUrl(rule),
    help: { text: `${rule.docs.why}\n\n${ruleUrl(rule)}`, markdown: ruleMarkdown(rule, { selfContained: true }) },
    defaultConfiguration: { level: LEVEL[rule.severity], enabled: rule.enabledByDefault },
    properties: {
      tags: [
        'security',
        ...rule.cwe.map((c) => `external/cwe/cwe-${c}`),
        `external/owasp/${owaspLabel('2025', rule.owasp['2025']).split(' ')[0]}`,
        `external/owasp/${owaspLabel('2021', rule.owasp['2021']).split(' ')[0]}`,
        ...rule.tags,
      ],
      'security-severity': SECURITY_SEVERITY[rule.severity],
      precision: PRECISION[rule.confidence] ?? 'medium',
      aliases: rule.aliases,
    },
  };
}

function toUri(display: string): string {
  return display
    .split('/')
    .map((p) => encodeURIComponent(p))
    .join('/');
}

export function sarifLog(results: FileResult[], version: string, cwd: string): Sarif.Log {
  const rules = ALL_RULES;
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const out: Sarif.Result[] = [];
  const notifications: Sarif.Notification[] = [];
  for (const r of results) {
    const artifactLocation: Sarif.ArtifactLocation = r.display.startsWith('/')
      ? { uri: `file://${toUri(r.display)}` }
      : { uri: toUri(r.display), uriBaseId: '%SRCROOT%' };
    for (const n of r.notices) notifications.push({ level: n.kind === 'rule-error' ? 'error' : 'warning', message: { text: n.message }, locations: [{ physicalLocation: { artifactLocation } }] });
    for (const f of r.findings) {
      // Notebook regions are within the cell; the cell number is in the result's properties.
      const region = (start: number, end: number): Sarif.Region => {
        const w = locateSpan(r, start, end);
        return { startLine: w.start.line + 1, startColumn: w.start.character + 1, endLine: w.end.line + 1, endColumn: w.end.character + 1 };
      };
      const cell = locateSpan(r, f.start, f.end).cell;
      const result: Sarif.Result = {
        ruleId: f.ruleId,
        ruleIndex: index.get(f.ruleId) ?? -1,
        level: LEVEL[f.severity],
        message: { text: f.message.replace(/`/g, "'") },
        locations: [{ physicalLocation: { artifactLocation, region: region(f.start, f.end) } }],
        properties: { confidence: f.confidence, ...(cell ? { cell } : {}) },
      };
      if (f.related?.length) {
        result.relatedLocations = f.related.map((rel, i) => ({ id: i + 1, message: { text: rel.message }, physicalLocation: { artifactLocation, region: region(rel.start, rel.end) } }));
      }
      if (f.fixes.length) {
        result.fixes = f.fixes.map((fx) => ({
          description: { text: `${fx.title.replace(/`/g, "'")}${fx.safety === 'unsafe' ? ' (unsafe)' : ''}` },
          artifactChanges: [{ artifactLocation, replacements: fx.edits.map((e) => ({ deletedRegion: region(e.start, e.end), insertedContent: { text: e.newText } })) }],
        }));
      }
      out.push(result);
    }
  }
  const base = cwd.endsWith('/') ? cwd : `${cwd}/`;
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: { driver: { name: 'Parapet', semanticVersion: version, version, informationUri: REPOSITORY_URL, rules: rules.map(sarifRule) } },
        originalUriBaseIds: { '%SRCROOT%': { uri: `file://${toUri(base)}` } },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        results: out,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
}
