// Well-known credential formats (SEC120): tokens whose shape alone says "this is a secret",
// whatever the variable is called. Each format is a regular expression plus a check that
// weeds out documentation examples and test values (`AKIAIOSFODNN7EXAMPLE`, `ghp_xxxx...`,
// jwt.io's "John Doe" token), because a scanner that cries wolf on examples gets disabled.

import type { Confidence } from '../../engine/types';
import { isPlaceholderSecret, words } from './names';

export interface Credential {
  /** Stable identifier of the format: `aws-access-key-id`, `github-token`... */
  kind: string;
  /** Human wording for messages: "an AWS access key id". */
  label: string;
  /** Offsets of the credential inside the scanned text. */
  start: number;
  end: number;
  confidence: Confidence;
  /** A database URL pointing at localhost: a development password, reported as a warning. */
  localOnly?: boolean;
}

interface Format {
  kind: string;
  label: string;
  re: RegExp;
  confidence: Confidence;
  /** Extra validation of a match; returns false to skip it, or overrides. */
  check?(m: RegExpExecArray): false | Partial<Credential> | true;
}

/** Runs of an ascending sequence (`abcdef`, `123456`) appear in made-up values, rarely in random ones. */
function hasAscendingRun(s: string, length: number): boolean {
  let run = 1;
  for (let i = 1; i < s.length; i++) {
    run = s.charCodeAt(i) === s.charCodeAt(i - 1) + 1 ? run + 1 : 1;
    if (run >= length) return true;
  }
  return false;
}

/** Documentation and test values: `EXAMPLE`, `xxxx`, `0000`, `1234567`, few distinct characters. */
export function looksFake(token: string): boolean {
  if (/example|sample|dummy|fake|placeholder|redacted|your|test|x{5,}|\*{3,}|0{6,}|\.{3}/i.test(token)) return true;
  if (hasAscendingRun(token, 6)) return true;
  // Random 20+ character tokens use many distinct characters; `ghp_aaaa...` does not.
  return new Set(token).size < Math.min(10, token.length / 3);
}

function decodeJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

/** A JWT that decodes, names a real algorithm and is not a well-known public or example token. */
function realJwt(token: string): boolean {
  const [h, p] = token.split('.');
  const header = decodeJson(h ?? '') as Record<string, unknown> | null;
  const payload = decodeJson(p ?? '') as Record<string, unknown> | null;
  if (!header || typeof header !== 'object' || typeof header.alg !== 'string' || header.alg.toLowerCase() === 'none') return false;
  if (!payload || typeof payload !== 'object') return false;
  // Supabase "anon" keys are JWTs meant to be shipped to clients.
  if (payload.role === 'anon') return false;
  // jwt.io's sample token.
  if (payload.sub === '1234567890' || payload.name === 'John Doe') return false;
  return true;
}

const DB_PLACEHOLDERS = new Set(['pass', 'pw', 'pwd', 'passw0rd', 'mypassword', 'yourpassword', 'dbpass', 'dbpassword', 'db_password', 'user_password', 'secret', 'pass123', 'password123', 'mysecretpassword', 'example', 'changeme']);
const LOCAL_HOSTS = /^(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]|host\.docker\.internal)$/i;

const FORMATS: Format[] = [
  {
    kind: 'private-key',
    label: 'a private key',
    re: /-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----([\s\S]*?)(-----END|$)/g,
    confidence: 'high',
    // Only with key material: a bare header is code that recognises PEM files.
    check: (m) => /[A-Za-z0-9+/]{40,}/.test((m[3] ?? '').replace(/\s+/g, '')) && !looksFake((m[3] ?? '').replace(/\s+/g, '').slice(0, 64)),
  },
  {
    kind: 'aws-access-key-id',
    label: 'an AWS access key id',
    re: /(?<![A-Za-z0-9])(AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g,
    confidence: 'high',
  },
  { kind: 'github-token', label: 'a GitHub token', re: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,251}(?![A-Za-z0-9_])/g, confidence: 'high' },
  { kind: 'github-token', label: 'a GitHub fine-grained token', re: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{70,}(?![A-Za-z0-9_])/g, confidence: 'high' },
  { kind: 'gitlab-token', label: 'a GitLab personal access token', re: /(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20}(?![A-Za-z0-9_-])/g, confidence: 'high' },
  { kind: 'slack-token', label: 'a Slack token', re: /(?<![A-Za-z0-9])xox[baprs]-\d{6,}-[0-9A-Za-z-]{10,}/g, confidence: 'high' },
  {
    kind: 'slack-webhook',
    label: 'a Slack webhook URL',
    re: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{6,}\/B[A-Z0-9]{6,}\/[A-Za-z0-9]{20,}/g,
    confidence: 'high',
  },
  { kind: 'stripe-live-key', label: 'a Stripe live secret key', re: /(?<![A-Za-z0-9])(sk|rk)_live_[0-9A-Za-z]{20,}(?![A-Za-z0-9])/g, confidence: 'high' },
  // Google API keys are sometimes public by design (Firebase web config): medium confidence.
  { kind: 'google-api-key', label: 'a Google API key', re: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g, confidence: 'medium' },
  { kind: 'twilio-api-key', label: 'a Twilio API key', re: /(?<![A-Za-z0-9])SK[0-9a-f]{32}(?![A-Za-z0-9])/g, confidence: 'high' },
  {
    kind: 'sendgrid-api-key',
    label: 'a SendGrid API key',
    re: /(?<![A-Za-z0-9])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g,
    confidence: 'high',
  },
  { kind: 'npm-token', label: 'an npm access token', re: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/g, confidence: 'high' },
  { kind: 'openai-api-key', label: 'an OpenAI API key', re: /(?<![A-Za-z0-9_-])sk-(proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}/g, confidence: 'high' },
  { kind: 'openai-api-key', label: 'an OpenAI API key', re: /(?<![A-Za-z0-9_-])sk-(proj|svcacct|admin)-[A-Za-z0-9_-]{40,}/g, confidence: 'high' },
  { kind: 'anthropic-api-key', label: 'an Anthropic API key', re: /(?<![A-Za-z0-9_-])sk-ant-(api|admin)\d\d-[A-Za-z0-9_-]{80,}/g, confidence: 'high' },
  { kind: 'huggingface-token', label: 'a Hugging Face token', re: /(?<![A-Za-z0-9_])hf_[A-Za-z0-9]{34}(?![A-Za-z0-9])/g, confidence: 'high' },
  {
    kind: 'jwt',
    label: 'a JSON Web Token',
    re: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_-])/g,
    confidence: 'medium',
    check: (m) => realJwt(m[0]),
  },
  {
    kind: 'database-url',
    label: 'a connection URL with a password',
    re: /(?<![A-Za-z0-9+])(postgres(ql)?|mysql|mariadb|mongodb(\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle|cockroachdb|clickhouse|snowflake|db2|neo4j(\+s)?|bolt|couchdb|influxdb|cassandra)(\+[a-z0-9]+)?:\/\/([^\s:/@?#'"]*):([^\s@/?#'"]+)@([^\s/?#:'",;]+)/gi,
    confidence: 'high',
    check: (m) => {
      const user = m[6] ?? '';
      const password = m[7] ?? '';
      const host = m[8] ?? '';
      if (password === user || isPlaceholderSecret(password) || DB_PLACEHOLDERS.has(password.toLowerCase())) return false;
      // Interpolated or templated: f"{pw}", "%s", "$PASSWORD", "<password>", "***".
      if (/^[<{$%*:[]|\0/.test(password) || /example|your|changeme/i.test(password)) return false;
      return LOCAL_HOSTS.test(host) ? { localOnly: true, confidence: 'low' } : true;
    },
  },
];

/** Formats whose value is itself meant to look random: checked with `looksFake`. */
const RANDOM_LOOKING = new Set(['aws-access-key-id', 'github-token', 'gitlab-token', 'slack-token', 'slack-webhook', 'stripe-live-key', 'google-api-key', 'twilio-api-key', 'sendgrid-api-key', 'npm-token', 'openai-api-key', 'anthropic-api-key', 'huggingface-token', 'jwt']);

/** A 40-character AWS secret access key shape, not a hex digest. */
export function awsSecretShape(value: string): boolean {
  return /^[A-Za-z0-9/+]{40}$/.test(value) && !/^[0-9a-f]{40}$/i.test(value) && /[A-Z]/.test(value) && /[a-z]/.test(value) && /[0-9/+]/.test(value) && !looksFake(value);
}

/** Whether a name refers to an AWS secret access key (`aws_secret_access_key`, `AWS_SECRET`). */
export function awsSecretName(name: string): boolean {
  const ws = words(name);
  return (ws.includes('aws') && (ws.includes('secret') || ws.includes('key'))) || ws.join('_').endsWith('secret_access_key');
}

/**
 * The first well-known credential in `text`, or null. `name` is what the string is bound to,
 * which lets a bare 40-character AWS secret access key be recognised (it has no prefix).
 */
export function credentialIn(text: string, name = ''): Credential | null {
  for (const f of FORMATS) {
    f.re.lastIndex = 0;
    for (let m = f.re.exec(text); m; m = f.re.exec(text)) {
      if (RANDOM_LOOKING.has(f.kind) && looksFake(m[0])) continue;
      const verdict = f.check ? f.check(m) : true;
      if (verdict === false) continue;
      const base: Credential = { kind: f.kind, label: f.label, start: m.index, end: m.index + m[0].length, confidence: f.confidence };
      return verdict === true ? base : { ...base, ...verdict };
    }
  }
  if (name && awsSecretName(name) && awsSecretShape(text.trim())) {
    return { kind: 'aws-secret-access-key', label: 'an AWS secret access key', start: 0, end: text.length, confidence: 'high' };
  }
  return null;
}
