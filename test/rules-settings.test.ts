// Settings and template rules whose result depends on the file's path or imports, which a
// single fixture (analysed under one path) cannot show: settings modules versus other modules,
// test and development files, and the exact text the fixes produce.

import * as assert from 'node:assert/strict';
import { applyEdits, fixAll } from '../server/src/engine/fixes';
import type { Finding } from '../server/src/engine/types';
import { findings, options, ready } from './support/engine';

function of(id: string, text: string, path: string): Finding[] {
  return findings(text, path).filter((f) => f.ruleId === id);
}

describe('settings rules by path', () => {
  before(() => ready);

  describe('SEC210 django-debug-true', () => {
    const text = 'DEBUG = True\n';

    it('reports settings modules by path', () => {
      for (const path of ['mysite/settings.py', 'config/settings/base.py', 'mysite/prod_settings.py', 'settings-prod.py']) {
        assert.equal(of('SEC210', text, path).length, 1, path);
      }
    });

    it('reports a module that sets Django settings, whatever its name', () => {
      assert.equal(of('SEC210', 'INSTALLED_APPS = ["django.contrib.auth"]\nDEBUG = True\n', 'mysite/conf.py').length, 1);
    });

    it('does not report DEBUG = True outside settings modules', () => {
      assert.deepEqual(of('SEC210', text, 'app/constants.py'), []);
      assert.deepEqual(of('SEC210', text, 'scripts/seed.py'), []);
    });

    it('skips test settings', () => {
      for (const path of ['mysite/settings/test.py', 'mysite/test_settings.py', 'mysite/settings/testing.py', 'tests/settings.py']) {
        assert.deepEqual(of('SEC210', text, path), [], path);
      }
    });

    it('reports development settings as information with low confidence', () => {
      for (const path of ['mysite/settings/local.py', 'mysite/dev_settings.py', 'mysite/settings/development.py', 'local_settings.py']) {
        const [f] = of('SEC210', text, path);
        assert.ok(f, path);
        assert.equal(f.severity, 'info', path);
        assert.equal(f.confidence, 'low', path);
      }
    });

    it('reads DEBUG from the environment and adds `import os` once', () => {
      const src = '"""Settings."""\n\nfrom pathlib import Path\n\nDEBUG = True\n';
      const out = fixAll(src, 'mysite/settings.py', options(), true).text;
      assert.equal(out, '"""Settings."""\n\nfrom pathlib import Path\nimport os\n\nDEBUG = os.environ.get("DJANGO_DEBUG") == "1"\n');
      assert.equal(fixAll(src, 'mysite/settings.py', options()).text, src, 'unsafe fixes are not applied by default');
    });
  });

  describe('SEC212 django-allowed-hosts-wildcard', () => {
    it('is for settings modules only', () => {
      assert.equal(of('SEC212', 'ALLOWED_HOSTS = ["*"]\n', 'mysite/settings.py').length, 1);
      assert.equal(of('SEC212', 'ALLOWED_HOSTS = ["*"]\n', 'mysite/settings/local.py')[0]?.confidence, 'low');
      assert.deepEqual(of('SEC212', 'ALLOWED_HOSTS = ["*"]\n', 'mysite/settings/test.py'), []);
    });
  });

  describe('SEC217 insecure-cookie-setting', () => {
    const text = 'SESSION_COOKIE_SECURE = False\nCSRF_COOKIE_SECURE = False\n';

    it('reports Django settings and leaves test settings alone', () => {
      assert.equal(of('SEC217', text, 'mysite/settings/production.py').length, 2);
      assert.deepEqual(of('SEC217', text, 'mysite/settings/test.py'), []);
      assert.deepEqual(of('SEC217', text, 'tests/conftest.py'), []);
    });

    it('reports development settings quietly', () => {
      const found = of('SEC217', text, 'mysite/settings/dev.py');
      assert.equal(found.length, 2);
      assert.ok(found.every((f) => f.severity === 'info' && f.confidence === 'low'));
    });

    it('treats a development config class as development', () => {
      const src = 'class DevelopmentConfig:\n    SESSION_COOKIE_SECURE = False\n\n\nclass ProductionConfig:\n    SESSION_COOKIE_SECURE = False\n';
      const found = of('SEC217', src, 'app/config.py');
      assert.deepEqual(found.map((f) => [f.range.start.line, f.confidence]), [[1, 'low'], [5, 'high']]);
    });
  });
});

describe('framework rules by file', () => {
  before(() => ready);

  it('SEC201: no findings in test files', () => {
    const src = 'from flask import Flask\n\napp = Flask(__name__)\napp.run(debug=True)\napp.config["DEBUG"] = True\n';
    assert.equal(of('SEC201', src, 'app.py').length, 2);
    assert.deepEqual(of('SEC201', src, 'tests/test_app.py'), []);
    assert.deepEqual(of('SEC201', src, 'conftest.py'), []);
  });

  it('SEC201: an imported app is reported with medium confidence when the file does not import Flask', () => {
    const [f] = of('SEC201', 'from myproject import app\n\napp.run(debug=True)\n', 'run.py');
    assert.equal(f?.confidence, 'medium');
    assert.deepEqual(of('SEC201', 'import asyncio\n\nasyncio.run(main(), debug=True)\n', 'run.py'), []);
  });

  it('SEC201: removing `debug=True` leaves a valid call', () => {
    const src = 'from flask import Flask\n\napp = Flask(__name__)\napp.run(host="0.0.0.0", debug=True)\n';
    const [f] = of('SEC201', src, 'app.py');
    assert.equal(applyEdits(src, f!.fixes[0]!.edits), 'from flask import Flask\n\napp = Flask(__name__)\napp.run(host="0.0.0.0")\n');
  });

  it('SEC216: only in files that use a web framework', () => {
    const call = 'def view(response):\n    response.set_cookie("session", "x")\n';
    assert.equal(of('SEC216', `from django.http import HttpResponse\n\n${call}`, 'views.py').length, 1);
    assert.deepEqual(of('SEC216', `import requests\n\n${call}`, 'client.py'), []);
  });

  it('SEC216: Starlette defaults to SameSite=Lax', () => {
    const src = 'from fastapi import Response\n\ndef view(response: Response):\n    response.set_cookie("session", "x", secure=True, httponly=True)\n';
    assert.deepEqual(of('SEC216', src, 'api.py'), []);
  });

  it('SEC216: the fix adds the missing flags one per line in a multi-line call', () => {
    const src = 'from flask import make_response\n\ndef view():\n    resp = make_response("ok")\n    resp.set_cookie(\n        "session",\n        "x",\n    )\n    return resp\n';
    const [f] = of('SEC216', src, 'views.py');
    assert.equal(
      applyEdits(src, f!.fixes[0]!.edits),
      'from flask import make_response\n\ndef view():\n    resp = make_response("ok")\n    resp.set_cookie(\n        "session",\n        "x",\n        secure=True,\n        httponly=True,\n        samesite="Lax",\n    )\n    return resp\n',
    );
  });

  it('SEC213 and SEC215: not in test files', () => {
    const csrf = 'from django.views.decorators.csrf import csrf_exempt\n\n@csrf_exempt\ndef view(request):\n    pass\n';
    assert.equal(of('SEC213', csrf, 'app/views.py').length, 1);
    assert.deepEqual(of('SEC213', csrf, 'app/tests/test_views.py'), []);
    const cors = 'from flask import Flask\nfrom flask_cors import CORS\n\napp = Flask(__name__)\nCORS(app, origins="*")\n';
    assert.equal(of('SEC215', cors, 'app.py').length, 1);
    assert.deepEqual(of('SEC215', cors, 'tests/test_cors.py'), []);
  });

  it('SEC215: flask-cors origins from the app config are respected', () => {
    const src = 'from flask import Flask\nfrom flask_cors import CORS\n\napp = Flask(__name__)\napp.config["CORS_ORIGINS"] = ["https://example.com"]\nCORS(app)\n';
    assert.deepEqual(of('SEC215', src, 'app.py'), []);
  });

  it('SEC701: the select_autoescape fix adds its import', () => {
    const src = 'from jinja2 import Environment\n\nenv = Environment()\n';
    const out = fixAll(src, 'render.py', options(), true).text;
    assert.equal(out, 'from jinja2 import Environment\nfrom jinja2 import select_autoescape\n\nenv = Environment(autoescape=select_autoescape())\n');
  });

  it('SEC703 and SEC710: not in test files', () => {
    const src = 'from django.utils.safestring import mark_safe\n\ndef f(x):\n    return mark_safe(x)\n';
    assert.equal(of('SEC703', src, 'app/html.py').length, 1);
    assert.deepEqual(of('SEC703', src, 'app/tests/test_html.py'), []);
    const ssti = 'from flask import render_template_string, request\n\ndef f():\n    return render_template_string(request.args["t"])\n';
    assert.equal(of('SEC710', ssti, 'app/views.py').length, 1);
    assert.deepEqual(of('SEC710', ssti, 'app/tests/test_views.py'), []);
  });
});
