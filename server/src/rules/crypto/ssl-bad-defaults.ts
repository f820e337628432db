import { defineRule } from '../../engine/rule';
import { insecureProtocol } from '../util/tls';

export default defineRule({
  id: 'SEC503',
  name: 'ssl-bad-defaults',
  local: true,
  summary: 'Function parameter that defaults to an insecure SSL/TLS protocol version',
  owasp: { '2025': 'A04', '2021': 'A02' },
  cwe: [327],
  severity: 'warning',
  confidence: 'medium',
  aliases: ['B503', 'S503'],
  tags: ['tls', 'ssl'],
  nodeTypes: ['default_parameter', 'typed_default_parameter'],
  check(param, ctx) {
    const value = param.childForFieldName('value');
    const p = insecureProtocol(value, ctx);
    if (!p) return;
    const name = param.childForFieldName('name')?.text ?? 'parameter';
    ctx.report(value!, {
      message: `\`${name}\` defaults to \`${p.name}\` (${p.version}): every caller that does not pass a version gets an insecure connection`,
      severity: p.broken ? 'error' : 'warning',
    });
  },
  docs: {
    what: 'Finds function parameters whose default value is an insecure protocol constant: `ssl.PROTOCOL_SSLv2`, `PROTOCOL_SSLv3`, `PROTOCOL_TLSv1`, `PROTOCOL_TLSv1_1`, pyOpenSSL\'s `SSLv2_METHOD` ... `TLSv1_1_METHOD` and `ssl.TLSVersion.SSLv3/TLSv1/TLSv1_1`.',
    why: 'A helper such as `def connect(host, ssl_version=ssl.PROTOCOL_TLSv1)` makes the insecure version the one every caller gets unless they know to override it, so one old default quietly downgrades all the connections of an application (see SEC502 for the attacks).',
    example: `import ssl

def open_connection(host, port, ssl_version=ssl.PROTOCOL_TLSv1):
    context = ssl.SSLContext(ssl_version)
    ...`,
    useInstead: `import ssl

def open_connection(host, port, minimum_version=ssl.TLSVersion.TLSv1_2):
    context = ssl.create_default_context()
    context.minimum_version = minimum_version
    ...`,
    references: [{ title: 'Python: ssl security considerations', url: 'https://docs.python.org/3/library/ssl.html#ssl-security' }],
  },
});
