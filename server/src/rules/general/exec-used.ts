import type { Node } from '../../engine/parser';
import { defineRule, type RuleContext } from '../../engine/rule';
import { isBuiltinCall, valuesBefore } from '../../engine/scope';
import { callArgs, isFString, unparen } from '../../engine/syntax';
import { stringLiteral } from '../util/secrets';

/** What the code passed to `exec()` is, for the message. */
function describe(arg: Node): string {
  switch (arg.type) {
    case 'string':
      return isFString(arg) ? 'an f-string' : 'a string';
    case 'concatenated_string':
    case 'binary_operator':
      return 'a built string';
    case 'call':
      return 'the result of a call';
    case 'identifier':
    case 'attribute':
    case 'subscript':
      return 'a variable';
    default:
      return 'a non-constant value';
  }
}

/** `open(path)` or `pathlib.Path(path)` / `Path(path)` with a literal path: the path, else null. */
function literalPathOf(expr: Node, ctx: RuleContext): string | null {
  const e = unparen(expr);
  if (e.type !== 'call') return null;
  const name = ctx.callName(e);
  if (name !== 'open' && name !== 'io.open' && name !== 'pathlib.Path' && name !== 'codecs.open') return null;
  return stringLiteral(callArgs(e).positional[0])?.value ?? null;
}

/**
 * The literal path of a project file whose text is executed: `open("v.py").read()`,
 * `Path("v.py").read_text()`, or `f.read()` inside `with open("v.py") as f:`. Null otherwise.
 */
function fixedFileRead(arg: Node, ctx: RuleContext): string | null {
  if (arg.type !== 'call') return null;
  const fn = arg.childForFieldName('function');
  const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : null;
  const receiver = fn?.childForFieldName('object');
  if (!receiver || (method !== 'read' && method !== 'read_text')) return null;
  const direct = literalPathOf(receiver, ctx);
  if (direct !== null) return direct;
  if (receiver.type !== 'identifier') return null;
  const sources = valuesBefore(receiver, ctx);
  return sources.length === 1 ? literalPathOf(sources[0]!, ctx) : null;
}

export default defineRule({
  id: 'SEC102',
  name: 'exec-used',
  local: true,
  summary: '`exec()` runs code that is not a constant string',
  owasp: { '2025': 'A05', '2021': 'A03' },
  cwe: [94, 95],
  severity: 'error',
  confidence: 'high',
  aliases: ['B102', 'S102'],
  tags: ['code-execution'],
  nodeTypes: ['call'],
  check(call, ctx) {
    // Not a method called `exec`, nor a function or parameter that shadows the builtin.
    if (!isBuiltinCall(call, 'exec', ctx)) return;
    const args = callArgs(call);
    const source = args.positional[0];
    if (!source) return;
    // A constant literal is code the author wrote; nothing outside can change it.
    if (stringLiteral(source)) return;
    const arg = unparen(source);
    const file = fixedFileRead(arg, ctx);
    ctx.report(call.childForFieldName('function') ?? call, {
      message: file ? `\`exec()\` runs the contents of \`${file}\` as Python code` : `\`exec()\` runs ${describe(arg)} as Python code`,
      // `exec(open("pkg/version.py").read())` in setup.py runs a file of the project itself.
      ...(file ? { severity: 'warning' as const, confidence: 'low' as const } : {}),
    });
  },
  docs: {
    what: 'Finds calls to the builtin `exec()` whose code argument is anything other than a constant string literal: a variable, an f-string, a concatenation, the result of a call. `exec("x = 1")` with a literal is not reported, and neither are methods called `exec` (`cursor.exec(...)`) or a local function that shadows the builtin. Executing a project file named by a literal path (`exec(open("pkg/version.py").read())`, common in `setup.py`) is reported as a low-confidence warning.',
    why: '`exec()` runs arbitrary Python with the full privileges of the process. When any part of the code string comes from a request, a file, a message queue or a database, an attacker who controls that part can run their own code: read secrets, open a reverse shell, pivot into the network. Restricting `globals`/`__builtins__` does not make it safe; sandbox escapes through object introspection are well known.',
    example: `def apply_rule(rule_source: str, order):
    exec(f"result = {rule_source}", {"order": order})`,
    useInstead: `import ast
import operator

# Parse data, not code: a fixed set of operations chosen by name.
OPERATIONS = {"discount": operator.mul, "surcharge": operator.add}

def apply_rule(rule: dict, order):
    op = OPERATIONS[rule["op"]]
    return op(order.total, float(rule["value"]))

# For literals only (numbers, strings, lists, dicts), use ast.literal_eval.
settings = ast.literal_eval(text)`,
    references: [
      { title: 'Python docs: exec()', url: 'https://docs.python.org/3/library/functions.html#exec' },
      { title: 'Python docs: ast.literal_eval()', url: 'https://docs.python.org/3/library/ast.html#ast.literal_eval' },
      { title: 'OWASP: Code Injection', url: 'https://owasp.org/www-community/attacks/Code_Injection' },
    ],
  },
});
