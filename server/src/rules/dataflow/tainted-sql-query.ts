import { defineRule } from '../../engine/rule';
import { SinkKind } from '../../engine/taint';
import { callArgs, unparen } from '../../engine/syntax';
import { FLOW_NOTE, reportFlows } from './report';

const EXECUTE_METHODS = new Set(['execute', 'executemany', 'executescript', 'mogrify', 'raw', 'extra']);

export default defineRule({
  id: 'SEC901',
  name: 'tainted-sql-query',
  summary: 'Request data or other untrusted input reaches the text of an SQL query',
  owasp: { '2025': 'A05', '2021': 'A03' },
  cwe: [89],
  severity: 'error',
  confidence: 'high',
  tags: ['dataflow', 'sql', 'flask', 'django', 'fastapi'],
  nodeTypes: ['call'],
  check(call, ctx) {
    const fn = call.childForFieldName('function');
    if (!fn) return;
    const args = callArgs(call);
    let query = null;
    let label = '';
    const qualified = ctx.callName(call) ?? '';
    if (/^sqlalchemy(\.sql(\.expression)?)?\.text$/.test(qualified)) {
      query = args.keywords.get('text') ?? args.positional[0];
      label = '`text()`';
    } else if (/^pandas\.read_sql(_query)?$/.test(qualified)) {
      query = args.keywords.get('sql') ?? args.positional[0];
      label = `\`${qualified.replace('pandas.', 'pd.')}()\``;
    } else if (fn.type === 'attribute') {
      const method = fn.childForFieldName('attribute')?.text ?? '';
      if (!EXECUTE_METHODS.has(method)) return;
      if (method === 'extra') {
        query = args.keywords.get('where') ?? args.keywords.get('select') ?? null;
      } else {
        query = args.keywords.get('sql') ?? args.keywords.get('query') ?? args.keywords.get('operation') ?? args.keywords.get('raw_query') ?? args.positional[0];
      }
      label = `\`.${method}()\``;
    }
    if (!query) return;
    // `execute(text(...))`: the inner `text()` call is the sink that is reported.
    const inner = unparen(query);
    if (inner.type === 'call' && /^sqlalchemy(\.sql(\.expression)?)?\.text$/.test(ctx.callName(inner) ?? '')) return;
    // Only the query text matters: values passed as parameters are never parsed as SQL.
    reportFlows(ctx, query, query, SinkKind.sql, `the SQL query of ${label}`);
  },
  docs: {
    what: 'Follows untrusted data (Flask, Django and FastAPI request data, route parameters, `sys.argv`, `input()`, the environment) through assignments, string building and the functions of the same file, and reports it when it reaches the text of an SQL query: DB-API `execute`/`executemany`/`executescript`, Django `raw()`/`extra()`, SQLAlchemy `text()` and pandas `read_sql`. Values passed as query parameters are not reported; neither are values converted with `int()`/`float()`/`uuid.UUID()` or checked against an allowlist (`if column in ALLOWED:`). The related locations show where the data enters and which calls carry it.' + FLOW_NOTE,
    why: 'Data from a request that becomes part of SQL text becomes SQL: `?name=x%27%20OR%20%271%27=%271` turns a lookup into a dump of the table, and stacked queries can change or delete data. SEC608 reports every query built by formatting; this rule says which of them are actually fed by a user, so those are fixed first.',
    example: `from flask import request

def find(cursor, name):
    return cursor.execute(f"SELECT * FROM users WHERE name = '{name}'")

@app.route("/users")
def users():
    return find(db.cursor(), request.args["name"])`,
    useInstead: `def find(cursor, name):
    return cursor.execute("SELECT * FROM users WHERE name = %s", (name,))`,
    references: [{ title: 'OWASP SQL Injection Prevention Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html' }],
  },
});
