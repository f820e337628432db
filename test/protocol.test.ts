// Protocol tests: the real bundled server over stdio, driven the way an editor drives it.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeAction, Diagnostic, MarkupContent, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { ensureBuilt, fileUri, TestClient } from './support/lsp-client';

const HEADLINE = `import random
import sqlite3

import jwt


def reset_password(conn, email):
    reset_code = random.randint(100000, 999999)
    cursor = conn.cursor()
    cursor.execute(f"SELECT id FROM users WHERE email = '{email}'")
    return reset_code


def current_user(token, key):
    return jwt.decode(token, key)
`;

function codes(ds: Diagnostic[]): string[] {
  return ds.map((d) => `${d.code}@${d.range.start.line + 1}:${d.range.start.character + 1}`).sort();
}

function isAction(a: unknown): a is CodeAction {
  return typeof a === 'object' && a !== null && 'title' in a && !('command' in a && typeof (a as { command: unknown }).command === 'string');
}

describe('language server protocol', function () {
  this.timeout(30_000);
  let tmp: string;
  let client: TestClient;

  before(() => {
    ensureBuilt();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-lsp-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  afterEach(async () => {
    await client?.stop();
  });

  it('declares incremental sync, pull diagnostics, code actions, hover and commands', async () => {
    client = new TestClient({ workspace: tmp });
    const init = await client.initialize();
    const caps = init.capabilities;
    assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2, save: { includeText: false } });
    assert.ok(caps.diagnosticProvider, 'pull diagnostics');
    assert.equal(caps.hoverProvider, true);
    assert.deepEqual((caps.codeActionProvider as { codeActionKinds: string[] }).codeActionKinds, ['quickfix', 'source.fixAll.parapet']);
    assert.ok(caps.executeCommandProvider?.commands.includes('parapet.server.applyAutoFixes'));
    assert.equal(init.serverInfo?.name, 'parapet');
  });

  it('pulls diagnostics for the three headline problems with codes, links and fixes', async () => {
    client = new TestClient({ workspace: tmp });
    await client.initialize();
    const uri = fileUri(path.join(tmp, 'app.py'));
    await client.open(uri, HEADLINE);
    const ds = await client.diagnostics(uri);
    assert.deepEqual(codes(ds), ['SEC311@8:18', 'SEC520@15:12', 'SEC608@10:20']);
    for (const d of ds) {
      assert.equal(d.source, 'parapet');
      assert.match(d.codeDescription!.href, /RULES\.md#sec\d{3}-[a-z-]+$/);
      assert.equal(d.severity, 1);
      const data = d.data as { version: number; fixes: unknown[] };
      assert.equal(data.version, 1);
      assert.ok(data.fixes.length >= 1, `${d.code} carries its fixes`);
    }
  });

  it('answers an unchanged report when nothing changed, and a new one after an incremental edit', async () => {
    client = new TestClient({ workspace: tmp });
    await client.initialize();
    const uri = fileUri(path.join(tmp, 'inc.py'));
    await client.open(uri, HEADLINE);
    const first = await client.pull(uri);
    assert.equal(first.kind, 'full');
    const again = await client.pull(uri, (first as { resultId: string }).resultId);
    assert.equal(again.kind, 'unchanged');
    // Insert two lines at the top: every finding moves down by two.
    await client.edit(uri, 0, 0, '# header\n\n');
    assert.deepEqual(codes(await client.diagnostics(uri)), ['SEC311@10:18', 'SEC520@17:12', 'SEC608@12:20']);
    // Edit inside the f-string: still reported, same place; only that function is analysed
    // again, the finding in the other one is carried over from the last analysis.
    const text = client.docs.get(uri)!.getText();
    const at = text.indexOf('SELECT id');
    await client.edit(uri, at, at + 'SELECT id'.length, 'SELECT id, name');
    assert.deepEqual(codes(await client.diagnostics(uri)), ['SEC311@10:18', 'SEC520@17:12', 'SEC608@12:20']);
    assert.deepEqual(client.statuses.filter((s) => s.state === 'ready').at(-1)?.reanalysed, { units: 1, of: 3 });
    // Fix the JWT call by typing: the finding disappears.
    const t2 = client.docs.get(uri)!.getText();
    const close = t2.indexOf('jwt.decode(token, key)') + 'jwt.decode(token, key'.length;
    await client.edit(uri, close, close, ', algorithms=["HS256"]');
    assert.deepEqual(codes(await client.diagnostics(uri)), ['SEC311@10:18', 'SEC608@12:20']);
  });

  it('pushes diagnostics with the document version to clients that do not pull, dropping stale ones', async () => {
    client = new TestClient({ workspace: tmp, pull: false });
    const init = await client.initialize();
    assert.equal(init.capabilities.diagnosticProvider, undefined);
    const uri = fileUri(path.join(tmp, 'push.py'));
    const opened = client.nextPush(uri, 1);
    await client.open(uri, HEADLINE);
    const p1 = await opened;
    assert.deepEqual(codes(p1.diagnostics), ['SEC311@8:18', 'SEC520@15:12', 'SEC608@10:20']);
    // Three quick edits: only the last version is published.
    const before = client.pushed.get(uri)!.length;
    await client.edit(uri, 0, 0, '#');
    await client.edit(uri, 1, 1, ' a');
    const v = await client.edit(uri, 3, 3, '\n');
    const last = await client.nextPush(uri, v);
    assert.equal(last.version, v);
    const published = client.pushed.get(uri)!.slice(before).map((p) => p.version);
    assert.deepEqual(published, [v], 'intermediate versions were not published');
    assert.deepEqual(codes(last.diagnostics), ['SEC311@9:18', 'SEC520@16:12', 'SEC608@11:20']);
  });

  it('offers the fix, "Ignore on this line" and documentation, in that order; the fix clears the finding', async () => {
    client = new TestClient({ workspace: tmp, initializationOptions: { client: 'vscode' } });
    await client.initialize();
    const uri = fileUri(path.join(tmp, 'actions.py'));
    await client.open(uri, HEADLINE);
    const ds = await client.diagnostics(uri);
    const sql = ds.find((d) => d.code === 'SEC608')!;
    const actions = (await client.codeActions(uri, sql.range, [sql])).filter(isAction);
    const titles = actions.map((a) => a.title);
    assert.deepEqual(titles.slice(0, 3), ['Use a parameterised query (sqlite3 `?` placeholders)', 'Ignore SEC608 on this line', 'Show documentation for SEC608']);
    assert.equal(actions[0]!.isPreferred, true);
    assert.deepEqual(actions[2]!.command, { title: 'Show documentation for SEC608', command: 'parapet.showRuleDocumentation', arguments: ['SEC608'] });
    const fixed = client.applyLocally(uri, actions[0]!.edit!);
    assert.match(fixed, /cursor\.execute\("SELECT id FROM users WHERE email = \?", \(email,\)\)/);
    await client.change(uri, [{ text: fixed }]);
    assert.deepEqual(codes(await client.diagnostics(uri)).filter((c) => c.startsWith('SEC608')), []);
    // Ignore on this line: the comment is added and the finding goes away.
    const ds2 = await client.diagnostics(uri);
    const rnd = ds2.find((d) => d.code === 'SEC311')!;
    const ignore = (await client.codeActions(uri, rnd.range, [rnd])).filter(isAction).find((a) => a.title === 'Ignore SEC311 on this line')!;
    const ignored = client.applyLocally(uri, ignore.edit!);
    assert.match(ignored, /reset_code = random\.randint\(100000, 999999\)  # parapet: ignore\[SEC311\]\n/);
    await client.change(uri, [{ text: ignored }]);
    assert.deepEqual(codes(await client.diagnostics(uri)), ['SEC520@15:12']);
  });

  it('answers code actions for a stale diagnostic from the current analysis', async () => {
    client = new TestClient({ workspace: tmp });
    await client.initialize();
    const uri = fileUri(path.join(tmp, 'stale.py'));
    await client.open(uri, HEADLINE);
    const ds = await client.diagnostics(uri);
    const jwtDiag = ds.find((d) => d.code === 'SEC520')!;
    // Change something unrelated far above; the diagnostic's data is now for version 1.
    await client.edit(uri, 0, 0, ' '.repeat(0));
    await client.change(uri, [{ range: { start: { line: 14, character: 0 }, end: { line: 14, character: 0 } }, text: '' }]);
    const actions = (await client.codeActions(uri, jwtDiag.range, [jwtDiag])).filter(isAction);
    assert.ok(actions.some((a) => a.title.startsWith('Add `algorithms=')), actions.map((a) => a.title).join(', '));
    const edit = actions.find((a) => a.title.startsWith('Add `algorithms='))!.edit!;
    assert.equal((edit.documentChanges![0] as TextDocumentEdit).textDocument.version, client.docs.get(uri)!.version);
  });

  it('hovers a finding with OWASP 2025 and 2021 categories and linked CWEs', async () => {
    client = new TestClient({ workspace: tmp });
    await client.initialize();
    const uri = fileUri(path.join(tmp, 'hover.py'));
    await client.open(uri, HEADLINE);
    await client.diagnostics(uri);
    const h = await client.hover(uri, HEADLINE.indexOf('jwt.decode') + 2);
    const md = (h!.contents as MarkupContent).value;
    assert.match(md, /SEC520 jwt-decode-without-algorithms/);
    assert.match(md, /\[A07:2025 Authentication Failures\]\(https:\/\/owasp\.org\/Top10\/2025\/A07_2025-Authentication_Failures\/\)/);
    assert.match(md, /\[A07:2021 Identification and Authentication Failures\]\(https:\/\/owasp\.org\/Top10\/A07_2021-Identification_and_Authentication_Failures\/\)/);
    assert.match(md, /\[CWE-347\]\(https:\/\/cwe\.mitre\.org\/data\/definitions\/347\.html\)/);
    assert.match(md, /### Example/);
    assert.match(md, /### Use instead/);
    assert.match(md, /Fix available/);
    assert.equal(await client.hover(uri, HEADLINE.indexOf('import sqlite3') + 3), null);
  });

  it('hovers a rule id inside a suppression comment', async () => {
    client = new TestClient({ workspace: tmp });
    await client.initialize();
    const uri = fileUri(path.join(tmp, 'hover2.py'));
    const text = 'import random\ntoken = random.randint(0, 9)  # nosec B311\nx = 1  # parapet: ignore[SEC999]\n';
    await client.open(uri, text);
    await client.diagnostics(uri);
    const md = ((await client.hover(uri, text.indexOf('B311') + 1))!.contents as MarkupContent).value;
    assert.match(md, /SEC311 random-security-value/);
    const unknown = ((await client.hover(uri, text.indexOf('SEC999') + 2))!.contents as MarkupContent).value;
    assert.match(unknown, /Unknown rule `SEC999`/);
  });

  it('fix-all applies safe fixes only, as a source action and as a command', async () => {
    client = new TestClient({ workspace: tmp });
    await client.initialize();
    const uri = fileUri(path.join(tmp, 'fixall.py'));
    await client.open(uri, HEADLINE);
    const actions = (await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], ['source.fixAll'])).filter(isAction);
    assert.equal(actions.length, 1);
    assert.equal(actions[0]!.kind, 'source.fixAll.parapet');
    const fixed = client.applyLocally(uri, actions[0]!.edit!);
    assert.match(fixed, /secrets\.randbelow\(900000\) \+ 100000/);
    assert.match(fixed, /cursor\.execute\("SELECT id FROM users WHERE email = \?", \(email,\)\)/);
    assert.match(fixed, /jwt\.decode\(token, key\)/, 'the unsafe HS256 assumption is not applied by fix-all');
    assert.match(fixed, /^import random\nimport sqlite3\n\nimport jwt\nimport secrets\n/);
    const ok = await client.execute('parapet.server.applyAutoFixes', [{ uri, version: 1 }]);
    assert.equal(ok, true);
    assert.equal(client.applied.length, 1);
    assert.equal(client.applyLocally(uri, client.applied[0]!), fixed);
  });

  it('applies editor settings and re-reads them when they change', async () => {
    client = new TestClient({ workspace: tmp, settings: { rules: { ignore: ['SEC311'], severity: { SEC608: 'warning' } } } });
    await client.initialize();
    const uri = fileUri(path.join(tmp, 'settings.py'));
    await client.open(uri, HEADLINE);
    const ds = await client.diagnostics(uri);
    assert.deepEqual(codes(ds), ['SEC520@15:12', 'SEC608@10:20']);
    assert.equal(ds.find((d) => d.code === 'SEC608')!.severity, 2);
    await client.changeSettings({ enable: true });
    // The refresh is debounced (100 ms); poll instead of guessing how long a loaded machine takes.
    for (let i = 0; i < 100 && client.refreshes === 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(client.refreshes >= 1, 'asked the client to re-pull');
    assert.deepEqual(codes(await client.diagnostics(uri)), ['SEC311@8:18', 'SEC520@15:12', 'SEC608@10:20']);
    await client.changeSettings({ enable: false });
    assert.deepEqual(await client.diagnostics(uri), []);
  });

  it('reports settings of the wrong type once and applies the rest', async () => {
    client = new TestClient({ workspace: tmp, settings: { run: 'sometimes', rules: { ignore: 'SEC311', severity: { SEC520: 'loud' } }, minConfidence: 'high' } });
    await client.initialize();
    const uri = fileUri(path.join(tmp, 'badsettings.py'));
    await client.open(uri, HEADLINE);
    assert.deepEqual(codes(await client.diagnostics(uri)), ['SEC311@8:18', 'SEC520@15:12', 'SEC608@10:20']);
    await client.diagnostics(uri);
    const warnings = client.messages.filter((m) => m.type === 2).map((m) => m.message);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0]!, /parapet\.run/);
    assert.ok(client.logs.some((l) => /parapet\.rules\.ignore/.test(l)));
    assert.ok(client.logs.some((l) => /parapet\.rules\.severity\.SEC520/.test(l)));
  });

  it('reads [tool.parapet] from pyproject.toml, and reports an invalid one without stopping', async () => {
    const project = fs.mkdtempSync(path.join(tmp, 'proj-'));
    fs.writeFileSync(path.join(project, 'pyproject.toml'), '[tool.parapet]\nignore = ["SEC311", "SEC9999"]\nper-file-ignores = { "legacy/*.py" = ["SEC608"] }\n');
    fs.mkdirSync(path.join(project, 'legacy'));
    client = new TestClient({ workspace: project });
    await client.initialize();
    const a = fileUri(path.join(project, 'app.py'));
    const b = fileUri(path.join(project, 'legacy', 'old.py'));
    await client.open(a, HEADLINE);
    await client.open(b, HEADLINE);
    assert.deepEqual(codes(await client.diagnostics(a)), ['SEC520@15:12', 'SEC608@10:20']);
    assert.deepEqual(codes(await client.diagnostics(b)), ['SEC520@15:12']);
    assert.ok(client.messages.some((m) => /unknown rule selector `SEC9999`/.test(m.message)), 'unknown id reported');
    fs.writeFileSync(path.join(project, 'pyproject.toml'), '[tool.parapet]\nignore = ["SEC311"\n');
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(path.join(project, 'pyproject.toml')), type: 2 }] });
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(codes(await client.diagnostics(a)), ['SEC311@8:18', 'SEC520@15:12', 'SEC608@10:20']);
    assert.ok(client.messages.some((m) => /invalid TOML/.test(m.message)), client.messages.map((m) => m.message).join('\n'));
  });

  it('with run = onSave, reports what was saved', async () => {
    client = new TestClient({ workspace: tmp, settings: { run: 'onSave' } });
    await client.initialize();
    const uri = fileUri(path.join(tmp, 'onsave.py'));
    await client.open(uri, 'x = 1\n');
    assert.deepEqual(await client.diagnostics(uri), []);
    await client.change(uri, [{ text: HEADLINE }]);
    assert.deepEqual(await client.diagnostics(uri), [], 'not analysed until saved');
    await client.save(uri);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(codes(await client.diagnostics(uri)), ['SEC311@8:18', 'SEC520@15:12', 'SEC608@10:20']);
  });

  it('puts findings on the right UTF-16 columns after emoji and CJK text', async () => {
    client = new TestClient({ workspace: tmp });
    await client.initialize();
    const uri = fileUri(path.join(tmp, 'unicode.py'));
    const line = 'label = "😀 中文 🎉"; token = random.randint(0, 9)  # 注释 😀';
    const text = `import random\n${line}\n`;
    await client.open(uri, text);
    const [d] = await client.diagnostics(uri);
    const col = line.indexOf('random.randint');
    assert.deepEqual(d!.range, { start: { line: 1, character: col }, end: { line: 1, character: col + 'random.randint(0, 9)'.length } });
    // Each of the two emoji before the call is a surrogate pair: two UTF-16 units, one code point.
    assert.equal(col, [...line.slice(0, col)].length + 2);
  });
});
