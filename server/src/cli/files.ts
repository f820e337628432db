// Which files a `parapet check PATH...` run looks at: Python files under the given paths,
// honouring .gitignore files (nested ones too), `[tool.parapet] exclude`, and skipping
// virtualenvs, node_modules, caches and VCS folders. Symlinked folders are not followed (no
// loops); an unreadable folder is reported and skipped.

import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { discoverConfig, isExcluded, type ProjectConfig } from '../engine/config';
import { isTemplatePath } from '../engine/templates';

const SKIP_DIRS = new Set([
  '.git',
  '.hg',
  '.svn',
  '.bzr',
  'node_modules',
  '__pycache__',
  '.tox',
  '.nox',
  '.venv',
  'venv',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.hypothesis',
  '.eggs',
  'site-packages',
  '.parapet-cache',
  '.direnv',
  '.idea',
  '.vscode-test',
]);

export const PYTHON_EXTENSIONS = ['.py', '.pyi', '.ipynb'];

export interface Discovery {
  files: string[];
  skipped: { path: string; reason: string }[];
}

interface IgnoreLevel {
  base: string;
  ig: Ignore;
}

function loadGitignore(dir: string): Ignore | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8');
  } catch {
    return null;
  }
  return ignore().add(text);
}

function gitIgnored(levels: IgnoreLevel[], file: string, isDir: boolean): boolean {
  for (const { base, ig } of levels) {
    const rel = path.relative(base, file).split(path.sep).join('/');
    if (!rel || rel.startsWith('..')) continue;
    if (ig.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}

function isVirtualenv(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'pyvenv.cfg')) || fs.existsSync(path.join(dir, 'conda-meta'));
}

export function discoverFiles(
  inputs: string[],
  configCache: Map<string, ProjectConfig | null>,
  extensions: string[] = PYTHON_EXTENSIONS,
  /** Apply `[tool.parapet] exclude` to files named explicitly too (for pre-commit, which names every staged file). */
  forceExclude = false,
): Discovery {
  const out: Discovery = { files: [], skipped: [] };
  const seen = new Set<string>();
  const configOf = (dir: string): ProjectConfig | null => discoverConfig(dir, undefined, configCache);

  const walk = (dir: string, levels: IgnoreLevel[]): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      out.skipped.push({ path: dir, reason: `cannot read folder (${(e as NodeJS.ErrnoException).code ?? String(e)})` });
      return;
    }
    const own = loadGitignore(dir);
    const here = own ? [...levels, { base: dir, ig: own }] : levels;
    const config = configOf(dir);
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        // Follow links to files, never to folders (a link can point back up the tree).
        let stat: fs.Stats;
        try {
          stat = fs.statSync(full);
        } catch {
          continue;
        }
        if (stat.isDirectory()) continue;
        if (!stat.isFile()) continue;
      } else if (entry.isDirectory()) {
        if (SKIP_DIRS.has(entry.name) || isVirtualenv(full)) continue;
        if (gitIgnored(here, full, true)) continue;
        if (config && isExcluded(config, full)) continue;
        walk(full, here);
        continue;
      } else if (!entry.isFile()) continue;
      if (!extensions.some((ext) => entry.name.endsWith(ext)) && !isTemplatePath(full)) continue;
      if (gitIgnored(here, full, false)) continue;
      if (config && isExcluded(config, full)) continue;
      if (!seen.has(full)) {
        seen.add(full);
        out.files.push(full);
      }
    }
  };

  for (const input of inputs) {
    const abs = path.resolve(input);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch (e) {
      out.skipped.push({ path: input, reason: `does not exist or cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` });
      continue;
    }
    if (stat.isDirectory()) {
      // .gitignore files above the starting folder apply too, up to the repository root.
      const levels: IgnoreLevel[] = [];
      for (let d = path.dirname(abs); ; d = path.dirname(d)) {
        const ig = loadGitignore(d);
        if (ig) levels.unshift({ base: d, ig });
        if (fs.existsSync(path.join(d, '.git')) || path.dirname(d) === d) break;
      }
      // A folder named explicitly (or opened as the workspace) is checked even when an
      // enclosing repository ignores it: then the rules above it do not apply inside it.
      walk(abs, gitIgnored(levels, abs, true) ? [] : levels);
    } else if (!seen.has(abs)) {
      // A file named explicitly is checked whatever its extension or exclusions, unless
      // --force-exclude asks for the exclusions to apply.
      if (forceExclude) {
        const config = discoverConfig(path.dirname(abs), undefined, configCache);
        if (config && isExcluded(config, abs)) continue;
      }
      seen.add(abs);
      out.files.push(abs);
    }
  }
  return out;
}
