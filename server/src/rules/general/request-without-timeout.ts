import { defineRule, fix, replace, type RuleContext } from '../../engine/rule';
import type { Confidence, Fix } from '../../engine/types';
import { callArgs, isNone, unparen } from '../../engine/syntax';
import { appendArgument } from '../util/edits';
import { httpCall, type HttpCall } from '../util/http';

const TIMEOUT = '30';

/** `Session.request(method, url, params, data, headers, cookies, files, auth, timeout, ...)`: timeout is the ninth. */
const SESSION_REQUEST_TIMEOUT_POSITION = 8;

/** How sure we are that a call is a `requests` call with no default timeout. */
function certainty(call: HttpCall, ctx: RuleContext): Confidence | null {
  if (call.library === 'requests') return 'high';
  if (call.library !== 'session') return null;
  // Only the name says it is a session: aiohttp and httpx sessions have default timeouts.
  const mods = ctx.facts.importedModules;
  if (mods.has('requests')) return 'medium';
  if (mods.has('aiohttp') || mods.has('httpx')) return null;
  return 'low';
}

export default defineRule({
  id: 'SEC113',
  name: 'request-without-timeout',
  local: true,
  summary: 'HTTP request with no timeout (`requests` without `timeout=`, or `timeout=None`)',
  owasp: { '2025': 'A06', '2021': 'A04' },
  cwe: [400],
  severity: 'warning',
  confidence: 'high',
  fix: 'always',
  aliases: ['B113', 'S113'],
  tags: ['requests', 'httpx', 'availability'],
  nodeTypes: ['call'],
  check(node, ctx) {
    const call = httpCall(node, ctx);
    if (!call) return;
    const args = callArgs(node);
    const timeout = args.keywords.get('timeout');
    const at = node.childForFieldName('function') ?? node;
    if (timeout) {
      const value = unparen(timeout);
      if (!isNone(value)) return;
      const confidence = call.library === 'httpx' ? 'high' : certainty(call, ctx);
      if (!confidence) return;
      ctx.report(args.keywordNodes.get('timeout')!, {
        message: `\`${call.display}()\` is called with \`timeout=None\`: it can wait forever`,
        confidence,
        fixes: [fix(`Set a timeout (\`timeout=${TIMEOUT}\`)`, 'unsafe', replace(value, TIMEOUT))],
      });
      return;
    }
    // httpx has a default timeout (5 seconds); requests has none.
    if (call.library === 'httpx') return;
    // `**kwargs` may carry the timeout; so may the ninth positional argument of `Session.request`.
    if (args.hasStarKwargs || args.hasStarArgs) return;
    if (!call.module && call.method === 'request' && args.positional.length > SESSION_REQUEST_TIMEOUT_POSITION) return;
    const confidence = certainty(call, ctx);
    if (!confidence) return;
    const edit = appendArgument(ctx, node, `timeout=${TIMEOUT}`);
    const fixes: Fix[] = edit ? [fix(`Add a timeout (\`timeout=${TIMEOUT}\`)`, 'unsafe', edit)] : [];
    ctx.report(at, { message: `\`${call.display}()\` is called without a timeout: it can wait forever`, confidence, fixes });
  },
  docs: {
    what: 'Finds `requests` calls (`requests.get/post/put/patch/delete/head/options/request` and the same methods of a `requests.Session`, through aliases and names bound to a session) made without a `timeout=` argument or with `timeout=None`, and `httpx` calls and clients with `timeout=None`. `httpx` calls without `timeout=` are not reported: httpx applies a 5-second default. Calls passing `**kwargs` are not reported, since the timeout may be in them. A method called on a name that only looks like a session (`self.session.get(...)`) is reported with lower confidence, and not at all in a file that imports `aiohttp` or `httpx` but not `requests`.',
    why: '`requests` waits forever by default: a server that accepts the connection and then sends nothing (or one byte a minute) holds the calling thread indefinitely. An attacker who can make your service call a host they control (a webhook URL, an avatar URL, an OAuth endpoint) can tie up every worker this way and take the service down with a handful of connections (CWE-400).',
    example: `import requests

def fetch_avatar(url):
    return requests.get(url).content`,
    useInstead: `import requests

def fetch_avatar(url):
    # 3.05 s to connect, 10 s between bytes of the response.
    return requests.get(url, timeout=(3.05, 10)).content`,
    fixSafety: `The fix adds \`timeout=${TIMEOUT}\` as the last argument (or replaces \`timeout=None\` with it). It is unsafe: a request that used to succeed after more than ${TIMEOUT} seconds between bytes (a slow export, a long poll) now raises \`requests.exceptions.Timeout\` / \`httpx.TimeoutException\`. Choose a value that fits the endpoint; \`timeout\` bounds the connect and each read, not the whole download.`,
    references: [
      { title: 'Requests: Timeouts', url: 'https://requests.readthedocs.io/en/latest/user/advanced/#timeouts' },
      { title: 'HTTPX: Timeouts', url: 'https://www.python-httpx.org/advanced/timeouts/' },
      { title: 'Bandit B113: request_without_timeout', url: 'https://bandit.readthedocs.io/en/latest/plugins/b113_request_without_timeout.html' },
    ],
  },
});
