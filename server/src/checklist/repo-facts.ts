// Facts about the files of a project that are not Python: dependency declarations and lock
// files, vulnerability scanning in CI, `.env` files, private keys, Dockerfiles. Reads the file
// system only (never runs git or anything else), never follows symlinks, skips files over 1 MB
// and the folders `discoverFiles` skips, and stops after a fixed number of entries.
//
// Whether a file is committed is read from `.git/index` (the list of tracked paths, a simple
// binary format); when there is no readable index, `tracked` is null and items judge by
// `.gitignore` alone.

import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

export interface RequirementsFile {
  file: string;
  /** Requirement lines pinned with `==` / `===` (or installed from a hashed URL). */
  pinned: number;
  /** Lines that are neither pinned nor options/includes, with their 0-based line. */
  unpinned: { line: number; text: string }[];
  /** Uses `--hash=`. */
  hashes: boolean;
}

export interface ScannerUse {
  file: string;
  /** 0-based line of the mention, absent for a config file that is evidence by itself. */
  line?: number;
  tool: string;
}

export interface SensitiveFile {
  file: string;
  /** 0-based line of the header (private keys). */
  line?: number;
  /** Matched by a .gitignore (or .git/info/exclude). */
  ignored: boolean;
  /** Listed in .git/index; null when there is no readable index. */
  tracked: boolean | null;
}

export interface Dockerfile {
  file: string;
  /** The last `USER` instruction (0-based line), or null when there is none. */
  user: { line: number; value: string } | null;
}

export interface RepoFacts {
  lockFiles: string[];
  requirements: RequirementsFile[];
  /** pyproject.toml / setup.py / setup.cfg / Pipfile declaring dependencies (no versions checked). */
  manifests: string[];
  scanners: ScannerUse[];
  envFiles: SensitiveFile[];
  /** `.env` is ignored by the root .gitignore (checked with a probe name). */
  envIgnoredByDefault: boolean;
  privateKeys: SensitiveFile[];
  dockerfiles: Dockerfile[];
  /** A .git/index was found and read. */
  gitIndex: boolean;
  /** Files and folders that could not be read, or limits that were hit. */
  problems: string[];
}

const SKIP_DIRS = new Set([
  '.git', '.hg', '.svn', 'node_modules', '__pycache__', '.tox', '.nox', '.venv', 'venv', '.mypy_cache', '.pytest_cache',
  '.ruff_cache', '.hypothesis', '.eggs', 'site-packages', '.direnv', '.idea', '.vscode-test', 'dist', 'build',
]);
const MAX_BYTES = 1024 * 1024;
const MAX_ENTRIES = 200_000;

const LOCK_FILES = new Set(['poetry.lock', 'uv.lock', 'Pipfile.lock', 'pdm.lock', 'pylock.toml', 'conda-lock.yml']);
const SCANNER_PATTERNS: [RegExp, string][] = [
  [/\bpip-audit\b|pypa\/gh-action-pip-audit/, 'pip-audit'],
  [/\bsafety\s+(check|scan)\b|pyupio\/safety/, 'safety'],
  [/\bosv-scanner\b|google\/osv-scanner/, 'osv-scanner'],
  [/\bsnyk\b/, 'snyk'],
  [/\btrivy\b/, 'trivy'],
  [/\bgrype\b/, 'grype'],
  [/github\/codeql-action|dependency-review-action/, 'GitHub dependency review'],
];
const KEY_NAME = /(\.(pem|key|p8|ppk)|^id_(rsa|dsa|ecdsa|ed25519))$/i;
const PRIVATE_KEY = /-----BEGIN ((RSA|DSA|EC|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY( BLOCK)?-----/;
const ENV_FILE = /^\.env(\..+)?$|\.env$/;
const ENV_TEMPLATE = /\.(example|sample|template|dist|defaults?|tpl)$|^\.env\.(example|sample|template)/i;

function isVirtualenv(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'pyvenv.cfg')) || fs.existsSync(path.join(dir, 'conda-meta'));
}

function readSmall(file: string): string | null {
  try {
    const st = fs.lstatSync(file);
    if (!st.isFile() || st.size > MAX_BYTES) return null;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/**
 * The paths tracked in a git index (versions 2 to 4), or null when it cannot be read. `keep`
 * limits what is kept (the checklist only asks about a few kinds of file), so a monorepo's
 * index does not become a set of a million strings.
 */
export function readGitIndex(indexFile: string, keep: (path: string) => boolean = () => true): Set<string> | null {
  let buf: Buffer;
  try {
    const st = fs.statSync(indexFile);
    if (st.size > 64 * 1024 * 1024) return null;
    buf = fs.readFileSync(indexFile);
  } catch {
    return null;
  }
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== 'DIRC') return null;
  const version = buf.readUInt32BE(4);
  const count = buf.readUInt32BE(8);
  if (version < 2 || version > 4) return null;
  const out = new Set<string>();
  let pos = 12;
  let previous = '';
  for (let i = 0; i < count; i++) {
    const start = pos;
    if (pos + 62 > buf.length) return null;
    const flags = buf.readUInt16BE(pos + 60);
    pos += 62;
    if (version >= 3 && flags & 0x4000) pos += 2;
    let name: string;
    if (version === 4) {
      // Prefix compression: a varint of bytes to drop from the previous name, then the rest.
      let strip = 0;
      let b: number;
      let first = true;
      do {
        if (pos >= buf.length) return null;
        b = buf[pos++]!;
        if (!first) strip += 1;
        strip = (strip << 7) | (b & 0x7f);
        first = false;
      } while (b & 0x80);
      const end = buf.indexOf(0, pos);
      if (end === -1) return null;
      name = previous.slice(0, previous.length - strip) + buf.toString('utf8', pos, end);
      pos = end + 1;
    } else {
      const end = buf.indexOf(0, pos);
      if (end === -1) return null;
      name = buf.toString('utf8', pos, end);
      pos = start + ((end - start + 8) & ~7);
    }
    previous = name;
    if (keep(name)) out.add(name);
  }
  return out;
}

/** The git folder of the repository containing `root` and the path of root inside it. */
function findGit(root: string): { gitDir: string; workTree: string; prefix: string } | null {
  for (let d = root; ; d = path.dirname(d)) {
    const dotGit = path.join(d, '.git');
    let st: fs.Stats | null = null;
    try {
      st = fs.lstatSync(dotGit);
    } catch {
      st = null;
    }
    if (st) {
      let gitDir = dotGit;
      if (st.isFile()) {
        const m = /^gitdir:\s*(.+)$/m.exec(readSmall(dotGit) ?? '');
        if (!m) return null;
        gitDir = path.resolve(d, m[1]!.trim());
      } else if (!st.isDirectory()) return null;
      const prefix = path.relative(d, root).split(path.sep).join('/');
      return { gitDir, workTree: d, prefix: prefix ? `${prefix}/` : '' };
    }
    if (path.dirname(d) === d) return null;
  }
}

interface Level {
  base: string;
  ig: Ignore;
}

function loadIgnore(file: string): Ignore | null {
  const text = readSmall(file);
  return text === null ? null : ignore().add(text);
}

function ignoredBy(levels: Level[], full: string, isDir: boolean): boolean {
  for (const { base, ig } of levels) {
    const rel = path.relative(base, full).split(path.sep).join('/');
    if (!rel || rel.startsWith('..')) continue;
    if (ig.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}

function parseRequirements(file: string, text: string): RequirementsFile {
  const out: RequirementsFile = { file, pinned: 0, unpinned: [], hashes: /--hash[=\s]/.test(text) };
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.replace(/(^|\s)#.*$/, '').trim();
    // Continuation lines carry hashes and options of the requirement above.
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + ' ' + lines[++i]!.trim();
    const start = i;
    if (!line || line.startsWith('-') || line.startsWith('--')) continue;
    const spec = line.split(';')[0]!.split(/\s--/)[0]!.trim();
    if (/^[A-Za-z0-9._\-[\], ]+\s*===?\s*[^\s,*]+$/.test(spec) && !/==\s*[^,]*\*/.test(spec)) out.pinned++;
    else if (/@\s*\S+#sha256=|@ git\+\S+@[0-9a-f]{40}\b/.test(spec)) out.pinned++;
    else out.unpinned.push({ line: start, text: spec.slice(0, 80) });
  }
  return out;
}

function dependencyManifest(name: string, text: string): boolean {
  if (name === 'pyproject.toml') return /^\s*dependencies\s*=\s*\[[^\]]*["']/m.test(text) || /^\[tool\.poetry\.dependencies\]/m.test(text);
  if (name === 'setup.py') return /install_requires\s*=/.test(text);
  if (name === 'setup.cfg') return /install_requires\s*=/.test(text);
  if (name === 'Pipfile') return /^\[packages\]/m.test(text);
  return false;
}

export function repoFacts(root: string): RepoFacts {
  const facts: RepoFacts = {
    lockFiles: [],
    requirements: [],
    manifests: [],
    scanners: [],
    envFiles: [],
    envIgnoredByDefault: false,
    privateKeys: [],
    dockerfiles: [],
    gitIndex: false,
    problems: [],
  };
  const absRoot = path.resolve(root);
  const git = findGit(absRoot);
  const sensitive = (p: string) => {
    const base = p.slice(p.lastIndexOf('/') + 1);
    return ENV_FILE.test(base) || KEY_NAME.test(base);
  };
  const tracked = git ? readGitIndex(path.join(git.gitDir, 'index'), sensitive) : null;
  facts.gitIndex = !!tracked;
  const isTracked = (rel: string): boolean | null => (tracked ? tracked.has((git?.prefix ?? '') + rel) : null);

  // .gitignore files above the root apply too, up to the repository root, plus info/exclude.
  const levels: Level[] = [];
  if (!fs.existsSync(path.join(absRoot, '.git'))) {
    for (let d = path.dirname(absRoot); ; d = path.dirname(d)) {
      const ig = loadIgnore(path.join(d, '.gitignore'));
      if (ig) levels.unshift({ base: d, ig });
      if (fs.existsSync(path.join(d, '.git')) || path.dirname(d) === d) break;
    }
  }
  if (git) {
    const exclude = loadIgnore(path.join(git.gitDir, 'info', 'exclude'));
    if (exclude) levels.unshift({ base: git.workTree, ig: exclude });
  }

  let entries = 0;
  const rel = (full: string): string => path.relative(absRoot, full).split(path.sep).join('/');
  const walk = (dir: string, inherited: Level[], depth: number): void => {
    let list: fs.Dirent[];
    try {
      list = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      facts.problems.push(`cannot read folder ${rel(dir) || '.'} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
      return;
    }
    const own = loadIgnore(path.join(dir, '.gitignore'));
    const here = own ? [...inherited, { base: dir, ig: own }] : inherited;
    if (dir === absRoot) facts.envIgnoredByDefault = ignoredBy(here, path.join(dir, '.env'), false);
    list.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of list) {
      if (++entries > MAX_ENTRIES) {
        if (entries === MAX_ENTRIES + 1) facts.problems.push(`stopped reading the project after ${MAX_ENTRIES} entries`);
        return;
      }
      const full = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) {
        if (SKIP_DIRS.has(entry.name) || depth > 30 || isVirtualenv(full)) continue;
        // Ignored folders are skipped except .github, which is never ignored in practice.
        if (ignoredBy(here, full, true)) continue;
        walk(full, here, depth + 1);
        continue;
      }
      if (!entry.isFile()) continue;
      fileFacts(full, rel(full), entry.name, here);
    }
  };

  const fileFacts = (full: string, relPath: string, name: string, levels: Level[]): void => {
    const inRoot = !relPath.includes('/');
    if (LOCK_FILES.has(name)) facts.lockFiles.push(relPath);
    if (/^requirements.*\.(txt|in)$|(^|\/)requirements\/[^/]+\.txt$/.test(inRoot ? name : relPath) && name.endsWith('.txt')) {
      const text = readSmall(full);
      if (text !== null) facts.requirements.push(parseRequirements(relPath, text));
    }
    if (['pyproject.toml', 'setup.py', 'setup.cfg', 'Pipfile'].includes(name) && relPath.split('/').length <= 2) {
      const text = readSmall(full);
      if (text !== null && dependencyManifest(name, text)) facts.manifests.push(relPath);
      if (name === 'pyproject.toml' && text) scanText(relPath, text);
    }
    const ci =
      /^\.github\/workflows\/[^/]+\.ya?ml$/.test(relPath) ||
      /^\.gitlab-ci\.yml$|^azure-pipelines\.ya?ml$|^\.circleci\/config\.ya?ml$|^Jenkinsfile$|^bitbucket-pipelines\.yml$/.test(relPath) ||
      /^(\.pre-commit-config\.yaml|tox\.ini|noxfile\.py|Makefile|justfile)$/.test(relPath);
    if (ci) {
      const text = readSmall(full);
      if (text !== null) scanText(relPath, text);
    }
    if (/^\.github\/dependabot\.ya?ml$/.test(relPath)) {
      const text = readSmall(full) ?? '';
      const m = /package-ecosystem:\s*["']?(pip|uv|poetry|pipenv)["']?/.exec(text);
      if (m) facts.scanners.push({ file: relPath, line: text.slice(0, m.index).split('\n').length - 1, tool: 'Dependabot' });
    }
    if (/^(renovate\.json5?|\.renovaterc(\.json)?|\.github\/renovate\.json5?)$/.test(relPath)) facts.scanners.push({ file: relPath, tool: 'Renovate' });
    if (ENV_FILE.test(name) && !ENV_TEMPLATE.test(name)) {
      facts.envFiles.push({ file: relPath, ignored: ignoredBy(levels, full, false), tracked: isTracked(relPath) });
    }
    if (KEY_NAME.test(name)) {
      const text = readSmall(full);
      const m = text ? PRIVATE_KEY.exec(text) : null;
      if (m && text) {
        facts.privateKeys.push({ file: relPath, line: text.slice(0, m.index).split('\n').length - 1, ignored: ignoredBy(levels, full, false), tracked: isTracked(relPath) });
      }
    }
    if (/^(Dockerfile|Containerfile)(\..+)?$|\.[Dd]ockerfile$/.test(name)) {
      const text = readSmall(full);
      if (text !== null) facts.dockerfiles.push({ file: relPath, user: lastUser(text) });
    }
  };

  const scanText = (relPath: string, text: string): void => {
    const lines = text.split(/\r?\n/);
    const seen = new Set<string>();
    lines.forEach((line, i) => {
      if (/^\s*#/.test(line)) return;
      for (const [re, tool] of SCANNER_PATTERNS) {
        if (!seen.has(tool) && re.test(line)) {
          seen.add(tool);
          facts.scanners.push({ file: relPath, line: i, tool });
        }
      }
    });
  };

  walk(absRoot, levels, 0);
  return facts;
}

/** The last USER of the last stage of a Dockerfile. */
function lastUser(text: string): { line: number; value: string } | null {
  let user: { line: number; value: string } | null = null;
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const from = /^\s*FROM\s/i.test(line);
    if (from) user = null;
    const m = /^\s*USER\s+(\S+)/i.exec(line);
    if (m) user = { line: i, value: m[1]! };
  });
  return user;
}
