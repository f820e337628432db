import { importBlacklistRule } from './blacklist';

export default importBlacklistRule({
  id: 'SEC415',
  name: 'pyghmi-import',
  summary: '`pyghmi` imported: IPMI exposes password hashes and lets anyone on the network reach the BMC',
  owasp: { '2025': 'A04', '2021': 'A02' },
  cwe: [319],
  severity: 'warning',
  confidence: 'high',
  aliases: ['B415', 'S415'],
  tags: ['ipmi', 'network'],
  enabledByDefault: false,
  skipTests: true,
  modules: ['pyghmi'],
  message: (m) => `\`${m}\` is imported: IPMI leaks password hashes to unauthenticated clients; prefer Redfish over HTTPS`,
  docs: {
    what: 'Reports imports of `pyghmi`, the IPMI client library (`from pyghmi.ipmi import command`, `import pyghmi.ipmi.command`, `importlib.import_module("pyghmi")`). Off by default; test files and `if TYPE_CHECKING:` imports are skipped.',
    why: "IPMI 2.0's RAKP handshake sends the salted HMAC of the user's password to any client that asks for a session, before the client has proved anything, so an attacker who can reach the BMC's UDP port 623 collects hashes and cracks them offline (CVE-2013-4786; it is in the protocol and cannot be patched). Many BMCs also accept cipher suite 0, which skips authentication entirely. The BMC controls power, boot media and the console of the server it sits in, so its password is worth more than most. Redfish over HTTPS, on an isolated management network, is the modern replacement.",
    example: `from pyghmi.ipmi import command

def power_cycle(bmc, user, password):
    ipmi = command.Command(bmc=bmc, userid=user, password=password)
    ipmi.set_power("reset")`,
    useInstead: `import requests

def power_cycle(bmc, session):
    # Redfish over HTTPS, with certificate verification and a token session
    session.post(f"https://{bmc}/redfish/v1/Systems/1/Actions/ComputerSystem.Reset",
                 json={"ResetType": "ForceRestart"}, timeout=30)`,
    references: [
      { title: 'Bandit B415: import_pyghmi', url: 'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_imports.html#b415-import-pyghmi' },
      { title: 'CVE-2013-4786: IPMI 2.0 RAKP password hash disclosure', url: 'https://nvd.nist.gov/vuln/detail/CVE-2013-4786' },
      { title: 'CWE-319: Cleartext Transmission of Sensitive Information', url: 'https://cwe.mitre.org/data/definitions/319.html' },
    ],
  },
});
