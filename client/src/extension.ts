// The Parapet VS Code extension: a thin client. It starts the language server, shows its status,
// registers the commands and renders rule documentation the server sends. It holds no analysis
// and never runs workspace code, so it is safe in untrusted workspaces.

import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  ExecuteCommandRequest,
  LanguageClient,
  State,
  TransportKind,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  ClientCommands,
  RuleDocumentationRequest,
  RulesRequest,
  ServerCommands,
  StatusNotification,
  type RuleDocumentationResult,
  type RuleSummary,
  type StatusParams,
} from '../../server/src/protocol';
import { registerChecklist } from './checklist';
import { RestartPolicy } from './restart';
import { registerStatusBar } from './statusBar';

const DOCS_SCHEME = 'parapet-docs';

let client: LanguageClient | undefined;

/** Restarts a crashed server (with a notice) unless it keeps crashing: see RestartPolicy. */
class RestartingErrorHandler implements ErrorHandler {
  readonly policy = new RestartPolicy();

  constructor(private readonly output: vscode.OutputChannel) {}

  error(): { action: ErrorAction } {
    return { action: ErrorAction.Continue };
  }

  closed(): { action: CloseAction; message?: string } {
    const d = this.policy.closed(Date.now());
    if (!d.restart) return { action: CloseAction.DoNotRestart, message: d.message };
    this.output.appendLine(d.log);
    void vscode.window.showWarningMessage(d.notice, 'Show Output').then((choice) => {
      if (choice) this.output.show(true);
    });
    return { action: CloseAction.Restart, message: '' };
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Parapet', { log: true });
  context.subscriptions.push(output);

  const serverModule = context.asAbsolutePath('server/out/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const errorHandler = new RestartingErrorHandler(output);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'python' },
      { scheme: 'untitled', language: 'python' },
      { scheme: 'vscode-notebook-cell', language: 'python' },
      // Django and Jinja templates (|safe, {% autoescape off %}).
      { scheme: 'file', pattern: '**/{templates,jinja2}/**/*.{html,htm}' },
      { scheme: 'file', pattern: '**/*.{jinja,jinja2,j2,djhtml}' },
    ],
    outputChannel: output,
    initializationOptions: { client: 'vscode' },
    diagnosticPullOptions: { onChange: true, onSave: true },
    errorHandler,
  };
  client = new LanguageClient('parapet', 'Parapet', serverOptions, clientOptions);

  // Language status: running, last analysis time, problems.
  const statusItem = vscode.languages.createLanguageStatusItem('parapet.status', [
    { language: 'python' },
  ]);
  statusItem.name = 'Parapet';
  statusItem.text = 'Parapet: starting';
  statusItem.command = { title: 'Show Output', command: 'parapet.showOutput' };
  context.subscriptions.push(statusItem);
  const showStatus = (s: StatusParams): void => {
    statusItem.busy = s.state === 'busy';
    if (s.state === 'busy') return;
    statusItem.text = `Parapet: ${s.text}`;
    const detail: string[] = [];
    if (s.lastAnalysisMs !== undefined) detail.push(`last analysis ${s.lastAnalysisMs} ms`);
    if (s.problems.length) detail.push(`${s.problems.length} configuration problem${s.problems.length === 1 ? '' : 's'}`);
    statusItem.detail = detail.join(', ');
    statusItem.severity =
      s.state === 'error' ? vscode.LanguageStatusSeverity.Error : s.state === 'warning' || s.problems.length ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
  };
  context.subscriptions.push(
    client.onDidChangeState((e) => {
      if (e.newState === State.Stopped) {
        statusItem.text = 'Parapet: stopped';
        statusItem.severity = vscode.LanguageStatusSeverity.Error;
      }
    }),
  );

  // Rule documentation, rendered offline in a Markdown preview of a virtual document.
  const docs = new Map<string, string>();
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(DOCS_SCHEME, {
      provideTextDocumentContent: (uri) => docs.get(uri.path.replace(/^\//, '').replace(/\.md$/, '')) ?? 'Rule documentation is not available.',
    }),
  );
  const showRuleDocumentation = async (ruleArg?: unknown): Promise<void> => {
    if (!client) return;
    let rule = typeof ruleArg === 'string' ? ruleArg : undefined;
    if (!rule) {
      const rules = await client.sendRequest<RuleSummary[]>(RulesRequest);
      const pick = await vscode.window.showQuickPick(
        rules.map((r) => ({ label: r.id, description: r.name, detail: r.summary.replace(/`/g, ''), rule: r.id })),
        { placeHolder: 'Show documentation for a Parapet rule', matchOnDescription: true, matchOnDetail: true },
      );
      rule = pick?.rule;
    }
    if (!rule) return;
    const doc = await client.sendRequest<RuleDocumentationResult | null>(RuleDocumentationRequest, { rule });
    if (!doc) {
      void vscode.window.showWarningMessage(`Parapet: no rule named ${rule}.`);
      return;
    }
    docs.set(doc.id, doc.markdown);
    const uri = vscode.Uri.from({ scheme: DOCS_SCHEME, path: `/${doc.id}.md` });
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('parapet.restartServer', async () => {
      output.appendLine('[client] Restarting the Parapet server.');
      errorHandler.policy.reset();
      await client?.restart();
    }),
    vscode.commands.registerCommand('parapet.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('parapet.openWalkthrough', () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#parapet.gettingStarted`, false),
    ),
    vscode.commands.registerCommand('parapet.fixAll', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!client || !editor || editor.document.languageId !== 'python') {
        void vscode.window.showInformationMessage('Parapet: open a Python file to fix its problems.');
        return;
      }
      const doc = editor.document;
      await client.sendRequest(ExecuteCommandRequest.type, {
        command: ServerCommands.applyAutoFixes,
        arguments: [{ uri: client.code2ProtocolConverter.asUri(doc.uri), version: doc.version }],
      });
    }),
    vscode.commands.registerCommand(ClientCommands.showRuleDocumentation, showRuleDocumentation),
  );

  context.subscriptions.push(client.onNotification(StatusNotification, showStatus));
  registerStatusBar(context);
  const readyListeners: ((c: LanguageClient) => void)[] = [];
  registerChecklist(context, () => client, (listener) => readyListeners.push(listener));
  try {
    await client.start();
    for (const listener of readyListeners) listener(client);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    output.appendLine(`[client] The Parapet server failed to start: ${message}`);
    void vscode.window.showErrorMessage(`Parapet: the server failed to start (${message}).`, 'Show Output').then((c) => c && output.show(true));
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
