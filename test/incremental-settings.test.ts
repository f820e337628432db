// The framework and settings rules are local while typing (SEC201, SEC211, SEC213, SEC215,
// SEC221-SEC226, SEC710), with a fileKey for what they read of the whole file: the objects the
// file builds with a tracked constructor (`constructedKey`), the middleware strings outside
// `MIDDLEWARE` (`mentionsKey`), whether the module is the complete production settings, and
// flask-cors's config. Each case has the finding in one place and the whole-file dependency in
// another function: an edit there that flips the dependency re-analyses the whole file, one that
// does not re-analyses that function only, and either way the result is a fresh analysis's.

import * as assert from 'node:assert/strict';
import { analyzeSource } from '../server/src/engine/analyze';
import type { AnalysisResult } from '../server/src/engine/runner';
import { ALL_RULES } from '../server/src/rules';
import { CONSTRUCTORS, TRACKED_CONSTRUCTORS } from '../server/src/rules/util/frameworks';
import { options, ready } from './support/engine';
import { describeFinding, editingSession, type Edit } from './support/incremental';

interface Case {
  rule: string;
  /** What it shows. */
  title: string;
  path: string;
  text: string;
  /** The rule's findings (messages) before the flip, and after it. */
  before: string[];
  after: string[];
  /** An edit in another function (or the skeleton) that changes what the rule reports in the finding's place. */
  flip: Edit;
  /** An edit in the function holding the dependency that leaves it as it was. */
  keep: Edit;
}

const CASES: Case[] = [
  {
    rule: 'SEC201',
    title: '`handler.debug = True` is a Flask app only while some other function builds `handler = Flask(...)`',
    path: '/proj/app.py',
    text: `import flask


def make():
    handler = flask.Flask(__name__)
    return handler


def configure(handler):
    handler.debug = True
`,
    before: ['Flask debug mode is switched on with `app.debug = True`'],
    after: [],
    flip: { from: 'flask.Flask(__name__)', to: 'flask.Blueprint(__name__)' },
    keep: { from: 'return handler', to: 'return handler or None' },
  },
  {
    rule: 'SEC201',
    title: '`srv.run(debug=True)` in a file without Flask imports is a Flask app only while `srv = flask.Flask(...)` elsewhere',
    path: '/proj/serve.py',
    text: `def make():
    global srv
    srv = flask.Flask(__name__)


def main():
    srv.run(debug=True)
`,
    before: ['Flask app runs with `debug=True`, which enables the interactive Werkzeug debugger'],
    after: [],
    flip: { from: 'srv = flask.Flask', to: 'srv = flask.Blueprint' },
    keep: { from: 'global srv', to: 'global srv, other' },
  },
  {
    rule: 'SEC211',
    title: '`api.debug = True` on an application another function creates',
    path: '/proj/api.py',
    text: `import fastapi


def make():
    api = fastapi.FastAPI()
    return api


def configure(api):
    api.debug = True
`,
    before: ['FastAPI or Starlette debug mode is switched on with `app.debug = True`'],
    after: [],
    flip: { from: 'fastapi.FastAPI()', to: 'fastapi.APIRouter()' },
    keep: { from: 'return api', to: 'return api or None' },
  },
  {
    rule: 'SEC213',
    title: '`@guard.exempt` is Flask-WTF only while another function builds `guard = CSRFProtect(app)`',
    path: '/proj/views.py',
    text: `from flask_wtf.csrf import CSRFProtect


def init(app):
    global guard
    guard = CSRFProtect(app)


@guard.exempt
def upload():
    return "ok"
`,
    before: ['View is exempted from CSRF protection with Flask-WTF `csrf.exempt`'],
    after: [],
    flip: { from: 'CSRFProtect(app)', to: 'CSRFError(app)' },
    keep: { from: 'global guard', to: 'global guard, other' },
  },
  {
    rule: 'SEC215',
    title: '`CORS(app)` defaults to any origin unless some function sets `CORS_ORIGINS` in the config',
    path: '/proj/factory.py',
    text: `from flask_cors import CORS


def create(app):
    CORS(app)
    return app


def configure(app):
    app.config["CORS_ORIGINZ"] = ["https://a.example"]
`,
    before: ['CORS allows any origin (`CORS()` without `origins=` defaults to `"*"`)'],
    after: [],
    flip: { from: 'CORS_ORIGINZ', to: 'CORS_ORIGINS' },
    keep: { from: '"https://a.example"', to: '"https://b.example"' },
  },
  {
    rule: 'SEC215',
    title: '`CORS_SUPPORTS_CREDENTIALS = True` in another function makes the wildcard an error',
    path: '/proj/factory.py',
    text: `from flask_cors import CORS


def create(app):
    CORS(app, origins="*")


def configure(app):
    app.config["CORS_SUPPORTS_CREDENTIALS"] = False
`,
    before: ['CORS allows any origin (`origins="*"`)'],
    after: ['CORS allows any origin with credentials (`origins="*"`)'],
    flip: { from: '= False', to: '= True' },
    keep: { from: 'def configure(app):', to: 'def configure(app):\n    x = 1' },
  },
  {
    rule: 'SEC221',
    title: 'a module-level setting read through an `environ.Env()` that a function builds',
    path: '/proj/settings.py',
    text: `import environ


def make_reader():
    global reader
    reader = environ.Env()
    return reader


SECURE_CONTENT_TYPE_NOSNIFF = reader.bool("NOSNIFF", default=False)
`,
    before: ['`SECURE_CONTENT_TYPE_NOSNIFF` defaults to off: it is read from the environment with a false default'],
    after: [],
    flip: { from: 'environ.Env()', to: 'environ.Path()' },
    keep: { from: 'return reader', to: 'return reader or None' },
  },
  {
    rule: 'SEC222',
    title: '`MIDDLEWARE` without XFrameOptionsMiddleware, unless a function adds it',
    path: '/proj/settings.py',
    text: `MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]


def add_frame_options(middleware):
    middleware.append("django.middleware.clickjacking.XFrameOptionsMiddlewar")
`,
    before: [
      '`MIDDLEWARE` does not include `django.middleware.clickjacking.XFrameOptionsMiddleware`: responses carry no `X-Frame-Options` header, so other sites can frame the pages',
    ],
    after: [],
    flip: { from: 'XFrameOptionsMiddlewar"', to: 'XFrameOptionsMiddleware"' },
    keep: { from: 'middleware.append(', to: 'middleware.insert(0, ' },
  },
  {
    rule: 'SEC222',
    title: '`X_FRAME_OPTIONS` read through an `environs.Env()` that a function builds',
    path: '/proj/settings.py',
    text: `import environs


def make_reader():
    global reader
    reader = environs.Env()


X_FRAME_OPTIONS = reader.str("XFO", default="ALLOWALL")
`,
    before: ['`X_FRAME_OPTIONS = "ALLOWALL"` is not `DENY` or `SAMEORIGIN`: browsers ignore it and any site can frame the pages'],
    after: [],
    flip: { from: 'environs.Env()', to: 'environs.Other()' },
    keep: { from: 'global reader', to: 'global reader, other' },
  },
  {
    rule: 'SEC223',
    title: '`MIDDLEWARE` without CsrfViewMiddleware, unless a function adds it',
    path: '/proj/settings.py',
    text: `MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
]


def add_csrf(middleware):
    middleware.append("django.middleware.csrf.CsrfViewMiddlewar")
`,
    before: ['`MIDDLEWARE` does not include `django.middleware.csrf.CsrfViewMiddleware`: POST requests are accepted without a CSRF token'],
    after: [],
    flip: { from: 'CsrfViewMiddlewar"', to: 'CsrfViewMiddleware"' },
    keep: { from: 'middleware.append(', to: 'middleware.insert(0, ' },
  },
  {
    rule: 'SEC224',
    title: '`REST_FRAMEWORK` without a default permission, unless a function sets `DEFAULT_PERMISSION_CLASSES`',
    path: '/proj/settings.py',
    text: `INSTALLED_APPS = ["rest_framework"]
REST_FRAMEWORK = {"PAGE_SIZE": 10}


def secure(conf):
    conf["DEFAULT_PERMISSION_CLASSE"] = ["rest_framework.permissions.IsAuthenticated"]
`,
    before: [
      '`REST_FRAMEWORK` sets no `DEFAULT_PERMISSION_CLASSES`, so DRF defaults to `AllowAny`: views without their own `permission_classes` are open to anonymous users',
    ],
    after: [],
    flip: { from: '"DEFAULT_PERMISSION_CLASSE"', to: '"DEFAULT_PERMISSION_CLASSES"' },
    keep: { from: 'IsAuthenticated"]', to: 'IsAdminUser"]' },
  },
  {
    rule: 'SEC224',
    title: 'settings set dynamically in a function (`globals().update`) are not the complete production settings',
    path: '/proj/settings.py',
    text: `INSTALLED_APPS = ["rest_framework"]
REST_FRAMEWORK = {"PAGE_SIZE": 10}


def load(extra):
    globalz().update(extra)
`,
    before: [
      '`REST_FRAMEWORK` sets no `DEFAULT_PERMISSION_CLASSES`, so DRF defaults to `AllowAny`: views without their own `permission_classes` are open to anonymous users',
    ],
    after: [],
    flip: { from: 'globalz()', to: 'globals()' },
    keep: { from: 'update(extra)', to: 'update(extra or {})' },
  },
  {
    rule: 'SEC225',
    title: 'a session lifetime read through an `environs.Env()` that another function builds',
    path: '/proj/app.py',
    text: `import environs


def make_reader():
    global reader
    reader = environs.Env()


def configure(app):
    app.config["PERMANENT_SESSION_LIFETIME"] = reader.int("LIFETIME", default=86400 * 40)
`,
    before: ['`PERMANENT_SESSION_LIFETIME` is 40 days by default: a session (or a stolen session cookie) stays valid that long'],
    after: [],
    flip: { from: 'environs.Env()', to: 'environs.Other()' },
    keep: { from: 'global reader', to: 'global reader, other' },
  },
  {
    rule: 'SEC226',
    title: '`DEBUG` read through an `environ.Env()` that another function builds, with a default that turns it on',
    path: '/proj/app.py',
    text: `import environ


def make_reader():
    global reader
    reader = environ.Env()


def configure(app):
    app.config["DEBUG"] = reader.bool("DEBUG", default=True)
`,
    before: ['`DEBUG` is on unless `DEBUG` is set: it is read from the environment with the default `True`'],
    after: [],
    flip: { from: 'environ.Env()', to: 'environ.Other()' },
    keep: { from: 'global reader', to: 'global reader, other' },
  },
  {
    rule: 'SEC710',
    title: '`self.env.from_string(...)` on a Jinja2 environment that `__init__` builds',
    path: '/proj/render.py',
    text: `import jinja2


class Renderer:
    def __init__(self):
        self.env = jinja2.Environment()

    def render(self, name):
        return self.env.from_string("Hello " + name).render()
`,
    before: ['`from_string()` compiles a template built from `name`'],
    after: [],
    flip: { from: 'jinja2.Environment()', to: 'jinja2.sandbox.SandboxedEnvironment()' },
    keep: { from: 'def __init__(self):', to: 'def __init__(self):\n        self.count = 0' },
  },
];

describe('incremental analysis: framework and settings rules are local with a fileKey', () => {
  before(() => ready);

  it('declares the converted rules local with a fileKey', () => {
    for (const id of new Set(CASES.map((c) => c.rule))) {
      const rule = ALL_RULES.find((r) => r.id === id)!;
      assert.equal(rule.local, true, id);
      assert.equal(typeof rule.fileKey, 'function', id);
      assert.equal(rule.finish, undefined, id);
    }
  });

  it('tracks every constructor a rule can ask isConstructedBy about', () => {
    for (const set of Object.values(CONSTRUCTORS)) for (const name of set) assert.ok(TRACKED_CONSTRUCTORS.has(name), name);
  });

  for (const c of CASES) {
    it(`${c.rule}: ${c.title}`, () => {
      // A function the edits leave alone (with every unit edited, nothing is carried over anyway).
      const s = editingSession(`${c.text}\n\ndef unrelated():\n    return None\n`, c.path);
      const fresh = (): string[] => analyzeSource(s.text(), c.path, options(ALL_RULES)).findings.map(describeFinding);
      const own = (r: AnalysisResult): string[] => r.findings.filter((f) => f.ruleId === c.rule).map((f) => f.message);
      const check = (r: AnalysisResult, what: string): void => assert.deepEqual(r.findings.map(describeFinding), fresh(), `${what}: the incremental result is a fresh analysis's`);
      try {
        const first = s.analyse();
        check(first, 'first analysis');
        assert.deepEqual(own(first), c.before, 'the finding is there to begin with');

        // An edit next to the dependency that leaves it as it was: one function again, the finding carried over.
        const kept = s.analyse(c.keep);
        check(kept, 'edit that keeps the dependency');
        assert.equal(kept.reanalysed?.units, 1, 'the fileKey is the same: only the edited function is analysed again');
        assert.deepEqual(own(kept), c.before);

        // An edit that flips the dependency: the key changes and the whole file is analysed again.
        const flipped = s.analyse(c.flip);
        check(flipped, 'edit that flips the dependency');
        assert.equal(flipped.reanalysed, null, 'the fileKey changed: the whole file is analysed again');
        assert.deepEqual(own(flipped), c.after);

        // And back.
        const back = s.analyse({ from: c.flip.to, to: c.flip.from });
        check(back, 'edit that flips it back');
        assert.equal(back.reanalysed, null);
        assert.deepEqual(own(back), c.before);

        // Undoing the first edit: one function again.
        const again = s.analyse({ from: c.keep.to, to: c.keep.from });
        check(again, 'edit back');
        assert.equal(again.reanalysed?.units, 1);
        assert.deepEqual(own(again), c.before);
      } finally {
        s.close();
      }
    });
  }

  it('keeps the fileKey when a function builds an object of an untracked constructor', () => {
    const text = `import flask


def make():
    handler = flask.Flask(__name__)


def other():
    thing = object()


def configure(handler):
    handler.debug = True
`;
    const s = editingSession(text, '/proj/app.py');
    try {
      const first = s.analyse();
      assert.equal(first.findings.filter((f) => f.ruleId === 'SEC201').length, 1);
      let now = 'object()';
      for (const to of ['dict()', 'flask.Request()', 'jinja2.Template("x")']) {
        const r = s.analyse({ from: `thing = ${now}`, to: `thing = ${to}` });
        now = to;
        assert.equal(r.reanalysed?.units, 1, `thing = ${to}: not a tracked constructor, the key stays`);
        assert.deepEqual(r.findings.map(describeFinding), analyzeSource(s.text(), '/proj/app.py', options(ALL_RULES)).findings.map(describeFinding));
      }
    } finally {
      s.close();
    }
  });

  it('reads `app.config` siblings of an entry in its own function only', () => {
    // `TESTING = True` next to `DEBUG = True` makes it test configuration; in another function it does not.
    const text = `import flask


def testing(app):
    app.config["TESTING"] = False


def configure(app):
    app.config["DEBUG"] = True
`;
    const s = editingSession(text, '/proj/app.py');
    try {
      const own = (r: AnalysisResult): number => r.findings.filter((f) => f.ruleId === 'SEC201').length;
      assert.equal(own(s.analyse()), 1);
      const r = s.analyse({ from: '"TESTING"] = False', to: '"TESTING"] = True' });
      assert.equal(r.reanalysed?.units, 1, 'a sibling in another function is not a dependency');
      assert.equal(own(r), 1);
      assert.deepEqual(r.findings.map(describeFinding), analyzeSource(s.text(), '/proj/app.py', options(ALL_RULES)).findings.map(describeFinding));
      const same = s.analyse({ from: 'app.config["DEBUG"] = True', to: 'app.config["TESTING"] = True\n    app.config["DEBUG"] = True' });
      assert.equal(same.reanalysed?.units, 1);
      assert.equal(own(same), 0, 'a sibling in the same function is');
    } finally {
      s.close();
    }
  });
});
