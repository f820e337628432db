import { defineRule } from '../../engine/rule';
import { SinkKind } from '../../engine/taint';
import { callArgs } from '../../engine/syntax';
import { fixedOrigin } from './fixed-prefix';
import { FLOW_NOTE, reportFlows } from './report';

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'stream'];
const CALLS = new Set([...METHODS.flatMap((m) => [`requests.${m}`, `httpx.${m}`]), 'urllib.request.urlopen', 'urllib.request.Request', 'urllib.urlopen', 'urllib2.urlopen', 'aiohttp.request']);
const WITH_METHOD = new Set(['requests.request', 'httpx.request', 'aiohttp.request']);

export default defineRule({
  id: 'SEC906',
  name: 'tainted-request-url',
  summary: 'Request data or other untrusted input chooses where the server sends a request (SSRF)',
  owasp: { '2025': 'A01', '2021': 'A10' },
  cwe: [918],
  severity: 'error',
  confidence: 'high',
  tags: ['dataflow', 'requests', 'httpx', 'flask', 'django', 'fastapi'],
  nodeTypes: ['call'],
  check(call, ctx) {
    const name = ctx.callName(call);
    if (!name) return;
    const args = callArgs(call);
    let url = args.keywords.get('url') ?? null;
    if (WITH_METHOD.has(name)) url ??= args.positional[1] ?? null;
    else if (CALLS.has(name)) url ??= args.positional[0] ?? null;
    else return;
    if (!url) return;
    // A fixed scheme and host with data only in the path stays on that host.
    if (fixedOrigin(url, ctx, false)) return;
    reportFlows(ctx, url, url, SinkKind.ssrf, `the URL requested by \`${name}()\``);
  },
  docs: {
    what: 'Reports untrusted data (request data, route parameters) that chooses the URL the server requests with `requests`, `httpx`, `urllib.request.urlopen()` or `aiohttp`. A URL with a fixed scheme and host where the data only fills the path or query (`f"https://api.example.com/users/{id}"`) is not reported, nor is a value checked against an allowlist of hosts.' + FLOW_NOTE,
    why: 'A server that fetches any URL a user names can be pointed at what only it can reach: the cloud metadata service (`http://169.254.169.254/` hands out credentials), admin interfaces on localhost, internal databases. OWASP lists SSRF as its own category in 2021.',
    example: `import requests
from flask import request

@app.route("/preview")
def preview():
    return requests.get(request.args["url"], timeout=5).text`,
    useInstead: `ALLOWED_HOSTS = {"images.example.com"}

@app.route("/preview")
def preview():
    url = request.args["url"]
    if urlparse(url).hostname not in ALLOWED_HOSTS:
        abort(400)
    return requests.get(url, timeout=5).text`,
    references: [{ title: 'OWASP SSRF Prevention Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html' }],
  },
});
