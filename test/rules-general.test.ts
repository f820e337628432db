// General rules (SEC1xx, SEC202): the exact text every fix produces, and the behaviour that
// depends on the file (test files, rules off by default) which one fixture cannot show.

import * as assert from 'node:assert/strict';
import { applyEdits } from '../server/src/engine/fixes';
import type { Finding } from '../server/src/engine/types';
import { ALL_RULES, ruleById } from '../server/src/rules';
import { findings, ready } from './support/engine';

/** Findings of one rule, with that rule enabled even when it is off by default. */
function of(id: string, text: string, path = 'app/views.py'): Finding[] {
  return findings(text, path, [ruleById(id)!]).filter((f) => f.ruleId === id);
}

/** The text after applying the first fix of the only finding of `id`. */
function fixed(id: string, text: string, path = 'app/views.py'): string {
  const found = of(id, text, path);
  assert.equal(found.length, 1, `one ${id} finding in:\n${text}`);
  const fix = found[0]!.fixes[0];
  assert.ok(fix, `${id} offers a fix`);
  return applyEdits(text, fix.edits);
}

function safety(id: string, text: string): string | undefined {
  return of(id, text)[0]?.fixes[0]?.safety;
}

describe('general rules', () => {
  before(() => ready);

  describe('SEC130 assert-for-authorization', () => {
    it('raises PermissionError with the assert message, keeping the indentation', () => {
      const src = 'def view(request):\n    assert request.user.is_staff, "staff only"\n    return 1\n';
      assert.equal(fixed('SEC130', src), 'def view(request):\n    if not request.user.is_staff:\n        raise PermissionError("staff only")\n    return 1\n');
      assert.equal(safety('SEC130', src), 'unsafe');
    });

    it('parenthesises compound conditions, drops a leading `not`, and keeps tabs', () => {
      assert.equal(
        fixed('SEC130', 'def f(obj, request):\n\tassert obj.owner == request.user\n'),
        'def f(obj, request):\n\tif not (obj.owner == request.user):\n\t\traise PermissionError\n',
      );
      assert.equal(
        fixed('SEC130', 'def f(request):\n    assert not request.user.is_anonymous, "login"\n'),
        'def f(request):\n    if request.user.is_anonymous:\n        raise PermissionError("login")\n',
      );
      assert.equal(
        fixed('SEC130', 'def f(u):\n    assert u.is_authenticated and u.is_superuser  # admin\n'),
        'def f(u):\n    if not (u.is_authenticated and u.is_superuser):\n        raise PermissionError  # admin\n',
      );
    });

    it('keeps a multi-line condition valid', () => {
      const src = 'def f(request):\n    assert (\n        request.user.is_staff\n    ), "staff"\n';
      assert.equal(fixed('SEC130', src), 'def f(request):\n    if not (\n        request.user.is_staff\n    ):\n        raise PermissionError("staff")\n');
    });

    it('offers no fix for an assert sharing its line', () => {
      const [f] = of('SEC130', 'def f(u):\n    if u: assert u.is_staff\n    assert u.is_admin; print(1)\n');
      assert.ok(f);
      assert.deepEqual(of('SEC130', 'def f(u):\n    if u: assert u.is_staff\n').map((x) => x.fixes.length), [0]);
      assert.deepEqual(of('SEC130', 'def f(u):\n    assert u.is_admin; print(1)\n').map((x) => x.fixes.length), [0]);
    });

    it('is not reported in tests and has no Bandit alias', () => {
      const src = 'def test_admin(client):\n    assert client.user.is_staff\n';
      assert.deepEqual(of('SEC130', src, 'tests/test_admin.py'), []);
      assert.equal(of('SEC130', src, 'app/admin.py').length, 1);
      assert.deepEqual(ruleById('SEC130')!.aliases, []);
    });

    it('is on by default with confidence per finding', () => {
      assert.equal(ruleById('SEC130')!.enabledByDefault, true);
      assert.equal(of('SEC130', 'assert user.is_staff\n')[0]!.confidence, 'high');
      assert.equal(of('SEC130', 'assert user.role == "admin"\n')[0]!.confidence, 'medium');
    });
  });

  describe('SEC101 assert-used', () => {
    it('is off by default and skips tests', () => {
      assert.equal(ruleById('SEC101')!.enabledByDefault, false);
      assert.deepEqual(findings('assert x > 0\n', 'app/a.py').filter((f) => f.ruleId === 'SEC101'), []);
      assert.equal(of('SEC101', 'assert x > 0\n', 'app/a.py').length, 1);
      assert.deepEqual(of('SEC101', 'assert x > 0\n', 'tests/test_a.py'), []);
      assert.deepEqual(of('SEC101', 'import pytest\nassert x > 0\n', 'app/check.py'), []);
    });

    it('raises AssertionError explicitly (unsafe)', () => {
      const src = 'def f(amount):\n    assert amount > 0, "positive"\n';
      assert.equal(fixed('SEC101', src), 'def f(amount):\n    if not (amount > 0):\n        raise AssertionError("positive")\n');
      assert.equal(safety('SEC101', src), 'unsafe');
      assert.equal(fixed('SEC101', 'assert items\n'), 'if not items:\n    raise AssertionError\n');
    });
  });

  describe('SEC113 request-without-timeout', () => {
    it('appends timeout=30 on one line', () => {
      assert.equal(fixed('SEC113', 'import requests\nrequests.get(url)\n'), 'import requests\nrequests.get(url, timeout=30)\n');
      assert.equal(fixed('SEC113', 'import requests\nrequests.post(url, json=d,)\n'), 'import requests\nrequests.post(url, json=d, timeout=30)\n');
      assert.equal(safety('SEC113', 'import requests\nrequests.get(url)\n'), 'unsafe');
    });

    it('gives a multi-line call a line of its own, after a trailing comma or not', () => {
      assert.equal(
        fixed('SEC113', 'import requests\nrequests.post(\n    url,\n    json=d,\n)\n'),
        'import requests\nrequests.post(\n    url,\n    json=d,\n    timeout=30,\n)\n',
      );
      assert.equal(
        fixed('SEC113', 'import requests\nrequests.post(\n    url,\n    json=d\n)\n'),
        'import requests\nrequests.post(\n    url,\n    json=d,\n    timeout=30\n)\n',
      );
    });

    it('replaces timeout=None, for requests and httpx', () => {
      assert.equal(fixed('SEC113', 'import requests\nrequests.get(url, timeout=None)\n'), 'import requests\nrequests.get(url, timeout=30)\n');
      assert.equal(fixed('SEC113', 'import httpx\nhttpx.Client(timeout=None)\n'), 'import httpx\nhttpx.Client(timeout=30)\n');
      assert.deepEqual(of('SEC113', 'import httpx\nhttpx.get(url)\n'), []);
    });

    it('follows sessions; a session known only by name depends on the imports', () => {
      assert.equal(fixed('SEC113', 'import requests\ns = requests.Session()\ns.get(u)\n'), 'import requests\ns = requests.Session()\ns.get(u, timeout=30)\n');
      assert.equal(of('SEC113', 'import requests\nself.session.get(u)\n')[0]!.confidence, 'medium');
      assert.deepEqual(of('SEC113', 'import aiohttp\nasync def f(session):\n    await session.get(u)\n'), []);
    });
  });

  describe('SEC202 tarfile-unsafe-members', () => {
    it('adds filter="data"', () => {
      const src = 'import tarfile\nwith tarfile.open(p) as tf:\n    tf.extractall(dest)\n';
      assert.equal(fixed('SEC202', src), 'import tarfile\nwith tarfile.open(p) as tf:\n    tf.extractall(dest, filter="data")\n');
      assert.equal(safety('SEC202', src), 'unsafe');
      assert.equal(fixed('SEC202', 'import tarfile\ntarfile.open(p).extractall()\n'), 'import tarfile\ntarfile.open(p).extractall(filter="data")\n');
    });

    it('replaces an unsafe filter, and keeps a multi-line call\'s layout', () => {
      assert.equal(
        fixed('SEC202', 'import tarfile\ntarfile.open(p).extractall(d, filter="fully_trusted")\n'),
        'import tarfile\ntarfile.open(p).extractall(d, filter="data")\n',
      );
      assert.equal(
        fixed('SEC202', 'import tarfile\ntf = tarfile.open(p)\ntf.extractall(\n    d,\n    members=ms,\n)\n'),
        'import tarfile\ntf = tarfile.open(p)\ntf.extractall(\n    d,\n    members=ms,\n    filter="data",\n)\n',
      );
    });

    it('lowers a members function to a low-confidence warning', () => {
      const [f] = of('SEC202', 'import tarfile\ntf = tarfile.open(p)\ntf.extractall(d, members=safe(tf))\n');
      assert.equal(f!.severity, 'warning');
      assert.equal(f!.confidence, 'low');
    });
  });

  describe('SEC103 bad-file-permissions', () => {
    it('drops group and world write bits from an exact mode', () => {
      assert.equal(fixed('SEC103', 'import os\nos.chmod(p, 0o777)\n'), 'import os\nos.chmod(p, 0o755)\n');
      assert.equal(fixed('SEC103', 'import os\nos.chmod(p, 0o666)\n'), 'import os\nos.chmod(p, 0o644)\n');
      assert.equal(fixed('SEC103', 'import os, stat\nos.chmod(p, stat.S_IRWXU | stat.S_IRWXO)\n'), 'import os, stat\nos.chmod(p, 0o705)\n');
      assert.equal(safety('SEC103', 'import os\nos.chmod(p, 0o777)\n'), 'unsafe');
    });

    it('makes a private file owner-only', () => {
      assert.equal(fixed('SEC103', 'import os\nos.chmod("id_rsa", 0o644)\n'), 'import os\nos.chmod("id_rsa", 0o600)\n');
    });

    it('reports but does not fix a mode known only in part', () => {
      const [f] = of('SEC103', 'import os, stat\nos.chmod(p, os.stat(p).st_mode | stat.S_IWOTH)\n');
      assert.ok(f);
      assert.deepEqual(f.fixes, []);
      assert.equal(f.severity, 'error');
    });
  });

  describe('SEC104 bind-all-interfaces', () => {
    it('listens on localhost instead', () => {
      assert.equal(fixed('SEC104', 'app.run(host="0.0.0.0")\n'), 'app.run(host="127.0.0.1")\n');
      assert.equal(fixed('SEC104', "bind = '0.0.0.0:8000'\n", 'gunicorn.conf.py'), "bind = '127.0.0.1:8000'\n");
      assert.equal(fixed('SEC104', 'HOST = "::"\n'), 'HOST = "::1"\n');
      assert.equal(fixed('SEC104', 'BIND = "[::]:80"\n'), 'BIND = "[::1]:80"\n');
      assert.equal(safety('SEC104', 'app.run(host="0.0.0.0")\n'), 'unsafe');
    });

    it('reports environment defaults as low-confidence information, and skips tests', () => {
      const [f] = of('SEC104', 'import os\nHOST = os.getenv("HOST", "0.0.0.0")\n');
      assert.equal(f!.confidence, 'low');
      assert.equal(f!.severity, 'info');
      assert.deepEqual(of('SEC104', 'app.run(host="0.0.0.0")\n', 'tests/test_app.py'), []);
    });
  });

  describe('SEC108, SEC110, SEC112', () => {
    it('SEC108 lowers tempfile dir= to information and skips tests', () => {
      const [f] = of('SEC108', 'import tempfile\ntempfile.mkstemp(dir="/tmp")\n');
      assert.equal(f!.severity, 'info');
      assert.equal(of('SEC108', 'open("/tmp/x")\n')[0]!.confidence, 'high');
      assert.deepEqual(of('SEC108', 'open("/tmp/x")\n', 'tests/test_x.py'), []);
    });

    it('SEC110 raises severity when the try body is a security check', () => {
      const check = of('SEC110', 'import jwt\ntry:\n    jwt.decode(t, k)\nexcept Exception:\n    pass\n');
      assert.equal(check[0]!.severity, 'error');
      assert.equal(check[0]!.confidence, 'high');
      const plain = of('SEC110', 'try:\n    load()\nexcept Exception:\n    pass\n');
      assert.equal(plain[0]!.severity, 'hint');
      assert.deepEqual(of('SEC110', 'try:\n    load()\nexcept KeyError:\n    pass\n'), []);
    });

    it('SEC112 only reports continue, SEC110 only pass', () => {
      const src = 'for x in y:\n    try:\n        f(x)\n    except Exception:\n        continue\n';
      assert.equal(of('SEC112', src).length, 1);
      assert.deepEqual(of('SEC110', src), []);
    });
  });

  it('every general rule id is registered once', () => {
    for (const id of ['SEC101', 'SEC103', 'SEC104', 'SEC108', 'SEC110', 'SEC112', 'SEC113', 'SEC130', 'SEC202']) {
      assert.equal(ALL_RULES.filter((r) => r.id === id).length, 1, id);
    }
  });
});
