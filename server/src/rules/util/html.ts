// Strings built at run time, as the template and XSS rules see them: which expressions are
// spliced into an f-string, a `%` or `.format()` template, a `+` concatenation, `.replace()` or
// `.join()`; and whether a value marked as safe HTML (`mark_safe(x)`, `Markup(x)`) can carry
// markup that nobody escaped.

import type { Node } from '../../engine/parser';
import type { RuleContext } from '../../engine/rule';
import { assignmentsBefore, builtinCalled, isConstantValue, isModuleStringConstant } from '../../engine/scope';
import { callArgs, isConstant, plusOperands, stringPrefix, unparen } from '../../engine/syntax';

const MAX_DEPTH = 6;

const GETTEXT = /^(_|gettext|ugettext|gettext_lazy|ugettext_lazy|pgettext|pgettext_lazy|ngettext|ngettext_lazy|lazy_gettext|npgettext)$/;

/**
 * `_("Click <a href='/help'>here</a>")`: a translation of a constant message. Its text comes
 * from the developer and the translators, not from users, so it counts as a constant.
 */
function isTranslatedConstant(n: Node, ctx: RuleContext): boolean {
  if (n.type !== 'call') return false;
  const name = ctx.callName(n);
  const tail = name?.split('.').pop() ?? '';
  if (!GETTEXT.test(tail)) return false;
  const args = callArgs(n);
  return args.positional.length > 0 && args.positional.every((a) => isConstant(a)) && !args.hasStarArgs;
}

/** A string literal (f-strings included), a module-level string constant or a translated constant. */
function isStringish(node: Node | null | undefined, ctx: RuleContext): boolean {
  if (!node) return false;
  const n = unparen(node);
  if (n.type === 'string' || n.type === 'concatenated_string') return true;
  if (isTranslatedConstant(n, ctx)) return true;
  return n.type === 'identifier' && isModuleStringConstant(n, ctx);
}

function fstringParts(str: Node, out: Node[]): void {
  if (str.type === 'concatenated_string') {
    for (const part of str.namedChildren) if (part?.type === 'string') fstringParts(part, out);
    return;
  }
  if (str.type !== 'string' || !stringPrefix(str).includes('f')) return;
  for (const child of str.namedChildren) {
    const expr = child?.type === 'interpolation' ? child.childForFieldName('expression') : null;
    if (expr) out.push(expr);
  }
}

function methodCall(n: Node): { method: string; receiver: Node } | null {
  if (n.type !== 'call') return null;
  const fn = n.childForFieldName('function');
  if (fn?.type !== 'attribute') return null;
  const method = fn.childForFieldName('attribute')?.text;
  const receiver = fn.childForFieldName('object');
  return method && receiver ? { method, receiver } : null;
}

/**
 * The expressions spliced into a string built at run time, or null when `expr` is not such a
 * build. An f-string without replacement fields gives an empty list.
 */
export function interpolations(expr: Node, ctx: RuleContext): Node[] | null {
  const n = unparen(expr);
  const out: Node[] = [];
  if (n.type === 'string' || n.type === 'concatenated_string') {
    fstringParts(n, out);
    return out;
  }
  if (n.type === 'binary_operator') {
    const op = n.childForFieldName('operator')?.type;
    if (op === '%' && isStringish(n.childForFieldName('left'), ctx)) {
      const right = unparen(n.childForFieldName('right')!);
      if (right.type === 'tuple') out.push(...right.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment'));
      else if (right.type === 'dictionary') {
        for (const p of right.namedChildren) {
          const value = p?.type === 'pair' ? p.childForFieldName('value') : null;
          if (value) out.push(value);
        }
      } else out.push(right);
      return out;
    }
    if (op === '+') {
      const operands = plusOperands(n);
      if (!operands.some((o) => o.type === 'string' || o.type === 'concatenated_string')) return null;
      for (const o of operands) {
        if (o.type === 'string' || o.type === 'concatenated_string') fstringParts(o, out);
        else out.push(o);
      }
      return out;
    }
    return null;
  }
  const m = methodCall(n);
  if (!m || !isStringish(m.receiver, ctx)) return null;
  const args = callArgs(n);
  const all = [...args.positional, ...args.keywords.values()];
  if (m.method === 'format') {
    fstringParts(unparen(m.receiver), out);
    return [...out, ...all];
  }
  if (m.method === 'replace') return args.positional[1] ? [args.positional[1]] : [];
  if (m.method === 'join') {
    // `"".join(part for part in parts)`: what is joined is the generator's element.
    const gen = n.childForFieldName('arguments');
    if (gen?.type === 'generator_expression') {
      const body = gen.childForFieldName('body');
      return body ? [body] : [];
    }
    return all;
  }
  return null;
}

/**
 * A value that cannot carry attacker text: `isConstantValue`, where template text also counts
 * translated constant messages and strings that `.format()`, `.join()` or `.replace()` build
 * from constants.
 */
export function isConstantText(node: Node, ctx: RuleContext): boolean {
  return isConstantValue(node, ctx, (n, isConst) => isTranslatedConstant(n, ctx) || (interpolations(n, ctx)?.every(isConst) ?? false));
}

interface Unescaped {
  /** The expression that may carry markup. */
  node: Node;
  /** True when it is spliced into a string built right there (an f-string, `%`, `+`...). */
  built: boolean;
}

/**
 * `esc = conditional_escape if autoescape else (lambda x: x)` or `if autoescape: esc =
 * conditional_escape`: the pattern Django documents for filters with `needs_autoescape`.
 */
function isEscaperAlias(fn: Node | null, ctx: RuleContext, escapers: ReadonlySet<string>): boolean {
  if (fn?.type !== 'identifier') return false;
  return assignmentsBefore(fn, ctx).some((a) => {
    const v = unparen(a.value);
    const options = v.type === 'conditional_expression' ? v.namedChildren : [v];
    return options.some((o) => !!o && escapers.has(ctx.resolve(o) ?? ''));
  });
}

/** String methods whose result holds only the receiver's text (and constant arguments). */
const SAME_TEXT = new Set(['split', 'rsplit', 'splitlines', 'strip', 'lstrip', 'rstrip', 'lower', 'upper', 'title', 'capitalize', 'casefold', 'replace']);

const NUMERIC = new Set(['int', 'float', 'len', 'bool', 'round', 'abs']);

/**
 * The first sub-expression of `expr` that may carry unescaped markup, or null when every piece
 * is a constant, a number, or the result of one of `escapers` (qualified names).
 */
function unescapedHtml(expr: Node, ctx: RuleContext, escapers: ReadonlySet<string>, depth = 0): Unescaped | null {
  const n = unparen(expr);
  if (isConstant(n) || isTranslatedConstant(n, ctx)) return null;
  if (depth > MAX_DEPTH) return { node: n, built: false };
  switch (n.type) {
    case 'identifier': {
      // What the name was given before here (`value = escape(value)` is the usual filter
      // idiom, so a parameter reassigned before the call counts as its new value); a name
      // with no such assignment is fine when it is a constant.
      const assigns = assignmentsBefore(n, ctx);
      if (assigns.length === 0) return isConstantText(n, ctx) ? null : { node: n, built: false };
      for (const a of assigns) {
        const bad = unescapedHtml(a.value, ctx, escapers, depth + 1);
        if (bad) return bad;
      }
      return null;
    }
    case 'conditional_expression': {
      const [a, , b] = n.namedChildren;
      return (a && unescapedHtml(a, ctx, escapers, depth + 1)) || (b && unescapedHtml(b, ctx, escapers, depth + 1)) || null;
    }
    case 'call': {
      if (escapers.has(ctx.callName(n) ?? '') || NUMERIC.has(builtinCalled(n, ctx) ?? '')) return null;
      if (isEscaperAlias(n.childForFieldName('function'), ctx, escapers)) return null;
      break;
    }
  }
  const parts = interpolations(n, ctx);
  if (parts) {
    for (const p of parts) {
      const bad = unescapedHtml(p, ctx, escapers, depth + 1);
      if (bad) return { node: bad.node, built: true };
    }
    return null;
  }
  // `escape(text).split("\n")`, `.strip()`, `.replace("\n", "<br>")`: still the escaped text.
  const m = methodCall(n);
  if (m && SAME_TEXT.has(m.method)) {
    const replaced = m.method === 'replace' ? callArgs(n).positional[1] : undefined;
    return unescapedHtml(m.receiver, ctx, escapers, depth + 1) ?? (replaced ? unescapedHtml(replaced, ctx, escapers, depth + 1) : null);
  }
  return { node: n, built: false };
}

/** Source of a short expression in backticks for a message, or a description when it is long. */
export function describe(ctx: RuleContext, node: Node): string {
  const t = ctx.textOf(node);
  return t.length <= 40 && !/[\r\n]/.test(t) ? `\`${t}\`` : 'a run-time value';
}

/**
 * Reports `label()` (`mark_safe`, `Markup`...) on `arg` when `arg` may carry markup nobody
 * escaped: with high confidence when that markup is spliced into a string built right there.
 */
export function reportUnescapedHtml(ctx: RuleContext, call: Node, arg: Node, label: string, escapers: ReadonlySet<string>): void {
  const bad = unescapedHtml(arg, ctx, escapers);
  if (!bad) return;
  const what = describe(ctx, bad.node);
  ctx.report(call, {
    message: bad.built ? `\`${label}()\` on HTML built from ${what}, which is not escaped` : `\`${label}()\` on ${what}, which may contain unescaped HTML`,
    confidence: bad.built ? 'high' : 'medium',
  });
}
