// A status bar item with the number of Parapet findings in the active file (or notebook); it
// opens the Problems view. Counted from the diagnostics VS Code holds, so it is always what the
// Problems view shows; faded diagnostics (baselined findings, unused suppressions) are counted
// apart. Shown only while a Python file or notebook is active.

import * as vscode from 'vscode';

const SOURCE = 'parapet';

export interface FindingCount {
  findings: number;
  errors: number;
  faded: number;
}

/** Counts Parapet's diagnostics, leaving out faded ones (tagged Unnecessary). */
export function countFindings(diagnostics: readonly vscode.Diagnostic[]): FindingCount {
  const count: FindingCount = { findings: 0, errors: 0, faded: 0 };
  for (const d of diagnostics) {
    if (d.source !== SOURCE) continue;
    if (d.tags?.includes(vscode.DiagnosticTag.Unnecessary)) count.faded++;
    else {
      count.findings++;
      if (d.severity === vscode.DiagnosticSeverity.Error) count.errors++;
    }
  }
  return count;
}

/** The documents the active editor shows: the file, or every cell of the active notebook. */
function activeUris(): vscode.Uri[] | undefined {
  const notebook = vscode.window.activeNotebookEditor?.notebook;
  const editor = vscode.window.activeTextEditor;
  if (notebook && (!editor || editor.document.uri.scheme === 'vscode-notebook-cell')) {
    return notebook.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code).map((c) => c.document.uri);
  }
  if (editor && editor.document.languageId === 'python') return [editor.document.uri];
  return undefined;
}

export function registerStatusBar(context: vscode.ExtensionContext): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('parapet.findings', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Parapet Findings';
  item.command = { title: 'Show Problems', command: 'workbench.actions.view.problems' };
  const update = (): void => {
    const uris = activeUris();
    if (!uris) {
      item.hide();
      return;
    }
    const c = countFindings(uris.flatMap((u) => vscode.languages.getDiagnostics(u)));
    item.text = c.findings ? `$(shield) ${c.findings}` : '$(shield) $(check)';
    const lines = [c.findings ? `Parapet: ${c.findings} security finding${c.findings === 1 ? '' : 's'} in this ${uris.length > 1 ? 'notebook' : 'file'}${c.errors ? ` (${c.errors} error${c.errors === 1 ? '' : 's'})` : ''}` : `Parapet: no security findings in this ${uris.length > 1 ? 'notebook' : 'file'}`];
    if (c.faded) lines.push(`${c.faded} faded (baselined findings or unused suppressions)`);
    lines.push('Click to open the Problems view');
    item.tooltip = lines.join('\n');
    item.accessibilityInformation = { label: lines[0]!, role: 'button' };
    item.show();
  };
  context.subscriptions.push(
    item,
    vscode.languages.onDidChangeDiagnostics((e) => {
      const uris = activeUris();
      if (uris && e.uris.some((u) => uris.some((a) => a.toString() === u.toString()))) update();
    }),
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.window.onDidChangeActiveNotebookEditor(update),
  );
  update();
  return item;
}
