// npm run compare [FOLDER...]: Parapet, Bandit (Debian's python3-bandit, installed by this
// script when missing) and Ruff's S rules (@astral-sh/ruff-wasm-nodejs) over the same
// folders. Prints findings per rule family side by side and, on Parapet's rule fixtures (the
// only corpus here with per-line ground truth), how many annotated problems each tool finds
// and how many lines marked safe it reports. It reports numbers; it never fails.
//
// Bandit's own example files come with Debian's bandit source package, which this machine's
// package mirror does not serve; when they are present in .cache/bandit-examples (e.g.
// unpacked there by hand elsewhere), they are compared too.

import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFile } from '../server/src/engine/analyze';
import { initParser } from '../server/src/engine/parser';
import { ALL_RULES } from '../server/src/rules';
import { discoverFiles } from '../server/src/cli/files';
import { fixtureFiles, loadFixture } from '../test/support/fixtures';

const ROOT = path.resolve(__dirname, '..');

interface Hit {
  file: string;
  line: number;
  /** Bandit-style id: B602, or SEC220 for Parapet rules Bandit has no test for. */
  id: string;
}

const FAMILY: Record<string, string> = {
  '1': '1xx general',
  '2': '2xx frameworks/settings',
  '3': '3xx dangerous calls',
  '4': '4xx imports',
  '5': '5xx crypto/TLS',
  '6': '6xx injection',
  '7': '7xx templates/XSS',
  '8': '8xx data exposure',
  '9': '9xx dataflow',
};

function family(id: string): string {
  const d = /\d/.exec(id)?.[0] ?? '?';
  return FAMILY[d] ?? `${d}xx`;
}

function ensureBandit(): boolean {
  if (spawnSync('bandit', ['--version'], { encoding: 'utf8' }).status === 0) return true;
  try {
    process.stderr.write('installing python3-bandit with apt-get...\n');
    execFileSync('apt-get', ['install', '-y', '-qq', 'python3-bandit'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    return true;
  } catch {
    process.stderr.write('could not install python3-bandit; Bandit columns are empty\n');
    return false;
  }
}

function banditHits(folders: string[]): Hit[] {
  const r = spawnSync('bandit', ['-q', '-r', '-f', 'json', ...folders], { encoding: 'utf8', maxBuffer: 1 << 30 });
  try {
    const json = JSON.parse(r.stdout) as { results: { filename: string; line_number: number; test_id: string }[] };
    return json.results.map((x) => ({ file: path.resolve(x.filename), line: x.line_number, id: x.test_id }));
  } catch {
    return [];
  }
}

async function ruffHits(files: string[]): Promise<Hit[]> {
  const ruff = (await import('@astral-sh/ruff-wasm-nodejs')) as typeof import('@astral-sh/ruff-wasm-nodejs');
  const ws = new ruff.Workspace({ lint: { select: ['S'] } }, ruff.PositionEncoding.Utf16);
  const out: Hit[] = [];
  for (const file of files) {
    if (!file.endsWith('.py')) continue;
    let diags: { code: string | null; start_location: { row: number } }[] = [];
    try {
      diags = ws.check(fs.readFileSync(file, 'utf8'));
    } catch {
      continue;
    }
    for (const d of diags) if (d.code?.startsWith('S')) out.push({ file, line: d.start_location.row, id: `B${d.code.slice(1)}` });
  }
  return out;
}

/** Parapet's findings with its default rules, or with every rule (`select = ["ALL"]`). */
function parapetHits(files: string[], all = false): Hit[] {
  const out: Hit[] = [];
  const opts = { rules: all ? [...ALL_RULES] : ALL_RULES.filter((r) => r.enabledByDefault), knownRules: ALL_RULES };
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const f of analyzeFile(text, file, opts).findings) {
      if (f.ruleId < 'SEC100') continue;
      const rule = ALL_RULES.find((r) => r.id === f.ruleId)!;
      out.push({ file, line: f.range.start.line + 1, id: rule.aliases.find((a) => a.startsWith('B')) ?? f.ruleId });
    }
  }
  return out;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}

async function main(): Promise<void> {
  await initParser();
  const hasBandit = ensureBandit();
  const folders = process.argv.slice(2).length ? process.argv.slice(2) : [path.join(ROOT, 'examples', 'sample-project')];
  const files = discoverFiles(folders, new Map()).files.filter((f) => f.endsWith('.py'));
  const [p, b, r] = [parapetHits(files), hasBandit ? banditHits(folders) : [], await ruffHits(files)];
  console.log(`\n## Findings per rule family (${files.length} Python files in ${folders.map((f) => path.relative(ROOT, path.resolve(f)) || '.').join(', ')})\n`);
  const fams = [...new Set([...p, ...b, ...r].map((h) => family(h.id)))].sort();
  const rows = [['family', 'Parapet', 'Bandit 1.6.2', 'Ruff S (wasm)']];
  for (const fam of fams) rows.push([fam, ...[p, b, r].map((hits) => String(hits.filter((h) => family(h.id) === fam).length))]);
  rows.push(['total', ...[p, b, r].map((hits) => String(hits.length))]);
  console.log(table(rows));

  // Ground truth: Parapet's fixtures say per line what is a problem (`expect`) and what is not (`ok`).
  const fixtures = fixtureFiles().filter((f) => f.endsWith('.py')).map(loadFixture);
  const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'parapet-compare-'));
  const written = fixtures.map((fx) => {
    const file = path.join(dir, path.basename(fx.file));
    fs.writeFileSync(file, fx.text);
    return { fx, file };
  });
  const fp = parapetHits(written.map((w) => w.file));
  const fa = parapetHits(written.map((w) => w.file), true);
  const fb = hasBandit ? banditHits([dir]) : [];
  const fr = await ruffHits(written.map((w) => w.file));
  const lineSet = (hits: Hit[]): Set<string> => new Set(hits.map((h) => `${path.basename(h.file)}:${h.line}`));
  const sets = [lineSet(fp), lineSet(fa), lineSet(fb), lineSet(fr)];
  let expectLines = 0;
  let okLines = 0;
  const found = [0, 0, 0, 0];
  const noisy = [0, 0, 0, 0];
  for (const { fx } of written) {
    const name = path.basename(fx.file);
    for (const line of fx.expect.keys()) {
      expectLines++;
      sets.forEach((s, i) => s.has(`${name}:${line + 1}`) && found[i]!++);
    }
    for (const line of fx.ok.keys()) {
      if (fx.expect.has(line)) continue;
      okLines++;
      sets.forEach((s, i) => s.has(`${name}:${line + 1}`) && noisy[i]!++);
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`\n## On Parapet's ${fixtures.length} rule fixtures (${expectLines} lines with a problem, ${okLines} safe lines)\n`);
  console.log('(The fixtures were written for Parapet, so they favour it: read the Bandit and Ruff columns as what those tools catch of these patterns.)\n');
  console.log(
    table([
      ['', 'Parapet (default)', 'Parapet (all rules)', 'Bandit 1.6.2', 'Ruff S (wasm)'],
      ['problem lines found', ...found.map((n) => `${n} (${Math.round((100 * n) / Math.max(1, expectLines))}%)`)],
      ['safe lines reported', ...noisy.map((n) => `${n} (${Math.round((100 * n) / Math.max(1, okLines))}%)`)],
    ]),
  );
  const examples = path.join(ROOT, '.cache', 'bandit-examples');
  if (fs.existsSync(examples) && hasBandit) {
    const exFiles = discoverFiles([examples], new Map()).files.filter((f) => f.endsWith('.py'));
    const flaggedBy = (hits: Hit[]): Set<string> => new Set(hits.map((h) => h.file));
    const bf = flaggedBy(banditHits([examples]));
    const pf = flaggedBy(parapetHits(exFiles));
    const pa = flaggedBy(parapetHits(exFiles, true));
    const both = [...bf].filter((f) => pf.has(f)).length;
    const bothAll = [...bf].filter((f) => pa.has(f)).length;
    const pct = (n: number): number => Math.round((100 * n) / Math.max(1, bf.size));
    console.log(`\n## Bandit's example files: Bandit flags ${bf.size} of ${exFiles.length}`);
    console.log(`Parapet flags ${both} of those with its default rules (${pct(both)}%), ${bothAll} with every rule on (${pct(bothAll)}%).`);
    const missed = [...bf].filter((f) => !pa.has(f)).map((f) => path.basename(f)).sort();
    if (missed.length) console.log(`Flagged by Bandit only: ${missed.join(', ')}`);
  } else {
    console.log("\n(Bandit's example files were not found in .cache/bandit-examples: Debian's bandit source package is not served by this machine's mirror.)");
  }
}

void main();
