import type { Node } from '../../engine/parser';
import { defineRule, type RuleContext } from '../../engine/rule';
import { builtinCalled } from '../../engine/scope';
import { SinkKind } from '../../engine/taint';
import { callArgs, dottedName, stringValue, unparen } from '../../engine/syntax';
import { importsAny } from '../util/frameworks';
import { words } from '../util/names';
import { assignedValues } from './assigned';
import { FLOW_NOTE, mayHoldLineBreaks, reportFlows } from './report';
import { isFlaskView } from './tainted-html-response';

const FRAMEWORKS = ['flask', 'werkzeug', 'quart', 'django', 'starlette', 'fastapi'];
/** Calls that make a response object (what `resp = ...` must be for `resp.headers[...]` to count). */
const RESPONSE_MAKER = /^(flask|quart|werkzeug|django|starlette|fastapi)\.(.*\.)?(\w*Response\w*|make_response|jsonify|redirect|send_file|send_from_directory|render)$/;
/** Calls that return a response of an outgoing request: its headers are not ours to set. */
const CLIENT = /^(requests|httpx|aiohttp|urllib|urllib3|http\.client)\./;
/** `headers.add("X", v)` and friends: Werkzeug `Headers`, Starlette `MutableHeaders`, `dict`. */
const HEADER_METHODS = new Set(['add', 'set', 'setdefault', 'add_header', 'append', 'update', 'extend', 'setlist']);
/** Constructors with a `headers` argument, and its position (-1: keyword only). */
const WITH_HEADERS = new Map<string, number>([
  ['flask.Response', 2],
  ['quart.Response', 2],
  ['werkzeug.wrappers.Response', 2],
  ['werkzeug.Response', 2],
  ...['Response', 'HTMLResponse', 'PlainTextResponse', 'JSONResponse', 'ORJSONResponse', 'UJSONResponse', 'RedirectResponse', 'StreamingResponse', 'FileResponse'].flatMap((c): [string, number][] => [
    [`starlette.responses.${c}`, 2],
    [`fastapi.responses.${c}`, 2],
  ]),
  ['fastapi.Response', 2],
  ...['HttpResponse', 'JsonResponse', 'StreamingHttpResponse', 'FileResponse', 'HttpResponseRedirect', 'HttpResponsePermanentRedirect', 'HttpResponseNotFound', 'HttpResponseBadRequest', 'HttpResponseForbidden'].flatMap((c): [string, number][] => [
    [`django.http.${c}`, -1],
    [`django.http.response.${c}`, -1],
  ]),
]);
/** Values that make a name something other than a response: `response = {}`, `dict(...)`, `requests.get(...)`. */
const NOT_A_RESPONSE = new Set(['dictionary', 'dictionary_comprehension', 'list', 'list_comprehension', 'set', 'tuple', 'string', 'concatenated_string', 'integer', 'none']);
const CONTAINERS = /^(dict|list|collections\.(OrderedDict|defaultdict|Counter)|copy\.(copy|deepcopy))$/;

/**
 * Whether `expr` is an HTTP response of this application: a name assigned a response
 * constructor's result in its function, or else a name ending in `response` or `resp`
 * (`self.response`, `http_resp`) that is not assigned a dict, another container or a client's response.
 */
function isResponse(expr: Node | null | undefined, ctx: RuleContext): boolean {
  if (!expr) return false;
  const e = unparen(expr);
  const name = dottedName(e);
  if (!name) return false;
  if (e.type === 'identifier') {
    let other = false;
    for (const v of assignedValues(e.text, e, ctx)) {
      const call = v.type === 'await' ? v.namedChildren[0] : v;
      const made = call?.type === 'call' ? ctx.callName(call) ?? builtinCalled(call, ctx) ?? '' : null;
      if (made !== null && RESPONSE_MAKER.test(made)) return true;
      if (NOT_A_RESPONSE.has(v.type) || (made !== null && (CLIENT.test(made) || CONTAINERS.test(made)))) other = true;
    }
    if (other) return false;
  }
  // `response`, `resp`, `http_response`, `self.response`; not `response_data` or `responses`.
  const last = words(name.slice(name.lastIndexOf('.') + 1)).pop();
  return last === 'response' || last === 'resp';
}

/** "the `X-Name` header", or "a response header" when the name is not a literal. */
function headerLabel(key: Node | null | undefined): string {
  const s = key ? stringValue(key) : null;
  return s !== null && s.length <= 40 ? `the \`${s}\` response header` : 'a response header';
}

/** Checks a header value and then its name; reports at most one of them. */
function checkHeader(ctx: RuleContext, key: Node | null | undefined, value: Node | null | undefined): void {
  const label = headerLabel(key);
  if (value && reportFlows(ctx, value, value, SinkKind.header, label, 'medium', undefined, mayHoldLineBreaks)) return;
  if (key && stringValue(key) === null) reportFlows(ctx, key, key, SinkKind.header, 'the name of a response header', 'medium', undefined, mayHoldLineBreaks);
}

/** A `headers` argument: each pair of a dict literal, or the whole expression. */
function checkHeaders(ctx: RuleContext, headers: Node | null | undefined): void {
  if (!headers) return;
  const h = unparen(headers);
  if (h.type === 'dictionary') {
    for (const pair of h.namedChildren) {
      if (pair?.type === 'pair') checkHeader(ctx, pair.childForFieldName('key'), pair.childForFieldName('value'));
      else if (pair?.type === 'dictionary_splat') checkHeader(ctx, null, pair);
    }
    return;
  }
  if (h.type === 'list' || h.type === 'tuple') {
    // `[("X-Name", value)]`: Werkzeug and Starlette take header pairs.
    for (const item of h.namedChildren) {
      const i = item ? unparen(item) : null;
      if (i && (i.type === 'tuple' || i.type === 'list') && i.namedChildren.length === 2) checkHeader(ctx, i.namedChildren[0], i.namedChildren[1]);
      else if (i) checkHeader(ctx, null, i);
    }
    return;
  }
  reportFlows(ctx, headers, headers, SinkKind.header, 'the headers of a response', 'medium', undefined, mayHoldLineBreaks);
}

function isHeaderContainer(n: Node | null | undefined): boolean {
  return !!n && n.type === 'dictionary';
}

export default defineRule({
  id: 'SEC913',
  name: 'tainted-response-header',
  summary: 'Request data or other untrusted input is written into an HTTP response header',
  owasp: { '2025': 'A05', '2021': 'A03' },
  cwe: [113],
  severity: 'warning',
  confidence: 'medium',
  tags: ['dataflow', 'headers', 'flask', 'django', 'fastapi'],
  nodeTypes: ['assignment', 'call', 'return_statement'],
  appliesTo: (_file, facts) => importsAny(facts, FRAMEWORKS),
  check(node, ctx) {
    if (node.type === 'assignment') {
      // `resp.headers["X-Name"] = value`; Django also `response["X-Name"] = value`.
      const left = node.childForFieldName('left');
      if (left?.type !== 'subscript') return;
      const target = left.childForFieldName('value');
      const key = left.childForFieldName('subscript');
      const value = node.childForFieldName('right');
      if (!target || !value || value.type === 'assignment') return;
      const headers = target.type === 'attribute' && target.childForFieldName('attribute')?.text === 'headers' && isResponse(target.childForFieldName('object'), ctx);
      const django = !headers && ctx.facts.importedModules.has('django') && isResponse(target, ctx);
      if (headers || django) checkHeader(ctx, key, value);
      return;
    }
    if (node.type === 'return_statement') {
      // A Flask view returning `body, status, headers` or `body, headers`.
      const v = node.namedChildren[0] ? unparen(node.namedChildren[0]) : null;
      if (!v || (v.type !== 'tuple' && v.type !== 'expression_list')) return;
      const parts = v.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
      const headers = parts.length === 3 ? parts[2] : parts.length === 2 && isHeaderContainer(unparen(parts[1]!)) ? parts[1] : null;
      if (!headers || !ctx.facts.importedModules.has('flask')) return;
      let fn: Node | null = node.parent;
      while (fn && fn.type !== 'function_definition') fn = fn.parent;
      if (fn && isFlaskView(fn, ctx)) checkHeaders(ctx, headers);
      return;
    }
    const name = ctx.callName(node);
    const args = callArgs(node);
    if (name === 'flask.make_response' || name === 'quart.make_response') {
      // `make_response(body, status, headers)`, or `make_response(body, headers)` with a dict.
      const second = args.positional[1];
      checkHeaders(ctx, args.positional[2] ?? (second && isHeaderContainer(unparen(second)) ? second : null));
      return;
    }
    const position = name ? WITH_HEADERS.get(name) : undefined;
    if (position !== undefined) {
      checkHeaders(ctx, args.keywords.get('headers') ?? (position >= 0 ? args.positional[position] : null));
      return;
    }
    const fn = node.childForFieldName('function');
    if (fn?.type !== 'attribute') return;
    const method = fn.childForFieldName('attribute')?.text ?? '';
    const obj = fn.childForFieldName('object');
    // `resp.headers.add("X-Name", value)`, `resp.headers.update({...})`; Django `response.setdefault("X-Name", value)`.
    const onHeaders = HEADER_METHODS.has(method) && obj?.type === 'attribute' && obj.childForFieldName('attribute')?.text === 'headers' && isResponse(obj.childForFieldName('object'), ctx);
    const djangoSetdefault = method === 'setdefault' && ctx.facts.importedModules.has('django') && isResponse(obj, ctx);
    if (!onHeaders && !djangoSetdefault) return;
    if (method === 'update' || method === 'extend') {
      for (const a of args.positional) checkHeaders(ctx, a);
      for (const v of args.keywords.values()) checkHeader(ctx, null, v);
      return;
    }
    const key = args.positional[0] ?? args.keywords.get('key') ?? args.keywords.get('_key');
    const value = args.positional[1] ?? args.keywords.get('value') ?? args.keywords.get('_value') ?? args.keywords.get('default');
    checkHeader(ctx, key, value);
    // Werkzeug `add_header("Content-Disposition", "attachment", filename=name)`: keyword parameters are header text too.
    if (method === 'add' || method === 'add_header' || method === 'set') {
      for (const [k, v] of args.keywords) if (!['key', '_key', 'value', '_value'].includes(k)) checkHeader(ctx, key, v);
    }
  },
  docs: {
    what:
      "Reports untrusted data (request parameters, route parameters, form fields) written into an HTTP response header: `resp.headers[\"X\"] = value` and `resp.headers.add/set/setdefault/add_header/append/update(...)` on a Flask, Werkzeug, Quart, Django, Starlette or FastAPI response, Django's `response[\"X\"] = value` and `response.setdefault()`, the `headers` of `make_response()`, `Response()`, `HttpResponse(headers=...)` and the Starlette/FastAPI response classes, and the headers of a Flask view's `return body, status, headers`. A response is an object whose name ends in `response` or `resp` (`response`, `resp`, `self.response`, `http_response`) or one made by a response constructor in the same function; responses of outgoing requests (`requests`, `httpx`) are not. Values encoded with `urllib.parse.quote()`, `json.dumps()` or base64, and values checked against an allowlist, are not reported; nor are values echoed from the request's own headers or cookies, which cannot contain a line break. Redirect targets (`Location`) are SEC907's business.\n\n" +
      'Werkzeug (Flask), Django and the ASGI servers under Starlette refuse header values with CR or LF, so with current versions the attack usually ends in a server error rather than a split response; the finding is defence in depth and has medium confidence. Data in a header is still worth a look: it can forge a `Content-Disposition` filename or add parameters to a header.' +
      FLOW_NOTE,
    why: 'A line break in a header value ends the header: `"x\\r\\nSet-Cookie: session=attacker"` adds a header of the attacker\'s choosing, and a blank line starts the body (HTTP response splitting), which lets a single link set cookies, poison caches or inject script into the response.',
    example: `from flask import make_response, request

@app.route("/download")
def download():
    resp = make_response(report_bytes())
    resp.headers["Content-Disposition"] = f"attachment; filename={request.args['name']}"
    return resp`,
    useInstead: `from urllib.parse import quote

@app.route("/download")
def download():
    resp = make_response(report_bytes())
    resp.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(request.args['name'])}"
    return resp`,
    references: [
      { title: 'OWASP HTTP Response Splitting', url: 'https://owasp.org/www-community/attacks/HTTP_Response_Splitting' },
      { title: 'CWE-113: Improper Neutralization of CRLF Sequences in HTTP Headers', url: 'https://cwe.mitre.org/data/definitions/113.html' },
    ],
  },
});
