import type { Node } from '../../engine/parser';
import { defineRule, type RuleContext } from '../../engine/rule';
import { builtinCalled, valuesBefore } from '../../engine/scope';
import { argument, callArgs, calleeTail, enclosingFunction, pushNamedChildren, stringValue, unparen } from '../../engine/syntax';
import { isPasswordName, words } from '../util/names';
import { targetName } from '../util/secrets';

/** Fast general-purpose hashes: fine for files and messages, far too fast for passwords. */
const FAST = new Set(['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha3_224', 'sha3_256', 'sha3_384', 'sha3_512', 'blake2b', 'blake2s', 'md4', 'shake_128', 'shake_256']);

/** Calls whose result is the hashed data itself, so a password inside them is still the input. */
const PASS_THROUGH_METHODS = new Set(['encode', 'decode', 'strip', 'lower', 'upper', 'join', 'format', 'ljust', 'rjust']);
const PASS_THROUGH_BUILTINS = new Set(['str', 'bytes', 'bytearray', 'memoryview']);

/** Slow password hashing and KDFs: a fast hash feeding one of these is pre-hashing, not the problem. */
const SLOW_KDF = /^(bcrypt\.(hashpw|kdf)|hashlib\.(pbkdf2_hmac|scrypt)|argon2\.|passlib\.|django\.contrib\.auth\.hashers\.make_password|werkzeug\.security\.generate_password_hash|nacl\.pwhash\.|scrypt\.|cryptography\.hazmat\.primitives\.kdf\.)/;

/** Protocols that prescribe a fast hash over the password (HTTP Digest, WS-Security) or k-anonymity lookups. */
const PROTOCOL = /pwnedpasswords|haveibeenpwned|\brealm\b|\bnonce\b|wsse|digest_?auth|HTTPDigestAuth|\bHA1\b|mysql_native/i;

/** Function names that say they hash or check a password: `hash_password`, `check_password`. */
const PASSWORD_VERBS = new Set(['hash', 'hashed', 'encrypt', 'encode', 'digest', 'check', 'verify', 'validate', 'compare', 'set', 'make', 'create', 'store', 'save', 'authenticate', 'match', 'matches']);

/** The fast algorithm a call constructs: `sha256` for `hashlib.sha256(...)` or `hashlib.new("sha256", ...)`. */
function fastHash(call: Node, ctx: RuleContext): { algorithm: string; data: Node | null } | null {
  const name = ctx.callName(call);
  if (!name?.startsWith('hashlib.')) return null;
  const fn = name.slice('hashlib.'.length);
  const args = callArgs(call);
  if (fn === 'new') {
    // `hashlib.new` also takes OpenSSL spellings: "SHA256", "sha-256", "sha3-256", "sha512-256".
    const algorithm = stringValue(argument(args, 0, 'name'))?.toLowerCase().replace(/-/g, '_').replace(/^sha_(\d)/, 'sha$1');
    if (!algorithm || !(FAST.has(algorithm) || /^sha512_(224|256)$/.test(algorithm))) return null;
    return { algorithm, data: args.positional[1] ?? args.keywords.get('data') ?? args.keywords.get('string') ?? null };
  }
  if (!FAST.has(fn)) return null;
  return { algorithm: fn, data: args.positional[0] ?? args.keywords.get('data') ?? args.keywords.get('string') ?? null };
}

/** The password-named expression inside the hashed data (`password`, `user.password`, `form["pwd"]`), or null. */
function passwordIn(expr: Node, ctx: RuleContext, depth = 0): Node | null {
  if (depth > 12) return null;
  const e = unparen(expr);
  switch (e.type) {
    case 'identifier':
    case 'attribute':
      return isPasswordName(targetName(e) ?? '') ? e : null;
    case 'subscript': {
      const key = stringValue(e.childForFieldName('subscript'));
      return key !== null && isPasswordName(key) ? e : null;
    }
    case 'binary_operator':
      return passwordIn(e.childForFieldName('left')!, ctx, depth + 1) ?? passwordIn(e.childForFieldName('right')!, ctx, depth + 1);
    case 'string':
      for (const part of e.namedChildren) {
        const inner = part?.type === 'interpolation' ? part.childForFieldName('expression') : null;
        const hit = inner && passwordIn(inner, ctx, depth + 1);
        if (hit) return hit;
      }
      return null;
    case 'concatenated_string':
    case 'tuple':
    case 'list':
      for (const part of e.namedChildren) {
        const hit = part && part.type !== 'comment' ? passwordIn(part, ctx, depth + 1) : null;
        if (hit) return hit;
      }
      return null;
    case 'call': {
      const fn = e.childForFieldName('function');
      const tail = calleeTail(e) ?? '';
      const args = callArgs(e);
      // `request.form.get("password")`, `os.environ.get("ADMIN_PASSWORD")`.
      if (tail === 'get' || tail === 'getenv') {
        const key = stringValue(args.positional[0]);
        if (key !== null) return isPasswordName(key) ? e : null;
      }
      const passThrough = fn?.type === 'attribute' ? PASS_THROUGH_METHODS.has(tail) : PASS_THROUGH_BUILTINS.has(builtinCalled(e, ctx) ?? '');
      if (!passThrough) return null;
      if (fn?.type === 'attribute') {
        const hit = passwordIn(fn.childForFieldName('object')!, ctx, depth + 1);
        if (hit) return hit;
      }
      for (const a of [...args.positional, ...args.keywords.values()]) {
        const hit = passwordIn(a, ctx, depth + 1);
        if (hit) return hit;
      }
      return null;
    }
  }
  return null;
}

/** Climbs `.hexdigest()`, `.digest()`, `.upper()`... from the hash call to where its result goes. */
function resultUse(call: Node): { top: Node; name: string | null } {
  let top = call;
  for (;;) {
    const p = top.parent;
    if (!p) break;
    if (p.type === 'parenthesized_expression') top = p;
    else if (p.type === 'attribute' && p.parent?.type === 'call' && p.childForFieldName('object')?.id === top.id) top = p.parent;
    else break;
  }
  const p = top.parent;
  let name: string | null = null;
  if (p?.type === 'assignment' && p.childForFieldName('right')?.id === top.id) name = targetName(p.childForFieldName('left'));
  else if (p?.type === 'keyword_argument') name = p.childForFieldName('name')?.text ?? null;
  else if (p?.type === 'pair') name = stringValue(p.childForFieldName('key'));
  return { top, name };
}

/**
 * Whether the hash result goes into a slow KDF: directly (`bcrypt.hashpw(b64encode(sha256(pw).digest()), salt)`)
 * or through a local (`pre = b64encode(...); bcrypt.hashpw(pre, salt)`). That is pre-hashing, not the problem.
 */
function feedsSlowKdf(top: Node, ctx: RuleContext): boolean {
  for (let n = top.parent, hops = 0; n && hops < 6; n = n.parent, hops++) {
    if (n.type === 'call' && SLOW_KDF.test(ctx.callName(n) ?? '')) return true;
    if (n.type === 'assignment') {
      const left = n.childForFieldName('left');
      return left?.type === 'identifier' && kdfUses(left.text, n, ctx);
    }
    if (n.type.endsWith('statement') || n.type === 'block') break;
  }
  return false;
}

/** Whether a slow KDF call after `from` in the same function takes the local `name` as an argument. */
function kdfUses(name: string, from: Node, ctx: RuleContext): boolean {
  const scope = enclosingFunction(from)?.childForFieldName('body');
  if (!scope) return false;
  const stack: Node[] = [scope];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'function_definition' || n.type === 'class_definition') continue;
    if (n.type === 'call' && n.startIndex > from.endIndex && SLOW_KDF.test(ctx.callName(n) ?? '')) {
      const args = callArgs(n);
      if ([...args.positional, ...args.keywords.values()].some((a) => unparen(a).type === 'identifier' && unparen(a).text === name)) return true;
    }
    pushNamedChildren(stack, n);
  }
  return false;
}

function passwordFunction(call: Node): string | null {
  const name = enclosingFunction(call)?.childForFieldName('name')?.text;
  if (!name) return null;
  const ws = words(name);
  const pw = ws.some((w) => isPasswordName(w) || isPasswordName(w, 'result'));
  return pw && ws.some((w) => PASSWORD_VERBS.has(w)) ? name : null;
}

function protocolUse(call: Node, ctx: RuleContext): boolean {
  const scope = enclosingFunction(call);
  return scope ? PROTOCOL.test(ctx.textOf(scope)) : protocolFile(ctx);
}

/** Whether the whole file mentions a protocol, for a call outside every function. */
function protocolFile(ctx: RuleContext): boolean {
  return ctx.memo('weak-password-hash:protocol-file', () => PROTOCOL.test(ctx.text));
}

/**
 * The `fileKey`: `protocolFile`, the one answer read from the whole text. Every call this rule
 * reports resolves to `hashlib.*`, which the text spells (in the call or its import), so a file
 * without `hashlib` skips the slower protocol regex.
 */
function protocolKey(ctx: RuleContext): string {
  return /hashlib/.test(ctx.text) && protocolFile(ctx) ? 'protocol' : '';
}

export default defineRule({
  id: 'SEC530',
  name: 'weak-password-hash',
  summary: 'Password hashed with a fast hash (MD5, SHA-1, SHA-2, BLAKE2) instead of a password hashing function',
  owasp: { '2025': 'A04', '2021': 'A02' },
  cwe: [916, 759],
  severity: 'error',
  confidence: 'high',
  tags: ['crypto', 'passwords'],
  nodeTypes: ['call'],
  local: true,
  fileKey: protocolKey,
  appliesTo: (file) => !file.isTest,
  check(call, ctx) {
    const fast = fastHash(call, ctx);
    let algorithm = fast?.algorithm;
    let data = fast?.data ?? null;
    if (!fast) {
      // `h = hashlib.sha256(); h.update(password.encode())`.
      const fn = call.childForFieldName('function');
      const receiver = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
      if (calleeTail(call) !== 'update' || receiver?.type !== 'identifier') return;
      const source = valuesBefore(receiver, ctx)
        .map((v) => unparen(v))
        .find((v) => v.type === 'call' && fastHash(v, ctx));
      if (!source) return;
      algorithm = fastHash(source, ctx)!.algorithm;
      data = callArgs(call).positional[0] ?? null;
      if (!data) return;
    }
    const password = data ? passwordIn(data, ctx) : null;
    const use = resultUse(call);
    const viaName = !password && use.name && isPasswordName(use.name, 'result') ? use.name : null;
    const viaFunction = !password && !viaName && fast ? passwordFunction(call) : null;
    if (!password && !viaName && !viaFunction) return;
    if (feedsSlowKdf(use.top, ctx) || protocolUse(call, ctx)) return;
    const shown = `hashlib.${algorithm}`;
    const message = password
      ? `\`${ctx.textOf(password)}\` is hashed with \`${shown}\`, a fast hash that is easy to brute-force`
      : viaName
        ? `\`${shown}\` computes \`${viaName}\`: a fast hash that is easy to brute-force`
        : `\`${shown}\` in \`${viaFunction}()\` hashes a password with a fast hash that is easy to brute-force`;
    ctx.report(call, { message, confidence: password ? 'high' : 'medium' });
  },
  docs: {
    what: 'Finds passwords hashed with a fast general-purpose hash from `hashlib` (`md5`, `sha1`, `sha224`-`sha512`, `sha3_*`, `blake2b/s`, or `hashlib.new("sha256", ...)`), including `h.update(password)` on such an object. A hash is about a password when the hashed data contains a password-named value (`password`, `user.password`, `raw_pwd`, `form["password"]`, `request.form.get("password")`, also inside `.encode()`, f-strings and concatenations with a salt), when the result is stored under a name like `password_hash` or `hashed_password`, or (medium confidence) when it happens in a function such as `hash_password()` or `check_password()`.\n\nNot reported: hashing other data (`hashlib.sha256(file_bytes)`, reset tokens), a fast pre-hash fed straight into bcrypt or another slow KDF, protocols that prescribe the hash (HTTP Digest `realm`, WS-Security `nonce`, Have I Been Pwned k-anonymity lookups), and test code.',
    why: 'Fast hashes are designed to be computed billions of times per second on a GPU. When a database of such hashes leaks, most real passwords fall to dictionary and brute-force attacks within hours, salted or not, and unsalted ones fall to precomputed tables instantly. Password hashing functions (Argon2id, scrypt, bcrypt, PBKDF2 with a high iteration count) are deliberately slow and memory-hard, and they salt for you.',
    example: `import hashlib

def set_password(user, password):
    user.password_hash = hashlib.sha256(password.encode()).hexdigest()`,
    useInstead: `from argon2 import PasswordHasher  # or: bcrypt, hashlib.scrypt, Django's make_password

ph = PasswordHasher()

def set_password(user, password):
    user.password_hash = ph.hash(password)

def check_password(user, password):
    return ph.verify(user.password_hash, password)`,
    fixSafety: 'There is no automatic fix: moving to a password hashing function changes the stored format, so existing hashes need a migration (verify with the old scheme on next login and re-hash, or wrap the old hashes). Use Argon2id (`argon2-cffi`), `bcrypt`, `hashlib.scrypt`, or your framework\'s hasher (`django.contrib.auth.hashers.make_password`, `werkzeug.security.generate_password_hash`).',
    references: [
      { title: 'OWASP Password Storage Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html' },
      { title: 'Python docs: hashlib.scrypt', url: 'https://docs.python.org/3/library/hashlib.html#hashlib.scrypt' },
      { title: 'Django: Password management', url: 'https://docs.djangoproject.com/en/stable/topics/auth/passwords/' },
    ],
  },
});
