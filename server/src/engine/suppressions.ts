// Suppression comments.
//
//   x = eval(s)  # parapet: ignore[SEC307]      one statement, listed rules
//   x = eval(s)  # parapet: ignore              one statement, every rule
//   # parapet: ignore-file[SEC311]              the whole file
//   x = eval(s)  # nosec B307                   Bandit's form, by alias (or bare: every rule)
//   x = eval(s)  # noqa: S307                   Ruff's form, by alias (bare `# noqa` is not honoured:
//                                               it is mostly written for style checkers)
//
// A comment on any line of a statement's header suppresses findings anywhere in that header,
// so a multi-line call can carry the comment on whichever line is convenient.

import type { Node } from './parser';
import { isStatement } from './syntax';
import type { OffsetEdit, Span } from './types';

export type DirectiveKind = 'parapet' | 'parapet-file' | 'nosec' | 'noqa';

export interface DirectiveCode extends Span {
  code: string;
  used: boolean;
}

export interface Directive extends Span {
  kind: DirectiveKind;
  /** The whole comment the directive sits in. */
  comment: Span;
  line: number;
  /** Empty means "every rule". */
  codes: DirectiveCode[];
  /** Set when a bare directive (no codes) suppressed something. */
  usedBare: boolean;
}

const PARAPET = /parapet\s*:\s*(ignore-file|ignore)\b(\s*\[([^\]\n]*)\])?/gi;
const NOSEC = /(?:^|[\s#])nosec\b(?:[:\s]+((?:[A-Za-z]\d{3}|[a-z_]+)(?:[\s,]+(?:[A-Za-z]\d{3}|[a-z_]+))*))?/gi;
const NOQA = /(?:^|[\s#])noqa\s*:\s*([A-Za-z]+\d+(?:[\s,]+[A-Za-z]+\d+)*)/gi;

function codesIn(list: string, base: number): DirectiveCode[] {
  const out: DirectiveCode[] = [];
  const re = /[A-Za-z0-9_-]+/g;
  for (let m = re.exec(list); m; m = re.exec(list)) {
    out.push({ code: m[0], start: base + m.index, end: base + m.index + m[0].length, used: false });
  }
  return out;
}

/** Parses one comment (its text starting at offset `start`) into directives. */
export function parseComment(text: string, start: number, line: number): Directive[] {
  const out: Directive[] = [];
  if (!/parapet|nosec|noqa/i.test(text)) return out;
  // One directive per match: `list` is the matched code list (if any) and `listStart` where
  // it begins in `text`, which each syntax finds its own way.
  const add = (kind: DirectiveKind, m: RegExpExecArray, list: string | undefined, listStart: number): void => {
    out.push({
      kind,
      comment: { start, end: start + text.length },
      line,
      start: start + m.index,
      end: start + m.index + m[0].length,
      codes: list !== undefined ? codesIn(list, start + listStart) : [],
      usedBare: false,
    });
  };
  PARAPET.lastIndex = 0;
  for (let m = PARAPET.exec(text); m; m = PARAPET.exec(text)) {
    const kind: DirectiveKind = m[1]!.toLowerCase() === 'ignore-file' ? 'parapet-file' : 'parapet';
    add(kind, m, m[3], m[3] !== undefined ? m.index + m[0].indexOf('[') + 1 : 0);
  }
  NOSEC.lastIndex = 0;
  for (let m = NOSEC.exec(text); m; m = NOSEC.exec(text)) {
    add('nosec', m, m[1] || undefined, m[1] ? m.index + m[0].lastIndexOf(m[1]) : 0);
  }
  NOQA.lastIndex = 0;
  for (let m = NOQA.exec(text); m; m = NOQA.exec(text)) add('noqa', m, m[1]!, m.index + m[0].lastIndexOf(m[1]!));
  return out;
}

/** What a directive code may name: the rule id, its name, or one of its aliases. */
export interface SuppressibleRule {
  id: string;
  name: string;
  aliases: string[];
}

export function codeMatches(code: string, rule: SuppressibleRule): boolean {
  const c = code.toUpperCase();
  if (c === rule.id) return true;
  if (code.toLowerCase() === rule.name) return true;
  return rule.aliases.some((a) => a.toUpperCase() === c);
}

/**
 * The header of the statement that owns `node`: its first and last line numbers (by the
 * caller's `lineOf`). For compound statements the header ends where the body begins, so a
 * comment inside a function body never suppresses a finding in its signature.
 */
export function statementHeader(node: Node): Node[] {
  for (let n: Node | null = node; n; n = n.parent) {
    if (n.type === 'decorator') return [n];
    if (n.type.endsWith('_clause') && n.type !== 'with_clause' && n.type !== 'for_in_clause' && n.type !== 'if_clause') return [n];
    if (isStatement(n)) return [n];
  }
  return [node];
}

/** First and last line of a statement's header, given a line lookup. */
export function headerLines(owner: Node, lineOf: (offset: number) => number): [number, number] {
  const [start, last] = headerSpan(owner);
  return [lineOf(start), lineOf(last)];
}

/** Offsets of the first and the last character of a statement's header. */
export function headerSpan(owner: Node): [number, number] {
  let end = owner.endIndex;
  const count = owner.childCount;
  for (let i = 0; i < count; i++) {
    if (owner.child(i)?.type !== 'block') continue;
    // The header ends with the token before the body (the colon), comments aside.
    for (let j = i - 1; j >= 0; j--) {
      const prev = owner.child(j);
      if (prev && prev.type !== 'comment') {
        end = prev.endIndex;
        break;
      }
    }
    break;
  }
  return [owner.startIndex, Math.max(owner.startIndex, end - 1)];
}

export interface LineInfo {
  lineStart(line: number): number;
  lineEnd(line: number): number;
}

/**
 * The edit that adds `ruleId` to a `# parapet: ignore[...]` comment on the first line of the
 * statement header where a comment can go (not inside a string, not after a backslash).
 */
export function ignoreCommentEdit(
  ruleId: string,
  lines: [number, number],
  text: string,
  info: LineInfo,
  directivesOnLine: (line: number) => Directive[],
  endsInsideString: (offset: number) => boolean,
): OffsetEdit | null {
  for (let line = lines[0]; line <= lines[1]; line++) {
    const existing = directivesOnLine(line).find((d) => d.kind === 'parapet');
    if (existing) {
      if (existing.codes.length === 0) return null;
      const last = existing.codes[existing.codes.length - 1]!;
      return { start: last.end, end: last.end, newText: `, ${ruleId}` };
    }
  }
  for (let line = lines[0]; line <= lines[1]; line++) {
    const start = info.lineStart(line);
    let end = info.lineEnd(line);
    const content = text.slice(start, end);
    const trimmed = content.replace(/\s+$/, '');
    if (trimmed.endsWith('\\')) continue;
    if (trimmed.length > 0 && endsInsideString(start + trimmed.length - 1)) continue;
    end = start + trimmed.length;
    return { start: end, end, newText: `  # parapet: ignore[${ruleId}]` };
  }
  return null;
}
