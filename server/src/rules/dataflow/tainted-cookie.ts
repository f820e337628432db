import { defineRule } from '../../engine/rule';
import { SinkKind } from '../../engine/taint';
import { argument, callArgs, stringValue } from '../../engine/syntax';
import { cookieConfidence } from '../util/cookies';
import { COOKIE_FRAMEWORKS, importsAny } from '../util/frameworks';
import { DIRECT_FLOW_NOTE, remoteAndDirect, reportFlows } from './report';

export default defineRule({
  id: 'SEC916',
  name: 'tainted-cookie',
  summary: 'Request data is stored in a cookie as it came (cookie poisoning, session fixation)',
  owasp: { '2025': 'A05', '2021': 'A03' },
  cwe: [20, 384],
  severity: 'warning',
  confidence: 'medium',
  tags: ['dataflow', 'cookies', 'flask', 'django', 'fastapi'],
  nodeTypes: ['call'],
  appliesTo: (_file, facts) => importsAny(facts, COOKIE_FRAMEWORKS),
  check(call, ctx) {
    const fn = call.childForFieldName('function');
    const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : null;
    if (method !== 'set_cookie' && method !== 'set_signed_cookie') return;
    const args = callArgs(call);
    // `set_cookie(key, value, ...)` in Django, Werkzeug/Flask and Starlette; `name=` in aiohttp and Bottle.
    const key = argument(args, 0, 'key') ?? args.keywords.get('name') ?? null;
    const value = argument(args, 1, 'value');
    const name = stringValue(key);
    const label = name !== null && name.length <= 40 ? `the value of cookie \`${name}\`` : 'the value of a cookie';
    // Session and token cookies (fixation) weigh more than preferences such as `theme` or `lang`.
    if (value && reportFlows(ctx, value, value, SinkKind.cookie, `${label} set by \`.${method}()\``, cookieConfidence(key), undefined, remoteAndDirect)) return;
    if (key && name === null) reportFlows(ctx, key, key, SinkKind.cookie, `the name of a cookie set by \`.${method}()\``, 'medium', undefined, remoteAndDirect);
  },
  docs: {
    what:
      "Reports request data (query and form parameters, JSON bodies, route parameters) written into a cookie as it came: the value (and the name) of `set_cookie()` and `set_signed_cookie()` on a Django, Flask/Werkzeug, Starlette/FastAPI, Quart, aiohttp or Bottle response. Confidence follows the cookie name: high for session, token and auth cookies, where a value from the request is session fixation; low (severity `info`) for preferences such as `theme` or `lang`. Values checked against an allowlist (`if lang in LANGUAGES:`), converted (`int()`, `uuid.UUID()`), or derived through a call the analysis cannot see into (`create_token(user)`) are not reported.\n\n" +
      'The missing `Secure`, `HttpOnly` and `SameSite` flags are SEC216\'s business: it already reports every `set_cookie()` without them, whatever the value, so this rule looks only at where the value comes from and offers no fix.' +
      DIRECT_FLOW_NOTE,
    why: "A cookie is what the browser hands back as the server's own state, and code that reads it tends to trust it. A cookie filled straight from the request lets a link plant a value: an attacker who sends a victim to `/?sid=KNOWN` fixes their session id (session fixation) or sets a `role`, `user` or `next` cookie that later code acts on. Signing the cookie (`set_signed_cookie()`) does not help: it proves the server set the value, not that the value is good.",
    example: `from flask import make_response, request

@app.route("/welcome")
def welcome():
    resp = make_response("Welcome")
    resp.set_cookie("sessionid", request.args["sid"], secure=True, httponly=True, samesite="Lax")
    return resp`,
    useInstead: `import secrets

@app.route("/welcome")
def welcome():
    resp = make_response("Welcome")
    resp.set_cookie("sessionid", secrets.token_urlsafe(32), secure=True, httponly=True, samesite="Lax")
    return resp`,
    references: [
      { title: 'OWASP Session Management Cheat Sheet: session fixation', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html#renew-the-session-id-after-any-privilege-level-change' },
      { title: 'CWE-384: Session Fixation', url: 'https://cwe.mitre.org/data/definitions/384.html' },
    ],
  },
});
