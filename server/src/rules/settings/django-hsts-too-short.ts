import { defineRule, fix, replace } from '../../engine/rule';
import { constantTruth } from '../../engine/scope';
import { isFalse, isNone } from '../../engine/syntax';
import { developmentOverride, environmentOfPath } from '../util/frameworks';
import { describeSeconds, djangoSettings, integerValue, isCompleteProductionSettings, missingSettingAnchor } from '../util/settings-values';

const YEAR = 31536000;
const KEYS = new Set(['SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS']);

export default defineRule({
  id: 'SEC219',
  name: 'django-hsts-too-short',
  summary: '`SECURE_HSTS_SECONDS` missing, 0 or under a year in Django production settings: browsers may still try plain HTTP',
  owasp: { '2025': 'A04', '2021': 'A02' },
  cwe: [319, 523],
  severity: 'warning',
  confidence: 'high',
  fix: 'sometimes',
  tags: ['django', 'tls', 'hsts'],
  nodeTypes: ['assignment'],
  appliesTo: (file) => file.isSettings && !file.isTest && environmentOfPath(file.path) !== 'test',
  check(node, ctx) {
    for (const s of djangoSettings(node, ctx, KEYS)) {
      const where = s.fromEnv ? ' (the default of an environment read)' : '';
      if (s.entry.key === 'SECURE_HSTS_INCLUDE_SUBDOMAINS') {
        if (constantTruth(s.literal) !== false) continue;
        ctx.report(s.entry.at, {
          message: `\`SECURE_HSTS_INCLUDE_SUBDOMAINS\` is off${where}: subdomains are not covered by HSTS`,
          severity: 'info',
          confidence: s.fromEnv ? 'medium' : 'high',
          ...developmentOverride(s.env),
        });
        continue;
      }
      const seconds = isNone(s.literal) || isFalse(s.literal) ? 0 : integerValue(s.literal);
      if (seconds === null || seconds >= YEAR) continue;
      ctx.report(s.entry.at, {
        message:
          seconds <= 0
            ? `\`SECURE_HSTS_SECONDS\` is ${s.literal.text}${where}: Django sends no Strict-Transport-Security header`
            : `\`SECURE_HSTS_SECONDS\` is ${describeSeconds(seconds)}${where}: browsers forget to insist on HTTPS after that (use at least one year, 31536000)`,
        confidence: s.fromEnv ? 'medium' : 'high',
        ...developmentOverride(s.env),
        fixes: integerValue(s.literal) !== null ? [fix('Set it to one year (31536000)', 'unsafe', replace(s.literal, '31536000'))] : [],
      });
    }
  },
  finish(ctx) {
    if (!isCompleteProductionSettings(ctx) || ctx.facts.moduleAssignments.has('SECURE_HSTS_SECONDS')) return;
    ctx.report(missingSettingAnchor(ctx), {
      message: '`SECURE_HSTS_SECONDS` is not set in this production settings module: Django sends no Strict-Transport-Security header',
      confidence: 'medium',
    });
  },
  docs: {
    what: "Finds HTTP Strict Transport Security switched off or too short in a Django settings module: `SECURE_HSTS_SECONDS = 0` (or `None`), a value under one year (`SECURE_HSTS_SECONDS = 3600`, `60 * 60 * 24 * 30`), the same as the default of an environment read (medium confidence), and `SECURE_HSTS_INCLUDE_SUBDOMAINS = False` (information). A production settings module that never sets `SECURE_HSTS_SECONDS` (it defines `INSTALLED_APPS` or `MIDDLEWARE` or is named for production, does not star-import other settings, and does not set `DEBUG = True`) is reported with medium confidence. Test, development and base settings are not reported as missing it.",
    why: "HSTS tells the browser to use HTTPS for the site for the given time, even when the user types `http://` or follows an old link, so an attacker on the network cannot strip TLS on the first request (SSL stripping) or have the browser send cookies over plain HTTP. With 0 there is no protection; with a short lifetime, a user who has not visited for a while is unprotected again. A year is what the HSTS preload list requires and what OWASP recommends. `manage.py check --deploy` warns about a missing value as security.W004.",
    example: `SECURE_HSTS_SECONDS = 3600
SECURE_HSTS_INCLUDE_SUBDOMAINS = False`,
    useInstead: `SECURE_HSTS_SECONDS = 31536000  # one year
SECURE_HSTS_INCLUDE_SUBDOMAINS = True`,
    fixSafety: "The fix sets the literal to 31536000 (one year). It is unsafe: once a browser has seen the header it refuses plain HTTP for the site for a whole year and cannot be told to stop early, so any part of the site (or, with `SECURE_HSTS_INCLUDE_SUBDOMAINS`, any subdomain) that is not served over valid HTTPS becomes unreachable for those users. Django's documentation recommends rolling out with a small value and raising it once everything works over HTTPS; apply the fix when that is done.",
    references: [
      { title: 'Django: HTTP Strict Transport Security', url: 'https://docs.djangoproject.com/en/stable/ref/middleware/#http-strict-transport-security' },
      { title: 'Django settings: SECURE_HSTS_SECONDS', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#secure-hsts-seconds' },
      { title: 'OWASP HTTP Strict Transport Security Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/HTTP_Strict_Transport_Security_Cheat_Sheet.html' },
    ],
  },
});
