// The `parapet` command line, run as a user runs it: the built bundle in a child process.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { ensureBuilt, ROOT } from './support/lsp-client';

const CLI = path.join(ROOT, 'server', 'out', 'cli.js');

interface SarifLogShape {
  runs: {
    tool: { driver: { rules: { id: string; properties: { tags: string[]; 'security-severity': string } }[] } };
    results: {
      ruleId: string;
      locations: { physicalLocation: { artifactLocation: unknown; region: { startLine: number } } }[];
      fixes: { artifactChanges: { replacements: unknown[] }[] }[];
    }[];
  }[];
}

function run(args: string[], cwd: string, input?: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', input, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function write(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
}

const APP = `import random
import sqlite3


def reset(conn, email):
    code = random.randint(100000, 999999)
    reset_token = random.randint(100000, 999999)
    conn.execute(f"UPDATE users SET code = {code} WHERE email = '{email}'")
    return reset_token
`;

describe('command line', function () {
  this.timeout(60_000);
  let tmp: string;

  before(() => {
    ensureBuilt();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-cli-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function project(name: string, files: Record<string, string | Buffer>): string {
    const root = path.join(tmp, name);
    write(root, files);
    return root;
  }

  it('prints findings like ruff: location, code, frame and fix help; exits 1', () => {
    const root = project('text', { 'app.py': APP });
    const r = run(['check', '.'], root);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^app\.py:7:19: SEC311 \[\*\] `random\.randint\(\)` is predictable and generates `reset_token`, a security value$/m);
    assert.match(r.stdout, /^7 \|     reset_token = random\.randint\(100000, 999999\)$/m);
    assert.match(r.stdout, /^  \|                   \^{30} SEC311$/m);
    assert.match(r.stdout, /^  = help: Use `secrets\.randbelow\(\)` \(same range\)$/m);
    assert.match(r.stdout, /^app\.py:8:18: SEC608 \[\*\] /m);
    assert.match(r.stdout, /Found 2 findings in 1 file\. 2 fixable with `--fix`/);
  });

  it('exits 0 with no findings, 2 on usage errors', () => {
    const root = project('clean', { 'ok.py': 'import secrets\ntoken = secrets.token_hex(16)\n' });
    assert.equal(run(['check', '.'], root).code, 0);
    const bad = run(['check', '--format', 'xml', '.'], root);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown --format "xml"/);
    const sel = run(['check', '--select', 'SEC9999', '.'], root);
    assert.equal(sel.code, 2);
    assert.match(sel.stderr, /unknown rule selector "SEC9999"/);
    assert.equal(run(['frobnicate'], root).code, 2);
    assert.equal(run(['check', '--unsafe-fixes', '.'], root).code, 2);
  });

  it('writes JSON with 1-based positions, OWASP, CWE and fixability', () => {
    const root = project('json', { 'app.py': APP });
    const r = run(['check', '--format', 'json', '.'], root);
    assert.equal(r.code, 1);
    const items = JSON.parse(r.stdout) as Record<string, unknown>[];
    assert.equal(items.length, 2);
    const sql = items.find((i) => i['rule'] === 'SEC608')!;
    assert.deepEqual(
      { file: sql['file'], line: sql['line'], column: sql['column'], endLine: sql['endLine'], rule: sql['rule'], name: sql['name'], owasp: sql['owasp'], cwe: sql['cwe'], fixable: sql['fixable'], severity: sql['severity'], confidence: sql['confidence'] },
      { file: 'app.py', line: 8, column: 18, endLine: 8, rule: 'SEC608', name: 'formatted-sql-query', owasp: { '2025': 'A05', '2021': 'A03' }, cwe: [89], fixable: true, severity: 'error', confidence: 'high' },
    );
    const line8 = APP.split('\n')[7]!;
    const fstring = `f"UPDATE users SET code = {code} WHERE email = '{email}'"`;
    assert.equal(sql['column'], line8.indexOf(fstring) + 1);
    assert.equal(sql['endColumn'], line8.indexOf(fstring) + fstring.length + 1, 'end column is exclusive, 1-based');
    assert.equal(typeof sql['message'], 'string');
  });

  it('writes SARIF 2.1.0 that validates against the schema, with rule metadata and fixes', () => {
    const root = project('sarif', { 'app.py': APP });
    const r = run(['check', '--format', 'sarif', '.'], root);
    assert.equal(r.code, 1);
    const log = JSON.parse(r.stdout) as SarifLogShape;
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'sarif', 'sarif-2.1.0-rtm.5.json'), 'utf8'));
    const validate = ajv.compile(schema);
    assert.ok(validate(structuredClone(log)), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    const run0 = log.runs[0]!;
    const rule = run0.tool.driver.rules.find((x) => x.id === 'SEC608')!;
    assert.ok(rule.properties.tags.includes('external/cwe/cwe-89'));
    assert.ok(rule.properties.tags.includes('external/owasp/A05:2025'));
    assert.ok(rule.properties.tags.includes('external/owasp/A03:2021'));
    assert.equal(rule.properties['security-severity'], '8.0');
    const result = run0.results.find((x) => x.ruleId === 'SEC608')!;
    assert.deepEqual(result.locations[0]!.physicalLocation.artifactLocation, { uri: 'app.py', uriBaseId: '%SRCROOT%' });
    assert.equal(result.locations[0]!.physicalLocation.region.startLine, 8);
    assert.equal(result.fixes[0]!.artifactChanges[0]!.replacements.length, 2);

    // The same log written with --output-file (as the CI workflow in docs/ci does), and for a file
    // read from standard input, validates too.
    const toFile = run(['check', '--format', 'sarif', '--output-file', 'parapet.sarif', '.'], root);
    assert.equal(toFile.code, 1, toFile.stderr);
    assert.equal(toFile.stdout, '');
    const fromFile = JSON.parse(fs.readFileSync(path.join(root, 'parapet.sarif'), 'utf8')) as SarifLogShape;
    assert.ok(validate(structuredClone(fromFile)), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    assert.deepEqual(fromFile.runs[0]!.results.map((x) => x.ruleId).sort(), ['SEC311', 'SEC608']);
    const stdin = run(['check', '--format', 'sarif', '-', '--stdin-filename', 'pkg/app.py'], root, APP);
    assert.equal(stdin.code, 1, stdin.stderr);
    const fromStdin = JSON.parse(stdin.stdout) as SarifLogShape;
    assert.ok(validate(structuredClone(fromStdin)), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    assert.deepEqual(fromStdin.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation, { uri: 'pkg/app.py', uriBaseId: '%SRCROOT%' });
  });

  it('honours .gitignore, [tool.parapet] exclude, and skips virtualenvs and node_modules', () => {
    const vuln = 'import random\ntoken = random.randint(0, 9)\n';
    const root = project('discovery', {
      'pyproject.toml': '[tool.parapet]\nexclude = ["generated"]\n',
      '.gitignore': 'build/\n*_local.py\n',
      'src/app.py': vuln,
      'src/settings_local.py': vuln,
      'build/out.py': vuln,
      'generated/models.py': vuln,
      'node_modules/pkg/x.py': vuln,
      'env/pyvenv.cfg': 'home = /usr/bin\n',
      'env/lib/site.py': vuln,
      '.venv/lib/y.py': vuln,
      'src/sub/.gitignore': 'ignored.py\n',
      'src/sub/ignored.py': vuln,
      'src/sub/kept.py': vuln,
      'README.txt': vuln,
    });
    const r = run(['check', '--format', 'json', '.'], root);
    const files = [...new Set((JSON.parse(r.stdout) as { file: string }[]).map((i) => i.file))].sort();
    assert.deepEqual(files, ['src/app.py', 'src/sub/kept.py']);
    // A file named on the command line is checked even when excluded.
    const direct = run(['check', '--format', 'json', 'generated/models.py'], root);
    assert.equal((JSON.parse(direct.stdout) as unknown[]).length, 1);
    // A subfolder still honours the .gitignore above it...
    const sub = run(['check', '--format', 'json', 'src'], root);
    assert.deepEqual([...new Set((JSON.parse(sub.stdout) as { file: string }[]).map((i) => i.file))].sort(), ['src/app.py', 'src/sub/kept.py']);
    // ...but a folder named explicitly that the repository ignores is checked (the editor's
    // workspace scan relies on this when the opened folder sits in an ignored path).
    const ignoredDir = run(['check', '--format', 'json', 'build'], root);
    assert.deepEqual((JSON.parse(ignoredDir.stdout) as { file: string }[]).map((i) => i.file), ['build/out.py']);
  });

  it('does not follow a symlink loop', () => {
    const root = project('loop', { 'a/app.py': 'import random\ntoken = random.randint(0, 9)\n' });
    fs.symlinkSync(path.join(root, 'a'), path.join(root, 'a', 'again'));
    const r = run(['check', '--format', 'json', '.'], root);
    assert.equal(r.code, 1);
    assert.equal((JSON.parse(r.stdout) as unknown[]).length, 1);
  });

  it('--select and --ignore choose rules by id, prefix, name and alias', () => {
    const root = project('select', { 'app.py': APP });
    const only = (args: string[]) => [...new Set((JSON.parse(run(['check', '--format', 'json', ...args, '.'], root).stdout) as { rule: string }[]).map((i) => i.rule))];
    assert.deepEqual(only(['--select', 'SEC6']), ['SEC608']);
    assert.deepEqual(only(['--select', 'B311']), ['SEC311']);
    assert.deepEqual(only(['--ignore', 'formatted-sql-query']), ['SEC311']);
    assert.deepEqual(only(['--select', 'SEC311,SEC608', '--ignore', 'S608']), ['SEC311']);
  });

  it('reports an invalid pyproject.toml clearly, still checks, and exits 2', () => {
    const root = project('badconfig', { 'pyproject.toml': '[tool.parapet]\nignore = ["SEC311"\n', 'app.py': APP });
    const r = run(['check', '.'], root);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /pyproject\.toml:\d+: invalid TOML, \[tool\.parapet\] ignored/);
    assert.match(r.stdout, /SEC311/);
  });

  it('warns about unknown rule ids and options in config but applies the rest', () => {
    const root = project('warnconfig', { 'pyproject.toml': '[tool.parapet]\nignore = ["SEC311", "SEC9999"]\ncolour = true\n', 'app.py': APP });
    const r = run(['check', '--format', 'json', '.'], root);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unknown rule selector `SEC9999`/);
    assert.match(r.stderr, /unknown option `colour`/);
    assert.deepEqual([...new Set((JSON.parse(r.stdout) as { rule: string }[]).map((i) => i.rule))], ['SEC608']);
  });

  it('--fix applies safe fixes atomically, keeps BOM and CRLF, and reports what changed', () => {
    const crlf = APP.replace(/\n/g, '\r\n');
    const root = project('fix', { 'app.py': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(crlf)]) });
    const r = run(['check', '--fix', '.'], root);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /Fixed app\.py: SEC311 x1, SEC608 x1/);
    assert.match(r.stdout, /Fixed 2 findings in 1 file\./);
    const bytes = fs.readFileSync(path.join(root, 'app.py'));
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'BOM kept');
    const text = bytes.subarray(3).toString('utf8');
    assert.ok(!/[^\r]\n/.test(text), 'every line ends with CRLF');
    assert.match(text, /import sqlite3\r\nimport secrets\r\n/);
    assert.match(text, /reset_token = secrets\.randbelow\(900000\) \+ 100000/);
    assert.match(text, /conn\.execute\("UPDATE users SET code = \? WHERE email = \?", \(code, email\)\)/);
    assert.deepEqual(fs.readdirSync(root).filter((f) => f.includes('.tmp')), [], 'no temporary file left');
  });

  it('does not rewrite a file that is not valid UTF-8', () => {
    const content = Buffer.concat([Buffer.from('import random\ntoken = random.randint(0, 9)  # '), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]);
    const root = project('badutf8', { 'app.py': content });
    const r = run(['check', '--fix', '.'], root);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /not valid UTF-8/);
    assert.deepEqual(fs.readFileSync(path.join(root, 'app.py')), content);
  });

  it('handles binary, huge, unparsable and deeply nested files without crashing', () => {
    const root = project('hostile', {
      'binary.py': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1, 2, 3]),
      'broken.py': 'import random\ndef f(:\n    token = random.randint(0, 9)\n  ))) ((\n',
      'deep.py': `x = ${'('.repeat(3000)}eval(s)${')'.repeat(3000)}\n`,
      'big.py': 'import random\n' + 'def f(x):\n    return x\n'.repeat(250_000) + 'token = random.randint(0, 9)\n',
    });
    const r = run(['check', '--format', 'json', '.'], root);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /binary\.py looks like a binary file/);
    const found = (JSON.parse(r.stdout) as { file: string; rule: string; line: number }[]).map((i) => `${i.file}:${i.line}:${i.rule}`).sort();
    assert.deepEqual(found, ['big.py:500002:SEC311', 'broken.py:3:SEC311', 'deep.py:1:SEC307']);
  });

  it('lists rules and explains one', () => {
    const r = run(['rules', '--format', 'json'], tmp);
    assert.equal(r.code, 0);
    const rules = JSON.parse(r.stdout) as { id: string; owasp: object; cwe: number[] }[];
    assert.ok(rules.some((x) => x.id === 'SEC602'));
    const e = run(['explain', 'B602'], tmp);
    assert.equal(e.code, 0);
    assert.match(e.stdout, /^# SEC602 subprocess-shell-true/);
    assert.equal(run(['explain', 'nope'], tmp).code, 2);
  });

  // A project with enough files, findings, a per-file ignore and an unparsable file that the
  // files are spread over several chunks and both workers.
  function manyFiles(): Record<string, string | Buffer> {
    const files: Record<string, string | Buffer> = {
      'pyproject.toml': '[tool.parapet]\nper-file-ignores = { "pkg1/*" = ["SEC311"] }\n',
      'broken.py': 'def (:\n  eval(x)\n',
    };
    for (let i = 0; i < 90; i++) files[`pkg${i % 3}/mod_${i}.py`] = i % 4 === 0 ? 'import secrets\nTOKEN = secrets.token_hex(16)\n' : APP.replace(/reset_token/g, `reset_token_${i}`);
    return files;
  }

  it('--jobs 2 writes exactly the same JSON and text as --jobs 1', () => {
    const root = project('jobs', manyFiles());
    for (const format of ['json', 'text', 'sarif']) {
      const one = run(['check', '--no-cache', '--jobs', '1', '--format', format, '.'], root);
      const two = run(['check', '--no-cache', '--jobs', '2', '--format', format, '.'], root);
      assert.equal(one.code, 1, one.stderr);
      assert.equal(two.code, one.code);
      assert.equal(two.stdout, one.stdout, `${format} output differs between --jobs 1 and --jobs 2`);
      assert.equal(two.stderr, one.stderr);
    }
    const items = JSON.parse(run(['check', '--no-cache', '--jobs', '2', '--format', 'json', '.'], root).stdout) as { file: string; rule: string }[];
    assert.ok(items.some((x) => x.file.startsWith('pkg2/') && x.rule === 'SEC311'));
    assert.ok(!items.some((x) => x.file.startsWith('pkg1/') && x.rule === 'SEC311'), 'per-file-ignores apply in the workers');
    assert.equal(run(['check', '--jobs', '0', '.'], root).code, 2);
  });

  it('caches per-file results by content: same output, changed files re-analysed, --no-cache writes nothing', () => {
    const root = project('cache', manyFiles());
    const first = run(['check', '--jobs', '2', '--format', 'json', '.'], root);
    const cacheDir = path.join(root, '.parapet-cache');
    assert.ok(fs.existsSync(cacheDir), 'the cache is on by default, next to pyproject.toml');
    assert.match(fs.readFileSync(path.join(cacheDir, '.gitignore'), 'utf8'), /^\*$/m);
    assert.deepEqual(fs.readdirSync(cacheDir).filter((f) => f.endsWith('.tmp')), []);
    const again = run(['check', '--format', 'json', '.'], root);
    assert.equal(again.stdout, first.stdout);
    assert.equal(again.stdout, run(['check', '--no-cache', '--format', 'json', '.'], root).stdout);
    // A changed file is analysed again: its finding moves down a line.
    fs.writeFileSync(path.join(root, 'pkg2', 'mod_2.py'), '\n' + APP);
    const changed = JSON.parse(run(['check', '--format', 'json', '.'], root).stdout) as { file: string; rule: string; line: number }[];
    assert.ok(changed.some((x) => x.file === 'pkg2/mod_2.py' && x.rule === 'SEC608' && x.line === 9));
    // A configuration change misses too.
    fs.writeFileSync(path.join(root, 'pyproject.toml'), '[tool.parapet]\nignore = ["SEC608"]\n');
    const reconfigured = JSON.parse(run(['check', '--format', 'json', '.'], root).stdout) as { rule: string }[];
    assert.ok(reconfigured.length > 0 && !reconfigured.some((x) => x.rule === 'SEC608'));
    // A corrupt entry is a miss, not a crash.
    const v1 = path.join(cacheDir, 'v1');
    const sub = fs.readdirSync(v1)[0]!;
    for (const f of fs.readdirSync(path.join(v1, sub))) fs.writeFileSync(path.join(v1, sub, f), '{not json');
    assert.equal(run(['check', '--format', 'json', '.'], root).stdout, run(['check', '--no-cache', '--format', 'json', '.'], root).stdout);

    const plain = project('nocache', { 'app.py': APP });
    run(['check', '--no-cache', '.'], plain);
    assert.ok(!fs.existsSync(path.join(plain, '.parapet-cache')));
    const elsewhere = path.join(tmp, 'elsewhere-cache');
    run(['check', '--cache-dir', elsewhere, '.'], plain);
    assert.ok(fs.existsSync(path.join(elsewhere, '.gitignore')));
    assert.ok(!fs.existsSync(path.join(plain, '.parapet-cache')));
  });
});
