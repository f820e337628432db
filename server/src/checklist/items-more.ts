// Checklist items, part two: dependencies, uploads, API security, logging and deployment.

import {
  fail,
  findingEvidence,
  isOff,
  isOn,
  na,
  pass,
  plural,
  review,
  settingEvidence,
  usageEvidence,
  warn,
  worst,
  type Outcome,
  type Project,
} from './context';
import { findingsItem, webFindingsItem, type ItemDef } from './items';
import type { Evidence } from './types';

const line = (n: number) => ({ start: { line: n, character: 0 }, end: { line: n, character: 0 } });

export const DEPENDENCY_ITEMS: ItemDef[] = [
  {
    id: 'dependencies.pinned',
    category: 'dependencies',
    title: 'Dependencies are pinned or locked',
    rules: [],
    evaluate(p) {
      const r = p.repo;
      if (r.lockFiles.length) return pass(`Locked by ${r.lockFiles.join(', ')}.`, r.lockFiles.map((f) => ({ file: f, message: 'lock file' })));
      if (r.requirements.length) {
        const loose = r.requirements.flatMap((q) => q.unpinned.map((u) => ({ file: q.file, range: line(u.line), message: `not pinned: ${u.text}` })));
        if (loose.length) return fail(`${plural(loose.length, 'requirement')} without an exact version (==) and no lock file.`, loose.slice(0, 20));
        const hashed = r.requirements.filter((q) => q.hashes).length;
        return pass(`Every requirement is pinned with ==${hashed ? ' and hashes' : ''}.`, r.requirements.map((q) => ({ file: q.file, message: `${plural(q.pinned, 'pinned requirement')}${q.hashes ? ' with hashes' : ''}` })));
      }
      if (r.manifests.length) return warn(`Dependencies are declared in ${r.manifests.join(', ')} but there is no lock file (poetry.lock, uv.lock, pdm.lock, Pipfile.lock) or pinned requirements.txt.`, r.manifests.map((f) => ({ file: f, message: 'dependencies without a lock file' })));
      if (p.web) return review('The code imports a web framework but no requirements file, lock file or pyproject.toml dependencies were found.');
      return na('No dependency declarations found.');
    },
  },
  {
    id: 'dependencies.vulnerability-scanning',
    category: 'dependencies',
    title: 'Dependencies are scanned for known vulnerabilities',
    rules: [],
    evaluate(p) {
      const r = p.repo;
      if (r.scanners.length) {
        const tools = [...new Set(r.scanners.map((s) => s.tool))];
        return pass(`Scanned by ${tools.join(', ')}.`, r.scanners.map((s) => ({ file: s.file, ...(s.line !== undefined ? { range: line(s.line) } : {}), message: s.tool })));
      }
      const hasDeps = r.lockFiles.length + r.requirements.length + r.manifests.length > 0;
      if (!hasDeps && !p.web) return na('No dependencies declared.');
      return warn('No pip-audit, safety, osv-scanner or Snyk step in CI, and no Dependabot or Renovate configuration; if scanning runs elsewhere, mark this reviewed.');
    },
  },
];

export const UPLOAD_ITEMS: ItemDef[] = [
  {
    id: 'uploads.size-limit',
    category: 'uploads',
    title: 'Request and upload sizes are limited',
    rules: [],
    evaluate(p) {
      if (!p.web) return na('No web framework found.');
      const parts: Outcome[] = [];
      if (p.django) {
        const s = p.setting('DATA_UPLOAD_MAX_MEMORY_SIZE', 'django');
        if (isOff(s)) parts.push(fail('DATA_UPLOAD_MAX_MEMORY_SIZE = None turns off the request body limit.', [settingEvidence(s!)]));
        else if (s) parts.push(pass('DATA_UPLOAD_MAX_MEMORY_SIZE limits request bodies.', [settingEvidence(s)]));
        else parts.push(pass("Django's default 2.5 MB DATA_UPLOAD_MAX_MEMORY_SIZE applies."));
      }
      if (p.flask) {
        const s = p.setting('MAX_CONTENT_LENGTH', 'flask');
        if (isOn(s)) parts.push(pass('MAX_CONTENT_LENGTH limits request bodies.', [settingEvidence(s!)]));
        else if (isOff(s)) parts.push(fail('MAX_CONTENT_LENGTH turns off the request size limit.', [settingEvidence(s!)]));
        else if (s) parts.push(review('MAX_CONTENT_LENGTH is set to a value Parapet cannot evaluate.', [settingEvidence(s)]));
        else parts.push(warn('MAX_CONTENT_LENGTH is not set: Flask accepts request bodies of any size.'));
      }
      if (p.asgi && !p.django && !p.flask) parts.push(review('FastAPI/Starlette have no request size setting: limit bodies at the server or proxy (e.g. client_max_body_size) and check it.'));
      return worst(parts);
    },
  },
  {
    id: 'uploads.file-validation',
    category: 'uploads',
    title: 'Uploaded files are validated (type, name, storage)',
    rules: [],
    evaluate(p) {
      if (!p.web) return na('No web framework found.');
      const uploads = p.usages((f) => f.uploads);
      if (uploads.length === 0) return na('No file upload handling found (request.files, request.FILES, UploadFile, FileField).');
      return review('Check that uploads are validated by content, stored outside the web root under generated names, and never executed.', uploads.slice(0, 10).map((u) => usageEvidence(u, `upload handling: ${u.what}`)));
    },
  },
];

export const API_ITEMS: ItemDef[] = [
  {
    id: 'api.rate-limiting',
    category: 'api',
    title: 'A rate limiting library is configured',
    rules: [],
    evaluate(p) {
      if (!p.web) return na('No web framework found.');
      const ev: Evidence[] = p.usages((f) => f.rateLimitSetup).slice(0, 10).map((u) => usageEvidence(u));
      const rf = p.drf ? p.setting('REST_FRAMEWORK', 'django') : null;
      if (rf?.fact.entries?.['DEFAULT_THROTTLE_CLASSES']) ev.unshift(settingEvidence(rf, `DEFAULT_THROTTLE_CLASSES = ${rf.fact.entries['DEFAULT_THROTTLE_CLASSES'].text}`));
      if (ev.length) return pass('Rate limiting is set up.', ev);
      return warn('No rate limiting (slowapi, Flask-Limiter, django-ratelimit, DRF throttling) found; if a gateway or proxy limits requests, mark this reviewed.');
    },
  },
  {
    id: 'api.login-rate-limited',
    category: 'api',
    title: 'Login and token endpoints are rate limited',
    rules: [],
    evaluate(p) {
      if (!p.web) return na('No web framework found.');
      const login: { file: string; name: string; range: Evidence['range']; rateLimited: boolean; drf: boolean }[] = [];
      for (const [file, { facts }] of [...p.input.files].sort(([a], [b]) => a.localeCompare(b))) {
        for (const e of facts.endpoints) if (e.loginLike) login.push({ file, ...e });
      }
      if (login.length === 0) return review('No login-like endpoint (login, signin, token...) found; check that whatever authenticates users limits attempts.');
      const rf = p.drf ? p.setting('REST_FRAMEWORK', 'django') : null;
      // Default limits: DRF's DEFAULT_THROTTLE_CLASSES cover DRF views; Flask-Limiter/slowapi
      // default_limits cover every route of their app.
      const drfGlobal = rf?.fact.entries?.['DEFAULT_THROTTLE_CLASSES'] ? settingEvidence(rf, 'DEFAULT_THROTTLE_CLASSES applies to every DRF view') : null;
      const appGlobal = p.usages((f) => f.rateLimitSetup).filter((u) => u.note === 'default limits').map((u) => usageEvidence(u, `${u.what} default limits apply to every route`));
      const covered = (e: (typeof login)[number]) => e.rateLimited || (e.drf && !!drfGlobal) || (!e.drf && appGlobal.length > 0);
      const open = login.filter((e) => !covered(e));
      const ev = (e: (typeof login)[number]): Evidence => ({ file: e.file, ...(e.range ? { range: e.range } : {}), message: `${e.name}: ${e.rateLimited ? 'rate limited' : covered(e) ? 'default rate limits' : 'no rate limit'}` });
      const global = [...(drfGlobal ? [drfGlobal] : []), ...appGlobal];
      if (open.length === 0) return pass(`${plural(login.length, 'login-like endpoint')}, all rate limited.`, [...global, ...login.map(ev)]);
      return fail(`${plural(open.length, 'login-like endpoint')} without a rate limit: password guessing is unthrottled.`, login.map(ev));
    },
  },
  {
    id: 'api.jwt-algorithms',
    category: 'api',
    title: 'JWTs are verified with an explicit algorithm',
    rules: ['SEC520', 'SEC521', 'SEC522'],
    evaluate(p) {
      const found = p.findings(this.rules);
      if (found.length) return fail(`${plural(found.length, 'JWT')} decoded without an explicit algorithm or signature check.`, found.map(findingEvidence));
      const uses = p.usages((f) => f.jwt);
      if (uses.length === 0) return na('No JWT library is used.');
      return pass('JWT decoding names its algorithms and verifies signatures (SEC520-SEC522).', uses.slice(0, 5).map((u) => usageEvidence(u)));
    },
  },
  {
    id: 'api.jwt-expiry',
    category: 'api',
    title: 'JWTs expire',
    rules: ['SEC523'],
    evaluate(p) {
      const found = p.findings(this.rules);
      if (found.length) return fail(`${plural(found.length, 'JWT')} issued without an expiry (exp).`, found.map(findingEvidence));
      const uses = p.usages((f) => f.jwt);
      if (uses.length === 0) return na('No JWT library is used.');
      return pass('Every JWT Parapet can see being issued sets an expiry (SEC523).', uses.slice(0, 5).map((u) => usageEvidence(u)));
    },
  },
];

export const LOGGING_ITEMS: ItemDef[] = [
  {
    id: 'logging.configured',
    category: 'logging',
    title: 'Logging is configured',
    rules: [],
    evaluate(p) {
      const ev = p.usages((f) => f.logging).slice(0, 10).map((u) => usageEvidence(u));
      if (ev.length) return pass('Logging is configured.', ev);
      // A library must not configure logging; only applications should.
      if (!p.web) return na('No web application found (libraries should leave logging configuration to the application).');
      return warn('No logging configuration (logging.basicConfig, dictConfig, a LOGGING setting, structlog, loguru) found.');
    },
  },
  findingsItem('logging.no-secrets-in-logs', 'logging', 'No secrets written to logs', ['SEC801'], 'secrets in log calls'),
  webFindingsItem('logging.no-log-injection', 'logging', 'Request data is not written to logs with its line breaks (log injection)', ['SEC914'], 'request data in log messages'),
  {
    id: 'logging.monitoring-alerting',
    category: 'logging',
    title: 'Security events are monitored and alerted on',
    rules: [],
    evaluate(p) {
      if (!p.web) return na('No web framework found.');
      const ev = p.usages((f) => f.logging).filter((u) => /sentry/.test(u.what)).map((u) => usageEvidence(u));
      return review('Code cannot show whether failed logins, permission errors and other security events reach someone who acts on them.', ev);
    },
  },
];

export const DEPLOYMENT_ITEMS: ItemDef[] = [
  {
    id: 'deployment.debug-off',
    category: 'deployment',
    title: 'Debug mode is off in production',
    rules: ['SEC201', 'SEC210', 'SEC211'],
    evaluate(p) {
      if (!p.web) return na('No web framework found.');
      const found = p.findings(this.rules);
      if (found.length) return fail('Debug mode is turned on.', found.map(findingEvidence));
      if (p.django) {
        const s = p.setting('DEBUG', 'django');
        if (isOn(s) && s!.fact.kind === 'bool') return fail('DEBUG = True in a production settings module.', [settingEvidence(s!)]);
        if (s) return pass(s.fact.kind === 'env' ? 'DEBUG is read from the environment.' : `DEBUG = ${s.fact.text}.`, [settingEvidence(s)]);
      }
      return pass('No debug mode turned on (SEC201, SEC210, SEC211).');
    },
  },
  {
    id: 'deployment.allowed-hosts',
    category: 'deployment',
    title: 'The Host header is validated (ALLOWED_HOSTS / trusted hosts)',
    rules: ['SEC212'],
    evaluate(p) {
      if (!p.web) return na('No web framework found.');
      const parts: Outcome[] = [];
      const found = p.findings(this.rules);
      if (found.length) parts.push(fail('ALLOWED_HOSTS accepts any host.', found.map(findingEvidence)));
      if (p.django) {
        const s = p.setting('ALLOWED_HOSTS', 'django');
        if (!s) parts.push(review('No ALLOWED_HOSTS found in the settings modules.'));
        else if (s.fact.items?.includes('*')) parts.push(fail('ALLOWED_HOSTS contains "*".', [settingEvidence(s)]));
        else if (s.fact.kind === 'env' || (s.fact.items?.length ?? 0) > 0) parts.push(pass('ALLOWED_HOSTS lists the served host names.', [settingEvidence(s)]));
        else parts.push(review('ALLOWED_HOSTS is empty here; check what production sets.', [settingEvidence(s)]));
      }
      const trusted = p.usages((f) => f.trustedHosts);
      if (p.asgi || p.flask) {
        const flaskHosts = p.flask ? p.setting('TRUSTED_HOSTS', 'flask') : null;
        if (trusted.some((u) => u.note === 'wildcard')) parts.push(fail('TrustedHostMiddleware allows any host.', trusted.map((u) => usageEvidence(u))));
        else if (trusted.length) parts.push(pass('TrustedHostMiddleware restricts the Host header.', trusted.map((u) => usageEvidence(u))));
        else if (flaskHosts) parts.push(pass('TRUSTED_HOSTS restricts the Host header.', [settingEvidence(flaskHosts)]));
        else if (!p.django) parts.push(review('No TrustedHostMiddleware or TRUSTED_HOSTS: check that the proxy rejects unknown Host headers.'));
      }
      return worst(parts);
    },
  },
  {
    id: 'deployment.https-hsts',
    category: 'deployment',
    title: 'HTTPS is enforced with redirects and HSTS',
    rules: [],
    evaluate(p) {
      if (!p.web) return na('No web framework found.');
      const parts: Outcome[] = [];
      if (p.django) {
        for (const key of ['SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS']) {
          const s = p.setting(key, 'django');
          if (isOn(s)) parts.push(pass(`${key} is on.`, [settingEvidence(s!)]));
          else if (isOff(s)) parts.push(fail(`${key} is off.`, [settingEvidence(s!)]));
          else if (s) parts.push(review(`${key} is set to a value Parapet cannot evaluate.`, [settingEvidence(s)]));
          else parts.push(warn(`${key} is not set; if the proxy redirects to HTTPS and sends HSTS, mark this reviewed.`));
        }
      }
      if (p.flask || p.asgi) {
        const https = p.usages((f) => f.https);
        const hsts = https.filter((u) => /HSTS|Strict-Transport/.test(u.note ?? ''));
        if (hsts.length) parts.push(pass('HTTPS is enforced in the application, with HSTS.', https.map((u) => usageEvidence(u))));
        else if (https.length) parts.push(warn('Requests are redirected to HTTPS, but no Strict-Transport-Security (HSTS) header is set (flask-talisman, secure).', https.map((u) => usageEvidence(u))));
        else if (!p.django) parts.push(warn('No Flask-Talisman, HTTPSRedirectMiddleware or HSTS header found; if the proxy enforces HTTPS and HSTS, mark this reviewed.'));
      }
      return worst(parts);
    },
  },
  {
    id: 'deployment.security-headers',
    category: 'deployment',
    title: 'Security headers are sent (CSP, X-Frame-Options, nosniff)',
    rules: [],
    evaluate(p) {
      if (!p.web) return na('No web framework found.');
      const parts: Outcome[] = [];
      if (p.django) parts.push(djangoHeaders(p));
      if (p.flask || p.asgi) {
        const libs = p.usages((f) => f.securityHeaders);
        if (libs.length) parts.push(pass('Security headers are set by a library.', libs.map((u) => usageEvidence(u))));
        else if (!p.django) parts.push(warn('No flask-talisman, secure or security-header middleware found.'));
      }
      return worst(parts);
    },
  },
  {
    id: 'deployment.container-user',
    category: 'deployment',
    title: 'Containers run as a non-root user',
    rules: [],
    evaluate(p) {
      const files = p.repo.dockerfiles;
      if (files.length === 0) return na('No Dockerfile found.');
      const root = files.filter((d) => !d.user || /^(root|0)(:|$)/.test(d.user.value));
      const ev = files.map((d): Evidence => (d.user ? { file: d.file, range: line(d.user.line), message: `USER ${d.user.value}` } : { file: d.file, message: 'no USER instruction: runs as root' }));
      if (root.length) return fail(`${plural(root.length, 'Dockerfile')} run${root.length === 1 ? 's' : ''} as root.`, ev);
      return pass('Every Dockerfile switches to a non-root USER.', ev);
    },
  },
  {
    id: 'deployment.container-hardening',
    category: 'deployment',
    title: 'Container and host hardening reviewed',
    rules: [],
    evaluate(p) {
      if (p.repo.dockerfiles.length === 0) return na('No Dockerfile found.');
      return review('Read-only filesystem, dropped capabilities, minimal base image and patched hosts are decided outside the code.', p.repo.dockerfiles.map((d) => ({ file: d.file, message: 'Dockerfile' })));
    },
  },
  {
    id: 'deployment.waf',
    category: 'deployment',
    title: 'A web application firewall or edge protection is in front of the app',
    rules: [],
    evaluate(p) {
      if (!p.web) return na('No web framework found.');
      return review('Whether a WAF, CDN or gateway filters traffic is decided outside the code.');
    },
  },
];

function djangoHeaders(p: Project): Outcome {
  const mw = p.setting('MIDDLEWARE', 'django');
  if (!mw) return review('No MIDDLEWARE setting found in a Django settings module.');
  const items = mw.fact.items ?? [];
  if (!items.includes('django.middleware.security.SecurityMiddleware')) return fail('MIDDLEWARE does not include SecurityMiddleware (nosniff, HSTS, Referrer-Policy).', [settingEvidence(mw, 'MIDDLEWARE without SecurityMiddleware')]);
  const ev: Evidence[] = [settingEvidence(mw, 'MIDDLEWARE includes SecurityMiddleware')];
  if (isOff(p.setting('SECURE_CONTENT_TYPE_NOSNIFF', 'django'))) return fail('SECURE_CONTENT_TYPE_NOSNIFF is off.', [settingEvidence(p.setting('SECURE_CONTENT_TYPE_NOSNIFF', 'django')!)]);
  const cspMw = items.find((i) => /csp/i.test(i));
  const cspSetting = ['SECURE_CSP', 'CONTENT_SECURITY_POLICY', 'CSP_DEFAULT_SRC'].map((k) => p.setting(k, 'django')).find((s) => s);
  if (cspMw) ev.push(settingEvidence(mw, `MIDDLEWARE includes ${cspMw}`));
  if (cspSetting) ev.push(settingEvidence(cspSetting));
  if (!cspMw && !cspSetting) return warn('SecurityMiddleware is on, but no Content-Security-Policy is configured (django-csp or SECURE_CSP).', ev);
  return pass('SecurityMiddleware and a Content-Security-Policy are configured.', ev);
}
