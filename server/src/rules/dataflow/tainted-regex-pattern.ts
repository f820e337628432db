import { defineRule, fix } from '../../engine/rule';
import { SinkKind } from '../../engine/taint';
import { callArgs } from '../../engine/syntax';
import { FLOW_NOTE, reportFlows } from './report';

const FUNCTIONS = new Set(['compile', 'match', 'search', 'fullmatch', 'findall', 'finditer', 'sub', 'subn', 'split']);

export default defineRule({
  id: 'SEC911',
  name: 'tainted-regex-pattern',
  summary: 'Request data or other untrusted input is used as a regular expression',
  owasp: { '2025': 'A05', '2021': 'A03' },
  cwe: [730, 400],
  severity: 'warning',
  confidence: 'high',
  fix: 'always',
  tags: ['dataflow', 'regex', 'dos'],
  nodeTypes: ['call'],
  check(call, ctx) {
    const name = ctx.callName(call);
    if (!name) return;
    const dot = name.indexOf('.');
    const module = name.slice(0, dot);
    if ((module !== 're' && module !== 'regex') || !FUNCTIONS.has(name.slice(dot + 1))) return;
    const args = callArgs(call);
    const pattern = args.positional[0] ?? args.keywords.get('pattern');
    if (!pattern) return;
    // Match what the user typed literally: `re.escape(value)` (the `regex` module has it too).
    const escape = () => {
      const { ref, edits } = ctx.requireImport(module);
      return [fix(`Match the input literally (\`${ref}.escape()\`)`, 'unsafe', edits, { start: pattern.startIndex, end: pattern.startIndex, newText: `${ref}.escape(` }, { start: pattern.endIndex, end: pattern.endIndex, newText: ')' })];
    };
    reportFlows(ctx, pattern, pattern, SinkKind.regex, `the pattern of \`${name}()\``, undefined, escape);
  },
  docs: {
    what: 'Reports untrusted data (request data, route parameters) used as the pattern of a `re` or `regex` function. Values escaped with `re.escape()` are not reported; a value searched *for* (the second argument) is not a pattern and is not reported.' + FLOW_NOTE,
    why: "A user-chosen pattern such as `(a+)+$` makes Python's backtracking matcher take exponential time on a short input, tying up a worker per request (ReDoS); it can also match far more than the code expected.",
    example: `import re
from flask import request

@app.route("/search")
def search():
    pattern = re.compile(request.args["q"])`,
    useInstead: `@app.route("/search")
def search():
    pattern = re.compile(re.escape(request.args["q"]))`,
    fixSafety: 'The fix wraps the pattern in `re.escape()` (or `regex.escape()`), so the input is matched as literal text. It is unsafe: where users are meant to type regular expressions (an advanced search box), their patterns stop working; there, bound the input length and use a matcher without backtracking (`re2`) or the `timeout=` of the `regex` module instead.',
    references: [{ title: 'OWASP Regular expression Denial of Service', url: 'https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS' }],
  },
});
