import type { Node } from '../../engine/parser';
import { defineRule, fix, replace, type RuleContext } from '../../engine/rule';
import { canUseImport } from '../../engine/scope';
import type { Fix } from '../../engine/types';

/** Module names of the weak hashes in PyCrypto / PyCryptodome (`SHA` is SHA-1). */
const PYCRYPTO_WEAK: Record<string, string> = { MD2: 'MD2', MD4: 'MD4', MD5: 'MD5', SHA: 'SHA-1', SHA1: 'SHA-1' };
const PYCRYPTO = /^(Crypto|Cryptodome)\.Hash\.(MD2|MD4|MD5|SHA|SHA1)\.new$/;

const CRYPTOGRAPHY_HASHES = 'cryptography.hazmat.primitives.hashes';
const CRYPTOGRAPHY_WEAK: Record<string, string> = { MD5: 'MD5', SHA1: 'SHA-1' };

/**
 * Uses of SHA-1 in `cryptography` that do not rely on collision resistance: OAEP and MGF1
 * padding, HMAC and the key derivation functions. NIST SP 800-131A still allows SHA-1 there,
 * and they are common in interoperable code (RSA-OAEP with SHA-1 is the default elsewhere).
 */
const SHA1_NON_COLLISION = /^cryptography\.hazmat\.primitives\..*\.(OAEP|MGF1|HMAC|PBKDF2HMAC|HKDF|HKDFExpand|ConcatKDFHash|ConcatKDFHMAC|X963KDF|KBKDFHMAC)$/;

function consumer(call: Node, ctx: RuleContext): string | null {
  let n = call.parent;
  if (n?.type === 'keyword_argument') n = n.parent;
  if (n?.type !== 'argument_list') return null;
  const outer = n.parent;
  return outer?.type === 'call' ? ctx.callName(outer) : null;
}

interface WeakHash {
  algorithm: string;
  label: string;
  fixes: () => Fix[];
}

function pycryptoHash(call: Node, name: string, ctx: RuleContext): WeakHash | null {
  const m = PYCRYPTO.exec(name);
  if (!m) return null;
  const fn = call.childForFieldName('function');
  const moduleExpr = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
  return {
    algorithm: PYCRYPTO_WEAK[m[2]!]!,
    label: `${m[1]}.Hash.${m[2]}.new()`,
    fixes: () => {
      if (!moduleExpr) return [];
      const imp = ctx.requireImport(`${m[1]}.Hash`, 'SHA256');
      if (!canUseImport(imp, call, ctx)) return [];
      return [fix('Use SHA-256 (changes the digest)', 'unsafe', replace(moduleExpr, imp.ref), imp.edits)];
    },
  };
}

function cryptographyHash(call: Node, name: string, ctx: RuleContext): WeakHash | null {
  if (!name.startsWith(`${CRYPTOGRAPHY_HASHES}.`)) return null;
  const cls = name.slice(CRYPTOGRAPHY_HASHES.length + 1);
  const algorithm = CRYPTOGRAPHY_WEAK[cls];
  if (!algorithm) return null;
  if (algorithm === 'SHA-1') {
    const outer = consumer(call, ctx);
    if (outer && SHA1_NON_COLLISION.test(outer)) return null;
  }
  const fn = call.childForFieldName('function');
  return {
    algorithm,
    label: `hashes.${cls}()`,
    fixes: () => {
      if (!fn) return [];
      // `hashes.MD5()`: the same module has SHA256, so only the attribute changes.
      const attr = fn.type === 'attribute' ? fn.childForFieldName('attribute') : null;
      if (attr) return [fix('Use `SHA256()` (changes the digest)', 'unsafe', replace(attr, 'SHA256'))];
      const imp = ctx.requireImport(CRYPTOGRAPHY_HASHES, 'SHA256');
      if (!canUseImport(imp, call, ctx)) return [];
      return [fix('Use `SHA256()` (changes the digest)', 'unsafe', replace(fn, imp.ref), imp.edits)];
    },
  };
}

export default defineRule({
  id: 'SEC303',
  name: 'insecure-hash-class',
  local: true,
  summary: 'MD2, MD4, MD5 or SHA-1 from PyCryptodome or `cryptography`',
  owasp: { '2025': 'A04', '2021': 'A02' },
  cwe: [327, 328],
  severity: 'warning',
  confidence: 'medium',
  fix: 'sometimes',
  aliases: ['B303', 'S303'],
  tags: ['crypto'],
  nodeTypes: ['call'],
  check(call, ctx) {
    const name = ctx.callName(call);
    if (!name || !(name.startsWith('Crypto') || name.startsWith('cryptography.'))) return;
    const weak = pycryptoHash(call, name, ctx) ?? cryptographyHash(call, name, ctx);
    if (!weak) return;
    ctx.report(call.childForFieldName('function') ?? call, {
      message: `\`${weak.label}\` uses ${weak.algorithm}, a hash algorithm broken by practical collision attacks`,
      fixes: weak.fixes(),
    });
  },
  docs: {
    what: `Finds hash objects for MD2, MD4, MD5 and SHA-1 created with PyCrypto or PyCryptodome (\`Crypto.Hash.MD5.new()\`, \`Cryptodome.Hash.SHA.new()\`, ...) and with \`cryptography\` (\`hashes.MD5()\`, \`hashes.SHA1()\`). SHA-1 passed to OAEP or MGF1 padding, HMAC or a key derivation function is not reported: those constructions do not depend on collision resistance. \`hashlib\` is covered by SEC324.`,
    why: `MD5 collisions can be computed in seconds and SHA-1 chosen-prefix collisions are within reach of a modest budget (SHAttered in 2017, "SHA-1 is a Shambles" in 2020). A signature, certificate fingerprint, integrity check or deduplication key built on them can be matched by a forged document with the same digest. MD2 and MD4 are broken further still.`,
    example: `from Crypto.Hash import MD5
from cryptography.hazmat.primitives import hashes

digest = MD5.new(data).hexdigest()
signature = key.sign(data, padding.PKCS1v15(), hashes.SHA1())`,
    useInstead: `from Crypto.Hash import SHA256
from cryptography.hazmat.primitives import hashes

digest = SHA256.new(data).hexdigest()
signature = key.sign(data, padding.PKCS1v15(), hashes.SHA256())`,
    fixSafety: `The fix swaps the algorithm for SHA-256 and is unsafe: the digest changes value and length (32 bytes instead of 16 or 20), so stored digests, signatures made by other parties, database columns sized for the old digest and any protocol that fixes the algorithm stop matching. When the fix needs \`SHA256\` from PyCryptodome it adds \`from Crypto.Hash import SHA256\` (or \`Cryptodome.Hash\`).`,
    references: [
      { title: 'cryptography: Message digests (hashing)', url: 'https://cryptography.io/en/latest/hazmat/primitives/cryptographic-hashes/' },
      { title: 'SHAttered: the first SHA-1 collision', url: 'https://shattered.io/' },
      { title: 'NIST SP 800-131A Rev. 2: Transitioning the Use of Cryptographic Algorithms', url: 'https://csrc.nist.gov/pubs/sp/800/131/a/r2/final' },
      { title: 'OWASP Cryptographic Storage Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Cryptographic_Storage_Cheat_Sheet.html' },
    ],
  },
});
