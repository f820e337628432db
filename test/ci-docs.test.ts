// The CI examples in docs/ci run the commands they document: each `parapet check ...` line is
// run (through package.json's bin) on a small project, and the report it writes is the file the
// upload step names, in a shape the CI service accepts (SARIF 2.1.0 by its JSON schema; the
// GitLab SAST report by the fields GitLab requires).

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { ensureBuilt, ROOT } from './support/lsp-client';

const APP = `import random
import sqlite3


def reset(conn, email):
    reset_token = random.randint(100000, 999999)
    conn.execute(f"UPDATE users SET token = {reset_token} WHERE email = '{email}'")
`;

/** The `parapet ...` commands in a CI file (after `run:` or `- `), without comments. */
function parapetCommands(text: string): string[][] {
  return text
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .map((l) => /^\s*(?:run:|-)\s+(parapet\s.*)$/.exec(l)?.[1])
    .filter((c): c is string => !!c)
    .map((c) => c.trim().split(/\s+/));
}

function runBin(args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  const bin = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin[args[0]!]!;
  const r = spawnSync(process.execPath, [path.join(ROOT, bin), ...args.slice(1)], { cwd, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('CI examples', function () {
  this.timeout(60_000);
  let tmp: string;

  before(() => {
    ensureBuilt();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-ci-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function project(name: string): string {
    const root = path.join(tmp, name);
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    fs.writeFileSync(path.join(root, 'src', 'app.py'), APP);
    return root;
  }

  it('GitHub Actions: the documented command writes valid SARIF 2.1.0 where upload-sarif reads it', () => {
    const text = fs.readFileSync(path.join(ROOT, 'docs', 'ci', 'github-actions.yml'), 'utf8');
    assert.match(text, /uses: actions\/setup-node@v4/);
    assert.match(text, /uses: github\/codeql-action\/upload-sarif@v3/);
    assert.match(text, /security-events: write/);
    const commands = parapetCommands(text);
    assert.equal(commands.length, 1, JSON.stringify(commands));
    const cmd = commands[0]!;
    const outFile = cmd[cmd.indexOf('--output-file') + 1]!;
    assert.match(text, new RegExp(`sarif_file: ${outFile.replace('.', '\\.')}\\n`));

    const root = project('github');
    const r = runBin(cmd, root);
    assert.equal(r.code, 0, `--exit-zero: ${r.stderr}`);
    assert.equal(r.stdout, '');
    const log = JSON.parse(fs.readFileSync(path.join(root, outFile), 'utf8')) as { runs: { results: { ruleId: string }[] }[] };
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'sarif', 'sarif-2.1.0-rtm.5.json'), 'utf8')));
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    assert.deepEqual(log.runs[0]!.results.map((x) => x.ruleId).sort(), ['SEC311', 'SEC608']);

    // The optional gate in the comments is a working command too.
    const gate = /#\s+run: (parapet .*)$/m.exec(text)?.[1];
    assert.ok(gate);
    assert.equal(runBin(gate.split(/\s+/), root).code, 1);
  });

  it('GitLab CI: the documented command writes a SAST report with the fields GitLab requires', () => {
    const text = fs.readFileSync(path.join(ROOT, 'docs', 'ci', 'gitlab-ci.yml'), 'utf8');
    const commands = parapetCommands(text);
    assert.equal(commands.length, 1, JSON.stringify(commands));
    const cmd = commands[0]!;
    const outFile = cmd[cmd.indexOf('--output-file') + 1]!;
    assert.match(text, new RegExp(`sast: ${outFile.replace('.', '\\.')}\\n`));

    const root = project('gitlab');
    const r = runBin(cmd, root);
    assert.equal(r.code, 0, r.stderr);
    interface Vuln {
      id: string;
      name: string;
      description: string;
      severity: string;
      location: { file: string; start_line: number; end_line: number };
      identifiers: { type: string; name: string; value: string }[];
    }
    const report = JSON.parse(fs.readFileSync(path.join(root, outFile), 'utf8')) as {
      version: string;
      vulnerabilities: Vuln[];
      scan: { type: string; status: string; start_time: string; end_time: string; analyzer: { id: string; vendor: { name: string } }; scanner: { id: string } };
    };
    assert.match(report.version, /^15\.\d+\.\d+$/);
    assert.equal(report.scan.type, 'sast');
    assert.equal(report.scan.status, 'success');
    assert.match(report.scan.start_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    assert.match(report.scan.end_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    assert.equal(report.scan.analyzer.id, 'parapet');
    assert.equal(report.vulnerabilities.length, 2);
    const sql = report.vulnerabilities.find((v) => v.identifiers[0]!.value === 'SEC608')!;
    assert.deepEqual(sql.location, { file: 'src/app.py', start_line: 7, end_line: 7 });
    assert.equal(sql.severity, 'High');
    assert.ok(sql.identifiers.some((i) => i.type === 'cwe' && i.value === '89'));
    assert.ok(sql.identifiers.some((i) => i.type === 'owasp' && i.value === 'A05:2025'));
    for (const v of report.vulnerabilities) {
      assert.match(v.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.ok(['Critical', 'High', 'Medium', 'Low', 'Info', 'Unknown'].includes(v.severity));
      assert.ok(v.name && v.description);
    }
    // Ids are stable across runs, so GitLab tracks a finding rather than seeing a new one each time.
    runBin(cmd, root);
    const again = JSON.parse(fs.readFileSync(path.join(root, outFile), 'utf8')) as { vulnerabilities: Vuln[] };
    assert.deepEqual(again.vulnerabilities.map((v) => v.id), report.vulnerabilities.map((v) => v.id));
  });
});
