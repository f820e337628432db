// `parapet` command-line conveniences, run as a user runs them (the built bundle in a child
// process): `rules` metadata, --quiet, --statistics, --output-file, --severity/--confidence,
// colour rules, progress, and standard input with --stdin-filename.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { useColor } from '../server/src/cli/output';
import { ALL_RULES } from '../server/src/rules';
import { ensureBuilt, ROOT } from './support/lsp-client';

const CLI = path.join(ROOT, 'server', 'out', 'cli.js');
const ESC = '\x1b[';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with colour variables cleared unless `env` sets them (stdout/stderr are pipes). */
function run(args: string[], cwd: string, opts: { input?: string; env?: Record<string, string> } = {}): Run {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['NO_COLOR'];
  delete env['FORCE_COLOR'];
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', input: opts.input ?? '', env: { ...env, ...opts.env } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

// Three findings of different severity and confidence: SEC311 error/high, SEC113 warning/high,
// SEC110 hint/medium.
const MIX = `import random
import requests

token = random.randint(0, 9)
requests.get("https://example.com")
try:
    x = 1
except Exception:
    pass
`;

interface JsonItem {
  file: string;
  rule: string;
  severity: string;
  confidence: string;
  line: number;
}

describe('command line polish', function () {
  this.timeout(60_000);
  let tmp: string;

  before(() => {
    ensureBuilt();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-cli-polish-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function project(name: string, files: Record<string, string | Buffer>): string {
    const root = path.join(tmp, name);
    for (const [rel, content] of Object.entries(files)) {
      const p = path.join(root, rel);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, content);
    }
    return root;
  }

  it('`rules --format json` lists every rule with all its metadata', () => {
    const r = run(['rules', '--format', 'json'], tmp);
    assert.equal(r.code, 0, r.stderr);
    const rules = JSON.parse(r.stdout) as Record<string, unknown>[];
    assert.equal(rules.length, ALL_RULES.length);
    for (const rule of rules) {
      for (const key of ['id', 'name', 'summary', 'aliases', 'owasp', 'cwe', 'severity', 'confidence', 'fix', 'status', 'enabledByDefault']) {
        assert.ok(key in rule, `${String(rule['id'])} has ${key}`);
      }
      const owasp = rule['owasp'] as Record<string, string>;
      assert.match(owasp['2025']!, /^A\d\d$/);
      assert.match(owasp['2021']!, /^A\d\d$/);
      assert.ok(['none', 'sometimes', 'always'].includes(rule['fix'] as string));
      assert.equal(typeof rule['enabledByDefault'], 'boolean');
    }
    const sec602 = rules.find((x) => x['id'] === 'SEC602')!;
    assert.deepEqual(
      { name: sec602['name'], aliases: sec602['aliases'], cwe: sec602['cwe'], owasp: sec602['owasp'] },
      { name: 'subprocess-shell-true', aliases: ['B602', 'S602'], cwe: [78], owasp: { '2025': 'A05', '2021': 'A03' } },
    );
  });

  it('`rules` prints a table with a header and one line per rule', () => {
    const r = run(['rules'], tmp);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, ALL_RULES.length + 1);
    assert.match(lines[0]!, /^ID\s+NAME\s+OWASP 2025\s+OWASP 2021\s+CWE\s+SEVERITY\s+CONFIDENCE\s+FIX\s+STATUS\s+DEFAULT\s+ALIASES$/);
    assert.match(r.stdout, /^SEC602\s+subprocess-shell-true\s+A05\s+A03\s+CWE-78\s+error\s+high\s+\S+\s+stable\s+on\s+B602,S602$/m);
    assert.ok(!r.stdout.includes(ESC), 'no colour when stdout is not a terminal');
    assert.equal(run(['rules', '--format', 'yaml'], tmp).code, 2);
  });

  it('--quiet prints the findings only: no summary and no warnings', () => {
    const root = project('quiet', { 'app.py': MIX, 'latin1.py': Buffer.from('x = "caf\xe9"\n', 'latin1') });
    const loud = run(['check', '.'], root);
    assert.equal(loud.code, 1);
    assert.match(loud.stdout, /Found 3 findings in 2 files/);
    assert.match(loud.stderr, /latin1\.py is not valid UTF-8/);
    const quiet = run(['check', '--quiet', '.'], root);
    assert.equal(quiet.code, 1);
    assert.equal(quiet.stderr, '');
    assert.doesNotMatch(quiet.stdout, /Found \d+ finding/);
    assert.match(quiet.stdout, /^app\.py:4:9: SEC311 /m);
    assert.equal(run(['check', '-q', '.'], root).stdout, quiet.stdout);
    const clean = run(['check', '-q', 'latin1.py'], root);
    assert.deepEqual(clean, { code: 0, stdout: '', stderr: '' });
  });

  it('--statistics counts findings per rule (text and JSON)', () => {
    const root = project('stats', { 'a.py': MIX, 'b.py': 'import random\nreset_token = random.randint(0, 9999)\npin = random.randint(0, 9999)\n' });
    const r = run(['check', '--statistics', '.'], root);
    assert.equal(r.code, 1);
    const lines = r.stdout.trimEnd().split('\n');
    assert.deepEqual(lines.slice(0, 3), ['3\tSEC311\t[*] random-security-value', '1\tSEC110\t    try-except-pass', '1\tSEC113\t    request-without-timeout']);
    assert.match(lines[3]!, /^Found 5 findings in 2 files\./);
    assert.doesNotMatch(r.stdout, /\|/, 'no source frames');
    const j = run(['check', '--statistics', '--format', 'json', '.'], root);
    assert.equal(j.code, 1);
    assert.deepEqual(JSON.parse(j.stdout), [
      { rule: 'SEC311', name: 'random-security-value', count: 3, fixable: 3 },
      { rule: 'SEC110', name: 'try-except-pass', count: 1, fixable: 0 },
      { rule: 'SEC113', name: 'request-without-timeout', count: 1, fixable: 0 },
    ]);
    assert.equal(run(['check', '--statistics', '--format', 'sarif', '.'], root).code, 2);
  });

  it('--output-file writes the report atomically instead of standard output', () => {
    const root = project('outfile', { 'app.py': MIX });
    const direct = run(['check', '--format', 'json', '.'], root);
    fs.writeFileSync(path.join(root, 'report.json'), 'old contents');
    const r = run(['check', '--format', 'json', '--output-file', 'report.json', '.'], root);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(fs.readFileSync(path.join(root, 'report.json'), 'utf8'), direct.stdout);
    // (.parapet-cache is the result cache, not a leftover.)
    assert.deepEqual(fs.readdirSync(root).filter((f) => f !== '.parapet-cache').sort(), ['app.py', 'report.json'], 'no temporary file left behind');
    // Text to a file is never coloured, even when colour is forced.
    const t = run(['check', '-o', 'report.txt', '.'], root, { env: { FORCE_COLOR: '1' } });
    assert.equal(t.code, 1);
    const text = fs.readFileSync(path.join(root, 'report.txt'), 'utf8');
    assert.match(text, /Found 3 findings in 1 file/);
    assert.ok(!text.includes(ESC));
    const bad = run(['check', '-o', path.join(root, 'missing-dir', 'r.json'), '.'], root);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^parapet: cannot write .*r\.json \(ENOENT\)\n$/);
  });

  it('--severity and --confidence report only findings at or above the minimum', () => {
    const root = project('threshold', { 'app.py': MIX });
    const all = JSON.parse(run(['check', '--format', 'json', '.'], root).stdout) as JsonItem[];
    assert.deepEqual(all.map((i) => `${i.rule}:${i.severity}:${i.confidence}`).sort(), ['SEC110:hint:medium', 'SEC113:warning:high', 'SEC311:error:high']);
    const rules = (args: string[]) => (JSON.parse(run(['check', '--format', 'json', ...args, '.'], root).stdout) as JsonItem[]).map((i) => i.rule).sort();
    assert.deepEqual(rules(['--severity', 'warning']), ['SEC113', 'SEC311']);
    assert.deepEqual(rules(['--severity', 'error']), ['SEC311']);
    assert.deepEqual(rules(['--severity', 'hint']), ['SEC110', 'SEC113', 'SEC311']);
    assert.deepEqual(rules(['--confidence', 'high']), ['SEC113', 'SEC311']);
    assert.deepEqual(rules(['--confidence', 'medium', '--severity', 'info']), ['SEC113', 'SEC311']);
    // Nothing left to report: exit 0.
    const none = run(['check', '--severity', 'error', 'app.py'], project('threshold-none', { 'app.py': 'import requests\nrequests.get("https://x")\n' }));
    assert.equal(none.code, 0, none.stdout);
    const bad = run(['check', '--severity', 'critical', '.'], root);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown --severity "critical": use error, warning, info, hint/);
    assert.equal(run(['check', '--confidence', 'certain', '.'], root).code, 2);
  });

  it('colours only when asked or on a terminal: FORCE_COLOR, NO_COLOR and --no-color', () => {
    const root = project('colour', { 'app.py': MIX });
    assert.ok(!run(['check', '.'], root).stdout.includes(ESC), 'a pipe gets no colour');
    assert.ok(run(['check', '.'], root, { env: { FORCE_COLOR: '1' } }).stdout.includes(`${ESC}1m`));
    assert.ok(!run(['check', '.'], root, { env: { FORCE_COLOR: '0' } }).stdout.includes(ESC));
    assert.ok(!run(['check', '--no-color', '.'], root, { env: { FORCE_COLOR: '1' } }).stdout.includes(ESC));
    assert.ok(!run(['check', '--format', 'json', '.'], root, { env: { FORCE_COLOR: '1' } }).stdout.includes(ESC), 'JSON is never coloured');
    // The terminal cases, decided by the same function the CLI uses.
    assert.equal(useColor({ isTTY: true }, {}, {}), true);
    assert.equal(useColor({ isTTY: true }, {}, { NO_COLOR: '1' }), false);
    assert.equal(useColor({ isTTY: true }, {}, { NO_COLOR: '' }), true, 'an empty NO_COLOR does not count');
    assert.equal(useColor({ isTTY: true }, { noColor: true }, {}), false);
    assert.equal(useColor({ isTTY: false }, {}, { FORCE_COLOR: 'true' }), true);
    assert.equal(useColor({ isTTY: true }, {}, { FORCE_COLOR: 'false' }), false);
  });

  it('shows progress on standard error only when it is a terminal', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 260; i++) files[`pkg/m${i}.py`] = `x${i} = ${i}\n`;
    const root = project('progress', files);
    const r = run(['check', '.'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^No findings in 260 files\.$/m);
    // On a terminal (util-linux `script` provides one, where installed) the progress shows.
    const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
    if (!hasScript) return;
    const tty = spawnSync('script', ['-qc', `'${process.execPath}' '${CLI}' check . > /dev/null`, '/dev/null'], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.match(tty.stdout, /\rChecking 0\/260 files\.\.\./);
    assert.match(tty.stdout, /\rChecking 250\/260 files\.\.\.[^]*\r\x1b\[K/, 'the progress line is cleared at the end');
    const quiet = spawnSync('script', ['-qc', `'${process.execPath}' '${CLI}' check -q . > /dev/null`, '/dev/null'], { cwd: root, encoding: 'utf8' });
    assert.doesNotMatch(quiet.stdout, /Checking/, '--quiet shows no progress');
  });

  it('checks standard input as the file named by --stdin-filename', () => {
    const root = project('stdin', {
      'sub/pyproject.toml': '[tool.parapet]\nignore = ["SEC113"]\n',
      'sub/app.py': 'print("on disk")\n',
    });
    const r = run(['check', '-', '--stdin-filename', 'sub/app.py', '--format', 'json'], root, { input: MIX });
    assert.equal(r.code, 1, r.stderr);
    const items = JSON.parse(r.stdout) as JsonItem[];
    assert.deepEqual(items.map((i) => `${i.file}:${i.line}:${i.rule}`), ['sub/app.py:4:SEC311', 'sub/app.py:8:SEC110'], 'the pyproject.toml next to the named file applies');
    // Without --stdin-filename the text is checked as stdin.py in the working directory.
    const plain = run(['check', '-'], root, { input: MIX });
    assert.equal(plain.code, 1);
    assert.match(plain.stdout, /^stdin\.py:4:9: SEC311 /m);
    assert.equal(run(['check', '-'], root, { input: 'x = 1\n' }).code, 0);
    // Notebook JSON from standard input is read as a notebook.
    const nb = JSON.stringify({ cells: [{ cell_type: 'code', source: ['import random\n', 'token = random.randint(0, 9)\n'], metadata: {}, outputs: [], execution_count: null }], metadata: {}, nbformat: 4, nbformat_minor: 5 });
    const nbRun = run(['check', '-', '--stdin-filename', 'nb.ipynb', '--format', 'json'], root, { input: nb });
    assert.equal(nbRun.code, 1, nbRun.stderr);
    assert.deepEqual((JSON.parse(nbRun.stdout) as (JsonItem & { cell: number })[]).map((i) => `${i.cell}:${i.line}:${i.rule}`), ['1:2:SEC311']);
    // Usage errors.
    assert.equal(run(['check', '-', 'sub'], root, { input: MIX }).code, 2);
    const noDash = run(['check', '--stdin-filename', 'x.py', '.'], root);
    assert.equal(noDash.code, 2);
    assert.match(noDash.stderr, /--stdin-filename needs `-`/);
    assert.equal(run(['check', '-', '--stdin-filename', 'nb.ipynb', '--fix'], root, { input: nb }).code, 2);
  });

  it('with --fix on standard input, writes the fixed text to standard output and touches no file', () => {
    const root = project('stdin-fix', { 'app.py': 'print("on disk")\n' });
    const r = run(['check', '-', '--stdin-filename', 'app.py', '--fix'], root, { input: MIX });
    assert.equal(r.code, 1, 'SEC110 and SEC113 have no safe fix and remain');
    assert.equal(
      r.stdout,
      MIX.replace('import requests\n', 'import requests\nimport secrets\n').replace('random.randint(0, 9)', 'secrets.randbelow(10)'),
    );
    assert.match(r.stderr, /^Fixed app\.py: SEC311 x1$/m);
    assert.match(r.stderr, /^app\.py:\d+:\d+: SEC113 /m, 'the remaining findings go to standard error');
    assert.equal(fs.readFileSync(path.join(root, 'app.py'), 'utf8'), 'print("on disk")\n');
    // Nothing to fix: the text comes back unchanged.
    const same = run(['check', '-', '--fix', '-q'], root, { input: 'x = 1\n' });
    assert.deepEqual(same, { code: 0, stdout: 'x = 1\n', stderr: '' });
  });
});
