// Exact text of the fixes added to SEC213 csrf-exempt, SEC521 jwt-signature-not-verified and
// SEC911 tainted-regex-pattern, and where they are (deliberately) not offered.

import * as assert from 'node:assert/strict';
import { applyEdits } from '../server/src/engine/fixes';
import type { Finding } from '../server/src/engine/types';
import { findings, ready } from './support/engine';

function of(id: string, text: string, path = 'app/views.py'): Finding[] {
  return findings(text, path).filter((f) => f.ruleId === id);
}

function fixed(id: string, text: string): string {
  const found = of(id, text);
  assert.equal(found.length, 1, `one ${id} finding expected, got ${found.length}`);
  const f = found[0]!.fixes[0];
  assert.ok(f, `${id} finding has a fix`);
  assert.equal(f.safety, 'unsafe');
  return applyEdits(text, f.edits);
}

describe('more fixes', () => {
  before(() => ready);

  it('SEC213 removes the @csrf_exempt line, CRLF included, and keeps the other decorators', () => {
    const src = 'from django.views.decorators.csrf import csrf_exempt\r\nfrom django.views.decorators.http import require_POST\r\n\r\n\r\n@require_POST\r\n    \r\n@csrf_exempt\r\ndef update(request):\r\n    return None\r\n';
    assert.equal(fixed('SEC213', src), 'from django.views.decorators.csrf import csrf_exempt\r\nfrom django.views.decorators.http import require_POST\r\n\r\n\r\n@require_POST\r\n    \r\ndef update(request):\r\n    return None\r\n');
  });

  it('SEC213 unwraps csrf_exempt(view) in a URL configuration, but offers nothing for method_decorator', () => {
    const src = 'from django.urls import path\nfrom django.views.decorators.csrf import csrf_exempt\n\nfrom . import views\n\nurlpatterns = [path("transfer/", csrf_exempt(views.transfer))]\n';
    assert.equal(fixed('SEC213', src), 'from django.urls import path\nfrom django.views.decorators.csrf import csrf_exempt\n\nfrom . import views\n\nurlpatterns = [path("transfer/", views.transfer)]\n');
    const cbv = 'from django.utils.decorators import method_decorator\nfrom django.views import View\nfrom django.views.decorators.csrf import csrf_exempt\n\n\n@method_decorator(csrf_exempt, name="dispatch")\nclass Transfer(View):\n    pass\n';
    const found = of('SEC213', cbv);
    assert.equal(found.length, 1);
    assert.deepEqual(found[0]!.fixes, []);
  });

  it('SEC521 turns verification back on, in options and in the PyJWT 1 keyword', () => {
    const a = 'import jwt\n\n\ndef read(token):\n    return jwt.decode(token, options={"verify_signature": False})\n';
    assert.equal(fixed('SEC521', a), 'import jwt\n\n\ndef read(token):\n    return jwt.decode(token, options={"verify_signature": True})\n');
    const b = 'import jwt\n\n\ndef read(token, key):\n    return jwt.decode(token, key, verify=False)\n';
    assert.equal(fixed('SEC521', b), 'import jwt\n\n\ndef read(token, key):\n    return jwt.decode(token, key, verify=True)\n');
  });

  it('SEC911 escapes a request value used as a pattern, with the module the call uses', () => {
    const src = 'import re\n\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n@app.route("/search")\ndef search():\n    return str(re.search(request.args["q"], "text"))\n';
    assert.equal(fixed('SEC911', src), 'import re\n\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n@app.route("/search")\ndef search():\n    return str(re.search(re.escape(request.args["q"]), "text"))\n');
    const viaRegex = 'import regex as rx\n\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n@app.route("/s")\ndef s():\n    return str(rx.compile(request.args["q"]))\n';
    assert.equal(fixed('SEC911', viaRegex), 'import regex as rx\n\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n@app.route("/s")\ndef s():\n    return str(rx.compile(rx.escape(request.args["q"])))\n');
  });
});
