// Differential test: random edit scripts applied incrementally (tree edits + incremental
// reparse, as the language server does) must give exactly the findings of a fresh parse of the
// final text. Seeded, so a failure names a reproducible seed.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { analyzeSource } from '../server/src/engine/analyze';
import { analyzeTree, type IncrementalState } from '../server/src/engine/runner';
import { TEXT_UNIT, unitsOf } from '../server/src/engine/units';
import { DocumentStore } from '../server/src/lsp/documents';
import { ALL_RULES } from '../server/src/rules';
import { options, ready } from './support/engine';
import { describeFinding } from './support/incremental';
import { fixtureFiles, loadFixture } from './support/fixtures';
import { mulberry32 } from './support/random';

const SNIPPETS = [
  'a', 'x', ' ', '\n', '\n    ', '(', ')', '[', ']', '{', '}', ':', ',', '.', "'", '"', '"""', 'f"', '#', '\\', '=', '+', '%',
  'random.randint(0, 9)', 'token = ', 'password = "hunter2"', 'cursor.execute(f"SELECT * FROM t WHERE id = {uid}")',
  'jwt.decode(t, k)', 'import random\n', 'def f(x):\n    ', 'subprocess.run(cmd, shell=True)', 'eval(s)', 'yaml.load(d)',
  '  # parapet: ignore[SEC311]', '  # nosec', 'if x:\n', '😀', '中文', '\r\n', '\t', 'requests.get(u, verify=False)',
];

/** A random edit at code point boundaries, never inside a CRLF pair (editors never split them). */
function randomChange(text: string, rand: () => number): { start: number; end: number; text: string } {
  const boundary = (i: number): number => {
    let p = Math.max(0, Math.min(text.length, i));
    while (p > 0 && p < text.length && ((text.charCodeAt(p) & 0xfc00) === 0xdc00 || (text[p] === '\n' && text[p - 1] === '\r'))) p--;
    return p;
  };
  const start = boundary(Math.floor(rand() * (text.length + 1)));
  const del = rand() < 0.4 ? Math.floor(rand() * 12) : 0;
  const end = boundary(Math.max(start, Math.min(text.length, start + del)));
  const insert = rand() < 0.85 ? SNIPPETS[Math.floor(rand() * SNIPPETS.length)]! : '';
  return { start, end, text: insert };
}

describe('incremental analysis equals a fresh analysis (differential)', () => {
  before(() => ready);

  const bases = fixtureFiles().map((f) => loadFixture(f).text);
  bases.push('');
  const SCRIPTS = 24;
  const EDITS = 40;

  for (let seed = 1; seed <= SCRIPTS; seed++) {
    it(`edit script seed ${seed}`, () => {
      const rand = mulberry32(seed);
      const base = bases[seed % bases.length]!;
      const store = new DocumentStore({ maxTrees: 8, parseBudgetMs: 10_000 });
      const uri = `file:///diff/seed${seed}.py`;
      let entry = store.open(uri, 'python', 0, base);
      store.ensureTree(entry);
      const opts = options(ALL_RULES);
      let state: IncrementalState | null = null;
      for (let step = 1; step <= EDITS; step++) {
        // Sometimes several changes in one notification (multi-cursor edits), applied in order.
        const batch = rand() < 0.2 ? 2 + Math.floor(rand() * 3) : 1;
        const changes: TextDocumentContentChangeEvent[] = [];
        let text = entry.doc.getText();
        for (let b = 0; b < batch; b++) {
          const c = randomChange(text, rand);
          // Positions of each change are relative to the text after the previous ones.
          const lines = text.slice(0, c.start).split(/\r\n|\r|\n/);
          const endLines = text.slice(0, c.end).split(/\r\n|\r|\n/);
          changes.push({
            range: {
              start: { line: lines.length - 1, character: lines[lines.length - 1]!.length },
              end: { line: endLines.length - 1, character: endLines[endLines.length - 1]!.length },
            },
            text: c.text,
          });
          text = text.slice(0, c.start) + c.text + text.slice(c.end);
        }
        entry = store.change(uri, step, changes)!;
        assert.equal(entry.doc.getText(), text, 'document text follows the changes');
        // Reparse only some of the time, so edits also accumulate on an unparsed tree.
        if (rand() < 0.6 || step === EDITS) {
          const tree = store.ensureTree(entry)!;
          const incremental = analyzeTree(text, tree, 'seed.py', entry.doc, opts).findings.map(describeFinding);
          const fresh = analyzeSource(text, 'seed.py', opts).findings.map(describeFinding);
          assert.deepEqual(incremental, fresh, `seed ${seed}, step ${step}: incremental findings differ from a fresh parse`);
          // And with the findings of unchanged functions carried over from the previous run.
          const carried = analyzeTree(text, tree, 'seed.py', entry.doc, { ...opts, incremental: { previous: state } });
          state = carried.state ?? null;
          assert.deepEqual(carried.findings.map(describeFinding), fresh, `seed ${seed}, step ${step}: findings carried over differ from a fresh parse`);
        }
      }
      store.closeAll();
      assert.equal(store.treeCount(), 0, 'trees are freed on close');
    });
  }

  it('keeps at most maxTrees trees and reparses an evicted document in full', () => {
    const store = new DocumentStore({ maxTrees: 2, parseBudgetMs: 10_000 });
    const docs = [0, 1, 2, 3].map((i) => store.open(`file:///evict/${i}.py`, 'python', 1, `import random\ntoken = random.randint(0, ${i})\n`));
    for (const d of docs) store.ensureTree(d);
    assert.equal(store.treeCount(), 2);
    const first = docs[0]!;
    assert.equal(first.tree, null, 'the least recently used tree was evicted');
    const tree = store.ensureTree(first)!;
    const found = analyzeTree(first.doc.getText(), tree, 'x.py', first.doc, options()).findings.map((f) => f.ruleId);
    assert.deepEqual(found, ['SEC311']);
    store.closeAll();
  });
});

// Typing inside functions: the edits the language server sees most, where rules declared local
// re-run only in the function that changed and their other findings are carried over. The
// carried-over findings must be exactly those of a fresh analysis, every time.
describe('findings carried over from unchanged functions and docstrings equal a fresh analysis', () => {
  before(() => ready);

  const projects = path.join(__dirname, 'fixtures', 'projects');
  const projectFiles = fs
    .readdirSync(projects, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.py'))
    .map((f) => ({ name: `projects/${f}`, text: fs.readFileSync(path.join(projects, f), 'utf8'), analysisPath: path.join('/p', f) }));
  const bases = [
    ...projectFiles,
    ...fixtureFiles().map((f) => {
      const fx = loadFixture(f);
      return { name: path.basename(f), text: fx.text, analysisPath: fx.analysisPath };
    }),
  ].filter((b) => /\bdef\s/.test(b.text));
  const EDITS = 12;
  let reused = 0;
  let steps = 0;

  for (const [index, base] of bases.entries()) {
    it(`typing inside the functions and docstrings of ${base.name}`, () => {
      const rand = mulberry32(1000 + index);
      const store = new DocumentStore({ maxTrees: 2, parseBudgetMs: 10_000 });
      const uri = `file:///units/${index}.py`;
      let entry = store.open(uri, 'python', 0, base.text);
      const opts = options(ALL_RULES);
      let state = analyzeTree(base.text, store.ensureTree(entry)!, base.analysisPath, entry.doc, { ...opts, incremental: { previous: null } }).state ?? null;
      for (let step = 1; step <= EDITS; step++) {
        const text = entry.doc.getText();
        const units = unitsOf(store.ensureTree(entry)!.rootNode, text);
        if (units.length === 0) break;
        const u = units[Math.floor(rand() * units.length)]!;
        // A position inside the function, past its `def` line when it has a body below; inside
        // a comment or docstring, past its first character.
        const bodyStart = u.name === TEXT_UNIT ? Math.min(u.end, u.start + 1) : Math.min(u.end, text.indexOf('\n', u.start) + 1 || u.end);
        const at = bodyStart + Math.floor(rand() * (u.end - bodyStart));
        const del = rand() < 0.3 ? Math.min(u.end - at, 1 + Math.floor(rand() * 4)) : 0;
        let insert = rand() < 0.8 ? SNIPPETS[Math.floor(rand() * SNIPPETS.length)]! : '';
        if (text[at - 1] === '\r' && text[at] === '\n') insert = '';
        if (insert === '' && del === 0) continue;
        const lines = text.slice(0, at).split(/\r\n|\r|\n/);
        const endLines = text.slice(0, at + del).split(/\r\n|\r|\n/);
        entry = store.change(uri, step, [
          {
            range: {
              start: { line: lines.length - 1, character: lines[lines.length - 1]!.length },
              end: { line: endLines.length - 1, character: endLines[endLines.length - 1]!.length },
            },
            text: insert,
          },
        ])!;
        const now = entry.doc.getText();
        const carried = analyzeTree(now, store.ensureTree(entry)!, base.analysisPath, entry.doc, { ...opts, incremental: { previous: state } });
        state = carried.state ?? null;
        steps++;
        if (carried.reanalysed) reused++;
        const fresh = analyzeSource(now, base.analysisPath, opts).findings.map(describeFinding);
        assert.deepEqual(carried.findings.map(describeFinding), fresh, `${base.name}, step ${step} (edit at ${at}): carried-over findings differ from a fresh analysis`);
      }
      store.closeAll();
    });
  }

  it('carries findings over on most edits inside a function', () => {
    // Edits that break the code outside the function (an unclosed bracket, say) re-run everything;
    // most keep the rest of the file as it was.
    assert.ok(steps > 200, `only ${steps} edits were made`);
    assert.ok(reused / steps > 0.5, `findings were carried over on ${reused} of ${steps} edits`);
  });
});
