import { defineRule } from '../../engine/rule';

export default defineRule({
  id: 'SEC312',
  name: 'telnetlib-call',
  local: true,
  summary: '`telnetlib.Telnet` sends credentials and data in clear text',
  owasp: { '2025': 'A04', '2021': 'A02' },
  cwe: [319],
  severity: 'error',
  confidence: 'high',
  fix: 'none',
  aliases: ['B312', 'S312'],
  tags: ['network'],
  nodeTypes: ['call'],
  check(call, ctx) {
    if (ctx.callName(call) !== 'telnetlib.Telnet') return;
    ctx.report(call, {
      message: `\`${ctx.textOf(call.childForFieldName('function')!).replace(/\s+/g, '')}()\` opens a Telnet connection, which sends passwords and data unencrypted`,
    });
  },
  docs: {
    what: 'Finds `telnetlib.Telnet(...)` connections, however `telnetlib` is imported. There is no automatic fix: SSH is a different protocol with a different library (`paramiko`, `asyncssh`, `fabric`) and usually a different server setup.',
    why: 'Telnet has no encryption and no server authentication. The login prompt, the password typed into it and every command and reply cross the network in clear text, so anyone on the path (a shared network segment, a compromised switch or router) reads the credentials and can take over or inject into the session. `telnetlib` was deprecated by PEP 594 and removed in Python 3.13.',
    example: `import telnetlib

tn = telnetlib.Telnet(host)
tn.read_until(b"login: ")
tn.write(user.encode() + b"\\n")`,
    useInstead: `import paramiko

client = paramiko.SSHClient()
client.load_system_host_keys()
client.connect(host, username=user, key_filename=key_path)
stdin, stdout, stderr = client.exec_command("show version")`,
    references: [
      { title: 'PEP 594: Removing dead batteries from the standard library (telnetlib)', url: 'https://peps.python.org/pep-0594/#telnetlib' },
      { title: 'CWE-319: Cleartext Transmission of Sensitive Information', url: 'https://cwe.mitre.org/data/definitions/319.html' },
    ],
  },
});
