import type { Node } from '../../engine/parser';
import { defineRule, fix, type RuleContext } from '../../engine/rule';
import type { Fix } from '../../engine/types';
import { callArgs, dottedName, unparen } from '../../engine/syntax';
import { constructedKey, isConstructedBy } from '../util/frameworks';
import { words } from '../util/names';

const DJANGO_EXEMPT = 'django.views.decorators.csrf.csrf_exempt';
const METHOD_DECORATOR = 'django.utils.decorators.method_decorator';
/** Endpoints that must accept cross-site POSTs and authenticate them another way (signatures). */
const WEBHOOK_WORDS = new Set(['webhook', 'webhooks', 'hook', 'hooks', 'callback', 'callbacks', 'ipn', 'notify', 'notification', 'notifications']);

/** `@csrf.exempt` / `csrf.exempt(bp)` of Flask-WTF: the receiver is a `CSRFProtect` (or named like one, when imported). */
function isFlaskWtfExempt(expr: Node, ctx: RuleContext): boolean {
  if (expr.type !== 'attribute' || expr.childForFieldName('attribute')?.text !== 'exempt') return false;
  const receiver = expr.childForFieldName('object');
  if (isConstructedBy(receiver, 'csrfProtect', ctx)) return true;
  // `from .extensions import csrf`: relative imports are not resolved, so go by the name.
  return receiver?.type === 'identifier' && words(receiver.text).includes('csrf');
}

function exemptKind(expr: Node, ctx: RuleContext): 'django' | 'flask' | null {
  if (ctx.resolve(expr) === DJANGO_EXEMPT) return 'django';
  return isFlaskWtfExempt(expr, ctx) ? 'flask' : null;
}

/** The view's name for the webhook heuristic: the decorated function or class, or the wrapped view. */
function viewName(at: Node, wrapped: Node | null): string {
  if (wrapped) return dottedName(wrapped.type === 'call' ? wrapped.childForFieldName('function') : wrapped) ?? '';
  for (let n = at.parent; n; n = n.parent) {
    if (n.type === 'decorated_definition') return n.childForFieldName('definition')?.childForFieldName('name')?.text ?? '';
    if (n.type === 'class_definition' || n.type === 'function_definition') return n.childForFieldName('name')?.text ?? '';
  }
  return '';
}

/** Removes the exemption: the decorator's line, or `csrf_exempt(view)` becomes `view`. */
function removeExemption(ctx: RuleContext, at: Node, wrapped: Node | null): Fix[] {
  const title = 'Remove the CSRF exemption';
  if (at.type === 'decorator') {
    const text = ctx.text;
    const lineStart = text.lastIndexOf('\n', at.startIndex - 1) + 1;
    if (text.slice(lineStart, at.startIndex).trim() !== '') return [];
    const nl = text.indexOf('\n', at.endIndex);
    const end = nl === -1 ? text.length : nl + 1;
    return [fix(title, 'unsafe', { start: lineStart, end, newText: '' })];
  }
  // `path("hook/", csrf_exempt(view))`: only when the call wraps exactly one value in an expression.
  if (!wrapped || at.type !== 'call' || at.parent?.type === 'expression_statement') return [];
  const args = callArgs(at);
  if (args.positional.length !== 1 || args.keywords.size !== 0) return [];
  return [fix(title, 'unsafe', { start: at.startIndex, end: at.endIndex, newText: ctx.textOf(wrapped) })];
}

function report(ctx: RuleContext, at: Node, kind: 'django' | 'flask', wrapped: Node | null): void {
  const webhook = words(viewName(at, wrapped)).some((w) => WEBHOOK_WORDS.has(w));
  ctx.report(at, {
    message: kind === 'django' ? 'View is exempted from CSRF protection with `csrf_exempt`' : 'View is exempted from CSRF protection with Flask-WTF `csrf.exempt`',
    ...(webhook ? { confidence: 'low' as const } : {}),
    fixes: removeExemption(ctx, at, wrapped),
  });
}

export default defineRule({
  id: 'SEC213',
  name: 'csrf-exempt',
  local: true,
  fileKey: constructedKey,
  summary: 'View exempted from CSRF protection (`@csrf_exempt`, Flask-WTF `@csrf.exempt`)',
  owasp: { '2025': 'A01', '2021': 'A01' },
  cwe: [352],
  severity: 'warning',
  confidence: 'medium',
  fix: 'sometimes',
  tags: ['django', 'flask', 'csrf'],
  nodeTypes: ['decorator', 'call'],
  appliesTo: (file) => !file.isTest,
  check(node, ctx) {
    if (node.type === 'decorator') {
      const expr = node.namedChildren.find((c) => c && c.type !== 'comment');
      if (!expr || expr.type === 'call') return; // calls are seen by the `call` branch
      const kind = exemptKind(unparen(expr), ctx);
      if (kind) report(ctx, node, kind, null);
      return;
    }
    const fn = node.childForFieldName('function');
    if (!fn) return;
    const args = callArgs(node);
    const kind = exemptKind(fn, ctx);
    if (kind) {
      // `path("hook/", csrf_exempt(HookView.as_view()))`, `csrf.exempt(api_blueprint)`.
      report(ctx, node, kind, args.positional[0] ?? null);
      return;
    }
    if (ctx.resolve(fn) !== METHOD_DECORATOR) return;
    // `@method_decorator(csrf_exempt, name="dispatch")`, `@method_decorator([csrf_exempt, login_required])`.
    const first = args.positional[0] ?? args.keywords.get('decorator');
    if (!first) return;
    const f = unparen(first);
    const candidates = f.type === 'list' || f.type === 'tuple' ? f.namedChildren : [f];
    for (const c of candidates) if (c && ctx.resolve(c) === DJANGO_EXEMPT) report(ctx, c, 'django', null);
  },
  docs: {
    what: "Finds Django views exempted from CSRF checks: `@csrf_exempt` (however it is imported), `csrf_exempt(view)` in URL configurations, and `@method_decorator(csrf_exempt, ...)` on class-based views; and Flask-WTF's `@csrf.exempt` on views and `csrf.exempt(blueprint)`. Views whose name says they receive webhooks or callbacks (`stripe_webhook`, `PaymentCallbackView`) are reported with low confidence, since those must accept cross-site POSTs and should verify a signature instead.",
    why: "CSRF protection makes sure a state-changing request comes from your own pages. An exempt view accepts a form that any other site posts from a logged-in user's browser: change the email address, transfer money, add an admin. `SameSite=Lax` session cookies stop some of these requests, but not those from sibling subdomains or older browsers.",
    example: `from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def update_email(request):
    request.user.email = request.POST["email"]
    request.user.save()`,
    useInstead: `from django.views.decorators.http import require_POST


@require_POST
def update_email(request):  # the CSRF middleware checks the token from {% csrf_token %}
    request.user.email = request.POST["email"]
    request.user.save()


# A webhook: exempt, but verify the sender's signature.
@csrf_exempt
def stripe_webhook(request):
    event = stripe.Webhook.construct_event(request.body, request.headers["Stripe-Signature"], WEBHOOK_SECRET)
    ...`,
    fixSafety: 'The fix removes the exemption: the `@csrf_exempt` / `@csrf.exempt` line, or `csrf_exempt(view)` becomes `view` in a URL configuration. It is unsafe: POSTs that do not send a CSRF token (an API client, a webhook sender) start failing with 403. Webhooks should stay exempt and verify the sender\'s signature instead. No fix is offered for `method_decorator(csrf_exempt, ...)` or for `csrf.exempt(blueprint)` statements.',
    references: [
      { title: 'Django: Cross Site Request Forgery protection', url: 'https://docs.djangoproject.com/en/stable/ref/csrf/' },
      { title: 'Flask-WTF: CSRF Protection', url: 'https://flask-wtf.readthedocs.io/en/latest/csrf/' },
      { title: 'OWASP Cross-Site Request Forgery Prevention Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html' },
    ],
  },
});
