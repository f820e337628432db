// Memory held for open documents: syntax trees live in wasm memory until deleted, and the
// per-tree memos the rules fill (parents, call arguments, enclosing functions) hold Node
// objects on the JS heap. The language server keeps one tree per open file, so an analysis
// must not leave its memos behind, and edits must not leave trees behind.

import * as assert from 'node:assert/strict';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { parsePython, parserInput, parserMemory, treeCacheCount } from '../server/src/engine/parser';
import { lineIndex } from '../server/src/engine/analyze';
import { analyzeTree } from '../server/src/engine/runner';
import { callArgs, enclosingFunction, nodesOfTypes } from '../server/src/engine/syntax';
import { DocumentStore } from '../server/src/lsp/documents';
import { ALL_RULES } from '../server/src/rules';
import { options, ready } from './support/engine';

/** A few hundred lines that give the rules (and the taint analysis) something to do. */
function sample(functions: number): string {
  const out = ['import os', 'import subprocess', 'import random', 'from flask import request', ''];
  for (let i = 0; i < functions; i++) {
    out.push(
      `def handler_${i}(arg, *rest, **kw):`,
      `    value = request.args.get("q${i}")`,
      `    token = random.randint(0, ${i})`,
      `    if value:`,
      `        subprocess.run("echo " + value, shell=True)`,
      `    return os.path.join(arg, str(token), value or "")`,
      '',
    );
  }
  return out.join('\n');
}

describe('memory held for open documents', () => {
  before(() => ready);

  it('an analysis leaves no per-tree memos behind', () => {
    const text = sample(40);
    const { tree } = parsePython(parserInput(text));
    assert.ok(tree);
    try {
      // The helpers memoise per tree...
      const calls = nodesOfTypes(tree.rootNode, ['call']);
      for (const c of calls) {
        callArgs(c);
        enclosingFunction(c);
      }
      assert.ok(treeCacheCount(tree) >= 3, 'the helpers fill per-tree caches');
      // ...and analyzeTree empties them all when it is done, findings intact.
      const result = analyzeTree(text, tree, 'app.py', lineIndex(text), options(ALL_RULES));
      assert.equal(treeCacheCount(tree), 0);
      assert.ok(result.findings.some((f) => f.ruleId === 'SEC602' || f.ruleId.startsWith('SEC')), 'the analysis still reports');
      // Analysing the same tree again gives the same findings.
      const again = analyzeTree(text, tree, 'app.py', lineIndex(text), options(ALL_RULES));
      assert.deepEqual(
        again.findings.map((f) => `${f.ruleId}@${f.start}`),
        result.findings.map((f) => `${f.ruleId}@${f.start}`),
      );
      assert.equal(treeCacheCount(tree), 0);
    } finally {
      tree.delete();
    }
  });

  it('edits keep one live tree per document and the wasm memory stops growing', () => {
    const store = new DocumentStore({ maxTrees: 4, parseBudgetMs: 10_000 });
    const before = parserMemory().liveTrees;
    const uris = ['file:///m/a.py', 'file:///m/b.py'];
    const opts = options(ALL_RULES);
    let seed = 1;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const edit = (uri: string, version: number): void => {
      const entry = store.get(uri)!;
      const text = entry.doc.getText();
      const at = Math.floor(random() * text.length);
      const deleting = version % 2 === 1 && text[at] !== '\n';
      const change: TextDocumentContentChangeEvent = {
        range: { start: entry.doc.positionAt(at), end: entry.doc.positionAt(deleting ? at + 1 : at) },
        text: deleting ? '' : 'x',
      };
      const changed = store.change(uri, version, [change])!;
      const tree = store.ensureTree(changed)!;
      // Every edit is parsed, every tenth analysed (as a server pulling now and then).
      if (version % 10 === 0) {
        analyzeTree(changed.doc.getText(), tree, uri, changed.doc, opts);
        assert.equal(treeCacheCount(tree), 0);
      }
    };
    try {
      for (const uri of uris) store.ensureTree(store.open(uri, 'python', 0, sample(40)));
      let version = 0;
      for (; version < 50; version++) for (const uri of uris) edit(uri, version + 1);
      const warmed = parserMemory();
      assert.equal(warmed.liveTrees - before, 2);
      for (; version < 200; version++) for (const uri of uris) edit(uri, version + 1);
      const after = parserMemory();
      assert.equal(after.liveTrees - before, 2, 'one tree per open document');
      assert.equal(after.wasmBytes, warmed.wasmBytes, 'the wasm memory did not grow');
      // A parse that runs out of time frees the tree it was given and makes none.
      const entry = store.change(uris[0]!, ++version, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '#' }])!;
      const slow = new DocumentStore({ maxTrees: 4, parseBudgetMs: 0 });
      const other = slow.open('file:///m/slow.py', 'python', 0, sample(400));
      slow.ensureTree(other);
      assert.equal(parserMemory().liveTrees - before, 2 + slow.treeCount());
      slow.closeAll();
      store.ensureTree(entry);
    } finally {
      store.closeAll();
    }
    assert.equal(parserMemory().liveTrees, before, 'closing frees every tree');
  });
});
