// The pre-commit hooks in .pre-commit-hooks.yaml, run the way pre-commit runs them: the staged
// files of a git repository, filtered by the hook's file types, appended to the hook's entry,
// with the entry's command resolved through package.json's `bin` (what `npm install -g` links).
// test/pre-commit-tool.test.ts runs them with pre-commit itself.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureBuilt, ROOT } from './support/lsp-client';
import { cleanEnv } from './support/system';

type Hook = Record<string, string | string[]>;

/**
 * Enough YAML for .pre-commit-hooks.yaml: a top-level list of flat mappings whose values are
 * plain or quoted scalars or flow lists (`[a, b]`). Anything else fails the test loudly.
 */
function parseHooks(text: string): Hook[] {
  const hooks: Hook[] = [];
  const scalar = (v: string): string => {
    const q = /^(["'])(.*)\1$/.exec(v);
    return q ? q[2]! : v;
  };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '').replace(/^#.*$/, '');
    if (!line.trim()) continue;
    const m = /^(- |  )([a-z_]+):\s*(.*)$/.exec(line);
    if (!m) throw new Error(`unexpected line in .pre-commit-hooks.yaml: ${JSON.stringify(raw)}`);
    if (m[1] === '- ') hooks.push({});
    const hook = hooks[hooks.length - 1];
    if (!hook) throw new Error('a key before the first hook');
    const value = m[3]!.trim();
    const flow = /^\[(.*)\]$/.exec(value);
    hook[m[2]!] = flow ? flow[1]!.split(',').map((x) => scalar(x.trim())).filter(Boolean) : scalar(value);
  }
  return hooks;
}

/** pre-commit's file type check (identify) for the types these hooks use. */
function hasType(file: string, root: string, type: string): boolean {
  const ext = path.extname(file);
  switch (type) {
    case 'python': {
      if (ext === '.py') return true;
      if (ext) return false;
      const first = fs.readFileSync(path.join(root, file), 'utf8').split('\n')[0] ?? '';
      return /^#!.*\bpython[0-9.]*\b/.test(first);
    }
    case 'pyi':
      return ext === '.pyi';
    case 'jupyter':
      return ext === '.ipynb';
    default:
      throw new Error(`type ${type} not handled by this test`);
  }
}

function git(root: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd: root, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: root } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Runs a hook as pre-commit does: entry + staged files of its types, in the repository root. */
function runHook(hook: Hook, root: string): { code: number; stdout: string; stderr: string; files: string[] } {
  const staged = git(root, 'diff', '--staged', '--name-only', '--no-ext-diff', '-z', '--diff-filter=ACMRTUXB').split('\0').filter(Boolean);
  const types = hook['types_or'] as string[];
  const files = staged.filter((f) => types.some((t) => hasType(f, root, t)));
  const [command, ...args] = (hook['entry'] as string).split(/\s+/);
  const bin = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin[command!];
  assert.ok(bin, `package.json has a bin named ${command}`);
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['FORCE_COLOR'];
  const r = spawnSync(process.execPath, [path.join(ROOT, bin), ...args, ...files], { cwd: root, encoding: 'utf8', env });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, files };
}

const VULN = 'import random\n\nreset_token = random.randint(100000, 999999)\n';
const CLEAN = 'import secrets\n\nreset_token = secrets.token_hex(16)\n';

describe('pre-commit hooks', function () {
  this.timeout(60_000);
  let tmp: string;
  let hooks: Hook[];

  before(() => {
    ensureBuilt();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-pre-commit-'));
    hooks = parseHooks(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('defines node hooks whose command is a bin the package ships', () => {
    assert.deepEqual(hooks.map((h) => h['id']), ['parapet', 'parapet-fix']);
    for (const h of hooks) {
      assert.equal(h['language'], 'node');
      assert.match(h['entry'] as string, /^parapet check /);
      assert.deepEqual(h['types_or'], ['python', 'pyi', 'jupyter']);
    }
    // pre-commit installs the hook with `npm pack` + `npm install -g`: the bundles must be packed.
    const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(pack.status, 0, pack.stderr);
    const packed = (JSON.parse(pack.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    for (const f of ['server/out/cli.js', 'server/out/server.js', 'server/out/web-tree-sitter.wasm', 'server/out/tree-sitter-python.wasm', 'package.json']) {
      assert.ok(packed.includes(f), `npm pack includes ${f}`);
    }
    assert.ok(!packed.some((f) => f.startsWith('test/') || f.endsWith('.ts')), 'no sources or tests in the package');
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; scripts: Record<string, string> };
    assert.equal(pkg.scripts['prepare'], 'node scripts/build.mjs', 'npm install in the hook repository builds the bundles');
    // pre-commit installs the file named by everything `npm pack` prints: the `prepare` build
    // (which npm pack runs too) must not print there (.npmrc: foreground-scripts=false).
    const named = spawnSync('npm', ['pack', '--dry-run'], { cwd: ROOT, encoding: 'utf8', env: cleanEnv() });
    assert.equal(named.status, 0, named.stderr);
    assert.equal(named.stdout, `parapet-${pkg.version}.tgz\n`);
  });

  it('checks only the staged Python files, honours exclude, and fails the commit on findings', () => {
    const root = path.join(tmp, 'repo');
    fs.mkdirSync(path.join(root, 'generated'), { recursive: true });
    fs.mkdirSync(path.join(root, 'bin'), { recursive: true });
    git(root, 'init', '-q');
    const files: Record<string, string> = {
      'pyproject.toml': '[tool.parapet]\nexclude = ["generated"]\n',
      'app.py': VULN,
      'ok.py': CLEAN,
      'stubs.pyi': 'def f() -> None: ...\n',
      'bin/tool': `#!/usr/bin/env python3\n${VULN}`,
      'generated/models.py': VULN,
      'README.md': '# demo\n',
      'notes.txt': VULN,
      'unstaged.py': VULN,
    };
    for (const [rel, content] of Object.entries(files)) fs.writeFileSync(path.join(root, rel), content);
    git(root, 'add', 'pyproject.toml', 'app.py', 'ok.py', 'stubs.pyi', 'bin/tool', 'generated/models.py', 'README.md', 'notes.txt');

    const hook = hooks.find((h) => h['id'] === 'parapet')!;
    const r = runHook(hook, root);
    assert.deepEqual(r.files.sort(), ['app.py', 'bin/tool', 'generated/models.py', 'ok.py', 'stubs.pyi']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^app\.py:3:15: SEC311 /m);
    assert.match(r.stdout, /^bin\/tool:4:15: SEC311 /m, 'a script with a python shebang is checked');
    assert.doesNotMatch(r.stdout, /generated\/models\.py|unstaged\.py|notes\.txt/);
    assert.match(r.stdout, /Found 2 findings in 4 files/);
    assert.equal(r.stderr, '');

    // Once the staged files are clean the hook passes.
    fs.writeFileSync(path.join(root, 'app.py'), CLEAN);
    fs.writeFileSync(path.join(root, 'bin/tool'), `#!/usr/bin/env python3\n${CLEAN}`);
    git(root, 'add', 'app.py', 'bin/tool');
    const ok = runHook(hook, root);
    assert.equal(ok.code, 0, ok.stdout);
    assert.match(ok.stdout, /No findings in 4 files/);
  });

  it('the fix hook rewrites the staged files (pre-commit then reports them as modified)', () => {
    const root = path.join(tmp, 'fix-repo');
    fs.mkdirSync(root, { recursive: true });
    git(root, 'init', '-q');
    fs.writeFileSync(path.join(root, 'app.py'), VULN);
    git(root, 'add', 'app.py');
    const r = runHook(hooks.find((h) => h['id'] === 'parapet-fix')!, root);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stderr, /^Fixed app\.py: SEC311 x1$/m);
    const fixed = fs.readFileSync(path.join(root, 'app.py'), 'utf8');
    assert.match(fixed, /secrets\.randbelow\(900000\) \+ 100000/);
    assert.notEqual(git(root, 'diff', '--name-only'), '', 'the working tree differs from the index, so pre-commit fails the commit and shows the change');
  });
});
