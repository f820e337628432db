// What tests need from the machine around them: an environment for child processes without
// the npm_* variables `npm test` / `npx` set, PATH look-ups, and Debian packages installed with
// apt-get when missing (as root, or through passwordless sudo; otherwise a clear error).
// Used by the end-to-end tools (chromium) and the pre-commit test (pre-commit).

import { execFileSync, spawnSync } from 'node:child_process';

/**
 * Our environment without the npm_* variables that `npm test` / `npx` set (they would point a
 * child npm and node-gyp at the wrong node), plus `extra`.
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && k !== 'NODE' && k !== 'INIT_CWD') env[k] = v;
  return { ...env, ...extra };
}

/** The path of `command` as the shell finds it on PATH, or undefined. */
export function onPath(command: string): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { encoding: 'utf8' });
  const found = r.status === 0 ? r.stdout.trim() : '';
  return found || undefined;
}

export function hasDebianPackage(name: string): boolean {
  return spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' }).stdout.includes('install ok installed');
}

export interface AptInstallOptions {
  /**
   * `first`: `apt-get update` before installing. `on-failure`: install from the package lists
   * the machine has, and only when that fails (no lists yet on a fresh machine, or stale ones)
   * run `apt-get update` and install again.
   */
  update: 'first' | 'on-failure';
}

/**
 * Installs Debian packages with apt-get, as root or through `sudo -n`. Throws, with what to do,
 * when there is no apt-get, or we are not root and have no passwordless sudo.
 */
export function aptGetInstall(packages: string[], options: AptInstallOptions): void {
  const what = packages.join(' ');
  if (!onPath('apt-get')) {
    throw new Error(`cannot install the Debian package(s) ${what}: apt-get is not on PATH. Install them yourself and run the tests again.`);
  }
  let command = 'apt-get';
  let prefix: string[] = [];
  if (process.getuid?.() !== 0) {
    if (!onPath('sudo') || spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status !== 0) {
      throw new Error(
        `cannot install the Debian package(s) ${what}: apt-get needs root, and this user is not root and has no passwordless sudo. ` +
          `Run \`sudo apt-get install -y --no-install-recommends ${what}\` and run the tests again.`,
      );
    }
    // sudo resets the environment: pass DEBIAN_FRONTEND through env(1).
    command = 'sudo';
    prefix = ['-n', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get'];
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (...args: string[]): void => {
    execFileSync(command, [...prefix, ...args], { stdio: 'inherit', env });
  };
  const install = ['install', '-y', '-qq', '--no-install-recommends', ...packages];
  if (options.update === 'first') {
    apt('update', '-qq');
    apt(...install);
    return;
  }
  if (spawnSync(command, [...prefix, ...install], { stdio: 'inherit', env }).status === 0) return;
  process.stderr.write(`apt-get install ${what} failed: updating the package lists and trying again\n`);
  apt('update', '-qq');
  apt(...install);
}
