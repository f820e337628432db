import type { Node } from '../../engine/parser';
import { defineRule, fix, replace, type RuleContext } from '../../engine/rule';
import { argument, callArgs, calleeTail, stringValue, unparen } from '../../engine/syntax';
import type { Fix } from '../../engine/types';
import { numberValue } from '../util/durations';

const ASYM = 'cryptography.hazmat.primitives.asymmetric';

/** Key-size arguments: call name -> [algorithm, position, keyword]. */
const SIZED: Record<string, [string, number, string]> = {
  [`${ASYM}.rsa.generate_private_key`]: ['RSA', 1, 'key_size'],
  [`${ASYM}.dsa.generate_private_key`]: ['DSA', 0, 'key_size'],
  [`${ASYM}.dsa.generate_parameters`]: ['DSA', 0, 'key_size'],
  [`${ASYM}.dh.generate_parameters`]: ['DH', 1, 'key_size'],
  'Crypto.PublicKey.RSA.generate': ['RSA', 0, 'bits'],
  'Crypto.PublicKey.DSA.generate': ['DSA', 0, 'bits'],
  'Cryptodome.PublicKey.RSA.generate': ['RSA', 0, 'bits'],
  'Cryptodome.PublicKey.DSA.generate': ['DSA', 0, 'bits'],
  'paramiko.RSAKey.generate': ['RSA', 0, 'bits'],
  'paramiko.rsakey.RSAKey.generate': ['RSA', 0, 'bits'],
  'paramiko.DSSKey.generate': ['DSA', 0, 'bits'],
  'rsa.newkeys': ['RSA', 0, 'nbits'],
};

/** Elliptic curves below 224 bits in `cryptography`. */
const WEAK_CURVES: Record<string, number> = { SECP192R1: 192, SECT163K1: 163, SECT163R2: 163 };
/** PyCryptodome `ECC.generate(curve=...)` names of P-192. */
const WEAK_ECC_NAMES = new Set(['p-192', 'p192', 'nist p-192', 'secp192r1', 'prime192v1']);

function sizeReport(arg: Node, algorithm: string, ctx: RuleContext): void {
  const bits = numberValue(arg, ctx);
  if (bits === null || bits >= 2048 || bits <= 0) return;
  const literal = unparen(arg);
  const fixes: Fix[] = literal.type === 'integer' ? [fix('Use a 2048-bit key', 'unsafe', replace(literal, '2048'))] : [];
  ctx.report(arg.parent?.type === 'keyword_argument' ? arg.parent : arg, {
    message: `${bits}-bit ${algorithm} key${bits < 1024 ? ' can be factored with modest resources' : ' is below the 2048-bit minimum (NIST SP 800-131A)'}; use at least 2048 bits`,
    severity: bits < 1024 ? 'error' : 'warning',
    confidence: 'high',
    fixes,
  });
}

export default defineRule({
  id: 'SEC505',
  name: 'weak-cryptographic-key',
  local: true,
  summary: 'RSA/DSA/DH key shorter than 2048 bits or elliptic curve below 224 bits',
  owasp: { '2025': 'A04', '2021': 'A02' },
  cwe: [326],
  severity: 'warning',
  confidence: 'high',
  fix: 'sometimes',
  aliases: ['B505', 'S505'],
  tags: ['cryptography', 'pycryptodome', 'paramiko'],
  nodeTypes: ['call'],
  check(call, ctx) {
    const name = ctx.callName(call) ?? '';
    const args = callArgs(call);
    const sized = SIZED[name];
    if (sized) {
      const arg = argument(args, sized[1], sized[2]);
      if (arg) sizeReport(arg, sized[0], ctx);
      return;
    }
    if (name === `${ASYM}.ec.generate_private_key` || name === `${ASYM}.ec.derive_private_key`) {
      const curve = argument(args, name.endsWith('generate_private_key') ? 0 : 1, 'curve');
      if (!curve) return;
      const c = unparen(curve);
      const target = c.type === 'call' ? c.childForFieldName('function') : c;
      const q = ctx.resolve(target) ?? '';
      const m = /\.ec\.(\w+)$/.exec(q);
      const bits = m && q.startsWith(ASYM) ? WEAK_CURVES[m[1]!] : undefined;
      if (!bits) return;
      const attr = target?.type === 'attribute' ? target.childForFieldName('attribute') : null;
      ctx.report(curve, {
        message: `${m![1]} is a ${bits}-bit elliptic curve, below the 224-bit minimum; use SECP256R1 or stronger`,
        fixes: attr ? [fix('Use SECP256R1', 'unsafe', replace(attr, 'SECP256R1'))] : [],
      });
      return;
    }
    if (/^Crypto(dome)?\.PublicKey\.ECC\.generate$/.test(name)) {
      const curve = args.keywords.get('curve');
      const v = stringValue(curve);
      if (curve && v !== null && WEAK_ECC_NAMES.has(v.toLowerCase())) {
        ctx.report(curve.parent!, { message: `ECC curve "${v}" has 192 bits, below the 224-bit minimum; use "P-256" or stronger`, fixes: [fix('Use P-256', 'unsafe', replace(curve, '"P-256"'))] });
      }
      return;
    }
    // pyOpenSSL: `key.generate_key(crypto.TYPE_RSA, 1024)`.
    if (calleeTail(call) === 'generate_key') {
      const type = ctx.resolve(argument(args, 0, 'type'));
      const m = /^OpenSSL\.crypto\.TYPE_(RSA|DSA)$/.exec(type ?? '');
      const bits = argument(args, 1, 'bits');
      if (m && bits) sizeReport(bits, m[1]!, ctx);
    }
  },
  docs: {
    what: 'Finds key generation with too few bits: RSA, DSA and DH below 2048 bits in `cryptography` (`rsa.generate_private_key(key_size=...)`, `dsa.generate_private_key`, `dsa.generate_parameters`, `dh.generate_parameters`), PyCryptodome/PyCrypto (`RSA.generate(1024)`, `DSA.generate`), Paramiko (`RSAKey.generate`, `DSSKey.generate`), python-rsa (`rsa.newkeys`) and pyOpenSSL (`key.generate_key(crypto.TYPE_RSA, 1024)`); and elliptic curves below 224 bits (`ec.SECP192R1`, `SECT163K1`, `SECT163R2`, PyCryptodome `ECC.generate(curve="P-192")`). Key sizes given as constants or constant names are evaluated. Below 1024 bits is an error, below 2048 a warning.',
    why: '512-bit RSA keys are factored in hours on rented cloud machines and 768-bit keys have been publicly factored; 1024-bit RSA/DSA/DH is within reach of well-funded attackers (Logjam showed 1024-bit DH precomputation), and NIST disallowed it for signatures and key exchange after 2013. Whoever factors the key can forge signatures, impersonate the server or decrypt recorded traffic.',
    example: `from cryptography.hazmat.primitives.asymmetric import rsa

key = rsa.generate_private_key(public_exponent=65537, key_size=1024)`,
    useInstead: `from cryptography.hazmat.primitives.asymmetric import rsa

key = rsa.generate_private_key(public_exponent=65537, key_size=3072)`,
    fixSafety: 'For a literal size the fix writes 2048 (for curves, `SECP256R1` / `"P-256"`). It is unsafe: generating a larger key is slower, signatures and ciphertexts get longer, and peers or stored formats that expect the old size (fixed-length fields, old hardware, other software pinned to a key size) may not accept it. Existing keys are not affected; rotate them separately.',
    references: [
      { title: 'NIST SP 800-131A Rev. 2: Transitioning the Use of Cryptographic Algorithms and Key Lengths', url: 'https://csrc.nist.gov/publications/detail/sp/800-131a/rev-2/final' },
      { title: 'cryptography: RSA key generation', url: 'https://cryptography.io/en/latest/hazmat/primitives/asymmetric/rsa/' },
    ],
  },
});
