import type { Node } from '../../engine/parser';
import { defineRule, fix, replace, type RuleContext } from '../../engine/rule';
import { callArgs } from '../../engine/syntax';
import type { Fix, OffsetEdit } from '../../engine/types';
import { appendArgument } from '../util/edits';
import { literalText, locateQuery, looksLikeSql, type Located } from '../util/sql';
import { isHarmless } from '../util/sql-harmless';
import { fileDriver, parameterize, placeholderExample, positionOf, type PlaceholderStyle } from '../util/sql-params';

type SinkKind = 'execute' | 'asyncpg' | 'sqlalchemy-text' | 'django-raw' | 'pandas';

interface Sink {
  kind: SinkKind;
  label: string;
  query: Node;
  /** Whether the call already passes parameters (then no fix is offered). */
  hasParams: boolean;
}

const EXECUTE_METHODS = new Set(['execute', 'executemany', 'executescript', 'mogrify']);
const ASYNCPG_METHODS = new Set(['fetch', 'fetchrow', 'fetchval', 'execute', 'executemany', 'copy_from_query', 'cursor', 'prepare']);
const PANDAS_FUNCTIONS = new Set(['read_sql', 'read_sql_query']);

function findSink(call: Node, ctx: RuleContext): Sink | null {
  const fn = call.childForFieldName('function');
  if (!fn) return null;
  const args = callArgs(call);
  const qualified = ctx.callName(call);
  // sqlalchemy.text(...) / sqlalchemy.sql.text(...)
  if (qualified === 'sqlalchemy.text' || qualified === 'sqlalchemy.sql.text' || qualified === 'sqlalchemy.sql.expression.text') {
    const q = args.keywords.get('text') ?? args.positional[0];
    return q ? { kind: 'sqlalchemy-text', label: 'text()', query: q, hasParams: false } : null;
  }
  if (qualified && /^pandas\.(read_sql|read_sql_query)$/.test(qualified)) {
    const q = args.keywords.get('sql') ?? args.positional[0];
    return q ? { kind: 'pandas', label: qualified.replace(/^pandas\./, 'pd.') + '()', query: q, hasParams: args.keywords.has('params') || args.positional.length > 2 } : null;
  }
  if (fn.type !== 'attribute') return null;
  const method = fn.childForFieldName('attribute')?.text ?? '';
  const receiver = fn.childForFieldName('object');
  const receiverText = receiver ? ctx.textOf(receiver) : '';
  if (PANDAS_FUNCTIONS.has(method) && /^(pd|pandas)$/.test(receiverText)) {
    const q = args.keywords.get('sql') ?? args.positional[0];
    return q ? { kind: 'pandas', label: `${receiverText}.${method}()`, query: q, hasParams: args.keywords.has('params') || args.positional.length > 2 } : null;
  }
  if (method === 'raw' && /\bobjects\b|Manager|QuerySet/.test(receiverText)) {
    const q = args.keywords.get('raw_query') ?? args.positional[0];
    return q ? { kind: 'django-raw', label: `${receiverText}.raw()`, query: q, hasParams: args.keywords.has('params') || args.positional.length > 1 } : null;
  }
  const isAsyncpg = ctx.facts.importedModules.has('asyncpg') && ASYNCPG_METHODS.has(method);
  if (EXECUTE_METHODS.has(method) || isAsyncpg) {
    const q = args.keywords.get('sql') ?? args.keywords.get('query') ?? args.keywords.get('operation') ?? args.keywords.get('statement') ?? args.positional[0];
    if (!q) return null;
    const hasParams = args.positional.length > 1 || ['params', 'parameters', 'args', 'vars', 'seq_of_parameters'].some((k) => args.keywords.has(k)) || args.hasStarArgs || args.hasStarKwargs;
    return { kind: isAsyncpg ? 'asyncpg' : 'execute', label: `${receiverText.length > 24 ? '…' : receiverText}.${method}()`, query: q, hasParams };
  }
  return null;
}

function paramsArgument(kind: SinkKind, style: PlaceholderStyle, params: string[], names: string[]): string {
  if (style === 'named') return `{${names.map((n, i) => `"${n}": ${params[i]}`).join(', ')}}`;
  if (kind === 'django-raw') return `[${params.join(', ')}]`;
  return params.length === 1 ? `(${params[0]},)` : `(${params.join(', ')})`;
}

function buildFix(sink: Sink, call: Node, located: Located, harmless: boolean[], ctx: RuleContext): Fix | null {
  if (sink.hasParams || located.rebuilt || !located.build.exact) return null;
  if (sink.kind === 'execute' && /executemany|executescript|mogrify/.test(sink.label)) return null;
  const driver = fileDriver(ctx);
  let style: PlaceholderStyle;
  let known = true;
  if (sink.kind === 'sqlalchemy-text') style = 'named';
  else if (sink.kind === 'asyncpg') style = 'numeric';
  else if (sink.kind === 'django-raw') style = 'format';
  else if (driver) style = driver.style;
  else {
    style = 'format';
    known = false;
  }
  const p = parameterize(located.build, harmless, style, ctx);
  if (!p || p.params.length === 0) return null;
  const edits: OffsetEdit[] = [replace(located.build.node, p.query)];
  if (sink.kind === 'sqlalchemy-text') {
    // text("... :name").bindparams(name=value) works wherever the clause is used.
    if (located.via) return null;
    edits.push({ start: call.endIndex, end: call.endIndex, newText: `.bindparams(${p.names.map((n, i) => `${n}=${p.params[i]}`).join(', ')})` });
  } else if (sink.kind === 'asyncpg') {
    const e = appendArgument(ctx, call, p.params.join(', '));
    if (!e) return null;
    edits.push(e);
  } else if (sink.kind === 'pandas') {
    const e = appendArgument(ctx, call, `params=${paramsArgument(sink.kind, style, p.params, p.names)}`);
    if (!e) return null;
    edits.push(e);
  } else {
    const e = appendArgument(ctx, call, paramsArgument(sink.kind, style, p.params, p.names));
    if (!e) return null;
    edits.push(e);
  }
  const where = driver && known ? ` (${driver.name} \`${placeholderExample(style)}\` placeholders)` : '';
  if (!known) {
    return fix(`Use a parameterised query (assumes \`%s\` placeholders: check your driver's paramstyle)`, 'unsafe', edits);
  }
  return fix(`Use a parameterised query${where || ` (\`${placeholderExample(style)}\` placeholders)`}`, 'safe', edits);
}

export default defineRule({
  id: 'SEC608',
  name: 'formatted-sql-query',
  local: true,
  summary: 'SQL query built with an f-string, `%`, `.format()` or `+` and executed',
  owasp: { '2025': 'A05', '2021': 'A03' },
  cwe: [89],
  severity: 'error',
  confidence: 'high',
  fix: 'sometimes',
  aliases: ['B608', 'S608'],
  tags: ['sql', 'django', 'sqlalchemy'],
  nodeTypes: ['call'],
  check(call, ctx) {
    const sink = findSink(call, ctx);
    if (!sink) return;
    const located = locateQuery(sink.query, ctx);
    if (!located) return;
    const { build } = located;
    const lit = literalText(build);
    const sqlSpecific = sink.kind !== 'execute' && sink.kind !== 'asyncpg';
    if (!sqlSpecific && !looksLikeSql(lit)) return;
    const harmless = build.parts.map((p) => p.kind === 'expr' && isHarmless(p.node, ctx));
    const dynamic = build.parts.map((p, i) => (p.kind === 'expr' && !harmless[i] ? i : -1)).filter((i) => i >= 0);
    if (dynamic.length === 0) return;
    const first = build.parts[dynamic[0]!] as { node: Node };
    const name = ctx.textOf(first.node);
    const shown = name.length > 30 ? `${name.slice(0, 27)}…` : name;
    const identifier = dynamic.find((i) => positionOf(build.parts, i) === 'identifier');
    const f = buildFix(sink, call, located, harmless, ctx);
    const at = located.via ? sink.query : build.node;
    const related = located.via ? [{ at: build.node, message: `query built here with ${build.form}` }] : undefined;
    let message: string;
    if (identifier !== undefined) {
      const idName = ctx.textOf((build.parts[identifier] as { node: Node }).node);
      message = `SQL built with ${build.form} puts \`${idName.length > 30 ? idName.slice(0, 27) + '…' : idName}\` in an identifier position (table, column or ORDER BY) of the query passed to \`${sink.label}\`; no automatic fix`;
    } else {
      message = `SQL built with ${build.form} from \`${shown}\` is passed to \`${sink.label}\``;
    }
    ctx.report(at, {
      message,
      fixes: f ? [f] : [],
      ...(related ? { related } : {}),
    });
  },
  docs: {
    what: `Finds SQL queries built with an f-string, \`%\` formatting, \`.format()\` or \`+\` and passed to a database: DB-API \`execute\`/\`executemany\`/\`executescript\`, asyncpg's \`fetch*\`/\`execute\`, Django's \`Manager.raw()\`, SQLAlchemy's \`text()\` and pandas' \`read_sql\`. The query may be built in the call or in a variable assigned earlier in the same function. Interpolations that cannot carry SQL are not reported: literals, module constants, numbers (\`int(x)\`), placeholder lists (\`", ".join(["%s"] * len(ids))\`), values looked up in a constant table, and names checked against an allowlist (\`if table not in ALLOWED: raise\`).`,
    why: `A value formatted into SQL text becomes SQL: \`name = "x' OR '1'='1"\` turns a lookup into a dump of the table, and stacked queries can modify or drop data. Query parameters send the values separately from the SQL, so the database never parses them as code. SQL injection remains one of the most exploited flaws (OWASP A05:2025 Injection).`,
    example: `def find_user(cursor, name):
    cursor.execute(f"SELECT * FROM users WHERE name = '{name}'")`,
    useInstead: `def find_user(cursor, name):
    cursor.execute("SELECT * FROM users WHERE name = %s", (name,))`,
    fixSafety: `The fix rewrites the query with placeholders in the style of the driver the file imports (\`?\` for sqlite3, aiosqlite and pyodbc; \`%s\` for psycopg, PyMySQL, MySQLdb and Django; \`$1\` for asyncpg; \`:name\` with \`.bindparams()\` for SQLAlchemy \`text()\`), removes the SQL quotes around each value, escapes literal \`%\` as \`%%\` where the driver needs it, and passes the values as the parameters argument. With a known driver this is safe. When the file imports no driver (or several), the fix assumes \`%s\` and is marked unsafe; its title says so. No fix is offered when a value is in an identifier position (table or column name, \`ORDER BY\`): parameters cannot stand for identifiers, so validate those against an allowlist instead.`,
    references: [
      { title: 'OWASP SQL Injection Prevention Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html' },
      { title: 'PEP 249 paramstyle', url: 'https://peps.python.org/pep-0249/#paramstyle' },
    ],
  },
});
