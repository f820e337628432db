import { defineRule, fix, insertAt } from '../../engine/rule';
import { constantTruth } from '../../engine/scope';
import { isTrue, unparen } from '../../engine/syntax';
import { developmentOverride, environmentOfPath } from '../util/frameworks';
import { djangoSettings, isCompleteProductionSettings, missingSettingAnchor } from '../util/settings-values';

const KEYS = new Set(['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE']);

export default defineRule({
  id: 'SEC220',
  name: 'django-session-cookie-insecure-missing',
  summary: '`SESSION_COOKIE_SECURE` / `CSRF_COOKIE_SECURE` not set in Django production settings: the cookies are also sent over plain HTTP',
  owasp: { '2025': 'A02', '2021': 'A05' },
  cwe: [614],
  severity: 'warning',
  confidence: 'medium',
  fix: 'sometimes',
  tags: ['django', 'cookies'],
  nodeTypes: ['assignment'],
  appliesTo: (file) => file.isSettings && !file.isTest && environmentOfPath(file.path) !== 'test',
  check(node, ctx) {
    // Explicit `False` is SEC217's; here only a false default of an environment read.
    for (const s of djangoSettings(node, ctx, KEYS)) {
      if (!s.fromEnv || constantTruth(s.literal) !== false) continue;
      ctx.report(s.entry.at, {
        message: `\`${s.entry.key}\` is off unless ${s.fromEnv.variable ? `\`${s.fromEnv.variable}\`` : 'the variable'} is set (it is read from the environment with a false default)`,
        confidence: 'medium',
        ...developmentOverride(s.env),
      });
    }
  },
  finish(ctx) {
    if (!isCompleteProductionSettings(ctx)) return;
    const assigned = ctx.facts.moduleAssignments;
    const csrfInSession = isTrue(unparen(assigned.get('CSRF_USE_SESSIONS')?.childForFieldName('right') ?? ctx.root));
    const missing = [...KEYS].filter((k) => !assigned.has(k) && !(k === 'CSRF_COOKIE_SECURE' && csrfInSession));
    if (!missing.length) return;
    const eol = ctx.eol;
    const lead = ctx.text.length === 0 || /[\r\n]$/.test(ctx.text) ? '' : eol;
    const lines = missing.map((k) => `${k} = True${eol}`).join('');
    ctx.report(missingSettingAnchor(ctx), {
      message: `${missing.map((k) => `\`${k}\``).join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set in this production settings module (Django defaults to \`False\`): the cookie is also sent over plain HTTP`,
      confidence: 'medium',
      fixes: [fix(`Add ${missing.map((k) => `\`${k} = True\``).join(' and ')} at the end of the module`, 'unsafe', insertAt(ctx.text.length, `${lead}${lines}`))],
    });
  },
  docs: {
    what: "Reports a Django production settings module that does not set `SESSION_COOKIE_SECURE` or `CSRF_COOKIE_SECURE` (both default to `False`), once per module, with medium confidence. A production settings module defines `INSTALLED_APPS` or `MIDDLEWARE` (or is named for production), does not star-import other settings (which may set them), and does not set `DEBUG = True`; base, test and development settings are not reported. `CSRF_COOKIE_SECURE` is not needed with `CSRF_USE_SESSIONS = True`. Also reports either setting read from the environment with a false default (`env.bool(\"SESSION_COOKIE_SECURE\", default=False)`). An explicit `= False` is reported by SEC217 (insecure-cookie-setting).",
    why: "Without the `Secure` attribute, the browser also sends the session cookie (the login) and the CSRF cookie on plain-HTTP requests: a single `http://` link, image or redirect is enough for anyone on the same network to copy the session and take over the account. HSTS and `SECURE_SSL_REDIRECT` reduce but do not remove this: the first request before a redirect already carries the cookie. `manage.py check --deploy` warns about these as security.W012 and security.W016.",
    example: `# mysite/settings.py
INSTALLED_APPS = [...]
MIDDLEWARE = [...]
# SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE never set`,
    useInstead: `# mysite/settings.py
INSTALLED_APPS = [...]
MIDDLEWARE = [...]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True`,
    fixSafety: "The fix appends `SESSION_COOKIE_SECURE = True` / `CSRF_COOKIE_SECURE = True` at the end of the module. It is unsafe: browsers then never send the cookies over plain HTTP, so logging in (and any form with a CSRF token) stops working on a site or development server reached over `http://`, and behind a proxy that terminates TLS the application must still be served to users over HTTPS.",
    references: [
      { title: 'Django settings: SESSION_COOKIE_SECURE', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-secure' },
      { title: 'Django settings: CSRF_COOKIE_SECURE', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#csrf-cookie-secure' },
      { title: 'Django deployment checklist', url: 'https://docs.djangoproject.com/en/stable/howto/deployment/checklist/' },
    ],
  },
});
