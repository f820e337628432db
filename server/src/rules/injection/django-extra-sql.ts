import type { Node } from '../../engine/parser';
import { defineRule, type RuleContext } from '../../engine/rule';
import { callArgs, unparen } from '../../engine/syntax';
import { sqlRisk } from '../util/sql-harmless';

/** The SQL fragments `QuerySet.extra()` takes: select values, where items, tables, order_by. */
function fragments(call: Node): Node[] {
  const args = callArgs(call);
  const out: Node[] = [];
  const collect = (n: Node | undefined, dict: boolean): void => {
    if (!n) return;
    const v = unparen(n);
    if (dict && v.type === 'dictionary') {
      for (const pair of v.namedChildren) if (pair?.type === 'pair' && pair.childForFieldName('value')) out.push(pair.childForFieldName('value')!);
    } else if (v.type === 'list' || v.type === 'tuple') {
      for (const item of v.namedChildren) if (item && item.type !== 'comment') out.push(item);
    } else out.push(v);
  };
  collect(args.keywords.get('select') ?? args.positional[0], true);
  collect(args.keywords.get('where') ?? args.positional[1], false);
  collect(args.keywords.get('tables') ?? args.positional[3], false);
  collect(args.keywords.get('order_by') ?? args.positional[4], false);
  return out;
}

/** Why a fragment is dangerous, or null when it cannot carry attacker-controlled SQL. */
function risk(fragment: Node, ctx: RuleContext): { at: Node; confidence: 'high' | 'medium'; what: string } | null {
  const r = sqlRisk(fragment, ctx);
  if (!r) return null;
  if (r.located) return { at: fragment, confidence: 'high', what: `built with ${r.located.build.form}` };
  return { at: fragment, confidence: 'medium', what: `from \`${ctx.textOf(fragment).slice(0, 30)}\`` };
}

export default defineRule({
  id: 'SEC610',
  name: 'django-extra-sql',
  local: true,
  summary: 'Django `QuerySet.extra()` with SQL built from variables',
  owasp: { '2025': 'A05', '2021': 'A03' },
  cwe: [89],
  severity: 'error',
  confidence: 'high',
  aliases: ['B610', 'S610'],
  tags: ['sql', 'django'],
  nodeTypes: ['call'],
  appliesTo: (_file, facts) => facts.importedModules.has('django'),
  check(call, ctx) {
    const fn = call.childForFieldName('function');
    if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'extra') return;
    for (const f of fragments(call)) {
      const r = risk(f, ctx);
      if (r) ctx.report(r.at, { message: `SQL fragment passed to \`.extra()\` is ${r.what}`, confidence: r.confidence });
    }
  },
  docs: {
    what: 'Finds calls to Django\'s `QuerySet.extra()` whose `select`, `where`, `tables` or `order_by` SQL fragments are built from variables (f-strings, `%`, `.format()`, `+`, or names not known to hold constants). Constant fragments with values passed in `params=` / `select_params=` are fine.',
    why: '`extra()` pastes its fragments into the generated SQL verbatim. A value formatted into a fragment is SQL injection, exactly as with a raw query; Django\'s documentation asks you to avoid `extra()` altogether and to use `params` when you cannot.',
    example: `Entry.objects.extra(where=[f"headline = '{headline}'"])`,
    useInstead: `Entry.objects.extra(where=["headline = %s"], params=[headline])
# or, better, no extra():
Entry.objects.filter(headline=headline)`,
    references: [{ title: 'Django: QuerySet.extra()', url: 'https://docs.djangoproject.com/en/stable/ref/models/querysets/#extra' }],
  },
});
