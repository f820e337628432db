import { defineRule } from '../../engine/rule';

/** PyCrypto / PyCryptodome cipher modules whose `new()` makes a weak cipher, with a label. */
const PYCRYPTO: Record<string, string> = {
  ARC2: 'RC2',
  ARC4: 'RC4',
  Blowfish: 'Blowfish',
  CAST: 'CAST5',
  DES: 'DES',
  DES3: 'Triple DES',
  XOR: 'XOR',
};

/** `cryptography` algorithm classes (also in `cryptography.hazmat.decrepit`), with a label. */
const CRYPTOGRAPHY: Record<string, string> = {
  ARC4: 'RC4',
  Blowfish: 'Blowfish',
  CAST5: 'CAST5',
  IDEA: 'IDEA',
  RC2: 'RC2',
  SEED: 'SEED',
  TripleDES: 'Triple DES',
};

const WEAK = new Map<string, string>();
for (const pkg of ['Crypto', 'Cryptodome']) {
  for (const [mod, label] of Object.entries(PYCRYPTO)) WEAK.set(`${pkg}.Cipher.${mod}.new`, label);
}
for (const base of ['cryptography.hazmat.primitives.ciphers.algorithms', 'cryptography.hazmat.decrepit.ciphers.algorithms']) {
  for (const [cls, label] of Object.entries(CRYPTOGRAPHY)) WEAK.set(`${base}.${cls}`, label);
}

export default defineRule({
  id: 'SEC304',
  name: 'insecure-cipher',
  local: true,
  summary: 'Broken or legacy cipher (DES, Triple DES, RC4, RC2, Blowfish, IDEA, CAST5, SEED, XOR)',
  owasp: { '2025': 'A04', '2021': 'A02' },
  cwe: [327],
  severity: 'error',
  confidence: 'high',
  fix: 'none',
  aliases: ['B304', 'S304'],
  tags: ['crypto'],
  nodeTypes: ['call'],
  check(call, ctx) {
    const name = ctx.callName(call);
    const label = name ? WEAK.get(name) : undefined;
    if (!label) return;
    ctx.report(call, {
      message: `\`${ctx.textOf(call.childForFieldName('function')!).replace(/\s+/g, '')}()\` uses ${label}, a broken or legacy cipher`,
    });
  },
  docs: {
    what: 'Finds ciphers made with PyCrypto / PyCryptodome (`Crypto.Cipher` or `Cryptodome.Cipher` `ARC2`, `ARC4`, `Blowfish`, `CAST`, `DES`, `DES3`, `XOR` `.new()`) and with `cryptography` (`algorithms.ARC4`, `Blowfish`, `CAST5`, `IDEA`, `RC2`, `SEED`, `TripleDES`, from `cryptography.hazmat.primitives.ciphers.algorithms` or `cryptography.hazmat.decrepit.ciphers.algorithms`), however they are imported. There is no automatic fix: a different cipher needs a different key size and cannot decrypt existing data. Use AES-GCM or ChaCha20-Poly1305 (`cryptography.hazmat.primitives.ciphers.aead`), or Fernet for simple symmetric encryption.',
    why: 'DES keys (56 bits) are brute-forced in hours; RC4 has keystream biases that recovered cookies and passwords from TLS (RFC 7465 prohibits it); XOR "encryption" is undone with one known plaintext. The 64-bit block ciphers (Triple DES, Blowfish, IDEA, CAST5, RC2) repeat blocks after a few tens of gigabytes, which the Sweet32 attack used to recover HTTP cookies, and NIST withdrew Triple DES in 2023. Data encrypted with them can be read by an attacker who captures it, today or later.',
    example: `from Crypto.Cipher import DES

cipher = DES.new(key, DES.MODE_CBC, iv)
token = cipher.encrypt(pad(payload, 8))`,
    useInstead: `from cryptography.hazmat.primitives.ciphers.aead import AESGCM

nonce = os.urandom(12)
token = nonce + AESGCM(key).encrypt(nonce, payload, None)`,
    references: [
      { title: 'OWASP Cryptographic Storage Cheat Sheet: algorithms', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Cryptographic_Storage_Cheat_Sheet.html#algorithms' },
      { title: 'Sweet32: birthday attacks on 64-bit block ciphers', url: 'https://sweet32.info/' },
      { title: 'cryptography: decrepit (legacy) ciphers', url: 'https://cryptography.io/en/latest/hazmat/decrepit/ciphers/' },
    ],
  },
});
