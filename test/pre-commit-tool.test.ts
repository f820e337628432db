// The pre-commit hooks run by pre-commit itself, the way a user's project runs them: a
// .pre-commit-config.yaml names this repository, pre-commit installs it as a node hook
// (`npm install` with the devDependencies, whose `prepare` builds the bundles, then `npm pack`
// and `npm install -g` of the tarball into its own environment) and runs the hooks on the files.
// pre-commit comes from Debian (bookworm has 3.0.4) when it is not on PATH.
//
// The hook repository is a snapshot of this working tree (tracked files, uncommitted changes
// included) committed into .cache/pre-commit/hook-repo.git with fixed dates, so its hash depends
// only on the content. PRE_COMMIT_HOME is .cache/pre-commit/home: pre-commit installs a given
// snapshot once (about half a minute) and later runs reuse it. (`pre-commit try-repo` would
// not: it installs into a temporary store every time, whatever PRE_COMMIT_HOME says.)

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from './support/lsp-client';
import { aptGetInstall, cleanEnv, onPath } from './support/system';

const CACHE = path.join(ROOT, '.cache', 'pre-commit');
const PRE_COMMIT_HOME = path.join(CACHE, 'home');
const HOOK_REPO = path.join(CACHE, 'hook-repo.git');
/** A pre-commit run that installs the hook environment runs npm install; never wait forever. */
const RUN_TIMEOUT_MS = 12 * 60_000;

const RESET = [
  'import random',
  '',
  '',
  'def make_password_reset_token():',
  '    return random.randint(100000, 999999)',
  '',
].join('\n');
const RESET_FIXED = [
  'import random',
  'import secrets',
  '',
  '',
  'def make_password_reset_token():',
  '    return secrets.randbelow(900000) + 100000',
  '',
].join('\n');
const CLEAN = ['import secrets', '', '', 'def make_session_id():', '    return secrets.token_urlsafe(32)', ''].join('\n');

function log(message: string): void {
  process.stderr.write(`      [pre-commit] ${message}\n`);
}

/**
 * The environment for git and pre-commit: no npm_* variables from `npm test`, no GIT_* or
 * pre-commit variables from a surrounding git hook (SKIP would skip hooks), no system or global
 * git configuration (a global core.hooksPath makes `pre-commit install` refuse), no forced colour.
 */
function env(): NodeJS.ProcessEnv {
  const e = cleanEnv();
  for (const k of Object.keys(e)) if (/^(GIT_|PRE_COMMIT)/.test(k) || k === 'SKIP' || k === 'FORCE_COLOR') delete e[k];
  return {
    ...e,
    PRE_COMMIT_HOME,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: os.devNull,
    GIT_AUTHOR_NAME: 'Parapet Test',
    GIT_AUTHOR_EMAIL: 'test@example.invalid',
    GIT_COMMITTER_NAME: 'Parapet Test',
    GIT_COMMITTER_EMAIL: 'test@example.invalid',
  };
}

function git(cwd: string, args: string[], extra: NodeJS.ProcessEnv = {}, input?: string): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...env(), ...extra }, input, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} (in ${cwd}) failed:\n${r.stderr}`);
  return r.stdout;
}

/** pre-commit on PATH, installed from Debian when missing. Throws (the test fails) when it cannot be. */
function ensurePreCommit(): string {
  let found = onPath('pre-commit');
  if (!found) {
    log('pre-commit is not on PATH: installing Debian\'s pre-commit with apt-get');
    aptGetInstall(['pre-commit'], { update: 'on-failure' });
    found = onPath('pre-commit');
    if (!found) throw new Error('apt-get installed pre-commit, but there is no pre-commit on PATH');
  }
  const version = spawnSync(found, ['--version'], { encoding: 'utf8', env: env() });
  if (version.status !== 0) throw new Error(`${found} --version failed:\n${version.stdout}${version.stderr}`);
  log(`${version.stdout.trim()} (${found})`);
  return found;
}

/**
 * Commits the working tree's tracked files (as they are on disk) into HOOK_REPO, with fixed
 * dates and no parent, and returns the commit's hash: the `rev` for .pre-commit-config.yaml.
 */
function snapshotHookRepo(): string {
  if (!fs.existsSync(path.join(HOOK_REPO, 'HEAD'))) {
    fs.mkdirSync(CACHE, { recursive: true });
    git(CACHE, ['init', '-q', '--bare', HOOK_REPO]);
  }
  const tracked = git(ROOT, ['ls-files', '-z']).split('\0').filter((f) => f && fs.lstatSync(path.join(ROOT, f), { throwIfNoEntry: false }));
  const snapshot = { GIT_DIR: HOOK_REPO, GIT_WORK_TREE: ROOT, GIT_INDEX_FILE: path.join(HOOK_REPO, 'snapshot-index') };
  git(ROOT, ['read-tree', '--empty'], snapshot);
  git(ROOT, ['update-index', '--add', '-z', '--stdin'], snapshot, tracked.join('\0'));
  const tree = git(ROOT, ['write-tree'], snapshot).trim();
  const fixedDate = '946684800 +0000';
  const rev = git(ROOT, ['commit-tree', '--no-gpg-sign', '-m', 'Parapet working tree for the pre-commit test', tree], {
    ...snapshot,
    GIT_AUTHOR_DATE: fixedDate,
    GIT_COMMITTER_DATE: fixedDate,
  }).trim();
  // A branch tip, so pre-commit can fetch it by hash.
  git(ROOT, ['update-ref', 'refs/heads/main', rev], snapshot);
  git(ROOT, ['symbolic-ref', 'HEAD', 'refs/heads/main'], snapshot);
  return rev;
}

interface Run {
  code: number;
  output: string;
  seconds: number;
}

/** Runs a command as a user would in their project (pre-commit, or git which runs the hook). */
function run(cwd: string, command: string, args: string[]): Run {
  const started = Date.now();
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: env(), timeout: RUN_TIMEOUT_MS, maxBuffer: 64 << 20 });
  const seconds = (Date.now() - started) / 1000;
  if (r.error) throw new Error(`${command} ${args.join(' ')} did not finish: ${r.error.message}\n${r.stdout}${r.stderr}`);
  let output = `${r.stdout}${r.stderr}`;
  if (/An unexpected error has occurred/.test(output)) {
    const logFile = path.join(PRE_COMMIT_HOME, 'pre-commit.log');
    if (fs.existsSync(logFile)) output += `\n--- ${logFile} ---\n${fs.readFileSync(logFile, 'utf8')}`;
  }
  return { code: r.status ?? -1, output, seconds };
}

describe('pre-commit hooks, installed and run by pre-commit', function () {
  // The first run installs the hook: npm install of the devDependencies, two builds, npm pack.
  this.timeout(15 * 60_000);
  let preCommit: string;
  let rev: string;
  let tmp: string;
  const runs: { what: string; seconds: number; installed: boolean }[] = [];
  /** Set when pre-commit failed to install the hook: the later tests fail at once. */
  let installFailed = false;

  /** A git repository of a small Python project whose .pre-commit-config.yaml uses `hooks`. */
  function project(name: string, hooks: string[], files: Record<string, string>): string {
    if (installFailed) throw new Error('pre-commit could not install the hook: see the first failure');
    const dir = path.join(tmp, name);
    fs.mkdirSync(dir, { recursive: true });
    git(dir, ['init', '-q']);
    const config = [
      'repos:',
      `  - repo: ${JSON.stringify(HOOK_REPO)}`,
      `    rev: ${rev}`,
      '    hooks:',
      ...hooks.map((id) => `      - id: ${id}`),
      '',
    ].join('\n');
    for (const [rel, content] of Object.entries({ '.pre-commit-config.yaml': config, ...files })) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), content);
    }
    git(dir, ['add', '.']);
    return dir;
  }

  function preCommitRun(cwd: string, args: string[]): Run {
    const r = run(cwd, preCommit, ['run', ...args]);
    const installed = /Installing environment for/.test(r.output);
    if (installed && /An unexpected error has occurred/.test(r.output)) installFailed = true;
    runs.push({ what: `pre-commit run ${args.join(' ')}`, seconds: r.seconds, installed });
    log(`pre-commit run ${args.join(' ')}: ${r.seconds.toFixed(1)} s${installed ? ' (installed the hook environment)' : ''}`);
    return r;
  }

  before(() => {
    preCommit = ensurePreCommit();
    rev = snapshotHookRepo();
    log(`hook repository ${path.relative(ROOT, HOOK_REPO)} at ${rev.slice(0, 12)}; PRE_COMMIT_HOME=${path.relative(ROOT, PRE_COMMIT_HOME)}`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-pre-commit-tool-'));
  });

  after(() => {
    if (runs.length) {
      const [first, second] = runs;
      log(
        `first run ${first!.seconds.toFixed(1)} s (${first!.installed ? 'installed the hook environment' : 'hook environment already in the cache'})` +
          (second ? `, second run ${second.seconds.toFixed(1)} s (${second.installed ? 'installed it again!' : 'reused it'})` : ''),
      );
    }
    // Forget the environments of older snapshots: gc keeps what a config that still exists
    // (this run's) uses, so it must run before the projects are removed.
    if (preCommit && tmp) {
      const gc = run(tmp, preCommit, ['gc']);
      if (gc.code !== 0) log(`pre-commit gc failed:\n${gc.output}`);
    }
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('fails on a finding in a staged file and passes with only the clean file', () => {
    const dir = project('check', ['parapet'], {
      'accounts/reset.py': RESET,
      'accounts/sessions.py': CLEAN,
      'README.md': '# demo\n',
    });

    const all = preCommitRun(dir, ['--all-files']);
    assert.equal(all.code, 1, all.output);
    assert.match(all.output, /^parapet\.+Failed$/m, all.output);
    assert.match(all.output, /^- exit code: 1$/m, all.output);
    assert.match(all.output, /^accounts\/reset\.py:5:12: SEC311 /m, all.output);
    assert.doesNotMatch(all.output, /sessions\.py:\d|README/, all.output);
    assert.match(all.output, /Found 1 finding in 2 files/, all.output);

    const clean = preCommitRun(dir, ['--files', 'accounts/sessions.py']);
    assert.equal(clean.code, 0, clean.output);
    assert.match(clean.output, /^parapet\.+Passed$/m, clean.output);
    assert.doesNotMatch(clean.output, /SEC311/, clean.output);
  });

  it('as the git pre-commit hook, refuses a commit with a finding and lets a clean one through', () => {
    const dir = project('commit', ['parapet'], { 'accounts/reset.py': RESET, 'accounts/sessions.py': CLEAN });
    const install = run(dir, preCommit, ['install']);
    assert.equal(install.code, 0, install.output);

    const refused = run(dir, 'git', ['commit', '-q', '-m', 'Add password reset']);
    assert.equal(refused.code, 1, refused.output);
    assert.match(refused.output, /^parapet\.+Failed$/m, refused.output);
    assert.match(refused.output, /^accounts\/reset\.py:5:12: SEC311 /m, refused.output);
    assert.notEqual(spawnSync('git', ['rev-parse', '-q', '--verify', 'HEAD'], { cwd: dir, env: env() }).status, 0, 'nothing was committed');

    git(dir, ['rm', '-q', '--cached', 'accounts/reset.py']);
    const ok = run(dir, 'git', ['commit', '-q', '-m', 'Add sessions']);
    assert.equal(ok.code, 0, ok.output);
    assert.match(ok.output, /^parapet\.+Passed$/m, ok.output);
    assert.deepEqual(git(dir, ['show', '--name-only', '--format=', 'HEAD']).trim().split('\n').sort(), ['.pre-commit-config.yaml', 'accounts/sessions.py']);
  });

  it('parapet-fix rewrites the file and pre-commit reports it as modified', () => {
    const dir = project('fix', ['parapet-fix'], { 'accounts/reset.py': RESET, 'accounts/sessions.py': CLEAN });
    const r = preCommitRun(dir, ['--all-files']);
    assert.equal(r.code, 1, r.output);
    assert.match(r.output, /^parapet \(apply safe fixes\)\.+Failed$/m, r.output);
    assert.match(r.output, /^- files were modified by this hook$/m, r.output);
    assert.match(r.output, /^Fixed accounts\/reset\.py: SEC311 x1$/m, r.output);
    assert.equal(fs.readFileSync(path.join(dir, 'accounts', 'reset.py'), 'utf8'), RESET_FIXED);
    assert.equal(fs.readFileSync(path.join(dir, 'accounts', 'sessions.py'), 'utf8'), CLEAN, 'the clean file is left alone');
    assert.equal(git(dir, ['diff', '--name-only']).trim(), 'accounts/reset.py');

    // Run again (as a user does after looking at the change): nothing left to fix, it passes.
    git(dir, ['add', '-u']);
    const again = preCommitRun(dir, ['--all-files']);
    assert.equal(again.code, 0, again.output);
    assert.match(again.output, /^parapet \(apply safe fixes\)\.+Passed$/m, again.output);
  });
});
