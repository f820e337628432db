import type { Node } from '../../engine/parser';
import { defineRule, fix, replace, type RuleContext } from '../../engine/rule';
import { valuesBefore } from '../../engine/scope';
import { callArgs, dottedName, isFalse, unparen } from '../../engine/syntax';

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request']);

/** Module-level functions and client classes that take `verify=`. */
const REQUESTS_CALLS = new Set([...HTTP_METHODS].flatMap((m) => [`requests.${m}`, `requests.api.${m}`]));
const HTTPX_CALLS = new Set([...HTTP_METHODS, 'stream', 'Client', 'AsyncClient'].map((m) => `httpx.${m}`));
const SESSION_FACTORIES = new Set(['requests.Session', 'requests.session', 'requests.sessions.Session']);

/** Whether an expression is a `requests` session: `requests.Session()` itself or a name bound to one. */
function isSession(receiver: Node, ctx: RuleContext): boolean {
  const r = unparen(receiver);
  if (r.type === 'call') return SESSION_FACTORIES.has(ctx.callName(r) ?? '');
  const dotted = dottedName(r);
  if (!dotted) return false;
  // `session`, `self.session`, `http_session`, `sess`: the name says what it is.
  const last = dotted.slice(dotted.lastIndexOf('.') + 1);
  if (/session|^sess$/i.test(last)) return true;
  if (r.type !== 'identifier') return false;
  return valuesBefore(r, ctx).some((v) => {
    const value = unparen(v);
    return value.type === 'call' && SESSION_FACTORIES.has(ctx.callName(value) ?? '');
  });
}

/** `requests.get`, `httpx.Client` or a session method, by name; null when it is none of them. */
function describeCall(call: Node, ctx: RuleContext): string | null {
  const name = ctx.callName(call);
  if (name && (REQUESTS_CALLS.has(name) || HTTPX_CALLS.has(name))) return name.replace('.api.', '.');
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute') return null;
  const method = fn.childForFieldName('attribute')?.text ?? '';
  const receiver = fn.childForFieldName('object');
  if (!HTTP_METHODS.has(method) || !receiver || !isSession(receiver, ctx)) return null;
  return `${ctx.textOf(receiver).replace(/\s+/g, '')}.${method}`;
}

function enableFix(value: Node) {
  return [fix('Verify certificates (`verify=True`)', 'unsafe', replace(value, 'True'))];
}

export default defineRule({
  id: 'SEC501',
  name: 'request-without-cert-validation',
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
    const what = describeCall(node, ctx);
    if (!what) return;
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
