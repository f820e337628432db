import { defineRule } from '../../engine/rule';
import { SinkKind } from '../../engine/taint';
import { callArgs } from '../../engine/syntax';
import { FLOW_NOTE, reportFlows } from './report';

/** python-ldap search methods: the filter is the third argument. */
const PYTHON_LDAP = new Set(['search', 'search_s', 'search_st', 'search_ext', 'search_ext_s']);

export default defineRule({
  id: 'SEC910',
  name: 'tainted-ldap-filter',
  summary: 'Request data or other untrusted input is written into an LDAP search filter',
  owasp: { '2025': 'A05', '2021': 'A03' },
  cwe: [90],
  severity: 'error',
  confidence: 'high',
  tags: ['dataflow', 'ldap'],
  nodeTypes: ['call'],
  appliesTo: (_file, facts) => facts.importedModules.has('ldap3') || facts.importedModules.has('ldap'),
  check(call, ctx) {
    const fn = call.childForFieldName('function');
    const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text ?? '' : '';
    if (!PYTHON_LDAP.has(method)) return;
    const args = callArgs(call);
    const ldap3 = ctx.facts.importedModules.has('ldap3');
    // ldap3: conn.search(search_base, search_filter, ...); python-ldap: l.search_s(base, scope, filterstr).
    const filter = ldap3 && method === 'search' ? args.keywords.get('search_filter') ?? args.positional[1] : args.keywords.get('filterstr') ?? args.positional[2];
    if (filter) reportFlows(ctx, filter, filter, SinkKind.ldap, `the LDAP filter of \`.${method}()\``);
  },
  docs: {
    what: "Reports untrusted data (request data, route parameters) written into the filter of an LDAP search with ldap3 (`conn.search(base, filter)`) or python-ldap (`search_s(base, scope, filterstr)`). Values escaped with `ldap3.utils.conv.escape_filter_chars()` or python-ldap's `escape_filter_chars()`/`filter_format()` are not reported." + FLOW_NOTE,
    why: 'Filter syntax in a user name changes the search: `*)(uid=*))(|(uid=*` matches every entry, which bypasses an LDAP login or lists the directory.',
    example: `from flask import request

@app.route("/login", methods=["POST"])
def login():
    conn.search("dc=example,dc=com", f"(uid={request.form['user']})")`,
    useInstead: `from ldap3.utils.conv import escape_filter_chars

@app.route("/login", methods=["POST"])
def login():
    conn.search("dc=example,dc=com", f"(uid={escape_filter_chars(request.form['user'])})")`,
    references: [{ title: 'OWASP LDAP Injection Prevention Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/LDAP_Injection_Prevention_Cheat_Sheet.html' }],
  },
});
