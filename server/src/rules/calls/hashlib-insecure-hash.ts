import type { Node } from '../../engine/parser';
import { defineRule, fix, replace, type RuleContext } from '../../engine/rule';
import { bindingValues, canUseImport, constantTruth } from '../../engine/scope';
import { argument, callArgs, stringValue, unparen } from '../../engine/syntax';
import type { Fix, OffsetEdit } from '../../engine/types';
import { appendArgument } from '../util/edits';

/** Weak algorithm names as `hashlib.new()` accepts them (case-insensitive), with a label. */
const WEAK_NAMES: Record<string, string> = { md2: 'MD2', md4: 'MD4', md5: 'MD5', sha: 'SHA-1', sha1: 'SHA-1', 'md5-sha1': 'MD5-SHA1', md5_sha1: 'MD5-SHA1' };
/** `hashlib` constructors for weak algorithms. */
const WEAK_CONSTRUCTORS: Record<string, string> = { 'hashlib.md4': 'MD4', 'hashlib.md5': 'MD5', 'hashlib.sha1': 'SHA-1' };

interface Weak {
  algorithm: string;
  label: string;
  /** The node naming the algorithm (the callee, the name string, or a constructor passed along), if a fix can rewrite it. */
  selector: Node | null;
  /** Whether the call takes `usedforsecurity=` (`file_digest` does not). */
  flaggable: boolean;
}

interface Selected {
  algorithm: string;
  text: string;
  /** False when the algorithm comes through a variable: the fix would have to edit its assignment. */
  rewritable: boolean;
}

/**
 * The algorithm a `hashlib.new()` / `file_digest()` argument names: a string, a constructor
 * such as `hashlib.md5`, or a variable every assignment of which is a string naming one.
 */
function weakSelector(arg: Node | null, ctx: RuleContext): Selected | null {
  if (!arg) return null;
  const n = unparen(arg);
  const value = stringValue(n);
  if (value !== null) {
    const algorithm = WEAK_NAMES[value.toLowerCase()];
    return algorithm ? { algorithm, text: `"${value}"`, rewritable: true } : null;
  }
  const resolved = ctx.resolve(n);
  const constructor = resolved ? WEAK_CONSTRUCTORS[resolved] : undefined;
  if (constructor) return { algorithm: constructor, text: resolved!, rewritable: true };
  if (n.type !== 'identifier') return null;
  const names = (bindingValues(n, ctx) ?? []).map((v) => stringValue(v));
  if (names.length === 0 || names.some((v) => v === null)) return null;
  const weak = names.map((v) => WEAK_NAMES[v!.toLowerCase()]).find((a) => a);
  return weak ? { algorithm: weak, text: n.text, rewritable: false } : null;
}

function findWeak(call: Node, name: string, ctx: RuleContext): Weak | null {
  const constructor = WEAK_CONSTRUCTORS[name];
  if (constructor) return { algorithm: constructor, label: `${name}()`, selector: call.childForFieldName('function'), flaggable: true };
  const args = callArgs(call);
  if (name === 'hashlib.new') {
    const arg = argument(args, 0, 'name');
    const weak = weakSelector(arg, ctx);
    return weak && arg ? { algorithm: weak.algorithm, label: `hashlib.new(${weak.text})`, selector: weak.rewritable ? unparen(arg) : null, flaggable: true } : null;
  }
  if (name === 'hashlib.file_digest') {
    const arg = argument(args, 1, 'digest');
    const weak = weakSelector(arg, ctx);
    return weak && arg ? { algorithm: weak.algorithm, label: `hashlib.file_digest(..., ${weak.text})`, selector: weak.rewritable ? unparen(arg) : null, flaggable: false } : null;
  }
  return null;
}

/** Rewrites whatever names the algorithm so that it names SHA-256. */
function sha256Edits(selector: Node, call: Node, ctx: RuleContext): OffsetEdit[] | null {
  if (selector.type === 'string') {
    const start = selector.firstChild;
    const end = selector.lastChild;
    if (start?.type !== 'string_start' || end?.type !== 'string_end') return null;
    return [replace(selector, `${start.text}sha256${end.text}`)];
  }
  if (selector.type === 'attribute') {
    // `hashlib.md5` / `h.md5`: the module is already at hand.
    const attr = selector.childForFieldName('attribute');
    return attr ? [replace(attr, 'sha256')] : null;
  }
  if (selector.type === 'identifier') {
    // `from hashlib import md5`
    const imp = ctx.requireImport('hashlib', 'sha256');
    return canUseImport(imp, call, ctx) ? [replace(selector, imp.ref), ...imp.edits] : null;
  }
  return null;
}

function fixes(call: Node, weak: Weak, ctx: RuleContext): Fix[] {
  const out: Fix[] = [];
  const swap = weak.selector ? sha256Edits(weak.selector, call, ctx) : null;
  if (swap) out.push(fix('Use `hashlib.sha256` (changes the digest)', 'unsafe', swap));
  if (weak.flaggable) {
    const existing = callArgs(call).keywords.get('usedforsecurity');
    const edit = existing ? replace(existing, 'False') : appendArgument(ctx, call, 'usedforsecurity=False');
    if (edit) out.push(fix('Mark as not used for security (`usedforsecurity=False`)', 'unsafe', edit));
  }
  return out;
}

export default defineRule({
  id: 'SEC324',
  name: 'hashlib-insecure-hash',
  local: true,
  summary: '`hashlib` MD4, MD5 or SHA-1 without `usedforsecurity=False`',
  owasp: { '2025': 'A04', '2021': 'A02' },
  cwe: [327, 328],
  severity: 'warning',
  confidence: 'medium',
  fix: 'sometimes',
  aliases: ['B324', 'S324'],
  tags: ['crypto'],
  nodeTypes: ['call'],
  check(call, ctx) {
    const name = ctx.callName(call);
    if (!name || !name.startsWith('hashlib.')) return;
    const weak = findWeak(call, name, ctx);
    if (!weak) return;
    const args = callArgs(call);
    // `usedforsecurity=False` is the documented way to say "checksum, not security". A value
    // we cannot read (a variable, `**options`) is the caller's decision; do not second-guess it.
    if (args.hasStarKwargs) return;
    const flag = args.keywords.get('usedforsecurity');
    if (flag && constantTruth(flag) !== true) return;
    ctx.report(call.childForFieldName('function') ?? call, {
      message: `\`${weak.label}\` uses ${weak.algorithm}, a hash algorithm broken by practical collision attacks`,
      fixes: fixes(call, weak, ctx),
    });
  },
  docs: {
    what: 'Finds `hashlib.md5()`, `hashlib.sha1()`, `hashlib.md4()`, `hashlib.new("md5" | "sha1" | "md4" | ...)` (names in any case, also through a variable only ever assigned such a name) and `hashlib.file_digest(f, "md5")`, however they are imported, unless the call passes `usedforsecurity=False` (or a value that is not a literal, such as `usedforsecurity=secure`). A constructor passed as a parameter, as in `hmac.new(key, msg, hashlib.sha1)`, is not reported: HMAC does not depend on collision resistance. Weak hashes used to hash passwords are also reported by SEC530.',
    why: 'MD5 and SHA-1 collisions can be produced on demand (MD5 in seconds, SHA-1 chosen-prefix collisions for tens of thousands of dollars), so a digest of them cannot vouch for a file, a signature, a token or a cache entry an attacker can influence. When the hash is only a checksum or a cache key, Python 3.9+ lets you say so with `usedforsecurity=False`, which also keeps the call working on FIPS-mode systems where weak algorithms are otherwise blocked.',
    example: `import hashlib

def sign(payload: bytes) -> str:
    return hashlib.md5(SECRET + payload).hexdigest()

etag = hashlib.sha1(body).hexdigest()`,
    useInstead: `import hashlib
import hmac

def sign(payload: bytes) -> str:
    return hmac.new(SECRET, payload, hashlib.sha256).hexdigest()

etag = hashlib.sha1(body, usedforsecurity=False).hexdigest()  # a cache validator, not security`,
    fixSafety: 'Both fixes are unsafe. "Use `hashlib.sha256`" changes the digest\'s value and length (64 hex characters instead of 32 or 40): stored digests, database columns, cache keys and anything compared with digests computed elsewhere stop matching. "Mark as not used for security" keeps the output but records a decision only you can make (that nothing relies on the hash resisting collisions), and `usedforsecurity=` raises `TypeError` on Python 3.8 and older.',
    references: [
      { title: 'Python docs: hashlib (usedforsecurity)', url: 'https://docs.python.org/3/library/hashlib.html' },
      { title: 'SHAttered: the first SHA-1 collision', url: 'https://shattered.io/' },
      { title: 'OWASP Cryptographic Storage Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Cryptographic_Storage_Cheat_Sheet.html' },
    ],
  },
});
