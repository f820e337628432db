import { defineRule } from '../../engine/rule';
import { callArgs } from '../../engine/syntax';

export default defineRule({
  id: 'SEC504',
  name: 'ssl-no-version',
  local: true,
  summary: '`ssl.wrap_socket()` (removed in Python 3.12): no certificate or hostname checks by default',
  owasp: { '2025': 'A04', '2021': 'A02' },
  cwe: [295, 327],
  severity: 'warning',
  confidence: 'high',
  aliases: ['B504', 'S504'],
  tags: ['tls', 'ssl'],
  nodeTypes: ['call'],
  appliesTo: (_file, facts) => facts.importedModules.has('ssl'),
  check(call, ctx) {
    if (ctx.callName(call) !== 'ssl.wrap_socket') return;
    const args = callArgs(call);
    if (args.hasStarKwargs || args.keywords.has('ssl_version') || args.positional.length > 5) return;
    const verifies = ctx.resolve(args.keywords.get('cert_reqs')) === 'ssl.CERT_REQUIRED';
    ctx.report(call, {
      message: verifies
        ? '`ssl.wrap_socket()` without `ssl_version` is deprecated and was removed in Python 3.12, and it never checks the hostname; use `ssl.create_default_context().wrap_socket(sock, server_hostname=host)`'
        : '`ssl.wrap_socket()` without `ssl_version` does not verify the certificate or hostname by default and was removed in Python 3.12; use `ssl.create_default_context().wrap_socket(sock, server_hostname=host)`',
      severity: verifies ? 'info' : 'warning',
      confidence: verifies ? 'medium' : 'high',
    });
  },
  docs: {
    what: 'Finds calls of the module-level `ssl.wrap_socket()` that do not choose a protocol version (`ssl_version=`). Calls that pass an insecure version are SEC502\'s; `SSLContext.wrap_socket()` is not reported.',
    why: '`ssl.wrap_socket()` predates `SSLContext`: by default it uses `cert_reqs=CERT_NONE`, so any certificate is accepted, and it never checks that the certificate belongs to the host, so a man-in-the-middle can present their own certificate and read the traffic. It was deprecated in Python 3.7 and removed in 3.12, where the call raises `AttributeError`.',
    example: `import socket, ssl

sock = socket.create_connection((host, 443))
tls = ssl.wrap_socket(sock)`,
    useInstead: `import socket, ssl

context = ssl.create_default_context()
sock = socket.create_connection((host, 443))
tls = context.wrap_socket(sock, server_hostname=host)`,
    references: [{ title: 'Python: ssl.SSLContext.wrap_socket', url: 'https://docs.python.org/3/library/ssl.html#ssl.SSLContext.wrap_socket' }],
  },
});
