import type { Node } from '../../engine/parser';
import { defineRule, fix, replace, type RuleContext } from '../../engine/rule';
import { callArgs, enclosingFunction, stringValue, targetNames } from '../../engine/syntax';
import type { Fix } from '../../engine/types';
import { paren } from '../util/edits';
import { securityValueWord, words } from '../util/names';

const RANDOM_FUNCTIONS = new Set([
  'random',
  'randint',
  'randrange',
  'choice',
  'choices',
  'sample',
  'shuffle',
  'getrandbits',
  'uniform',
  'randbytes',
  'triangular',
  'gauss',
  'normalvariate',
  'betavariate',
  'expovariate',
]);

/** Names that make the value a string token, where `secrets.token_hex` is the better fix. */
const TOKEN_WORDS = ['token', 'nonce', 'salt', 'secret', 'key', 'session', 'csrf', 'xsrf', 'sid', 'sessionid', 'apikey'];

interface SecurityContext {
  /** The name that makes it security-sensitive (`reset_code`, `generate_token`). */
  name: string;
  word: string;
  via: 'name' | 'function';
}

/**
 * Looks for the name the random value ends up in: the assignment target, keyword argument,
 * dict key, parameter default, or (failing those) the enclosing function's name.
 */
function securityContext(call: Node): SecurityContext | null | 'benign' {
  for (let n: Node | null = call.parent, child: Node = call; n; child = n, n = n.parent) {
    let names: string[] = [];
    switch (n.type) {
      case 'keyword_argument':
        names = [n.childForFieldName('name')?.text ?? ''];
        break;
      case 'pair':
        if (n.childForFieldName('value')?.id === child.id) {
          const key = stringValue(n.childForFieldName('key'));
          if (key !== null) names = [key];
        }
        break;
      case 'assignment':
      case 'augmented_assignment':
        if (n.childForFieldName('right')?.id === child.id) names = targetNames(n.childForFieldName('left'));
        break;
      case 'default_parameter':
      case 'typed_default_parameter':
        names = [n.childForFieldName('name')?.text ?? ''];
        break;
    }
    for (const name of names) {
      if (!name) continue;
      const word = securityValueWord(name);
      if (word) return { name, word, via: 'name' };
      if (isBenignName(name)) return 'benign';
    }
    if (n.type.endsWith('_statement') || n.type === 'block' || n.type === 'module') break;
  }
  const fn = enclosingFunction(call);
  const fname = fn?.childForFieldName('name')?.text;
  if (fname) {
    const word = securityValueWord(fname);
    if (word) return { name: fname, word, via: 'function' };
  }
  return null;
}

function isBenignName(name: string): boolean {
  return words(name).some((w) => ['jitter', 'delay', 'backoff', 'sample', 'samples', 'noise', 'shuffle', 'color', 'colour', 'weight', 'weights'].includes(w));
}

function isTokenLike(name: string): boolean {
  return words(name).some((w) => TOKEN_WORDS.includes(w));
}

function intValue(node: Node | undefined): number | null {
  if (!node) return null;
  if (node.type === 'integer' && /^\d+$/.test(node.text)) return Number(node.text);
  if (node.type === 'unary_operator' && node.text.startsWith('-')) {
    const arg = node.childForFieldName('argument');
    return arg?.type === 'integer' && /^\d+$/.test(arg.text) ? -Number(arg.text) : null;
  }
  return null;
}

/** `secrets.randbelow(n) + a` for a range [a, a + n), simplified when the bounds are literals. */
function randbelowRange(ref: string, ctx: RuleContext, low: Node | null, highExclusive: { node: Node; plusOne: boolean }): string {
  const a = low ? intValue(low) : 0;
  const b = intValue(highExclusive.node);
  if (a !== null && b !== null) {
    const size = b - a + (highExclusive.plusOne ? 1 : 0);
    return a === 0 ? `${ref}.randbelow(${size})` : `${ref}.randbelow(${size}) + ${a < 0 ? `(${a})` : a}`;
  }
  const hi = paren(ctx, highExclusive.node);
  const lo = low ? paren(ctx, low) : '0';
  const size = low && a !== 0 ? `${hi} - ${lo}${highExclusive.plusOne ? ' + 1' : ''}` : `${hi}${highExclusive.plusOne ? ' + 1' : ''}`;
  return low && a !== 0 ? `${ref}.randbelow(${size}) + ${lo}` : `${ref}.randbelow(${size})`;
}

function fixes(call: Node, fn: string, ctx: RuleContext, context: SecurityContext): Fix[] {
  const { ref, edits: importEdits } = ctx.requireImport('secrets');
  const args = callArgs(call);
  if (args.hasStarArgs || args.hasStarKwargs) return [];
  const pos = args.positional;
  const out: Fix[] = [];
  const argText = ctx.textOf(args.list!).slice(1, -1);
  const simple = (newText: string, title: string): Fix => fix(title, 'safe', replace(call, newText), importEdits);
  switch (fn) {
    case 'randint':
      if (pos.length === 2 && args.keywords.size === 0) {
        out.push(simple(randbelowRange(ref, ctx, pos[0]!, { node: pos[1]!, plusOne: true }), `Use \`${ref}.randbelow()\` (same range)`));
      }
      break;
    case 'randrange':
      if (pos.length === 1 && args.keywords.size === 0) {
        out.push(simple(`${ref}.randbelow(${ctx.textOf(pos[0]!)})`, `Use \`${ref}.randbelow()\` (same range)`));
      } else if (pos.length === 2 && args.keywords.size === 0) {
        out.push(simple(randbelowRange(ref, ctx, pos[0]!, { node: pos[1]!, plusOne: false }), `Use \`${ref}.randbelow()\` (same range)`));
      }
      break;
    case 'choice':
      out.push(simple(`${ref}.choice(${argText})`, `Use \`${ref}.choice()\``));
      break;
    case 'getrandbits':
      out.push(simple(`${ref}.randbits(${argText})`, `Use \`${ref}.randbits()\``));
      break;
    case 'randbytes':
      out.push(simple(`${ref}.token_bytes(${argText})`, `Use \`${ref}.token_bytes()\``));
      break;
    default:
      // Same method on the OS-backed generator: random, uniform, sample, shuffle, choices...
      out.push(simple(`${ref}.SystemRandom().${fn}(${argText})`, `Use \`${ref}.SystemRandom().${fn}()\``));
  }
  if (context.via === 'name' && isTokenLike(context.name) && fn !== 'shuffle') {
    // Changes the value's type (an int becomes a hex string), so never applied by fix-all.
    out.push(fix(`Use \`${ref}.token_hex(16)\` (a 128-bit hex string)`, 'unsafe', replace(call, `${ref}.token_hex(16)`), importEdits));
  }
  return out;
}

export default defineRule({
  id: 'SEC311',
  name: 'random-security-value',
  local: true,
  summary: 'Predictable `random` module used to generate a token, password, key or code',
  owasp: { '2025': 'A04', '2021': 'A02' },
  cwe: [338, 330],
  severity: 'error',
  confidence: 'high',
  fix: 'always',
  aliases: ['B311', 'S311'],
  tags: ['crypto'],
  nodeTypes: ['call'],
  check(call, ctx) {
    const name = ctx.callName(call);
    if (!name || !name.startsWith('random.')) return;
    const fn = name.slice('random.'.length);
    if (!RANDOM_FUNCTIONS.has(fn)) return;
    const context = securityContext(call);
    if (!context || context === 'benign') return;
    ctx.report(call, {
      message:
        context.via === 'name'
          ? `\`random.${fn}()\` is predictable and generates \`${context.name}\`, a security value`
          : `\`random.${fn}()\` is predictable and is used in \`${context.name}()\`, which makes a security value`,
      confidence: context.via === 'name' ? 'high' : 'medium',
      fixes: fixes(call, fn, ctx, context),
    });
  },
  docs: {
    what: `Finds calls to the \`random\` module whose result becomes a security value: a token, password, one-time or reset code, key, nonce, salt or session id. The value is recognised by the name it is stored in (variable, attribute, keyword argument, dict key) or by the function that returns it (\`generate_token()\`). Random numbers for simulations, sampling, jitter or games are not reported.`,
    why: `\`random\` is a Mersenne Twister: after observing 624 outputs an attacker can reconstruct its state and predict every future value, so password-reset codes, session ids and API tokens made with it can be guessed. The \`secrets\` module draws from the operating system's cryptographically secure generator.`,
    example: `import random

reset_code = random.randint(100000, 999999)
token = "".join(random.choice(ALPHABET) for _ in range(32))`,
    useInstead: `import secrets

reset_code = secrets.randbelow(900000) + 100000
token = secrets.token_urlsafe(32)`,
    fixSafety: `Replacing \`random.randint(a, b)\` by \`secrets.randbelow(b - a + 1) + a\`, \`random.choice\` by \`secrets.choice\`, \`random.getrandbits\` by \`secrets.randbits\` and the other functions by the same method of \`secrets.SystemRandom()\` keeps the type and range of the value, so these fixes are safe. The alternative "Use \`secrets.token_hex(16)\`" changes an integer into a string and is offered as an unsafe fix only. \`import secrets\` is added once when missing.`,
    references: [
      { title: 'Python docs: secrets — Generate secure random numbers', url: 'https://docs.python.org/3/library/secrets.html' },
      { title: 'OWASP Cryptographic Storage Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Cryptographic_Storage_Cheat_Sheet.html' },
    ],
  },
});
