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

    it('skips test files and tokenizer code', () => {
      assert.deepEqual(of('SEC531', 'def test_x(token):\n    assert token == user.token\n', 'tests/test_auth.py'), []);
      assert.deepEqual(of('SEC531', 'import tokenize\n\nif token == prev_token:\n    pass\n'), []);
    });
  });
});
