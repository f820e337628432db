import type { Node } from '../../engine/parser';
import { defineRule, fix, replace, type RuleContext } from '../../engine/rule';
import { canUseImport } from '../../engine/scope';
import { callArgs } from '../../engine/syntax';
import type { Fix } from '../../engine/types';

const UNVERIFIED = 'ssl._create_unverified_context';
/** Keywords `ssl.create_default_context()` also takes, with the same meaning. */
const SHARED_KEYWORDS = new Set(['purpose', 'cafile', 'capath', 'cadata']);

function defaultContext(ctx: RuleContext, at: Node): { ref: string; edits: Fix['edits'] } | null {
  const imp = ctx.requireImport('ssl', 'create_default_context');
  return canUseImport(imp, at, ctx) ? imp : null;
}

function callFix(call: Node, ctx: RuleContext): Fix[] {
  const args = callArgs(call);
  // `protocol`, `cert_reqs`, `check_hostname`, `certfile` and `keyfile` have no counterpart in
  // `create_default_context()`: with any of them the call is not a plain swap.
  if (args.positional.length > 0 || args.hasStarArgs || args.hasStarKwargs) return [];
  if ([...args.keywords.keys()].some((k) => !SHARED_KEYWORDS.has(k))) return [];
  const callee = call.childForFieldName('function');
  const imp = callee ? defaultContext(ctx, call) : null;
  if (!callee || !imp) return [];
  return [fix(`Use \`${imp.ref}()\` (verifies certificates)`, 'unsafe', replace(callee, imp.ref), imp.edits)];
}

export default defineRule({
  id: 'SEC323',
  name: 'unverified-ssl-context',
  local: true,
  summary: '`ssl._create_unverified_context()` turns off certificate and host name checks',
  owasp: { '2025': 'A04', '2021': 'A02' },
  cwe: [295],
  severity: 'error',
  confidence: 'high',
  fix: 'sometimes',
  aliases: ['B323', 'S323'],
  tags: ['tls'],
  nodeTypes: ['call', 'assignment'],
  check(node, ctx) {
    if (node.type === 'assignment') {
      // `ssl._create_default_https_context = ssl._create_unverified_context` turns verification
      // off for every `urllib` and `http.client` HTTPS connection of the process.
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!left || !right || left.type !== 'attribute') return;
      if (ctx.resolve(left) !== 'ssl._create_default_https_context' || ctx.resolve(right) !== UNVERIFIED) return;
      const imp = defaultContext(ctx, node);
      ctx.report(node, {
        message: `\`${ctx.textOf(left)} = ${ctx.textOf(right)}\` turns off certificate verification for every HTTPS connection made with the standard library`,
        fixes: imp ? [fix(`Restore the default (\`${imp.ref}\`)`, 'unsafe', replace(right, imp.ref), imp.edits)] : [],
      });
      return;
    }
    if (ctx.callName(node) !== UNVERIFIED) return;
    ctx.report(node, {
      message: `\`${ctx.textOf(node.childForFieldName('function')!).replace(/\s+/g, '')}()\` creates a TLS context that accepts any certificate for any host`,
      fixes: callFix(node, ctx),
    });
  },
  docs: {
    what: 'Finds calls to `ssl._create_unverified_context()`, however it is imported, and the process-wide switch `ssl._create_default_https_context = ssl._create_unverified_context`.',
    why: 'The unverified context checks neither the certificate chain nor the host name (`CERT_NONE`, `check_hostname=False`). Anyone on the network path (public Wi-Fi, a compromised router, DNS spoofing, a malicious proxy) can present their own certificate, read the traffic, including credentials and tokens, and change the responses. Assigning it to `ssl._create_default_https_context` does the same for every `urllib.request` and `http.client` connection of the whole process, including those made by libraries.',
    example: `import ssl
import urllib.request

context = ssl._create_unverified_context()
urllib.request.urlopen("https://internal.example.com/api", context=context)`,
    useInstead: `import ssl
import urllib.request

# Trust the internal CA explicitly instead of trusting everyone.
context = ssl.create_default_context(cafile="/etc/ssl/certs/internal-ca.pem")
urllib.request.urlopen("https://internal.example.com/api", context=context)`,
    fixSafety: 'The fix calls `ssl.create_default_context()` instead (keeping `purpose`, `cafile`, `capath` and `cadata`; calls with other arguments are not fixed) or assigns it back to `ssl._create_default_https_context`. It is unsafe: connections to hosts with self-signed, expired or privately issued certificates, or whose certificate does not match the host name, start failing with `SSLCertVerificationError`. For a private CA, pass `cafile=` rather than turning verification off.',
    references: [
      { title: 'Python docs: ssl security considerations', url: 'https://docs.python.org/3/library/ssl.html#ssl-security' },
      { title: 'PEP 476: Enabling certificate verification by default for stdlib http clients', url: 'https://peps.python.org/pep-0476/' },
      { title: 'OWASP Transport Layer Security Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html' },
    ],
  },
});
