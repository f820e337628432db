import { defineRule } from '../../engine/rule';
import { environmentOfPath } from '../util/frameworks';
import { isCompleteProductionSettings, missingSettingAnchor, reportSettingOff } from '../util/settings-values';

export default defineRule({
  id: 'SEC218',
  name: 'django-ssl-redirect-off',
  summary: '`SECURE_SSL_REDIRECT` off or not set in Django production settings: plain-HTTP requests are served, not redirected',
  owasp: { '2025': 'A04', '2021': 'A02' },
  cwe: [319],
  severity: 'warning',
  confidence: 'high',
  fix: 'sometimes',
  tags: ['django', 'tls'],
  nodeTypes: ['assignment'],
  appliesTo: (file) => file.isSettings && !file.isTest && environmentOfPath(file.path) !== 'test',
  check(node, ctx) {
    reportSettingOff(node, ctx, 'SECURE_SSL_REDIRECT', '`SECURE_SSL_REDIRECT = False`: Django serves plain-HTTP requests instead of redirecting them to HTTPS');
  },
  finish(ctx) {
    if (!isCompleteProductionSettings(ctx) || ctx.facts.moduleAssignments.has('SECURE_SSL_REDIRECT')) return;
    ctx.report(missingSettingAnchor(ctx), {
      message: '`SECURE_SSL_REDIRECT` is not set in this production settings module (Django defaults to `False`): plain-HTTP requests are served, not redirected to HTTPS',
      confidence: 'medium',
    });
  },
  docs: {
    what: "Finds `SECURE_SSL_REDIRECT = False` in a Django settings module (also a false default of an environment read such as `env.bool(\"SECURE_SSL_REDIRECT\", default=False)`, with medium confidence), and reports with medium confidence a production settings module that never sets it: a module that defines `INSTALLED_APPS` or `MIDDLEWARE` (or is named for production), does not star-import other settings, and does not set `DEBUG = True`. Base modules (`settings/base.py`), test settings and development settings are not reported as missing it.",
    why: "Without the redirect, a user who types the domain or follows an `http://` link talks to the site over plain HTTP first, where anyone on the network can read and change the traffic (SSL stripping) and cookies without `Secure` are sent in clear text. `manage.py check --deploy` warns about this as security.W008. If the redirect is done by a load balancer or web server in front of Django, the warning can be silenced for that module.",
    example: `SECURE_SSL_REDIRECT = False`,
    useInstead: `SECURE_SSL_REDIRECT = True
# Behind a proxy that terminates TLS, tell Django how to recognise HTTPS requests:
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")`,
    fixSafety: "The fix sets `False` (or the `False` default) to `True`. It is unsafe: a site that is reached over plain HTTP without TLS (a development server) becomes unreachable, and behind a proxy that terminates TLS without `SECURE_PROXY_SSL_HEADER` every request is redirected to itself forever. Configure TLS and the proxy header first.",
    references: [
      { title: 'Django settings: SECURE_SSL_REDIRECT', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#secure-ssl-redirect' },
      { title: 'Django: SSL/HTTPS', url: 'https://docs.djangoproject.com/en/stable/topics/security/#ssl-https' },
      { title: 'Django deployment checklist', url: 'https://docs.djangoproject.com/en/stable/howto/deployment/checklist/' },
    ],
  },
});
