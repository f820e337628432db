// Checklist items, part one: authentication, authorization, injection, CSRF/CORS/cookies and
// secrets. Each item decides from facts and findings, and says "needs review" or "not
// applicable" rather than passing what the code cannot show.

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
import type { CategoryId } from './types';

export interface ItemDef {
  id: string;
  category: CategoryId;
  title: string;
  rules: string[];
  evaluate(p: Project): Outcome;
}

/** An item that passes when the given rules report nothing in the project. */
export function findingsItem(id: string, category: CategoryId, title: string, rules: string[], what: string): ItemDef {
  return {
    id,
    category,
    title,
    rules,
    evaluate(p) {
      const found = p.findings(rules);
      if (found.length === 0) return pass(`No ${what} found in ${plural(p.pythonFiles, 'Python file')} (${rules.join(', ')}).`);
      const serious = found.some((f) => f.severity === 'error' || f.severity === 'warning');
      const files = new Set(found.map((f) => f.file)).size;
      const detail = `${plural(found.length, 'finding')} of ${what} in ${plural(files, 'file')}.`;
      return serious ? fail(detail, found.map(findingEvidence)) : warn(`${detail} (development or low-severity only)`, found.map(findingEvidence));
    },
  };
}

/** A findings item about request handling: not applicable without a web framework. */
export function webFindingsItem(id: string, category: CategoryId, title: string, rules: string[], what: string): ItemDef {
  const inner = findingsItem(id, category, title, rules, what);
  return { ...inner, evaluate: (p) => (p.web ? inner.evaluate(p) : na('No web framework found.')) };
}

const WEAK_HASHERS = /MD5|SHA1|Crypt|Unsalted/i;

export const AUTH_ITEMS: ItemDef[] = [
  {
    id: 'authentication.password-hashing',
    category: 'authentication',
    title: 'Passwords are hashed with a slow, salted algorithm',
    rules: [],
    evaluate(p) {
      const libs = p.usages((f) => f.passwordHashing).map((u) => usageEvidence(u));
      const parts: Outcome[] = [];
      if (p.django) {
        const hashers = p.setting('PASSWORD_HASHERS', 'django');
        const first = hashers?.fact.items?.[0];
        if (hashers && first && WEAK_HASHERS.test(first)) parts.push(fail(`PASSWORD_HASHERS starts with ${first}, a fast or unsalted hasher.`, [settingEvidence(hashers)]));
        else if (hashers) parts.push(pass('Django hashes passwords with the PASSWORD_HASHERS configured.', [settingEvidence(hashers), ...libs]));
        else parts.push(pass("Django's default PBKDF2 password hasher is in use (PASSWORD_HASHERS not overridden).", libs));
      } else if (libs.length) parts.push(pass('A password hashing library is in use.', libs));
      else if (p.web) parts.push(review('No password hashing library (bcrypt, argon2, passlib, werkzeug, Django hashers) found; if users sign in through an identity provider, mark this reviewed.'));
      else parts.push(na('No web framework and no password hashing found.'));
      return worst(parts);
    },
  },
  findingsItem('authentication.no-weak-password-hash', 'authentication', 'No passwords hashed with fast hashes (MD5, SHA-1, SHA-256)', ['SEC530'], 'weak password hashing'),
  webFindingsItem('authentication.session-data-validated', 'authentication', 'Request data is validated before it is stored in the session', ['SEC915'], 'request data stored in the session unvalidated'),
  {
    id: 'authentication.mfa-privileged',
    category: 'authentication',
    title: 'Multi-factor authentication for privileged users',
    rules: [],
    evaluate(p) {
      if (!p.web) return na('No web framework found.');
      return review('Code cannot show whether administrators and other privileged users must use a second factor; check and mark reviewed.');
    },
  },
];

export const AUTHZ_ITEMS: ItemDef[] = [
  {
    id: 'authorization.object-level-checks',
    category: 'authorization',
    title: 'Every endpoint checks the caller may access the object (no IDOR)',
    rules: [],
    evaluate(p) {
      if (!p.web) return na('No web framework found.');
      return review('Per-object authorization (a user can only read and change their own records) needs a person to review each endpoint.');
    },
  },
  {
    id: 'authorization.drf-default-permissions',
    category: 'authorization',
    title: 'Django REST framework denies by default (DEFAULT_PERMISSION_CLASSES)',
    rules: [],
    evaluate(p) {
      if (!p.drf) return na('Django REST framework is not used.');
      const rf = p.setting('REST_FRAMEWORK', 'django');
      const perms = rf?.fact.entries?.['DEFAULT_PERMISSION_CLASSES'];
      if (!rf || !perms) {
        return warn('REST_FRAMEWORK sets no DEFAULT_PERMISSION_CLASSES, so views without permission_classes default to AllowAny.', rf ? [settingEvidence(rf)] : []);
      }
      const items = perms.items ?? [];
      if (items.length === 0 || items.every((i) => /AllowAny/.test(i))) return fail(`DEFAULT_PERMISSION_CLASSES = ${perms.text}: every view is public unless it says otherwise.`, [settingEvidence(rf, `DEFAULT_PERMISSION_CLASSES = ${perms.text}`)]);
      return pass(`DEFAULT_PERMISSION_CLASSES = ${perms.text}.`, [settingEvidence(rf, `DEFAULT_PERMISSION_CLASSES = ${perms.text}`)]);
    },
  },
];

export const INJECTION_ITEMS: ItemDef[] = [
  // Each injection item counts the pattern rules and the dataflow rule of the same sink.
  findingsItem('injection.sql', 'injection', 'SQL queries are parameterised', ['SEC608', 'SEC610', 'SEC611', 'SEC901'], 'SQL built from strings'),
  findingsItem('injection.command', 'injection', 'No shell command injection', ['SEC602', 'SEC605', 'SEC902'], 'shell commands'),
  findingsItem('injection.code', 'injection', 'No eval/exec of dynamic code', ['SEC102', 'SEC307', 'SEC903'], 'eval/exec'),
  findingsItem('injection.xss', 'injection', 'Templates escape output (no XSS)', ['SEC701', 'SEC703', 'SEC704', 'SEC710', 'SEC720', 'SEC721', 'SEC908'], 'unescaped template output'),
  findingsItem('injection.deserialization', 'injection', 'No unsafe deserialization (pickle, marshal, yaml.load)', ['SEC301', 'SEC302', 'SEC506', 'SEC904'], 'unsafe deserialization'),
  webFindingsItem(
    'injection.untrusted-data-flows',
    'injection',
    'Request data does not reach file paths, outgoing URLs, redirects, XML parsers, headers or query languages',
    ['SEC905', 'SEC906', 'SEC907', 'SEC909', 'SEC910', 'SEC911', 'SEC912', 'SEC913'],
    'request data reaching a dangerous sink',
  ),
];

const CSRF_MIDDLEWARE = 'django.middleware.csrf.CsrfViewMiddleware';

export const CSRF_ITEMS: ItemDef[] = [
  {
    id: 'csrf-cors-cookies.csrf-protection',
    category: 'csrf-cors-cookies',
    title: 'CSRF protection is enabled',
    rules: ['SEC213', 'SEC214'],
    evaluate(p) {
      if (!p.web) return na('No web framework found.');
      const parts: Outcome[] = [];
      const disabled = p.findings(['SEC214']);
      if (disabled.length) parts.push(fail('CSRF protection is turned off.', disabled.map(findingEvidence)));
      const exempt = p.findings(['SEC213']);
      if (exempt.length) parts.push(warn(`${plural(exempt.length, 'view')} opt out with @csrf_exempt.`, exempt.map(findingEvidence)));
      if (p.django) {
        const mw = p.setting('MIDDLEWARE', 'django');
        if (!mw) parts.push(review('No MIDDLEWARE setting found in a Django settings module.'));
        else if (mw.fact.items?.includes(CSRF_MIDDLEWARE)) parts.push(pass('CsrfViewMiddleware is in MIDDLEWARE.', [settingEvidence(mw, `MIDDLEWARE includes ${CSRF_MIDDLEWARE}`)]));
        else parts.push(fail('MIDDLEWARE does not include CsrfViewMiddleware.', [settingEvidence(mw, 'MIDDLEWARE without CsrfViewMiddleware')]));
      }
      if (p.flask) {
        const csrf = p.usages((f) => f.csrf);
        if (csrf.length) parts.push(pass('Flask-WTF CSRFProtect is set up.', csrf.map((u) => usageEvidence(u))));
        else parts.push(review('No CSRFProtect (Flask-WTF) found: needed if the app uses cookie sessions with forms; not if it is an API with token authentication.'));
      }
      if (p.asgi && !p.django && !p.flask) parts.push(review('FastAPI/Starlette have no built-in CSRF protection: needed only if authentication uses cookies.'));
      return worst(parts);
    },
  },
  {
    id: 'csrf-cors-cookies.cors-allowlist',
    category: 'csrf-cors-cookies',
    title: 'CORS allows only listed origins',
    rules: ['SEC215'],
    evaluate(p) {
      if (!p.web) return na('No web framework found.');
      const parts: Outcome[] = [];
      const found = p.findings(['SEC215']);
      if (found.length) parts.push(fail('CORS allows any origin.', found.map(findingEvidence)));
      if (p.django) {
        for (const key of ['CORS_ALLOW_ALL_ORIGINS', 'CORS_ORIGIN_ALLOW_ALL']) {
          const s = p.setting(key, 'django');
          if (isOn(s) && s!.fact.kind === 'bool') parts.push(fail(`${key} is True.`, [settingEvidence(s!)]));
        }
        for (const key of ['CORS_ALLOWED_ORIGINS', 'CORS_ORIGIN_WHITELIST', 'CORS_ALLOWED_ORIGIN_REGEXES']) {
          const s = p.setting(key, 'django');
          if (s) parts.push(s.fact.items?.includes('*') ? fail(`${key} contains "*".`, [settingEvidence(s)]) : pass(`${key} lists the allowed origins.`, [settingEvidence(s)]));
        }
      }
      for (const u of p.usages((f) => f.cors)) {
        if (u.note === 'wildcard') parts.push(fail(`${u.what} allows any origin.`, [usageEvidence(u)]));
        else parts.push(pass(`${u.what} is configured with an origin allowlist.`, [usageEvidence(u)]));
      }
      if (parts.length === 0) return pass('No CORS configuration found: browsers apply the same-origin policy.');
      return worst(parts);
    },
  },
  {
    id: 'csrf-cors-cookies.secure-cookies',
    category: 'csrf-cors-cookies',
    title: 'Session and CSRF cookies are Secure, HttpOnly and SameSite',
    rules: ['SEC216', 'SEC217'],
    evaluate(p) {
      if (!p.web) return na('No web framework found.');
      const parts: Outcome[] = [];
      const found = p.findings(['SEC216', 'SEC217']);
      if (found.length) parts.push(fail(`${plural(found.length, 'cookie')} set without security flags.`, found.map(findingEvidence)));
      if (p.django) parts.push(flagSettings(p, 'django', ['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE']));
      if (p.flask) {
        const talisman = p.usages((f) => f.securityHeaders).filter((u) => u.what === 'flask_talisman');
        if (talisman.length && !p.setting('SESSION_COOKIE_SECURE', 'flask')) parts.push(pass('Flask-Talisman marks the session cookie Secure and HttpOnly.', talisman.map((u) => usageEvidence(u))));
        else parts.push(flagSettings(p, 'flask', ['SESSION_COOKIE_SECURE']));
      }
      if (p.asgi && !p.django && !p.flask && !found.length) parts.push(pass('No cookie is set without Secure, HttpOnly and SameSite (SEC216).'));
      return worst(parts);
    },
  },
  webFindingsItem('csrf-cors-cookies.no-request-data-in-cookies', 'csrf-cors-cookies', 'Cookies are not set from request data as it came', ['SEC916'], 'request data stored in cookies'),
];

function flagSettings(p: Project, scope: 'django' | 'flask', keys: string[]): Outcome {
  const parts: Outcome[] = [];
  // A project with both frameworks has the same key in two places: say which one.
  const fw = p.django && p.flask ? (scope === 'django' ? 'Django ' : 'Flask ') : '';
  for (const key of keys) {
    const s = p.setting(key, scope);
    if (isOn(s)) parts.push(pass(`${fw}${key} is on.`, [settingEvidence(s!)]));
    else if (isOff(s)) parts.push(fail(`${fw}${key} is off: the cookie is sent over plain HTTP.`, [settingEvidence(s!)]));
    else if (s) parts.push(review(`${fw}${key} is set to a value Parapet cannot evaluate.`, [settingEvidence(s)]));
    else parts.push(warn(`${fw}${key} is not set (it defaults to False).`));
  }
  for (const key of ['SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE']) {
    const s = p.setting(key, scope);
    if (isOff(s)) parts.push(fail(`${key} is turned off.`, [settingEvidence(s!)]));
  }
  return worst(parts);
}

export const SECRETS_ITEMS: ItemDef[] = [
  findingsItem('secrets.no-hardcoded-secrets', 'secrets', 'No hardcoded passwords, keys or tokens', ['SEC105', 'SEC106', 'SEC107', 'SEC120'], 'hardcoded secrets'),
  {
    id: 'secrets.secret-key-from-environment',
    category: 'secrets',
    title: 'SECRET_KEY comes from the environment, not the source',
    rules: [],
    evaluate(p) {
      const parts: Outcome[] = [];
      for (const scope of ['django', 'flask'] as const) {
        if (scope === 'django' ? !p.django : !p.flask) continue;
        const s = p.setting('SECRET_KEY', scope);
        const fw = p.django && p.flask ? (scope === 'django' ? 'Django ' : 'Flask ') : '';
        if (!s) parts.push(review(`No ${scope === 'django' ? 'Django' : 'Flask'} SECRET_KEY setting found.`));
        if (!s) continue;
        if (s.fact.kind === 'env') parts.push(pass(`${fw}SECRET_KEY is read from the environment.`, [settingEvidence(s)]));
        else if (s.fact.kind === 'string') parts.push(fail(`${fw}SECRET_KEY is a string literal in the source.`, [settingEvidence(s, 'SECRET_KEY = <literal>')]));
        else parts.push(review(`${fw}SECRET_KEY is computed in a way Parapet cannot follow.`, [settingEvidence(s)]));
      }
      if (parts.length === 0) return na('Neither Django nor Flask is used.');
      return worst(parts);
    },
  },
  {
    id: 'secrets.env-not-committed',
    category: 'secrets',
    title: '.env files are git-ignored and not committed',
    rules: [],
    evaluate(p) {
      const env = p.repo.envFiles;
      if (env.length === 0) return na('No .env files in the project.');
      const committed = env.filter((e) => e.tracked === true);
      const exposed = env.filter((e) => !e.ignored && e.tracked !== true);
      if (committed.length) return fail(`${plural(committed.length, '.env file')} committed to git.`, committed.map((e) => ({ file: e.file, message: 'tracked by git (.git/index)' })));
      if (exposed.length) return fail(`${plural(exposed.length, '.env file')} not covered by .gitignore.`, exposed.map((e) => ({ file: e.file, message: 'not git-ignored' })));
      const how = p.repo.gitIndex ? 'git-ignored and not in the git index' : 'git-ignored (no git index to check commits)';
      return pass(`Every .env file is ${how}.`, env.map((e) => ({ file: e.file, message: 'git-ignored' })));
    },
  },
  {
    id: 'secrets.no-private-keys',
    category: 'secrets',
    title: 'No private key files in the source tree',
    rules: [],
    evaluate(p) {
      const keys = p.repo.privateKeys;
      if (keys.length === 0) return pass('No private key files (*.pem, *.key, id_rsa...) with a PRIVATE KEY block found.');
      const ev = keys.map((k) => ({ file: k.file, range: { start: { line: k.line ?? 0, character: 0 }, end: { line: k.line ?? 0, character: 0 } }, message: k.tracked ? 'private key, tracked by git' : k.ignored ? 'private key, git-ignored' : 'private key, not git-ignored' }));
      if (keys.some((k) => k.tracked === true || !k.ignored)) return fail(`${plural(keys.length, 'private key file')} in the tree that git may commit.`, ev);
      return warn(`${plural(keys.length, 'private key file')} on disk, git-ignored; keep keys outside the project.`, ev);
    },
  },
];
