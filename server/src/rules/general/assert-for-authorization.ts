import type { Node } from '../../engine/parser';
import { defineRule, fix, replace, type RuleContext } from '../../engine/rule';
import type { Confidence, Fix } from '../../engine/types';
import { dottedName, stringValue, unparen } from '../../engine/syntax';
import { paren } from '../util/edits';

/** Attributes and methods whose value is an authentication or authorization decision. */
const AUTH_MEMBER =
  /^(is_(authenticated|anonymous|staff|superuser|admin|administrator|authorized|authorised|owner|logged_in|verified|moderator|member_of)|has_(perm|perms|permission|permissions|object_permission|role|roles|access|scope|scopes|group)|check_(password|permission|permissions|perm|perms|auth|token|signature|access|role)|verify_(password|token|signature|jwt|otp|totp|hmac)|user_passes_test|authenticate|authorize|authorise|is_allowed|can_(access|edit|view|delete|manage|admin|read|write|update|create))$/i;

/** Names that, compared with something, make the comparison an access decision (`user_role`, `api_token`; not `token_type`). */
const AUTH_NAME = /(^|_)(role|roles|permission|permissions|perm|perms|token|signature|sig|api_?key|apikey|password|passwd|secret|csrf|otp|totp|scope|scopes|owner|owner_id|group|groups|groupname|is_admin|admin)$/i;

const COMPARE_DIGEST = new Set(['hmac.compare_digest', 'secrets.compare_digest']);

/** Calls that inspect a value's shape, not who may act: `isinstance(token, str)`, `len(sig) == 64`. */
const SHAPE_CALLS = new Set(['isinstance', 'issubclass', 'hasattr', 'callable', 'len', 'type', 'getattr', 'str', 'int', 'bool']);

export interface AuthCheck {
  /** High for an auth attribute, method or `compare_digest`; medium for a comparison of a role/token-like name. */
  confidence: Confidence;
}

function isUserExpression(dotted: string): boolean {
  return /(^|\.)request\.user(\.|$)|^current_user(\.|$)|^g\.user(\.|$)/.test(dotted);
}

/** A name (identifier, attribute chain or subscript with a string key) that reads like a credential or role. */
function authishOperand(node: Node): boolean {
  const n = unparen(node);
  if (n.type === 'identifier' || n.type === 'attribute') {
    const dotted = dottedName(n);
    if (!dotted) return false;
    const last = dotted.slice(dotted.lastIndexOf('.') + 1);
    return AUTH_NAME.test(last) || isUserExpression(dotted);
  }
  if (n.type === 'subscript') {
    const key = stringValue(n.childForFieldName('subscript'));
    return (key !== null && AUTH_NAME.test(key.replace(/^x-/i, '').replace(/-/g, '_'))) || authishOperand(n.childForFieldName('value')!);
  }
  if (n.type === 'call') {
    // `request.headers.get("X-Api-Key")`, `session.get("role")`
    const fn = n.childForFieldName('function');
    const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : null;
    const key = stringValue(n.childForFieldName('arguments')?.namedChildren[0]);
    return method === 'get' && key !== null && AUTH_NAME.test(key.replace(/^x-/i, '').replace(/-/g, '_'));
  }
  return false;
}

function isPunctuation(node: Node): boolean {
  const v = stringValue(node);
  return v !== null && !/[A-Za-z0-9]/.test(v);
}

function isNoneOrNumber(node: Node): boolean {
  const n = unparen(node);
  return n.type === 'none' || n.type === 'integer' || n.type === 'float' || n.type === 'true' || n.type === 'false';
}

/**
 * Whether an assert condition is an access decision: an auth attribute or method
 * (`user.is_staff`, `user.has_perm(...)`, `check_password(...)`), `hmac.compare_digest`, a
 * comparison of a role/token/signature/owner, or a test of `request.user`.
 */
export function authorizationCheck(cond: Node, ctx: RuleContext, depth = 0): AuthCheck | null {
  if (depth > 20) return null;
  const n = unparen(cond);
  switch (n.type) {
    case 'not_operator':
      return authorizationCheck(n.childForFieldName('argument')!, ctx, depth + 1);
    case 'boolean_operator':
      return authorizationCheck(n.childForFieldName('left')!, ctx, depth + 1) ?? authorizationCheck(n.childForFieldName('right')!, ctx, depth + 1);
    case 'identifier':
    case 'attribute': {
      const dotted = dottedName(n);
      if (!dotted) return null;
      const last = dotted.slice(dotted.lastIndexOf('.') + 1);
      if (AUTH_MEMBER.test(last)) return { confidence: 'high' };
      if (isUserExpression(dotted)) return { confidence: 'medium' };
      return null;
    }
    case 'call': {
      const fn = n.childForFieldName('function');
      if (!fn) return null;
      const name = ctx.callName(n);
      if (name && COMPARE_DIGEST.has(name)) return { confidence: 'high' };
      if (name && SHAPE_CALLS.has(name)) return null;
      const dotted = dottedName(fn);
      const last = dotted ? dotted.slice(dotted.lastIndexOf('.') + 1) : null;
      if (last && AUTH_MEMBER.test(last)) return { confidence: 'high' };
      return null;
    }
    case 'comparison_operator': {
      const operands = n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
      const operators = n.children.filter((c) => c && !c.isNamed).map((c) => c!.text);
      // `x is None`, `len(token) == 32`, `count > 0` check presence or shape, not access.
      if (operators.some((o) => o === '<' || o === '>' || o === '<=' || o === '>=')) return null;
      if (operands.some(isNoneOrNumber)) return null;
      // A parser's `assert token == ")"` compares punctuation, not credentials.
      if (operands.some(isPunctuation)) return null;
      for (const o of operands) {
        const inner = unparen(o);
        if (inner.type === 'call' || inner.type === 'attribute' || inner.type === 'identifier') {
          const sub = authorizationCheck(inner, ctx, depth + 1);
          if (sub && sub.confidence === 'high') return { confidence: 'high' };
        }
      }
      if (operands.some(authishOperand)) return { confidence: 'medium' };
      return null;
    }
    default:
      return null;
  }
}

function shorten(text: string): string {
  const t = text.replace(/\s+/g, ' ');
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
}

/** The indentation unit to add for a block under a line indented with `indent`. */
function blockIndent(indent: string): string {
  return indent.includes('\t') ? '\t' : '    ';
}

/**
 * `if not (cond):\n<indent>    raise <exception>(msg)` for an assert statement that sits alone
 * on its line(s), or null when it shares a line with other code.
 */
export function assertToRaise(stmt: Node, ctx: RuleContext, exception: string, title: string, safety: Fix['safety']): Fix | null {
  const text = ctx.text;
  let lineStart = stmt.startIndex;
  while (lineStart > 0 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r') lineStart--;
  const indent = text.slice(lineStart, stmt.startIndex);
  if (!/^[ \t]*$/.test(indent)) return null;
  // Nothing but a comment after it on its last line (no `; more`).
  let lineEnd = stmt.endIndex;
  while (lineEnd < text.length && text[lineEnd] !== '\n' && text[lineEnd] !== '\r') lineEnd++;
  if (!/^\s*(#.*)?$/.test(text.slice(stmt.endIndex, lineEnd))) return null;
  const parts = stmt.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  const cond = parts[0];
  const msg = parts[1];
  if (!cond || parts.length > 2 || stmt.namedChildren.some((c) => c?.type === 'comment')) return null;
  const c = unparen(cond);
  let test: string;
  if (/[\r\n]/.test(ctx.textOf(cond))) {
    // A condition over several lines keeps (or gets) its parentheses, so the lines still join.
    test = `not ${cond.type === 'parenthesized_expression' ? ctx.textOf(cond) : `(${ctx.textOf(cond)})`}`;
  } else test = c.type === 'not_operator' ? paren(ctx, c.childForFieldName('argument')!) : `not ${paren(ctx, c)}`;
  const raise = msg ? `raise ${exception}(${ctx.textOf(msg)})` : `raise ${exception}`;
  return fix(title, safety, replace(stmt, `if ${test}:${ctx.eol}${indent}${blockIndent(indent)}${raise}`));
}

export default defineRule({
  id: 'SEC130',
  name: 'assert-for-authorization',
  local: true,
  summary: '`assert` used for an authentication or authorization check (removed by `python -O`)',
  owasp: { '2025': 'A01', '2021': 'A01' },
  cwe: [617, 285],
  severity: 'error',
  confidence: 'high',
  fix: 'sometimes',
  tags: ['authorization', 'django', 'flask'],
  nodeTypes: ['assert_statement'],
  appliesTo: (file) => !file.isTest,
  check(stmt, ctx) {
    const cond = stmt.namedChildren.find((c) => c && c.type !== 'comment');
    if (!cond) return;
    const check = authorizationCheck(cond, ctx);
    if (!check) return;
    const f = assertToRaise(stmt, ctx, 'PermissionError', 'Raise `PermissionError` instead of asserting', 'unsafe');
    ctx.report(stmt, {
      message: `\`assert ${shorten(ctx.textOf(cond))}\` is an access check that \`python -O\` removes`,
      confidence: check.confidence,
      fixes: f ? [f] : [],
    });
  },
  docs: {
    what: 'Finds `assert` statements whose condition decides who may do something: authentication and permission attributes and methods (`request.user.is_authenticated`, `user.is_staff`, `is_superuser`, `has_perm(...)`, `check_password(...)`, `verify_token(...)`), `hmac.compare_digest(...)`, comparisons of roles, tokens, signatures, API keys or owners (`user.role == "admin"`, `obj.owner == request.user`, `request.headers["X-Api-Key"] == API_KEY`), and tests of `request.user` / `current_user`. Test files are skipped. Presence and shape checks (`assert token is not None`, `assert len(sig) == 64`, `assert isinstance(token, str)`) are not reported.\n\nThis rule has no Bandit or Ruff alias on purpose: `# nosec B101` and `ignore = ["B101"]` usually silence the generic assert warning (SEC101), and should not hide an access check that disappears in production.',
    why: 'Python removes every `assert` statement when run with `-O` or `PYTHONOPTIMIZE=1`, which some Docker images, uWSGI/Gunicorn setups and packaging tools enable. An authorization check written as an assert then simply does not exist: any anonymous user reaches the admin view, any token is accepted (CWE-617). Even without `-O`, a failed assert surfaces as a 500 error rather than a 403.',
    example: `def delete_project(request, project_id):
    assert request.user.is_staff, "staff only"
    Project.objects.filter(pk=project_id).delete()`,
    useInstead: `from django.core.exceptions import PermissionDenied

def delete_project(request, project_id):
    if not request.user.is_staff:
        raise PermissionDenied("staff only")
    Project.objects.filter(pk=project_id).delete()`,
    fixSafety: 'The fix replaces `assert cond, msg` by `if not (cond): raise PermissionError(msg)`, which keeps the check under `python -O`. It is unsafe because the exception type changes from `AssertionError` to `PermissionError`: code that catches `AssertionError` around it, or tests that expect it, behave differently, and a framework may map the two to different responses. In Django prefer `django.core.exceptions.PermissionDenied` (a 403); in Flask `abort(403)`. It is offered only when the assert is alone on its line.',
    references: [
      { title: 'Python: The assert statement', url: 'https://docs.python.org/3/reference/simple_stmts.html#the-assert-statement' },
      { title: 'Python: -O command line option', url: 'https://docs.python.org/3/using/cmdline.html#cmdoption-O' },
      { title: 'OWASP Authorization Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Authorization_Cheat_Sheet.html' },
    ],
  },
});
