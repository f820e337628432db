import { importBlacklistRule } from './blacklist';

export default importBlacklistRule({
  id: 'SEC402',
  name: 'ftplib-import',
  summary: '`ftplib` imported for plain FTP, which sends credentials and files in cleartext',
  owasp: { '2025': 'A04', '2021': 'A02' },
  cwe: [319],
  severity: 'warning',
  confidence: 'high',
  aliases: ['B402', 'S402'],
  tags: ['cleartext', 'network'],
  enabledByDefault: false,
  skipTests: true,
  modules: ['ftplib'],
  // FTP_TLS is the encrypted client; the error classes are harmless too.
  harmless: { ftplib: ['FTP_TLS', 'error_reply', 'error_temp', 'error_perm', 'error_proto', 'all_errors', 'Error'] },
  message: (m) => `\`${m}\` is imported: plain FTP sends the login and the files in cleartext`,
  docs: {
    what: 'Reports imports of `ftplib` (`import ftplib`, `from ftplib import FTP`, `importlib.import_module("ftplib")`). An import used only for `FTP_TLS` (the encrypted client) or the error classes is not reported, so `from ftplib import FTP_TLS` is quiet. Off by default; test files and `if TYPE_CHECKING:` imports are skipped.',
    why: "FTP sends `USER` and `PASS` as plain text on the control connection and the files on a second, equally unencrypted connection. Anyone who can observe the traffic collects the account's password and the data, and can alter a file in transit (a release archive, a price list, a configuration) without either side noticing. `ftplib.FTP_TLS` with `prot_p()` encrypts both connections; SFTP over SSH is the usual replacement.",
    example: `from ftplib import FTP

def upload(path):
    ftp = FTP("ftp.example.com")
    ftp.login("deploy", "s3cret")
    with open(path, "rb") as f:
        ftp.storbinary("STOR report.csv", f)`,
    useInstead: `import ssl
from ftplib import FTP_TLS

def upload(path):
    ftp = FTP_TLS("ftp.example.com", context=ssl.create_default_context())
    ftp.login("deploy", password_from_vault())
    ftp.prot_p()  # encrypt the data connection too
    with open(path, "rb") as f:
        ftp.storbinary("STOR report.csv", f)`,
    references: [
      { title: 'Bandit B402: import_ftplib', url: 'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_imports.html#b402-import-ftplib' },
      { title: 'Python docs: ftplib.FTP_TLS', url: 'https://docs.python.org/3/library/ftplib.html#ftplib.FTP_TLS' },
      { title: 'CWE-319: Cleartext Transmission of Sensitive Information', url: 'https://cwe.mitre.org/data/definitions/319.html' },
    ],
  },
});
