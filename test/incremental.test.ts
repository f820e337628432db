// Incremental analysis while typing (units.ts, runner.ts): which functions run again, and the
// findings carried over from the others. The differential tests check equality with a fresh
// analysis on random edits; these pin the behaviour on small, readable cases.

import * as assert from 'node:assert/strict';
import { analyzeSource } from '../server/src/engine/analyze';
import { affectedUnits, unitCode } from '../server/src/engine/callgraph';
import { analyzeTree, type AnalysisResult, type IncrementalState } from '../server/src/engine/runner';
import { TEXT_UNIT, unitsOf } from '../server/src/engine/units';
import { DocumentStore } from '../server/src/lsp/documents';
import { ALL_RULES } from '../server/src/rules';
import { defineRule, type FilePart } from '../server/src/engine/rule';
import { options, ready } from './support/engine';
import { editingSession } from './support/incremental';

const BEFORE = `import random
import subprocess


def token():
    return random.randint(0, 10**6)


class Jobs:
    retries = 3

    @staticmethod
    def run(cmd):
        subprocess.run(cmd, shell=True)


def other():
    x = 1
    return x
`;


describe('incremental analysis of functions', () => {
  before(() => ready);

  it('cuts a file into its outermost functions and methods, with their decorators', () => {
    const text = BEFORE + 'def outer():\n    def inner():\n        pass\n';
    const store = new DocumentStore({ maxTrees: 1, parseBudgetMs: 10_000 });
    try {
      const e = store.open('file:///u.py', 'python', 0, text);
      const units = unitsOf(store.ensureTree(e)!.rootNode, text);
      assert.deepEqual(units.map((u) => u.name), ['token', 'run', 'other', 'outer'], 'nested functions belong to their outer one');
      assert.ok(text.slice(units[1]!.start).startsWith('@staticmethod'), 'the decorator belongs to the method');
    } finally {
      store.closeAll();
    }
  });

  it('re-runs only the function that changed and shifts the findings after it', () => {
    const s = editingSession(BEFORE);
    try {
      const first = s.analyse();
      assert.equal(first.reanalysed, null, 'the first analysis covers the whole file');
      const ids = first.findings.map((f) => f.ruleId);
      assert.ok(ids.includes('SEC311') && ids.includes('SEC602'), ids.join());
      // Typing in the first function moves everything after it by the inserted text.
      const second = s.analyse({ from: 'return random', to: 'value = 1\n    return random' });
      assert.deepEqual(second.reanalysed, { units: 1, of: 3 });
      const shell1 = first.findings.find((f) => f.ruleId === 'SEC602')!;
      const shell2 = second.findings.find((f) => f.ruleId === 'SEC602')!;
      assert.equal(shell2.start, shell1.start + 'value = 1\n    '.length);
      assert.equal(shell2.range.start.line, shell1.range.start.line + 1);
      // The carried-over finding's fix still edits the right text.
      const text = second.findings.length ? BEFORE.replace('return random', 'value = 1\n    return random') : '';
      for (const f of shell2.fixes) for (const e of f.edits) assert.ok(e.end <= text.length);
      assert.equal(text.slice(shell2.start, shell2.end), BEFORE.slice(shell1.start, shell1.end));
    } finally {
      s.close();
    }
  });

  it('re-analyses the whole file when the code outside functions changes', () => {
    const s = editingSession(BEFORE);
    try {
      s.analyse();
      const r = s.analyse({ from: 'retries = 3', to: 'retries = 4' });
      assert.equal(r.reanalysed, null);
      // A new import changes what names resolve to: everything again, and the result follows.
      const r2 = s.analyse({ from: 'import random\n', to: 'import random\nfrom subprocess import run\n' });
      assert.equal(r2.reanalysed, null);
      assert.ok(r2.findings.some((f) => f.ruleId === 'SEC311'));
    } finally {
      s.close();
    }
  });

  it('drops the findings of the function that changed and finds the new ones', () => {
    const s = editingSession(BEFORE);
    try {
      s.analyse();
      const fixed = s.analyse({ from: 'shell=True', to: 'shell=False' });
      assert.deepEqual(fixed.reanalysed, { units: 1, of: 3 });
      assert.ok(!fixed.findings.some((f) => f.ruleId === 'SEC602'), 'the fixed call is no longer reported');
      assert.ok(fixed.findings.some((f) => f.ruleId === 'SEC311'), 'the other function keeps its finding');
      const broken = s.analyse({ from: 'x = 1', to: 'x = eval(name)' });
      assert.deepEqual(broken.reanalysed, { units: 1, of: 3 });
      assert.ok(broken.findings.some((f) => f.ruleId === 'SEC307'), 'a finding typed into another function is found');
    } finally {
      s.close();
    }
  });

  it('treats comments and docstrings outside functions as units of their own', () => {
    const text = `"""Jobs."""\n# A comment\nimport random\n\n\nclass C:\n    """Doc."""\n    # inside the class\n    x = [  # in an expression: part of the statement\n        1,\n    ]\n\n    def m(self):\n        return random.random()\n`;
    const store = new DocumentStore({ maxTrees: 1, parseBudgetMs: 10_000 });
    try {
      const e = store.open('file:///t.py', 'python', 0, text);
      const units = unitsOf(store.ensureTree(e)!.rootNode, text);
      assert.deepEqual(
        units.map((u) => (u.name === TEXT_UNIT ? text.slice(u.start, u.end) : u.name)),
        ['"""Jobs."""', '# A comment', '"""Doc."""', '# inside the class', 'm'],
      );
    } finally {
      store.closeAll();
    }
    // Typing in a docstring or a comment re-analyses that unit alone, suppressions included.
    const s = editingSession(`"""Tools."""\n${BEFORE}# end\n`);
    try {
      const first = s.analyse();
      assert.ok(first.findings.some((f) => f.ruleId === 'SEC311'));
      const r = s.analyse({ from: 'Tools.', to: 'Tools for jobs.' });
      assert.deepEqual(r.reanalysed, { units: 1, of: 5 });
      assert.deepEqual(r.findings.map((f) => `${f.ruleId}:${f.range.start.line}`), first.findings.map((f) => `${f.ruleId}:${f.range.start.line}`));
      const r2 = s.analyse({ from: '# end', to: '# end  # parapet: ignore-file[SEC311]' });
      assert.deepEqual(r2.reanalysed, { units: 1, of: 5 });
      assert.ok(!r2.findings.some((f) => f.ruleId === 'SEC311'), 'a file-level suppression typed into a comment applies everywhere');
    } finally {
      s.close();
    }
  });

  it('re-analyses everything when the place a fix adds an import moves to another kind of anchor', () => {
    // Without imports or a docstring, an import goes after the header comments.
    const text = '#!/usr/bin/env python\n# -*- coding: utf-8 -*-\ndef f():\n    return random.random()\n';
    const s = editingSession(text);
    try {
      s.analyse();
      const r = s.analyse({ from: '# -*- coding: utf-8 -*-', to: '# no coding line' });
      assert.equal(r.reanalysed, null);
      const same = s.analyse({ from: '# no coding line', to: '# no coding line here' });
      assert.deepEqual(same.reanalysed, { units: 1, of: 3 });
    } finally {
      s.close();
    }
  });

  it('carries the parts of unchanged functions over and re-analyses everything when a fileKey changes', () => {
    // A local rule that reports calls to functions named in any `DANGEROUS = [...]`-style
    // assignment anywhere in the file: it depends on the whole file through a part.
    let computed = 0;
    const names: FilePart<string[]> = {
      name: 'test:dangerous-names',
      nodeTypes: ['assignment'],
      compute(nodes) {
        computed++;
        return nodes.filter((n) => n.childForFieldName('left')?.text === 'DANGEROUS').map((n) => n.childForFieldName('right')?.text ?? '');
      },
    };
    const rule = defineRule({
      id: 'SEC999',
      name: 'test-dangerous-call',
      local: true,
      summary: 'test',
      owasp: { '2025': 'A05', '2021': 'A03' },
      cwe: [1],
      severity: 'warning',
      confidence: 'high',
      nodeTypes: ['call'],
      fileKey: (ctx) => ctx.parts(names).flat().sort().join(),
      check(call, ctx) {
        const listed = ctx.parts(names).flat().join(' ');
        const fn = call.childForFieldName('function')?.text ?? '';
        if (fn && listed.includes(`"${fn}"`)) ctx.report(call, { message: `${fn} is listed` });
      },
      docs: { what: '', why: '', example: '', useInstead: '', references: [] },
    });
    const text = 'def a():\n    DANGEROUS = "boom"\n\n\ndef b():\n    boom()\n\n\ndef c():\n    x = 1\n';
    const store = new DocumentStore({ maxTrees: 1, parseBudgetMs: 10_000 });
    const uri = 'file:///parts.py';
    let entry = store.open(uri, 'python', 0, text);
    const opts = { rules: [rule], knownRules: [...ALL_RULES, rule], incremental: { previous: null as IncrementalState | null } };
    const edit = (from: string, to: string): AnalysisResult => {
      const now = entry.doc.getText();
      const at = now.indexOf(from);
      entry = store.change(uri, entry.doc.version + 1, [{ range: { start: entry.doc.positionAt(at), end: entry.doc.positionAt(at + from.length) }, text: to }])!;
      const r = analyzeTree(entry.doc.getText(), store.ensureTree(entry)!, '/parts.py', entry.doc, opts);
      opts.incremental.previous = r.state ?? null;
      return r;
    };
    try {
      const first = analyzeTree(text, store.ensureTree(entry)!, '/parts.py', entry.doc, opts);
      opts.incremental.previous = first.state ?? null;
      assert.deepEqual(first.findings.map((f) => f.message), ['boom is listed']);
      assert.equal(computed, 4, 'one part for the code outside functions, one per function');
      computed = 0;
      // An edit in c(): only c's part is computed again, the key is the same, b's finding is carried over.
      const same = edit('x = 1', 'x = 2');
      assert.deepEqual(same.reanalysed, { units: 1, of: 3 });
      assert.equal(computed, 1);
      assert.deepEqual(same.findings.map((f) => f.message), ['boom is listed']);
      // An edit in a() that changes the part: b() is analysed again and its finding goes.
      const changed = edit('"boom"', '"bang"');
      assert.equal(changed.reanalysed, null);
      assert.deepEqual(changed.findings, []);
    } finally {
      store.closeAll();
    }
  });

  it('honours a suppression comment typed into a function whose findings were carried over before', () => {
    const s = editingSession(BEFORE);
    try {
      s.analyse();
      const r = s.analyse({ from: 'shell=True)', to: 'shell=True)  # parapet: ignore[SEC602]' });
      assert.ok(!r.findings.some((f) => f.ruleId === 'SEC602'));
      assert.ok(!r.findings.some((f) => f.ruleId === 'SEC001'), 'the suppression is used');
      // And one in an unchanged function stays in force when another function changes.
      const r2 = s.analyse({ from: 'x = 1', to: 'x = 2' });
      assert.deepEqual(r2.reanalysed, { units: 1, of: 3 });
      assert.ok(!r2.findings.some((f) => f.ruleId === 'SEC602' || f.ruleId === 'SEC001'));
    } finally {
      s.close();
    }
  });
});

describe('incremental analysis of rules local through calls (taint)', () => {
  before(() => ready);

  const APP = `import sqlite3
from flask import Flask, request

app = Flask(__name__)
db = sqlite3.connect("app.db")


def build(q):
    return db.execute("SELECT * FROM t WHERE name = '" + q + "'")


@app.route("/a")
def a():
    return str(build(request.args["q"]))


@app.route("/b")
def b():
    return str(build("constant"))


def c():
    x = 1
    return x
`;

  const describe_ = (r: AnalysisResult): string[] => r.findings.map((f) => `${f.ruleId}:${f.range.start.line}:${f.message}`);
  const fresh = (text: string): string[] => describe_({ findings: analyzeSource(text, '/inc/app.py', options(ALL_RULES)).findings } as AnalysisResult);

  it('builds the call graph from the words of each function, as the analysis resolves calls', () => {
    const code = (t: string) => unitCode(t);
    const affected = (units: [string, string][], changedIndex: number, newText: string, skeleton = ''): number[] | null => {
      const now = units.map(([, t], i) => code(i === changedIndex ? newText : t));
      const before = units.map(([, t], i) => (i === changedIndex ? code(t) : null));
      const r = affectedUnits(now, before, units.map(([o]) => o), code(skeleton));
      return r && r.flatMap((x, i) => (x ? [i] : []));
    };
    const units: [string, string][] = [
      ['', 'def helper(x):\n    return x'],
      ['', 'def view():\n    return helper(1)'],
      ['', 'def other():\n    return 2'],
      ['A', 'def get(self):\n    return self.q'],
      ['A', 'def load(self):\n    self.q = 1'],
      ['B', 'def get(self):\n    return 3'],
      ['', 'def caller(d):\n    return d.get("k")'],
    ];
    // A change in helper(): its callers and what they call.
    assert.deepEqual(affected(units, 0, 'def helper(x):\n    return x + 1'), [0, 1]);
    // A change in view(): view() and helper().
    assert.deepEqual(affected(units, 1, 'def view():\n    return helper(2)'), [0, 1]);
    // other() is connected to nothing.
    assert.deepEqual(affected(units, 2, 'def other():\n    return 3'), [2]);
    // Methods of one class are connected; `d.get()` cannot reach a method defined twice.
    assert.deepEqual(affected(units, 4, 'def load(self):\n    self.q = 2'), [3, 4]);
    // When B.get goes away, A.get is the one `get`: `d.get()` in caller() may now reach it.
    assert.deepEqual(affected(units, 5, 'def put(self):\n    return 3'), [3, 4, 5, 6]);
    // Module-level code that calls the changed function: everything.
    assert.equal(affected(units, 2, 'def other():\n    return 3', 'X = other()'), null);
  });

  it('re-runs the taint rules only in the functions connected to the change by calls', () => {
    const s = editingSession(APP);
    try {
      const first = s.analyse();
      assert.ok(describe_(first).some((f) => f.startsWith('SEC901:8:')), describe_(first).join('\n'));
      // c() calls nothing and nothing calls it: it alone.
      const r = s.analyse({ from: 'x = 1', to: 'x = 2' });
      assert.deepEqual(r.reanalysed, { units: 1, of: 4, calls: 1 });
      assert.deepEqual(describe_(r), fresh(APP.replace('x = 1', 'x = 2')));
      // a() and the build() it calls (b() also calls build(), but nothing of a() reaches b()).
      const r2 = s.analyse({ from: 'request.args["q"]', to: '"safe"' });
      assert.deepEqual(r2.reanalysed, { units: 1, of: 4, calls: 2 });
      const now = APP.replace('x = 1', 'x = 2').replace('request.args["q"]', '"safe"');
      assert.deepEqual(describe_(r2), fresh(now));
      assert.ok(!describe_(r2).some((f) => f.startsWith('SEC901')), 'the finding in build() went with its only tainted caller');
    } finally {
      s.close();
    }
  });

  it('re-runs them everywhere when module-level code calls the changed function', () => {
    const text = `${APP}\n\nRESULT = c()\n`;
    const s = editingSession(text);
    try {
      s.analyse();
      const r = s.analyse({ from: 'x = 1', to: 'x = 2' });
      assert.deepEqual(r.reanalysed, { units: 1, of: 4, calls: null });
      assert.deepEqual(describe_(r), fresh(text.replace('x = 1', 'x = 2')));
    } finally {
      s.close();
    }
  });

  it('follows what methods of a class share and how calls resolve by name', () => {
    const text = `import os
from flask import request


class Job:
    def load(self):
        self.cmd = request.args["cmd"]

    def run(self):
        os.system(self.cmd)


class Runner:
    def start(self, cmd):
        os.system(cmd)


def go(r):
    r.start(request.args["x"])


def other():
    return 1
`;
    const s = editingSession(text);
    let now = text;
    const step = (from: string, to: string): AnalysisResult => {
      now = now.replace(from, to);
      const r = s.analyse({ from, to });
      assert.deepEqual(describe_(r), fresh(now), `after ${from} -> ${to}`);
      return r;
    };
    try {
      const first = s.analyse();
      assert.deepEqual(first.findings.filter((f) => f.ruleId === 'SEC902').map((f) => f.range.start.line), [9, 14]);
      // The value run() reads is set by load(): changing load() re-runs run().
      const r = step('request.args["cmd"]', '"ls"');
      assert.ok(!r.findings.some((f) => f.ruleId === 'SEC902' && f.range.start.line === 9));
      // `r.start(...)` reaches Runner.start only while it is the one method of that name: a
      // second `start` defined in other() changes that, and start() is analysed again.
      const r2 = step('return 1', 'class Other:\n        def start(self, cmd):\n            return cmd\n    return 1');
      assert.ok(r2.reanalysed && r2.reanalysed.calls !== null && r2.reanalysed.calls! >= 2, JSON.stringify(r2.reanalysed));
      assert.ok(!r2.findings.some((f) => f.ruleId === 'SEC902'), 'the call no longer resolves to Runner.start');
    } finally {
      s.close();
    }
  });

  it('walks many affected functions in one pass with the same result', () => {
    const views = Array.from({ length: 6 }, (_, i) => `@app.route("/v${i}")\ndef v${i}():\n    return str(run(request.args["q${i}"]))  # parapet: ignore[SEC001]\n`).join('\n\n');
    const text = `import os\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\ndef run(cmd):\n    return os.system("echo " + cmd)\n\n\n${views}\n\ndef unrelated():\n    return 1\n`;
    const s = editingSession(text);
    try {
      const first = s.analyse();
      assert.equal(first.findings.filter((f) => f.ruleId === 'SEC902').length, 1);
      const r = s.analyse({ from: '"echo " + cmd', to: '"echo " + cmd + "!"' });
      assert.deepEqual(r.reanalysed, { units: 1, of: 8, calls: 7 }, 'run() and its six callers');
      assert.deepEqual(describe_(r), fresh(text.replace('"echo " + cmd', '"echo " + cmd + "!"')));
    } finally {
      s.close();
    }
  });

  it('names the current line of the source in a carried-over finding', () => {
    const s = editingSession(APP);
    try {
      const first = s.analyse();
      const before = describe_(first).find((f) => f.startsWith('SEC901'))!;
      assert.match(before, /line 14\b/);
      // A line typed into c(), below the source: the message stays as it was.
      const r = s.analyse({ from: 'x = 1', to: 'x = 1\n    y = 2' });
      assert.deepEqual(r.reanalysed?.calls, 1);
      assert.ok(describe_(r).some((f) => f === before), 'nothing above the source moved');
    } finally {
      s.close();
    }
    // Two lines typed into the docstring above everything: the message follows the source.
    const s2 = editingSession(`"""Doc."""\n${APP}`);
    try {
      s2.analyse();
      const r = s2.analyse({ from: '"""Doc."""', to: '"""Doc.\n\nMore."""' });
      assert.deepEqual(r.reanalysed, { units: 1, of: 5, calls: 1 });
      const finding = describe_(r).find((f) => f.startsWith('SEC901'))!;
      assert.match(finding, /line 17\b/, 'the source moved down by two lines and the message says so');
      assert.deepEqual(describe_(r), fresh(`"""Doc.\n\nMore."""\n${APP}`));
    } finally {
      s2.close();
    }
  });
});
