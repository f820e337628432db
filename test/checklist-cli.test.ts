// `parapet checklist`, run as a user runs it: the built bundle in a child process, on copies of
// the fixture projects.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChecklistReport } from '../server/src/checklist';
import { copyFixture, EXPECTED, FIXTURES } from './checklist.test';
import { ensureBuilt, ROOT } from './support/lsp-client';

const CLI = path.join(ROOT, 'server', 'out', 'cli.js');

function run(args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('checklist command line', function () {
  this.timeout(60_000);
  let tmp: string;
  const root = (name: string) => path.join(tmp, name);

  before(() => {
    ensureBuilt();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-checklist-cli-'));
    for (const name of FIXTURES) copyFixture(tmp, name);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('prints categories with pass counts, status words, details and evidence as text', () => {
    const r = run(['checklist', 'django-app'], tmp);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^Parapet security checklist: .*django-app \(5 files analysed\)$/m);
    assert.match(r.stdout, /^Secrets 4\/4$/m);
    assert.match(r.stdout, /^Input validation and injection 5\/6$/m);
    assert.match(r.stdout, /^ {2}FAIL {10}SQL queries are parameterised \[injection\.sql\]$/m);
    assert.match(r.stdout, /^ {18}accounts\/views\.py:19 {2}SEC608 /m);
    assert.match(r.stdout, /^ {2}needs review {2}Multi-factor authentication/m);
    assert.match(r.stdout, /^Score: \d+\/\d+ applicable checks pass or are reviewed\. 3 fail, /m);
    assert.equal(r.stderr, '');
    assert.doesNotMatch(r.stdout, /\x1b\[/);
  });

  it('checks the current folder by default', () => {
    const r = run(['checklist', '--fail-on', 'none'], root('fastapi-app'));
    assert.equal(r.code, 0);
    assert.match(r.stdout, /fastapi-app \(2 files analysed\)/);
  });

  it('prints the report as JSON, with the findings by OWASP category', () => {
    const r = run(['checklist', root('flask-app'), '--format', 'json', '--fail-on', 'none'], tmp);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as ChecklistReport & { findings: { category: string }[] };
    assert.equal(report.root, root('flask-app'));
    assert.equal(report.files, 1);
    assert.deepEqual(
      report.categories.map((c) => c.id),
      ['authentication', 'authorization', 'injection', 'csrf-cors-cookies', 'secrets', 'dependencies', 'uploads', 'api', 'logging', 'deployment'],
    );
    const column = FIXTURES.indexOf('flask-app');
    const statuses = Object.fromEntries(report.categories.flatMap((c) => c.items).map((i) => [i.id, i.status]));
    assert.deepEqual(statuses, Object.fromEntries(EXPECTED.map(([id, ...s]) => [id, s[column]])));
    assert.ok(report.findings.some((g) => g.category === 'A05:2025'));
  });

  it('writes a Markdown report to --output-file', () => {
    const out = path.join(tmp, 'report.md');
    const r = run(['checklist', 'plain-package', '--format', 'markdown', '--output-file', out, '--fail-on', 'none'], tmp);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /Wrote .*report\.md/);
    const text = fs.readFileSync(out, 'utf8');
    assert.match(text, /^# Parapet security report: plain-package/);
    assert.match(text, /`src\/plainpkg\/client.py:7` SEC105/);
    assert.match(text, /## Findings by OWASP Top 10:2025/);
  });

  it('exits by --fail-on, and reviewed items never fail the run', () => {
    // plain-package: one failing item (a hardcoded secret) and two warnings.
    assert.equal(run(['checklist', 'plain-package'], tmp).code, 1);
    assert.equal(run(['checklist', 'plain-package', '--fail-on', 'fail'], tmp).code, 1);
    assert.equal(run(['checklist', 'plain-package', '--fail-on', 'none'], tmp).code, 0);
    assert.equal(run(['checklist', 'empty', '--fail-on', 'warning'], tmp).code, 0);
    const json = run(['checklist', 'fastapi-app', '--format', 'json', '--fail-on', 'warning'], tmp);
    assert.equal(json.code, 1);
    assert.match(json.stderr, /checklist items? at or above --fail-on warning: .*csrf-cors-cookies\.cors-allowlist/);

    fs.mkdirSync(path.join(root('plain-package'), '.parapet'), { recursive: true });
    fs.writeFileSync(
      path.join(root('plain-package'), '.parapet', 'checklist.json'),
      JSON.stringify({ version: 1, items: { 'secrets.no-hardcoded-secrets': { status: 'accepted-risk', reason: 'sandbox credentials', date: '2026-02-01' } } }),
    );
    const reviewed = run(['checklist', 'plain-package'], tmp);
    assert.equal(reviewed.code, 0, reviewed.stdout);
    assert.match(reviewed.stdout, /^ {2}FAIL\* +No hardcoded passwords/m);
    assert.match(reviewed.stdout, /accepted risk on 2026-02-01: sandbox credentials/);
    assert.equal(run(['checklist', 'plain-package', '--fail-on', 'warning'], tmp).code, 1);
    fs.rmSync(path.join(root('plain-package'), '.parapet'), { recursive: true });
  });

  it('warns about an invalid .parapet/checklist.json and carries on without reviews', () => {
    fs.mkdirSync(path.join(root('empty'), '.parapet'), { recursive: true });
    fs.writeFileSync(path.join(root('empty'), '.parapet', 'checklist.json'), '{"version": 1, "items": ');
    const r = run(['checklist', 'empty'], tmp);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /^warning: \.parapet\/checklist\.json: not valid JSON \(.*\); reviews ignored\.$/m);
    fs.rmSync(path.join(root('empty'), '.parapet'), { recursive: true });
  });

  it('rejects a missing path, a file and bad options with exit status 2', () => {
    const missing = run(['checklist', 'no-such-project'], tmp);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /parapet: no-such-project: no such folder/);
    const file = run(['checklist', 'flask-app/app.py'], tmp);
    assert.equal(file.code, 2);
    assert.match(file.stderr, /not a folder/);
    const format = run(['checklist', '--format', 'sarif'], tmp);
    assert.equal(format.code, 2);
    assert.match(format.stderr, /unknown --format "sarif": use text, json or markdown/);
    assert.equal(run(['checklist', '--fail-on', 'always'], tmp).code, 2);
    assert.equal(run(['checklist', '--bogus'], tmp).code, 2);
  });

  it('documents the command and its exit status in --help', () => {
    const r = run(['--help'], tmp);
    assert.match(r.stdout, /parapet checklist \[PATH\] \[options\]/);
    assert.match(r.stdout, /--fail-on fail\|warning\|none/);
  });
});
