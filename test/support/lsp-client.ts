// A minimal LSP client for protocol tests: spawns the bundled server over stdio and speaks
// JSON-RPC through vscode-languageserver-protocol, answering the server's own requests
// (configuration, registration, applyEdit, refresh) the way an editor would.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  DocumentDiagnosticRequest,
  ExecuteCommandRequest,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  ExitNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type CodeAction,
  type Command,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type Hover,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
  type TextDocumentContentChangeEvent,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';

export const ROOT = path.resolve(__dirname, '..', '..');
export const SERVER = path.join(ROOT, 'server', 'out', 'server.js');

let built = false;
/** Builds the bundles once per test run so protocol tests always test the current code. */
export function ensureBuilt(): void {
  if (built) return;
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}\n${r.stderr}`);
  built = true;
}

export function fileUri(p: string): string {
  return pathToFileURL(p).toString();
}

export interface ClientOptions {
  pull?: boolean;
  settings?: Record<string, unknown>;
  workspace?: string;
  initializationOptions?: Record<string, unknown>;
  /** Declare `window.workDoneProgress` (server-initiated progress). */
  workDoneProgress?: boolean;
  /** Extra environment variables for the server process. */
  env?: Record<string, string>;
  /** Node options before the server script (e.g. `--require` a preload). */
  nodeArgs?: string[];
}

export class TestClient {
  readonly conn: ProtocolConnection;
  readonly proc: ChildProcess;
  readonly pushed = new Map<string, PublishDiagnosticsParams[]>();
  readonly messages: { type: number; message: string }[] = [];
  readonly logs: string[] = [];
  readonly applied: WorkspaceEdit[] = [];
  readonly statuses: { state: string; text: string; reanalysed?: { units: number; of: number } | null }[] = [];
  refreshes = 0;
  /** `$/progress` values by token, in order. */
  readonly progress = new Map<string | number, { kind: string; message?: string; percentage?: number; cancellable?: boolean }[]>();
  /** How many `parapet/checklistChanged` notifications arrived. */
  checklistChanges = 0;
  private changeWaiters: (() => void)[] = [];
  settings: Record<string, unknown>;
  docs = new Map<string, TextDocument>();
  stderr = '';
  private pushWaiters: { uri: string; version: number | undefined; resolve: (p: PublishDiagnosticsParams) => void }[] = [];

  constructor(readonly options: ClientOptions = {}) {
    this.settings = options.settings ?? {};
    this.proc = spawn(process.execPath, [...(options.nodeArgs ?? []), SERVER, '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
    });
    this.proc.stderr!.on('data', (d) => (this.stderr += String(d)));
    this.conn = createProtocolConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map((i) => (i.section === 'parapet' ? this.settings : null)),
    );
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshes++;
      return null;
    });
    this.conn.onRequest('workspace/applyEdit', (params: { edit: WorkspaceEdit }) => {
      this.applied.push(params.edit);
      return { applied: true };
    });
    this.conn.onRequest('window/showMessageRequest', (p: { type: number; message: string }) => {
      this.messages.push({ type: p.type, message: p.message });
      return null;
    });
    this.conn.onRequest('window/showDocument', () => ({ success: true }));
    this.conn.onRequest('window/workDoneProgress/create', (p: { token: string | number }) => {
      this.progress.set(p.token, []);
      return null;
    });
    this.conn.onNotification('$/progress', (p: { token: string | number; value: { kind: string } }) => {
      const list = this.progress.get(p.token) ?? [];
      list.push(p.value);
      this.progress.set(p.token, list);
    });
    this.conn.onNotification('parapet/checklistChanged', () => {
      this.checklistChanges++;
      const waiters = this.changeWaiters;
      this.changeWaiters = [];
      for (const w of waiters) w();
    });
    this.conn.onNotification('window/showMessage', (p: { type: number; message: string }) => {
      this.messages.push(p);
    });
    this.conn.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
    });
    this.conn.onNotification('parapet/status', (p: { state: string; text: string }) => {
      this.statuses.push(p);
    });
    this.conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      const list = this.pushed.get(p.uri) ?? [];
      list.push(p);
      this.pushed.set(p.uri, list);
      this.pushWaiters = this.pushWaiters.filter((w) => {
        if (w.uri === p.uri && (w.version === undefined || w.version === p.version)) {
          w.resolve(p);
          return false;
        }
        return true;
      });
    });
    this.conn.listen();
  }

  async initialize(): Promise<InitializeResult> {
    const capabilities: ClientCapabilities = {
      workspace: { configuration: true, workspaceEdit: { documentChanges: true }, diagnostics: { refreshSupport: true }, didChangeConfiguration: { dynamicRegistration: true } },
      textDocument: {
        synchronization: { didSave: true },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } },
        hover: { contentFormat: ['markdown'] },
        publishDiagnostics: { versionSupport: true, relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
        ...(this.options.pull === false ? {} : { diagnostic: { dynamicRegistration: false } }),
      },
      window: { showDocument: { support: true }, ...(this.options.workDoneProgress ? { workDoneProgress: true } : {}) },
    };
    const ws = this.options.workspace;
    const result = await this.conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: ws ? fileUri(ws) : null,
      workspaceFolders: ws ? [{ uri: fileUri(ws), name: path.basename(ws) }] : null,
      capabilities,
      initializationOptions: this.options.initializationOptions ?? {},
    });
    await this.conn.sendNotification(InitializedNotification.type, {});
    return result;
  }

  /** Resolves at the next `parapet/checklistChanged` notification. */
  nextChecklistChange(timeoutMs = 20_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no parapet/checklistChanged notification')), timeoutMs);
      this.changeWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async open(uri: string, text: string, version = 1): Promise<void> {
    this.docs.set(uri, TextDocument.create(uri, 'python', version, text));
    await this.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version, text } });
  }

  /** Sends incremental changes and keeps the local copy in step. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const doc = this.docs.get(uri)!;
    const version = doc.version + 1;
    TextDocument.update(doc, changes, version);
    await this.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  /** Replaces `[start, end)` (offsets in the current text) with `text`. */
  async edit(uri: string, start: number, end: number, text: string): Promise<number> {
    const doc = this.docs.get(uri)!;
    const range: Range = { start: doc.positionAt(start), end: doc.positionAt(end) };
    return this.change(uri, [{ range, text }]);
  }

  async save(uri: string): Promise<void> {
    await this.conn.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
  }

  async close(uri: string): Promise<void> {
    this.docs.delete(uri);
    await this.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async pull(uri: string, previousResultId?: string): Promise<DocumentDiagnosticReport> {
    return this.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri }, ...(previousResultId ? { previousResultId } : {}) });
  }

  async diagnostics(uri: string): Promise<Diagnostic[]> {
    const r = await this.pull(uri);
    if (r.kind !== 'full') throw new Error('expected a full report');
    return r.items;
  }

  /** Resolves with the next push for `uri` (and `version`, when given). */
  nextPush(uri: string, version?: number, timeoutMs = 10_000): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics pushed for ${uri} v${version}`)), timeoutMs);
      this.pushWaiters.push({
        uri,
        version,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      });
    });
  }

  async codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<(CodeAction | Command)[]> {
    return (await this.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics, ...(only ? { only } : {}) } })) ?? [];
  }

  async hover(uri: string, offset: number): Promise<Hover | null> {
    const doc = this.docs.get(uri)!;
    return this.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: doc.positionAt(offset) });
  }

  async execute(command: string, args: unknown[]): Promise<unknown> {
    return this.conn.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
  }

  async changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  /** Applies a code action's edit to the local copy of the document and returns the new text. */
  applyLocally(uri: string, edit: WorkspaceEdit): string {
    const doc = this.docs.get(uri)!;
    const edits = edit.documentChanges
      ? edit.documentChanges.flatMap((c) => ('edits' in c && c.textDocument.uri === uri ? c.edits : []))
      : (edit.changes?.[uri] ?? []);
    return TextDocument.applyEdits(doc, edits.map((e) => ('newText' in e ? e : { range: e.range, newText: '' })));
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification(ExitNotification.type);
    } catch {
      // The server may already be gone.
    }
    this.conn.dispose();
    if (this.proc.exitCode === null) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.proc.kill('SIGKILL');
          resolve();
        }, 2000);
        this.proc.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
}
