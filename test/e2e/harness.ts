// One end-to-end session: a code-server (VS Code in a browser, with a Node extension host)
// with the packaged VSIX installed, and Debian's chromium driven by playwright-core.
// Everything the session writes (HOME, XDG dirs, TMPDIR, user data, extensions, logs,
// screenshots) lives under test-results/e2e/<name>/, so a failure leaves its evidence there.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { cleanEnv } from '../support/system';
import { ensureTools, ROOT, type Tools } from './tools';

export const RESULTS = path.join(ROOT, 'test-results', 'e2e');

export const CLEAN_SETTINGS = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'editor.minimap.enabled': false,
  'editor.hover.delay': 100,
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false,
  'editor.acceptSuggestionOnEnter': 'off',
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'files.autoSave': 'off',
  'telemetry.telemetryLevel': 'off',
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'workbench.editor.enablePreview': false,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'workbench.enableExperiments': false,
  // Open notebooks in the notebook editor (the built-in ipynb serializer), not as JSON.
  'workbench.editorAssociations': { '*.ipynb': 'jupyter-notebook' },
};

let tools: Tools | undefined;
let vsix: string | undefined;

/** Installs the tools and packs the VSIX once per test run. */
export function prepare(): { tools: Tools; vsix: string } {
  tools ??= ensureTools();
  if (!vsix) {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'package.mjs')], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`npm run package failed:\n${r.stdout}\n${r.stderr}`);
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    vsix = path.join(ROOT, `parapet-${version}.vsix`);
  }
  return { tools, vsix };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => {
      req.destroy();
      resolve(0);
    });
  });
}

export interface SessionOptions {
  name: string;
  /** Leave workspace trust on: the folder opens in Restricted Mode. */
  workspaceTrust?: boolean;
  settings?: Record<string, unknown>;
  /** Files to put in the workspace, by relative path. */
  files?: Record<string, string>;
  /** Extra code-server arguments. */
  extraArgs?: string[];
  /** Skip installing the packaged VSIX (e.g. when loading the extension for development). */
  noVsix?: boolean;
}

export class Session {
  readonly dir: string;
  readonly workspace: string;
  readonly dataDir: string;
  port = 0;
  page!: Page;
  private context!: BrowserContext;
  private server: ChildProcess | undefined;
  private shot = 0;

  constructor(readonly options: SessionOptions) {
    this.dir = path.join(RESULTS, options.name);
    this.workspace = path.join(this.dir, 'workspace');
    this.dataDir = path.join(this.dir, 'data');
  }

  private env(node24Bin: string): NodeJS.ProcessEnv {
    const d = (sub: string): string => path.join(this.dir, sub);
    return cleanEnv({
      HOME: d('home'),
      XDG_CONFIG_HOME: d('config'),
      XDG_DATA_HOME: d('xdg-data'),
      XDG_CACHE_HOME: d('cache'),
      TMPDIR: d('tmp'),
      PATH: `${node24Bin}${path.delimiter}${process.env['PATH'] ?? ''}`,
    });
  }

  async start(): Promise<void> {
    const { tools, vsix } = prepare();
    fs.rmSync(this.dir, { recursive: true, force: true });
    for (const sub of ['home', 'config', 'xdg-data', 'cache', 'tmp', 'extensions', 'shots', 'chrome', 'workspace', 'data/User']) {
      fs.mkdirSync(path.join(this.dir, sub), { recursive: true });
    }
    for (const [rel, content] of Object.entries(this.options.files ?? {})) {
      fs.mkdirSync(path.dirname(path.join(this.workspace, rel)), { recursive: true });
      fs.writeFileSync(path.join(this.workspace, rel), content);
    }
    this.writeSettings(this.options.settings ?? {});
    const env = this.env(tools.node24Bin);
    const common = ['--user-data-dir', this.dataDir, '--extensions-dir', path.join(this.dir, 'extensions')];
    if (!this.options.noVsix) {
      const install = spawnSync(tools.codeServer, [...common, '--install-extension', vsix], { env, encoding: 'utf8' });
      if (install.status !== 0 || !/successfully installed/.test(install.stdout)) {
        throw new Error(`installing the VSIX failed:\n${install.stdout}\n${install.stderr}`);
      }
    }
    this.port = await freePort();
    fs.writeFileSync(path.join(this.dir, 'config', 'config.yaml'), `bind-addr: 127.0.0.1:${this.port}\nauth: none\ncert: false\n`);
    const out = fs.openSync(path.join(this.dir, 'code-server.log'), 'w');
    this.server = spawn(
      tools.codeServer,
      [
        ...common,
        '--config',
        path.join(this.dir, 'config', 'config.yaml'),
        '--auth',
        'none',
        '--disable-telemetry',
        '--disable-update-check',
        ...(this.options.workspaceTrust ? [] : ['--disable-workspace-trust']),
        '--bind-addr',
        `127.0.0.1:${this.port}`,
        ...(this.options.extraArgs ?? []),
        this.workspace,
      ],
      // Its own process group (setsid), so stop() can kill it with every child it started.
      { env, detached: true, stdio: ['ignore', out, out] },
    );
    fs.closeSync(out);
    const deadline = Date.now() + 60_000;
    while ((await httpStatus(`http://127.0.0.1:${this.port}/healthz`)) !== 200) {
      if (this.server.exitCode !== null) throw new Error(`code-server exited (${this.server.exitCode}); see ${path.join(this.dir, 'code-server.log')}`);
      if (Date.now() > deadline) throw new Error('code-server did not answer within 60 s');
      await new Promise((r) => setTimeout(r, 250));
    }
    this.context = await chromium.launchPersistentContext(path.join(this.dir, 'chrome'), {
      executablePath: tools.chromium,
      viewport: { width: 1400, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    this.page = this.context.pages()[0] ?? (await this.context.newPage());
  }

  writeSettings(settings: Record<string, unknown>): void {
    fs.writeFileSync(path.join(this.dataDir, 'User', 'settings.json'), JSON.stringify({ ...CLEAN_SETTINGS, ...settings }, null, 2));
  }

  /** Loads the workbench with `file` (relative to the workspace) open in an editor. */
  async open(file: string): Promise<void> {
    const abs = path.join(this.workspace, file);
    const payload = encodeURIComponent(JSON.stringify([['openFile', `vscode-remote://127.0.0.1:${this.port}${abs}`]]));
    await this.page.goto(`http://127.0.0.1:${this.port}/?folder=${encodeURIComponent(this.workspace)}&payload=${payload}`);
    await this.page.waitForSelector('.editor-instance .view-lines', { timeout: 60_000 });
  }

  /** Opens a file by clicking it in the Explorer, as a person does (notebooks need this). */
  async openFromExplorer(file: string): Promise<void> {
    await this.page.goto(`http://127.0.0.1:${this.port}/?folder=${encodeURIComponent(this.workspace)}`);
    await this.page.locator('.explorer-folders-view .monaco-list-row').filter({ hasText: file }).first().click({ timeout: 60_000 });
  }

  /** Saves a screenshot `NN-step.png` and returns its path. */
  async screenshot(step: string): Promise<string> {
    const file = path.join(this.dir, 'shots', `${String(++this.shot).padStart(2, '0')}-${step}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Copies the Parapet output channel log next to the results (for failures and reports). */
  collectLogs(): string[] {
    const found: string[] = [];
    const walk = (d: string): void => {
      if (!fs.existsSync(d)) return;
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/parapet/i.test(p) && e.name.endsWith('.log')) found.push(p);
      }
    };
    walk(path.join(this.dataDir, 'logs'));
    found.forEach((f, i) => fs.copyFileSync(f, path.join(this.dir, `parapet-output${i ? `-${i}` : ''}.log`)));
    return found;
  }

  async stop(): Promise<void> {
    try {
      await this.context?.close();
    } catch {
      // The browser may already be gone.
    }
    if (this.server?.pid && this.server.exitCode === null) {
      try {
        process.kill(-this.server.pid, 'SIGTERM');
      } catch {
        // Already exited.
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          try {
            process.kill(-this.server!.pid!, 'SIGKILL');
          } catch {
            // Gone.
          }
          resolve();
        }, 5000);
        this.server!.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    this.collectLogs();
  }
}
