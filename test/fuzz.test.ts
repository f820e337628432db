// Property-based fuzzing with fast-check: generated Python-ish text and edit scripts. Fixed seeds
// and a bounded number of runs keep it reproducible and quick; a failure prints its seed and
// counterexample, which then goes into test/fixtures/fuzz/regressions.json so it is replayed on
// every run.
//
// Invariants:
// - the engine never throws and finishes within its budget (measured and printed, not asserted);
// - incremental analysis (DocumentStore edits + incremental reparse) equals a fresh analysis;
// - every finding and fix range lies inside the document, on UTF-16 boundaries (never between
//   the two halves of a surrogate pair, never between CR and LF);
// - on a text that parses cleanly, every fix's output parses cleanly too;
// - fix-all is idempotent: running it on its own output changes nothing.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { admissionNotice, analyzeSource } from '../server/src/engine/analyze';
import { applyEdits, fixAll } from '../server/src/engine/fixes';
import { analyzeTree } from '../server/src/engine/runner';
import type { Finding, Span } from '../server/src/engine/types';
import { DocumentStore } from '../server/src/lsp/documents';
import { ALL_RULES } from '../server/src/rules';
import { options, ready, syntaxErrors } from './support/engine';

const REGRESSIONS = path.join(__dirname, 'fixtures', 'fuzz', 'regressions.json');

/** Statements that trigger (or nearly trigger) rules, so fixes and suppressions get exercised. */
const STATEMENTS = [
  'import random',
  'import subprocess',
  'import yaml',
  'import jwt',
  'import hashlib',
  'import requests',
  'import pickle',
  'from os import system as run',
  'token = random.randint(0, 9)',
  'secret = random.choice(alphabet)',
  'password = "hunter2"',
  'API_KEY = "AKIAIOSFODNN7EXAMPLE"',
  'subprocess.run(cmd, shell=True)',
  'subprocess.Popen("ls " + d, shell=True)',
  'eval(s)',
  'exec(code)',
  'data = yaml.load(stream)',
  'jwt.decode(t, key)',
  'hashlib.md5(b)',
  'requests.get(url, verify=False)',
  'requests.post(url)',
  'pickle.loads(blob)',
  'cursor.execute(f"SELECT * FROM t WHERE id = {uid}")',
  'cursor.execute("SELECT %s" % name)',
  'assert user.is_admin',
  'DEBUG = True',
  'ALLOWED_HOSTS = ["*"]',
  'app.run(debug=True, host="0.0.0.0")',
  'x = 1  # parapet: ignore[SEC311]',
  'y = 2  # nosec',
  'z = 3  # noqa: S311',
  'q = "😀中文"  # emoji',
  's = "a\\tb"',
  'pass',
  '',
];

const HEADERS = ['def f(x):', 'class C:', 'if cond:', 'try:', 'with open(p) as fh:', 'for i in xs:', 'async def g():'];

/** Short fragments for edits: tokens, brackets, quotes, line breaks, astral characters. */
const FRAGMENTS = [
  'a', ' ', '\n', '\n    ', '\r\n', '\r', '\t', '(', ')', '[', ']', '{', '}', ':', ',', '.', "'", '"', '"""', 'f"', '#', '\\',
  '=', 'random.randint(0, 9)', 'shell=True', ', verify=False', 'eval(', '  # parapet: ignore[', 'SEC602]', '😀', '\uD83D',
  '中', 'import random\n', 'def f():\n    ', '\0',
];

/** A Python-ish module: top-level statements and indented blocks, LF or CRLF, maybe a BOM. */
const pythonish = fc
  .tuple(
    fc.array(
      fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...STATEMENTS) },
        {
          weight: 1,
          arbitrary: fc
            .tuple(fc.constantFrom(...HEADERS), fc.array(fc.constantFrom(...STATEMENTS.filter((s) => s !== '')), { minLength: 1, maxLength: 4 }))
            .map(([h, body]) => [h, ...body.map((b) => (h === 'try:' ? `    ${b}` : `    ${b}`))].join('\n') + (h === 'try:' ? '\nexcept Exception:\n    pass' : '')),
        },
      ),
      { maxLength: 14 },
    ),
    fc.constantFrom('\n', '\r\n'),
    fc.boolean(),
  )
  .map(([lines, eol, bom]) => (bom ? '\uFEFF' : '') + lines.join('\n').replace(/\n/g, eol) + (lines.length ? eol : ''));

interface EditOp {
  at: number;
  del: number;
  ins: string;
}

const editScript = fc.array(
  fc.record({ at: fc.nat(), del: fc.oneof(fc.constant(0), fc.nat({ max: 12 })), ins: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.constant(''), fc.string({ maxLength: 3, unit: 'binary' })) }),
  { minLength: 1, maxLength: 12 },
);

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** An offset inside `text` that does not split a surrogate pair or a CRLF. */
function isBoundary(text: string, i: number): boolean {
  if (i < 0 || i > text.length) return false;
  if (i === 0 || i === text.length) return true;
  if (isHigh(text.charCodeAt(i - 1)) && isLow(text.charCodeAt(i))) return false;
  return !(text[i - 1] === '\r' && text[i] === '\n');
}

/** Moves an offset back to the nearest boundary (what an editor does with a cursor). */
function snap(text: string, i: number): number {
  let p = Math.max(0, Math.min(text.length, i));
  while (!isBoundary(text, p)) p--;
  return p;
}

function assertSpan(text: string, s: Span, what: string): void {
  assert.ok(s.start >= 0 && s.start <= s.end && s.end <= text.length, `${what}: ${s.start}-${s.end} outside 0-${text.length}`);
  assert.ok(isBoundary(text, s.start) && isBoundary(text, s.end), `${what}: ${s.start}-${s.end} splits a surrogate pair or CRLF`);
}

function describeFinding(f: Finding): string {
  const fixes = f.fixes.map((x) => `${x.title}|${x.safety}|${x.edits.map((e) => `${e.start}-${e.end}:${e.newText}`).join(';')}`).join(' / ');
  return `${f.ruleId} ${f.start}-${f.end} ${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character} ${f.message} [${fixes}]`;
}

const timings: number[] = [];
/** PARAPET_FUZZ_SEED=n explores other seeds locally; CI always runs the fixed ones. */
const SEED = Number(process.env['PARAPET_FUZZ_SEED'] ?? 0);

/** Analyses a text and checks every position invariant; returns the findings. */
function checkedFindings(text: string): Finding[] {
  const started = performance.now();
  const r = analyzeSource(text, 'fuzz.py', options(ALL_RULES));
  timings.push(performance.now() - started);
  for (const f of r.findings) {
    assertSpan(text, f, `${f.ruleId} range`);
    for (const fix of f.fixes) for (const e of fix.edits) assertSpan(text, e, `${f.ruleId} fix "${fix.title}"`);
    if (f.ignoreEdit) assertSpan(text, f.ignoreEdit, `${f.ruleId} ignore edit`);
    for (const rel of f.related ?? []) assertSpan(text, rel, `${f.ruleId} related`);
  }
  return r.findings;
}

/** Every invariant on a single text. */
function checkText(text: string): void {
  const found = checkedFindings(text);
  if (syntaxErrors(text).length === 0) {
    for (const f of found) {
      for (const fix of f.fixes) {
        const out = applyEdits(text, fix.edits);
        assert.deepEqual(syntaxErrors(out), [], `${f.ruleId} fix "${fix.title}" breaks the syntax:\n${out}`);
      }
    }
  }
  const once = fixAll(text, 'fuzz.py', options(ALL_RULES));
  const twice = fixAll(once.text, 'fuzz.py', options(ALL_RULES));
  assert.equal(twice.text, once.text, 'fix-all is idempotent');
  assert.deepEqual(twice.applied, [], 'nothing left to fix after fix-all');
}

/** Applies an edit script incrementally through the document store, comparing with full runs. */
function checkEdits(base: string, ops: EditOp[]): void {
  const store = new DocumentStore({ maxTrees: 4, parseBudgetMs: 10_000 });
  const uri = 'file:///fuzz/doc.py';
  let entry = store.open(uri, 'python', 0, base);
  store.ensureTree(entry);
  const opts = options(ALL_RULES);
  try {
    let version = 0;
    for (const op of ops) {
      const text = entry.doc.getText();
      const start = snap(text, op.at % (text.length + 1));
      const end = snap(text, Math.min(text.length, start + op.del));
      const changes: TextDocumentContentChangeEvent[] = [{ range: { start: entry.doc.positionAt(start), end: entry.doc.positionAt(end) }, text: op.ins }];
      const expected = text.slice(0, start) + op.ins + text.slice(end);
      entry = store.change(uri, ++version, changes)!;
      assert.equal(entry.doc.getText(), expected);
      const tree = store.ensureTree(entry)!;
      // The server refuses a binary-looking text before it analyses the tree, as analyzeSource does.
      if (admissionNotice(expected, 'fuzz.py')) {
        assert.deepEqual(checkedFindings(expected), []);
        continue;
      }
      const incremental = analyzeTree(expected, tree, 'fuzz.py', entry.doc, opts).findings.map(describeFinding);
      const fresh = checkedFindings(expected).map(describeFinding);
      assert.deepEqual(incremental, fresh, `after edit ${version}: incremental findings differ from a fresh analysis`);
    }
  } finally {
    store.closeAll();
  }
}

interface Regression {
  name: string;
  base: string;
  ops?: EditOp[];
}

describe('fuzzing (fast-check, fixed seeds)', function () {
  this.timeout(120_000);
  before(() => ready);
  after(() => {
    if (!timings.length) return;
    const sorted = [...timings].sort((a, b) => a - b);
    console.log(`      fuzz: ${timings.length} analyses, median ${sorted[sorted.length >> 1]!.toFixed(1)} ms, max ${sorted[sorted.length - 1]!.toFixed(1)} ms`);
  });

  it('replays every saved regression', () => {
    const saved = JSON.parse(fs.readFileSync(REGRESSIONS, 'utf8')) as Regression[];
    for (const r of saved) {
      checkText(r.base);
      if (r.ops) checkEdits(r.base, r.ops);
    }
  });

  it('generated modules: no throw, ranges inside the text, fixes parse, fix-all idempotent', () => {
    fc.assert(fc.property(pythonish, (text) => checkText(text)), { seed: 20261124 + SEED, numRuns: 150 });
  });

  it('edit scripts: incremental findings equal a fresh analysis after every edit', () => {
    fc.assert(
      fc.property(pythonish, editScript, (base, ops) => checkEdits(base, ops)),
      { seed: 8 + SEED, numRuns: 60 },
    );
  });

  it('edited (often broken) text: no throw and positions stay on UTF-16 boundaries', () => {
    fc.assert(
      fc.property(pythonish, editScript, (base, ops) => {
        let text = base;
        for (const op of ops) {
          const start = snap(text, op.at % (text.length + 1));
          const end = snap(text, Math.min(text.length, start + op.del));
          text = text.slice(0, start) + op.ins + text.slice(end);
        }
        checkedFindings(text);
        const once = fixAll(text, 'fuzz.py', options(ALL_RULES));
        assert.equal(fixAll(once.text, 'fuzz.py', options(ALL_RULES)).text, once.text, 'fix-all is idempotent');
      }),
      { seed: 88 + SEED, numRuns: 120 },
    );
  });
});
