import { defineRule } from '../../engine/rule';
import { builtinCalled } from '../../engine/scope';
import { SinkKind } from '../../engine/taint';
import { callArgs, unparen } from '../../engine/syntax';
import { FLOW_NOTE, reportFlows } from './report';

const BUILTINS = new Set(['eval', 'exec', 'compile']);
const TEMPLATE_CALLS = new Set(['flask.render_template_string', 'jinja2.Template', 'jinja2.Environment.from_string', 'mako.template.Template']);

export default defineRule({
  id: 'SEC903',
  name: 'tainted-code-evaluation',
  summary: 'Request data or other untrusted input is evaluated as Python code or as a template',
  owasp: { '2025': 'A05', '2021': 'A03' },
  cwe: [94, 95],
  severity: 'error',
  confidence: 'high',
  tags: ['dataflow', 'flask', 'django', 'fastapi'],
  nodeTypes: ['call'],
  check(call, ctx) {
    const fn = call.childForFieldName('function');
    // Most calls are not spelled like a builtin of interest: skip the scope lookups for them.
    const builtin = fn && (fn.type === 'attribute' || BUILTINS.has(fn.text)) ? builtinCalled(call, ctx) : null;
    const args = callArgs(call);
    if (builtin && BUILTINS.has(builtin)) {
      const code = args.positional[0] ?? args.keywords.get('source') ?? null;
      // `exec(compile(src, ...))`: the inner `compile()` is the sink that is reported.
      const inner = code ? unparen(code) : null;
      if (inner?.type === 'call' && builtinCalled(inner, ctx) === 'compile') return;
      reportFlows(ctx, code ?? call, code, SinkKind.code, `\`${builtin}()\`, which runs it as Python code`);
      return;
    }
    const name = ctx.callName(call);
    if (name && TEMPLATE_CALLS.has(name)) {
      const source = args.positional[0] ?? args.keywords.get('source') ?? null;
      reportFlows(ctx, source ?? call, source, SinkKind.code, `the template source of \`${name.split('.').pop()}()\` (server-side template injection)`);
    }
  },
  docs: {
    what: 'Reports untrusted data (request data, route parameters, `sys.argv`, `input()`) that reaches `eval()`, `exec()` or `compile()`, or becomes the source of a template (`render_template_string()`, `jinja2.Template()`). SEC307 reports every non-constant `eval()`; this rule says when a user controls what is evaluated.' + FLOW_NOTE,
    why: 'Evaluating user data runs the attacker\'s code in the server process: `__import__("os").system(...)` is an expression, and a template source such as `{{ cycler.__init__.__globals__.os.popen("id").read() }}` does the same through Jinja.',
    example: `from flask import request

@app.route("/calc")
def calc():
    return str(eval(request.args["expr"]))`,
    useInstead: `import ast

@app.route("/calc")
def calc():
    return str(ast.literal_eval(request.args["expr"]))`,
    references: [{ title: 'OWASP Code Injection', url: 'https://owasp.org/www-community/attacks/Code_Injection' }],
  },
});
