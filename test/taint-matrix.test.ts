// Issue 6: every source family x every sink family of the taint rules (SEC901-SEC916). For each
// pair a small Python file is generated: `x = <source>` then a sink that uses `x`, which must
// give exactly one finding of the sink's rule, on the sink line; and its safe twins, each of
// which must stay silent for that rule: a constant instead of the source, an allowlist check
// around the sink, an allowlist check that returns early, `int()` (the sanitizer for every
// sink), and the sink's own sanitizers where the engine has some.
//
// Pairs are written with the framework of the source where the sink exists in it (a Django
// source meets Django's `HttpResponseRedirect`, a FastAPI parameter FastAPI's `RedirectResponse`).
// Sources outside a web framework (`sys.argv`, `input()`, a socket, `http.server`, the
// environment) meet the web sinks (redirect, header, session, cookie) in their Flask form, the
// framework imported in the same file, and HTML as a `markupsafe.Markup()` string; Python allows
// it, so no pair is left out.
//
// Sinks that keep only data from the network (SEC914-SEC916, `remoteOnly` below) must be
// silent for the operator's own inputs (`notWeb`: the command line, the terminal, the
// environment); that silence is the pair's expectation. A socket peer is remote and counts.
// SEC913 is not one of them: it reports every source, as SEC901-SEC912 do.
//
// Cases the engine gets wrong are not skipped: they are listed in KNOWN_GAPS, where each is
// asserted to still fail, so that the test flips (and asks to move the case out of the table)
// when the gap is fixed.

import * as assert from 'node:assert/strict';
import type { Confidence, Finding } from '../server/src/engine/types';
import { dataflowRules } from '../server/src/rules/dataflow';
import { findings, ready, syntaxErrors } from './support/engine';

type Framework = 'flask' | 'django' | 'starlette' | 'fastapi' | 'none';

interface Source {
  /** "Flask request.args": the start of each test name. */
  name: string;
  framework: Framework;
  /** The file name: Django sources live in `views.py`, where a function taking `request` is a view. */
  path: string;
  imports: string[];
  prelude: string[];
  /** The function (or method) around the code, unindented; its body is indented by `indent`. */
  header: string[];
  indent: string;
  /** What `x = ...` reads. */
  expr: string;
  confidence: Confidence;
  /**
   * Not data of a web request: the operator's own command line, terminal and environment
   * (`LOCAL_INPUTS` in report.ts), and what a socket peer sent. The sinks that keep only
   * `remoteAndDirect` flows (SEC914-SEC916: "only data from a web request counts") must not
   * report it.
   */
  notWeb?: boolean;
}

const SOURCES: Source[] = [
  ...(
    [
      ['Flask request.args', 'request.args["q"]'],
      ['Flask request.form', 'request.form["q"]'],
      ['Flask request.get_json()', 'request.get_json()["q"]'],
      ['Flask request.files filename', 'request.files["f"].filename'],
    ] as const
  ).map(([name, expr]): Source => ({
    name,
    framework: 'flask',
    path: 'app.py',
    imports: ['from flask import Flask, request'],
    prelude: ['app = Flask(__name__)'],
    header: ['@app.route("/x", methods=["GET", "POST"])', 'def handler():'],
    indent: '    ',
    expr,
    confidence: 'high',
  })),
  ...(
    [
      ['Django request.GET', 'request.GET["q"]'],
      ['Django request.POST', 'request.POST["q"]'],
    ] as const
  ).map(([name, expr]): Source => ({
    name,
    framework: 'django',
    path: 'views.py',
    imports: ['from django.http import HttpResponse'],
    prelude: [],
    header: ['def view(request):'],
    indent: '    ',
    expr,
    confidence: 'high',
  })),
  {
    name: 'Django view URL argument',
    framework: 'django',
    path: 'views.py',
    imports: ['from django.http import HttpResponse'],
    prelude: [],
    header: ['def view(request, slug):'],
    indent: '    ',
    expr: 'slug',
    confidence: 'medium',
  },
  {
    name: 'FastAPI route parameter',
    framework: 'fastapi',
    path: 'main.py',
    // `request: Request` is not request data (FastAPI fills it with the request object); it is
    // there for `request.session`.
    imports: ['from fastapi import FastAPI, Request'],
    prelude: ['app = FastAPI()'],
    header: ['@app.get("/x")', 'async def handler(request: Request, q: str):'],
    indent: '    ',
    expr: 'q',
    confidence: 'high',
  },
  {
    name: 'Starlette request.query_params',
    framework: 'starlette',
    path: 'main.py',
    imports: ['from starlette.requests import Request'],
    prelude: [],
    header: ['async def handler(request: Request):'],
    indent: '    ',
    expr: 'request.query_params["q"]',
    confidence: 'high',
  },
  { name: 'sys.argv', framework: 'none', path: 'tool.py', imports: ['import sys'], prelude: [], header: ['def main():'], indent: '    ', expr: 'sys.argv[1]', confidence: 'medium', notWeb: true },
  { name: 'input()', framework: 'none', path: 'tool.py', imports: [], prelude: [], header: ['def main():'], indent: '    ', expr: 'input()', confidence: 'medium', notWeb: true },
  // A socket peer is remote, like a web client: it counts for the log, session and cookie rules.
  { name: 'socket recv', framework: 'none', path: 'server.py', imports: ['import socket'], prelude: [], header: ['def handle(conn):'], indent: '    ', expr: 'conn.recv(1024).decode()', confidence: 'medium' },
  {
    name: 'http.server self.path',
    framework: 'none',
    path: 'server.py',
    imports: ['from http.server import BaseHTTPRequestHandler'],
    prelude: [],
    header: ['class Handler(BaseHTTPRequestHandler):', '    def do_GET(self):'],
    indent: '        ',
    expr: 'self.path',
    confidence: 'high',
  },
  { name: 'os.environ', framework: 'none', path: 'tool.py', imports: ['import os'], prelude: [], header: ['def main():'], indent: '    ', expr: 'os.environ["X"]', confidence: 'low', notWeb: true },
];

/** How a sink is written in one framework: `sink` uses `x`. */
interface SinkForm {
  imports: string[];
  prelude?: string[];
  setup?: string[];
  sink: string;
  tail?: string[];
}

interface Sanitizer {
  name: string;
  imports: string[];
  wrap: (expr: string) => string;
}

interface Sink {
  name: string;
  rule: string;
  /** The rule caps its confidence at this (`reportFlows(..., confidence)`); the finding has the lower of it and the source's. */
  cap?: Confidence;
  /**
   * The rule keeps only `remoteAndDirect` flows, data from a web request (SEC914, SEC915,
   * SEC916): sources marked `notWeb` must be silent. SEC913 does not: it filters only
   * `mayHoldLineBreaks` and, like SEC901-SEC912, reports the command line, the terminal, a
   * socket and (low, info) the environment.
   */
  remoteOnly?: boolean;
  form: (fw: Framework) => SinkForm;
  /** The sanitizers the engine knows for this sink kind (besides `int()`, which is for all). */
  sanitizers: Sanitizer[];
}

const san = (name: string, imports: string[], call = name): Sanitizer => ({ name: `${name}()`, imports, wrap: (e) => `${call}(${e})` });
const QUOTE = san('urllib.parse.quote', ['import urllib.parse']);
const web = (fw: Framework): 'flask' | 'django' | 'asgi' => (fw === 'django' ? 'django' : fw === 'starlette' || fw === 'fastapi' ? 'asgi' : 'flask');
/** `starlette.responses` or `fastapi.responses`: each ASGI source uses its own framework's classes. */
const responses = (fw: Framework): string => `${fw === 'fastapi' ? 'fastapi' : 'starlette'}.responses`;

const SINKS: Sink[] = [
  {
    name: 'SQL',
    rule: 'SEC901',
    form: () => ({ imports: ['import sqlite3'], setup: ['cur = sqlite3.connect("app.db").cursor()'], sink: `cur.execute(f"SELECT * FROM users WHERE name = '{x}'")` }),
    sanitizers: [],
  },
  {
    name: 'command',
    rule: 'SEC902',
    form: (fw) =>
      web(fw) === 'flask'
        ? { imports: ['import os'], sink: 'os.system(f"grep {x} /var/log/app.log")' }
        : { imports: ['import subprocess'], sink: 'subprocess.run(f"grep {x} /var/log/app.log", shell=True)' },
    sanitizers: [san('shlex.quote', ['import shlex'])],
  },
  {
    name: 'code',
    rule: 'SEC903',
    form: () => ({ imports: [], sink: 'eval(x)' }),
    sanitizers: [san('ast.literal_eval', ['import ast']), san('json.dumps', ['import json'])],
  },
  {
    name: 'deserialization',
    rule: 'SEC904',
    form: () => ({ imports: ['import pickle'], sink: 'pickle.loads(x)' }),
    sanitizers: [],
  },
  {
    name: 'path',
    rule: 'SEC905',
    form: (fw) =>
      fw === 'flask'
        ? { imports: ['from flask import send_file'], sink: 'return send_file(x)' }
        : web(fw) === 'asgi'
          ? { imports: [`from ${responses(fw)} import FileResponse`], sink: 'return FileResponse(x)' }
          : { imports: [], sink: 'data = open(x).read()' },
    sanitizers: [san('os.path.basename', ['import os']), san('secure_filename', ['from werkzeug.utils import secure_filename'])],
  },
  {
    name: 'SSRF',
    rule: 'SEC906',
    form: () => ({ imports: ['import requests'], sink: 'body = requests.get(x, timeout=5).text' }),
    sanitizers: [QUOTE],
  },
  {
    name: 'redirect',
    rule: 'SEC907',
    form: (fw) =>
      web(fw) === 'django'
        ? { imports: ['from django.http import HttpResponseRedirect'], sink: 'return HttpResponseRedirect(x)' }
        : web(fw) === 'asgi'
          ? { imports: [`from ${responses(fw)} import RedirectResponse`], sink: 'return RedirectResponse(x)' }
          : { imports: ['from flask import redirect'], sink: 'return redirect(x)' },
    sanitizers: [QUOTE],
  },
  {
    name: 'XSS',
    rule: 'SEC908',
    form: (fw) =>
      fw === 'django'
        ? { imports: ['from django.http import HttpResponse'], sink: 'return HttpResponse(f"<p>{x}</p>")' }
        : web(fw) === 'asgi'
          ? { imports: [`from ${responses(fw)} import HTMLResponse`], sink: 'return HTMLResponse(f"<p>{x}</p>")' }
          : fw === 'flask'
            ? { imports: ['from flask import Response'], sink: 'return Response(f"<p>{x}</p>")' }
            : { imports: ['from markupsafe import Markup'], sink: 'page = Markup(f"<p>{x}</p>")' },
    sanitizers: [san('html.escape', ['import html']), san('markupsafe.escape', ['import markupsafe'])],
  },
  {
    name: 'XPath',
    rule: 'SEC909',
    form: () => ({ imports: ['from lxml import etree'], prelude: ['DOC = etree.parse("users.xml")'], sink: `users = DOC.xpath(f"//user[@name='{x}']")` }),
    sanitizers: [],
  },
  {
    name: 'LDAP',
    rule: 'SEC910',
    form: () => ({ imports: ['from ldap3 import Connection'], prelude: ['DIRECTORY = Connection("ldap://ldap.example.com")'], sink: 'DIRECTORY.search("dc=example,dc=com", f"(uid={x})")' }),
    sanitizers: [san('escape_filter_chars', ['from ldap3.utils.conv import escape_filter_chars'])],
  },
  {
    name: 'regex',
    rule: 'SEC911',
    form: () => ({ imports: ['import re'], sink: 'pattern = re.compile(x)' }),
    sanitizers: [san('re.escape', ['import re'])],
  },
  {
    name: 'XXE',
    rule: 'SEC912',
    // `resolve_entities=True`: high confidence whatever the lxml version.
    cap: 'high',
    form: () => ({ imports: ['from lxml import etree'], prelude: ['PARSER = etree.XMLParser(resolve_entities=True)'], sink: 'doc = etree.fromstring(x, PARSER)' }),
    sanitizers: [],
  },
  {
    name: 'response header',
    rule: 'SEC913',
    cap: 'medium',
    // SEC913 filters only `mayHoldLineBreaks` (request headers and cookies), not `remoteAndDirect`:
    // it reports the command line and the environment too (low/info for the environment).
    form: (fw) =>
      web(fw) === 'django'
        ? { imports: ['from django.http import HttpResponse'], setup: ['response = HttpResponse("ok")'], sink: 'response["X-Q"] = x', tail: ['return response'] }
        : web(fw) === 'asgi'
          ? { imports: [`from ${responses(fw)} import Response`], sink: 'return Response("ok", headers={"X-Q": x})' }
          : { imports: ['from flask import make_response'], setup: ['resp = make_response("ok")'], sink: 'resp.headers["X-Q"] = x', tail: ['return resp'] },
    sanitizers: [QUOTE, san('base64.b64encode', ['import base64']), san('json.dumps', ['import json'])],
  },
  {
    name: 'log message',
    rule: 'SEC914',
    cap: 'medium',
    remoteOnly: true,
    form: () => ({ imports: ['import logging'], prelude: ['log = logging.getLogger(__name__)'], sink: 'log.info("query %s", x)' }),
    sanitizers: [QUOTE, san('json.dumps', ['import json'])],
  },
  {
    name: 'session',
    rule: 'SEC915',
    cap: 'medium',
    remoteOnly: true,
    form: (fw) => (web(fw) === 'flask' ? { imports: ['from flask import session'], sink: 'session["q"] = x' } : { imports: [], sink: 'request.session["q"] = x' }),
    sanitizers: [san('uuid.UUID', ['import uuid'])],
  },
  {
    name: 'cookie',
    rule: 'SEC916',
    // A cookie named `user` is neither a session cookie (high) nor a preference (low).
    cap: 'medium',
    remoteOnly: true,
    form: (fw) =>
      web(fw) === 'django'
        ? { imports: ['from django.http import HttpResponse'], setup: ['response = HttpResponse("ok")'], sink: 'response.set_cookie("user", x)', tail: ['return response'] }
        : web(fw) === 'asgi'
          ? { imports: [`from ${responses(fw)} import Response`], setup: ['response = Response("ok")'], sink: 'response.set_cookie("user", x)', tail: ['return response'] }
          : { imports: ['from flask import make_response'], setup: ['resp = make_response("ok")'], sink: 'resp.set_cookie("user", x)', tail: ['return resp'] },
    sanitizers: [san('uuid.UUID', ['import uuid'])],
  },
];

/** `int()` makes a value safe for every sink kind. */
const INT: Sanitizer = { name: 'int()', imports: [], wrap: (e) => `int(${e})` };

/** Import lines, `from m import a` and `from m import b` merged, each module once. */
function importLines(lines: string[]): string[] {
  const plain = new Set<string>();
  const from = new Map<string, Set<string>>();
  for (const l of lines) {
    const m = /^from (\S+) import (.+)$/.exec(l);
    if (!m) plain.add(l);
    else for (const n of m[2]!.split(',')) (from.get(m[1]!) ?? from.set(m[1]!, new Set()).get(m[1]!)!).add(n.trim());
  }
  return [...[...plain].sort(), ...[...from.keys()].sort().map((m) => `from ${m} import ${[...from.get(m)!].sort().join(', ')}`)];
}

interface Case {
  /** "Flask request.args -> SQL: reported". */
  title: string;
  path: string;
  text: string;
  rule: string;
  /** The finding expected (1-based line), or null for silence. */
  expect: { line: number; confidence: Confidence } | null;
}

const RANK: Record<Confidence, number> = { high: 3, medium: 2, low: 1 };
const lower = (a: Confidence, b: Confidence): Confidence => (RANK[a] <= RANK[b] ? a : b);

/** The Python file of one case: `body` is the function body (unindented), `sink` marks the sink line. */
function build(source: Source, sink: Sink, form: SinkForm, body: string[], extraImports: string[]): { text: string; line: number } {
  const lines = [...importLines([...source.imports, ...form.imports, ...extraImports]), '', ...source.prelude, ...(form.prelude ?? []), 'ALLOWED = {"alpha", "beta"}', '', ''];
  lines.push(...source.header);
  let line = -1;
  for (const b of body) {
    if (b.trimStart() === form.sink) line = lines.length + 1;
    lines.push(source.indent + b);
  }
  assert.ok(line > 0, `${source.name} -> ${sink.name}: the sink line is in the body`);
  return { text: `${lines.join('\n')}\n`, line };
}

function casesOf(source: Source, sink: Sink): Case[] {
  const form = sink.form(source.framework);
  const pair = `${source.name} -> ${sink.name}`;
  const setup = form.setup ?? [];
  const tail = form.tail ?? [];
  const make = (what: string, body: string[], expect: 'line' | null, extraImports: string[] = []): Case => {
    const { text, line } = build(source, sink, form, body, extraImports);
    return { title: `${pair}: ${what}`, path: source.path, text, rule: sink.rule, expect: expect === 'line' ? { line, confidence: lower(sink.cap ?? 'high', source.confidence) } : null };
  };
  const flow = (value: string): string[] => [`x = ${value}`, ...setup, form.sink, ...tail];
  if (sink.remoteOnly && source.notWeb) {
    // The rule keeps only data from a web request (`remoteAndDirect`): the operator's own
    // command line, terminal and environment are not reported.
    // Twins of a silent case would say nothing more.
    return [make(`silent (not a web request: ${sink.rule} keeps only web request data)`, flow(source.expr), null)];
  }
  const cases = [
    make('reported', flow(source.expr), 'line'),
    // The source is still read, into another name: only `x` reaches the sink.
    make('constant: silent', [`other = ${source.expr}`, 'x = "alpha"', ...setup, form.sink, ...tail], null),
    make('allowlist guard: silent', [`x = ${source.expr}`, ...setup, 'if x in ALLOWED:', `    ${form.sink}`, ...tail], null),
    make('allowlist early return: silent', [`x = ${source.expr}`, 'if x not in ALLOWED:', '    return None', ...setup, form.sink, ...tail], null),
  ];
  for (const s of [INT, ...sink.sanitizers]) cases.push(make(`sanitised by ${s.name}: silent`, flow(s.wrap(source.expr)), null, s.imports));
  return cases;
}

const CASES: Case[] = SOURCES.flatMap((source) => SINKS.flatMap((sink) => casesOf(source, sink)));

/**
 * Cases the engine gets wrong today, by test title, with why. Each is asserted to STILL fail:
 * when one starts passing, its test fails and asks for the entry to be removed.
 */
const KNOWN_GAPS: Record<string, string> = {};

function check(c: Case): void {
  const got: Finding[] = findings(c.text, c.path, dataflowRules).filter((f) => f.ruleId === c.rule);
  const shown = got.map((f) => `${f.range.start.line + 1} ${f.ruleId} ${f.confidence} ${f.severity}`);
  if (!c.expect) {
    assert.deepEqual(shown, [], `expected no ${c.rule} finding in:\n${c.text}`);
    return;
  }
  assert.equal(got.length, 1, `expected exactly one ${c.rule} finding, got ${JSON.stringify(shown)} in:\n${c.text}`);
  const f = got[0]!;
  assert.equal(f.ruleId, c.rule);
  assert.equal(f.range.start.line + 1, c.expect.line, `the finding is on the sink line in:\n${c.text}`);
  assert.equal(f.confidence, c.expect.confidence, `confidence in:\n${c.text}`);
  // A lead, not a verdict: low confidence (the environment) comes with severity info.
  if (c.expect.confidence === 'low') assert.equal(f.severity, 'info');
  else assert.notEqual(f.severity, 'info');
}

describe('taint matrix: every source family x every sink family', () => {
  before(() => ready);

  it('covers every source x sink pair, and every dataflow rule', () => {
    const pairs = new Set(CASES.map((c) => c.title.slice(0, c.title.indexOf(': '))));
    assert.equal(pairs.size, SOURCES.length * SINKS.length);
    assert.deepEqual(new Set(SINKS.map((s) => s.rule)), new Set(dataflowRules.map((r) => r.id)));
    assert.equal(new Set(CASES.map((c) => c.title)).size, CASES.length, 'test names are unique');
  });

  it('generates Python without syntax errors', () => {
    const broken = CASES.map((c) => [c.title, syntaxErrors(c.text)] as const).filter(([, e]) => e.length > 0);
    assert.deepEqual(broken, []);
  });

  it('lists only known gaps that are cases of the matrix', () => {
    const titles = new Set(CASES.map((c) => c.title));
    assert.deepEqual(Object.keys(KNOWN_GAPS).filter((t) => !titles.has(t)), []);
  });

  for (const source of SOURCES) {
    describe(source.name, () => {
      for (const c of CASES.filter((x) => x.title.startsWith(`${source.name} -> `))) {
        const gap = KNOWN_GAPS[c.title];
        if (gap === undefined) it(c.title, () => check(c));
        else it(`KNOWN GAP, still failing: ${c.title} (${gap})`, () => assert.throws(() => check(c), assert.AssertionError, 'this gap is fixed: remove it from KNOWN_GAPS'));
      }
    });
  }
});
