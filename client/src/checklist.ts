// The Security Checklist and Findings views. The server does the work (scan, facts, checklist,
// reviews, report); these classes only render what it sends and forward the user's actions.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ChecklistCategory, ChecklistItem, ChecklistStatus, Evidence } from '../../server/src/checklist/types';
import {
  ChecklistChangedNotification,
  ChecklistRequest,
  ExportReportRequest,
  FindingsByOwaspRequest,
  SetReviewRequest,
  type ChecklistResult,
  type OwaspGroup,
  type WorkspaceChecklist,
} from '../../server/src/protocol';

type Node =
  | { kind: 'folder'; folder: WorkspaceChecklist }
  | { kind: 'category'; folder: WorkspaceChecklist; category: ChecklistCategory }
  | { kind: 'item'; folder: WorkspaceChecklist; item: ChecklistItem }
  | { kind: 'evidence'; folder: WorkspaceChecklist; evidence: Evidence }
  | { kind: 'message'; text: string; icon?: string };

const STATUS_ICON: Record<ChecklistStatus, [string, string | undefined]> = {
  pass: ['pass', 'testing.iconPassed'],
  fail: ['error', 'testing.iconFailed'],
  warning: ['warning', 'list.warningForeground'],
  'not-applicable': ['circle-slash', 'disabledForeground'],
  'needs-review': ['eye', 'notificationsInfoIcon.foreground'],
};

const STATUS_WORD: Record<ChecklistStatus, string> = {
  pass: 'Pass',
  fail: 'Fail',
  warning: 'Warning',
  'not-applicable': 'Not applicable',
  'needs-review': 'Needs review',
};

function evidenceLocation(folder: WorkspaceChecklist, e: Evidence): vscode.Location {
  const uri = vscode.Uri.joinPath(vscode.Uri.parse(folder.folder), ...e.file.split('/'));
  const r = e.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return new vscode.Location(uri, new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character));
}

function openCommand(location: vscode.Location): vscode.Command {
  return { title: 'Open', command: 'vscode.open', arguments: [location.uri, { selection: location.range, preserveFocus: false } satisfies vscode.TextDocumentShowOptions] };
}

export class ChecklistProvider implements vscode.TreeDataProvider<Node> {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private data: ChecklistResult | null = null;
  private loading: Promise<void> | null = null;
  failingOnly = false;
  view: vscode.TreeView<Node> | undefined;

  constructor(private readonly client: () => LanguageClient | undefined) {}

  /** Asks the server again (after a change notification, or Refresh with `rescan`). */
  refresh(rescan = false): void {
    this.loading = this.load(rescan);
  }

  private async load(rescan: boolean): Promise<void> {
    const client = this.client();
    if (!client?.isRunning()) return;
    try {
      this.data = await client.sendRequest<ChecklistResult>(ChecklistRequest, { rescan });
    } catch (e) {
      this.data = null;
      void vscode.window.showErrorMessage(`Parapet: could not compute the checklist (${e instanceof Error ? e.message : String(e)}).`);
    }
    this.updateDescription();
    this.emitter.fire(undefined);
  }

  private updateDescription(): void {
    if (!this.view) return;
    const reports = (this.data ?? []).map((f) => f.report).filter((r) => r !== null);
    const scanning = (this.data ?? []).find((f) => f.scan.state === 'scanning');
    if (scanning) this.view.description = `Scanning ${scanning.scan.done.toLocaleString('en-US')}/${scanning.scan.total.toLocaleString('en-US')}`;
    else if (reports.length === 0) this.view.description = '';
    else {
      const passed = reports.reduce((n, r) => n + r.score.passed, 0);
      const applicable = reports.reduce((n, r) => n + r.score.applicable, 0);
      this.view.description = `${passed}/${applicable} passed${this.failingOnly ? ' · failing only' : ''}`;
    }
  }

  setFailingOnly(on: boolean): void {
    this.failingOnly = on;
    void vscode.commands.executeCommand('setContext', 'parapet.checklist.failingOnly', on);
    this.updateDescription();
    this.emitter.fire(undefined);
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      if (!this.data) {
        if (!this.loading) this.refresh();
        await this.loading;
      }
      const folders = this.data ?? [];
      if (folders.length === 0) return [];
      if (folders.length > 1) return folders.map((folder) => ({ kind: 'folder', folder }));
      return this.folderChildren(folders[0]!);
    }
    if (node.kind === 'folder') return this.folderChildren(node.folder);
    if (node.kind === 'category') {
      return node.category.items.filter((i) => !this.failingOnly || this.failing(i)).map((item) => ({ kind: 'item', folder: node.folder, item }));
    }
    if (node.kind === 'item') return node.item.evidence.map((evidence) => ({ kind: 'evidence', folder: node.folder, evidence }));
    return [];
  }

  private failing(item: ChecklistItem): boolean {
    return (item.status === 'fail' || item.status === 'warning') && !item.review;
  }

  private folderChildren(folder: WorkspaceChecklist): Node[] {
    const report = folder.report;
    const out: Node[] = [];
    if (folder.scan.state === 'scanning' && !report) out.push({ kind: 'message', text: `Scanning ${folder.scan.done}/${folder.scan.total} files…`, icon: 'loading~spin' });
    for (const p of report?.problems ?? []) out.push({ kind: 'message', text: p, icon: 'warning' });
    for (const category of report?.categories ?? []) {
      if (this.failingOnly && !category.items.some((i) => this.failing(i))) continue;
      out.push({ kind: 'category', folder, category });
    }
    if (this.failingOnly && report && !out.some((n) => n.kind === 'category')) out.push({ kind: 'message', text: 'Nothing is failing.', icon: 'pass' });
    return out;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'folder': {
        const t = new vscode.TreeItem(path.basename(vscode.Uri.parse(node.folder.folder).fsPath), vscode.TreeItemCollapsibleState.Expanded);
        const r = node.folder.report;
        t.description = r ? `${r.score.passed}/${r.score.applicable}` : node.folder.scan.state;
        t.iconPath = new vscode.ThemeIcon('root-folder');
        return t;
      }
      case 'category': {
        const c = node.category;
        // Open where there is something to do; a category that passes stays folded.
        const open = c.items.some((i) => this.failing(i));
        const t = new vscode.TreeItem(c.title, open ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        t.id = `${node.folder.folder}#${c.id}`;
        t.description = c.applicable === 0 ? 'not applicable' : `${c.passed}/${c.applicable}`;
        const failing = c.items.some((i) => this.failing(i) && i.status === 'fail');
        const warning = c.items.some((i) => this.failing(i));
        t.iconPath = new vscode.ThemeIcon(
          failing ? 'shield' : 'shield',
          new vscode.ThemeColor(failing ? 'testing.iconFailed' : warning ? 'list.warningForeground' : c.applicable === 0 ? 'disabledForeground' : 'testing.iconPassed'),
        );
        t.tooltip = `${c.title}: ${c.passed} of ${c.applicable} applicable items pass or are reviewed`;
        t.contextValue = 'category';
        return t;
      }
      case 'item': {
        const i = node.item;
        const t = new vscode.TreeItem(i.title, i.evidence.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        t.id = `${node.folder.folder}#${i.id}`;
        const [icon, color] = i.review ? ['verified', 'testing.iconPassed'] : STATUS_ICON[i.status];
        t.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
        t.description = i.review ? `${STATUS_WORD[i.status]} · ${i.review.status === 'accepted-risk' ? 'accepted risk' : 'reviewed'}` : STATUS_WORD[i.status];
        const tip = new vscode.MarkdownString(undefined, true);
        tip.appendMarkdown(`**${i.title}** — ${STATUS_WORD[i.status]}\n\n`);
        tip.appendText(i.detail);
        if (i.review) tip.appendMarkdown(`\n\n*${i.review.status === 'accepted-risk' ? 'Accepted risk' : 'Reviewed'} on ${i.review.date}${i.review.by ? ` by ${i.review.by}` : ''}:* `).appendText(i.review.reason);
        if (i.rules.length) tip.appendMarkdown(`\n\nRules: ${i.rules.map((r) => `\`${r}\``).join(', ')}`);
        t.tooltip = tip;
        t.contextValue = i.review ? 'item.reviewed' : 'item';
        return t;
      }
      case 'evidence': {
        const loc = evidenceLocation(node.folder, node.evidence);
        const line = node.evidence.range ? `:${node.evidence.range.start.line + 1}` : '';
        const t = new vscode.TreeItem(node.evidence.message, vscode.TreeItemCollapsibleState.None);
        t.description = `${node.evidence.file}${line}`;
        t.iconPath = new vscode.ThemeIcon('go-to-file');
        t.command = openCommand(loc);
        t.tooltip = `${node.evidence.file}${line}: ${node.evidence.message}`;
        return t;
      }
      case 'message': {
        const t = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        if (node.icon) t.iconPath = new vscode.ThemeIcon(node.icon);
        t.tooltip = node.text;
        return t;
      }
    }
  }

  /** The folder and item of a tree node (for review commands). */
  static itemOf(node: unknown): { folder: string; item: ChecklistItem } | null {
    const n = node as Node | undefined;
    return n?.kind === 'item' ? { folder: n.folder.folder, item: n.item } : null;
  }

  folders(): WorkspaceChecklist[] {
    return this.data ?? [];
  }
}

type FindingNode =
  | { kind: 'category'; group: OwaspGroup }
  | { kind: 'rule'; rule: OwaspGroup['rules'][number] }
  | { kind: 'finding'; finding: OwaspGroup['rules'][number]['findings'][number] };

export class FindingsProvider implements vscode.TreeDataProvider<FindingNode> {
  private readonly emitter = new vscode.EventEmitter<FindingNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(private readonly client: () => LanguageClient | undefined) {}

  refresh(): void {
    this.emitter.fire(undefined);
  }

  async getChildren(node?: FindingNode): Promise<FindingNode[]> {
    if (!node) {
      const client = this.client();
      if (!client?.isRunning()) return [];
      const groups = await client.sendRequest<OwaspGroup[]>(FindingsByOwaspRequest).catch(() => [] as OwaspGroup[]);
      return groups.map((group) => ({ kind: 'category', group }));
    }
    if (node.kind === 'category') return node.group.rules.map((rule) => ({ kind: 'rule', rule }));
    if (node.kind === 'rule') return node.rule.findings.map((finding) => ({ kind: 'finding', finding }));
    return [];
  }

  getTreeItem(node: FindingNode): vscode.TreeItem {
    if (node.kind === 'category') {
      const n = node.group.rules.reduce((k, r) => k + r.findings.length, 0);
      const t = new vscode.TreeItem(`${node.group.category} ${node.group.title}`, vscode.TreeItemCollapsibleState.Collapsed);
      t.description = `${n}`;
      t.iconPath = new vscode.ThemeIcon('shield');
      return t;
    }
    if (node.kind === 'rule') {
      const t = new vscode.TreeItem(`${node.rule.ruleId} ${node.rule.ruleName}`, vscode.TreeItemCollapsibleState.Collapsed);
      t.description = `${node.rule.findings.length}`;
      t.iconPath = new vscode.ThemeIcon('law');
      t.contextValue = 'rule';
      t.tooltip = 'Right-click: Show Rule Documentation';
      return t;
    }
    const f = node.finding;
    const loc = evidenceLocation({ folder: f.folder, scan: { state: 'done', done: 0, total: 0 }, report: null }, { file: f.file, range: f.range, message: f.message });
    const t = new vscode.TreeItem(f.message.replace(/`/g, ''), vscode.TreeItemCollapsibleState.None);
    t.description = `${f.file}:${f.range.start.line + 1}`;
    t.iconPath = new vscode.ThemeIcon(f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'info');
    t.command = openCommand(loc);
    return t;
  }
}

/** Registers both views, their commands and the refresh on server notifications. */
export function registerChecklist(context: vscode.ExtensionContext, client: () => LanguageClient | undefined, onClientReady: (listener: (c: LanguageClient) => void) => void): void {
  const checklist = new ChecklistProvider(client);
  const findings = new FindingsProvider(client);
  const view = vscode.window.createTreeView('parapet.checklist', { treeDataProvider: checklist, showCollapseAll: true });
  checklist.view = view;
  const findingsView = vscode.window.createTreeView('parapet.findings', { treeDataProvider: findings, showCollapseAll: true });
  context.subscriptions.push(view, findingsView);
  void vscode.commands.executeCommand('setContext', 'parapet.checklist.failingOnly', false);

  onClientReady((c) => {
    context.subscriptions.push(
      c.onNotification(ChecklistChangedNotification, () => {
        if (view.visible) checklist.refresh();
        findings.refresh();
      }),
    );
    if (view.visible) checklist.refresh();
  });
  context.subscriptions.push(
    view.onDidChangeVisibility((e) => {
      if (e.visible) checklist.refresh();
    }),
  );

  const review = async (node: unknown, status: 'reviewed' | 'accepted-risk'): Promise<void> => {
    const target = ChecklistProvider.itemOf(node);
    const c = client();
    if (!target || !c) return;
    const reason = await vscode.window.showInputBox({
      title: status === 'reviewed' ? `Mark "${target.item.title}" as reviewed` : `Accept the risk of "${target.item.title}"`,
      prompt: 'Why? This is stored in .parapet/checklist.json, to be committed and shared with your team.',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim().length < 3 ? 'Give a short reason.' : null),
    });
    if (!reason) return;
    const date = new Date().toISOString().slice(0, 10);
    await c.sendRequest(SetReviewRequest, { folder: target.folder, itemId: target.item.id, review: { status, reason: reason.trim(), date } });
    checklist.refresh();
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('parapet.checklist.refresh', () => {
      checklist.refresh(true);
      findings.refresh();
    }),
    vscode.commands.registerCommand('parapet.checklist.showFailing', () => checklist.setFailingOnly(true)),
    vscode.commands.registerCommand('parapet.checklist.showAll', () => checklist.setFailingOnly(false)),
    vscode.commands.registerCommand('parapet.checklist.markReviewed', (node: unknown) => review(node, 'reviewed')),
    vscode.commands.registerCommand('parapet.checklist.acceptRisk', (node: unknown) => review(node, 'accepted-risk')),
    vscode.commands.registerCommand('parapet.checklist.clearReview', async (node: unknown) => {
      const target = ChecklistProvider.itemOf(node);
      const c = client();
      if (!target || !c) return;
      await c.sendRequest(SetReviewRequest, { folder: target.folder, itemId: target.item.id, review: null });
      checklist.refresh();
    }),
    vscode.commands.registerCommand('parapet.exportReport', async () => {
      const c = client();
      if (!c) return;
      let folders = checklist.folders();
      if (folders.length === 0) {
        folders = await c.sendRequest<ChecklistResult>(ChecklistRequest, {});
      }
      const folder = folders.length > 1 ? (await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Export the security report of' }))?.uri.toString() : folders[0]?.folder;
      if (!folder) {
        void vscode.window.showInformationMessage('Parapet: open a folder to export its security report.');
        return;
      }
      const state = folders.find((f) => f.folder === folder);
      if (state && state.scan.state !== 'done') {
        const go = await vscode.window.showWarningMessage('Parapet: the workspace scan has not finished; the report will cover only the files scanned so far.', 'Export Anyway');
        if (!go) return;
      }
      const target = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.joinPath(vscode.Uri.parse(folder), 'SECURITY-REPORT.md'),
        filters: { Markdown: ['md'] },
        title: 'Export Security Report',
      });
      if (!target) return;
      try {
        await c.sendRequest(ExportReportRequest, { folder, target: target.fsPath });
      } catch (e) {
        void vscode.window.showErrorMessage(`Parapet: could not write the report (${e instanceof Error ? e.message : String(e)}).`);
        return;
      }
      const open = await vscode.window.showInformationMessage(`Parapet: security report written to ${vscode.workspace.asRelativePath(target)}.`, 'Open');
      if (open) await vscode.commands.executeCommand('markdown.showPreview', target);
    }),
  );
}
