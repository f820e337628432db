// The sinks SEC912-SEC916 beyond their fixtures: the Django and Starlette forms, what each rule
// deliberately leaves out, and the sink-kind bits the sanitizers set.

import * as assert from 'node:assert/strict';
import { SinkKind } from '../server/src/engine/taint';
import { ALL_KINDS, sanitize, type Taint } from '../server/src/engine/taint/types';
import { dataflowRules } from '../server/src/rules/dataflow';
import { findings, ready } from './support/engine';

/** "line ruleId confidence" of the 9xx findings of `text`. */
function found(text: string, rule: string): string[] {
  return findings(text, 'views.py', dataflowRules)
    .filter((f) => f.ruleId === rule)
    .map((f) => `${f.range.start.line + 1} ${f.ruleId} ${f.confidence}`);
}

const DJANGO = 'from django.http import HttpResponse, JsonResponse\nfrom lxml import etree\n\n\n';

describe('taint sinks SEC912-SEC916', () => {
  before(() => ready);

  describe('sink kinds', () => {
    it('ALL_KINDS is every bit, including the new sink kinds', () => {
      const every = Object.values(SinkKind).reduce((a, b) => a | b, 0);
      assert.equal(ALL_KINDS, every);
      for (const k of [SinkKind.xxe, SinkKind.header, SinkKind.log, SinkKind.session, SinkKind.cookie]) assert.equal(ALL_KINDS & k, k);
      assert.equal(new Set(Object.values(SinkKind)).size, Object.values(SinkKind).length, 'no bit is used twice');
    });

    it('drops an origin only once it is safe for every kind', () => {
      const origin = { kind: 'source', param: -1, node: null as never, label: 'request.args', confidence: 'high', sanitized: 0, steps: [] } as Taint[number];
      assert.equal(sanitize([origin], ALL_KINDS).length, 0);
      assert.equal(sanitize([origin], ALL_KINDS & ~SinkKind.cookie).length, 1);
    });

    it('uuid.UUID() stops every new sink, json.dumps() only the line-based ones', () => {
      const text = `import json, logging, uuid\nfrom flask import Flask, make_response, request, session\napp = Flask(__name__)\nlog = logging.getLogger(__name__)\n\n\n@app.route("/a")\ndef a():\n    u = uuid.UUID(request.args["u"])\n    j = json.dumps(request.args["j"])\n    log.info("%s %s", u, j)\n    session["u"] = u\n    session["j"] = j\n    resp = make_response("x")\n    resp.headers["X-U"] = str(u)\n    resp.headers["X-J"] = j\n    resp.set_cookie("j", j)\n    return resp\n`;
      const all = findings(text, 'app.py', dataflowRules).map((f) => `${f.range.start.line + 1} ${f.ruleId}`);
      assert.deepEqual(all.sort(), ['13 SEC915', '17 SEC916']);
    });
  });

  describe('SEC912 tainted-xml-parse', () => {
    it('reports a Django request body parsed by lxml, and not by the standard library', () => {
      const text = `${DJANGO}import xml.etree.ElementTree as ET\nfrom xml.dom import minidom\n\n\ndef upload(request):\n    etree.fromstring(request.body)\n    ET.fromstring(request.body)\n    minidom.parseString(request.body)\n    return HttpResponse("ok")\n`;
      assert.deepEqual(found(text, 'SEC912'), ['10 SEC912 medium']);
    });

    it('does not guess about a parser passed in from elsewhere', () => {
      const text = `${DJANGO}def upload(request, parser):\n    etree.fromstring(request.body, parser)\n    return HttpResponse("ok")\n`;
      assert.deepEqual(found(text, 'SEC912'), []);
    });
  });

  describe('SEC913 tainted-response-header', () => {
    it('reports Django response["X"], setdefault() and HttpResponse(headers=...)', () => {
      const text = `${DJANGO}def export(request):\n    response = HttpResponse("data")\n    response["Content-Disposition"] = "attachment; filename=%s" % request.GET["name"]\n    response.setdefault("X-Mode", request.GET["mode"])\n    HttpResponse("x", headers={"X-Mode": request.GET["mode"]})\n    response["X-Fixed"] = "yes"\n    return response\n`;
      assert.deepEqual(found(text, 'SEC913'), ['7 SEC913 medium', '8 SEC913 medium', '9 SEC913 medium']);
    });

    it('does not take a dict named response, or response_data, for a response', () => {
      const text = `${DJANGO}def search(request):\n    response = {}\n    response["query"] = request.GET["q"]\n    response.setdefault("page", request.GET["page"])\n    return JsonResponse(response)\n\n\ndef fill(request, response_data):\n    response_data["query"] = request.GET["q"]\n`;
      assert.deepEqual(found(text, 'SEC913'), []);
    });

    it('reports Starlette response classes and MutableHeaders.append()', () => {
      const text = 'from fastapi import FastAPI, Request, Response\nfrom fastapi.responses import JSONResponse\n\napp = FastAPI()\n\n\n@app.get("/a")\nasync def a(request: Request, response: Response):\n    response.headers["X-Q"] = request.query_params["q"]\n    response.headers.append("X-R", request.query_params["r"])\n    return JSONResponse({}, headers={"X-S": request.query_params["s"]})\n';
      assert.deepEqual(found(text, 'SEC913'), ['9 SEC913 medium', '10 SEC913 medium', '11 SEC913 medium']);
    });

    it('does not report outgoing request headers', () => {
      const text = 'import requests\nfrom flask import Flask, request\n\napp = Flask(__name__)\nsession = requests.Session()\n\n\n@app.route("/a")\ndef a():\n    session.headers["X-Q"] = request.args["q"]\n    return requests.get("https://api.example.com", headers={"X-Q": request.args["q"]}, timeout=5).text\n';
      assert.deepEqual(found(text, 'SEC913'), []);
    });
  });

  describe('SEC914 tainted-log-message', () => {
    it('leaves out the command line, the environment and data behind an unknown call', () => {
      const text = 'import logging, os, sys\nfrom flask import Flask, request\n\napp = Flask(__name__)\nlog = logging.getLogger(__name__)\n\n\ndef main():\n    log.info("args %s", sys.argv)\n    log.info("home %s", os.environ["HOME"])\n\n\n@app.route("/a")\ndef a():\n    log.info("user %s", lookup(request.args["u"]))\n    log.info("user %s", request.args["u"].strip())\n    return "ok"\n';
      assert.deepEqual(found(text, 'SEC914'), ['16 SEC914 medium']);
    });

    it('checks each argument of a message without placeholders (loguru, structlog), once per call', () => {
      const text = 'from flask import Flask, request\nfrom loguru import logger\n\napp = Flask(__name__)\n\n\n@app.route("/a")\ndef a():\n    logger.info("user {} from {}", request.args["u"], request.args["from"])\n    logger.info("user", name=request.args["u"])\n    return "ok"\n';
      assert.deepEqual(found(text, 'SEC914'), ['9 SEC914 medium']);
    });

    it('does not take print() or a catalog for a logger', () => {
      const text = 'from flask import Flask, request\n\napp = Flask(__name__)\n\n\n@app.route("/a")\ndef a():\n    print("user %s" % request.args["u"])\n    catalog.info("user %s", request.args["u"])\n    return "ok"\n';
      assert.deepEqual(found(text, 'SEC914'), []);
    });
  });

  describe('SEC915 tainted-session-data', () => {
    it('reports Django request.session writes', () => {
      const text = `${DJANGO}def view(request):\n    request.session["cart"] = request.POST["cart"]\n    request.session.update({"next": request.GET["next"]})\n    request.session["visits"] = 1\n    return HttpResponse("ok")\n`;
      assert.deepEqual(found(text, 'SEC915'), ['6 SEC915 medium', '7 SEC915 medium']);
    });

    it('does not take a SQLAlchemy session for the Flask session', () => {
      const text = 'from flask import Flask, request, session\n\napp = Flask(__name__)\n\n\n@app.route("/a")\ndef a():\n    session = make_db_session()\n    session["q"] = request.args["q"]\n    return "ok"\n\n\n@app.route("/b")\ndef b():\n    session["q"] = request.args["q"]\n    return "ok"\n';
      assert.deepEqual(found(text, 'SEC915'), ['15 SEC915 medium']);
    });
  });

  describe('SEC916 tainted-cookie', () => {
    it('reports Django set_cookie() and set_signed_cookie() with request data', () => {
      const text = `${DJANGO}def view(request):\n    response = HttpResponse("ok")\n    response.set_cookie("user", request.GET["user"], secure=True, httponly=True, samesite="Lax")\n    response.set_signed_cookie("role", request.POST["role"], salt="r", secure=True, httponly=True, samesite="Lax")\n    response.set_cookie("seen", "1", secure=True, httponly=True, samesite="Lax")\n    return response\n`;
      assert.deepEqual(found(text, 'SEC916'), ['7 SEC916 medium', '8 SEC916 medium']);
    });

    it('leaves the missing flags to SEC216: one finding each, on the same call', () => {
      const text = `${DJANGO}def view(request):\n    response = HttpResponse("ok")\n    response.set_cookie("user", request.GET["user"])\n    return response\n`;
      const all = findings(text, 'views.py').filter((f) => f.ruleId === 'SEC916' || f.ruleId === 'SEC216');
      assert.deepEqual(all.map((f) => f.ruleId).sort(), ['SEC216', 'SEC916']);
      assert.match(all.find((f) => f.ruleId === 'SEC916')!.message, /reaches the value of cookie `user`/);
      assert.deepEqual(all.find((f) => f.ruleId === 'SEC916')!.fixes, []);
    });
  });
});
