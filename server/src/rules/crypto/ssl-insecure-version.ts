import type { Node } from '../../engine/parser';
import { defineRule, fix, replace } from '../../engine/rule';
import { argument, callArgs, stringValue } from '../../engine/syntax';
import { insecureProtocol, insecureProtocolValue, type InsecureProtocol } from '../util/tls';

/** Calls whose protocol argument comes first: `ssl.SSLContext(proto)`, `SSL.Context(method)`. */
const CONTEXT_CALLS = new Set(['ssl.SSLContext', 'OpenSSL.SSL.Context']);

function message(p: InsecureProtocol, where: string): string {
  const why = p.broken ? `${p.version} is broken (POODLE, DROWN)` : `${p.version} is deprecated (RFC 8996) and lacks modern cipher suites`;
  return `${where} \`${p.name}\`: ${why}; use TLS 1.2 or later`;
}

export default defineRule({
  id: 'SEC502',
  name: 'ssl-insecure-version',
  local: true,
  summary: 'SSL/TLS connection pinned to SSLv2, SSLv3, TLS 1.0 or TLS 1.1',
  owasp: { '2025': 'A04', '2021': 'A02' },
  cwe: [327],
  severity: 'error',
  confidence: 'high',
  fix: 'sometimes',
  aliases: ['B502', 'S502'],
  tags: ['tls', 'ssl', 'pyopenssl'],
  nodeTypes: ['call', 'assignment'],
  check(node, ctx) {
    if (node.type === 'assignment') {
      // `ctx.minimum_version = ssl.TLSVersion.TLSv1` / `maximum_version = ...`.
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left?.type === 'subscript' && ['ssl_version', 'method', 'protocol'].includes(stringValue(left.childForFieldName('subscript')) ?? '')) {
        // `kwargs["ssl_version"] = ssl.PROTOCOL_TLSv1` before passing the arguments on.
        const p = insecureProtocol(right, ctx);
        if (p) ctx.report(node, { message: message(p, `\`${ctx.textOf(left)}\` is set to`), severity: p.broken ? 'error' : 'warning' });
        return;
      }
      const attr = left?.type === 'attribute' ? left.childForFieldName('attribute')?.text : null;
      if (attr !== 'minimum_version' && attr !== 'maximum_version') return;
      const p = insecureProtocol(right, ctx);
      if (!p || !p.name.startsWith('ssl.TLSVersion')) return;
      if (attr === 'minimum_version') {
        const target = right!.type === 'attribute' ? right!.childForFieldName('attribute') : null;
        ctx.report(node, {
          message: message(p, '`minimum_version` allows'),
          severity: p.broken ? 'error' : 'warning',
          fixes: target ? [fix('Require TLS 1.2 or later (`TLSVersion.TLSv1_2`)', 'unsafe', replace(target, 'TLSv1_2'))] : [],
        });
      } else {
        ctx.report(node, { message: message(p, '`maximum_version` caps connections at'), severity: p.broken ? 'error' : 'warning' });
      }
      return;
    }
    const name = ctx.callName(node) ?? '';
    const args = callArgs(node);
    const candidates: Node[] = [];
    for (const kw of ['ssl_version', 'method', 'protocol']) {
      const v = args.keywords.get(kw);
      if (v) candidates.push(v);
    }
    if (CONTEXT_CALLS.has(name)) {
      const first = argument(args, 0, name === 'ssl.SSLContext' ? 'protocol' : 'method');
      if (first && !candidates.includes(first)) candidates.push(first);
    } else if (name === 'ssl.wrap_socket' || name === 'ssl.get_server_certificate') {
      const pos = args.positional[name === 'ssl.wrap_socket' ? 5 : 1];
      if (pos) candidates.push(pos);
    }
    for (const c of candidates) {
      const p = insecureProtocolValue(c, ctx);
      if (!p) continue;
      const shown = name ? `\`${name.replace(/^OpenSSL\./, '')}()\`` : 'The connection';
      ctx.report(c.parent?.type === 'keyword_argument' ? c.parent : c, {
        message: message(p, `${shown} uses`),
        severity: p.broken ? 'error' : 'warning',
      });
    }
  },
  docs: {
    what: 'Finds `ssl.PROTOCOL_SSLv2`, `PROTOCOL_SSLv3`, `PROTOCOL_TLSv1`, `PROTOCOL_TLSv1_1` and pyOpenSSL\'s `SSL.SSLv2_METHOD`, `SSLv3_METHOD`, `TLSv1_METHOD`, `TLSv1_1_METHOD` passed as `ssl_version=`, `method=` or `protocol=` to any call (urllib3, requests adapters, `ssl.wrap_socket`) or as the protocol of `ssl.SSLContext(...)` / `OpenSSL.SSL.Context(...)`, directly or through a variable; and `context.minimum_version` / `maximum_version` set to `ssl.TLSVersion.SSLv3`, `TLSv1` or `TLSv1_1`. SSL 2/3 are errors, TLS 1.0/1.1 warnings. `ssl.PROTOCOL_SSLv23` / `PROTOCOL_TLS` and pyOpenSSL\'s `SSLv23_METHOD` / `TLS_METHOD` negotiate the highest version both sides support and are not reported (Bandit reports `SSLv23_METHOD`).',
    why: 'SSLv2 and SSLv3 have practical attacks (DROWN, POODLE) that let a network attacker decrypt traffic; TLS 1.0 and 1.1 were deprecated by RFC 8996 (BEAST, no AEAD ciphers, SHA-1 in the handshake) and are refused by current browsers and many servers. Pinning a connection to one of them, or allowing them as the minimum, lets an active attacker downgrade the connection and read or modify it.',
    example: `import ssl

context = ssl.SSLContext(ssl.PROTOCOL_TLSv1)
context.minimum_version = ssl.TLSVersion.TLSv1`,
    useInstead: `import ssl

context = ssl.create_default_context()  # or ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
context.minimum_version = ssl.TLSVersion.TLSv1_2`,
    fixSafety: 'Only `minimum_version = ssl.TLSVersion.TLSv1/TLSv1_1/SSLv3` gets a fix, to `TLSVersion.TLSv1_2`. It is unsafe: peers that only speak older versions can no longer connect. Protocol constants such as `PROTOCOL_TLSv1` have no automatic fix, because the replacement differs for clients (`PROTOCOL_TLS_CLIENT`, which also turns on certificate and hostname checks) and servers (`PROTOCOL_TLS_SERVER`).',
    references: [
      { title: 'Python: ssl security considerations', url: 'https://docs.python.org/3/library/ssl.html#ssl-security' },
      { title: 'RFC 8996: Deprecating TLS 1.0 and TLS 1.1', url: 'https://www.rfc-editor.org/rfc/rfc8996' },
      { title: 'OWASP Transport Layer Security Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html' },
    ],
  },
});
