import { defineRule } from '../../engine/rule';
import { SinkKind } from '../../engine/taint';
import { callArgs } from '../../engine/syntax';
import { fixedOrigin } from './fixed-prefix';
import { FLOW_NOTE, reportFlows } from './report';

const CALLS = new Set(['flask.redirect', 'werkzeug.utils.redirect', 'quart.redirect', 'django.shortcuts.redirect', 'django.http.HttpResponseRedirect', 'django.http.HttpResponsePermanentRedirect', 'django.http.response.HttpResponseRedirect', 'starlette.responses.RedirectResponse', 'fastapi.responses.RedirectResponse']);

export default defineRule({
  id: 'SEC907',
  name: 'tainted-redirect',
  summary: 'Request data or other untrusted input chooses where a response redirects (open redirect)',
  owasp: { '2025': 'A01', '2021': 'A01' },
  cwe: [601],
  severity: 'warning',
  confidence: 'high',
  tags: ['dataflow', 'flask', 'django', 'fastapi'],
  nodeTypes: ['call'],
  check(call, ctx) {
    const name = ctx.callName(call);
    if (!name || !CALLS.has(name)) return;
    const args = callArgs(call);
    const target = args.positional[0] ?? args.keywords.get('location') ?? args.keywords.get('redirect_to') ?? args.keywords.get('url') ?? args.keywords.get('to') ?? null;
    if (!target) return;
    // `"/profile/" + name` stays on this site.
    if (fixedOrigin(target, ctx, true)) return;
    reportFlows(ctx, target, target, SinkKind.redirect, `the redirect target of \`${name.split('.').pop()}()\``);
  },
  docs: {
    what: 'Reports untrusted data (typically a `next` or `return_to` parameter) that becomes the target of a redirect in Flask, Django, Starlette or FastAPI. Targets with a fixed site-local prefix (`"/profile/" + name`) or a fixed host, and targets checked with `url_has_allowed_host_and_scheme()` or against an allowlist, are not reported.' + FLOW_NOTE,
    why: 'A link to your own domain that redirects to the attacker\'s (`/login?next=https://evil.example`) makes phishing pages look trusted and can leak OAuth codes and tokens carried in the URL.',
    example: `from flask import redirect, request

@app.route("/login", methods=["POST"])
def login():
    return redirect(request.args.get("next", "/"))`,
    useInstead: `from django.utils.http import url_has_allowed_host_and_scheme

def login(request):
    target = request.GET.get("next", "/")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("/")`,
    references: [{ title: 'OWASP Unvalidated Redirects and Forwards Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html' }],
  },
});
