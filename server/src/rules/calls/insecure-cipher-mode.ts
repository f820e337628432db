import type { Node } from '../../engine/parser';
import { defineRule, type RuleContext } from '../../engine/rule';
import { argument, callArgs, unparen } from '../../engine/syntax';

const ECB_CLASS = 'cryptography.hazmat.primitives.ciphers.modes.ECB';
/** `AES.new` and the other PyCrypto / PyCryptodome cipher constructors. */
const PYCRYPTO_NEW = /^(Crypto|Cryptodome)\.Cipher\.\w+\.new$/;
const PYCRYPTO_ECB = /^(Crypto|Cryptodome)\.Cipher\.\w+\.MODE_ECB$/;

/** Whether a mode argument names ECB: `AES.MODE_ECB`, however the module is imported. */
function isEcbMode(mode: Node, ctx: RuleContext): boolean {
  const n = unparen(mode);
  const resolved = ctx.resolve(n);
  if (resolved && PYCRYPTO_ECB.test(resolved)) return true;
  // `from Crypto.Cipher.AES import MODE_ECB` resolves to the constant's own module.
  return n.type === 'attribute' ? n.childForFieldName('attribute')?.text === 'MODE_ECB' : n.type === 'identifier' && n.text === 'MODE_ECB';
}

export default defineRule({
  id: 'SEC305',
  name: 'insecure-cipher-mode',
  local: true,
  summary: 'Block cipher in ECB mode, which shows patterns of the plaintext',
  owasp: { '2025': 'A04', '2021': 'A02' },
  cwe: [327],
  severity: 'error',
  confidence: 'high',
  fix: 'none',
  aliases: ['B305', 'S305'],
  tags: ['crypto'],
  nodeTypes: ['call'],
  check(call, ctx) {
    const name = ctx.callName(call);
    if (!name) return;
    const label = `${ctx.textOf(call.childForFieldName('function')!).replace(/\s+/g, '')}()`;
    if (name === ECB_CLASS) {
      ctx.report(call, { message: `\`${label}\` selects ECB mode, which encrypts equal blocks to equal ciphertext` });
      return;
    }
    if (!PYCRYPTO_NEW.test(name)) return;
    const mode = argument(callArgs(call), 1, 'mode');
    if (!mode || !isEcbMode(mode, ctx)) return;
    ctx.report(call, { message: `\`${label}\` is called with \`${ctx.textOf(unparen(mode))}\`, ECB mode, which encrypts equal blocks to equal ciphertext` });
  },
  docs: {
    what: 'Finds the ECB mode of operation: `cryptography`\'s `modes.ECB()` and PyCrypto / PyCryptodome `AES.new(key, AES.MODE_ECB)` (any `Crypto.Cipher` or `Cryptodome.Cipher` module, mode given by position or as `mode=`), however they are imported. There is no automatic fix: any other mode needs a nonce or IV that must be generated per message and stored with the ciphertext, and data already encrypted must be migrated. Use AES-GCM (`AESGCM` in `cryptography`, `AES.MODE_GCM` in PyCryptodome) or ChaCha20-Poly1305.',
    why: 'ECB encrypts each block on its own with the same key, so equal plaintext blocks give equal ciphertext blocks: the structure of the data shows through (the well-known "ECB penguin"), blocks can be cut, reordered and replayed between messages, and an attacker who can get chosen data encrypted next to a secret (a cookie, a token) can recover it byte by byte. ECB also provides no integrity.',
    example: `from Crypto.Cipher import AES

cipher = AES.new(key, AES.MODE_ECB)
token = cipher.encrypt(pad(session_data, 16))`,
    useInstead: `from Crypto.Cipher import AES

# An authenticated mode with a fresh nonce per message (GCM, or ChaCha20-Poly1305).
cipher = AES.new(key, AES.MODE_GCM)
ciphertext, tag = cipher.encrypt_and_digest(session_data)
token = cipher.nonce + tag + ciphertext`,
    references: [
      { title: 'OWASP Cryptographic Storage Cheat Sheet: cipher modes', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Cryptographic_Storage_Cheat_Sheet.html#cipher-modes' },
      { title: 'cryptography: modes.ECB', url: 'https://cryptography.io/en/latest/hazmat/primitives/symmetric-encryption/#cryptography.hazmat.primitives.ciphers.modes.ECB' },
    ],
  },
});
