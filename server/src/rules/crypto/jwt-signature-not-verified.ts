import type { Node } from '../../engine/parser';
import { defineRule, fix, replace } from '../../engine/rule';
import { callArgs, isFalse, stringValue, unparen } from '../../engine/syntax';
import { jwtCall } from '../util/jwt';

const VERIFY_KEYS = new Set(['verify_signature', 'verify']);

/** The `False` value node for "verify_signature": False in an options dict literal. */
function disabledOption(options: Node): Node | null {
  const d = unparen(options);
  if (d.type === 'dictionary') {
    for (const pair of d.namedChildren) {
      if (pair?.type !== 'pair') continue;
      const key = stringValue(pair.childForFieldName('key'));
      if (key !== null && VERIFY_KEYS.has(key) && isFalse(pair.childForFieldName('value'))) return pair;
    }
  }
  if (d.type === 'call' && d.childForFieldName('function')?.text === 'dict') {
    const args = callArgs(d);
    for (const k of VERIFY_KEYS) {
      const v = args.keywords.get(k);
      if (isFalse(v)) return args.keywordNodes.get(k)!;
    }
  }
  return null;
}

/** Turns the `False` of a keyword argument or dict pair back to `True`. */
function enable(node: Node) {
  const value = node.childForFieldName('value');
  return value ? [fix('Verify the signature (`True`)', 'unsafe', replace(unparen(value), 'True'))] : [];
}

export default defineRule({
  id: 'SEC521',
  name: 'jwt-signature-not-verified',
  local: true,
  summary: '`jwt.decode()` with signature verification turned off',
  owasp: { '2025': 'A07', '2021': 'A07' },
  cwe: [347],
  severity: 'error',
  confidence: 'high',
  fix: 'always',
  tags: ['jwt'],
  nodeTypes: ['call'],
  check(call, ctx) {
    if (jwtCall(call, ctx) !== 'decode') return;
    const args = callArgs(call);
    const verify = args.keywords.get('verify');
    if (isFalse(verify)) {
      const node = args.keywordNodes.get('verify')!;
      ctx.report(node, { message: '`jwt.decode(..., verify=False)` accepts tokens without checking their signature', fixes: enable(node) });
      return;
    }
    const options = args.keywords.get('options');
    const off = options ? disabledOption(options) : null;
    if (off) ctx.report(off, { message: '`jwt.decode()` with `verify_signature: False` accepts forged tokens', fixes: enable(off) });
  },
  docs: {
    what: 'Finds `jwt.decode()` calls that turn signature verification off: `options={"verify_signature": False}` (PyJWT 2, python-jose) or `verify=False` (PyJWT 1).',
    why: 'The signature is the only thing that makes a JWT trustworthy. Without it anyone can write `{"user_id": 1, "admin": true}`, base64-encode it and be accepted. Reading claims before verification is sometimes needed (to pick a key by `kid`): use `jwt.get_unverified_header()` for that, then verify.',
    example: `claims = jwt.decode(token, options={"verify_signature": False})`,
    useInstead: `claims = jwt.decode(token, key, algorithms=["RS256"])`,
    fixSafety: 'The fix turns verification back on (`True`). It is unsafe: it changes what the call accepts, which is the point, and a call that passes no key (or no `algorithms=`) then raises instead of returning the claims; give it the verification key and the algorithms you sign with.',
  },
});
