// What calls, decorators and classes of a Python file say about its security setup: password
// hashing and logging calls, rate limiters, security header and CORS libraries, middleware,
// and login-like endpoints with whether a rate limit applies to them.

import type { Node } from '../engine/parser';
import { callArgs, dottedName, stringValue, type CallArgs } from '../engine/syntax';
import type { Range } from '../engine/types';
import type { PythonFileFacts } from './python-facts';
import { rangeOf, summarise } from './python-values';

const HASHING_CALLS = new Set([
  'django.contrib.auth.hashers.make_password',
  'werkzeug.security.generate_password_hash',
  'werkzeug.generate_password_hash',
  'hashlib.scrypt',
  'hashlib.pbkdf2_hmac',
]);
const LOGGING_CALLS = new Set([
  'logging.basicConfig',
  'logging.config.dictConfig',
  'logging.config.fileConfig',
  'structlog.configure',
  'sentry_sdk.init',
  'loguru.logger.add',
]);
/** Function names of login-like views: `login`, `login_view`, `signin`, `obtain_token`, `token`. */
export const LOGIN_WORDS = /(^|_)(log_?in|sign_?in|authenticate|obtain_(auth_)?token|token_obtain(_pair)?|access_token|password_reset|reset_password)(_|$)|^(token|auth)$/i;
/** Route paths of login-like endpoints: `/login`, `/api/auth/token`, `/password-reset/`. */
const LOGIN_ROUTE = /(^|\/)(log-?in|sign-?in|token|auth|authenticate|password[-_]reset|reset[-_]password)(\/|$)/i;
const LOGIN_CLASS = /(Login|SignIn|Signin|TokenObtain|ObtainAuthToken|Authenticat)/;
export const VIEW_FILE = /(^|\/)(views?|api|routes?|endpoints?|auth)(\.py$|\/)/;
const ROUTE_METHODS = new Set(['route', 'get', 'post', 'put', 'patch', 'delete', 'api_route', 'websocket', 'api_view', 'action']);

function tail(q: string): string {
  return q.slice(q.lastIndexOf('.') + 1);
}

export function callFacts(call: Node, resolve: (n: Node | null) => string | null, out: PythonFileFacts): void {
  const fn = call.childForFieldName('function');
  const args = callArgs(call);
  const at = rangeOf(call);
  // `app.add_middleware(...)`: the receiver is a local object, so this is decided before resolving.
  if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'add_middleware') {
    middlewareFacts(args, resolve, at, out);
    return;
  }
  const q = resolve(fn);
  if (!q) return;
  if (HASHING_CALLS.has(q)) out.passwordHashing.push({ what: q, range: at });
  if (LOGGING_CALLS.has(q) || (q.startsWith('logging.config.') && /Config$/.test(q))) out.logging.push({ what: q, range: at });
  if (q === 'flask_limiter.Limiter' || q === 'slowapi.Limiter' || q === 'flask_limiter.extension.Limiter') {
    const defaults = args.keywords.get('default_limits') ?? args.keywords.get('application_limits');
    out.rateLimitSetup.push({ what: q.split('.')[0]!, range: at, ...(defaults ? { note: 'default limits' } : {}) });
  }
  if (q === 'flask_talisman.Talisman' || q === 'flask_talisman.talisman.Talisman') {
    const force = args.keywords.get('force_https');
    out.securityHeaders.push({ what: 'flask_talisman', range: at });
    if (force?.type !== 'false') out.https.push({ what: 'flask_talisman', range: at, note: 'force_https and HSTS' });
  }
  if (q === 'secure.Secure' || q === 'secure.Secure.with_default_headers') {
    out.securityHeaders.push({ what: 'secure', range: at });
    out.https.push({ what: 'secure', range: at, note: 'Strict-Transport-Security header' });
  }
  if (q === 'flask_wtf.CSRFProtect' || q === 'flask_wtf.csrf.CSRFProtect' || q === 'flask_seasurf.SeaSurf') out.csrf.push({ what: q, range: at });
  if (q === 'flask_cors.CORS' || q === 'flask_cors.cross_origin') {
    const origins = args.keywords.get('origins') ?? args.keywords.get('resources');
    out.cors.push({ what: 'flask_cors', range: at, note: corsNote(origins ?? null, true) });
  }
  if (q === 'flask.Flask' || q === 'fastapi.FastAPI' || q === 'starlette.applications.Starlette') out.apps.push({ what: q, range: at });
  if (tail(q) === 'Middleware') middlewareFacts(args, resolve, at, out);
}

/** `app.add_middleware(CORSMiddleware, ...)` and `Middleware(CORSMiddleware, ...)`. */
function middlewareFacts(args: CallArgs, resolve: (n: Node | null) => string | null, at: Range, out: PythonFileFacts): void {
  {
    const mw = args.positional[0] ? resolve(args.positional[0]) : null;
    if (!mw) return;
    const name = tail(mw);
    if (name === 'CORSMiddleware') out.cors.push({ what: mw, range: at, note: corsNote(args.keywords.get('allow_origins') ?? null, false, args.keywords.get('allow_origin_regex')) });
    else if (name === 'HTTPSRedirectMiddleware') out.https.push({ what: mw, range: at, note: 'HTTPS redirect' });
    else if (name === 'TrustedHostMiddleware') {
      const hosts = args.keywords.get('allowed_hosts');
      out.trustedHosts.push({ what: mw, range: at, note: hosts ? summarise(hosts).items?.includes('*') ? 'wildcard' : 'allowlist' : 'wildcard' });
    } else if (/SlowAPI|RateLimit|Limiter/i.test(name)) out.rateLimitSetup.push({ what: mw, range: at });
    else if (/Secure|SecurityHeaders|CSP|Talisman/i.test(name)) out.securityHeaders.push({ what: mw, range: at });
  }
}

function corsNote(origins: Node | null, defaultWildcard: boolean, regex?: Node): string {
  if (regex) return stringValue(regex) === '.*' ? 'wildcard' : 'allowlist';
  if (!origins) return defaultWildcard ? 'wildcard' : 'allowlist';
  const s = summarise(origins);
  if (s.kind === 'string') return s.items?.[0] === '*' ? 'wildcard' : 'allowlist';
  if (s.kind === 'list') return s.items?.includes('*') ? 'wildcard' : 'allowlist';
  if (s.kind === 'dict') return /["']origins["']\s*:\s*["']\*["']/.test(origins.text) || !/origins/.test(origins.text) ? 'wildcard' : 'allowlist';
  return 'configured';
}

export function endpointFacts(dec: Node, resolve: (n: Node | null) => string | null, relPath: string, out: PythonFileFacts): void {
  const def = dec.childForFieldName('definition');
  if (def?.type !== 'function_definition') return;
  const name = def.childForFieldName('name')?.text ?? '';
  let route = false;
  let routeLogin = false;
  let limited = false;
  let drf = false;
  for (const d of dec.namedChildren) {
    if (d?.type !== 'decorator') continue;
    const expr = d.namedChildren[0];
    if (!expr) continue;
    const callee = expr.type === 'call' ? expr.childForFieldName('function') : expr;
    const dotted = dottedName(callee) ?? '';
    const q = resolve(callee) ?? dotted;
    const method = tail(dotted);
    if (ROUTE_METHODS.has(method) || q === 'rest_framework.decorators.api_view') {
      route = true;
      if (q === 'rest_framework.decorators.api_view') drf = true;
      const first = expr.type === 'call' ? callArgs(expr).positional[0] : null;
      const path = first ? stringValue(first) : null;
      if (path && LOGIN_ROUTE.test(path)) routeLogin = true;
    }
    if (
      (method === 'limit' && /limit/i.test(dotted)) ||
      method === 'shared_limit' ||
      q.startsWith('django_ratelimit.') ||
      q.startsWith('ratelimit.') ||
      q === 'rest_framework.decorators.throttle_classes' ||
      method === 'throttle_classes'
    ) {
      limited = true;
      out.rateLimitSetup.push({ what: q.split('.')[0] === q ? dotted : q.split('.')[0]!, range: rangeOf(d) });
    }
  }
  if (!route && !VIEW_FILE.test(relPath)) return;
  out.endpoints.push({ name, range: rangeOf(def.childForFieldName('name') ?? def), loginLike: routeLogin || LOGIN_WORDS.test(name), rateLimited: limited, drf });
}

const DRF_BASES = /\b(APIView|GenericAPIView|ViewSet|ModelViewSet|GenericViewSet|ObtainAuthToken|TokenObtainPairView|TokenViewBase|\w+APIView)\b/;

export function classFacts(cls: Node, out: PythonFileFacts): void {
  const name = cls.childForFieldName('name')?.text ?? '';
  if (!LOGIN_CLASS.test(name) && !/View(Set)?$/.test(name)) return;
  let limited = false;
  for (const stmt of cls.childForFieldName('body')?.namedChildren ?? []) {
    const a = stmt?.type === 'expression_statement' ? stmt.namedChildren[0] : null;
    const key = a?.type === 'assignment' ? a.childForFieldName('left')?.text : null;
    if (key === 'throttle_classes' || key === 'throttle_scope') {
      limited = true;
      out.rateLimitSetup.push({ what: 'rest_framework throttle_classes', range: rangeOf(a!) });
    }
  }
  if (!LOGIN_CLASS.test(name) && !limited) return;
  const drf = DRF_BASES.test(cls.childForFieldName('superclasses')?.text ?? '');
  out.endpoints.push({ name, range: rangeOf(cls.childForFieldName('name') ?? cls), loginLike: LOGIN_CLASS.test(name), rateLimited: limited, drf });
}
