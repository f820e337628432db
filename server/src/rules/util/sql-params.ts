// Rewriting a SQL query with placeholders for the fix: the database driver the file uses and
// its paramstyle, whether an interpolation sits where SQL expects a value (only values can be
// parameters), and the rebuilt query literal with its parameters.

import type { Node } from '../../engine/parser';
import type { RuleContext } from '../../engine/rule';
import { dottedName, stringValue } from '../../engine/syntax';
import type { QueryBuild, QueryPart } from './sql';

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
