import { defineRule } from '../../engine/rule';
import { callArgs } from '../../engine/syntax';
import { sqlRisk } from '../util/sql-harmless';

const RAWSQL = new Set(['django.db.models.expressions.RawSQL', 'django.db.models.RawSQL']);

export default defineRule({
  id: 'SEC611',
  name: 'django-rawsql',
  local: true,
  summary: 'Django `RawSQL()` with SQL built from variables',
  owasp: { '2025': 'A05', '2021': 'A03' },
  cwe: [89],
  severity: 'error',
  confidence: 'high',
  aliases: ['B611', 'S611'],
  tags: ['sql', 'django'],
  nodeTypes: ['call'],
  check(call, ctx) {
    const name = ctx.callName(call);
    if (!name || !RAWSQL.has(name)) return;
    const sql = callArgs(call).keywords.get('sql') ?? callArgs(call).positional[0];
    const risk = sql ? sqlRisk(sql, ctx) : null;
    if (!risk) return;
    const { located } = risk;
    if (located) {
      ctx.report(sql, {
        message: `SQL passed to \`RawSQL()\` is built with ${located.build.form}`,
        ...(located.via ? { related: [{ at: located.build.node, message: 'query built here' }] } : {}),
      });
    } else ctx.report(sql, { message: `SQL passed to \`RawSQL()\` comes from \`${ctx.textOf(sql).slice(0, 30)}\``, confidence: 'medium' });
  },
  docs: {
    what: 'Finds `django.db.models.expressions.RawSQL(sql, params)` whose SQL is built from variables (f-strings, `%`, `.format()`, `+`, or a name not known to hold a constant).',
    why: '`RawSQL` inserts its SQL into the query as written; only the `params` list is escaped. Formatting a value into the SQL string itself is SQL injection.',
    example: `qs.annotate(val=RawSQL(f"SELECT col FROM t WHERE id = {pk}", []))`,
    useInstead: `qs.annotate(val=RawSQL("SELECT col FROM t WHERE id = %s", [pk]))`,
    references: [{ title: 'Django: RawSQL expressions', url: 'https://docs.djangoproject.com/en/stable/ref/models/expressions/#raw-sql-expressions' }],
  },
});
