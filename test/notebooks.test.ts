// Jupyter notebooks: analysed as one program across cells, reported per cell, through the
// language server (notebook document sync) and the command line (`file.ipynb:cell N:line`).

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeAction, Diagnostic, MarkupContent, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol';
import { combineCells, neutraliseIPython } from '../server/src/engine/notebook';
import { ensureBuilt, fileUri, ROOT, TestClient } from './support/lsp-client';

const CELLS = [
  '%matplotlib inline\nimport random\nimport sqlite3',
  '# Notes are markdown',
  'conn = sqlite3.connect("x.db")\nname = input()\nconn.execute(f"SELECT * FROM t WHERE name = \'{name}\'")',
  '!pip install pyyaml\napi_token = random.randint(0, 9)',
];

describe('notebooks', function () {
  this.timeout(60_000);

  describe('combining cells', () => {
    it('keeps offsets while neutralising IPython syntax', () => {
      const src = '%matplotlib inline\n!ls\nfiles = !ls -la\nx?\nimport os\n';
      const out = neutraliseIPython(src);
      assert.equal(out.length, src.length);
      assert.equal(out, '#matplotlib inline\n#ls\nfiles = 0      \n#?\nimport os\n');
      assert.equal(neutraliseIPython('%%bash\necho hi | sh\n'), '#%bash\n#cho hi | sh\n');
      assert.equal(neutraliseIPython('%%time\nimport os\n'), '#%time\nimport os\n');
    });

    it('joins code cells only and maps back to each', () => {
      const nb = combineCells(CELLS.map((source, index) => ({ index, source, kind: index === 1 ? 'markdown' : 'code' })));
      assert.deepEqual(nb.cells.map((c) => c.index), [0, 2, 3]);
      for (const c of nb.cells) assert.equal(nb.text.slice(c.start, c.end), neutraliseIPython(CELLS[c.index]!));
    });
  });

  describe('language server', () => {
    let client: TestClient;
    let tmp: string;
    before(() => {
      ensureBuilt();
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-nb-'));
    });
    after(async () => {
      await client?.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    });

    const nbUri = (): string => fileUri(path.join(tmp, 'analysis.ipynb'));
    const cellUri = (i: number): string => `vscode-notebook-cell:${path.join(tmp, 'analysis.ipynb')}#cell${i}`;

    it('declares notebook sync and reports each cell, resolving imports from other cells', async () => {
      client = new TestClient({ workspace: tmp, initializationOptions: { client: 'vscode' } });
      const init = await client.initialize();
      assert.deepEqual(init.capabilities.notebookDocumentSync, { notebookSelector: [{ notebook: { notebookType: 'jupyter-notebook' }, cells: [{ language: 'python' }] }] });
      await client.conn.sendNotification('notebookDocument/didOpen', {
        notebookDocument: { uri: nbUri(), notebookType: 'jupyter-notebook', version: 1, cells: CELLS.map((_, i) => ({ kind: i === 1 ? 1 : 2, document: cellUri(i) })) },
        cellTextDocuments: CELLS.map((text, i) => ({ uri: cellUri(i), languageId: i === 1 ? 'markdown' : 'python', version: 1, text })),
      });
      const codes = async (i: number): Promise<string[]> => (await client.diagnostics(cellUri(i))).map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`);
      assert.deepEqual(await codes(0), []);
      assert.deepEqual(await codes(1), []);
      // SEC901: `name` comes from input() in the same cell.
      assert.deepEqual(await codes(2), ['SEC608@2:13', 'SEC901@2:13']);
      assert.deepEqual(await codes(3), ['SEC311@1:12']);
    });

    it('offers a fix that edits two cells (the call and the import)', async () => {
      const [d] = await client.diagnostics(cellUri(3));
      const actions = (await client.codeActions(cellUri(3), d!.range, [d as Diagnostic])) as CodeAction[];
      const fix = actions.find((a) => a.title.startsWith('Use `secrets.randbelow()`'))!;
      const changes = fix.edit!.documentChanges as TextDocumentEdit[];
      assert.deepEqual(changes.map((c) => c.textDocument.uri).sort(), [cellUri(0), cellUri(3)].sort());
      const importEdit = changes.find((c) => c.textDocument.uri === cellUri(0))!.edits[0] as TextEdit;
      assert.equal(importEdit.newText, '\nimport secrets', 'added after the imports, at the end of the first cell');
      assert.deepEqual(importEdit.range.start, { line: 2, character: 14 });
      assert.ok(actions.some((a) => a.title === 'Ignore SEC311 on this line'));
      assert.ok(actions.some((a) => a.title === 'Show documentation for SEC311'));
    });

    it('hovers a finding in a cell', async () => {
      const h = await client.conn.sendRequest('textDocument/hover', { textDocument: { uri: cellUri(2) }, position: { line: 2, character: 20 } });
      assert.match((h as { contents: MarkupContent }).contents.value, /SEC608 formatted-sql-query[\s\S]*A05:2025 Injection/);
    });

    it('follows structural and text edits: an import in one cell decides what another reports', async () => {
      // Insert two cells: `from yaml import load` and a call `load(data)` after it.
      await client.conn.sendNotification('notebookDocument/didChange', {
        notebookDocument: { uri: nbUri(), version: 2 },
        change: {
          cells: {
            structure: {
              array: { start: 4, deleteCount: 0, cells: [{ kind: 2, document: cellUri(8) }, { kind: 2, document: cellUri(9) }] },
              didOpen: [
                { uri: cellUri(8), languageId: 'python', version: 1, text: 'from yaml import load' },
                { uri: cellUri(9), languageId: 'python', version: 1, text: 'config = load(stream)' },
              ],
            },
          },
        },
      });
      assert.deepEqual((await client.diagnostics(cellUri(9))).map((d) => d.code), ['SEC506']);
      // Change the import in the other cell: `load` is now json's, and the finding goes.
      await client.conn.sendNotification('notebookDocument/didChange', {
        notebookDocument: { uri: nbUri(), version: 3 },
        change: { cells: { textContent: [{ document: { uri: cellUri(8), version: 2 }, changes: [{ range: { start: { line: 0, character: 5 }, end: { line: 0, character: 9 } }, text: 'json' }] }] } },
      });
      assert.deepEqual((await client.diagnostics(cellUri(9))).map((d) => d.code), []);
      // Deleting the cell removes its diagnostics' owner; the other cells still report.
      await client.conn.sendNotification('notebookDocument/didChange', {
        notebookDocument: { uri: nbUri(), version: 4 },
        change: { cells: { structure: { array: { start: 4, deleteCount: 2 }, didClose: [{ uri: cellUri(8) }, { uri: cellUri(9) }] } } },
      });
      assert.deepEqual((await client.diagnostics(cellUri(9))).map((d) => d.code), []);
      assert.deepEqual((await client.diagnostics(cellUri(3))).map((d) => d.code), ['SEC311']);
    });
  });

  describe('command line', () => {
    it('reads .ipynb files, reports file.ipynb:cell N:line, and --fix rewrites the cells', () => {
      ensureBuilt();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-nbcli-'));
      const nb = {
        cells: CELLS.map((src, i) => ({ cell_type: i === 1 ? 'markdown' : 'code', metadata: {}, source: src.split(/(?<=\n)/), ...(i === 1 ? {} : { outputs: [], execution_count: null }) })),
        metadata: { kernelspec: { language: 'python', name: 'python3', display_name: 'Python 3' } },
        nbformat: 4,
        nbformat_minor: 5,
      };
      fs.writeFileSync(path.join(dir, 'analysis.ipynb'), JSON.stringify(nb, null, 1) + '\n');
      fs.writeFileSync(path.join(dir, 'broken.ipynb'), '{"cells": ');
      const cli = (args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'server', 'out', 'cli.js'), ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      const r = cli(['check', '.']);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stdout, /^analysis\.ipynb:cell 3:3:14: SEC608 /m);
      assert.match(r.stdout, /^analysis\.ipynb:cell 4:2:13: SEC311 /m);
      assert.match(r.stderr, /broken\.ipynb: not a valid notebook \(invalid JSON/);
      const json = JSON.parse(cli(['check', '--format', 'json', 'analysis.ipynb']).stdout) as { cell: number; line: number; rule: string }[];
      assert.deepEqual(json.map((j) => `${j.rule}@${j.cell}:${j.line}`), ['SEC608@3:3', 'SEC901@3:3', 'SEC311@4:2']);
      const fixed = cli(['check', '--fix', 'analysis.ipynb']);
      assert.equal(fixed.status, 0, fixed.stdout + fixed.stderr);
      const after = JSON.parse(fs.readFileSync(path.join(dir, 'analysis.ipynb'), 'utf8')) as { cells: { source: string[] }[] };
      assert.deepEqual(after.cells[0]!.source, ['%matplotlib inline\n', 'import random\n', 'import sqlite3\n', 'import secrets']);
      assert.deepEqual(after.cells[2]!.source.at(-1), 'conn.execute("SELECT * FROM t WHERE name = ?", (name,))');
      assert.deepEqual(after.cells[3]!.source, ['!pip install pyyaml\n', 'api_token = secrets.randbelow(10)']);
      assert.match(fs.readFileSync(path.join(dir, 'analysis.ipynb'), 'utf8'), /^\{\n "cells": \[\n  \{\n   "cell_type"/, 'nbformat layout (indent 1) kept');
      fs.rmSync(dir, { recursive: true, force: true });
    });
  });
});
