import type { Node } from '../../engine/parser';
import { defineRule, type RuleContext } from '../../engine/rule';
import { callArgs, calleeTail, dottedName, isFalse, stringValue, unparen } from '../../engine/syntax';
import { describeDuration, durationSeconds, numberValue } from '../util/durations';

const DAY = 86400;
const MONTH = 30 * DAY;

/** Lifetime settings of JWT libraries whose value is a duration (or `False` for never). */
const LIFETIME_SETTINGS = new Set([
  'ACCESS_TOKEN_LIFETIME', // djangorestframework-simplejwt (SIMPLE_JWT)
  'SLIDING_TOKEN_LIFETIME',
  'JWT_ACCESS_TOKEN_EXPIRES', // Flask-JWT-Extended
  'JWT_EXPIRATION_DELTA', // Flask-JWT, djangorestframework-jwt (JWT_AUTH)
]);

/** `ACCESS_TOKEN_EXPIRE_MINUTES = 60 * 24 * 8` (the FastAPI tutorial's setting), by its unit. */
const EXPIRE_NUMBER = /^(?:JWT_)?(?:ACCESS_)?TOKEN_EXPIRES?_(?:IN_)?(SECONDS|MINUTES|HOURS|DAYS)$/i;
const UNIT: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: DAY };

const NOW_CALLS = /^(time\.time|datetime\.datetime\.(now|utcnow|today)|django\.utils\.timezone\.now|arrow\.(utcnow|now)|pendulum\.now)$/;
const NOW_NAMES = /^(now|utcnow|iat|issued_at|current_time|now_ts|timestamp|ts|current_timestamp|now_utc|utc_now)$/i;

/** `time.time()`, `datetime.now(tz)`, `int(time.time())`, `now`, `payload["iat"]`, `datetime.utcnow().timestamp()`. */
function isNow(node: Node, ctx: RuleContext): boolean {
  const n = unwrapTimestamp(unparen(node), ctx);
  if (n.type === 'call') return NOW_CALLS.test(ctx.callName(n) ?? '');
  if (n.type === 'subscript') return stringValue(n.childForFieldName('subscript')) === 'iat';
  const d = dottedName(n);
  return !!d && NOW_NAMES.test(d.slice(d.lastIndexOf('.') + 1));
}

/** Strips `int(...)`, `round(...)`, `math.floor(...)`, `x.timestamp()`, `calendar.timegm(x.utctimetuple())`. */
function unwrapTimestamp(node: Node, ctx: RuleContext): Node {
  let n = unparen(node);
  for (let i = 0; i < 5 && n.type === 'call'; i++) {
    const tail = calleeTail(n);
    const fn = n.childForFieldName('function');
    const args = callArgs(n);
    if ((tail === 'int' || tail === 'round' || /^(math\.(floor|ceil)|calendar\.timegm|time\.mktime)$/.test(ctx.callName(n) ?? '')) && args.positional.length >= 1) {
      n = unparen(args.positional[0]!);
    } else if ((tail === 'timestamp' || tail === 'utctimetuple' || tail === 'timetuple') && fn?.type === 'attribute' && args.positional.length === 0) {
      n = unparen(fn.childForFieldName('object')!);
    } else break;
  }
  return n;
}

/** How far in the future an `exp` claim lies, in seconds, when that is a constant. */
function expLifetime(value: Node, ctx: RuleContext): number | null {
  const n = unwrapTimestamp(value, ctx);
  if (n.type === 'binary_operator' && n.childForFieldName('operator')?.type === '+') {
    const left = n.childForFieldName('left')!;
    const right = n.childForFieldName('right')!;
    for (const [a, b] of [[left, right], [right, left]] as const) {
      if (!isNow(a, ctx)) continue;
      const d = durationSeconds(b, ctx, true);
      if (d !== null) return d;
    }
    // `some_datetime + timedelta(days=365)`: a timedelta is a duration whatever it is added to.
    for (const [a, b] of [[left, right], [right, left]] as const) {
      const d = durationSeconds(b, ctx, false);
      if (d !== null && numberValue(a, ctx) === null) return d;
    }
    return null;
  }
  // An absolute timestamp literal: `"exp": 4102444800`.
  const abs = numberValue(n, ctx);
  if (abs !== null && abs > 1e9) return abs - Date.now() / 1000;
  return null;
}

function report(at: Node, seconds: number, what: string, ctx: RuleContext): void {
  if (seconds <= DAY) return;
  ctx.report(at, {
    message: `${what} makes tokens valid for ${describeDuration(seconds)}; a stolen token stays usable that long. Keep access tokens to minutes or hours and use refresh tokens`,
    confidence: seconds > MONTH ? 'high' : 'medium',
  });
}

function reportNever(at: Node, what: string, ctx: RuleContext): void {
  ctx.report(at, { message: `${what} = False makes access tokens never expire; a stolen token stays usable forever`, confidence: 'high' });
}

/** A lifetime setting by name: the value, and how its number is read. */
function checkSetting(name: string, value: Node, at: Node, ctx: RuleContext): void {
  const v = unparen(value);
  if (LIFETIME_SETTINGS.has(name)) {
    if (isFalse(v)) {
      if (name === 'JWT_ACCESS_TOKEN_EXPIRES') reportNever(at, `\`${name}\``, ctx);
      return;
    }
    // Flask-JWT-Extended also takes an int of seconds.
    const s = durationSeconds(v, ctx, name === 'JWT_ACCESS_TOKEN_EXPIRES');
    if (s !== null) report(at, s, `\`${name}\` of ${describeDuration(s)}`, ctx);
    return;
  }
  const m = EXPIRE_NUMBER.exec(name);
  if (m) {
    const n = numberValue(v, ctx);
    if (n !== null) report(at, n * UNIT[m[1]!.toLowerCase()]!, `\`${name} = ${ctx.textOf(v)}\``, ctx);
  }
}

function usesJwt(ctx: RuleContext): boolean {
  const m = ctx.facts.importedModules;
  return m.has('jwt') || m.has('jose') || m.has('authlib') || m.has('jwcrypto') || m.has('python_jwt');
}

export default defineRule({
  id: 'SEC524',
  name: 'jwt-long-expiry',
  local: true,
  summary: 'JWT access tokens that stay valid for more than a day (`exp`, lifetime settings)',
  owasp: { '2025': 'A07', '2021': 'A07' },
  cwe: [613],
  severity: 'warning',
  confidence: 'high',
  tags: ['jwt', 'django', 'flask', 'fastapi'],
  nodeTypes: ['pair', 'assignment', 'keyword_argument'],
  appliesTo: (file) => !file.isTest,
  check(node, ctx) {
    if (node.type === 'pair') {
      const key = stringValue(node.childForFieldName('key'));
      const value = node.childForFieldName('value');
      if (!key || !value) return;
      if (key === 'exp') {
        if (!usesJwt(ctx)) return;
        const s = expLifetime(value, ctx);
        if (s !== null) report(node, s, `JWT \`exp\` claim ${describeDuration(s)} in the future`, ctx);
        return;
      }
      checkSetting(key, value, node, ctx);
      return;
    }
    if (node.type === 'keyword_argument') {
      const name = node.childForFieldName('name')?.text ?? '';
      const value = node.childForFieldName('value');
      if (!value) return;
      if (name === 'expires_delta') {
        // Flask-JWT-Extended `create_access_token(..., expires_delta=...)` and the FastAPI tutorial's helper.
        const call = node.parent?.parent;
        const callee = call?.type === 'call' ? (calleeTail(call) ?? '') : '';
        if (/refresh/i.test(callee)) return;
        if (isFalse(unparen(value))) {
          if (/access_token/.test(callee)) reportNever(node, '`expires_delta`', ctx);
          return;
        }
        const s = durationSeconds(value, ctx);
        if (s !== null) report(node, s, `\`expires_delta\` of ${describeDuration(s)}`, ctx);
        return;
      }
      checkSetting(name, value, node, ctx);
      return;
    }
    // Assignments: `JWT_ACCESS_TOKEN_EXPIRES = ...`, `app.config["JWT_ACCESS_TOKEN_EXPIRES"] = ...`, `payload["exp"] = ...`.
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (!left || !right) return;
    let name: string | null = null;
    if (left.type === 'identifier') name = left.text;
    else if (left.type === 'attribute') name = left.childForFieldName('attribute')?.text ?? null;
    else if (left.type === 'subscript') name = stringValue(left.childForFieldName('subscript'));
    if (!name) return;
    if (name === 'exp' && left.type === 'subscript') {
      if (!usesJwt(ctx)) return;
      const s = expLifetime(right, ctx);
      if (s !== null) report(node, s, `JWT \`exp\` claim ${describeDuration(s)} in the future`, ctx);
      return;
    }
    checkSetting(name, right, node, ctx);
  },
  docs: {
    what: 'Finds JWT lifetimes of more than a day: an `"exp"` claim set to now plus a constant duration (`datetime.now(timezone.utc) + timedelta(days=365)`, `int(time.time()) + 10**8`, an absolute timestamp) in a file that uses a JWT library; `ACCESS_TOKEN_LIFETIME` / `SLIDING_TOKEN_LIFETIME` (djangorestframework-simplejwt), `JWT_ACCESS_TOKEN_EXPIRES` (Flask-JWT-Extended, also `= False`, which disables expiry), `JWT_EXPIRATION_DELTA` (Flask-JWT, djangorestframework-jwt), `ACCESS_TOKEN_EXPIRE_MINUTES`-style numeric settings, and `expires_delta=` passed to access-token helpers. Refresh-token lifetimes are not reported. More than 30 days is reported with high confidence, more than a day with medium confidence.',
    why: 'A JWT cannot be revoked without extra server-side state: whoever holds it is authenticated until `exp`. Tokens leak through logs, browser storage read by XSS, proxies and compromised devices; a token that lives for a year gives the thief a year of access, even after the user changes their password or logs out. Short-lived access tokens with refresh tokens (which can be revoked and rotated) limit that window.',
    example: `from datetime import datetime, timedelta, timezone
import jwt

token = jwt.encode(
    {"sub": user.id, "exp": datetime.now(timezone.utc) + timedelta(days=365)},
    SECRET_KEY,
    algorithm="HS256",
)`,
    useInstead: `from datetime import datetime, timedelta, timezone
import jwt

token = jwt.encode(
    {"sub": user.id, "exp": datetime.now(timezone.utc) + timedelta(minutes=15)},
    SECRET_KEY,
    algorithm="HS256",
)
# Issue a separate, revocable refresh token for long sessions.`,
    references: [
      { title: 'OWASP JSON Web Token Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/JSON_Web_Token_for_Java_Cheat_Sheet.html' },
      { title: 'RFC 8725: JSON Web Token Best Current Practices', url: 'https://www.rfc-editor.org/rfc/rfc8725' },
      { title: 'Simple JWT settings', url: 'https://django-rest-framework-simplejwt.readthedocs.io/en/latest/settings.html' },
    ],
  },
});
