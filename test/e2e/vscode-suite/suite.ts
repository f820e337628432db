// The end-to-end checks expressed against the VS Code API, for @vscode/test-electron (and
// any VS Code that accepts --extensionTestsPath). The workspace is a folder holding
// headline.py (see HEADLINE in ../scenarios.test.ts).

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const HEADLINE = `import random
import sqlite3

import jwt


def reset_password(conn, email):
    reset_code = random.randint(100000, 999999)
    conn.execute(f"UPDATE users SET code = {reset_code} WHERE email = '{email}'")
    return reset_code


def current_user(token, key):
    return jwt.decode(token, key)
`;

async function diagnostics(uri: vscode.Uri, ok: (d: vscode.Diagnostic[]) => boolean, timeoutMs = 60_000): Promise<vscode.Diagnostic[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ds = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'parapet');
    if (ok(ds)) return ds;
    if (Date.now() > deadline) throw new Error(`diagnostics never matched; last: ${JSON.stringify(ds.map((d) => d.code))}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function code(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code);
}

async function openFresh(name: string): Promise<vscode.TextDocument> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the suite needs a workspace folder');
  const uri = vscode.Uri.joinPath(folder.uri, name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(HEADLINE));
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  return doc;
}

export function registerSuite(): void {
  describe('Parapet through the VS Code API', () => {
    it('reports the three headline problems with codes and ranges', async () => {
      const doc = await openFresh('api-headline.py');
      const ds = await diagnostics(doc.uri, (d) => d.length >= 3);
      assert.deepEqual(
        ds.map((d) => `${code(d)}@${d.range.start.line + 1}:${d.range.start.character + 1}`).sort(),
        ['SEC311@8:18', 'SEC520@14:12', 'SEC608@9:18'],
      );
      assert.ok(ds.every((d) => d.severity === vscode.DiagnosticSeverity.Error));
    });

    it('hovers with OWASP 2025/2021 categories and CWE links', async () => {
      const doc = await openFresh('api-hover.py');
      await diagnostics(doc.uri, (d) => d.length >= 3);
      const pos = doc.positionAt(HEADLINE.indexOf('jwt.decode') + 2);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      assert.match(text, /A07:2025 Authentication Failures/);
      assert.match(text, /A07:2021 Identification and Authentication Failures/);
      assert.match(text, /https:\/\/cwe\.mitre\.org\/data\/definitions\/347\.html/);
    });

    it('offers the fix, the ignore comment and the docs; the fix clears the finding', async () => {
      const doc = await openFresh('api-actions.py');
      const ds = await diagnostics(doc.uri, (d) => d.length >= 3);
      const sql = ds.find((d) => code(d) === 'SEC608')!;
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, sql.range, vscode.CodeActionKind.QuickFix.value);
      const titles = actions.map((a) => a.title);
      assert.ok(titles[0]!.startsWith('Use a parameterised query (sqlite3'), titles.join(' | '));
      assert.ok(titles.includes('Ignore SEC608 on this line'), titles.join(' | '));
      assert.ok(titles.includes('Show documentation for SEC608'), titles.join(' | '));
      assert.ok(await vscode.workspace.applyEdit(actions[0]!.edit!));
      assert.match(doc.getText(), /conn\.execute\("UPDATE users SET code = \? WHERE email = \?", \(reset_code, email\)\)/);
      await diagnostics(doc.uri, (d) => d.length === 2 && !d.some((x) => code(x) === 'SEC608'));
    });

    it('Fix All applies safe fixes only', async () => {
      const doc = await openFresh('api-fixall.py');
      await diagnostics(doc.uri, (d) => d.length >= 3);
      await vscode.commands.executeCommand('parapet.fixAll');
      const left = await diagnostics(doc.uri, (d) => d.length === 1);
      assert.equal(code(left[0]!), 'SEC520');
      assert.match(doc.getText(), /secrets\.randbelow\(900000\) \+ 100000/);
    });

    it('turning a rule off in settings clears it', async () => {
      const doc = await openFresh('api-settings.py');
      await diagnostics(doc.uri, (d) => d.length >= 3);
      const config = vscode.workspace.getConfiguration('parapet');
      await config.update('rules.ignore', ['SEC608'], vscode.ConfigurationTarget.Global);
      try {
        await diagnostics(doc.uri, (d) => d.length === 2 && !d.some((x) => code(x) === 'SEC608'));
      } finally {
        await config.update('rules.ignore', undefined, vscode.ConfigurationTarget.Global);
      }
    });
  });
}
