// The language server started the way the README's Neovim, Helix and Zed configurations start
// it: `parapet-lsp --stdio` found on PATH (npm's global bin layout: a link to the package's bin
// file, run directly through its shebang) and `node server/out/server.js --stdio`; initialized
// without initializationOptions (or with Helix/Zed-style ones), with push or pull diagnostics.

import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type Diagnostic,
  type FullDocumentDiagnosticReport,
  type InitializeResult,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { ensureBuilt, fileUri, ROOT } from './support/lsp-client';

const APP = 'import random\n\nreset_token = random.randint(100000, 999999)\nDEBUG_PASSWORD = "hunter2hunter2"\n';

interface Editor {
  name: string;
  command: string;
  args: string[];
  capabilities: ClientCapabilities;
  initializationOptions?: unknown;
  /** The client's answer to workspace/configuration for section `parapet`. */
  configuration?: unknown;
}

// Capabilities trimmed to what matters here, as each editor declares them.
const PUSH_ONLY: ClientCapabilities = {
  textDocument: { synchronization: { didSave: true }, publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true } },
};
const WITH_CONFIG: ClientCapabilities = { ...PUSH_ONLY, workspace: { configuration: true, workspaceFolders: true } };
const PULL: ClientCapabilities = {
  workspace: { configuration: true, diagnostics: { refreshSupport: true } },
  textDocument: { ...PUSH_ONLY.textDocument, diagnostic: { dynamicRegistration: false } },
};

class Session {
  readonly conn: ProtocolConnection;
  readonly proc: ChildProcess;
  readonly pushed: { uri: string; diagnostics: Diagnostic[] }[] = [];
  stderr = '';
  configRequests = 0;
  private waiters: (() => void)[] = [];

  constructor(readonly editor: Editor, env: NodeJS.ProcessEnv, cwd: string) {
    this.proc = spawn(editor.command, editor.args, { stdio: ['pipe', 'pipe', 'pipe'], env, cwd });
    this.proc.stderr!.on('data', (d) => (this.stderr += String(d)));
    this.conn = createProtocolConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => {
      this.configRequests++;
      return p.items.map((i) => (i.section === 'parapet' ? (editor.configuration ?? null) : null));
    });
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('workspace/diagnostic/refresh', () => null);
    this.conn.onNotification('window/logMessage', () => undefined);
    this.conn.onNotification('parapet/status', () => undefined);
    this.conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.pushed.push({ uri: p.uri, diagnostics: p.diagnostics });
      for (const w of this.waiters.splice(0)) w();
    });
    this.conn.listen();
  }

  async initialize(root: string): Promise<InitializeResult> {
    const params = {
      processId: process.pid,
      clientInfo: { name: this.editor.name },
      rootUri: fileUri(root),
      workspaceFolders: [{ uri: fileUri(root), name: path.basename(root) }],
      capabilities: this.editor.capabilities,
      ...(this.editor.initializationOptions !== undefined ? { initializationOptions: this.editor.initializationOptions } : {}),
    };
    const result = await this.conn.sendRequest(InitializeRequest.type, params);
    await this.conn.sendNotification(InitializedNotification.type, {});
    return result;
  }

  async pushedFor(uri: string, timeoutMs = 20_000): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.pushed.filter((p) => p.uri === uri).at(-1);
      if (hit && hit.diagnostics.length) return hit.diagnostics;
      if (Date.now() > deadline) throw new Error(`no diagnostics pushed for ${uri}; stderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 500);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async close(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.proc.once('exit', (code) => resolve(code)));
    await this.conn.sendRequest(ShutdownRequest.type);
    await this.conn.sendNotification(ExitNotification.type);
    const code = await exited;
    this.conn.dispose();
    return code;
  }
}

describe('other editors (Neovim, Helix, Zed)', function () {
  this.timeout(60_000);
  let tmp: string;
  let binDir: string;
  let env: NodeJS.ProcessEnv;

  before(() => {
    ensureBuilt();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-editors-'));
    fs.writeFileSync(path.join(tmp, 'app.py'), APP);
    // What `npm install -g` creates: bin links named after package.json's `bin` entries.
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    binDir = path.join(tmp, '.npm-global', 'bin');
    fs.mkdirSync(binDir, { recursive: true });
    for (const [name, rel] of Object.entries(pkg.bin)) fs.symlinkSync(path.join(ROOT, rel), path.join(binDir, name));
    env = { ...process.env, PATH: `${binDir}${path.delimiter}${path.dirname(process.execPath)}${path.delimiter}${process.env['PATH'] ?? ''}` };
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const editors: Editor[] = [
    // Neovim (vim.lsp.config / nvim-lspconfig): cmd = { 'parapet-lsp', '--stdio' }, no init options,
    // answers workspace/configuration from `settings` (nothing set: null).
    { name: 'Neovim', command: 'parapet-lsp', args: ['--stdio'], capabilities: WITH_CONFIG },
    // Neovim 0.11+ also pulls diagnostics.
    { name: 'Neovim (pull)', command: 'parapet-lsp', args: ['--stdio'], capabilities: PULL },
    // Helix (languages.toml): command = "parapet-lsp", args = ["--stdio"], `config` sent as
    // initializationOptions and used to answer workspace/configuration.
    { name: 'Helix', command: 'parapet-lsp', args: ['--stdio'], capabilities: WITH_CONFIG, initializationOptions: { parapet: { run: 'onType' } }, configuration: { run: 'onType' } },
    // Zed / any client running the bundle with node, declaring nothing beyond push diagnostics.
    { name: 'node server.js', command: process.execPath, args: [path.join(ROOT, 'server', 'out', 'server.js'), '--stdio'], capabilities: PUSH_ONLY },
  ];

  for (const editor of editors) {
    it(`${editor.name}: \`${path.basename(editor.command)} ${editor.args.map((a) => path.basename(a)).join(' ')}\` reports findings`, async () => {
      const session = new Session(editor, env, tmp);
      try {
        const init = await session.initialize(tmp);
        assert.equal(init.serverInfo?.name, 'parapet');
        const uri = fileUri(path.join(tmp, 'app.py'));
        await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text: APP } });
        let diagnostics: Diagnostic[];
        if (editor.capabilities.textDocument?.diagnostic) {
          assert.ok(init.capabilities.diagnosticProvider, 'pull diagnostics offered to a client that supports them');
          const report = (await session.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } })) as FullDocumentDiagnosticReport;
          assert.equal(report.kind, 'full');
          diagnostics = report.items;
        } else {
          assert.equal(init.capabilities.diagnosticProvider, undefined);
          diagnostics = await session.pushedFor(uri);
        }
        const codes = diagnostics.map((d) => `${String(d.code)}:${d.range.start.line + 1}`).sort();
        assert.ok(codes.includes('SEC311:3'), codes.join(', '));
        assert.ok(diagnostics.every((d) => d.source === 'Parapet' || d.source === 'parapet'), JSON.stringify(diagnostics.map((d) => d.source)));
        if (!editor.capabilities.workspace?.configuration) assert.equal(session.configRequests, 0, 'no configuration requests to a client that cannot answer them');
        assert.equal(await session.close(), 0, session.stderr);
      } finally {
        session.proc.kill();
      }
    });
  }
});
