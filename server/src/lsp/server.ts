// The Parapet language server: document sync, diagnostics (pulled, or pushed for clients that
// do not pull), code actions, hover, commands. Everything protocol-shaped lives in this folder;
// the analysis itself is the engine's.

import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  FileChangeType,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { fileURLToPath } from 'node:url';
import { writeHeapSnapshot } from 'node:v8';
import { ruleMarkdown, ruleUrl } from '../engine/docs';
import { fixAll } from '../engine/fixes';
import { initParser, parserMemory } from '../engine/parser';
import { isTemplatePath } from '../engine/templates';
import type { ConfigProblem } from '../engine/config';
import type { AnalysisNotice } from '../engine/types';
import { version as PARAPET_VERSION } from '../../../package.json';
import {
  ChecklistChangedNotification,
  ChecklistRequest,
  ExportReportRequest,
  FindingsByOwaspRequest,
  SetReviewRequest,
  type ChecklistParams,
  type ChecklistResult,
  type ExportReportParams,
  type OwaspGroup,
  type SetReviewParams,
  FIX_ALL_KIND,
  RuleDocumentationRequest,
  RulesRequest,
  ServerCommands,
  StatusNotification,
  type InitializationOptions,
  type ParapetSettings,
  type RuleDocumentationParams,
  type RuleDocumentationResult,
  type RuleSummary,
  type StatusParams,
} from '../protocol';
import { ALL_RULES, ruleById } from '../rules';
import { Analyzer, settingsSelectorProblems, uriToPath, type DocAnalysis } from './analysis';
import { codeActions, fixAllEdit } from './codeActions';
import { toDiagnostic } from './convert';
import { DocumentStore, type OpenDocument } from './documents';
import { hover } from './hover';
import { NotebookStore, type OpenNotebook } from './notebooks';
import { SettingsStore } from './settings';
import { WorkspaceIndex, type Progress } from './workspace';

const PUSH_DEBOUNCE_MS = 150;

/** Documents Parapet analyses: Python, and Django/Jinja templates in template folders. */
function isAnalysed(languageId: string, uri: string): boolean {
  if (languageId === 'python' || /\.pyi?$/i.test(uri)) return true;
  return /^(html|django-html|jinja|jinja-html|jinja2|htmldjango)$/.test(languageId) && isTemplatePath(uriToPath(uri) ?? uri);
}

export function startServer(connection: Connection): void {
  const store = new DocumentStore();
  const notebooks = new NotebookStore();
  let pullDiagnostics = false;
  let canPullConfig = false;
  let refreshSupport = false;
  let documentChanges = false;
  let showDocument = false;
  let workDoneProgress = false;
  let vscodeClient = false;
  let initOptions: InitializationOptions = {};
  let roots: string[] = [];
  const problems = new Map<string, string>();
  const notified = new Set<string>();

  const log = (message: string): void => connection.console.log(message);

  const reportProblems = (list: ConfigProblem[]): void => {
    if (list.length === 0) return;
    for (const p of list) {
      problems.set(p.message, p.message);
      connection.console.warn(p.message);
    }
    const first = list[0]!.message;
    const more = list.length > 1 ? ` (and ${list.length - 1} more; see the Parapet output)` : '';
    void connection.window.showWarningMessage(`Parapet: ${first}${more}`);
  };

  const settings = new SettingsStore(
    connection,
    () => canPullConfig,
    () => initOptions.settings ?? {},
    (list) => reportProblems(list.map((p) => ({ severity: 'warning', message: p.message }))),
  );
  const settingsFor = async (uri: string): Promise<ParapetSettings> => {
    const s = await settings.get(uri);
    const key = `settings-selectors:${JSON.stringify(s.rules)}`;
    if (!notified.has(key)) {
      notified.add(key);
      reportProblems(settingsSelectorProblems(s));
    }
    return s;
  };

  const analyzer = new Analyzer(store, {
    settings: settingsFor,
    workspaceRoots: () => roots,
    reportProblems,
    log,
    error: (message) => connection.console.error(message),
  });

  const workspace = new WorkspaceIndex({
    roots: () => roots,
    analyzer,
    settings: settingsFor,
    log,
    changed: () => void connection.sendNotification(ChecklistChangedNotification),
    progress: async (title: string): Promise<Progress | null> => {
      if (!workDoneProgress) return null;
      const reporter = await connection.window.createWorkDoneProgress().catch(() => null);
      if (!reporter) return null;
      let cancelled = false;
      reporter.token.onCancellationRequested(() => (cancelled = true));
      reporter.begin(title, 0, 'Scanning the workspace', true);
      return {
        report: (percentage, message) => reporter.report(percentage, message),
        done: () => reporter.done(),
        get cancelled() {
          return cancelled;
        },
      };
    },
  });

  const status = (params: Omit<StatusParams, 'problems'>): void => {
    void connection.sendNotification(StatusNotification, { ...params, problems: [...problems.values()] } satisfies StatusParams);
  };

  /** Analysis notices (too large, time limit, rule errors) are logged, and shown once per file. */
  const announce = (uri: string, notices: AnalysisNotice[]): void => {
    for (const n of notices) {
      const key = `${uri}#${n.kind}#${n.ruleId ?? ''}`;
      if (notified.has(key)) continue;
      notified.add(key);
      // Rule errors are logged once per rule and file, with their stack, by the analyser.
      if (n.kind === 'rule-error') continue;
      else {
        connection.console.warn(n.message);
        void connection.window.showWarningMessage(`Parapet: ${n.message}`);
      }
    }
  };

  const diagnosticsOf = (entry: OpenDocument, a: DocAnalysis): Diagnostic[] =>
    a.result ? a.result.findings.map((f) => toDiagnostic(entry.doc, f)) : [];

  /** Runs (or reuses) the analysis of the current version and reports status. */
  const analyze = async (entry: OpenDocument): Promise<DocAnalysis> => {
    status({ state: 'busy', text: 'Analysing', uri: entry.uri });
    try {
      const a = await analyzer.analyze(entry);
      announce(entry.uri, a.notices);
      const file = entry.uri.startsWith('file:') ? uriToPath(entry.uri) : null;
      if (file && a.result) workspace.fromEditor(file, entry.doc.getText(), a.result.findings, entry.tree?.rootNode, a.result.facts);
      const limited = a.notices.some((n) => n.kind !== 'rule-error');
      const n = a.result?.findings.length ?? 0;
      status({
        state: a.notices.length ? 'warning' : 'ready',
        text: limited ? 'Analysis limited' : `${n} finding${n === 1 ? '' : 's'}`,
        uri: entry.uri,
        lastAnalysisMs: Math.round(a.durationMs * 10) / 10,
        // How much of the file the last analysis ran on (null: all of it); see runner.ts.
        reanalysed: a.result?.reanalysed ?? null,
        findings: n,
      });
      return a;
    } catch (e) {
      const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
      connection.console.error(`Analysis of ${entry.uri} failed: ${message}`);
      status({ state: 'error', text: 'Analysis failed', uri: entry.uri });
      throw e;
    }
  };

  // Saved analyses, for `parapet.run = onSave`: what the file looked like when last saved.
  const saved = new Map<string, { resultId: string; items: Diagnostic[] }>();
  const pushTimers = new Map<string, NodeJS.Timeout>();

  const publish = async (uri: string): Promise<void> => {
    const entry = store.get(uri);
    if (!entry) return;
    const version = entry.doc.version;
    try {
      const a = await analyze(entry);
      // A newer edit arrived meanwhile: its own publish will follow.
      if (store.get(uri) !== entry || entry.doc.version !== version) return;
      await connection.sendDiagnostics({ uri, version, diagnostics: diagnosticsOf(entry, a) });
    } catch {
      // Already logged by analyze().
    }
  };

  const schedulePush = (uri: string, delay: number): void => {
    clearTimeout(pushTimers.get(uri));
    pushTimers.set(
      uri,
      setTimeout(() => {
        pushTimers.delete(uri);
        void publish(uri);
      }, delay),
    );
  };

  const snapshotSaved = async (entry: OpenDocument): Promise<void> => {
    try {
      const a = await analyze(entry);
      saved.set(entry.uri, { resultId: `saved:${entry.doc.version}:${a.generation}`, items: diagnosticsOf(entry, a) });
    } catch {
      saved.delete(entry.uri);
    }
  };

  // Cached analyses are dropped at once, so any request after a change sees the new
  // configuration; telling the client (refresh, re-push) waits until a burst of changes
  // settles (VS Code sends several at start-up).
  let refreshTimer: NodeJS.Timeout | undefined;
  const configurationChanged = (): void => {
    analyzer.invalidate();
    notebooks.invalidate();
    saved.clear();
    problems.clear();
    notified.clear();
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void refreshAll(), 100);
  };

  const refreshAll = async (): Promise<void> => {
    connection.console.info('Configuration changed: re-analysing open files.');
    // The workspace scan (if the checklist was opened) starts again once the burst settled.
    workspace.invalidate();
    for (const entry of store.all()) {
      const s = await settingsFor(entry.uri);
      if (s.run === 'onSave') await snapshotSaved(entry);
    }
    if (pullDiagnostics && refreshSupport) await connection.languages.diagnostics.refresh();
    else if (!pullDiagnostics) {
      for (const entry of store.all()) schedulePush(entry.uri, 0);
      for (const nb of notebooks.all()) await publishNotebook(nb);
    }
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    pullDiagnostics = !!caps.textDocument?.diagnostic;
    canPullConfig = !!caps.workspace?.configuration;
    refreshSupport = !!caps.workspace?.diagnostics?.refreshSupport;
    documentChanges = !!caps.workspace?.workspaceEdit?.documentChanges;
    showDocument = !!caps.window?.showDocument?.support;
    workDoneProgress = !!caps.window?.workDoneProgress;
    initOptions = (params.initializationOptions as InitializationOptions | undefined) ?? {};
    vscodeClient = initOptions.client === 'vscode';
    roots = (params.workspaceFolders ?? [])
      .map((f) => uriToPath(f.uri))
      .filter((p): p is string => !!p);
    if (roots.length === 0 && params.rootUri) {
      try {
        roots = [fileURLToPath(params.rootUri)];
      } catch {
        roots = [];
      }
    }
    const result: InitializeResult = {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        hoverProvider: true,
        notebookDocumentSync: { notebookSelector: [{ notebook: { notebookType: 'jupyter-notebook' }, cells: [{ language: 'python' }] }] },
        executeCommandProvider: { commands: [ServerCommands.applyAutoFixes, ServerCommands.openRuleDocs] },
        ...(pullDiagnostics ? { diagnosticProvider: { identifier: 'parapet', interFileDependencies: false, workspaceDiagnostics: false } } : {}),
      },
      serverInfo: { name: 'parapet', version: PARAPET_VERSION },
    };
    return result;
  });

  connection.onInitialized(() => {
    connection.console.info(`Parapet ${PARAPET_VERSION} started: ${ALL_RULES.length} rules; diagnostics ${pullDiagnostics ? 'pulled' : 'pushed'}; workspace ${roots.join(', ') || '(none)'}`);
    void initParser()
      .then(() => status({ state: 'ready', text: 'Ready' }))
      .catch((e: unknown) => {
        connection.console.error(`Could not load the Python parser: ${e instanceof Error ? e.message : String(e)}`);
        status({ state: 'error', text: 'Parser failed to load' });
      });
    void connection.client.register(DidChangeConfigurationNotification.type, undefined).catch(() => undefined);
    void connection.client
      .register(DidChangeWatchedFilesNotification.type, {
        watchers: [
          '**/pyproject.toml',
          // The checklist: Python files on disk, and the project files its items read.
          '**/*.{py,pyi}',
          '**/{requirements*.txt,*.lock,Pipfile,pdm.lock,.gitignore,.pre-commit-config.yaml,.gitlab-ci.yml,renovate.json,.renovaterc*,Dockerfile*}',
          '**/.env*',
          '**/*.{pem,key}',
          '**/.github/**/*.{yml,yaml}',
          '**/.parapet/checklist.json',
        ].map((globPattern) => ({ globPattern })),
      })
      .catch(() => undefined);
  });

  connection.onDidChangeConfiguration(() => {
    settings.clear();
    configurationChanged();
  });

  connection.onDidChangeWatchedFiles((params) => {
    const files = params.changes
      .map((c) => ({ file: uriToPath(c.uri), deleted: c.type === FileChangeType.Deleted }))
      .filter((c): c is { file: string; deleted: boolean } => !!c.file && !/pyproject\.toml$/i.test(c.file));
    if (files.length) void workspace.diskChanged(files).catch((e: unknown) => log(`Workspace update failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
    const changed = params.changes.filter((c) => /pyproject\.toml$/i.test(c.uri));
    if (changed.length === 0) return;
    connection.console.info(`${changed.map((c) => uriToPath(c.uri) ?? c.uri).join(', ')} changed: re-reading the configuration.`);
    configurationChanged();
  });

  connection.onDidOpenTextDocument(async (params) => {
    const { uri, languageId, version, text } = params.textDocument;
    if (!isAnalysed(languageId, uri)) return;
    const entry = store.open(uri, languageId, version, text);
    await initParser();
    const s = await settingsFor(uri);
    if (s.run === 'onSave') await snapshotSaved(entry);
    if (!pullDiagnostics) schedulePush(uri, 0);
  });

  connection.onDidChangeTextDocument(async (params) => {
    const entry = store.change(params.textDocument.uri, params.textDocument.version, params.contentChanges);
    if (!entry) return;
    // The last analysis stays cached: the next one (for the new version) starts from its state
    // and re-analyses only the functions that changed.
    if (!pullDiagnostics) {
      const s = await settingsFor(entry.uri);
      if (s.run === 'onType') schedulePush(entry.uri, PUSH_DEBOUNCE_MS);
    }
  });

  connection.onDidSaveTextDocument(async (params) => {
    const entry = store.get(params.textDocument.uri);
    if (!entry) return;
    const s = await settingsFor(entry.uri);
    if (s.run !== 'onSave') return;
    await snapshotSaved(entry);
    if (pullDiagnostics && refreshSupport) await connection.languages.diagnostics.refresh();
    else if (!pullDiagnostics) {
      const snap = saved.get(entry.uri);
      await connection.sendDiagnostics({ uri: entry.uri, diagnostics: snap?.items ?? [] });
    }
  });

  connection.onDidCloseTextDocument((params) => {
    const uri = params.textDocument.uri;
    clearTimeout(pushTimers.get(uri));
    pushTimers.delete(uri);
    store.close(uri);
    analyzer.forget(uri);
    const closedFile = uri.startsWith('file:') ? uriToPath(uri) : null;
    if (closedFile) workspace.closed(closedFile);
    saved.delete(uri);
    if (!pullDiagnostics) void connection.sendDiagnostics({ uri, diagnostics: [] });
  });

  // Notebooks: the code cells are analysed together; a change in one cell can change what
  // other cells report (an import, a variable), so every cell is refreshed after a change.
  const analyseNotebook = async (nb: OpenNotebook) => {
    await initParser();
    const s = await settingsFor(nb.uri);
    const options = analyzer.sourceOptions(nb.uri, s);
    if (!options) return null;
    return notebooks.analyse(nb, analyzer.generation, options, uriToPath(nb.uri) ?? nb.uri);
  };
  const publishNotebook = async (nb: OpenNotebook): Promise<void> => {
    const a = await analyseNotebook(nb);
    for (const cell of nb.cells) {
      await connection.sendDiagnostics({ uri: cell.uri, diagnostics: a ? notebooks.diagnostics(nb, a, cell.uri) : [] });
    }
  };
  let notebookTimer: NodeJS.Timeout | undefined;
  const notebookChanged = (nb: OpenNotebook): void => {
    clearTimeout(notebookTimer);
    notebookTimer = setTimeout(() => {
      if (pullDiagnostics && refreshSupport) void connection.languages.diagnostics.refresh();
      else if (!pullDiagnostics) void publishNotebook(nb);
    }, PUSH_DEBOUNCE_MS);
  };
  connection.notebooks.synchronization.onDidOpenNotebookDocument((p) => notebookChanged(notebooks.open(p)));
  connection.notebooks.synchronization.onDidChangeNotebookDocument((p) => {
    const nb = notebooks.change(p);
    if (nb) notebookChanged(nb);
  });
  connection.notebooks.synchronization.onDidCloseNotebookDocument((p) => {
    const nb = notebooks.all().find((n) => n.uri === p.notebookDocument.uri);
    if (nb && !pullDiagnostics) for (const c of nb.cells) void connection.sendDiagnostics({ uri: c.uri, diagnostics: [] });
    notebooks.close(p);
  });

  connection.languages.diagnostics.on(async (params, token) => {
    const uri = params.textDocument.uri;
    const nb = notebooks.notebookOfCell(uri);
    if (nb) {
      const a = await analyseNotebook(nb);
      return { kind: DocumentDiagnosticReportKind.Full, items: a ? notebooks.diagnostics(nb, a, uri) : [] };
    }
    const entry = store.get(uri);
    if (!entry) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    await initParser();
    const s = await settingsFor(uri);
    if (s.run === 'onSave') {
      const snap = saved.get(uri);
      if (!snap) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
      if (params.previousResultId === snap.resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: snap.resultId };
      return { kind: DocumentDiagnosticReportKind.Full, resultId: snap.resultId, items: snap.items };
    }
    if (token.isCancellationRequested) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    const a = await analyze(entry);
    const resultId = `${a.version}:${a.generation}`;
    if (params.previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
    return { kind: DocumentDiagnosticReportKind.Full, resultId, items: diagnosticsOf(entry, a) };
  });

  const fixAllText = (entry: OpenDocument, s: ParapetSettings, unsafe: boolean): string => {
    const text = entry.doc.getText();
    const options = analyzer.sourceOptions(entry.uri, s);
    if (!options) return text;
    return fixAll(text, uriToPath(entry.uri) ?? entry.uri, options, unsafe).text;
  };

  connection.onCodeAction(async (params, token) => {
    const cellOf = notebooks.notebookOfCell(params.textDocument.uri);
    if (cellOf) {
      const a = await analyseNotebook(cellOf);
      return a && !token.isCancellationRequested ? notebooks.codeActions(cellOf, a, params.textDocument.uri, params.context.diagnostics, vscodeClient) : [];
    }
    const entry = store.get(params.textDocument.uri);
    if (!entry) return [];
    await initParser();
    const version = entry.doc.version;
    const s = await settingsFor(entry.uri);
    const a = await analyze(entry);
    if (token.isCancellationRequested || entry.doc.version !== version) return [];
    return codeActions(params, {
      doc: entry.doc,
      findings: a.result?.findings ?? [],
      vscodeClient,
      documentChanges,
      fixAllText: (unsafe) => fixAllText(entry, s, unsafe),
    });
  });

  connection.onHover(async (params) => {
    const cellOf = notebooks.notebookOfCell(params.textDocument.uri);
    if (cellOf) {
      const a = await analyseNotebook(cellOf);
      return a ? notebooks.hover(cellOf, a, params.textDocument.uri, params.position) : null;
    }
    const entry = store.get(params.textDocument.uri);
    if (!entry) return null;
    await initParser();
    const a = await analyze(entry);
    return a.result ? hover(entry.doc, a.result, params.position) : null;
  });

  connection.onExecuteCommand(async (params) => {
    if (params.command === ServerCommands.applyAutoFixes) {
      const arg = (params.arguments?.[0] ?? {}) as { uri?: string; version?: number };
      const entry = arg.uri ? store.get(arg.uri) : undefined;
      if (!entry) return false;
      if (arg.version !== undefined && arg.version !== entry.doc.version) {
        void connection.window.showInformationMessage('Parapet: the document changed; run Fix All again.');
        return false;
      }
      await initParser();
      const s = await settingsFor(entry.uri);
      const edit = fixAllEdit({ doc: entry.doc, fixAllText: (unsafe) => fixAllText(entry, s, unsafe) });
      if (!edit) return true;
      const change = documentChanges
        ? { documentChanges: [{ textDocument: { uri: entry.uri, version: entry.doc.version }, edits: [edit] }] }
        : { changes: { [entry.uri]: [edit] } };
      const res = await connection.workspace.applyEdit({ label: 'Parapet: fix all', edit: change });
      return res.applied;
    }
    if (params.command === ServerCommands.openRuleDocs) {
      const rule = ruleById(String(params.arguments?.[0] ?? ''));
      if (!rule) return false;
      if (showDocument) await connection.window.showDocument({ uri: ruleUrl(rule), external: true });
      else connection.console.log(`${rule.id} documentation: ${ruleUrl(rule)}`);
      return true;
    }
    return undefined;
  });

  connection.onRequest(RuleDocumentationRequest, (params: RuleDocumentationParams): RuleDocumentationResult | null => {
    const rule = ruleById(params.rule) ?? ALL_RULES.find((r) => r.name === params.rule || r.aliases.includes(params.rule.toUpperCase()));
    return rule ? { id: rule.id, name: rule.name, markdown: ruleMarkdown(rule, { selfContained: true }) } : null;
  });

  connection.onRequest(RulesRequest, (): RuleSummary[] =>
    ALL_RULES.map((r) => ({
      id: r.id,
      name: r.name,
      summary: r.summary,
      severity: r.severity,
      fix: r.fix,
      owasp2025: r.owasp['2025'],
      owasp2021: r.owasp['2021'],
      cwe: r.cwe,
      enabledByDefault: r.enabledByDefault,
    })),
  );

  // The security checklist panel.
  connection.onRequest(ChecklistRequest, async (params: ChecklistParams | undefined): Promise<ChecklistResult> => {
    await initParser();
    return workspace.checklist(!!params?.rescan);
  });
  connection.onRequest(FindingsByOwaspRequest, async (): Promise<OwaspGroup[]> => {
    await initParser();
    await workspace.checklist(false);
    return workspace.findings();
  });
  connection.onRequest(SetReviewRequest, async (params: SetReviewParams): Promise<void> => {
    const folder = uriToPath(params.folder);
    if (!folder) throw new Error(`not a file folder: ${params.folder}`);
    await workspace.setReview(folder, params.itemId, params.review);
  });
  connection.onRequest(ExportReportRequest, (params: ExportReportParams): void => {
    const folder = uriToPath(params.folder);
    if (!folder) throw new Error(`not a file folder: ${params.folder}`);
    workspace.exportReport(folder, params.target);
  });

  // Memory numbers for the benchmark and leak hunting; only with PARAPET_DEBUG_MEMORY=1 in the
  // server's environment (see CONTRIBUTING.md). `gc: true` collects first when Node runs with
  // --expose-gc.
  if (process.env['PARAPET_DEBUG_MEMORY']) {
    connection.onRequest('parapet/debugMemory', (params: { gc?: boolean; heapSnapshot?: string } | undefined) => {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (params?.gc && gc) gc();
      if (params?.heapSnapshot) writeHeapSnapshot(params.heapSnapshot);
      const m = process.memoryUsage();
      return {
        rss: m.rss,
        heapUsed: m.heapUsed,
        heapTotal: m.heapTotal,
        external: m.external,
        arrayBuffers: m.arrayBuffers,
        ...parserMemory(),
        treesHeld: store.treeCount(),
        documents: store.all().length,
        collected: !!(params?.gc && gc),
      };
    });
  }

  connection.onShutdown(() => {
    workspace.dispose();
    clearTimeout(refreshTimer);
    clearTimeout(notebookTimer);
    for (const t of pushTimers.values()) clearTimeout(t);
    store.closeAll();
  });

  connection.listen();
}
