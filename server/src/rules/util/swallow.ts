// `except Exception: pass` and `except: continue`: handlers that swallow every error, and
// whether the guarded code was a security check (a token, signature or password verification)
// whose failure is then ignored.

import type { Node } from '../../engine/parser';
import type { RuleContext } from '../../engine/rule';
import { dottedName, pushNamedChildren, unparen } from '../../engine/syntax';

const BROAD = new Set(['Exception', 'BaseException', 'builtins.Exception', 'builtins.BaseException']);

/** Calls that verify something: their exception is the "no". */
const SECURITY_CALLS = new Set([
  'jwt.decode',
  'jose.jwt.decode',
  'hmac.compare_digest',
  'secrets.compare_digest',
  'django.contrib.auth.authenticate',
  'django.contrib.auth.hashers.check_password',
  'werkzeug.security.check_password_hash',
  'bcrypt.checkpw',
  'django.core.signing.loads',
  'rsa.verify',
]);

const SECURITY_METHODS =
  /^(verify|verify_\w+|\w+_verify|check_password|check_password_hash|checkpw|authenticate|authorize|has_perm|has_perms|has_permission|has_object_permission|check_permissions?|check_object_permissions|validate_token|validate_signature|validate_jwt|verify_signature|check_signature|unsign|unsign_object|decode_token|verify_token|verify_jwt|verify_password|validate_password|compare_digest|check_token|check_csrf|csrf_protect|full_clean)$/;

/** The broad exception an `except` clause catches (`except`, `except Exception`, `except (ValueError, Exception) as e`), or null for narrow ones. */
export function broadCatch(clause: Node, ctx: RuleContext): string | null {
  const value = clause.childForFieldName('value') ?? clause.namedChildren.find((c) => c && c.type !== 'block' && c.type !== 'comment') ?? null;
  if (!value) return 'bare `except:`';
  let types = unparen(value);
  if (types.type === 'as_pattern') types = unparen(types.namedChildren[0]!);
  const list = types.type === 'tuple' ? types.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') : [types];
  for (const t of list) {
    const name = ctx.resolve(t) ?? dottedName(t);
    if (name && BROAD.has(name)) return `\`except ${name.replace(/^builtins\./, '')}\``;
  }
  return null;
}

/** The only statement of an except block, when it is `pass`/`...` or `continue`, else null. */
export function soleStatement(clause: Node): 'pass' | 'continue' | null {
  const block = clause.namedChildren.find((c) => c?.type === 'block');
  if (!block) return null;
  const stmts = block.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  if (stmts.length !== 1) return null;
  const s = stmts[0]!;
  if (s.type === 'pass_statement') return 'pass';
  if (s.type === 'continue_statement') return 'continue';
  if (s.type === 'expression_statement' && s.namedChildren[0]?.type === 'ellipsis') return 'pass';
  return null;
}

/** The first security check called in the `try` body, as source text (`jwt.decode`), or null. */
export function securityCheckIn(tryStmt: Node, ctx: RuleContext): string | null {
  const body = tryStmt.childForFieldName('body');
  if (!body) return null;
  const stack: Node[] = [];
  pushNamedChildren(stack, body);
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') continue;
    if (n.type === 'call') {
      const fn = n.childForFieldName('function');
      const name = ctx.callName(n);
      const dotted = dottedName(fn);
      if (name && SECURITY_CALLS.has(name)) return dotted ?? name;
      const last = dotted ? dotted.slice(dotted.lastIndexOf('.') + 1) : null;
      if (last && SECURITY_METHODS.test(last)) return dotted;
    }
    pushNamedChildren(stack, n);
  }
  return null;
}

export function checkSwallow(clause: Node, ctx: RuleContext, kind: 'pass' | 'continue'): void {
  if (soleStatement(clause) !== kind) return;
  const caught = broadCatch(clause, ctx);
  if (!caught) return;
  const tryStmt = clause.parent;
  if (tryStmt?.type !== 'try_statement') return;
  const check = securityCheckIn(tryStmt, ctx);
  const then = kind === 'pass' ? 'ignores it' : 'skips to the next iteration';
  if (check) {
    ctx.report(clause, {
      message: `${caught} with \`${kind}\` swallows the failure of \`${check}()\`: a rejected check ${kind === 'pass' ? 'is ignored and execution continues' : 'is silently skipped'}`,
      severity: 'error',
      confidence: 'high',
    });
    return;
  }
  ctx.report(clause.firstChild ?? clause, { message: `${caught} with \`${kind}\` catches every error and ${then}` });
}
