import { defineRule, fix, replace } from '../../engine/rule';
import { stringValue } from '../../engine/syntax';
import { configEntries, configEnvironment, constructedKey, developmentOverride, environmentOfName, environmentOfPath } from '../util/frameworks';
import { djangoSettings, insertItemAfter, mentionedOutsideMiddleware, mentionsKey, middlewareItems } from '../util/settings-values';

const KEYS = new Set(['X_FRAME_OPTIONS']);
const XFRAME = 'django.middleware.clickjacking.XFrameOptionsMiddleware';
/** Middleware that shows the list is a project's full list, not a fragment. */
const CORE = new Set(['django.middleware.common.CommonMiddleware', 'django.middleware.security.SecurityMiddleware']);

export default defineRule({
  id: 'SEC222',
  name: 'django-x-frame-options-allow',
  local: true,
  fileKey: (ctx) => `${constructedKey(ctx)}|${mentionsKey(ctx)}`,
  summary: 'Django pages can be framed by other sites: `X_FRAME_OPTIONS` not DENY/SAMEORIGIN, or `XFrameOptionsMiddleware` removed',
  owasp: { '2025': 'A02', '2021': 'A05' },
  cwe: [1021],
  severity: 'warning',
  confidence: 'high',
  fix: 'sometimes',
  tags: ['django', 'headers', 'clickjacking'],
  nodeTypes: ['assignment'],
  appliesTo: (file) => file.isSettings && !file.isTest && environmentOfPath(file.path) !== 'test',
  check(node, ctx) {
    for (const s of djangoSettings(node, ctx, KEYS)) {
      const value = stringValue(s.literal);
      if (value === null) continue;
      const upper = value.trim().toUpperCase();
      if (upper === 'DENY' || upper === 'SAMEORIGIN') continue;
      ctx.report(s.entry.at, {
        message: upper.startsWith('ALLOW-FROM')
          ? `\`X_FRAME_OPTIONS = "${value}"\`: browsers ignore \`ALLOW-FROM\`, so any site can frame the pages (use CSP \`frame-ancestors\`)`
          : `\`X_FRAME_OPTIONS = "${value}"\` is not \`DENY\` or \`SAMEORIGIN\`: browsers ignore it and any site can frame the pages`,
        confidence: s.fromEnv ? 'medium' : 'high',
        ...developmentOverride(s.env),
        fixes: [fix('Set it to `"SAMEORIGIN"`', 'unsafe', replace(s.literal, '"SAMEORIGIN"'))],
      });
    }
    for (const entry of configEntries(node)) {
      if (entry.key !== 'MIDDLEWARE' && entry.key !== 'MIDDLEWARE_CLASSES') continue;
      if (entry.form === 'class' ? environmentOfName(entry.owner?.childForFieldName('name')?.text ?? '') === 'test' : entry.form !== 'module') continue;
      const items = middlewareItems(entry.value);
      if (!items || !items.some((i) => CORE.has(i.name))) continue;
      if (items.some((i) => i.name.includes('XFrameOptionsMiddleware') || i.name.includes('CSPMiddleware'))) continue;
      // Added elsewhere, or replaced by a Content-Security-Policy frame-ancestors directive.
      if (mentionedOutsideMiddleware(ctx, 'XFrameOptionsMiddleware') || mentionedOutsideMiddleware(ctx, 'frame-ancestors')) continue;
      if (['CSP_FRAME_ANCESTORS', 'CONTENT_SECURITY_POLICY', 'SECURE_CSP'].some((k) => ctx.facts.moduleAssignments.has(k))) continue;
      const env = configEnvironment(entry, ctx);
      if (env === 'test') continue;
      const last = items[items.length - 1]!;
      ctx.report(entry.value, {
        message: `\`${entry.key}\` does not include \`${XFRAME}\`: responses carry no \`X-Frame-Options\` header, so other sites can frame the pages`,
        confidence: 'medium',
        ...developmentOverride(env),
        fixes: [fix('Add `XFrameOptionsMiddleware` at the end of the list', 'unsafe', insertItemAfter(last.node, XFRAME, ctx))],
      });
    }
  },
  docs: {
    what: "Finds Django settings that let other sites frame your pages: `X_FRAME_OPTIONS` set to anything other than `\"DENY\"` or `\"SAMEORIGIN\"` (for example the obsolete `\"ALLOW-FROM https://partner.example\"`, which current browsers ignore), and, with medium confidence, a `MIDDLEWARE` list literal that includes Django's `CommonMiddleware` or `SecurityMiddleware` but not `django.middleware.clickjacking.XFrameOptionsMiddleware`. Modules that add the middleware elsewhere, use django-csp's `CSPMiddleware`, or set a `frame-ancestors` policy are not reported. Test settings are skipped; development settings are reported as information.",
    why: "A page that any site can load in an invisible `<iframe>` can be clickjacked: the attacker's page places its own buttons over the framed page so that the victim, logged in to your site, clicks \"delete account\", \"transfer\" or \"allow\" without knowing. `X-Frame-Options: DENY` (Django's default with the middleware) or a CSP `frame-ancestors` directive makes browsers refuse to render the page inside another site. `manage.py check --deploy` warns about the missing middleware as security.W002 and a wrong value as security.W019.",
    example: `X_FRAME_OPTIONS = "ALLOW-FROM https://partner.example"`,
    useInstead: `X_FRAME_OPTIONS = "DENY"
# To allow a partner to embed pages, use a Content-Security-Policy instead (django-csp):
# CSP_FRAME_ANCESTORS = ("'self'", "https://partner.example")`,
    fixSafety: "The fixes set `X_FRAME_OPTIONS` to `\"SAMEORIGIN\"`, or append `XFrameOptionsMiddleware` to `MIDDLEWARE` (which sends `DENY` unless `X_FRAME_OPTIONS` says otherwise). Both are unsafe: pages that are meant to be embedded by other sites (widgets, a partner portal) stop rendering inside their frames, and with the middleware's `DENY` default also inside your own site's frames; use `@xframe_options_exempt` or a CSP `frame-ancestors` list for those.",
    references: [
      { title: 'Django: Clickjacking protection', url: 'https://docs.djangoproject.com/en/stable/ref/clickjacking/' },
      { title: 'Django settings: X_FRAME_OPTIONS', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#x-frame-options' },
      { title: 'OWASP Clickjacking Defense Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Clickjacking_Defense_Cheat_Sheet.html' },
    ],
  },
});
