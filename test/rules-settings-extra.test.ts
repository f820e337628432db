// Deployment-settings rules SEC218-SEC226: which modules count as the complete production
// settings (for settings that are missing), how values read from the environment are judged,
// and the exact text every fix produces.

import * as assert from 'node:assert/strict';
import { applyEdits } from '../server/src/engine/fixes';
import type { Finding } from '../server/src/engine/types';
import { findings, ready } from './support/engine';

function of(id: string, text: string, path: string): Finding[] {
  return findings(text, path).filter((f) => f.ruleId === id);
}

/** The text after applying the one fix of the one finding of `id`. */
function fixed(id: string, text: string, path: string, fixIndex = 0): string {
  const found = of(id, text, path);
  assert.equal(found.length, 1, `one ${id} finding expected, got ${found.length}`);
  const f = found[0]!.fixes[fixIndex];
  assert.ok(f, `${id} has a fix`);
  assert.equal(f.safety, 'unsafe');
  return applyEdits(text, f.edits);
}

const COMPLETE = 'INSTALLED_APPS = ["django.contrib.auth"]\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\n';
const SECURE =
  'SECURE_SSL_REDIRECT = True\nSECURE_HSTS_SECONDS = 31536000\nSESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\n';

describe('deployment settings rules (SEC218-SEC226)', () => {
  before(() => ready);

  describe('missing settings are reported only in the complete production settings', () => {
    const missing = ['SEC218', 'SEC219', 'SEC220'];

    it('reports each missing setting once, at MIDDLEWARE, with medium confidence', () => {
      for (const id of missing) {
        const found = of(id, COMPLETE, 'mysite/settings.py');
        assert.equal(found.length, 1, id);
        assert.equal(found[0]!.range.start.line, 1, id);
        assert.equal(found[0]!.confidence, 'medium', id);
      }
    });

    it('reports nothing when the settings are there', () => {
      for (const id of missing) assert.deepEqual(of(id, COMPLETE + SECURE, 'mysite/settings.py'), [], id);
    });

    it('reports a module named for production at its first statement', () => {
      const src = '"""Production."""\nALLOWED_HOSTS = ["example.com"]\n';
      const [f] = of('SEC218', src, 'mysite/settings/production.py');
      assert.equal(f?.range.start.line, 0);
    });

    it('skips base, development and test settings, star imports, dynamic settings and DEBUG = True', () => {
      const cases: [string, string][] = [
        [COMPLETE, 'mysite/settings/base.py'],
        [COMPLETE, 'mysite/settings/common.py'],
        [COMPLETE, 'mysite/settings/local.py'],
        [COMPLETE, 'mysite/settings/dev.py'],
        [COMPLETE, 'mysite/settings/test.py'],
        [COMPLETE, 'tests/settings.py'],
        [`from .base import *  # noqa\n${COMPLETE}`, 'mysite/settings/production.py'],
        [`${COMPLETE}globals().update(load_settings())\n`, 'mysite/settings.py'],
        [`DEBUG = True\n${COMPLETE}`, 'mysite/settings.py'],
        [`DEBUG = TEMPLATE_DEBUG = True\n${COMPLETE}`, 'mysite/settings.py'],
        ['ALLOWED_HOSTS = ["example.com"]\n', 'mysite/settings.py'],
        ['SECURE_SSL_REDIRECT = True\n', 'app/constants.py'],
      ];
      for (const [src, path] of cases) {
        for (const id of missing) assert.deepEqual(of(id, src, path), [], `${id} ${path}`);
      }
    });

    it('SEC220 names only the missing cookie setting and respects CSRF_USE_SESSIONS', () => {
      const [f] = of('SEC220', `${COMPLETE}SESSION_COOKIE_SECURE = True\n`, 'mysite/settings.py');
      assert.match(f!.message, /^`CSRF_COOKIE_SECURE` is not set/);
      assert.deepEqual(of('SEC220', `${COMPLETE}SESSION_COOKIE_SECURE = True\nCSRF_USE_SESSIONS = True\n`, 'mysite/settings.py'), []);
    });

    it('SEC220 leaves an explicit False to SEC217', () => {
      const src = `${COMPLETE}SESSION_COOKIE_SECURE = False\nCSRF_COOKIE_SECURE = True\n`;
      assert.deepEqual(of('SEC220', src, 'mysite/settings.py'), []);
      assert.equal(of('SEC217', src, 'mysite/settings.py').length, 1);
    });

    it('SEC220 appends the settings at the end of the module, keeping its line endings', () => {
      assert.equal(fixed('SEC220', COMPLETE, 'mysite/settings.py'), `${COMPLETE}SESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\n`);
      const noNewline = 'INSTALLED_APPS = []\nSESSION_COOKIE_SECURE = True';
      assert.equal(fixed('SEC220', noNewline, 'mysite/settings.py'), `${noNewline}\nCSRF_COOKIE_SECURE = True\n`);
      const crlf = 'INSTALLED_APPS = []\r\n';
      assert.equal(fixed('SEC220', crlf, 'mysite/settings.py'), 'INSTALLED_APPS = []\r\nSESSION_COOKIE_SECURE = True\r\nCSRF_COOKIE_SECURE = True\r\n');
    });
  });

  describe('SEC218 django-ssl-redirect-off', () => {
    it('sets an explicit False, or a False default, to True', () => {
      assert.equal(fixed('SEC218', 'SECURE_SSL_REDIRECT = False\n', 'mysite/settings.py'), 'SECURE_SSL_REDIRECT = True\n');
      const env = 'import environ\nenv = environ.Env()\nSECURE_SSL_REDIRECT = env.bool("SSL", default=False)\n';
      const [f] = of('SEC218', env, 'mysite/settings.py');
      assert.equal(f?.confidence, 'medium');
      assert.equal(fixed('SEC218', env, 'mysite/settings.py'), 'import environ\nenv = environ.Env()\nSECURE_SSL_REDIRECT = env.bool("SSL", default=True)\n');
    });

    it('reports development settings quietly and skips test settings', () => {
      const [f] = of('SEC218', 'SECURE_SSL_REDIRECT = False\n', 'mysite/settings/local.py');
      assert.equal(f?.severity, 'info');
      assert.equal(f?.confidence, 'low');
      assert.deepEqual(of('SEC218', 'SECURE_SSL_REDIRECT = False\n', 'mysite/settings/test.py'), []);
    });
  });

  describe('SEC219 django-hsts-too-short', () => {
    it('sets a short literal to one year', () => {
      assert.equal(fixed('SEC219', 'SECURE_HSTS_SECONDS = 60 * 60\n', 'mysite/settings.py'), 'SECURE_HSTS_SECONDS = 31536000\n');
      assert.equal(fixed('SEC219', 'SECURE_HSTS_SECONDS = 0  # rolling out\n', 'mysite/settings.py'), 'SECURE_HSTS_SECONDS = 31536000  # rolling out\n');
    });

    it('says how short the value is', () => {
      assert.match(of('SEC219', 'SECURE_HSTS_SECONDS = 2592000\n', 'mysite/settings.py')[0]!.message, /is 30 days/);
      assert.match(of('SEC219', 'SECURE_HSTS_SECONDS = 0\n', 'mysite/settings.py')[0]!.message, /no Strict-Transport-Security header/);
    });

    it('reports SECURE_HSTS_INCLUDE_SUBDOMAINS = False as information without a fix', () => {
      const [f] = of('SEC219', 'SECURE_HSTS_INCLUDE_SUBDOMAINS = False\n', 'mysite/settings.py');
      assert.equal(f?.severity, 'info');
      assert.deepEqual(f?.fixes, []);
    });
  });

  describe('SEC221 django-nosniff-off', () => {
    it('sets it to True', () => {
      assert.equal(fixed('SEC221', 'SECURE_CONTENT_TYPE_NOSNIFF = False\n', 'mysite/settings.py'), 'SECURE_CONTENT_TYPE_NOSNIFF = True\n');
      assert.deepEqual(of('SEC221', 'SECURE_CONTENT_TYPE_NOSNIFF = False\n', 'app/views.py'), []);
    });
  });

  describe('SEC222 django-x-frame-options-allow', () => {
    it('sets X_FRAME_OPTIONS to SAMEORIGIN', () => {
      assert.equal(fixed('SEC222', 'X_FRAME_OPTIONS = "ALLOW-FROM https://a.example"\n', 'mysite/settings.py'), 'X_FRAME_OPTIONS = "SAMEORIGIN"\n');
    });

    it('appends XFrameOptionsMiddleware to the list', () => {
      const src = 'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.middleware.common.CommonMiddleware",\n]\n';
      assert.equal(
        fixed('SEC222', src, 'mysite/settings.py'),
        'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.middleware.common.CommonMiddleware",\n    "django.middleware.clickjacking.XFrameOptionsMiddleware",\n]\n',
      );
    });

    it('accepts a Content-Security-Policy frame-ancestors instead of the middleware', () => {
      const src = 'MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]\nCSP_FRAME_ANCESTORS = ("\'self\'",)\n';
      assert.deepEqual(of('SEC222', src, 'mysite/settings.py'), []);
    });
  });

  describe('SEC223 django-csrf-middleware-missing', () => {
    const CSRF = '"django.middleware.csrf.CsrfViewMiddleware"';

    it('inserts CsrfViewMiddleware after CommonMiddleware, below a commented-out line, keeping comments', () => {
      const src =
        'MIDDLEWARE = [\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "django.middleware.common.CommonMiddleware",  # first\n    # "django.middleware.csrf.CsrfViewMiddleware",\n    "django.contrib.auth.middleware.AuthenticationMiddleware",\n]\n';
      assert.equal(
        fixed('SEC223', src, 'mysite/settings.py'),
        `MIDDLEWARE = [\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "django.middleware.common.CommonMiddleware",  # first\n    ${CSRF},\n    # "django.middleware.csrf.CsrfViewMiddleware",\n    "django.contrib.auth.middleware.AuthenticationMiddleware",\n]\n`,
      );
    });

    it('inserts inline in a one-line list, with the list quote style, after SessionMiddleware when there is no CommonMiddleware', () => {
      const src = "MIDDLEWARE = ['django.contrib.sessions.middleware.SessionMiddleware', 'django.contrib.auth.middleware.AuthenticationMiddleware']\n";
      assert.equal(
        fixed('SEC223', src, 'mysite/settings.py'),
        "MIDDLEWARE = ['django.contrib.sessions.middleware.SessionMiddleware', 'django.middleware.csrf.CsrfViewMiddleware', 'django.contrib.auth.middleware.AuthenticationMiddleware']\n",
      );
    });

    it('adds a comma after a last item without one', () => {
      const src = 'MIDDLEWARE_CLASSES = (\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "django.middleware.common.CommonMiddleware"\n)\n';
      assert.equal(
        fixed('SEC223', src, 'mysite/settings.py'),
        `MIDDLEWARE_CLASSES = (\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "django.middleware.common.CommonMiddleware",\n    ${CSRF}\n)\n`,
      );
    });

    it('has no fix without an anchor, and medium confidence without session middleware', () => {
      const [f] = of('SEC223', 'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\n', 'mysite/settings.py');
      assert.deepEqual(f?.fixes, []);
      assert.equal(f?.confidence, 'medium');
    });

    it('accepts the middleware added later in the module', () => {
      const src = `MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]\nMIDDLEWARE.insert(1, ${CSRF})\n`;
      assert.deepEqual(of('SEC223', src, 'mysite/settings.py'), []);
    });
  });

  describe('SEC224 drf-allow-any-default', () => {
    const rf = 'REST_FRAMEWORK = {"DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"]}\n';

    it('reports a REST_FRAMEWORK without a default permission in the complete production settings, with low confidence', () => {
      const [f] = of('SEC224', COMPLETE + rf, 'mysite/settings.py');
      assert.equal(f?.confidence, 'low');
      assert.equal(f?.range.start.line, 2);
      assert.deepEqual(of('SEC224', COMPLETE + rf, 'mysite/settings/base.py'), []);
      assert.deepEqual(of('SEC224', `${COMPLETE + rf}REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] = ["x.IsStaff"]\n`, 'mysite/settings.py'), []);
    });
  });

  describe('SEC225 session-lifetime-too-long', () => {
    it('grades by length: info up to 30 days, warning beyond', () => {
      const src = 'from datetime import timedelta\nfrom flask import Flask\napp = Flask(__name__)\napp.config["PERMANENT_SESSION_LIFETIME"] = timedelta(days=14)\napp.config["PERMANENT_SESSION_LIFETIME"] = timedelta(days=31)\n';
      const found = of('SEC225', src, 'app.py');
      assert.deepEqual(found.map((f) => [f.severity, f.confidence]), [['info', 'medium'], ['warning', 'high']]);
      assert.ok(found.every((f) => f.fixes.length === 0));
    });

    it('reads Django SESSION_COOKIE_AGE from settings modules only', () => {
      assert.equal(of('SEC225', 'SESSION_COOKIE_AGE = 60 * 60 * 24 * 90\n', 'mysite/settings.py').length, 1);
      assert.deepEqual(of('SEC225', 'SESSION_COOKIE_AGE = 60 * 60 * 24 * 90\n', 'app/cache.py'), []);
      assert.deepEqual(of('SEC225', 'SESSION_COOKIE_AGE = 60 * 60 * 24 * 90\n', 'mysite/settings/test.py'), []);
    });
  });

  describe('SEC226 debug-from-env-unsafe-default', () => {
    it('changes an on default to an off value that really evaluates to false', () => {
      assert.equal(
        fixed('SEC226', 'import os\nDEBUG = os.environ.get("DEBUG", "True") == "True"\n', 'mysite/settings.py'),
        'import os\nDEBUG = os.environ.get("DEBUG", "False") == "True"\n',
      );
      assert.equal(
        fixed('SEC226', 'import os\nDEBUG = os.getenv("DEBUG", "0") == "0"\n', 'mysite/settings.py'),
        'import os\nDEBUG = os.getenv("DEBUG", "False") == "0"\n',
      );
      assert.equal(
        fixed('SEC226', 'import environ\nenv = environ.Env()\nDEBUG = env.bool("DEBUG", default=True)\n', 'mysite/settings.py'),
        'import environ\nenv = environ.Env()\nDEBUG = env.bool("DEBUG", default=False)\n',
      );
      assert.equal(
        fixed('SEC226', 'from decouple import config\nDEBUG = config("DEBUG", default=True, cast=bool)\n', 'mysite/settings.py'),
        'from decouple import config\nDEBUG = config("DEBUG", default=False, cast=bool)\n',
      );
    });

    it('parses a raw string read', () => {
      const parse = '.lower() in ("1", "true", "yes", "on")';
      assert.equal(fixed('SEC226', 'import os\nDEBUG = os.environ.get("DEBUG", False)\n', 'mysite/settings.py'), `import os\nDEBUG = os.environ.get("DEBUG", "")${parse}\n`);
      assert.equal(fixed('SEC226', 'import os\nDEBUG = os.getenv("DEBUG", "True")\n', 'mysite/settings.py'), `import os\nDEBUG = os.getenv("DEBUG", "")${parse}\n`);
      assert.equal(fixed('SEC226', 'import os\nDEBUG = bool(os.getenv("DEBUG"))\n', 'mysite/settings.py'), `import os\nDEBUG = os.getenv("DEBUG", "")${parse}\n`);
    });

    it('grades: an on default is high confidence, a raw string with an off default medium', () => {
      assert.equal(of('SEC226', 'import os\nDEBUG = os.getenv("DEBUG", "False")\n', 'mysite/settings.py')[0]?.confidence, 'high');
      const [raw] = of('SEC226', 'import os\nDEBUG = os.getenv("DEBUG", False)\n', 'mysite/settings.py');
      assert.equal(raw?.confidence, 'medium');
      assert.match(raw!.message, /"False" and "0"/);
    });

    it('covers Flask: app.debug, app.config, app.run(debug=...) and config classes', () => {
      const src =
        'import os\nfrom flask import Flask\napp = Flask(__name__)\napp.debug = os.environ.get("FLASK_DEBUG", True)\napp.config["DEBUG"] = os.getenv("FLASK_DEBUG", "1")\n\n\nclass ProductionConfig:\n    DEBUG = os.environ.get("DEBUG", "1")\n\n\nclass TestingConfig:\n    DEBUG = os.environ.get("DEBUG", "1")\n\n\napp.run(debug=os.environ.get("FLASK_DEBUG", "1"))\napp.run(debug=os.environ.get("FLASK_DEBUG") == "1")\n';
      assert.deepEqual(of('SEC226', src, 'app.py').map((f) => f.range.start.line), [3, 4, 8, 15]);
    });

    it('leaves scripts, test files and development settings alone or quiet', () => {
      const src = 'import os\nDEBUG = os.getenv("DEBUG", "1")\n';
      assert.deepEqual(of('SEC226', src, 'scripts/report.py'), []);
      assert.deepEqual(of('SEC226', src, 'tests/test_settings.py'), []);
      assert.equal(of('SEC226', src, 'mysite/settings/dev.py')[0]?.severity, 'info');
      assert.equal(of('SEC226', src, 'app/config.py').length, 1);
    });
  });
});
