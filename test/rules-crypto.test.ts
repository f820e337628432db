// Crypto and ML rules: the exact text every fix produces (imports included), and cases that
// depend on the path or that a single fixture cannot show.

import * as assert from 'node:assert/strict';
import { applyEdits } from '../server/src/engine/fixes';
import type { Finding } from '../server/src/engine/types';
import { findings, ready } from './support/engine';

function of(id: string, text: string, path = 'app/views.py'): Finding[] {
  return findings(text, path).filter((f) => f.ruleId === id);
}

/** Applies the first fix of the only finding of `id`. */
function fixed(id: string, text: string, path = 'app/views.py'): string {
  const found = of(id, text, path);
  assert.equal(found.length, 1, `one ${id} finding expected, got ${found.length}`);
  const f = found[0]!.fixes?.[0];
  assert.ok(f, `${id} finding has a fix`);
  return applyEdits(text, f.edits);
}

describe('crypto and ML rules', () => {
  before(() => ready);

  describe('SEC531 password-compare-not-constant-time', () => {
    it('rewrites == to hmac.compare_digest and adds the import', () => {
      const src = 'from flask import request\n\n\ndef hook(expected_sig):\n    if request.headers["X-Signature"] == expected_sig:\n        return 1\n';
      assert.equal(
        fixed('SEC531', src),
        'from flask import request\nimport hmac\n\n\ndef hook(expected_sig):\n    if hmac.compare_digest(request.headers["X-Signature"], expected_sig):\n        return 1\n',
      );
    });

    it('rewrites != to not hmac.compare_digest and reuses an existing import', () => {
      const src = 'import hmac\n\n\ndef check(token, user):\n    if token != user.reset_token:\n        raise PermissionError\n';
      assert.equal(fixed('SEC531', src), 'import hmac\n\n\ndef check(token, user):\n    if not hmac.compare_digest(token, user.reset_token):\n        raise PermissionError\n');
    });

    it('parenthesises the negation where `not` would bind differently', () => {
      const src = 'import hmac\n\nmismatch = (token != stored_token) + 0\nx = [token != stored_token][0]\nflag = 1 + (api_key != API_KEY)\n';
      const found = of('SEC531', src);
      assert.equal(found.length, 3);
      const out = applyEdits(src, found.flatMap((f) => f.fixes![0]!.edits));
      assert.equal(out, 'import hmac\n\nmismatch = (not hmac.compare_digest(token, stored_token)) + 0\nx = [not hmac.compare_digest(token, stored_token)][0]\nflag = 1 + (not hmac.compare_digest(api_key, API_KEY))\n');
    });

    it('is high confidence for values read from the request, medium otherwise', () => {
      assert.equal(of('SEC531', 'if request.args["token"] == user.token:\n    pass\n')[0]?.confidence, 'high');
      assert.equal(of('SEC531', 'if token == user.token:\n    pass\n')[0]?.confidence, 'medium');
    });

    it('offers no fix where a local `hmac` would shadow the import', () => {
      const [f] = of('SEC531', 'def check(token, user, hmac):\n    return token == user.api_token\n');
      assert.ok(f);
      assert.deepEqual(f.fixes ?? [], []);
    });

    it('skips test files and tokenizer code', () => {
      assert.deepEqual(of('SEC531', 'def test_x(token):\n    assert token == user.token\n', 'tests/test_auth.py'), []);
      assert.deepEqual(of('SEC531', 'import tokenize\n\nif token == prev_token:\n    pass\n'), []);
    });
  });

  describe('SEC614 torch-load-unsafe', () => {
    it('adds weights_only=True to a one-line call', () => {
      const src = 'import torch\n\nstate = torch.load(path, map_location="cpu")\n';
      assert.equal(fixed('SEC614', src), 'import torch\n\nstate = torch.load(path, map_location="cpu", weights_only=True)\n');
    });

    it('adds weights_only=True on its own line in a multi-line call', () => {
      const src = 'import torch\n\nstate = torch.load(\n    path,\n    map_location="cpu",\n)\n';
      assert.equal(fixed('SEC614', src), 'import torch\n\nstate = torch.load(\n    path,\n    map_location="cpu",\n    weights_only=True,\n)\n');
    });

    it('turns weights_only=False into True and reports it as an error', () => {
      const src = 'from torch import load\n\nckpt = load(f, weights_only=False)\n';
      assert.equal(of('SEC614', src)[0]?.severity, 'error');
      assert.equal(fixed('SEC614', src), 'from torch import load\n\nckpt = load(f, weights_only=True)\n');
    });

    it('offers no fix with a custom pickle_module, and is medium confidence without weights_only', () => {
      const [f] = of('SEC614', 'import torch, dill\n\nx = torch.load(p, pickle_module=dill)\n');
      assert.deepEqual(f?.fixes ?? [], []);
      assert.equal(f?.confidence, 'medium');
    });
  });

  describe('SEC615 huggingface-unsafe-download', () => {
    it('reports a mutable revision on the revision argument and trust_remote_code as an error', () => {
      const [f] = of('SEC615', 'from transformers import AutoModel\n\nm = AutoModel.from_pretrained("a/b", revision="main", trust_remote_code=True)\n');
      assert.ok(f);
      assert.equal(f.severity, 'error');
      assert.match(f.message, /revision="main"/);
    });

    it('needs a Hugging Face import and skips tests', () => {
      assert.deepEqual(of('SEC615', 'm = AutoModel.from_pretrained("a/b")\n'), []);
      assert.deepEqual(of('SEC615', 'from transformers import AutoModel\n\nm = AutoModel.from_pretrained("a/b")\n', 'tests/test_model.py'), []);
    });
  });

  describe('SEC507 ssh-no-host-key-verification', () => {
    it('replaces AutoAddPolicy() with paramiko.RejectPolicy()', () => {
      const src = 'import paramiko\n\nc = paramiko.SSHClient()\nc.set_missing_host_key_policy(paramiko.AutoAddPolicy())\n';
      assert.equal(fixed('SEC507', src), 'import paramiko\n\nc = paramiko.SSHClient()\nc.set_missing_host_key_policy(paramiko.RejectPolicy())\n');
    });

    it('imports RejectPolicy when paramiko is only from-imported, and keeps a class argument a class', () => {
      const src = 'from paramiko import SSHClient, WarningPolicy\n\nc = SSHClient()\nc.set_missing_host_key_policy(WarningPolicy)\n';
      assert.equal(fixed('SEC507', src), 'from paramiko import SSHClient, WarningPolicy\nfrom paramiko import RejectPolicy\n\nc = SSHClient()\nc.set_missing_host_key_policy(RejectPolicy)\n');
    });

    it('reports a policy held in a variable without a fix', () => {
      const [f] = of('SEC507', 'import paramiko\n\np = paramiko.AutoAddPolicy()\nc.set_missing_host_key_policy(p)\n');
      assert.ok(f);
      assert.deepEqual(f.fixes ?? [], []);
    });
  });

  describe('SEC524 jwt-long-expiry', () => {
    it('names the lifetime and grades confidence by it', () => {
      const year = of('SEC524', 'import jwt, datetime\n\nt = jwt.encode({"exp": datetime.datetime.now() + datetime.timedelta(days=365)}, k)\n');
      assert.equal(year.length, 1);
      assert.equal(year[0]!.confidence, 'high');
      assert.match(year[0]!.message, /365 days/);
      const days = of('SEC524', 'import jwt, time\n\nt = jwt.encode({"exp": time.time() + 3 * 86400}, k)\n');
      assert.equal(days[0]?.confidence, 'medium');
      assert.match(days[0]!.message, /3 days/);
    });

    it('reads ACCESS_TOKEN_EXPIRE_* settings in their unit', () => {
      assert.equal(of('SEC524', 'ACCESS_TOKEN_EXPIRE_MINUTES = 30\n').length, 0);
      assert.equal(of('SEC524', 'ACCESS_TOKEN_EXPIRE_HOURS = 48\n').length, 1);
      assert.equal(of('SEC524', 'ACCESS_TOKEN_EXPIRE_DAYS = 1\n').length, 0);
    });

    it('reports tokens that never expire', () => {
      const [f] = of('SEC524', 'from flask_jwt_extended import create_access_token\n\nt = create_access_token(identity=1, expires_delta=False)\n');
      assert.match(f?.message ?? '', /never expire/);
      assert.equal(of('SEC524', 'from flask_jwt_extended import create_refresh_token\n\nt = create_refresh_token(identity=1, expires_delta=False)\n').length, 0);
    });

    it('needs a JWT library for bare exp claims', () => {
      assert.deepEqual(of('SEC524', 'import time\n\nclaims = {"exp": time.time() + 10**8}\n'), []);
    });
  });

  describe('SEC502 ssl-insecure-version', () => {
    it('raises minimum_version to TLS 1.2', () => {
      const src = 'import ssl\n\nctx = ssl.create_default_context()\nctx.minimum_version = ssl.TLSVersion.TLSv1_1\n';
      assert.equal(fixed('SEC502', src), 'import ssl\n\nctx = ssl.create_default_context()\nctx.minimum_version = ssl.TLSVersion.TLSv1_2\n');
      assert.equal(of('SEC502', src)[0]?.severity, 'warning');
    });

    it('reports SSLv3 as an error and offers no fix for protocol constants', () => {
      const [f] = of('SEC502', 'import ssl\n\nctx = ssl.SSLContext(ssl.PROTOCOL_SSLv3)\n');
      assert.equal(f?.severity, 'error');
      assert.deepEqual(f?.fixes ?? [], []);
    });
  });

  describe('SEC505 weak-cryptographic-key', () => {
    it('raises a literal RSA size to 2048 and grades severity by size', () => {
      const src = 'from cryptography.hazmat.primitives.asymmetric import rsa\n\nk = rsa.generate_private_key(public_exponent=65537, key_size=1024)\n';
      assert.equal(fixed('SEC505', src), 'from cryptography.hazmat.primitives.asymmetric import rsa\n\nk = rsa.generate_private_key(public_exponent=65537, key_size=2048)\n');
      assert.equal(of('SEC505', src)[0]?.severity, 'warning');
      assert.equal(of('SEC505', 'from Crypto.PublicKey import RSA\n\nk = RSA.generate(512)\n')[0]?.severity, 'error');
    });

    it('replaces a weak curve by SECP256R1', () => {
      const src = 'from cryptography.hazmat.primitives.asymmetric import ec\n\nk = ec.generate_private_key(ec.SECP192R1())\n';
      assert.equal(fixed('SEC505', src), 'from cryptography.hazmat.primitives.asymmetric import ec\n\nk = ec.generate_private_key(ec.SECP256R1())\n');
    });

    it('reports a size held in a constant without a fix', () => {
      const [f] = of('SEC505', 'from Crypto.PublicKey import RSA\n\nBITS = 1024\nk = RSA.generate(BITS)\n');
      assert.ok(f);
      assert.deepEqual(f.fixes ?? [], []);
    });
  });
});
