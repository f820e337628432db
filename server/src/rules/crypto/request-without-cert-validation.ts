import type { Node } from '../../engine/parser';
import { defineRule, fix, replace, type RuleContext } from '../../engine/rule';
import { callArgs, isFalse, unparen } from '../../engine/syntax';
import { httpCall, sessionKind } from '../util/http';

/** A `requests` session, or a session known by its name (`self.session`): both take `.verify = False`. */
function isSession(receiver: Node, ctx: RuleContext): boolean {
  const kind = sessionKind(receiver, ctx);
  return kind === 'requests' || kind === 'named';
}

function enableFix(value: Node) {
  return [fix('Verify certificates (`verify=True`)', 'unsafe', replace(value, 'True'))];
}

export default defineRule({
  id: 'SEC501',
  name: 'request-without-cert-validation',
  local: true,
  summary: 'HTTP request or client with TLS certificate verification turned off (`verify=False`)',
  owasp: { '2025': 'A04', '2021': 'A02' },
  cwe: [295],
  severity: 'error',
  confidence: 'high',
  fix: 'always',
  aliases: ['B501', 'S501'],
  tags: ['tls', 'requests', 'httpx'],
  nodeTypes: ['call', 'assignment'],
  check(node, ctx) {
    if (node.type === 'assignment') {
      // `session.verify = False` turns verification off for every request of the session.
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left?.type !== 'attribute' || left.childForFieldName('attribute')?.text !== 'verify' || !isFalse(right)) return;
      const receiver = left.childForFieldName('object');
      if (!receiver || !isSession(receiver, ctx)) return;
      ctx.report(node, { message: `\`${ctx.textOf(left)} = False\` turns off TLS certificate verification for the session`, fixes: enableFix(right!) });
      return;
    }
    const verify = callArgs(node).keywordNodes.get('verify');
    const value = verify?.childForFieldName('value');
    if (!verify || !value || !isFalse(unparen(value))) return;
    const call = httpCall(node, ctx);
    // Methods of an httpx client take no `verify=`; only the client itself does.
    if (!call || (!call.module && call.library === 'httpx')) return;
    const what = call.display;
    const verb = /Client$/.test(what) ? 'created' : 'called';
    ctx.report(verify, { message: `\`${what}()\` is ${verb} with TLS certificate verification turned off`, fixes: enableFix(unparen(value)) });
  },
  docs: {
    what: 'Finds `verify=False` passed to `requests.get/post/put/patch/delete/head/options/request`, to the same methods of a `requests` session (a name containing "session", or one assigned from `requests.Session()` or used as `with requests.Session() as s`), to the `httpx` functions and to `httpx.Client` / `httpx.AsyncClient`; and `session.verify = False`. Aliases are resolved (`from requests import get`, `import httpx as hx`).',
    why: 'With verification off, any machine on the network path (public Wi-Fi, a compromised router, a malicious proxy, DNS spoofing) can present its own certificate, read the traffic (credentials, tokens, personal data) and change the responses. TLS without certificate validation only protects against passive eavesdroppers.',
    example: `import requests

resp = requests.get("https://internal.example.com/api", verify=False)`,
    useInstead: `import requests

# Trust the internal CA explicitly instead of trusting everyone.
resp = requests.get("https://internal.example.com/api", verify="/etc/ssl/certs/internal-ca.pem")`,
    fixSafety: 'The fix turns verification back on (`verify=True`, the default). It is unsafe: calls to hosts with self-signed or privately issued certificates will start failing with `SSLError`; for those, point `verify=` at the CA bundle (or set `REQUESTS_CA_BUNDLE` / `SSL_CERT_FILE`) instead.',
    references: [
      { title: 'Requests: SSL Cert Verification', url: 'https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification' },
      { title: 'HTTPX: SSL', url: 'https://www.python-httpx.org/advanced/ssl/' },
      { title: 'OWASP Transport Layer Security Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html' },
    ],
  },
});
