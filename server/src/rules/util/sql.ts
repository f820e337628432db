// SQL query analysis shared by the injection rules: decompose a dynamically built string
// (f-string, `%`, `.format`, `+`) into literal text and interpolated expressions, decide which
// interpolations are harmless (constants, allowlisted names, placeholder lists, numbers), and
// rebuild the query with placeholders in the style of the database driver in use.

import type { Node } from '../../engine/parser';
import type { RuleContext } from '../../engine/rule';
import { assignmentsBefore, isConstantValue, isModuleStringConstant, readScope } from '../../engine/scope';
import { callArgs, dottedName, enclosingStatement, isConstant, stringPrefix, stringValue, unparen } from '../../engine/syntax';

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

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };

function decode(raw: string, isRaw: boolean, isF: boolean): string {
  let s = raw;
  if (isF) s = s.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
  if (isRaw) return s;
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|\n|.)/g, (m, e: string) => {
    if (e === '\n') return '';
    if (e in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[e]!;
    if (e[0] === 'x' || e[0] === 'u') return String.fromCharCode(parseInt(e.slice(1), 16));
    return m;
  });
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
  const stack: Node[] = [node];
  // Flatten left-nested `+` chains in source order.
  const flat: Node[] = [];
  while (stack.length) {
    const n = unparen(stack.pop()!);
    if (n.type === 'binary_operator' && n.childForFieldName('operator')?.type === '+') {
      stack.push(n.childForFieldName('right')!, n.childForFieldName('left')!);
    } else flat.push(n);
  }
  for (const n of flat) {
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

// ---------------------------------------------------------------------------------------------
// Which interpolations are harmless

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
      const fn = n.childForFieldName('function');
      if (fn?.type === 'identifier' && NUMERIC_CALLS.has(fn.text)) return true;
      if (isPlaceholderBuilder(n)) return true;
      return false;
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

// ---------------------------------------------------------------------------------------------
// Drivers and placeholders

export type PlaceholderStyle = 'qmark' | 'format' | 'numeric' | 'named';

export interface Driver {
  name: string;
  style: PlaceholderStyle;
}

const DRIVERS: [string, PlaceholderStyle][] = [
  ['sqlite3', 'qmark'],
  ['aiosqlite', 'qmark'],
  ['pyodbc', 'qmark'],
  ['duckdb', 'qmark'],
  ['psycopg2', 'format'],
  ['psycopg', 'format'],
  ['pymysql', 'format'],
  ['MySQLdb', 'format'],
  ['mysql', 'format'],
  ['aiomysql', 'format'],
  ['aiopg', 'format'],
  ['pg8000', 'format'],
  ['django', 'format'],
  ['asyncpg', 'numeric'],
  ['oracledb', 'named'],
  ['cx_Oracle', 'named'],
];

/** The single database driver the file imports, or null when there is none or several. */
export function fileDriver(ctx: RuleContext): Driver | null {
  return ctx.memo('sql:driver', () => {
    const found = DRIVERS.filter(([m]) => ctx.facts.importedModules.has(m));
    const styles = new Set(found.map(([, s]) => s));
    if (found.length === 0 || styles.size !== 1) return null;
    return { name: found[0]![0], style: found[0]![1] };
  });
}

export function placeholderExample(style: PlaceholderStyle): string {
  switch (style) {
    case 'qmark':
      return '?';
    case 'format':
      return '%s';
    case 'numeric':
      return '$1';
    case 'named':
      return ':name';
  }
}

export type ValuePosition = 'value' | 'identifier';

const VALUE_BEFORE = /(=|<|>|<>|!=|\blike|\bilike|\bin\s*\(|\bin|\bbetween|\blimit|\boffset|\bvalues\s*\(|\bthen|\belse|\bwhen|\bis|\bnot|\(|\+|-|\*|\/|\|\||\bregexp|\bsimilar\s+to)\s*$/i;

/** Whether the interpolation at `index` of `parts` sits where SQL expects a value. */
export function positionOf(parts: QueryPart[], index: number): ValuePosition {
  const before = parts
    .slice(0, index)
    .map((p) => (p.kind === 'lit' ? p.text : ' ?'))
    .join('');
  const after = parts
    .slice(index + 1)
    .map((p) => (p.kind === 'lit' ? p.text : '?'))
    .join('');
  if (/'$/.test(before) && /^'/.test(after)) return 'value';
  if (/'[^']*$/.test(before) && ((before.match(/'/g) ?? []).length % 2 === 1)) return 'value';
  if (VALUE_BEFORE.test(before)) return 'value';
  if (/,\s*$/.test(before)) {
    // Inside VALUES (...) or IN (...)?
    const open = before.lastIndexOf('(');
    if (open !== -1 && before.lastIndexOf(')') < open && /(\bvalues|\bin)\s*$/i.test(before.slice(0, open))) return 'value';
    return 'identifier';
  }
  if (/\band\s*$/i.test(before) && /\bbetween\b[^]*$/i.test(before.slice(-80))) return 'value';
  return 'identifier';
}

export interface Parameterized {
  query: string;
  params: string[];
  names: string[];
}

type Segment = { lit: string } | { code: string };

/** Writes segments as a Python string literal; an f-string when code segments remain. */
function encode(segments: Segment[], quote: string): string | null {
  const triple = quote.length === 3;
  const isF = segments.some((s) => 'code' in s);
  let out = '';
  for (const seg of segments) {
    if ('code' in seg) {
      if (seg.code.includes(quote[0]!) || seg.code.includes('\\')) return null;
      out += `{${seg.code}}`;
      continue;
    }
    for (const ch of seg.lit) {
      if (ch === '\\') out += '\\\\';
      else if (ch === quote[0] && !triple) out += '\\' + ch;
      else if (ch === '\n' && !triple) out += '\\n';
      else if (ch === '\r') out += '\\r';
      else if (ch === '\t' && !triple) out += '\\t';
      else if (ch < ' ' && ch !== '\n' && ch !== '\t') out += '\\x' + ch.charCodeAt(0).toString(16).padStart(2, '0');
      else if (isF && (ch === '{' || ch === '}')) out += ch + ch;
      else out += ch;
    }
  }
  if (triple && out.endsWith(quote[0]!)) out = out.slice(0, -1) + '\\' + quote[0];
  return `${isF ? 'f' : ''}${quote}${out}${quote}`;
}

function paramName(node: Node, used: Set<string>): string {
  const dotted = dottedName(node);
  let base = dotted ? dotted.split('.').filter((p) => p !== 'self').join('_') : 'param';
  if (!/^[A-Za-z_]\w*$/.test(base)) base = 'param';
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
  used.add(name);
  return name;
}

/**
 * Rebuilds the query with placeholders. Returns null when an interpolation that is not harmless
 * sits in an identifier position or is not a plain expression (conversions and format specs).
 */
export function parameterize(build: QueryBuild, harmless: boolean[], style: PlaceholderStyle, ctx: RuleContext): Parameterized | null {
  if (!build.exact) return null;
  // Work on a copy: quote removal edits the literal parts around a value.
  const parts = build.parts.map((p) => (p.kind === 'lit' ? { ...p } : p));
  const params: string[] = [];
  const names: string[] = [];
  const used = new Set<string>();
  const segments: Segment[] = [];
  let query = '';
  const flush = (): void => {
    if (query) segments.push({ lit: query });
    query = '';
  };
  const escapePercent = (s: string): string => (style === 'format' ? s.replace(/%/g, '%%') : s);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.kind === 'lit') {
      query += escapePercent(p.text);
      continue;
    }
    if (harmless[i]) {
      // A constant stays in the SQL text: a literal inline, a named constant as an interpolation.
      const v = stringValue(p.node);
      if (v !== null) query += escapePercent(v);
      else {
        flush();
        segments.push({ code: ctx.textOf(p.node) });
      }
      continue;
    }
    if (!p.plain || positionOf(parts, i) !== 'value') return null;
    let expr = ctx.textOf(p.node);
    // A quoted value: drop the SQL quotes; text inside the quotes around it goes into the parameter.
    // Inside a quoted SQL literal when the quotes so far are unbalanced ('' escapes keep parity).
    if ((query.match(/'/g) ?? []).length % 2 === 1) {
      const next = parts[i + 1];
      const nextLit = next?.kind === 'lit' ? next.text : '';
      if (query.endsWith("'") && nextLit.startsWith("'")) {
        query = query.slice(0, -1);
        (next as { text: string }).text = nextLit.slice(1);
      } else {
        // '%{term}%' style: the quoted text around the value becomes part of the parameter.
        const open = query.lastIndexOf("'");
        const prefix = query.slice(open + 1);
        const close = nextLit.indexOf("'");
        if (close === -1 || /[{}"\\]/.test(prefix + nextLit.slice(0, close))) return null;
        const unescaped = (s: string): string => (style === 'format' ? s.replace(/%%/g, '%') : s);
        expr = `f"${unescaped(prefix)}{${expr}}${nextLit.slice(0, close)}"`;
        query = query.slice(0, open);
        (next as { text: string }).text = nextLit.slice(close + 1);
      }
    }
    const name = paramName(p.node, used);
    params.push(expr);
    names.push(name);
    switch (style) {
      case 'qmark':
        query += '?';
        break;
      case 'format':
        query += '%s';
        break;
      case 'numeric':
        query += `$${params.length}`;
        break;
      case 'named':
        query += `:${name}`;
        break;
    }
  }
  flush();
  const encoded = encode(segments, build.quote);
  return encoded ? { query: encoded, params, names } : null;
}
