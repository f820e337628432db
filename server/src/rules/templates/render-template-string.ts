import type { Node } from '../../engine/parser';
import { defineRule, type RuleContext } from '../../engine/rule';
import { assignmentsBefore, isBuiltinCall } from '../../engine/scope';
import { callArgs, unparen } from '../../engine/syntax';
import { CONSTRUCTORS, constructedKey, isConstructedBy } from '../util/frameworks';
import { describe, interpolations, isConstantText } from '../util/html';

/** Calls whose first argument is template source. */
const FROM_SOURCE = new Map([
  ['flask.render_template_string', 'render_template_string()'],
  ['flask.templating.render_template_string', 'render_template_string()'],
  ['flask.stream_template_string', 'stream_template_string()'],
  ['quart.render_template_string', 'render_template_string()'],
  ['jinja2.Template', 'jinja2.Template()'],
  ['jinja2.environment.Template', 'jinja2.Template()'],
  ['django.template.Template', 'django.template.Template()'],
]);
/** Environments whose `from_string()` compiles unsandboxed templates. */
const ENVIRONMENTS: ReadonlySet<string> = CONSTRUCTORS.jinjaEnvironment;

/** `env.from_string(src)` on a Jinja2 environment: one this file builds, `Environment(...)` inline, or Flask's `app.jinja_env`. */
function isFromString(call: Node, ctx: RuleContext): boolean {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'from_string') return false;
  const env = unparen(fn.childForFieldName('object')!);
  if (env.type === 'call') return ENVIRONMENTS.has(ctx.callName(env) ?? '');
  if (env.type === 'attribute' && env.childForFieldName('attribute')?.text === 'jinja_env') return true;
  return isConstructedBy(env, 'jinjaEnvironment', ctx);
}

/** The root name of `request.args.get("t")`, `request.form["t"]`, `request.get_data().decode()`. */
function rootName(expr: Node): string | null {
  let n: Node | null = unparen(expr);
  for (let i = 0; n && i < 20; i++) {
    if (n.type === 'identifier') return n.text;
    if (n.type === 'call') n = n.childForFieldName('function');
    else if (n.type === 'attribute') n = n.childForFieldName('object');
    else if (n.type === 'subscript') n = n.childForFieldName('value');
    else return null;
    if (n) n = unparen(n);
  }
  return null;
}

interface Dynamic {
  kind: 'built' | 'request';
  /** The value spliced in, or the name that holds the template. */
  node: Node;
}

/** Why a template source is attacker-influenced: built from a non-constant, or read from the request. */
function dynamicSource(expr: Node, ctx: RuleContext, depth = 0): Dynamic | null {
  const n = unparen(expr);
  if (depth > 6) return null;
  if (rootName(n) === 'request') return { kind: 'request', node: n };
  const parts = interpolations(n, ctx);
  if (parts) {
    const bad = parts.find((p) => !isConstantText(p, ctx));
    return bad ? { kind: 'built', node: bad } : null;
  }
  if (n.type === 'identifier') {
    for (const a of assignmentsBefore(n, ctx)) {
      const d = a.augmented ? (isConstantText(a.value, ctx) ? null : { kind: 'built' as const, node: a.value }) : dynamicSource(a.value, ctx, depth + 1);
      if (d) return d;
    }
    return null;
  }
  if (n.type === 'conditional_expression') {
    const [a, , b] = n.namedChildren;
    return (a && dynamicSource(a, ctx, depth + 1)) || (b && dynamicSource(b, ctx, depth + 1)) || null;
  }
  // `str(x)`, `x.strip()`, `x.decode()`: the same text.
  if (n.type === 'call') {
    const fn = n.childForFieldName('function');
    if (isBuiltinCall(n, 'str', ctx)) {
      const arg = callArgs(n).positional[0];
      return arg ? dynamicSource(arg, ctx, depth + 1) : null;
    }
    if (fn?.type === 'attribute' && ['strip', 'decode', 'lstrip', 'rstrip'].includes(fn.childForFieldName('attribute')?.text ?? '')) {
      return dynamicSource(fn.childForFieldName('object')!, ctx, depth + 1);
    }
  }
  return null;
}

export default defineRule({
  id: 'SEC710',
  name: 'render-template-string',
  local: true,
  fileKey: constructedKey,
  summary: 'Template source built from run-time data: server-side template injection',
  owasp: { '2025': 'A05', '2021': 'A03' },
  cwe: [1336, 94],
  severity: 'error',
  confidence: 'high',
  tags: ['flask', 'jinja2', 'django', 'ssti'],
  nodeTypes: ['call'],
  appliesTo: (file, facts) => !file.isTest && ['flask', 'jinja2', 'quart', 'django'].some((m) => facts.importedModules.has(m)),
  check(call, ctx) {
    const fn = FROM_SOURCE.get(ctx.callName(call) ?? '') ?? (isFromString(call, ctx) ? 'from_string()' : null);
    if (!fn) return;
    const args = callArgs(call);
    const source = args.positional[0] ?? args.keywords.get('source') ?? args.keywords.get('template_string');
    if (!source) return;
    const d = dynamicSource(source, ctx);
    if (!d) return;
    const what = describe(ctx, d.node);
    ctx.report(source, {
      message: d.kind === 'request' ? `\`${fn}\` compiles a template taken from the request (${what})` : `\`${fn}\` compiles a template built from ${what}`,
    });
  },
  docs: {
    what: "Finds template source that is built at run time and then compiled: `flask.render_template_string(src)`, `jinja2.Template(src)`, `Environment(...).from_string(src)` (also `app.jinja_env.from_string`) and `django.template.Template(src)`, where `src` is an f-string, a `%`, `.format()`, `.replace()` or `+` build with a value that is not a constant, request data (`request.args[...]`, `request.form.get(...)`), or a local variable assigned one of those. Constant templates, with data passed as context variables, are not reported; nor is `SandboxedEnvironment().from_string()`, which is made for untrusted templates.",
    why: "Whatever reaches the template source is template code. A user who can put `{{ ... }}` into it can read the configuration (`{{ config }}` in Flask shows `SECRET_KEY`), and in Jinja2 can walk from any object to Python's builtins and run commands on the server (server-side template injection, usually remote code execution). Escaping does not help: `{{` is not HTML.",
    example: `from flask import Flask, render_template_string, request

app = Flask(__name__)


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    return render_template_string(f"<h1>Hello {name}!</h1>")`,
    useInstead: `@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    return render_template_string("<h1>Hello {{ name }}!</h1>", name=name)`,
    references: [
      { title: 'PortSwigger: Server-side template injection', url: 'https://portswigger.net/web-security/server-side-template-injection' },
      { title: 'Flask API: render_template_string', url: 'https://flask.palletsprojects.com/en/stable/api/#flask.render_template_string' },
      { title: 'Jinja: Sandbox', url: 'https://jinja.palletsprojects.com/en/stable/sandbox/' },
    ],
  },
});
