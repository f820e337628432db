// Where untrusted data enters a Python program: web framework request objects, route handler
// parameters, the command line, the terminal and (with low confidence) the environment.

import type { Node } from '../parser';
import type { FileFacts } from '../facts';
import type { FileContext, RuleContext } from '../rule';
import { isBuiltinCall } from '../scope';
import { dottedName, stringValue, unparen } from '../syntax';
import type { Confidence } from '../types';

export interface SourceMatch {
  label: string;
  confidence: Confidence;
}

const FLASK_ATTRS = new Set(['args', 'form', 'values', 'json', 'data', 'cookies', 'headers', 'files', 'view_args', 'stream', 'path', 'full_path', 'query_string', 'authorization']);
const FLASK_METHODS = new Set(['get_json', 'get_data']);
const DJANGO_ATTRS = new Set(['GET', 'POST', 'COOKIES', 'META', 'headers', 'body', 'FILES', 'data', 'query_params', 'path', 'path_info']);
// `request.url` is left out: its scheme and host are the server's own, so redirecting to it is
// the usual "back to this page" and not an open redirect.
const STARLETTE_ATTRS = new Set(['query_params', 'path_params', 'headers', 'cookies']);
const STARLETTE_METHODS = new Set(['json', 'form', 'body', 'stream']);
const REQUEST_NAME = /^(request|req|self\.request)$/;
/** Socket methods that return what the peer sent. */
const SOCKET_READS = new Set(['recv', 'recvfrom', 'recvmsg']);
/** `http.server`/`socketserver` request handlers: what the client sent. */
const HANDLER_ATTRS = new Set(['path', 'headers', 'requestline', 'raw_requestline']);
const HANDLER_READS = new Set(['read', 'readline', 'readlines', 'read1']);

/** Frameworks whose imports make this file a candidate for the analysis at all. */
export const SOURCE_MODULES = ['flask', 'django', 'rest_framework', 'fastapi', 'starlette', 'werkzeug', 'quart', 'sys', 'os', 'socket', 'socketserver', 'http'];

/** Cheap per-file gate: without one of these, no expression of the file can be a source. */
export function mayHaveSources(ctx: RuleContext): boolean {
  return ctx.memo('taint:may-have-sources', () => mayHaveSourcesIn(ctx.file, ctx.facts, ctx.text));
}

/** `mayHaveSources` before any rule runs: the gate of the 9xx rules (their `appliesTo`). */
export function mayHaveSourcesIn(file: FileContext, facts: FileFacts, text: string): boolean {
  if (file.taint?.sources.length) return true;
  const m = facts.importedModules;
  const fw = frameworksOf(facts, text);
  if (fw.flask || fw.django || fw.starlette || fw.handler) return true;
  if (m.has('socket') && /\.recv/.test(text)) return true;
  if (m.has('sys') && text.includes('argv')) return true;
  if (m.has('os') && /environ|getenv/.test(text)) return true;
  return text.includes('input(');
}

interface Frameworks {
  flask: boolean;
  django: boolean;
  starlette: boolean;
  socket: boolean;
  handler: boolean;
}

function frameworksOf(facts: FileFacts, text: string): Frameworks {
  const m = facts.importedModules;
  return {
    flask: m.has('flask') || m.has('quart') || m.has('werkzeug'),
    django: m.has('django') || m.has('rest_framework'),
    starlette: m.has('fastapi') || m.has('starlette'),
    socket: m.has('socket') || m.has('socketserver') || m.has('ssl'),
    handler: m.has('socketserver') || (m.has('http') && text.includes('RequestHandler')),
  };
}

/** What the sources found anywhere depend on besides the imports: which frameworks the text shows. */
export function taintFileKey(ctx: RuleContext): string {
  const fw = web(ctx);
  return `${+fw.flask}${+fw.django}${+fw.starlette}${+fw.socket}${+fw.handler}`;
}

function web(ctx: RuleContext): Frameworks {
  return ctx.memo('taint:frameworks', () => frameworksOf(ctx.facts, ctx.text));
}

/** Whether `obj` is Flask's global request (`from flask import request`, `flask.request`). */
function isFlaskRequest(obj: Node, ctx: RuleContext): boolean {
  const q = ctx.resolve(obj);
  return q === 'flask.request' || q === 'quart.request' || q === 'flask.globals.request';
}

/** The source an expression reads directly, or null. Sub-expressions are the caller's business. */
export function sourceOf(node: Node, ctx: RuleContext): SourceMatch | null {
  const configured = ctx.file.taint?.sources;
  if (configured?.length && (node.type === 'attribute' || node.type === 'call')) {
    const target = node.type === 'call' ? node.childForFieldName('function') : node;
    const written = dottedName(target);
    const q = written ? ctx.resolve(target) : null;
    const hit = configured.find((s) => s === q || s === written);
    if (hit) return { label: node.type === 'call' ? `${hit}()` : hit, confidence: 'high' };
  }
  const fw = web(ctx);
  switch (node.type) {
    case 'attribute': {
      const obj = node.childForFieldName('object');
      const attr = node.childForFieldName('attribute')?.text ?? '';
      if (!obj) return null;
      if (fw.flask && FLASK_ATTRS.has(attr) && isFlaskRequest(obj, ctx)) return { label: `request.${attr}`, confidence: 'high' };
      const objText = dottedName(obj);
      if (objText && REQUEST_NAME.test(objText)) {
        if (fw.django && DJANGO_ATTRS.has(attr)) return { label: `request.${attr}`, confidence: 'high' };
        if (fw.starlette && STARLETTE_ATTRS.has(attr)) return { label: `request.${attr}`, confidence: 'high' };
      }
      // `self.path`, `self.headers` of an `http.server` request handler.
      if (fw.handler && HANDLER_ATTRS.has(attr) && obj.type === 'identifier' && obj.text === 'self') return { label: `self.${attr} of the request handler`, confidence: 'high' };
      const q = ctx.resolve(node);
      if (q === 'sys.argv') return { label: 'sys.argv', confidence: 'medium' };
      if (q === 'os.environ') return { label: 'os.environ', confidence: 'low' };
      return null;
    }
    case 'call': {
      const fn = node.childForFieldName('function');
      if (!fn) return null;
      if (fn.type === 'identifier' && fn.text === 'input' && isBuiltinCall(node, 'input', ctx)) return { label: 'input()', confidence: 'medium' };
      if (fn.type !== 'attribute') return null;
      const obj = fn.childForFieldName('object');
      const attr = fn.childForFieldName('attribute')?.text ?? '';
      if (!obj) return null;
      if (fw.flask && FLASK_METHODS.has(attr) && isFlaskRequest(obj, ctx)) return { label: `request.${attr}()`, confidence: 'high' };
      const objText = dottedName(obj);
      if (fw.starlette && STARLETTE_METHODS.has(attr) && objText && REQUEST_NAME.test(objText)) return { label: `request.${attr}()`, confidence: 'high' };
      // `conn.recv(1024)`: what the peer sent. A client may trust its server, so medium.
      if (fw.socket && SOCKET_READS.has(attr)) return { label: `\`.${attr}()\` from a socket`, confidence: 'medium' };
      // `self.rfile.read(n)` in a request handler: the request body.
      if (fw.handler && HANDLER_READS.has(attr) && objText === 'self.rfile') return { label: `\`self.rfile.${attr}()\` of the request handler`, confidence: 'high' };
      const q = ctx.resolve(fn);
      if (q === 'os.getenv' || q === 'os.environ.get') return { label: q, confidence: 'low' };
      return null;
    }
    default:
      return null;
  }
}

const HTTP_METHODS = /^(get|post|put|patch|delete|head|options|dispatch|list|create|retrieve|update|partial_update|destroy)$/;
const VIEW_MODULE = /(^|[\\/])(views|viewsets|api)(\.py$|[\\/])/;
const RETURNS_RESPONSE = /\breturn\s+(?:[\w.]*\.)?(HttpResponse\w*|JsonResponse|StreamingHttpResponse|FileResponse|TemplateResponse|Response|render|render_to_response|redirect)\s*\(/;

/** A views module (`views.py`, `views/`, `api.py`), or a function that returns a response. */
function looksLikeView(fn: Node, ctx: RuleContext): boolean {
  return VIEW_MODULE.test(ctx.file.path) || RETURNS_RESPONSE.test(ctx.textOf(fn));
}

const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'api_route', 'route', 'websocket']);
/** Parameter annotations that FastAPI fills from something other than the request's data. */
const NOT_DATA = /^(Request|WebSocket|Response|BackgroundTasks|Session|AsyncSession|SecurityScopes|HTTPConnection)\b|Depends\(|Security\(/;

/**
 * Parameters of a function that a web framework fills from the request: FastAPI/Starlette route
 * handler parameters (path, query, body, header), Flask `<converter:name>` URL variables, and
 * Django view keyword arguments (every parameter after `request`, medium confidence).
 */
export function sourceParameters(fn: Node, ctx: RuleContext): Map<string, SourceMatch> {
  const out = new Map<string, SourceMatch>();
  const fw = web(ctx);
  const params = fn.childForFieldName('parameters');
  if (!params) return out;
  const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent : null;
  const decorators = decorated ? decorated.namedChildren.filter((c) => c?.type === 'decorator') : [];
  let urlVars: Set<string> | null = null;
  let fastapi = false;
  for (const d of decorators) {
    const expr = d?.namedChildren[0];
    const call = expr ? unparen(expr) : null;
    if (!call || call.type !== 'call') continue;
    const callee = call.childForFieldName('function');
    const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : null;
    if (!method || !ROUTE_METHODS.has(method)) continue;
    const first = call.childForFieldName('arguments')?.namedChildren[0];
    const route = stringValue(first);
    if (fw.starlette && method !== 'route') fastapi = true;
    else if (route !== null) {
      urlVars ??= new Set();
      // `<int:id>`, `<float:x>` and `<uuid:u>` are converted before the view sees them.
      for (const m of route.matchAll(/<(?:([a-z_]+)(?:\([^)]*\))?:)?([A-Za-z_]\w*)>/g)) if (!/^(int|float|uuid)$/.test(m[1] ?? '')) urlVars.add(m[2]!);
    }
  }
  const names: { name: string; node: Node; annotation: string }[] = [];
  for (const p of params.namedChildren) {
    if (!p) continue;
    const nameNode = p.type === 'identifier' ? p : p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'identifier') ?? null;
    if (!nameNode || nameNode.type !== 'identifier') continue;
    const annotation = p.childForFieldName('type')?.text ?? '';
    const dflt = p.childForFieldName('value')?.text ?? '';
    names.push({ name: nameNode.text, node: nameNode, annotation: `${annotation} ${dflt}`.trim() });
  }
  if (fastapi) {
    for (const p of names) {
      if (p.name === 'self' || NOT_DATA.test(p.annotation) || /Depends\(|Security\(/.test(p.annotation)) continue;
      out.set(p.name, { label: `route parameter \`${p.name}\``, confidence: 'high' });
    }
    return out;
  }
  if (urlVars) {
    for (const p of names) if (urlVars.has(p.name)) out.set(p.name, { label: `URL variable \`${p.name}\``, confidence: 'high' });
    return out;
  }
  // A Django view: `def view(request, slug)` in a file that imports Django, when something says
  // it is a view (a views module, a decorator, a returned response; for methods, an HTTP method
  // name). Django's own helpers and a project's utilities take `request` too
  // (`login(request, user)`): their other parameters are the caller's values, not the URL's.
  if (fw.django && names[0]?.name === 'request' && fn.parent?.type !== 'block' && (decorators.length > 0 || looksLikeView(fn, ctx))) {
    for (const p of names.slice(1)) out.set(p.name, { label: `URL argument \`${p.name}\` of view`, confidence: 'medium' });
  } else if (fw.django && names[0]?.name === 'self' && names[1]?.name === 'request' && (HTTP_METHODS.test(fn.childForFieldName('name')?.text ?? '') || looksLikeView(fn, ctx))) {
    for (const p of names.slice(2)) out.set(p.name, { label: `URL argument \`${p.name}\` of view`, confidence: 'medium' });
  }
  return out;
}
