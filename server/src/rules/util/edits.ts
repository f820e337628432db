// Edit builders for fixes that touch call arguments, matching the call's existing layout.

import type { Node } from '../../engine/parser';
import type { RuleContext } from '../../engine/rule';
import type { OffsetEdit } from '../../engine/types';

function lineIndent(text: string, offset: number): string {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  const m = /^[ \t]*/.exec(text.slice(start, offset));
  return m ? m[0] : '';
}

function realArgs(list: Node): Node[] {
  return list.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
}

/**
 * Adds `argText` (e.g. `algorithms=["HS256"]`) as the last argument of a call, keeping a
 * one-line call on one line and giving a multi-line call a line of its own.
 */
export function appendArgument(ctx: RuleContext, call: Node, argText: string): OffsetEdit | null {
  const list = call.childForFieldName('arguments');
  if (!list || list.type !== 'argument_list') return null;
  const args = realArgs(list);
  const close = list.lastChild;
  if (!close || close.type !== ')') return null;
  if (args.length === 0) return { start: close.startIndex, end: close.startIndex, newText: argText };
  const last = args[args.length - 1]!;
  // A trailing comma after the last argument?
  let trailingComma: Node | null = null;
  for (let n = last.nextSibling; n && n.id !== close.id; n = n.nextSibling) {
    if (n.type === ',') trailingComma = n;
  }
  const text = ctx.text;
  const multiLine = /[\r\n]/.test(text.slice(list.startIndex, last.startIndex));
  if (multiLine) {
    const indent = lineIndent(text, last.startIndex);
    if (trailingComma) return { start: trailingComma.endIndex, end: trailingComma.endIndex, newText: `${ctx.eol}${indent}${argText},` };
    return { start: last.endIndex, end: last.endIndex, newText: `,${ctx.eol}${indent}${argText}` };
  }
  if (trailingComma) return { start: trailingComma.endIndex, end: trailingComma.endIndex, newText: ` ${argText}` };
  return { start: last.endIndex, end: last.endIndex, newText: `, ${argText}` };
}

/** Removes an argument (or list item) together with its separating comma. */
export function removeArgument(arg: Node): OffsetEdit {
  const list = arg.parent!;
  const args = realArgs(list);
  const i = args.findIndex((a) => a.id === arg.id);
  if (args.length === 1) {
    // Only argument: drop it and any trailing comma, keep the parentheses.
    let end = arg.endIndex;
    const next = arg.nextSibling;
    if (next?.type === ',') end = next.endIndex;
    return { start: arg.startIndex, end, newText: '' };
  }
  if (i > 0) {
    // From the end of the previous argument to the end of this one: `, arg`.
    return { start: args[i - 1]!.endIndex, end: arg.endIndex, newText: '' };
  }
  // First of several: from its start to the start of the next one.
  return { start: arg.startIndex, end: args[1]!.startIndex, newText: '' };
}

/** Wraps an expression's text in parentheses unless it is atomic. */
export function paren(ctx: RuleContext, node: Node): string {
  const t = ctx.textOf(node);
  const atomic = ['identifier', 'integer', 'float', 'attribute', 'call', 'subscript', 'string', 'parenthesized_expression', 'list', 'tuple', 'dictionary', 'true', 'false', 'none'];
  return atomic.includes(node.type) ? t : `(${t})`;
}
