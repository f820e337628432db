// Which interpolations in a SQL query cannot carry attacker-controlled SQL: constants, numbers,
// placeholder lists, values looked up in constant tables, and names checked against an
// allowlist before use; and, for the raw-SQL APIs, whether a query can carry any.

import type { Node } from '../../engine/parser';
import type { RuleContext } from '../../engine/rule';
import { assignmentsBefore, builtinCalled, isConstantValue, isModuleStringConstant, readScope } from '../../engine/scope';
import { callArgs, dottedName, enclosingStatement, isConstant, stringValue, unparen } from '../../engine/syntax';
import { locateQuery, type Located } from './sql';

const PLACEHOLDER_LITERAL = /^\s*(\?|%s|%\([a-z_]\w*\)s|:\w+|\$\d+)?\s*(,\s*)?$/i;

function isPlaceholderBuilder(node: Node): boolean {
  // ", ".join(["%s"] * len(ids)), ",".join("?" * len(ids)), ",".join("%s" for _ in ids)
  const fn = node.childForFieldName('function');
  if (node.type !== 'call' || fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'join') return false;
  const sep = stringValue(fn.childForFieldName('object'));
  if (sep === null || !/^\s*,?\s*$/.test(sep)) return false;
  const arg = callArgs(node).positional[0];
  if (!arg) return false;
  let sawPlaceholder = false;
  const stack: Node[] = [arg];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'string') {
      const v = stringValue(n);
      if (v === null || !PLACEHOLDER_LITERAL.test(v)) return false;
      sawPlaceholder = true;
      continue;
    }
    for (const c of n.namedChildren) if (c) stack.push(c);
  }
  return sawPlaceholder;
}

const NUMERIC_CALLS = new Set(['int', 'float', 'len', 'bool', 'round', 'abs', 'min', 'max', 'ord', 'hash']);

function membershipName(cond: Node | null, negated: boolean): string | null {
  if (!cond) return null;
  const c = unparen(cond);
  if (c.type !== 'comparison_operator') return null;
  const ops = c.children.filter((x) => x && !x.isNamed).map((x) => x!.type).join(' ');
  const left = c.namedChildren[0];
  if (left?.type !== 'identifier') return null;
  return (negated ? ops === 'not in' : ops === 'in') ? left.text : null;
}

interface Guard {
  name: string;
  /** Offset from which the guard protects the name. */
  from: number;
  /** For `if name in X:` the block it protects; otherwise everything after `from`. */
  until: number;
}

/** Allowlist guards of a scope, collected once by visiting its statements (never expressions). */
function guardsOf(scope: Node, ctx: RuleContext): Guard[] {
  return ctx.memo(`sql:guards:${scope.id}`, () => {
    const guards: Guard[] = [];
    const stack: Node[] = [scope];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.type === 'assert_statement') {
        const name = membershipName(n.namedChildren[0] ?? null, false);
        if (name) guards.push({ name, from: n.endIndex, until: Infinity });
      } else if (n.type === 'if_statement') {
        const cond = n.childForFieldName('condition');
        const body = n.childForFieldName('consequence');
        const inName = membershipName(cond, false);
        if (inName && body) guards.push({ name: inName, from: body.startIndex, until: body.endIndex });
        const notIn = membershipName(cond, true);
        if (notIn && body?.namedChildren.some((x) => x?.type === 'raise_statement' || x?.type === 'return_statement')) {
          guards.push({ name: notIn, from: n.endIndex, until: Infinity });
        }
      } else if ((n.type === 'function_definition' || n.type === 'class_definition') && n.id !== scope.parent?.id && n.id !== scope.id) {
        continue;
      }
      for (const c of n.namedChildren) {
        if (!c) continue;
        if (c.type === 'block' || isStatementLike(c)) stack.push(c);
      }
    }
    return guards;
  });
}

function isStatementLike(n: Node): boolean {
  return n.type.endsWith('_statement') || n.type.endsWith('_clause') || n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'decorated_definition';
}

/** `if name not in ALLOWED: raise`, `assert name in ALLOWED`, or `if name in ALLOWED:` around `use`. */
function allowlistChecked(name: string, use: Node, ctx: RuleContext): boolean {
  const scope = readScope(use);
  return !!scope && guardsOf(scope, ctx).some((g) => g.name === name && use.startIndex >= g.from && use.endIndex <= g.until);
}

/**
 * Whether an interpolated expression cannot carry attacker-controlled SQL: a literal, a module
 * constant, a number, a placeholder list, a name only ever assigned constants, or a name
 * checked against an allowlist.
 */
export function isHarmless(node: Node, ctx: RuleContext, depth = 0): boolean {
  if (depth > 8) return false;
  const n = unparen(node);
  if (isConstant(n)) return true;
  switch (n.type) {
    case 'identifier': {
      const name = n.text;
      if (/^[A-Z][A-Z0-9_]*$/.test(name) && isModuleStringConstant(n, ctx)) return true;
      if (allowlistChecked(name, n, ctx)) return true;
      const assigns = assignmentsBefore(n, ctx);
      if (assigns.length > 0) return assigns.every((a) => isHarmless(a.value, ctx, depth + 1));
      // A loop over a constant collection.
      for (let p = enclosingStatement(n); p; p = p.parent) {
        if (p.type === 'for_statement' && p.childForFieldName('left')?.text === name) return isConstant(p.childForFieldName('right'));
        if (p.type === 'function_definition') break;
      }
      return false;
    }
    case 'call': {
      return NUMERIC_CALLS.has(builtinCalled(n, ctx) ?? '') || isPlaceholderBuilder(n);
    }
    case 'subscript': {
      // {"asc": "ASC", "desc": "DESC"}[order] or CONSTANT_MAP[key]: the value comes from a constant table.
      const value = unparen(n.childForFieldName('value')!);
      if (value.type === 'dictionary' || value.type === 'list' || value.type === 'tuple') return isConstant(value);
      return value.type === 'identifier' && /^[A-Z][A-Z0-9_]*$/.test(value.text) && isConstantValue(value, ctx);
    }
    case 'attribute': {
      const dotted = dottedName(n) ?? '';
      // Django model metadata and class-level constants.
      if (/\._meta\.(db_table|model_name|app_label|pk\.column)$/.test(dotted)) return true;
      const attr = n.childForFieldName('attribute')?.text ?? '';
      return /^[A-Z][A-Z0-9_]*$/.test(attr);
    }
    case 'conditional_expression':
      return n.namedChildren.every((c, i) => !c || i === 1 || isHarmless(c, ctx, depth + 1));
    case 'binary_operator':
      return n.namedChildren.every((c) => !c || c.type === 'comment' || !c.isNamed || isHarmless(c, ctx, depth + 1));
    default:
      return false;
  }
}

/**
 * Why SQL text handed to a raw-SQL API (`RawSQL()`, `QuerySet.extra()`) can carry attacker
 * SQL: `located` when it is built (here or in a variable) with an interpolation that is not
 * harmless, `located: null` when it is a value we cannot see into. Null when it cannot.
 */
export function sqlRisk(sql: Node, ctx: RuleContext): { located: Located | null } | null {
  if (isConstant(sql)) return null;
  const located = locateQuery(sql, ctx);
  if (located) return located.build.parts.some((p) => p.kind === 'expr' && !isHarmless(p.node, ctx)) ? { located } : null;
  return isHarmless(sql, ctx) ? null : { located: null };
}
