import type { Node } from '../../engine/parser';
import { defineRule, type RuleContext } from '../../engine/rule';
import { SinkKind } from '../../engine/taint';
import { callArgs, dottedName, unparen } from '../../engine/syntax';
import { FLOW_NOTE, reportFlows } from './report';

const CALLS = new Set(['flask.make_response', 'flask.Response', 'werkzeug.wrappers.Response', 'django.http.HttpResponse', 'django.http.response.HttpResponse', 'django.utils.safestring.mark_safe', 'markupsafe.Markup', 'flask.Markup', 'starlette.responses.HTMLResponse', 'fastapi.responses.HTMLResponse']);

/** A Flask view: a function decorated with `@<app or blueprint>.route(...)` or `.get/.post(...)`. */
export function isFlaskView(fn: Node, ctx: RuleContext): boolean {
  if (!ctx.facts.importedModules.has('flask')) return false;
  const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent : null;
  if (!decorated) return false;
  return decorated.namedChildren.some((d) => {
    if (d?.type !== 'decorator') return false;
    const first = d.namedChildren[0];
    if (!first) return false;
    const e = unparen(first);
    const callee = e.type === 'call' ? dottedName(e.childForFieldName('function')) : null;
    return !!callee && /\.(route|get|post|put|patch|delete)$/.test(callee);
  });
}

export default defineRule({
  id: 'SEC908',
  name: 'tainted-html-response',
  summary: 'Request data or other untrusted input is sent back in an HTML response without escaping (XSS)',
  owasp: { '2025': 'A05', '2021': 'A03' },
  cwe: [79],
  severity: 'error',
  confidence: 'high',
  tags: ['dataflow', 'xss', 'flask', 'django', 'fastapi'],
  nodeTypes: ['call', 'return_statement'],
  check(node, ctx) {
    if (node.type === 'return_statement') {
      // A Flask view that returns a string sends it as text/html.
      const value = node.namedChildren[0];
      if (!value) return;
      const v = unparen(value);
      const body = v.type === 'tuple' || v.type === 'expression_list' ? v.namedChildren[0] : v;
      if (!body || !['string', 'binary_operator', 'concatenated_string', 'call', 'identifier'].includes(body.type)) return;
      if (body.type === 'call') {
        // String building, or a helper of this file that builds the string.
        const callee = body.childForFieldName('function');
        const builds = /\.(format|join)$/.test(dottedName(callee) ?? '');
        const helper = callee?.type === 'identifier' && !ctx.facts.imports.has(callee.text);
        if (!builds && !helper) return;
      }
      let fn: Node | null = node.parent;
      while (fn && fn.type !== 'function_definition') fn = fn.parent;
      if (!fn || !isFlaskView(fn, ctx)) return;
      reportFlows(ctx, body, body, SinkKind.xss, 'the HTML this view returns');
      return;
    }
    const name = ctx.callName(node);
    if (!name || !CALLS.has(name)) return;
    const args = callArgs(node);
    const content = args.positional[0] ?? args.keywords.get('content') ?? args.keywords.get('response') ?? null;
    if (!content) return;
    const mimetype = args.keywords.get('mimetype') ?? args.keywords.get('content_type') ?? args.keywords.get('media_type');
    if (mimetype && !/html/.test(ctx.textOf(mimetype))) return;
    reportFlows(ctx, content, content, SinkKind.xss, `the HTML body of \`${name.split('.').pop()}()\``);
  },
  docs: {
    what: 'Reports untrusted data (request data, route parameters) that is written into an HTML response without escaping: a string returned from a Flask view, `make_response()`/`Response()`, Django `HttpResponse()`, `mark_safe()`/`Markup()`, Starlette and FastAPI `HTMLResponse()`. Values escaped with `html.escape()`, `markupsafe.escape()` or Django\'s `escape()`/`format_html()`, and responses with a non-HTML media type or built with `jsonify()`, are not reported. Templates rendered from files escape by themselves and are not sinks.' + FLOW_NOTE,
    why: 'A value from a request placed in HTML can carry `<script>`: it runs in the victim\'s browser with their session, reads the page, and acts as them (reflected cross-site scripting).',
    example: `from flask import request

@app.route("/hello")
def hello():
    return f"<h1>Hello {request.args['name']}</h1>"`,
    useInstead: `from markupsafe import escape

@app.route("/hello")
def hello():
    return f"<h1>Hello {escape(request.args['name'])}</h1>"`,
    references: [{ title: 'OWASP XSS Prevention Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html' }],
  },
});
