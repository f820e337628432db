import type { Node } from '../../engine/parser';
import { defineRule, fix, type RuleContext } from '../../engine/rule';
import { assignmentsBefore } from '../../engine/scope';
import { callArgs, stringValue, unparen } from '../../engine/syntax';
import type { OffsetEdit } from '../../engine/types';
import { jwtCall } from '../util/jwt';
import { callsOutsideFunctions } from '../util/outside-functions';

/** The dict literal that is the payload: inline, or assigned once to a name in the same function. */
function payloadDict(arg: Node, ctx: RuleContext): Node | null {
  const a = unparen(arg);
  if (a.type === 'dictionary') return a;
  if (a.type === 'identifier') {
    const assigns = assignmentsBefore(a, ctx);
    if (assigns.length !== 1 || assigns[0]!.augmented) return null;
    const v = unparen(assigns[0]!.value);
    if (v.type !== 'dictionary') return null;
    // `payload["exp"] = ...` or `payload.update(exp=...)` later on: can't tell, stay quiet.
    const scope = ctx.textOf({ start: assigns[0]!.node.endIndex, end: a.startIndex });
    if (new RegExp(`\\b${a.text}\\s*(\\[|\\.update\\b|\\.setdefault\\b|\\|=)`).test(scope)) return null;
    return v;
  }
  return null;
}

/**
 * The `fileKey`. `payloadDict` reads the text between a name's assignment and its use; for a
 * name of the module (a call outside every function, or in a module-level lambda) that text
 * spans the functions in between. Its answer for each such call, with the call's payload. A file
 * without `jwt` in its text has no `jwt.encode` call (the name or its import would spell it).
 */
function payloadKey(ctx: RuleContext): string {
  if (!/jwt/.test(ctx.text)) return '';
  const out: string[] = [];
  for (const call of callsOutsideFunctions(ctx)) {
    if (jwtCall(call, ctx) !== 'encode') continue;
    const args = callArgs(call);
    const payload = args.keywords.get('payload') ?? args.positional[0];
    if (payload && unparen(payload).type === 'identifier') out.push(`${ctx.textOf(payload)}:${payloadDict(payload, ctx) ? 1 : 0}`);
  }
  return out.join('\n');
}

function insertExp(dict: Node, ctx: RuleContext, value: string): OffsetEdit | null {
  const items = dict.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  const close = dict.lastChild;
  if (!close || close.type !== '}') return null;
  const entry = `"exp": ${value}`;
  if (items.length === 0) return { start: close.startIndex, end: close.startIndex, newText: entry };
  const last = items[items.length - 1]!;
  let trailing: Node | null = null;
  for (let n = last.nextSibling; n && n.id !== close.id; n = n.nextSibling) if (n.type === ',') trailing = n;
  const multiLine = /[\r\n]/.test(ctx.textOf({ start: dict.startIndex, end: last.startIndex }));
  if (multiLine) {
    let ls = last.startIndex;
    while (ls > 0 && ctx.text[ls - 1] !== '\n' && ctx.text[ls - 1] !== '\r') ls--;
    const indent = /^[ \t]*/.exec(ctx.text.slice(ls, last.startIndex))![0];
    if (trailing) return { start: trailing.endIndex, end: trailing.endIndex, newText: `${ctx.eol}${indent}${entry},` };
    return { start: last.endIndex, end: last.endIndex, newText: `,${ctx.eol}${indent}${entry}` };
  }
  if (trailing) return { start: trailing.endIndex, end: trailing.endIndex, newText: ` ${entry}` };
  return { start: last.endIndex, end: last.endIndex, newText: `, ${entry}` };
}

export default defineRule({
  id: 'SEC523',
  name: 'jwt-without-expiry',
  summary: '`jwt.encode()` payload without an `exp` claim: the token never expires',
  owasp: { '2025': 'A07', '2021': 'A07' },
  cwe: [613],
  severity: 'warning',
  confidence: 'high',
  fix: 'always',
  tags: ['jwt'],
  nodeTypes: ['call'],
  local: true,
  fileKey: payloadKey,
  check(call, ctx) {
    if (jwtCall(call, ctx) !== 'encode') return;
    const args = callArgs(call);
    const payload = args.keywords.get('payload') ?? args.positional[0];
    if (!payload) return;
    const dict = payloadDict(payload, ctx);
    if (!dict) return;
    for (const item of dict.namedChildren) {
      if (item?.type === 'dictionary_splat') return;
      if (item?.type === 'pair' && stringValue(item.childForFieldName('key')) === 'exp') return;
    }
    const dt = ctx.requireImport('datetime');
    const value = `${dt.ref}.datetime.now(${dt.ref}.timezone.utc) + ${dt.ref}.timedelta(minutes=15)`;
    const edit = insertExp(dict, ctx, value);
    ctx.report(unparen(payload) === dict ? dict : payload, {
      message: 'JWT payload has no `exp` claim, so the token is valid forever',
      fixes: edit ? [fix('Add `"exp"`: now + 15 minutes', 'unsafe', edit, dt.edits)] : [],
    });
  },
  docs: {
    what: 'Finds `jwt.encode()` calls (PyJWT and python-jose) whose payload is a dict literal, inline or assigned in the same function, with no `"exp"` claim.',
    why: 'A token without `exp` never expires: if it leaks (logs, browser storage, a compromised device) it works for as long as the signing key does. Access tokens should live 15 to 60 minutes, with refresh tokens for longer sessions.',
    example: `token = jwt.encode({"sub": user.id}, SECRET_KEY, algorithm="HS256")`,
    useInstead: `import datetime

token = jwt.encode(
    {"sub": user.id, "exp": datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=15)},
    SECRET_KEY,
    algorithm="HS256",
)`,
    fixSafety: 'The fix adds `"exp": datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=15)` (and `import datetime` when missing). Tokens then stop working after 15 minutes, which changes behaviour for clients that relied on long-lived tokens, so the fix is unsafe and applied only on request.',
  },
});
