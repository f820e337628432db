import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeSource } from '../server/src/engine/analyze';
import type { FileFacts } from '../server/src/engine/facts';
import { ALL_RULES } from '../server/src/rules';
import { dataflowRules } from '../server/src/rules/dataflow';
import { findings, ready } from './support/engine';
import { FIXTURES } from './support/fixtures';

const FLASK = 'import os, shlex, subprocess, sqlite3\nfrom flask import Flask, request\napp = Flask(__name__)\n';

/** The 9xx findings of a Flask snippet, as "line ruleId confidence". */
function taint(body: string, header = FLASK): string[] {
  const text = header + body;
  const offset = header.split('\n').length - 1;
  return findings(text, 'app.py', dataflowRules).map((f) => `${f.range.start.line + 1 - offset} ${f.ruleId} ${f.confidence}`);
}

function lines(body: string, header = FLASK): number[] {
  return taint(body, header).map((s) => Number(s.split(' ')[0]));
}

if (typeof describe === "function") describe('taint engine', () => {
  before(() => ready);

  it('runs no 9xx rule in a file where nothing can be a source', () => {
    const facts = (modules: string[]) => ({ importedModules: new Set(modules) }) as unknown as FileFacts;
    const file = { path: 'x.py', isTest: false, isSettings: false };
    const applies = (modules: string[], text: string): string[] => dataflowRules.filter((r) => !r.appliesTo || r.appliesTo(file, facts(modules), text)).map((r) => r.id);
    assert.deepEqual(applies(['subprocess'], 'import subprocess\nsubprocess.run(cmd, shell=True)\n'), []);
    assert.ok(applies(['subprocess', 'sys'], 'import subprocess, sys\nsubprocess.run(sys.argv[1], shell=True)\n').includes('SEC902'));
    assert.ok(applies(['subprocess'], 'import subprocess\nsubprocess.run(input(), shell=True)\n').includes('SEC902'));
    // Project sources make every file a candidate.
    assert.ok(applies([], 'x = 1\n').length === 0);
    assert.ok(dataflowRules.filter((r) => !r.appliesTo || r.appliesTo({ ...file, taint: { sources: ['mylib.read'], sanitizers: [] } }, facts([]), 'x = 1\n')).some((r) => r.id === 'SEC902'));
  });

  describe('propagation', () => {
    const cases: [string, string, boolean][] = [
      ['assignment', 'x = request.args["q"]\nos.system(x)', true],
      ['augmented assignment', 'x = "ls "\nx += request.args["q"]\nos.system(x)', true],
      ['tuple unpacking', 'a, b = request.args["a"], "b"\nos.system(a)', true],
      ['f-string', 'q = request.args["q"]\nos.system(f"grep {q} log")', true],
      ['percent format', 'q = request.args["q"]\nos.system("grep %s log" % q)', true],
      ['.format', 'q = request.args["q"]\nos.system("grep {} log".format(q))', true],
      ['join', 'q = request.args.getlist("q")\nos.system(" ".join(q))', true],
      ['container and subscript', 'opts = {"q": request.args["q"]}\nos.system(opts["q"])', true],
      ['list append', 'parts = []\nparts.append(request.form["f"])\nos.system(" ".join(parts))', true],
      ['attribute of a tainted value', 'f = request.files["f"]\nos.system("file " + f.filename)', true],
      ['with ... as', 'with request.files["f"].stream as s:\n    os.system(s.read())', true],
      ['comprehension', 'names = [n.strip() for n in request.args.getlist("n")]\nos.system(names[0])', true],
      ['walrus', 'if (q := request.args.get("q")):\n    os.system(q)', true],
      ['method on tainted string', 'os.system(request.args["q"].strip().lower())', true],
      ['constant', 'os.system("ls")', false],
      ['constant through a variable', 'cmd = "ls -l"\nos.system(cmd)', false],
      ['int() conversion', 'n = int(request.args["n"])\nos.system(f"seq {n}")', false],
      ['length of data', 'n = len(request.args["q"])\nos.system(f"seq {n}")', false],
      ['boolean test of data', 'flag = request.args["q"] == "yes"\nos.system(f"run {flag}")', false],
      ['shlex.quote', 'os.system("grep " + shlex.quote(request.args["q"]))', false],
      ['allowlist guard', 'q = request.args["q"]\nif q in {"a", "b"}:\n    os.system(q)', false],
      ['allowlist guard with early return', 'def v():\n    q = request.args["q"]\n    if q not in {"a", "b"}:\n        return "no"\n    os.system(q)', false],
      ['isdigit guard', 'q = request.args["q"]\nif q.isdigit():\n    os.system("seq " + q)', false],
    ];
    for (const [name, body, reported] of cases) {
      it(`${name}: ${reported ? 'reported' : 'silent'}`, () => {
        const got = taint(body);
        if (reported) assert.ok(got.some((f) => f.includes('SEC902')), `expected SEC902 in ${JSON.stringify(got)}`);
        else assert.deepEqual(got, []);
      });
    }

    it('follows an unknown call with low confidence', () => {
      assert.deepEqual(taint('os.system(lookup(request.args["q"]))'), ['1 SEC902 low']);
    });

    it('a sanitizer for one sink does not make the value safe for another', () => {
      const body = 'q = shlex.quote(request.args["q"])\nos.system("grep " + q)\nsqlite3.connect("x").execute("SELECT " + q)';
      assert.deepEqual(taint(body), ['3 SEC901 high']);
    });
  });

  describe('statement order within a function', () => {
    const cases: [string, string, boolean][] = [
      ['reassigned to a constant before the sink', 'def v():\n    x = request.args["x"]\n    x = "ls"\n    os.system(x)', false],
      ['assigned from request data after the sink', 'def v():\n    x = "ls"\n    os.system(x)\n    x = request.args["x"]\n    return x', false],
      ['assigned from request data before the sink', 'def v():\n    x = "ls"\n    x = request.args["x"]\n    os.system(x)', true],
      ['reassigned in one branch only', 'def v(c):\n    x = request.args["x"]\n    if c:\n        x = "ls"\n    os.system(x)', true],
      ['tainted in one branch', 'def v(c):\n    x = "ls"\n    if c:\n        x = request.args["x"]\n    os.system(x)', true],
      ['tainted in try, reset in except', 'def v():\n    try:\n        x = request.args["x"]\n    except KeyError:\n        x = "ls"\n    os.system(x)', true],
      ['tainted later in the loop around the sink', 'def v():\n    x = "ls"\n    for _ in range(3):\n        os.system(x)\n        x = request.args["x"]', true],
      ['reset at the top of the loop', 'def v():\n    for _ in range(3):\n        x = "ls"\n        os.system(x)\n        x = request.args["x"]', false],
      ['built up in a loop', 'def v():\n    s = ""\n    for p in request.args.getlist("p"):\n        s = s + p\n    os.system(s)', true],
      ['built up in a while loop from a constant', 'def v():\n    s = "ls"\n    while len(s) < 10:\n        s = s + " -l"\n    os.system(s)', false],
      ['a parameter replaced before use', 'def helper(cmd):\n    cmd = "ls"\n    os.system(cmd)\n\n@app.route("/x")\ndef v():\n    helper(request.args["x"])', false],
      ['a parameter used before it is replaced', 'def helper(cmd):\n    os.system(cmd)\n    cmd = "ls"\n\n@app.route("/x")\ndef v():\n    helper(request.args["x"])', true],
      ['a value derived after a path check', 'from pathlib import Path\nBASE = Path("/srv")\ndef v():\n    full = (BASE / request.args["f"]).resolve()\n    if not full.is_relative_to(BASE):\n        return "no"\n    target = full / "index.html"\n    os.system(f"cat {target}")', false],
      ['a value derived before the path check', 'from pathlib import Path\nBASE = Path("/srv")\ndef v():\n    full = (BASE / request.args["f"]).resolve()\n    target = full / "index.html"\n    if not full.is_relative_to(BASE):\n        return "no"\n    os.system(f"cat {target}")', true],
      ['comprehension variable shadowing an earlier constant', 'def v():\n    x = "ls"\n    return [os.system(x) for x in request.args.getlist("x")]', true],
      ['through a recursive helper', 'def strip(x, n):\n    if n:\n        return strip(x[1:], n - 1)\n    return x\n\n@app.route("/x")\ndef v():\n    os.system(strip(request.args["x"], 2))\n    os.system(strip("ls", 2))', true],
      ['through mutually recursive helpers', 'def a(x, n):\n    return b(x, n - 1) if n else x\n\ndef b(x, n):\n    return a(x + "", n)\n\n@app.route("/x")\ndef v():\n    os.system(b(request.args["x"], 3))', true],
      ['module level, reassigned', 'x = request.args["x"]\nx = "ls"\nos.system(x)', false],
    ];
    for (const [name, body, reported] of cases) {
      it(`${name}: ${reported ? 'reported' : 'silent'}`, () => {
        const got = taint(body);
        if (reported) assert.ok(got.some((f) => f.includes('SEC902')), `expected SEC902 in ${JSON.stringify(got)}`);
        else assert.deepEqual(got, []);
      });
    }
  });

  describe('function summaries', () => {
    it('follows a value through a helper that returns data of its parameter', () => {
      const body = 'def build(x):\n    return "ls " + x\n\ndef clean(x):\n    return "ls"\n\nos.system(build(request.args["q"]))\nos.system(clean(request.args["q"]))\nos.system(build("constant"))';
      assert.deepEqual(lines(body), [7]);
    });

    it('reports a sink in a helper only for the call that passes user data', () => {
      const body = 'def run(cmd):\n    subprocess.run(cmd, shell=True)\n\n@app.route("/a")\ndef a():\n    run(request.args["cmd"])\n\ndef b():\n    run("uptime")';
      const f = findings(FLASK + body, 'app.py', dataflowRules);
      assert.equal(f.length, 1);
      assert.equal(f[0]!.range.start.line, 4);
      const related = (f[0]!.related ?? []).map((r) => `${r.range.start.line + 1 - 3}: ${r.message}`);
      assert.deepEqual(related, ['6: untrusted data enters here: request.args', '6: passed to `run()` here']);
    });

    it('follows methods called through self, and nested helpers', () => {
      const body = 'class Tool:\n    def cmd(self, arg):\n        return "tool " + arg\n\n    def go(self, arg):\n        os.system(self.cmd(arg))\n\n@app.route("/t")\ndef t():\n    Tool().go(request.args["a"])';
      assert.deepEqual(lines(body), [6]);
    });

    it('follows self attributes set by another method of the class, with medium confidence', () => {
      const body = 'class Job:\n    def __init__(self):\n        self.cmd = request.args["cmd"]\n        self.name = "job"\n\n    def run(self):\n        os.system(self.cmd)\n        os.system(self.name)';
      assert.deepEqual(taint(body), ['7 SEC902 medium']);
    });

    it('stops at recursion and at mutual recursion', () => {
      const body = 'def f(x):\n    return g(x) + f(x)\n\ndef g(x):\n    return f(x) + x\n\nos.system(f(request.args["q"]))';
      assert.deepEqual(lines(body), [7]);
    });

    it('treats route handler parameters as sources', () => {
      const header = 'import os\nfrom fastapi import FastAPI, Depends, Request\napp = FastAPI()\n';
      const body = '@app.get("/x/{name}")\nasync def x(name: str, request: Request, db=Depends(get_db)):\n    os.system(name)\n    os.system(str(db))\n    os.system((await request.body()).decode())';
      assert.deepEqual(lines(body, header), [3, 5]);
    });
  });

  describe('sources and cost', () => {
    it('builds nothing for a file without any possible source', () => {
      const text = 'import subprocess\n\ndef run(cmd):\n    subprocess.run(cmd, shell=True)\n';
      assert.deepEqual(findings(text, 'x.py', dataflowRules), []);
    });

    it('treats Django view keyword arguments as medium-confidence sources', () => {
      const header = 'import os\nfrom django.http import HttpResponse\n';
      const body = 'def view(request, slug):\n    os.system("ls " + slug)\n    os.system(request.GET["q"])\n    return HttpResponse("ok")';
      assert.deepEqual(taint(body, header), ['2 SEC902 medium', '3 SEC902 high']);
    });

    it('treats a function taking request as a Django view only when something says it is one', () => {
      const header = 'import os\nfrom django.contrib.auth import get_user_model\n';
      const helper = 'def log_in(request, user):\n    os.system("echo " + user)\n';
      const file = (p: string, body: string): string[] => findings(header + body, p, dataflowRules).map((f) => `${f.range.start.line - 1} ${f.ruleId} ${f.confidence}`);
      // A helper in a utility module: `user` is whatever its caller passes.
      assert.deepEqual(file('accounts/utils.py', helper), []);
      // The same function in a views module, or decorated, or returning a response, is a view.
      assert.deepEqual(file('accounts/views.py', helper), ['2 SEC902 medium']);
      assert.deepEqual(file('accounts/views/auth.py', helper), ['2 SEC902 medium']);
      assert.deepEqual(file('accounts/utils.py', '@login_required\n' + helper), ['3 SEC902 medium']);
      assert.deepEqual(file('accounts/utils.py', helper + '    return HttpResponse("ok")\n'), ['2 SEC902 medium']);
      // Methods: an HTTP method name makes a class-based view; anything else needs another sign.
      const cls = (m: string): string => `class Profile(View):\n    def ${m}(self, request, slug):\n        os.system("echo " + slug)\n`;
      assert.deepEqual(file('accounts/mixins.py', cls('get')), ['3 SEC902 medium']);
      assert.deepEqual(file('accounts/mixins.py', cls('audit')), []);
    });

    it('reports flows through unknown calls as info', () => {
      const f = findings(FLASK + 'os.system(lookup(request.args["q"]))', 'app.py', dataflowRules);
      assert.deepEqual(f.map((x) => [x.confidence, x.severity]), [['low', 'info']]);
    });

    it('takes project sources and sanitizers from the configuration', () => {
      const text = 'import os\nfrom myapp.rpc import read_message\n\ndef clean(x):\n    return x\n\nmsg = read_message()\nos.system(msg)\nos.system(clean(msg))\nos.system(myapp_request.body)\n';
      const run = (taint?: { sources: string[]; sanitizers: string[] }): number[] =>
        analyzeSource(text, 'app.py', { rules: dataflowRules, knownRules: ALL_RULES, ...(taint ? { taint } : {}) }).findings.map((f) => f.range.start.line + 1);
      assert.deepEqual(run(), []);
      assert.deepEqual(run({ sources: ['myapp.rpc.read_message', 'myapp_request.body'], sanitizers: [] }), [8, 9, 10]);
      assert.deepEqual(run({ sources: ['myapp.rpc.read_message', 'myapp_request.body'], sanitizers: ['clean'] }), [8, 10]);
    });

    it('treats data read from a socket as a medium-confidence source', () => {
      const header = 'import socket, subprocess\n';
      const body = 'def serve(sock):\n    conn, _ = sock.accept()\n    data = conn.recv(1024).decode()\n    subprocess.run(data, shell=True)\n    subprocess.run("uptime", shell=True)\n';
      assert.deepEqual(taint(body, header), ['4 SEC902 medium']);
    });

    it('treats the path, headers and body of an http.server request handler as sources', () => {
      const header = 'import os\nfrom http.server import BaseHTTPRequestHandler\n';
      const body = [
        'class Handler(BaseHTTPRequestHandler):',
        '    def do_GET(self):',
        '        os.system("echo " + self.path)',
        '        os.system("echo " + self.server_version)',
        '    def do_POST(self):',
        '        n = int(self.headers["Content-Length"])',
        '        body = self.rfile.read(n)',
        '        os.system(body.decode())',
        '        os.system(f"echo {n}")',
        '',
      ].join('\n');
      assert.deepEqual(taint(body, header), ['3 SEC902 high', '8 SEC902 high']);
    });

    it('gives environment variables low confidence', () => {
      assert.deepEqual(taint('os.system(os.environ["CMD"])\nos.system(os.getenv("CMD"))'), ['1 SEC902 low', '2 SEC902 low']);
    });

    it('does not crash on half-typed code', () => {
      for (const t of ['x = request.args[\nos.system(x', 'def f(:\n    return f(', 'os.system(request.', 'def (x):\n  os.system(x)\n(']) {
        assert.doesNotThrow(() => taint(t));
      }
    });

    it('prints the time the analysis adds (not asserted)', function () {
      this.timeout(300_000);
      const others = ALL_RULES.filter((r) => r.enabledByDefault && !r.id.startsWith('SEC9'));
      const all = ALL_RULES.filter((r) => r.enabledByDefault);
      const time = (text: string, rules: typeof all): number => {
        let best = Infinity;
        for (let i = 0; i < 3; i++) {
          // CPU time of this process: the machine running the tests is often shared.
          const t0 = process.cpuUsage();
          analyzeSource(text, 'app.py', { rules, knownRules: ALL_RULES });
          const used = process.cpuUsage(t0);
          best = Math.min(best, (used.user + used.system) / 1000);
        }
        return best;
      };
      const largest = fs
        .readdirSync(FIXTURES)
        .filter((f) => f.endsWith('.py'))
        .map((f) => path.join(FIXTURES, f))
        .sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0]!;
      const generated = generatedFlask(4000);
      const files = [
        [path.basename(largest), fs.readFileSync(largest, 'utf8')],
        ['tainted-sql-query.py', fs.readFileSync(path.join(FIXTURES, 'tainted-sql-query.py'), 'utf8')],
        ['generated Flask app', generatedFlask(400)],
        ['generated Flask app', generated],
      ] as const;
      // Warm up both rule sets (JIT) before measuring.
      for (const [, text] of files.slice(0, 3)) {
        time(text, all);
        time(text, others);
      }
      for (const [name, text] of files) {
        const without = time(text, others);
        const with9xx = time(text, all);
        console.log(`      taint cost on ${name} (${text.split('\n').length} lines): ${without.toFixed(1)} ms CPU without 9xx rules, ${with9xx.toFixed(1)} ms with (+${(with9xx - without).toFixed(1)} ms)`);
      }
      const f = findings(generated, 'app.py', dataflowRules);
      assert.ok(f.length > 0);
    });
  });
});

/** A Flask application of about `n` lines: views, helpers that build queries and commands. */
export function generatedFlask(n: number): string {
  const out = ['import os', 'import subprocess', 'import sqlite3', 'from flask import Flask, request, redirect', '', 'app = Flask(__name__)', 'db = sqlite3.connect("app.db")', ''];
  for (let i = 0; out.length < n; i++) {
    out.push(
      `def helper_${i}(value, limit=10):`,
      `    cleaned = value.strip()`,
      `    query = "SELECT * FROM t${i} WHERE name = '" + cleaned + "' LIMIT %d" % limit`,
      `    return db.execute(query).fetchall()`,
      '',
      `def build_${i}(arg):`,
      `    parts = ["echo", arg]`,
      `    return " ".join(parts)`,
      '',
      `@app.route("/v${i}/<name>")`,
      `def view_${i}(name):`,
      `    q = request.args.get("q", "")`,
      `    rows = helper_${i}(q)`,
      `    total = helper_${i}("constant")`,
      `    if q in {"a", "b"}:`,
      `        subprocess.run(build_${i}(q), shell=True)`,
      `    os.system(build_${i}(name))`,
      `    data = {"rows": rows, "total": total, "n": int(request.args.get("n", 0))}`,
      `    return redirect("/done/" + name) if data else str(data)`,
      '',
    );
  }
  return out.join('\n') + '\n';
}
