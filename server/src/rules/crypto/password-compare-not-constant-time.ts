import type { Node } from '../../engine/parser';
import { defineRule, fix, replace, type RuleContext } from '../../engine/rule';
import { canUseImport, valuesBefore } from '../../engine/scope';
import { callArgs, calleeTail, dottedName, enclosingFunction, isConstant, stringValue, unparen } from '../../engine/syntax';
import type { Fix } from '../../engine/types';
import { words } from '../util/names';

/** Words that make "token" a word of text (NLP, LLM and lexer code), not a credential. */
const TOKEN_QUANTITY_WORDS = new Set(['max', 'min', 'num', 'n', 'total', 'count', 'used', 'limit', 'prompt', 'completion', 'input', 'output', 'eos', 'bos', 'pad', 'unk', 'sep', 'cls', 'mask', 'special', 'stop', 'start', 'end', 'next', 'prev', 'previous', 'current', 'cur', 'lookahead', 'cache', 'eof', 'lexer', 'parser']);

/** Last words that make a value a secret compared for authentication. */
const SECRET_LAST = new Set([
  'password', 'passwd', 'passphrase', 'pwd', 'token', 'secret', 'signature', 'sig', 'hmac', 'apikey', 'otp', 'totp',
]);
/** Two-word names ending in "key" that are credentials: api key, access key, secret key... */
const KEY_FIRST = new Set(['api', 'access', 'secret', 'auth', 'signing', 'webhook', 'client', 'master']);
/** Last words that are a secret only after a secret word: `password_hash`, `hmac_digest`. */
const DERIVED_LAST = new Set(['hash', 'hashed', 'digest', 'hexdigest', 'mac']);
/** Words that make the value signing material even as a digest: `expected_digest` of an HMAC. */
const SIGNING_WORDS = new Set(['hmac', 'signature', 'sig', 'signed', 'password', 'passwd', 'token', 'secret', 'apikey']);
/** Trailing words of no value: `csrf_token_value`, `signature_hex`. */
const NOISE_LAST = new Set(['value', 'val', 'str', 'string', 'bytes', 'hex', 'b64', 'raw', 'header', 'param']);
/** Words that make a second password the confirmation of the first, not a stored secret. */
const CONFIRM_WORDS = new Set(['confirm', 'confirmation', 'confirmed', 'repeat', 'repeated', 'retype', 'again', 'verify', 'verification', 'new']);
/** Calls that verify a password or signature themselves: their result is a boolean. */
const VERIFY_CALLS = /^(check_password|check_password_hash|checkpw|verify|verify_password|hashpw|compare_digest|is_valid|isvalid|validate)$/i;
/** Modules whose "tokens" are words of text, not credentials. */
const TEXT_TOKEN_MODULES = ['tokenize', 'nltk', 'spacy', 'transformers', 'tiktoken', 'ply', 'pygments', 'lark', 'sentencepiece', 'tokenizers'];

export interface SecretOperand {
  /** The name that makes it secret: `token`, `X-Signature`, `compute_signature`. */
  name: string;
  /** From the request or an HMAC computation: certainly an authentication check. */
  strong: boolean;
}

function significantWords(name: string): string[] {
  const w = words(name);
  while (w.length > 1 && NOISE_LAST.has(w[w.length - 1]!)) w.pop();
  return w;
}

/** Leading words that make the name a flag or an action about a secret: `verify_signature`, `has_password`. */
const PREDICATE_FIRST = new Set(['is', 'has', 'should', 'use', 'require', 'requires', 'verify', 'check', 'validate', 'enable', 'disable', 'allow', 'skip', 'no', 'show', 'hide', 'can', 'must', 'need', 'needs']);
/** Secret words that mean something else outside code that signs or hashes: signals, magic numbers, function signatures. */
const SIGNING_ONLY = new Set(['signature', 'sig', 'hmac', 'digest', 'hexdigest', 'mac', 'hash', 'hashed']);
const SIGNING_MODULES = ['hmac', 'hashlib', 'jwt', 'jose', 'itsdangerous', 'cryptography', 'nacl', 'Crypto', 'Cryptodome', 'ecdsa', 'stripe', 'svix', 'webhooks'];
/** The other side of a comparison that makes "token" a lexer or parser token. */
const LEXER_WORDS = new Set(['eof', 'eol', 'end', 'start', 'element', 'sentinel', 'marker', 'delimiter', 'separator', 'newline', 'indent', 'dedent', 'whitespace', 'comment', 'keyword', 'punctuation', 'operator', 'literal']);

function isSecretName(name: string): boolean {
  const w = significantWords(name);
  const last = w[w.length - 1];
  if (!last) return false;
  if (w.some((x) => TOKEN_QUANTITY_WORDS.has(x))) return false;
  if (w.length > 1 && PREDICATE_FIRST.has(w[0]!)) return false;
  if (SECRET_LAST.has(last)) return true;
  if (last === 'key' && w.length > 1 && KEY_FIRST.has(w[w.length - 2]!)) return true;
  if (DERIVED_LAST.has(last)) return w.slice(0, -1).some((x) => SIGNING_WORDS.has(x));
  return false;
}

/** The name an operand is known by: identifier, attribute, `headers["X-Token"]`, `.get("token")`, `make_token()`. */
function operandName(n: Node, ctx: RuleContext): string | null {
  switch (n.type) {
    case 'identifier':
      return n.text;
    case 'attribute':
      return n.childForFieldName('attribute')?.text ?? null;
    case 'subscript':
      return stringValue(n.childForFieldName('subscript'));
    case 'call': {
      const tail = calleeTail(n);
      if (!tail) return null;
      if (tail === 'get' || tail === 'getenv' || tail === 'getheader' || tail === 'get_header') {
        return stringValue(callArgs(n).positional[0]);
      }
      if (tail === 'hexdigest' || tail === 'digest') {
        // `hmac.new(key, msg, sha256).hexdigest()` is a signature.
        const obj = n.childForFieldName('function')?.childForFieldName('object');
        if (obj?.type === 'call' && /^hmac\.(new|HMAC)$/.test(ctx.callName(obj) ?? '')) return 'hmac';
        return null;
      }
      return tail;
    }
    default:
      return null;
  }
}

function fromRequest(n: Node, ctx: RuleContext): boolean {
  const t = ctx.textOf(n);
  return /\brequest\b|\bheaders\b|\bMETA\b|\bargs\b|\bform\b|\bcookies\b/.test(t);
}

export function secretOperand(n: Node, ctx: RuleContext): SecretOperand | null {
  const name = operandName(n, ctx);
  if (!name || !isSecretName(name)) return null;
  const strong = name === 'hmac' || fromRequest(n, ctx);
  if (!strong && significantWords(name).every((w) => SIGNING_ONLY.has(w) || !SIGNING_WORDS.has(w))) {
    // `sig == signal.SIGINT`, `sig != stringEndArchive64`, `sig = inspect.signature(f)`: only in code that signs.
    if (!SIGNING_MODULES.some((m) => ctx.facts.importedModules.has(m))) return null;
    if (n.type === 'identifier' && valuesBefore(n, ctx).some((v) => /^inspect\./.test(v.type === 'call' ? (ctx.callName(v) ?? '') : ''))) return null;
  }
  return { name, strong };
}

/** `signal.SIGTERM`, `END_ELEMENT`, `Token.LPAREN`: a named constant that is not itself a secret. */
function isEnumConstant(n: Node, ctx: RuleContext): boolean {
  const d = dottedName(n);
  if (!d) return false;
  const last = d.slice(d.lastIndexOf('.') + 1);
  if (!/^[A-Z][A-Z0-9_]*$/.test(last) || !/[A-Z]{2}/.test(last)) return false;
  return !isSecretName(last) && !secretOperandName(n, ctx);
}

function secretOperandName(n: Node, ctx: RuleContext): boolean {
  const name = operandName(n, ctx);
  return !!name && isSecretName(name);
}

/** Comparisons inside `__eq__` and friends compare objects, not credentials. */
function inComparisonMethod(n: Node): boolean {
  const fn = enclosingFunction(n);
  return /^__(eq|ne|lt|le|gt|ge|hash|cmp)__$/.test(fn?.childForFieldName('name')?.text ?? '');
}

/** Operands that make the comparison something other than checking a secret. */
function isExcludedOperand(n: Node, ctx: RuleContext): boolean {
  if (isConstant(n)) return true;
  if (n.type === 'call') {
    const tail = calleeTail(n) ?? '';
    if (VERIFY_CALLS.test(tail) || ['len', 'type', 'bool', 'isinstance', 'id', 'hash', 'count', 'lower', 'upper'].includes(tail)) return true;
  }
  // `token == Token.LPAREN`, `tok == tokenize.NAME`: lexer tokens.
  const dotted = dottedName(n);
  if (dotted && n.type === 'attribute') {
    const head = dotted.split('.')[0]!.toLowerCase();
    if (['token', 'tokens', 'tokentype', 'tokenize', 'tok', 'tokens'].includes(head)) return true;
  }
  void ctx;
  return false;
}

function isConfirmation(a: Node, b: Node, ctx: RuleContext): boolean {
  const an = operandName(a, ctx) ?? '';
  const bn = operandName(b, ctx) ?? '';
  const aw = words(an);
  const bw = words(bn);
  // `data["password"] != data["confirm"]`.
  if ([...aw, ...bw].some((x) => ['confirm', 'confirmation', 'confirmed', 'repeat', 'retype', 'again'].includes(x))) return true;
  const pw = (w: string[]) => w.some((x) => ['password', 'passwd', 'pwd', 'passphrase', 'pass', 'password1', 'password2', 'pw'].includes(x) || /^(password|pwd|pass|pw)\d$/.test(x));
  if (!pw(aw) || !pw(bw)) return false;
  return [...aw, ...bw].some((x) => CONFIRM_WORDS.has(x)) || /\d$/.test(an) || /\d$/.test(bn);
}

const SAFE_PARENTS_FOR_NOT = new Set([
  'if_statement', 'elif_clause', 'while_statement', 'boolean_operator', 'not_operator', 'return_statement',
  'expression_statement', 'assignment', 'argument_list', 'keyword_argument', 'parenthesized_expression',
  'conditional_expression', 'assert_statement', 'lambda', 'pair', 'list', 'tuple', 'set', 'augmented_assignment',
]);

function compareDigestFix(cmp: Node, left: Node, right: Node, negated: boolean, ctx: RuleContext): Fix[] {
  const imp = ctx.requireImport('hmac');
  if (!canUseImport(imp, cmp, ctx)) return [];
  const call = `${imp.ref}.compare_digest(${ctx.textOf(left)}, ${ctx.textOf(right)})`;
  let text = negated ? `not ${call}` : call;
  if (negated && !SAFE_PARENTS_FOR_NOT.has(cmp.parent?.type ?? '')) text = `(${text})`;
  return [fix('Compare in constant time with `hmac.compare_digest()`', 'unsafe', replace(cmp, text), imp.edits)];
}

export default defineRule({
  id: 'SEC531',
  name: 'password-compare-not-constant-time',
  local: true,
  summary: 'Password, token, signature or API key compared with `==`/`!=` instead of in constant time',
  owasp: { '2025': 'A04', '2021': 'A02' },
  cwe: [208],
  severity: 'warning',
  confidence: 'medium',
  fix: 'sometimes',
  tags: ['timing', 'authentication', 'hmac'],
  nodeTypes: ['comparison_operator'],
  appliesTo: (file) => !file.isTest,
  check(cmp, ctx) {
    const operands = cmp.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
    if (operands.length !== 2) return;
    const op = cmp.children.find((c) => c && !c.isNamed && (c.type === '==' || c.type === '!='));
    if (!op || cmp.children.filter((c) => c && !c.isNamed).length !== 1) return;
    const left = unparen(operands[0]!);
    const right = unparen(operands[1]!);
    if (isExcludedOperand(left, ctx) || isExcludedOperand(right, ctx)) return;
    const secret = secretOperand(left, ctx) ?? secretOperand(right, ctx);
    if (!secret) return;
    const other = secretOperand(left, ctx) ? right : left;
    if (isConfirmation(left, right, ctx)) return;
    if (isEnumConstant(other, ctx) || inComparisonMethod(cmp)) return;
    const otherWords = words(operandName(other, ctx) ?? '');
    if (otherWords.some((w) => LEXER_WORDS.has(w))) return;
    const words0 = significantWords(secret.name);
    if (words0[words0.length - 1] === 'token' && TEXT_TOKEN_MODULES.some((m) => ctx.facts.importedModules.has(m))) return;
    const strong = secret.strong || !!secretOperand(other, ctx)?.strong;
    ctx.report(cmp, {
      message: `\`${secret.name}\` is compared with \`${op.type}\`, which returns at the first differing character and leaks how much of a guess is right; use \`hmac.compare_digest()\``,
      confidence: strong ? 'high' : 'medium',
      fixes: compareDigestFix(cmp, operands[0]!, operands[1]!, op.type === '!=', ctx),
    });
  },
  docs: {
    what: 'Finds `==` and `!=` comparisons where one side is a password, token, signature, HMAC, secret digest or API key: by its variable or attribute name, the header or parameter it is read from (`request.headers["X-Signature"]`, `request.args.get("token")`), a function that computes it (`compute_signature(...)`) or an `hmac.new(...).hexdigest()` call. Comparisons with `None`, literals and `len(...)`, password confirmation checks (`password == password2`, `new_password != confirm_password`), the result of verification functions (`check_password(...)`), text tokens in tokenizer/NLP code, and test files are not reported.',
    why: '`==` on strings stops at the first byte that differs, so a comparison against a secret takes slightly longer the more leading characters of the guess are right. Over many requests an attacker can measure that difference and recover a webhook signature, an API key or a reset token one character at a time, without ever knowing the secret key. `hmac.compare_digest()` takes the same time whatever the inputs contain.',
    example: `import hmac, hashlib

def verify_webhook(request):
    expected_sig = hmac.new(WEBHOOK_SECRET, request.body, hashlib.sha256).hexdigest()
    if request.headers["X-Signature"] == expected_sig:
        return True
    return False`,
    useInstead: `import hmac, hashlib

def verify_webhook(request):
    expected_sig = hmac.new(WEBHOOK_SECRET, request.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(request.headers.get("X-Signature", ""), expected_sig)`,
    fixSafety: 'The fix replaces `a == b` with `hmac.compare_digest(a, b)` and `a != b` with `not hmac.compare_digest(a, b)`, adding `import hmac` when missing. It is unsafe: `compare_digest` requires both arguments to be `str` of ASCII characters or both bytes-like, and raises `TypeError` otherwise, where `==` quietly returned `False`: a header that may be missing (`None`), a `str` compared with `bytes`, or a non-ASCII string now raise. Make sure both sides have the same type (e.g. `request.headers.get("X-Signature", "")`, `.encode()`) when applying it. Passwords themselves should not be stored or compared in clear text at all: store a hash and use `check_password()` / `bcrypt.checkpw()`.',
    references: [
      { title: 'Python: hmac.compare_digest', url: 'https://docs.python.org/3/library/hmac.html#hmac.compare_digest' },
      { title: 'CWE-208: Observable Timing Discrepancy', url: 'https://cwe.mitre.org/data/definitions/208.html' },
    ],
  },
});
