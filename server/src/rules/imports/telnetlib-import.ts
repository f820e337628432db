import { importBlacklistRule } from './blacklist';

export default importBlacklistRule({
  id: 'SEC401',
  name: 'telnetlib-import',
  summary: '`telnetlib` imported: Telnet sends credentials and data in cleartext',
  owasp: { '2025': 'A04', '2021': 'A02' },
  cwe: [319],
  severity: 'warning',
  confidence: 'high',
  aliases: ['B401', 'S401'],
  tags: ['cleartext', 'network'],
  // An import is a lead for review, not a defect: off unless selected.
  enabledByDefault: false,
  skipTests: true,
  modules: ['telnetlib', 'telnetlib3'],
  message: (m) => `\`${m}\` is imported: Telnet sends passwords and data in cleartext`,
  docs: {
    what: 'Reports `import telnetlib` (and `telnetlib3`), `from telnetlib import Telnet`, and `importlib.import_module("telnetlib")` with a literal name. Off by default: it is an audit rule that points at every place the program speaks Telnet. Test files are not reported, and neither are imports inside `if TYPE_CHECKING:`.',
    why: "Telnet has no encryption and no server authentication. The login prompt, the password typed into it and every command and reply cross the network as plain text, so anyone on the path (a shared Wi-Fi, a compromised switch, a cloud provider's mirror port) reads the credentials of the device being automated and can inject commands into the session. `telnetlib` was deprecated in Python 3.11 and removed in 3.13 for this reason (PEP 594).",
    example: `import telnetlib

def reboot(host, user, password):
    tn = telnetlib.Telnet(host)
    tn.read_until(b"login: ")
    tn.write(user.encode() + b"\\n")
    tn.read_until(b"Password: ")
    tn.write(password.encode() + b"\\n")
    tn.write(b"reload\\n")`,
    useInstead: `import paramiko

def reboot(host, user, key_file):
    client = paramiko.SSHClient()
    client.load_system_host_keys()
    client.connect(host, username=user, key_filename=key_file)
    client.exec_command("reload")`,
    references: [
      { title: 'Bandit B401: import_telnetlib', url: 'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_imports.html#b401-import-telnetlib' },
      { title: 'PEP 594: Removing dead batteries from the standard library (telnetlib)', url: 'https://peps.python.org/pep-0594/#telnetlib' },
      { title: 'CWE-319: Cleartext Transmission of Sensitive Information', url: 'https://cwe.mitre.org/data/definitions/319.html' },
    ],
  },
});
