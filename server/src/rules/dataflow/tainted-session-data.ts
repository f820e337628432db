import type { Node } from '../../engine/parser';
import { defineRule, type RuleContext } from '../../engine/rule';
import { SinkKind } from '../../engine/taint';
import { callArgs, dottedName, stringValue, unparen } from '../../engine/syntax';
import { importsAny } from '../util/frameworks';
import { DIRECT_FLOW_NOTE, remoteAndDirect, reportFlows } from './report';

const FLASK_SESSION = new Set(['flask.session', 'flask.globals.session', 'quart.session']);
/** Django's `request.session`, and Starlette's with `SessionMiddleware`. */
const REQUEST_SESSION = /^(self\.)?(request|req)\.session$/;

/** Whether `expr` is the session: Flask's `session`, or `request.session` in Django and Starlette. */
function isSession(expr: Node | null | undefined, ctx: RuleContext): boolean {
  if (!expr) return false;
  const e = unparen(expr);
  if (e.type !== 'identifier' && e.type !== 'attribute') return false;
  const q = ctx.resolve(e);
  if (q && FLASK_SESSION.has(q)) return true;
  const name = dottedName(e);
  return !!name && REQUEST_SESSION.test(name) && importsAny(ctx.facts, ['django', 'rest_framework', 'starlette', 'fastapi']);
}

/** "the session (`session[\"user\"]`)" for a literal key, else "the session". */
function place(session: Node, key: Node | string | null | undefined, ctx: RuleContext): string {
  const k = typeof key === 'string' ? key : key ? stringValue(key) : null;
  return k !== null && k.length <= 40 ? `the session (\`${ctx.textOf(session)}[${JSON.stringify(k)}]\`)` : 'the session';
}

/** Reports the value stored under a key, or else the key itself when the request chooses it. */
function store(ctx: RuleContext, session: Node, key: Node | string | null | undefined, value: Node | null | undefined): void {
  if (value && reportFlows(ctx, value, value, SinkKind.session, place(session, key, ctx), 'medium', undefined, remoteAndDirect)) return;
  if (key && typeof key !== 'string' && stringValue(key) === null) reportFlows(ctx, key, key, SinkKind.session, 'the name of a session key', 'medium', undefined, remoteAndDirect);
}

export default defineRule({
  id: 'SEC915',
  name: 'tainted-session-data',
  summary: 'Request data is stored in the session without validation (trust boundary violation)',
  owasp: { '2025': 'A06', '2021': 'A04' },
  cwe: [501],
  severity: 'warning',
  confidence: 'medium',
  tags: ['dataflow', 'sessions', 'flask', 'django'],
  nodeTypes: ['assignment', 'augmented_assignment', 'call'],
  appliesTo: (_file, facts) => importsAny(facts, ['flask', 'quart', 'django', 'rest_framework', 'starlette', 'fastapi']),
  check(node, ctx) {
    if (node.type === 'call') {
      // `session.update({...})`, `session.update(user=name)`, `request.session.setdefault("k", v)`.
      const fn = node.childForFieldName('function');
      const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : null;
      const session = fn?.childForFieldName('object') ?? null;
      if ((method !== 'update' && method !== 'setdefault') || !session || !isSession(session, ctx)) return;
      const args = callArgs(node);
      if (method === 'setdefault') {
        store(ctx, session, args.positional[0], args.positional[1] ?? args.keywords.get('default'));
        return;
      }
      for (const a of args.positional) {
        const d = unparen(a);
        if (d.type === 'dictionary') {
          for (const pair of d.namedChildren) if (pair?.type === 'pair') store(ctx, session, pair.childForFieldName('key'), pair.childForFieldName('value'));
        } else store(ctx, session, null, a);
      }
      for (const [k, v] of args.keywords) store(ctx, session, k, v);
      return;
    }
    // `session["user"] = value`, `request.session["cart"][item] = qty`, `session["n"] += value`.
    const left = node.childForFieldName('left');
    const value = node.childForFieldName('right');
    if (left?.type !== 'subscript' || !value || value.type === 'assignment') return;
    let target: Node = left;
    const keys: Node[] = [];
    while (target.type === 'subscript') {
      const k = target.childForFieldName('subscript');
      if (k) keys.unshift(k);
      const inner = target.childForFieldName('value');
      if (!inner) return;
      target = unparen(inner);
    }
    if (!isSession(target, ctx)) return;
    if (reportFlows(ctx, value, value, SinkKind.session, place(target, keys[0], ctx), 'medium', undefined, remoteAndDirect)) return;
    for (const k of keys) if (stringValue(k) === null && reportFlows(ctx, k, k, SinkKind.session, 'the name of a session key', 'medium', undefined, remoteAndDirect)) return;
  },
  docs: {
    what:
      "Reports request data (query and form parameters, JSON bodies, headers, route parameters) stored in the server-side session as it came: Flask's `session[\"k\"] = value`, Django's and Starlette's `request.session[\"k\"] = value`, nested keys, `+=`, and `session.update(...)` / `session.setdefault(...)`, and session keys chosen by the request. Values checked first (`if value in ALLOWED:`, `if value.isdigit():`, a `validate...()`/`is_valid...()` call), converted (`int()`, `uuid.UUID()`) or derived through a call the analysis cannot see into (`User.objects.get(name=...)`) are not reported." +
      DIRECT_FLOW_NOTE,
    why: "Code that reads the session trusts it: it was written by the server, so it is rarely checked again. Storing a request value there unvalidated moves it across that trust boundary, and later code acts on it as if the server had vouched for it: a `role` or `user_id` from a form becomes an authorization decision, a `next` URL becomes a redirect, a `cart` price becomes a charge. A session key taken from the request (`session[request.args[\"k\"]] = ...`) lets the user overwrite any key, `user_id` included.",
    example: `from flask import request, session

@app.route("/preferences", methods=["POST"])
def preferences():
    session["role"] = request.form["role"]`,
    useInstead: `ROLES = {"viewer", "editor"}

@app.route("/preferences", methods=["POST"])
def preferences():
    role = request.form["role"]
    if role not in ROLES:
        abort(400)
    session["role"] = role`,
    references: [
      { title: 'CWE-501: Trust Boundary Violation', url: 'https://cwe.mitre.org/data/definitions/501.html' },
      { title: 'OWASP Session Management Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html' },
    ],
  },
});
