// Shared by the hardcoded-secret rules (SEC105-SEC107, SEC120) and by secret-in-log (SEC801):
// which literals look like a real secret, which names mean a secret in *this* file, and the
// "read it from the environment" fix.

import type { Node } from '../../engine/parser';
import { fix, replace, type RuleContext } from '../../engine/rule';
import { isBytes, stringPrefix, stringValue, targetNames, unparen } from '../../engine/syntax';
import type { Fix } from '../../engine/types';
import { credentialIn } from './credentials';
import { isPlaceholderSecret, isSecretName, words } from './names';

export interface StringLiteral {
  node: Node;
  value: string;
  bytes: boolean;
}

/** A string literal without interpolation (implicit concatenation included), else null. */
export function stringLiteral(node: Node | null | undefined): StringLiteral | null {
  if (!node) return null;
  const n = unparen(node);
  if (n.type !== 'string' && n.type !== 'concatenated_string') return null;
  const value = stringValue(n);
  if (value === null) return null;
  const first = n.type === 'string' ? n : n.namedChildren.find((c) => c?.type === 'string');
  return { node: n, value, bytes: !!first && isBytes(first) };
}

/** Name words that make the value derived from a secret rather than the secret itself. */
const DERIVED = new Set(['hash', 'hashed', 'encrypted', 'digest', 'salted', 'encoded', 'obfuscated', 'masked', 'redacted', 'example', 'sample', 'dummy', 'fake', 'test', 'mock']);

/** Secret-manager references: the literal names where the secret lives, not the secret. */
const SECRET_REFERENCE = /^(arn:aws|projects\/[^/]+\/secrets\/|vault:|op:\/\/|sm:\/\/|secret:\/\/|ssm:|gcp:|azure:|kv:|keyvault:|awssm:|env:)/i;

/** Password hashes (Django, bcrypt, argon2, passlib): a stored hash is not the password. */
const PASSWORD_HASH = /^(\$2[abxy]?\$\d\d\$|\$argon2(id|i|d)\$|\$(1|5|6|pbkdf2[-\w]*|scrypt)\$|(pbkdf2_sha\d+|argon2|bcrypt(_sha256)?|scrypt|sha1|md5|unsalted_(md5|sha1))\$)/;

/**
 * Whether a literal bound to a secret-looking `name` looks like a real secret. Rejects
 * placeholders, key and header names (`"access_token"`), paths, templates, prose, secret
 * manager references and password hashes. Values in a well-known credential format are left
 * to SEC120 so one string gets one finding.
 */
export function looksLikeSecret(value: string, name: string): boolean {
  if (isPlaceholderSecret(value)) return false;
  const v = value.trim();
  if (words(name).some((w) => DERIVED.has(w))) return false;
  // Multi-line text and long prose are templates, docs or PEM blocks (SEC120's business).
  if (/[\r\n]/.test(v) || v.length > 200 || v.split(/\s+/).length >= 3) return false;
  // A key, field or header name: "access_token", "X-Api-Key", "client_secret", "apiKey" (letters only).
  if (/^[A-Za-z]+([_.:-][A-Za-z]+)*$/.test(v) && words(v).length >= 2 && isSecretName(v)) return false;
  if (words(v).join('_') === words(name).join('_')) return false;
  // File paths and key files.
  if (/^(\/|\.{1,2}[\\/]|~[\\/]|[A-Za-z]:\\)/.test(v)) return false;
  if (/\.(pem|key|crt|cer|p8|p12|pfx|jks|keystore|json|txt|env|ya?ml|cfg|ini|conf|toml|der|pub|gpg|asc)$/i.test(v)) return false;
  // Templates and format strings: "{password}", "%(password)s", "${PASSWORD}", "{{ secret }}".
  if (/\{\{?\s*[\w.]*\s*\}\}?|%(\([^)]*\))?s\b|\$\{[A-Za-z_]\w*\}/.test(v)) return false;
  // Dunder sentinels ("__SECRET__"), runs of one character ("----") and masks (":****").
  if (/^__\w+__$/.test(v) || new Set(v).size < 3 || v.includes('***')) return false;
  // Template-file values: "%DBPASSWORD%", "string", "testtest", "dummy-key", "replace-me".
  if (/^%\w+%$/.test(v) || /^(string|str|text|value|key|pass|pwd|passwd|secret-?key|api-?key)$/i.test(v)) return false;
  if (/example|dummy|fake|sample|placeholder|changeme|replace|your|test|insert|enter/i.test(v)) return false;
  // A capitalised word is a label in a translation or form dict: {"password": "Passwort"}.
  if (/^\p{Lu}\p{Ll}+$/u.test(v)) return false;
  // Regular expressions ("[^\W\d]\w*") and authentication scheme names ("Bearer").
  if (/\\[wdsWDSbB]|\[\^|\(\?[:=!<P]|\.[*+]/.test(v)) return false;
  if (/^(bearer|basic|mac|jwt|token|oauth2?|digest|negotiate|hmac|apikey|api-key)$/i.test(v)) return false;
  if (SECRET_REFERENCE.test(v) || PASSWORD_HASH.test(v)) return false;
  if (credentialIn(v, name)) return false;
  return true;
}

/** Imports that make "token" a piece of text (NLP, LLMs, lexers) rather than a credential. */
const TEXT_TOKEN_MODULES = ['spacy', 'nltk', 'transformers', 'tiktoken', 'tokenizers', 'sentencepiece', 'tokenize', 'ply', 'lark', 'pygments', 'gensim', 'torchtext', 'jieba', 'stanza', 'sacremoses', 'sly', 'pyparsing'];

/** Words that make a token an authentication token even in NLP or lexer code: `access_token`, `hf_token`. */
const AUTH_QUALIFIERS = new Set(['access', 'refresh', 'auth', 'api', 'bearer', 'oauth', 'id', 'jwt', 'csrf', 'xsrf', 'session', 'github', 'gh', 'hf', 'hub', 'slack', 'bot', 'reset', 'verify', 'verification', 'security', 'secret', 'personal', 'service', 'admin', 'login', 'user', 'client', 'app', 'deploy', 'npm', 'pypi', 'webhook']);

/** Whether "token" means a piece of text in this file: tokenizers, lexers, LLM code. */
export function tokenMeansText(ctx: RuleContext): boolean {
  return ctx.memo('secrets:token-is-text', () => {
    if (TEXT_TOKEN_MODULES.some((m) => ctx.facts.importedModules.has(m))) return true;
    return /\bclass\s+\w*(Token|Lexer|Tokenizer)\w*\b|\bTokenType\b|\btokenizer\b/.test(ctx.text);
  });
}

/**
 * The `fileKey` of the rules that ask `isSecretNameIn` (SEC105-SEC107, SEC801): whether tokens
 * are text in this file is all they read outside the function they check (the imports are
 * file facts already; the regex sees every function's text).
 */
export function tokenMeansTextKey(ctx: RuleContext): string {
  return tokenMeansText(ctx) ? 'token-is-text' : '';
}

/**
 * `isSecretName` for this file: in a file where tokens are text, `token` and `next_token` are
 * words of text, while `access_token` or `hf_token` stay secrets.
 */
export function isSecretNameIn(ctx: RuleContext, name: string): boolean {
  if (!isSecretName(name)) return false;
  const ws = words(name);
  // A bare `tokens` is nearly always a list of words or lexemes (`tokens = line.split()`).
  if (ws.length === 1 && ws[0] === 'tokens') return false;
  // In text-processing code, a name whose only secret word is "token" (`token`, `next_token`,
  // `token_range`, `jsonnet_token`) is a piece of text unless it says what it authenticates.
  const tokenOnly = ws.some((w) => /^tokens?\d*$/.test(w)) && !isSecretName(ws.filter((w) => !/^tokens?\d*$/.test(w)).join('_'));
  if (tokenOnly && !ws.some((w) => AUTH_QUALIFIERS.has(w)) && tokenMeansText(ctx)) return false;
  return true;
}

/** `API_KEY` for `api_key`, `self.apiKey` (pass the attribute name) or `x-api-key`. */
export function envVarName(name: string): string {
  const ws = words(name);
  return ws.length ? ws.join('_').toUpperCase() : 'SECRET';
}

/** The quote character a literal uses, so the fix matches the file's style. */
function quoteOf(literal: Node): string {
  const first = literal.type === 'string' ? literal : literal.namedChildren.find((c) => c?.type === 'string');
  const start = first?.firstChild?.text ?? '"';
  return start.endsWith("'") && !stringPrefix(first!).includes('f') ? "'" : '"';
}

/**
 * Replaces a hardcoded secret literal by `os.environ["NAME"]` (`.encode()` for bytes), adding
 * `import os` when needed. Always unsafe: the program then needs the variable to be set.
 */
export function environFix(ctx: RuleContext, literal: StringLiteral, name: string): Fix {
  const os = ctx.requireImport('os');
  const env = envVarName(name);
  const q = quoteOf(literal.node);
  const expr = `${os.ref}.environ[${q}${env}${q}]${literal.bytes ? '.encode()' : ''}`;
  return fix(`Read the value from the \`${env}\` environment variable`, 'unsafe', replace(literal.node, expr), os.edits);
}

/**
 * The name a literal is bound to where it appears: the assignment target, keyword, dict key or
 * parameter. Null when it is not directly bound (an argument, part of an expression...).
 */
export function bindingName(literal: Node): { name: string; kind: 'assignment' | 'keyword' | 'key' | 'parameter'; target: Node } | null {
  let child = literal;
  let parent = literal.parent;
  while (parent?.type === 'parenthesized_expression' || parent?.type === 'concatenated_string') {
    child = parent;
    parent = parent.parent;
  }
  if (!parent) return null;
  switch (parent.type) {
    case 'assignment': {
      if (parent.childForFieldName('right')?.id !== child.id) return null;
      const left = parent.childForFieldName('left');
      const name = targetName(left);
      return name && left ? { name, kind: 'assignment', target: left } : null;
    }
    case 'keyword_argument': {
      const name = parent.childForFieldName('name');
      return name && parent.childForFieldName('value')?.id === child.id ? { name: name.text, kind: 'keyword', target: name } : null;
    }
    case 'pair': {
      const key = parent.childForFieldName('key');
      const k = stringValue(key);
      return key && k !== null && parent.childForFieldName('value')?.id === child.id ? { name: k, kind: 'key', target: key } : null;
    }
    case 'default_parameter':
    case 'typed_default_parameter': {
      const name = parent.childForFieldName('name');
      return name ? { name: name.text, kind: 'parameter', target: name } : null;
    }
  }
  return null;
}

const SINGLE_TARGETS = new Set(['identifier', 'attribute', 'subscript']);

/** The name an assignment target binds: `x`, `obj.x`, `d["x"]`; null for unpacking. */
export function targetName(left: Node | null | undefined): string | null {
  return left && SINGLE_TARGETS.has(left.type) ? (targetNames(left)[0] ?? null) : null;
}
