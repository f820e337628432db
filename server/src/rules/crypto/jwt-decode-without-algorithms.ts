import { defineRule, fix } from '../../engine/rule';
import { callArgs } from '../../engine/syntax';
import { appendArgument } from '../util/edits';
import { encodeAlgorithm, encodeAlgorithmKey, jwtCall } from '../util/jwt';

export default defineRule({
  id: 'SEC520',
  name: 'jwt-decode-without-algorithms',
  summary: '`jwt.decode()` without `algorithms=`: the token chooses how it is verified',
  owasp: { '2025': 'A07', '2021': 'A07' },
  cwe: [347, 327],
  severity: 'error',
  confidence: 'high',
  fix: 'always',
  tags: ['jwt'],
  nodeTypes: ['call'],
  local: true,
  // The fix writes the algorithm of the `jwt.encode` calls anywhere in the file.
  fileKey: encodeAlgorithmKey,
  check(call, ctx) {
    if (jwtCall(call, ctx) !== 'decode') return;
    const args = callArgs(call);
    if (args.keywords.has('algorithms') || args.hasStarKwargs || args.positional.length >= 3) return;
    const fromEncode = encodeAlgorithm(ctx);
    const alg = fromEncode?.text ?? '"HS256"';
    const edit = appendArgument(ctx, call, `algorithms=[${alg}]`);
    ctx.report(call.childForFieldName('function') ?? call, {
      message: '`jwt.decode()` is called without `algorithms=`, so the token header picks the verification algorithm',
      fixes: edit
        ? [
            fromEncode
              ? fix(`Add \`algorithms=[${alg}]\` (the algorithm this file signs with)`, 'safe', edit)
              : fix('Add `algorithms=["HS256"]` (assumed: check which algorithm your tokens use)', 'unsafe', edit),
          ]
        : [],
    });
  },
  docs: {
    what: 'Finds `jwt.decode()` calls (PyJWT and python-jose) that do not pass `algorithms=`.',
    why: 'Without an explicit list, older PyJWT versions and python-jose accept whatever algorithm the token\'s header names. An attacker can then send a token signed with `HS256` using your RSA *public* key as the HMAC secret (algorithm confusion), or an unsigned `alg: none` token, and have it accepted. PyJWT 2 refuses to decode without `algorithms=`, so the call is also a latent crash after an upgrade.',
    example: `payload = jwt.decode(token, SECRET_KEY)`,
    useInstead: `payload = jwt.decode(token, SECRET_KEY, algorithms=["HS256"])`,
    fixSafety: 'When the same file signs tokens with `jwt.encode(..., algorithm=X)` (one algorithm throughout), the fix adds `algorithms=[X]`: tokens this code issues keep verifying, so the fix is safe. Otherwise it adds `algorithms=["HS256"]`, the PyJWT default for `encode`, and is marked unsafe: tokens signed with another algorithm would stop verifying.',
    references: [
      { title: 'PyJWT: jwt.decode', url: 'https://pyjwt.readthedocs.io/en/stable/api.html#jwt.decode' },
      { title: 'OWASP JSON Web Token Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/JSON_Web_Token_for_Java_Cheat_Sheet.html' },
    ],
  },
});
