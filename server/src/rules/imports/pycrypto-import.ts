import type { RuleContext } from '../../engine/rule';
import { importBlacklistRule } from './blacklist';

/**
 * Names only pycryptodome has (it installs under the same `Crypto` package name as PyCrypto):
 * code that uses one of them runs on the maintained library, not on PyCrypto 2.6.
 */
const PYCRYPTODOME_ONLY = /\b(?:MODE_GCM|MODE_EAX|MODE_SIV|MODE_OCB|MODE_CCM|ChaCha20_Poly1305|XChaCha20|ChaCha20|SHA3_(?:224|256|384|512)|BLAKE2[bs]|SHAKE(?:128|256)|KangarooTwelve|ECC|DSS|eddsa|pkcs1_15|Padding|scrypt|bcrypt|HKDF|Poly1305)\b/;

/**
 * A literal in every match of `PYCRYPTODOME_ONLY`. Searching for these is several times faster
 * than the regex over a large file that has none of them, which is most files; the check runs
 * on every keystroke (the rule's file key).
 */
const PYCRYPTODOME_HINTS = ['MODE_', 'ChaCha20', 'SHA3_', 'BLAKE2', 'SHAKE', 'KangarooTwelve', 'ECC', 'DSS', 'eddsa', 'pkcs1_15', 'Padding', 'crypt', 'HKDF', 'Poly1305'];

function isPycryptodome(ctx: RuleContext): boolean {
  return ctx.memo('imports:pycryptodome-only', () => PYCRYPTODOME_HINTS.some((h) => ctx.text.includes(h)) && PYCRYPTODOME_ONLY.test(ctx.text));
}

export default importBlacklistRule({
  id: 'SEC413',
  name: 'pycrypto-import',
  summary: '`Crypto` imported from PyCrypto, unmaintained since 2013 and with known CVEs',
  owasp: { '2025': 'A03', '2021': 'A06' },
  cwe: [1104],
  severity: 'warning',
  // pycryptodome installs under the same `Crypto` name; the file alone cannot always tell.
  confidence: 'medium',
  aliases: ['B413', 'S413'],
  tags: ['crypto', 'dependency'],
  // An unmaintained crypto library with known CVEs is a defect, not a lead: on by default.
  enabledByDefault: true,
  // The dependency is installed whether a test or the app imports it.
  skipTests: false,
  modules: ['Crypto'],
  skipFile: isPycryptodome,
  message: (m) => `\`${m}\` comes from PyCrypto, unmaintained since 2013 with known CVEs (unless pycryptodome provides it); use \`cryptography\` or \`pycryptodomex\``,
  docs: {
    what: 'Reports imports from the `Crypto` package (`from Crypto.Cipher import AES`, `import Crypto.Hash.SHA256`, `importlib.import_module("Crypto.Random")`). pycryptodome, the maintained drop-in replacement, installs under the same `Crypto` name; a file that uses a name only pycryptodome has (`MODE_GCM`, `ChaCha20`, `ECC`, `Crypto.Util.Padding`, `pkcs1_15`, `scrypt`...) is therefore not reported, and the confidence is medium. Imports inside `if TYPE_CHECKING:` are skipped; test files are reported, because the library is installed either way. There is no quick fix: neither `cryptography` nor `pycryptodomex` (`Cryptodome`) has the same API as PyCrypto (RSA `encrypt()`, `Random.atfork()`, default cipher modes and key checks all differ), so the migration needs a person.',
    why: "PyCrypto's last release, 2.6.1, dates from 2013. It has a heap buffer overflow in `ALGnew` reachable through `AES.new` with a crafted IV (CVE-2013-7459, arbitrary code execution) and generates ElGamal keys without semantic security (CVE-2018-6594); no fix will ever ship for either. It also lacks modern authenticated modes (no GCM, EAX or ChaCha20-Poly1305), which pushes code towards unauthenticated CBC and padding-oracle bugs. Projects that still depend on it usually do so by accident, through an old requirements file.",
    example: `from Crypto.Cipher import AES

def encrypt(key, iv, data):
    return AES.new(key, AES.MODE_CBC, iv).encrypt(data)`,
    useInstead: `from cryptography.hazmat.primitives.ciphers.aead import AESGCM

def encrypt(key, nonce, data):
    return AESGCM(key).encrypt(nonce, data, None)`,
    references: [
      { title: 'Bandit B413: import_pycrypto', url: 'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_imports.html#b413-import-pycrypto' },
      { title: 'CVE-2013-7459: PyCrypto ALGnew heap overflow', url: 'https://nvd.nist.gov/vuln/detail/CVE-2013-7459' },
      { title: 'pyca/cryptography', url: 'https://cryptography.io/' },
      { title: 'PyCryptodome: differences from PyCrypto', url: 'https://pycryptodome.readthedocs.io/en/latest/src/vs_pycrypto.html' },
    ],
  },
});
