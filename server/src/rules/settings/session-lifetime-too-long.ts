import { defineRule } from '../../engine/rule';
import { configEntries, configEnvironment, constructedKey, developmentOverride, environmentOfPath } from '../util/frameworks';
import { describeSeconds, durationSeconds, effectiveValue } from '../util/settings-values';

const DAY = 86400;
const MONTH = 30 * DAY;

export default defineRule({
  id: 'SEC225',
  name: 'session-lifetime-too-long',
  // Settings read through `env = environ.Env()` anywhere in the module (`effectiveValue`).
  local: true,
  fileKey: constructedKey,
  summary: 'Session lifetime over a day (`PERMANENT_SESSION_LIFETIME`, `SESSION_COOKIE_AGE`): a stolen session cookie stays valid for long',
  owasp: { '2025': 'A07', '2021': 'A07' },
  cwe: [613],
  severity: 'warning',
  confidence: 'high',
  tags: ['django', 'flask', 'session'],
  nodeTypes: ['assignment', 'call'],
  appliesTo: (file) => !file.isTest && environmentOfPath(file.path) !== 'test',
  check(node, ctx) {
    for (const entry of configEntries(node)) {
      const django = entry.key === 'SESSION_COOKIE_AGE';
      if (!django && entry.key !== 'PERMANENT_SESSION_LIFETIME') continue;
      // Django reads settings modules only; Flask config also comes from `app.config`.
      if (django && (!ctx.file.isSettings || (entry.form !== 'module' && entry.form !== 'class'))) continue;
      const env = configEnvironment(entry, ctx);
      if (env === 'test') continue;
      const eff = effectiveValue(entry.value, ctx);
      const seconds = eff ? durationSeconds(eff.node, ctx) : null;
      if (seconds === null || seconds <= DAY) continue;
      const long = seconds > MONTH;
      ctx.report(entry.at, {
        message: `\`${entry.key}\` is ${describeSeconds(seconds)}${eff?.fromEnv ? ' by default' : ''}: a session (or a stolen session cookie) stays valid that long`,
        severity: long ? 'warning' : 'info',
        confidence: long && !eff?.fromEnv ? 'high' : 'medium',
        ...developmentOverride(env),
      });
    }
  },
  docs: {
    what: "Finds sessions configured to last more than a day: Flask's `PERMANENT_SESSION_LIFETIME` (a `timedelta` or seconds, in config modules and classes, `app.config[...]` and `app.config.update(...)`) and Django's `SESSION_COOKIE_AGE` (seconds, in settings modules), also as the default of an environment read. Over 30 days is a warning with high confidence; between one and 30 days is information with medium confidence. Unset values are not reported, although the frameworks' defaults are long too (Django two weeks, Flask 31 days for permanent sessions). Test settings are skipped. There is no quick fix: how long users stay logged in is a product decision (and shortening it logs people out), so the rule only points at the value.",
    why: "A session cookie is a bearer credential: whoever holds it is logged in, until it expires. A long lifetime widens every session theft (an XSS bug, a shared or stolen laptop, malware that copies browser cookies, a cookie in a log file) from hours to weeks or months, and keeps sessions of users who have long left a shared computer alive. OWASP recommends idle timeouts of minutes to hours and absolute timeouts of hours for sensitive applications.",
    example: `from datetime import timedelta

app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(days=365)
SESSION_COOKIE_AGE = 60 * 60 * 24 * 90  # Django`,
    useInstead: `from datetime import timedelta

app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=8)
SESSION_COOKIE_AGE = 60 * 60 * 8  # Django
# For "remember me", use a separate, revocable long-lived token instead of a long session.`,
    references: [
      { title: 'OWASP Session Management Cheat Sheet: Session Expiration', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html#session-expiration' },
      { title: 'Flask configuration: PERMANENT_SESSION_LIFETIME', url: 'https://flask.palletsprojects.com/en/stable/config/#PERMANENT_SESSION_LIFETIME' },
      { title: 'Django settings: SESSION_COOKIE_AGE', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-age' },
    ],
  },
});
