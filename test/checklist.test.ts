// The project-wide security checklist (issue 5), through the engine: every item of every fixture
// project, evidence locations, reviews, repository facts and the Markdown report.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  evaluateChecklist,
  findingsByOwasp,
  ITEM_IDS,
  loadReviews,
  pythonFileFacts,
  readGitIndex,
  renderMarkdown,
  repoFacts,
  saveReviews,
  scanProject,
  setReview,
  type ChecklistItem,
  type ChecklistReport,
  type ChecklistStatus,
  type ReviewFile,
} from '../server/src/checklist';
import { LOGIN_WORDS } from '../server/src/checklist/python-usages';
import type { Finding } from '../server/src/engine/types';
import { ready } from './support/engine';
import { ROOT } from './support/lsp-client';

export const PROJECTS = path.join(ROOT, 'test', 'fixtures', 'projects');
export const FIXTURES = ['django-app', 'flask-app', 'fastapi-app', 'plain-package', 'empty'] as const;

const P = 'pass';
const F = 'fail';
const W = 'warning';
const R = 'needs-review';
const NA = 'not-applicable';

/** Expected status of every item, one column per fixture in FIXTURES order. */
export const EXPECTED: [string, ...ChecklistStatus[]][] = [
  ['authentication.password-hashing', P, P, P, NA, NA],
  ['authentication.no-weak-password-hash', P, P, P, P, NA],
  ['authentication.session-data-validated', P, P, P, NA, NA],
  ['authentication.mfa-privileged', R, R, R, NA, NA],
  ['authorization.object-level-checks', R, R, R, NA, NA],
  ['authorization.drf-default-permissions', W, NA, NA, NA, NA],
  ['injection.sql', F, P, P, P, NA],
  ['injection.command', P, F, P, P, NA],
  ['injection.code', P, P, P, P, NA],
  ['injection.xss', P, P, P, P, NA],
  ['injection.deserialization', P, P, P, P, NA],
  ['injection.untrusted-data-flows', P, P, F, NA, NA],
  ['csrf-cors-cookies.csrf-protection', F, R, R, NA, NA],
  ['csrf-cors-cookies.cors-allowlist', P, P, F, NA, NA],
  ['csrf-cors-cookies.secure-cookies', P, P, P, NA, NA],
  ['csrf-cors-cookies.no-request-data-in-cookies', P, P, P, NA, NA],
  ['secrets.no-hardcoded-secrets', P, P, P, F, NA],
  ['secrets.secret-key-from-environment', P, P, NA, NA, NA],
  ['secrets.env-not-committed', P, F, NA, NA, NA],
  ['secrets.no-private-keys', P, P, P, P, NA],
  ['dependencies.pinned', P, F, P, W, NA],
  ['dependencies.vulnerability-scanning', P, P, W, W, NA],
  ['uploads.size-limit', P, P, R, NA, NA],
  ['uploads.file-validation', R, R, R, NA, NA],
  ['api.rate-limiting', P, P, P, NA, NA],
  ['api.login-rate-limited', P, F, P, NA, NA],
  ['api.jwt-algorithms', NA, P, F, NA, NA],
  ['api.jwt-expiry', NA, F, P, NA, NA],
  ['logging.configured', P, P, W, NA, NA],
  ['logging.no-secrets-in-logs', P, F, P, P, NA],
  ['logging.no-log-injection', P, F, P, NA, NA],
  ['logging.monitoring-alerting', R, R, R, NA, NA],
  ['deployment.debug-off', P, P, P, NA, NA],
  ['deployment.allowed-hosts', P, R, P, NA, NA],
  ['deployment.https-hsts', W, P, W, NA, NA],
  ['deployment.security-headers', W, P, W, NA, NA],
  ['deployment.container-user', F, NA, P, NA, NA],
  ['deployment.container-hardening', R, NA, R, NA, NA],
  ['deployment.waf', R, R, R, NA, NA],
];

/** Copies a fixture project to a fresh folder outside this repository (so its git index does not apply). */
export function copyFixture(tmp: string, name: string): string {
  const dest = path.join(tmp, name);
  fs.cpSync(path.join(PROJECTS, name), dest, { recursive: true });
  return dest;
}

function items(report: ChecklistReport): Map<string, ChecklistItem> {
  return new Map(report.categories.flatMap((c) => c.items).map((i) => [i.id, i]));
}

function findingsOf(input: ReturnType<typeof scanProject>): Map<string, readonly Finding[]> {
  return new Map([...input.files].map(([k, v]) => [k, v.findings]));
}

describe('checklist engine', function () {
  this.timeout(60_000);
  let tmp: string;
  const reports = new Map<string, { input: ReturnType<typeof scanProject>; report: ChecklistReport }>();

  before(async () => {
    await ready;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-checklist-'));
    for (const name of FIXTURES) {
      const input = scanProject(copyFixture(tmp, name));
      reports.set(name, { input, report: evaluateChecklist(input) });
    }
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('lists every item in the expectation table, with unique category.slug ids', () => {
    assert.deepEqual([...ITEM_IDS].sort(), EXPECTED.map((e) => e[0]).sort());
    assert.equal(new Set(ITEM_IDS).size, ITEM_IDS.length);
    for (const id of ITEM_IDS) assert.match(id, /^[a-z-]+\.[a-z0-9-]+$/);
  });

  FIXTURES.forEach((name, column) => {
    it(`gives the expected status for every item of ${name}`, () => {
      const { report } = reports.get(name)!;
      const got = items(report);
      const wrong: string[] = [];
      for (const [id, ...statuses] of EXPECTED) {
        const item = got.get(id);
        if (!item) wrong.push(`${id}: missing`);
        else if (item.status !== statuses[column]) wrong.push(`${id}: expected ${statuses[column]}, got ${item.status} (${item.detail})`);
        else assert.ok(item.detail.length > 0, `${id} has a detail`);
      }
      assert.deepEqual(wrong, []);
      assert.deepEqual(report.problems, []);
      // Categories count what they hold.
      for (const c of report.categories) {
        assert.equal(c.applicable, c.items.filter((i) => i.status !== 'not-applicable').length);
        assert.equal(c.passed, c.items.filter((i) => i.status === 'pass').length);
      }
    });
  });

  it('never fails anything in an empty project', () => {
    const { report } = reports.get('empty')!;
    assert.equal(report.files, 0);
    assert.deepEqual(report.score, { passed: 0, applicable: 0 });
    for (const i of items(report).values()) assert.ok(i.status === 'not-applicable' || i.status === 'needs-review', i.id);
  });

  it('points at the files and lines behind an item', () => {
    const ev = (fixture: string, id: string) => items(reports.get(fixture)!.report).get(id)!.evidence.map((e) => `${e.file}:${e.range ? e.range.start.line + 1 : '-'}`);
    // The f-string query is both SQL built from strings (SEC608) and request data reaching it (SEC901).
    assert.deepEqual(ev('django-app', 'injection.sql'), ['accounts/views.py:19', 'accounts/views.py:19']);
    assert.deepEqual(ev('fastapi-app', 'injection.untrusted-data-flows'), ['app/main.py:47']);
    assert.deepEqual(ev('django-app', 'csrf-cors-cookies.csrf-protection'), ['mysite/settings.py:20']);
    assert.deepEqual(ev('django-app', 'secrets.env-not-committed'), ['.env:-']);
    assert.deepEqual(ev('django-app', 'deployment.container-user'), ['Dockerfile:-']);
    assert.deepEqual(ev('flask-app', 'api.login-rate-limited'), ['app.py:27']);
    assert.deepEqual(ev('flask-app', 'dependencies.pinned'), ['requirements.txt:1']);
    assert.deepEqual(ev('fastapi-app', 'csrf-cors-cookies.cors-allowlist'), ['app/main.py:18']);
    assert.deepEqual(ev('fastapi-app', 'deployment.container-user'), ['Dockerfile:5']);
    assert.deepEqual(ev('plain-package', 'secrets.no-hardcoded-secrets'), ['src/plainpkg/client.py:7']);
    const sql = items(reports.get('django-app')!.report).get('injection.sql')!;
    assert.deepEqual(sql.rules, ['SEC608', 'SEC610', 'SEC611', 'SEC901']);
    assert.deepEqual(sql.evidence.map((e) => e.message.split(' ')[0]).sort(), ['SEC608', 'SEC901']);
  });

  it('counts a reviewed item as passed without changing its status', () => {
    const { input } = reports.get('plain-package')!;
    const before = evaluateChecklist(input).categories.find((c) => c.id === 'secrets')!;
    const reviews: ReviewFile = setReview(input.reviews, 'secrets.no-hardcoded-secrets', { status: 'accepted-risk', reason: 'test credentials for a sandbox', date: '2026-01-02', by: 'ana' });
    const report = evaluateChecklist({ ...input, reviews: setReview(reviews, 'nope.unknown', { status: 'reviewed', reason: 'x', date: '2026-01-02' }) });
    const secrets = report.categories.find((c) => c.id === 'secrets')!;
    const item = secrets.items.find((i) => i.id === 'secrets.no-hardcoded-secrets')!;
    assert.equal(item.status, 'fail');
    assert.equal(item.review?.status, 'accepted-risk');
    assert.equal(secrets.passed, before.passed + 1);
    assert.equal(secrets.applicable, before.applicable);
    assert.match(report.problems.join('\n'), /unknown item "nope.unknown"/);
  });

  it('collects small, JSON-serialisable facts from one file', () => {
    const text = [
      'from flask import Flask',
      'from flask_limiter import Limiter',
      'from flask_cors import CORS',
      'import bcrypt',
      'app = Flask(__name__)',
      'app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024',
      'limiter = Limiter(app=app, default_limits=["100/hour"])',
      'CORS(app, origins=["https://a.example"])',
      '',
      '@app.post("/signin")',
      'def signin():',
      '    return bcrypt.hashpw(b"x", bcrypt.gensalt())',
      '',
    ].join('\n');
    const f = pythonFileFacts(text, 'web/app.py');
    assert.deepEqual(JSON.parse(JSON.stringify(f)), f);
    assert.deepEqual(f.frameworks, ['flask']);
    assert.equal(f.settings['MAX_CONTENT_LENGTH']?.number, 2097152);
    assert.equal(f.settings['MAX_CONTENT_LENGTH']?.range.start.line, 5);
    assert.deepEqual(f.rateLimitSetup.map((u) => [u.what, u.note]), [['flask_limiter', 'default limits']]);
    assert.deepEqual(f.cors.map((u) => u.note), ['allowlist']);
    assert.deepEqual(f.passwordHashing.map((u) => u.what), ['bcrypt']);
    assert.deepEqual(f.endpoints.map((e) => [e.name, e.loginLike, e.rateLimited]), [['signin', true, false]]);
    // Flask's secret key, as an attribute or a module constant next to the app.
    const key = pythonFileFacts('from flask import Flask\napp = Flask(__name__)\napp.secret_key = "dev"\n', 'app.py').settings['SECRET_KEY'];
    assert.deepEqual([key?.kind, key?.range.start.line], ['string', 2]);
    assert.equal(pythonFileFacts('import os\nSECRET_KEY = os.environ["K"]\nTIMEOUT = 3\n', 'web.py').settings['SECRET_KEY']?.kind, 'env');
    assert.equal(pythonFileFacts('TIMEOUT = 3\n', 'web.py').settings['TIMEOUT'], undefined);
  });

  it('takes Django settings from production modules, not development or test ones', () => {
    const files: Record<string, string> = {
      'proj/settings/base.py': 'INSTALLED_APPS = ["django.contrib.auth"]\nMIDDLEWARE = []\nSESSION_COOKIE_SECURE = False\nDEBUG = True\n',
      'proj/settings/production.py': 'from .base import *\n\nSESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\nDEBUG = False\n',
      'proj/settings/dev.py': 'from .base import *\n\nDEBUG = True\nSESSION_COOKIE_SECURE = False\n',
      'proj/settings/test.py': 'from .base import *\n\nCSRF_COOKIE_SECURE = False\n',
    };
    const input = {
      root: '/p',
      files: new Map(Object.entries(files).map(([rel, text]) => [rel, { findings: [], facts: pythonFileFacts(text, rel) }])),
      repo: repoFacts(fs.mkdtempSync(path.join(tmp, 'none-'))),
      reviews: { version: 1 as const, items: {} },
    };
    const got = items(evaluateChecklist(input));
    const cookies = got.get('csrf-cors-cookies.secure-cookies')!;
    assert.equal(cookies.status, 'pass', cookies.detail);
    assert.deepEqual(cookies.evidence.map((e) => `${e.file}:${e.range!.start.line + 1}`), ['proj/settings/production.py:3', 'proj/settings/production.py:4']);
    const debug = got.get('deployment.debug-off')!;
    assert.equal(debug.status, 'pass', debug.detail);
    assert.equal(debug.evidence[0]!.message, 'DEBUG = False');
    // A plain project with a settings.py that is not Django's has no Django items.
    const plain = { ...input, files: new Map([['tool/settings.py', { findings: [], facts: pythonFileFacts('TIMEOUT = 3\n', 'tool/settings.py') }]]) };
    assert.equal(items(evaluateChecklist(plain)).get('deployment.debug-off')!.status, 'not-applicable');
  });

  it('recognises login-like views by name and route', () => {
    const names = ['login', 'login_view', 'user_login', 'signin', 'token', 'login_for_access_token', 'obtain_auth_token'];
    const others = ['get_token_balance', 'oauth_callback', 'auth_status', 'logout', 'blogin'];
    for (const n of names) assert.ok(LOGIN_WORDS.test(n), n);
    for (const n of others) assert.ok(!LOGIN_WORDS.test(n), n);
    const f = pythonFileFacts('from fastapi import APIRouter\nr = APIRouter()\n\n@r.post("/api/auth/token")\ndef issue():\n    pass\n', 'app/main.py');
    assert.deepEqual(f.endpoints.map((e) => [e.name, e.loginLike]), [['issue', true]]);
  });

  it('reads requirements, Dockerfiles, scanners and private keys from the file system', () => {
    const root = path.join(tmp, 'repo');
    const files: Record<string, string> = {
      'requirements.txt': '-r base.txt\n# comment\nrequests==2.31.0 \\\n    --hash=sha256:abc\nflask\nnumpy>=1.0  # loose\n',
      'Dockerfile': 'FROM python:3.12 AS build\nUSER app\nFROM python:3.12-slim\nUSER root\n',
      '.pre-commit-config.yaml': 'repos:\n  - repo: https://github.com/pypa/pip-audit\n    hooks:\n      - id: pip-audit\n',
      'deploy/server.key': 'junk\n-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n',
      'certs/public.pem': '-----BEGIN CERTIFICATE-----\nnot a key\n-----END CERTIFICATE-----\n',
      'node_modules/x/id_rsa': '-----BEGIN RSA PRIVATE KEY-----\n',
      'app.py': 'import os\n',
    };
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    fs.symlinkSync('/etc', path.join(root, 'outside'));
    const r = repoFacts(root);
    assert.deepEqual(r.requirements, [{ file: 'requirements.txt', pinned: 1, hashes: true, unpinned: [{ line: 4, text: 'flask' }, { line: 5, text: 'numpy>=1.0' }] }]);
    assert.deepEqual(r.dockerfiles, [{ file: 'Dockerfile', user: { line: 3, value: 'root' } }]);
    assert.deepEqual(r.scanners.map((s) => [s.file, s.line, s.tool]), [['.pre-commit-config.yaml', 1, 'pip-audit']]);
    assert.deepEqual(r.privateKeys, [{ file: 'deploy/server.key', line: 1, ignored: false, tracked: null }]);

    const input = { root, files: new Map([['app.py', { findings: [], facts: pythonFileFacts('import os\n', 'app.py') }]]), repo: r, reviews: { version: 1 as const, items: {} } };
    const got = items(evaluateChecklist(input));
    assert.equal(got.get('secrets.no-private-keys')!.status, 'fail');
    assert.equal(got.get('deployment.container-user')!.status, 'fail');
    assert.equal(got.get('dependencies.pinned')!.status, 'fail');
    assert.equal(got.get('dependencies.vulnerability-scanning')!.status, 'pass');
    fs.writeFileSync(path.join(root, '.gitignore'), '*.key\n');
    const ignored = items(evaluateChecklist({ ...input, repo: repoFacts(root) }));
    assert.equal(ignored.get('secrets.no-private-keys')!.status, 'warning');
  });

  it('reads the git index to tell a committed .env file from an ignored one', function () {
    const root = path.join(tmp, 'gitrepo');
    fs.mkdirSync(path.join(root, 'sub'), { recursive: true });
    const git = (...args: string[]) => spawnSync('git', args, { cwd: root, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: tmp } });
    if (git('init', '-q').status !== 0) this.skip();
    fs.writeFileSync(path.join(root, '.gitignore'), '.env\n');
    fs.writeFileSync(path.join(root, '.env'), 'A=1\n');
    fs.writeFileSync(path.join(root, 'sub', '.env'), 'B=1\n');
    fs.writeFileSync(path.join(root, 'app.py'), 'x = 1\n');
    git('add', '.gitignore', 'app.py');
    git('add', '-f', 'sub/.env');
    assert.deepEqual([...readGitIndex(path.join(root, '.git', 'index'))!].sort(), ['.gitignore', 'app.py', 'sub/.env']);
    const r = repoFacts(root);
    assert.deepEqual(r.envFiles, [
      { file: '.env', ignored: true, tracked: false },
      { file: 'sub/.env', ignored: true, tracked: true },
    ]);
    // Index version 4 compresses path prefixes.
    git('update-index', '--index-version', '4');
    assert.deepEqual([...readGitIndex(path.join(root, '.git', 'index'))!].sort(), ['.gitignore', 'app.py', 'sub/.env']);
    // Seen from a subfolder, paths are relative to it.
    assert.deepEqual(repoFacts(path.join(root, 'sub')).envFiles, [{ file: '.env', ignored: true, tracked: true }]);
  });

  it('round-trips reviews through .parapet/checklist.json, atomically and in a stable order', () => {
    const root = fs.mkdtempSync(path.join(tmp, 'reviews-'));
    assert.deepEqual(loadReviews(root), { reviews: { version: 1, items: {} }, problems: [] });
    let reviews = setReview({ version: 1, items: {} }, 'secrets.no-private-keys', { status: 'reviewed', reason: 'test keys only', date: '2026-03-01' });
    reviews = setReview(reviews, 'authentication.mfa-privileged', { by: 'sam', date: '2026-03-02', reason: 'Okta enforces MFA', status: 'accepted-risk' });
    saveReviews(root, reviews);
    const file = path.join(root, '.parapet', 'checklist.json');
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(text.endsWith('}\n'));
    assert.ok(text.indexOf('authentication.mfa-privileged') < text.indexOf('secrets.no-private-keys'));
    assert.ok(text.indexOf('"status"') < text.indexOf('"reason"'));
    assert.deepEqual(loadReviews(root), { reviews, problems: [] });
    // A save replaces the file by a rename (a new inode) and leaves no temporary file behind.
    const inode = fs.statSync(file).ino;
    saveReviews(root, setReview(reviews, 'secrets.no-private-keys', null));
    assert.notEqual(fs.statSync(file).ino, inode);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['checklist.json']);
    assert.deepEqual(Object.keys(loadReviews(root).reviews.items), ['authentication.mfa-privileged']);
    // setReview never mutates its argument.
    assert.equal(Object.keys(reviews.items).length, 2);
  });

  it('reports an invalid review file clearly and treats it as empty', () => {
    const root = fs.mkdtempSync(path.join(tmp, 'bad-reviews-'));
    fs.mkdirSync(path.join(root, '.parapet'));
    const file = path.join(root, '.parapet', 'checklist.json');
    const cases: [string, RegExp][] = [
      ['{ not json', /not valid JSON/],
      ['[]', /expected an object/],
      ['{"version": 2, "items": {}}', /unsupported "version" 2/],
      ['{"version": 1, "items": []}', /"items" must be an object/],
    ];
    for (const [text, message] of cases) {
      fs.writeFileSync(file, text);
      const r = loadReviews(root);
      assert.deepEqual(r.reviews, { version: 1, items: {} });
      assert.equal(r.problems.length, 1);
      assert.match(r.problems[0]!, message);
      assert.match(r.problems[0]!, /^\.parapet\/checklist\.json: /);
    }
    fs.writeFileSync(file, JSON.stringify({ version: 1, items: { 'a.b': { status: 'ok', reason: 'r', date: '2026-01-01' }, 'c.d': { status: 'reviewed', reason: 'fine', date: '2026-01-01' } } }));
    const r = loadReviews(root);
    assert.deepEqual(Object.keys(r.reviews.items), ['c.d']);
    assert.match(r.problems.join('\n'), /review of "a.b" ignored: "status" must be "reviewed" or "accepted-risk"/);
  });

  it('groups findings by OWASP 2025 category, then rule', () => {
    const groups = findingsByOwasp(findingsOf(reports.get('flask-app')!.input));
    const injection = groups.find((g) => g.category === 'A05:2025')!;
    assert.equal(injection.title, 'A05:2025 Injection');
    // SEC902: the flask-app's shell command is built from request data.
    assert.deepEqual(injection.rules.map((r) => r.ruleId), ['SEC602', 'SEC902']);
    assert.equal(injection.rules[0]!.findings[0]!.file, 'app.py');
    const codes = groups.map((g) => g.category);
    assert.deepEqual(codes, [...codes].sort());
  });

  it('renders a Markdown report with the checklist and the findings by OWASP category', () => {
    const { input, report } = reports.get('django-app')!;
    const text = renderMarkdown(report, findingsOf(input));
    assert.match(text, /^# Parapet security report: django-app\n/);
    assert.match(text, /\*\*Checklist: \d+\/\d+ applicable checks pass or are reviewed\.\*\*/);
    assert.match(text, /^### Secrets 4\/4$/m);
    assert.match(text, /^- ❌ \*\*FAIL\*\* SQL queries are parameterised `injection.sql`$/m);
    assert.match(text, /^ {2}- `accounts\/views.py:19` SEC608 /m);
    assert.match(text, /^## Findings by OWASP Top 10:2025$/m);
    // SEC608 and SEC901 (the query is built from request data) on the same line.
    assert.match(text, /^\| A05:2025 Injection \| 2 \|$/m);
    assert.ok(text.endsWith('\n') && !text.endsWith('\n\n'));
  });

  it('reports progress and stops early when cancelled', () => {
    const calls: [number, number][] = [];
    let n = 0;
    const input = scanProject(path.join(tmp, 'django-app'), { onProgress: (d, t) => calls.push([d, t]), isCancelled: () => ++n > 2 });
    assert.equal(input.cancelled, true);
    assert.equal(input.files.size, 2);
    assert.deepEqual(calls, [[0, 5], [1, 5], [2, 5]]);
    const full = scanProject(path.join(tmp, 'django-app'));
    assert.equal(full.cancelled, false);
    assert.equal(full.files.size, 5);
  });
});
