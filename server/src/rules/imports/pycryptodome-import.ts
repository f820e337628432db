import { importBlacklistRule } from './blacklist';

export default importBlacklistRule({
  id: 'SEC414',
  name: 'pycryptodome-import',
  summary: '`Cryptodome` (pycryptodomex) imported: consider pyca/cryptography (Bandit retired B414)',
  owasp: { '2025': 'A04', '2021': 'A02' },
  cwe: [1104],
  severity: 'info',
  confidence: 'low',
  // Bandit removed B414 and Ruff never had S414; the alias keeps old `# nosec B414` comments mapped.
  aliases: ['B414'],
  tags: ['crypto', 'dependency'],
  enabledByDefault: false,
  skipTests: true,
  modules: ['Cryptodome'],
  message: (m) => `\`${m}\` is imported from pycryptodomex; pyca/cryptography is the more widely reviewed choice for new code`,
  docs: {
    what: 'Reports imports from the `Cryptodome` package of pycryptodomex (`from Cryptodome.Cipher import AES`, `import Cryptodome.Hash`). This mirrors Bandit\'s B414 `import_pycryptodome`, **which Bandit has removed**: pycryptodome is maintained and fixes its vulnerabilities, so importing it is not a weakness in itself. The rule exists so that the id stays mappable (`# nosec B414` comments and Bandit configurations that name B414 keep working) and for teams that standardise on one crypto library. Off by default; test files and `if TYPE_CHECKING:` imports are skipped.',
    why: "pycryptodome is a low-level toolkit: it hands you `AES.new(key, AES.MODE_CBC)` and leaves padding, authentication, nonce handling and key derivation to the caller, which is where cryptographic bugs come from (an unauthenticated CBC mode gives a padding oracle; a reused CTR nonce reveals the XOR of two messages). pyca/cryptography offers the same primitives plus high-level recipes (`Fernet`, `AESGCM`) that are hard to misuse, and is the library most Python security reviews expect. Using one library across a codebase also means one set of APIs to review.",
    example: `from Cryptodome.Cipher import AES

def seal(key, data):
    cipher = AES.new(key, AES.MODE_CBC)
    return cipher.iv + cipher.encrypt(pad(data, 16))`,
    useInstead: `from cryptography.fernet import Fernet

def seal(key, data):
    return Fernet(key).encrypt(data)`,
    references: [
      { title: 'Bandit blacklist imports (B414, removed)', url: 'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_imports.html#b414-import-pycryptodome' },
      { title: 'PyCryptodome documentation', url: 'https://pycryptodome.readthedocs.io/' },
      { title: 'pyca/cryptography: Fernet (symmetric encryption)', url: 'https://cryptography.io/en/latest/fernet/' },
    ],
  },
});
