// `parapet checklist [PATH]`: the project's security checklist for terminals and CI.
//
// Exit status: 0 when no item reaches --fail-on (default `fail`), 1 when one does, 2 for usage
// errors and a missing path. An item a person marked reviewed or accepted in
// .parapet/checklist.json never fails the run: that is what the review file is for.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateChecklist, failingItems } from '../checklist/evaluate';
import { evidenceLocation, findingsByOwasp, renderMarkdown, STATUS_WORD } from '../checklist/render';
import { scanProject } from '../checklist/scan';
import type { ChecklistReport, ChecklistStatus, FindingsByFile } from '../checklist/types';
import { initParser } from '../engine/parser';
import type { Finding } from '../engine/types';
import { writeAtomic } from './check';
import { UsageError } from './errors';
import { style, useColor, type Style } from './output';

const FORMATS = ['text', 'json', 'markdown'];
const FAIL_ON = ['fail', 'warning', 'none'];

function colourOf(status: ChecklistStatus, s: Style): (x: string) => string {
  switch (status) {
    case 'pass':
      return s.green;
    case 'fail':
      return (x) => s.bold(s.red(x));
    case 'warning':
      return s.yellow;
    case 'needs-review':
      return s.cyan;
    default:
      return s.dim;
  }
}

export function renderText(report: ChecklistReport, s: Style): string {
  const out: string[] = [];
  const pad = 14;
  out.push(s.bold(`Parapet security checklist: ${report.root} (${report.files} file${report.files === 1 ? '' : 's'} analysed)`), '');
  for (const c of report.categories) {
    out.push(s.bold(`${c.title} ${c.passed}/${c.applicable}`));
    for (const item of c.items) {
      const word = STATUS_WORD[item.status] + (item.review ? '*' : '');
      out.push(`  ${colourOf(item.status, s)(word.padEnd(pad))}${item.title} ${s.dim(`[${item.id}]`)}`);
      const indent = ' '.repeat(pad + 2);
      if (item.status !== 'not-applicable' && item.detail) out.push(`${indent}${item.detail}`);
      if (item.review) out.push(`${indent}${s.green(item.review.status === 'accepted-risk' ? 'accepted risk' : 'reviewed')}${item.review.by ? ` by ${item.review.by}` : ''} on ${item.review.date}: ${item.review.reason}`);
      const shown = item.evidence.slice(0, 8);
      for (const e of shown) out.push(`${indent}  ${s.bold(evidenceLocation(e))}  ${e.message}`);
      if (item.evidence.length > shown.length) out.push(`${indent}  ${s.dim(`and ${item.evidence.length - shown.length} more`)}`);
    }
    out.push('');
  }
  const all = report.categories.flatMap((c) => c.items);
  const n = (st: ChecklistStatus) => all.filter((i) => i.status === st).length;
  out.push(
    s.bold(`Score: ${report.score.passed}/${report.score.applicable} applicable checks pass or are reviewed.`) +
      ` ${n('fail')} fail, ${n('warning')} warning${n('warning') === 1 ? '' : 's'}, ${n('needs-review')} need${n('needs-review') === 1 ? 's' : ''} review, ${n('not-applicable')} not applicable.`,
  );
  if (all.some((i) => i.review)) out.push(s.dim('* marked reviewed or accepted in .parapet/checklist.json'));
  return out.join('\n') + '\n';
}

export async function checklist(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string', default: 'text' },
      'fail-on': { type: 'string', default: 'fail' },
      'output-file': { type: 'string' },
      'no-color': { type: 'boolean', default: false },
    },
  });
  const format = values.format!;
  if (!FORMATS.includes(format)) throw new UsageError(`unknown --format ${JSON.stringify(format)}: use text, json or markdown`);
  const failOn = values['fail-on']!;
  if (!FAIL_ON.includes(failOn)) throw new UsageError(`unknown --fail-on ${JSON.stringify(failOn)}: use fail, warning or none`);
  if (positionals.length > 1) throw new UsageError('checklist takes one project folder');
  const root = path.resolve(positionals[0] ?? '.');
  let stat: fs.Stats;
  try {
    stat = fs.statSync(root);
  } catch {
    throw new UsageError(`${positionals[0] ?? '.'}: no such folder`);
  }
  if (!stat.isDirectory()) throw new UsageError(`${positionals[0]}: not a folder (checklist looks at a whole project)`);

  await initParser();
  const progress = !!process.stderr.isTTY;
  const input = scanProject(root, {
    onProgress(done, total) {
      if (progress && total > 200 && (done % 50 === 0 || done === total)) process.stderr.write(done === total ? '\r\x1b[K' : `\rScanning ${done}/${total} files...`);
    },
  });
  const report = evaluateChecklist(input);
  const findings: FindingsByFile = new Map<string, readonly Finding[]>([...input.files].map(([k, v]) => [k, v.findings]));
  for (const p of report.problems) process.stderr.write(`warning: ${p}\n`);

  const toFile = values['output-file'];
  const color = format === 'text' && useColor(process.stdout, { noColor: values['no-color']!, toFile: !!toFile });
  let text: string;
  if (format === 'json') text = JSON.stringify({ ...report, findings: findingsByOwasp(findings) }, null, 2) + '\n';
  else if (format === 'markdown') text = renderMarkdown(report, findings);
  else text = renderText(report, style(color));
  if (toFile) {
    writeAtomic(path.resolve(toFile), text);
    process.stderr.write(`Wrote ${toFile}\n`);
  } else process.stdout.write(text);

  if (failOn === 'none') return 0;
  const failing = failingItems(report, failOn as 'fail' | 'warning');
  if (failing.length && format !== 'text') process.stderr.write(`${failing.length} checklist item${failing.length === 1 ? '' : 's'} at or above --fail-on ${failOn}: ${failing.map((i) => i.id).join(', ')}\n`);
  return failing.length ? 1 : 0;
}
