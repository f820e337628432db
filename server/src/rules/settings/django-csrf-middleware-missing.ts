import { defineRule, fix } from '../../engine/rule';
import { configEntries, configEnvironment, developmentOverride, environmentOfName, environmentOfPath } from '../util/frameworks';
import { insertItemAfter, mentionedOutsideMiddleware, mentionsKey, middlewareItems } from '../util/settings-values';

const CSRF = 'django.middleware.csrf.CsrfViewMiddleware';
const SESSION_OR_AUTH = new Set(['django.contrib.sessions.middleware.SessionMiddleware', 'django.contrib.auth.middleware.AuthenticationMiddleware']);
/** Django's documented order puts CSRF after these (CommonMiddleware first). */
const ANCHORS = ['django.middleware.common.CommonMiddleware', 'django.contrib.sessions.middleware.SessionMiddleware'];

export default defineRule({
  id: 'SEC223',
  name: 'django-csrf-middleware-missing',
  local: true,
  fileKey: mentionsKey,
  summary: "`MIDDLEWARE` without Django's `CsrfViewMiddleware`: no view checks CSRF tokens",
  owasp: { '2025': 'A01', '2021': 'A01' },
  cwe: [352],
  severity: 'warning',
  confidence: 'high',
  fix: 'sometimes',
  tags: ['django', 'csrf'],
  nodeTypes: ['assignment'],
  appliesTo: (file) => file.isSettings && !file.isTest && environmentOfPath(file.path) !== 'test',
  check(node, ctx) {
    for (const entry of configEntries(node)) {
      if (entry.key !== 'MIDDLEWARE' && entry.key !== 'MIDDLEWARE_CLASSES') continue;
      if (entry.form !== 'module' && entry.form !== 'class') continue;
      if (entry.form === 'class' && environmentOfName(entry.owner?.childForFieldName('name')?.text ?? '') === 'test') continue;
      const items = middlewareItems(entry.value);
      // Only a complete Django middleware list: literal strings, Django's own among them.
      if (!items || !items.some((i) => i.name.startsWith('django.'))) continue;
      if (items.some((i) => i.name.includes('CsrfViewMiddleware'))) continue;
      // Added elsewhere in the module (`MIDDLEWARE.insert(...)`, `MIDDLEWARE += [...]`)?
      if (mentionedOutsideMiddleware(ctx, 'CsrfViewMiddleware')) continue;
      const env = configEnvironment(entry, ctx);
      if (env === 'test') continue;
      const cookies = items.some((i) => SESSION_OR_AUTH.has(i.name));
      const anchor = ANCHORS.map((a) => items.find((i) => i.name === a)).find((i) => !!i);
      ctx.report(entry.value, {
        message: `\`${entry.key}\` does not include \`${CSRF}\`: POST requests are accepted without a CSRF token`,
        confidence: cookies ? 'high' : 'medium',
        ...developmentOverride(env),
        fixes: anchor ? [fix(`Add \`CsrfViewMiddleware\` after \`${anchor.name.split('.').pop()}\``, 'unsafe', insertItemAfter(anchor.node, CSRF, ctx))] : [],
      });
    }
  },
  docs: {
    what: "Finds a Django `MIDDLEWARE` (or legacy `MIDDLEWARE_CLASSES`) list literal in a settings module that does not contain `django.middleware.csrf.CsrfViewMiddleware`, typically because the line was commented out. Lists that are not all string literals, lists without any `django.` middleware (fragments), and modules that add the middleware elsewhere (`MIDDLEWARE.insert(...)`) are not reported. Confidence is high when the list has `SessionMiddleware` or `AuthenticationMiddleware` (users log in with cookies), medium otherwise. Test settings are skipped; development settings are reported as information.",
    why: "`CsrfViewMiddleware` is what checks the CSRF token on every POST, PUT, PATCH and DELETE. Without it, only views decorated with `@csrf_protect` (and Django's admin) are protected: any other form or AJAX endpoint accepts a request forged by a page the logged-in user visits, which can change their email or password, transfer money or delete data with their session cookie. `manage.py check --deploy` warns about this as security.W003.",
    example: `MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]`,
    useInstead: `MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]`,
    fixSafety: "The fix inserts `django.middleware.csrf.CsrfViewMiddleware` after `CommonMiddleware` (or after `SessionMiddleware` when there is no `CommonMiddleware`), the order Django's documentation gives. It is unsafe: forms and JavaScript that post without a CSRF token, and webhooks from other sites, start failing with 403 until they send `{% csrf_token %}` / the `X-CSRFToken` header or are marked `@csrf_exempt`. There is no fix when neither anchor middleware is in the list.",
    references: [
      { title: 'Django: Cross Site Request Forgery protection', url: 'https://docs.djangoproject.com/en/stable/ref/csrf/' },
      { title: 'Django: Middleware ordering', url: 'https://docs.djangoproject.com/en/stable/ref/middleware/#middleware-ordering' },
      { title: 'Django deployment checklist', url: 'https://docs.djangoproject.com/en/stable/howto/deployment/checklist/' },
    ],
  },
});
