import type { Node } from '../../engine/parser';
import { defineRule, fix, replace } from '../../engine/rule';
import { isFalse, isNone } from '../../engine/syntax';
import type { Fix } from '../../engine/types';
import { configEntries, configEnvironment, developmentOverride, environmentOfPath } from '../util/frameworks';

type Flag = 'secure' | 'httponly' | 'samesite';

/**
 * Framework cookie settings and the flag each controls. `CSRF_COOKIE_HTTPONLY = False` is
 * Django's default and harmless (the token is also in the page), so it is not listed.
 */
const SETTINGS = new Map<string, Flag>([
  ['SESSION_COOKIE_SECURE', 'secure'],
  ['CSRF_COOKIE_SECURE', 'secure'],
  ['REMEMBER_COOKIE_SECURE', 'secure'], // Flask-Login
  ['SESSION_COOKIE_HTTPONLY', 'httponly'],
  ['REMEMBER_COOKIE_HTTPONLY', 'httponly'],
  ['SESSION_COOKIE_SAMESITE', 'samesite'],
  ['CSRF_COOKIE_SAMESITE', 'samesite'],
  ['REMEMBER_COOKIE_SAMESITE', 'samesite'],
]);

const EFFECT: Record<Flag, string> = {
  secure: 'lets the browser send the cookie over plain HTTP',
  httponly: 'lets JavaScript read the cookie',
  samesite: 'sends the cookie without a SameSite attribute',
};

function problem(flag: Flag, value: Node): { fix: Fix; shown: string } | null {
  if (flag === 'samesite') {
    return isNone(value) ? { shown: 'None', fix: fix('Set it to `"Lax"`', 'unsafe', replace(value, '"Lax"')) } : null;
  }
  return isFalse(value) ? { shown: 'False', fix: fix('Set it to `True`', 'unsafe', replace(value, 'True')) } : null;
}

export default defineRule({
  id: 'SEC217',
  name: 'insecure-cookie-setting',
  local: true,
  summary: 'Session or CSRF cookie setting turned off (`SESSION_COOKIE_SECURE = False` and the like)',
  owasp: { '2025': 'A02', '2021': 'A05' },
  cwe: [614, 1004, 1275],
  severity: 'warning',
  confidence: 'high',
  fix: 'always',
  tags: ['cookies', 'django', 'flask'],
  nodeTypes: ['assignment', 'call'],
  appliesTo: (file) => !file.isTest && environmentOfPath(file.path) !== 'test',
  check(node, ctx) {
    for (const entry of configEntries(node)) {
      const flag = SETTINGS.get(entry.key);
      if (!flag) continue;
      const p = problem(flag, entry.value);
      if (!p) continue;
      const env = configEnvironment(entry, ctx);
      if (env === 'test') continue;
      ctx.report(entry.at, {
        message: `\`${entry.key} = ${p.shown}\` ${EFFECT[flag]}`,
        // Plain-HTTP development servers need `SESSION_COOKIE_SECURE = False`: say so quietly.
        ...developmentOverride(env),
        fixes: [p.fix],
      });
    }
  },
  docs: {
    what: "Finds framework cookie settings switched off: Django's and Flask's `SESSION_COOKIE_SECURE = False`, Django's `CSRF_COOKIE_SECURE = False`, `SESSION_COOKIE_HTTPONLY = False`, `SESSION_COOKIE_SAMESITE = None` / `CSRF_COOKIE_SAMESITE = None`, and Flask-Login's `REMEMBER_COOKIE_*` equivalents. They are found at module level (Django settings, Flask config modules), in config classes, in `app.config[...] = ...` and in `app.config.update(...)`. Test configuration is skipped; development configuration (`DevelopmentConfig`, `settings/local.py`, inside `if app.debug:`) is reported as information with low confidence. Settings that are simply absent are not reported here.",
    why: 'The session cookie is the login. Without `Secure` it is also sent over plain HTTP, where anyone on the network (public Wi-Fi, a compromised router) can copy it and take over the session (CWE-614). Without `HttpOnly`, one cross-site scripting bug is enough to read it with `document.cookie` (CWE-1004). With no `SameSite` attribute, Safari and older browsers attach it to cross-site requests, which enables CSRF (CWE-1275).',
    example: `SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SESSION_COOKIE_SAMESITE = None`,
    useInstead: `SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_SAMESITE = "Lax"`,
    fixSafety: 'The fix sets `False` to `True` and `None` to `"Lax"`. A `Secure` session cookie is not stored by browsers over plain HTTP, so logging in on an HTTP development server or behind a proxy that terminates TLS without telling the app can stop working; `SameSite=Lax` stops the cookie on cross-site POSTs (SAML, payment callbacks); `HttpOnly` hides the cookie from scripts that read it. The fix is therefore unsafe and never applied by fix-all.',
    references: [
      { title: 'Django settings: SESSION_COOKIE_SECURE', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-secure' },
      { title: 'Django settings: CSRF_COOKIE_SECURE', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#csrf-cookie-secure' },
      { title: 'Flask configuration: SESSION_COOKIE_SECURE', url: 'https://flask.palletsprojects.com/en/stable/config/#SESSION_COOKIE_SECURE' },
      { title: 'OWASP Session Management Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html' },
    ],
  },
});
