import { defineRule } from '../../engine/rule';
import { SinkKind } from '../../engine/taint';
import { callArgs } from '../../engine/syntax';
import { FLOW_NOTE, reportFlows } from './report';

const CALLS = new Set(['lxml.etree.XPath', 'lxml.etree.ETXPath', 'elementpath.select', 'elementpath.iter_select']);

export default defineRule({
  id: 'SEC909',
  name: 'tainted-xpath-query',
  summary: 'Request data or other untrusted input is written into an XPath expression',
  owasp: { '2025': 'A05', '2021': 'A03' },
  cwe: [643],
  severity: 'error',
  confidence: 'high',
  tags: ['dataflow', 'xml', 'lxml'],
  nodeTypes: ['call'],
  appliesTo: (_file, facts) => facts.importedModules.has('lxml') || facts.importedModules.has('elementpath'),
  check(call, ctx) {
    const args = callArgs(call);
    const name = ctx.callName(call);
    if (name && CALLS.has(name)) {
      const path = name.startsWith('elementpath') ? args.positional[1] ?? args.keywords.get('path') : args.positional[0] ?? args.keywords.get('path');
      if (path) reportFlows(ctx, path, path, SinkKind.xpath, `the XPath expression of \`${name.split('.').pop()}()\``);
      return;
    }
    const fn = call.childForFieldName('function');
    if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'xpath') return;
    // XPath variables (`tree.xpath("//user[@name=$name]", name=value)`) are not parsed as XPath.
    const path = args.positional[0] ?? args.keywords.get('_path');
    if (path) reportFlows(ctx, path, path, SinkKind.xpath, 'the XPath expression of `.xpath()`');
  },
  docs: {
    what: 'Reports untrusted data (request data, route parameters) written into an XPath expression evaluated by lxml (`.xpath()`, `etree.XPath()`) or elementpath. Values passed as XPath variables (`$name` with `name=value`) are not reported.' + FLOW_NOTE,
    why: "A quote in the value ends the string literal of the expression: `' or '1'='1` turns a lookup by name into a query that matches every node, which bypasses XML-backed logins and exposes the whole document.",
    example: `from flask import request
from lxml import etree

@app.route("/user")
def user():
    return str(doc.xpath(f"//user[@name='{request.args['name']}']"))`,
    useInstead: `@app.route("/user")
def user():
    return str(doc.xpath("//user[@name=$name]", name=request.args["name"]))`,
    references: [{ title: 'OWASP XPath Injection', url: 'https://owasp.org/www-community/attacks/XPATH_Injection' }],
  },
});
