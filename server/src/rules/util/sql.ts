// SQL queries built at run time, shared by the injection rules: decompose a dynamically built
// string (f-string, `%`, `.format`, `+`) into literal text and interpolated expressions, tell
// whether the literal text looks like SQL, and find the query a sink receives, directly or
// through a variable built earlier in the same scope. Which interpolations are harmless is in
// sql-harmless.ts; placeholders and drivers for the fix are in sql-params.ts.

import type { Node } from '../../engine/parser';
import type { RuleContext } from '../../engine/rule';
import { assignmentsBefore } from '../../engine/scope';
import { callArgs, decodeEscapes, plusOperands, stringPrefix, stringValue, unparen } from '../../engine/syntax';

export type QueryPart = { kind: 'lit'; text: string } | { kind: 'expr'; node: Node; plain: boolean };

export interface QueryBuild {
  form: 'f-string' | '%-formatting' | '.format()' | 'concatenation';
  parts: QueryPart[];
  /** The whole string-building expression. */
  node: Node;
  /** Quote style of the (first) literal, reused by the fix. */
  quote: string;
  /** False when the parts could not be mapped exactly (the fix is then not offered). */
  exact: boolean;
}

/** The text of a piece of string literal source: `{{` in an f-string is `{`, escapes are decoded. */
function decode(raw: string, isRaw: boolean, isF: boolean): string {
  const s = isF ? raw.replace(/\{\{/g, '{').replace(/\}\}/g, '}') : raw;
  return isRaw ? s : decodeEscapes(s);
}

function quoteOf(str: Node): string {
  const start = str.firstChild?.text ?? '"';
  const m = /("""|'''|"|')$/.exec(start);
  return m ? m[1]! : '"';
}

/** Literal and interpolation parts of one string node (f-string or plain). */
function stringParts(str: Node): QueryPart[] | null {
  if (str.type !== 'string') return null;
  const prefix = stringPrefix(str);
  if (prefix.includes('b')) return null;
  const isRaw = prefix.includes('r');
  const isF = prefix.includes('f');
  const parts: QueryPart[] = [];
  for (const child of str.namedChildren) {
    if (!child) continue;
    if (child.type === 'string_content') parts.push({ kind: 'lit', text: decode(child.text, isRaw, isF) });
    else if (child.type === 'interpolation') {
      const expr = child.childForFieldName('expression');
      if (!expr) return null;
      const plain = !child.childForFieldName('type_conversion') && !child.childForFieldName('format_specifier') && !child.text.includes('=}');
      parts.push({ kind: 'expr', node: expr, plain });
    }
  }
  return mergeParts(parts);
}

export function mergeParts(parts: QueryPart[]): QueryPart[] {
  const out: QueryPart[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (p.kind === 'lit' && last?.kind === 'lit') last.text += p.text;
    else out.push(p.kind === 'lit' ? { ...p } : p);
  }
  return out;
}

const PERCENT_SPEC = /%(\(([^)]*)\))?[-#0 +]*(\d+|\*)?(\.(\d+|\*))?[hlL]?([diouxXeEfFgGcrsa%])/g;

function percentParts(node: Node): QueryBuild | null {
  const left = unparen(node.childForFieldName('left')!);
  const right = node.childForFieldName('right');
  const fmt = stringValue(left);
  if (fmt === null || !right) return null;
  const r = unparen(right);
  const positional: Node[] | null = r.type === 'tuple' ? r.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') : null;
  const named = new Map<string, Node>();
  if (r.type === 'dictionary') {
    for (const pair of r.namedChildren) {
      if (pair?.type !== 'pair') continue;
      const k = stringValue(pair.childForFieldName('key'));
      const v = pair.childForFieldName('value');
      if (k !== null && v) named.set(k, v);
    }
  }
  const parts: QueryPart[] = [];
  let exact = true;
  let pos = 0;
  let argIndex = 0;
  PERCENT_SPEC.lastIndex = 0;
  for (let m = PERCENT_SPEC.exec(fmt); m; m = PERCENT_SPEC.exec(fmt)) {
    parts.push({ kind: 'lit', text: fmt.slice(pos, m.index) });
    pos = m.index + m[0].length;
    if (m[6] === '%') {
      parts.push({ kind: 'lit', text: '%' });
      continue;
    }
    const simple = m[0] === '%s' || m[0] === '%d' || m[0] === '%i' || /^%\([^)]*\)[sdi]$/.test(m[0]);
    let arg: Node | undefined;
    if (m[2] !== undefined) arg = named.get(m[2]);
    else if (positional) arg = positional[argIndex++];
    else if (argIndex++ === 0 && r.type !== 'dictionary') arg = r;
    if (!arg) {
      exact = false;
      // The value comes from a name we cannot see into: still an interpolation.
      parts.push({ kind: 'expr', node: r, plain: false });
      continue;
    }
    parts.push({ kind: 'expr', node: arg, plain: simple });
  }
  parts.push({ kind: 'lit', text: fmt.slice(pos) });
  if (positional && argIndex !== positional.length) exact = false;
  return { form: '%-formatting', parts: mergeParts(parts), node, quote: quoteOf(left.type === 'string' ? left : left.namedChildren[0] ?? left), exact };
}

const FORMAT_FIELD = /\{\{|\}\}|\{([^{}]*)\}/g;

function formatParts(call: Node, receiver: Node): QueryBuild | null {
  const fmt = stringValue(receiver);
  if (fmt === null) return null;
  const args = callArgs(call);
  if (args.hasStarArgs || args.hasStarKwargs) return { form: '.format()', parts: [{ kind: 'lit', text: fmt }, { kind: 'expr', node: call, plain: false }], node: call, quote: '"', exact: false };
  const parts: QueryPart[] = [];
  let exact = true;
  let pos = 0;
  let auto = 0;
  FORMAT_FIELD.lastIndex = 0;
  for (let m = FORMAT_FIELD.exec(fmt); m; m = FORMAT_FIELD.exec(fmt)) {
    parts.push({ kind: 'lit', text: fmt.slice(pos, m.index) });
    pos = m.index + m[0].length;
    if (m[0] === '{{' || m[0] === '}}') {
      parts.push({ kind: 'lit', text: m[0][0]! });
      continue;
    }
    const field = m[1]!;
    const name = /^[^!:.[]*/.exec(field)![0];
    const plain = name === field;
    let arg: Node | undefined;
    if (name === '') arg = args.positional[auto++];
    else if (/^\d+$/.test(name)) arg = args.positional[Number(name)];
    else arg = args.keywords.get(name);
    if (!arg) {
      exact = false;
      parts.push({ kind: 'expr', node: call, plain: false });
      continue;
    }
    parts.push({ kind: 'expr', node: arg, plain });
  }
  parts.push({ kind: 'lit', text: fmt.slice(pos) });
  const quoteNode = unparen(receiver);
  return { form: '.format()', parts: mergeParts(parts), node: call, quote: quoteOf(quoteNode.type === 'string' ? quoteNode : quoteNode.namedChildren[0] ?? quoteNode), exact };
}

function concatParts(node: Node): QueryBuild | null {
  const parts: QueryPart[] = [];
  let quote = '';
  let sawString = false;
  for (const n of plusOperands(node)) {
    if (n.type === 'string' || n.type === 'concatenated_string') {
      const strings = n.type === 'string' ? [n] : n.namedChildren.filter((c): c is Node => c?.type === 'string');
      for (const s of strings) {
        const p = stringParts(s);
        if (!p) return null;
        if (!quote) quote = quoteOf(s);
        sawString = true;
        parts.push(...p);
      }
    } else parts.push({ kind: 'expr', node: n, plain: true });
  }
  if (!sawString) return null;
  return { form: 'concatenation', parts: mergeParts(parts), node, quote: quote || '"', exact: true };
}

/** Decomposes a string-building expression; null when `expr` is not one (or has no dynamic part). */
export function queryParts(expr: Node): QueryBuild | null {
  const n = unparen(expr);
  let build: QueryBuild | null = null;
  if (n.type === 'string' && stringPrefix(n).includes('f')) {
    const parts = stringParts(n);
    if (parts) build = { form: 'f-string', parts, node: n, quote: quoteOf(n), exact: true };
  } else if (n.type === 'concatenated_string') {
    const all: QueryPart[] = [];
    let ok = true;
    for (const s of n.namedChildren) {
      if (s?.type !== 'string') continue;
      const p = stringParts(s);
      if (!p) ok = false;
      else all.push(...p);
    }
    const first = n.namedChildren.find((c) => c?.type === 'string');
    if (ok && first) build = { form: 'f-string', parts: mergeParts(all), node: n, quote: quoteOf(first), exact: true };
  } else if (n.type === 'binary_operator') {
    const op = n.childForFieldName('operator')?.type;
    if (op === '%') build = percentParts(n);
    else if (op === '+') build = concatParts(n);
  } else if (n.type === 'call') {
    const fn = n.childForFieldName('function');
    if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'format') {
      const receiver = fn.childForFieldName('object');
      if (receiver) build = formatParts(n, receiver);
    }
  }
  if (!build || !build.parts.some((p) => p.kind === 'expr')) return null;
  return build;
}

export function literalText(build: QueryBuild): string {
  return build.parts.map((p) => (p.kind === 'lit' ? p.text : ' ? ')).join('');
}

const SQL_START = /^\s*(\(\s*)?(select|insert|update|delete|with|create|drop|alter|replace|merge|upsert|truncate|grant|revoke|pragma|call|exec|execute|declare|begin|set|show|describe|explain|copy|vacuum|analyze|lock)\b/i;
const SQL_SHAPES = [
  /\bselect\b[\s\S]+\bfrom\b/i,
  /\binsert\s+into\b/i,
  /\bupdate\b[\s\S]+\bset\b/i,
  /\bdelete\s+from\b/i,
  /\bwhere\b[\s\S]*(=|<|>|\blike\b|\bin\b|\bis\b)/i,
  /\border\s+by\b/i,
  /\bcreate\s+(table|index|view|database|schema)\b/i,
  /\bdrop\s+(table|index|view|database|schema)\b/i,
  /\balter\s+table\b/i,
  /\bvalues\s*\(/i,
];

/** Whether the literal text of a query looks like SQL. */
export function looksLikeSql(text: string): boolean {
  if (SQL_START.test(text) && /\s/.test(text.trim())) {
    // "Select a file", "Update available": a keyword alone is not SQL; want some SQL structure.
    return SQL_SHAPES.some((r) => r.test(text)) || /^\s*(select|insert|update|delete|pragma|truncate|drop|alter|create|exec|call)\b[^.!?]*$/i.test(text) && /[=*(,]|\bfrom\b|\binto\b|\bset\b|\btable\b/i.test(text);
  }
  return SQL_SHAPES.slice(0, 4).some((r) => r.test(text));
}

export interface Located {
  build: QueryBuild;
  /** The assignment when the query reached the sink through a variable. */
  via: Node | null;
  /** The variable was changed again after it was built (`q += ...`): no fix. */
  rebuilt: boolean;
}

/** The query expression, directly or through a variable assigned earlier in the same function. */
export function locateQuery(query: Node, ctx: RuleContext): Located | null {
  const q = unparen(query);
  const direct = queryParts(q);
  if (direct) return { build: direct, via: null, rebuilt: false };
  if (q.type !== 'identifier') return null;
  const assigns = assignmentsBefore(q, ctx);
  if (assigns.length === 0) return null;
  // The last plain assignment, plus any `+=` after it.
  let i = assigns.length - 1;
  while (i > 0 && assigns[i]!.augmented) i--;
  const chain = assigns.slice(i);
  if (chain.length === 1) {
    const build = queryParts(chain[0]!.value);
    return build ? { build, via: chain[0]!.node, rebuilt: false } : null;
  }
  // q = "SELECT ..."; q += " WHERE x = " + name: the pieces in order, never fixed automatically.
  const parts: QueryPart[] = [];
  let form: QueryBuild['form'] | null = null;
  let dynamicAt: Node | null = null;
  for (const a of chain) {
    const b = queryParts(a.value);
    const v = b ? null : stringValue(a.value);
    if (b) {
      parts.push(...b.parts);
      form ??= b.form;
      dynamicAt ??= a.value;
    } else if (v !== null) parts.push({ kind: 'lit', text: v });
    else {
      parts.push({ kind: 'expr', node: a.value, plain: true });
      form ??= 'concatenation';
      dynamicAt ??= a.value;
    }
  }
  if (!form || !dynamicAt) return null;
  return { build: { form, parts: mergeParts(parts), node: dynamicAt, quote: '"', exact: false }, via: chain[0]!.node, rebuilt: true };
}
