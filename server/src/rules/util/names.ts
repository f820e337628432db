// Name heuristics shared by the rules: which identifiers, attributes, keyword arguments and
// dict keys name a secret, and which name a security-sensitive random value.
//
// Names are split into lower-case words (`apiKey`, `API_KEY`, `api-key` all give `api key`) so a
// word list can be matched without regex soup, and false friends (`token_type`,
// `password_field`, `secret_name`) are excluded by their trailing word.

/** Splits snake_case, camelCase, kebab-case and dotted names into lower-case words. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const SECRET_WORDS = new Set([
  'password', 'passwd', 'pwd', 'pass', 'passphrase', 'secret', 'token', 'apikey', 'credential', 'credentials',
  'privatekey',
]);

/** Two-word secrets: api key, private key, access key, secret key, auth token, ... */
const SECRET_PAIRS: [string, string][] = [
  ['api', 'key'],
  ['private', 'key'],
  ['access', 'key'],
  ['secret', 'key'],
  ['signing', 'key'],
  ['encryption', 'key'],
  ['client', 'secret'],
  ['auth', 'key'],
  ['master', 'key'],
  ['session', 'key'],
  ['jwt', 'key'],
  ['app', 'key'],
  ['aws', 'key'],
  ['db', 'pass'],
  ['conn', 'str'],
  ['hmac', 'key'],
  ['fernet', 'key'],
  ['aes', 'key'],
  ['decryption', 'key'],
  ['cipher', 'key'],
];

/**
 * Trailing words that turn a secret-looking name into something that is not a secret value:
 * `token_type`, `password_field`, `secret_name`, `token_url`, `password_hash`...
 */
const NOT_A_VALUE = new Set([
  'type', 'types', 'field', 'fields', 'name', 'names', 'label', 'url', 'uri', 'endpoint', 'path', 'file', 'dir',
  'length', 'len', 'size', 'min', 'max', 'count', 'id', 'ids', 'hash', 'hashed', 'hasher', 'hashers', 'digest',
  'format', 'pattern', 'regex', 're', 'prefix', 'suffix', 'header', 'param', 'parameter', 'key', 'keys', 'env', 'var',
  'variable', 'setting', 'attr', 'attribute', 'column', 'col', 'prompt', 'message', 'msg', 'error', 'errors', 'help',
  'hint', 'placeholder', 'policy', 'validator', 'validators', 'reset', 'input', 'widget', 'class', 'cls', 'storage',
  'store', 'backend', 'manager', 'provider', 'location', 'expiry', 'expires', 'expiration', 'lifetime', 'ttl', 'age',
  'timeout', 'mode', 'kind', 'required', 'enabled', 'changed', 'template', 'view', 'form', 'serializer', 'schema',
  'model', 'mask', 'char', 'chars', 'charset', 'alphabet', 'strength', 'rules', 'rule', 'file', 'filename', 'ref',
  'arn', 'version', 'algorithm', 'algorithms', 'alg', 'index', 'position', 'placeholder',
]);

/** Words that make "token(s)" a count of text tokens (LLM and NLP code), not a credential. */
const TOKEN_QUANTITY = new Set([
  'max', 'min', 'num', 'n', 'total', 'count', 'counts', 'used', 'limit', 'limits', 'remaining', 'prompt', 'completion',
  'completions', 'input', 'output', 'usage', 'budget', 'number', 'estimated', 'per', 'left', 'cached', 'reasoning',
  'special', 'stop', 'eos', 'bos', 'pad', 'unk',
]);

/** Leading words that make the name a flag or an action about a secret, not the secret. */
const PREDICATE_PREFIX = new Set([
  'is', 'has', 'have', 'should', 'use', 'uses', 'require', 'requires', 'need', 'needs', 'allow', 'allows', 'enable',
  'disable', 'show', 'hide', 'can', 'must', 'no', 'without', 'include', 'skip', 'get', 'set', 'fetch', 'load', 'read',
  'generate', 'gen', 'make', 'create', 'validate', 'check', 'on',
]);

/** "pass" is a secret only at the end of a name and not as in `first_pass` or `bypass`. */
const PASS_NOT_SECRET = new Set(['first', 'second', 'third', 'last', 'next', 'single', 'one', 'two', 'multi', 'each', 'by', 'fast', 'slow', 'final', 'initial', 'dry', 'test', 'tests', 'boarding', 'bus', 'hall', 'day', 'season', 'high', 'low', 'band', 'render', 'forward', 'backward']);

/** Words after "key" that name where something is stored rather than a key: `token_key`. */
const KEY_NOT_SECRET = ['token', 'password', 'passwd', 'pwd', 'session', 'cache', 'dict', 'lookup', 'redis', 'storage', 'primary', 'foreign', 'sort', 'partition'];

const ONE_WORD_SECRET = /^((api|secret|private|access|auth|client|signing)(key|secret|token)s?|(password|passwd|pwd|secret|token|passphrase)s?)\d*$/;

/** Index of the last word that belongs to a secret term (`api key` gives the index of `key`), or -1. */
function lastSecretWord(ws: string[]): number {
  const tokenIsCount = ws.some((w) => TOKEN_QUANTITY.has(w));
  let end = -1;
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i]!;
    if (w === 'pass' || /^pass\d+$/.test(w)) {
      if (i === ws.length - 1 && !PASS_NOT_SECRET.has(ws[i - 1] ?? '')) end = i;
      continue;
    }
    if ((w === 'token' || w === 'tokens') && tokenIsCount) continue;
    if (SECRET_WORDS.has(w) || ONE_WORD_SECRET.test(w)) end = i;
    else if (i > 0 && SECRET_PAIRS.some(([a, b]) => a === ws[i - 1] && b === w)) end = i;
  }
  return end;
}

/** Whether `name` names a secret value (password, API key, token...), not metadata about one. */
export function isSecretName(name: string): boolean {
  const ws = words(name);
  const end = lastSecretWord(ws);
  if (end === -1) return false;
  // `is_password_set`, `has_token`, `get_api_key`: flags and actions about a secret.
  if (ws.length > 1 && PREDICATE_PREFIX.has(ws[0]!)) return false;
  const last = ws[ws.length - 1]!;
  // `api_key` and `secret_key` end in "key" and are secrets; `token_key`, `password_key` name
  // the key under which something is stored.
  if (last === 'key' || last === 'keys') {
    const prev = ws[ws.length - 2];
    if (!prev || KEY_NOT_SECRET.includes(prev)) return false;
  }
  // Any describing word after the secret makes it metadata: `password_reset_timeout_days`,
  // `api_key_header`, `token_expiry_seconds`; `password_reset_token` ends in a secret again.
  return !ws.slice(end + 1).some((w) => NOT_A_VALUE.has(w));
}

const RANDOM_SECURITY_WORDS = new Set([
  'token', 'tokens', 'password', 'passwd', 'pwd', 'passphrase', 'secret', 'secrets', 'otp', 'totp', 'hotp', 'pin',
  'nonce', 'salt', 'key', 'apikey', 'session', 'sessionid', 'sid', 'csrf', 'xsrf', 'auth', 'verification', 'verify',
  'reset', 'activation', 'invite', 'invitation', 'magic', 'captcha', 'cookie', 'credential', 'credentials', 'iv',
  'seed', 'signature', 'challenge', 'code', 'uuid', 'guid',
]);

/** Words that only count together with another security word ("code" alone is too common). */
const WEAK_WORDS = new Set(['code', 'key', 'seed', 'uuid', 'guid', 'cookie', 'auth', 'verify', 'verification', 'reset', 'invite', 'invitation', 'activation', 'magic', 'challenge', 'signature']);

/** Words that make a name clearly not security-related even with a weak word in it. */
const RANDOM_BENIGN = new Set([
  'color', 'colour', 'sample', 'samples', 'delay', 'jitter', 'backoff', 'sleep', 'shuffle', 'index', 'idx', 'position',
  'pos', 'offset', 'weight', 'weights', 'noise', 'angle', 'x', 'y', 'z', 'dice', 'die', 'roll', 'choice', 'test',
  'mock', 'fake', 'dummy', 'example', 'demo', 'retry', 'port', 'rng', 'random', 'percent', 'probability', 'prob',
  'chance', 'score', 'temperature', 'split', 'fold', 'batch', 'epoch', 'name', 'label', 'emoji', 'greeting', 'quote',
  'tip', 'fact', 'card', 'deck', 'question', 'answer',
]);

/**
 * Whether a name suggests a security-sensitive random value: tokens, passwords, OTP and reset
 * codes, keys, nonces, salts, session ids. Returns the word that matched, for the message.
 */
export function securityValueWord(name: string): string | null {
  const ws = words(name);
  if (ws.length === 0) return null;
  if (ws.some((w) => RANDOM_BENIGN.has(w)) && !ws.some((w) => ['token', 'password', 'otp', 'secret', 'nonce', 'salt', 'csrf'].includes(w))) return null;
  const strong = ws.find((w) => RANDOM_SECURITY_WORDS.has(w) && !WEAK_WORDS.has(w));
  if (strong) return strong;
  const weak = ws.filter((w) => WEAK_WORDS.has(w));
  // "reset code", "verification code", "api key", "auth code", "session key": two weak words.
  if (weak.length >= 2) return weak.join(' ');
  if (weak.length === 1) {
    const w = weak[0]!;
    const partner = ws.find((x) => ['api', 'access', 'secret', 'private', 'signing', 'encryption', 'one', 'otp', 'login', 'email', 'sms', 'mfa', '2fa', 'two', 'confirm', 'confirmation', 'recovery', 'unlock', 'device', 'pairing', 'referral', 'coupon', 'voucher', 'promo', 'gift', 'access'].includes(x));
    if (partner) return `${partner} ${w}`;
    // A bare "key" or "code" on its own is too generic to report.
  }
  return null;
}

/** Placeholder values that are obviously not real secrets. */
export function isPlaceholderSecret(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  if (v.length < 4) return true;
  const lower = v.toLowerCase();
  if (/^(x+|\*+|\.+|-+|_+|#+|0+|1234\d*|changeme|change[-_ ]?me|replace[-_ ]?me|your[-_ ].*|<.*>|\{.*\}|\$\{.*\}|\$[a-z_]+|%\(.*\)s|%s|todo|tbd|fixme|none|null|nil|undefined|placeholder|example|sample|dummy|fake|test|testing|secret|password|passwd|token|redacted|hidden|masked|default|admin|root|user|guest|foo|bar|baz|qux|xxx.*|\.\.\.)$/.test(lower)) return true;
  if (/^(env|os\.environ|getenv)[:(\[]/.test(lower)) return true;
  if (/^(https?|ftp|file|s3|gs):\/\//.test(lower) && !/:[^/@]+@/.test(v)) return true;
  // Values that name an environment variable or setting: SECRET_KEY, DB_PASSWORD.
  if (/^[A-Z][A-Z0-9_]*$/.test(v) && v.includes('_')) return true;
  // Human-readable labels and prompts: "Enter your password:", "Password reset".
  if (/\s/.test(v) && /^[A-Za-z ,.:;!?'"()-]+$/.test(v) && v.split(/\s+/).length >= 2) return true;
  if (/^(true|false|yes|no|on|off|enabled|disabled)$/.test(lower)) return true;
  return false;
}

/** Words that mean a password (not a token or key): used where only passwords matter. */
const PASSWORD_WORD = /^(password|passwd|passphrase|pwd|pw|pword|pswd|passw)s?\d*$/;

/** Words that may follow a password word in a name for the plain value: `password_bytes`, `pwd2`. */
const PASSWORD_INPUT_TAIL = new Set(['plain', 'plaintext', 'raw', 'text', 'str', 'string', 'bytes', 'b', 'value', 'val', 'input', 'data', 'candidate', 'new', 'old', 'confirm', 'confirmation', 'again', 'encoded', 'utf8', 'clear', 'cleartext', 'given', 'entered', 'provided', 'attempt', 'guess', 'submitted']);

/** Words that may follow a password word in the name of its hash: `password_hash`, `pwd_digest`. */
const PASSWORD_RESULT_TAIL = new Set(['hash', 'hashed', 'digest', 'hex', 'hexdigest', 'sha', 'md5', 'sha1', 'sha256', 'sha512', 'crypt', 'encrypted', 'enc', 'value', 'str', 'stored', 'db', 'key']);

/**
 * Whether `name` is a password (`password`, `user.password`, `raw_password`, `pwd2`) or, with
 * `role: 'result'`, a password hash (`password_hash`, `hashed_password`). `password_reset_token`
 * and `password_length` are neither.
 */
export function isPasswordName(name: string, role: 'input' | 'result' = 'input'): boolean {
  const ws = words(name);
  let end = -1;
  ws.forEach((w, i) => {
    if (PASSWORD_WORD.test(w) || (w === 'pass' && i === ws.length - 1 && i > 0 && !PASS_NOT_SECRET.has(ws[i - 1]!))) end = i;
  });
  if (end === -1) return false;
  const tail = role === 'input' ? PASSWORD_INPUT_TAIL : PASSWORD_RESULT_TAIL;
  return ws.slice(end + 1).every((w) => tail.has(w) || /^\d+$/.test(w));
}
