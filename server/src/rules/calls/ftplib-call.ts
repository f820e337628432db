import { defineRule } from '../../engine/rule';

export default defineRule({
  id: 'SEC321',
  name: 'ftplib-call',
  local: true,
  summary: '`ftplib.FTP` sends credentials and files in clear text',
  owasp: { '2025': 'A04', '2021': 'A02' },
  cwe: [319],
  severity: 'warning',
  confidence: 'high',
  fix: 'none',
  aliases: ['B321', 'S321'],
  tags: ['network'],
  nodeTypes: ['call'],
  check(call, ctx) {
    if (ctx.callName(call) !== 'ftplib.FTP') return;
    ctx.report(call, {
      message: `\`${ctx.textOf(call.childForFieldName('function')!).replace(/\s+/g, '')}()\` opens a plain FTP connection, which sends the password and files unencrypted`,
    });
  },
  docs: {
    what: 'Finds plain FTP connections, `ftplib.FTP(...)`, however `ftplib` is imported. `ftplib.FTP_TLS` is not reported. There is no automatic fix: replacing `FTP` by `FTP_TLS` encrypts the login but leaves file transfers in clear text until the code also calls `prot_p()`, and servers that do not offer TLS refuse the connection, so the change has to be made and tested by hand.',
    why: 'FTP sends the user name, the password, and every file and directory listing in clear text. Anyone on the network path can capture the credentials (often reused for SSH or the hosting panel) and read or replace the files being transferred, for example a deployment archive or a data export.',
    example: `from ftplib import FTP

with FTP("ftp.example.com") as ftp:
    ftp.login(user, password)
    ftp.storbinary("STOR export.csv", fh)`,
    useInstead: `from ftplib import FTP_TLS

with FTP_TLS("ftp.example.com") as ftp:
    ftp.login(user, password)  # the control connection is encrypted first
    ftp.prot_p()  # encrypt file transfers too
    ftp.storbinary("STOR export.csv", fh)

# Or use SFTP (paramiko, asyncssh) where the server offers SSH.`,
    references: [
      { title: 'Python docs: ftplib.FTP_TLS', url: 'https://docs.python.org/3/library/ftplib.html#ftplib.FTP_TLS' },
      { title: 'CWE-319: Cleartext Transmission of Sensitive Information', url: 'https://cwe.mitre.org/data/definitions/319.html' },
    ],
  },
});
