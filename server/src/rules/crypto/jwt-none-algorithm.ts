import type { Node } from '../../engine/parser';
import { defineRule, fix } from '../../engine/rule';
import { callArgs, stringValue, unparen } from '../../engine/syntax';
import { removeArgument } from '../util/edits';
import { jwtCall } from '../util/jwt';

function isNone(node: Node | null | undefined): boolean {
  const v = stringValue(node);
  return v !== null && v.toLowerCase() === 'none';
}

export default defineRule({
  id: 'SEC522',
  name: 'jwt-none-algorithm',
  local: true,
  summary: 'JWT signed or accepted with the `none` algorithm',
  owasp: { '2025': 'A07', '2021': 'A07' },
  cwe: [347, 327],
  severity: 'error',
  confidence: 'high',
  fix: 'sometimes',
  tags: ['jwt'],
  nodeTypes: ['call'],
  check(call, ctx) {
    const kind = jwtCall(call, ctx);
    if (!kind) return;
    const args = callArgs(call);
    if (kind === 'encode') {
      const alg = args.keywords.get('algorithm') ?? args.positional[2];
      if (isNone(alg)) ctx.report(alg!, { message: '`jwt.encode()` with `algorithm="none"` issues unsigned tokens' });
      return;
    }
    const algs = args.keywords.get('algorithms');
    if (!algs) return;
    const list = unparen(algs);
    if (list.type !== 'list' && list.type !== 'tuple' && list.type !== 'set') {
      if (isNone(list)) ctx.report(list, { message: '`jwt.decode()` accepts unsigned tokens (`"none"` algorithm)' });
      return;
    }
    const items = list.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
    const bad = items.filter(isNone);
    const good = items.filter((c) => !isNone(c));
    for (const b of bad) {
      ctx.report(b, {
        message: '`jwt.decode()` accepts unsigned tokens (`"none"` in `algorithms`)',
        fixes: good.length > 0 ? [fix('Remove `"none"` from the accepted algorithms', 'safe', removeArgument(b))] : [],
      });
    }
  },
  docs: {
    what: 'Finds `jwt.encode(..., algorithm="none")` and `jwt.decode(..., algorithms=[..., "none"])` (PyJWT and python-jose).',
    why: 'A token with `alg: none` carries no signature. Accepting it lets anyone mint tokens with any claims; issuing it means the tokens you hand out can be altered freely.',
    example: `jwt.decode(token, key, algorithms=["HS256", "none"])`,
    useInstead: `jwt.decode(token, key, algorithms=["HS256"])`,
    fixSafety: 'Removing `"none"` from a list that also names a real algorithm only rejects unsigned tokens, which no legitimate issuer produces, so the fix is safe. No fix is offered when `"none"` is the only algorithm.',
  },
});
