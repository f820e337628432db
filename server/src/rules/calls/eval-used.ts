import { defineRule, fix, replace } from '../../engine/rule';
import { canUseImport, isBuiltinCall, isConstantValue } from '../../engine/scope';
import { callArgs } from '../../engine/syntax';
import type { Fix } from '../../engine/types';

/** One line of at most 40 characters, for the message. */
function snippet(text: string): string {
  const t = text.replace(/\s+/g, ' ');
  return t.length > 40 ? `${t.slice(0, 37)}...` : t;
}

export default defineRule({
  id: 'SEC307',
  name: 'eval-used',
  local: true,
  summary: 'Builtin `eval()` on a value that is not a constant',
  owasp: { '2025': 'A05', '2021': 'A03' },
  cwe: [95, 94],
  severity: 'warning',
  confidence: 'high',
  fix: 'sometimes',
  aliases: ['B307', 'S307'],
  tags: ['injection'],
  nodeTypes: ['call'],
  check(call, ctx) {
    // The builtin only: `model.eval()`, `df.eval("a + b")` and a local `def eval` are other functions.
    if (!isBuiltinCall(call, 'eval', ctx)) return;
    const args = callArgs(call);
    const source = args.positional[0] ?? args.keywords.get('source');
    if (!source && !args.hasStarArgs && !args.hasStarKwargs) return;
    // A literal (or a name only ever assigned literals) is the program's own code.
    if (source && isConstantValue(source, ctx)) return;
    const fixes: Fix[] = [];
    const fn = call.childForFieldName('function')!;
    if (args.positional.length === 1 && args.keywords.size === 0 && !args.hasStarArgs && !args.hasStarKwargs) {
      const imp = ctx.requireImport('ast');
      if (canUseImport(imp, call, ctx)) {
        fixes.push(fix('Use `ast.literal_eval()` (accepts only literals)', 'unsafe', replace(fn, `${imp.ref}.literal_eval`), imp.edits));
      }
    }
    const what = source ? `\`${snippet(ctx.textOf(source))}\`` : 'its arguments';
    ctx.report(fn, { message: `\`eval()\` runs ${what} as Python code`, fixes });
  },
  docs: {
    what: 'Finds calls to the builtin `eval()` whose expression is not a constant literal (or a name only ever assigned literals). Methods and other functions named `eval` (`model.eval()`, `df.eval("a + b")`, a function of your own called `eval`) are not reported.',
    why: "`eval` runs its argument as Python with the full power of the process: `__import__('os').system('...')` is an expression. Passing an empty `__builtins__` dictionary does not sandbox it, since builtins can be reached again through object attributes (`().__class__.__base__.__subclasses__()`). Any part of the string that comes from a request, a file or a database is a remote code execution.",
    example: `def parse_setting(raw: str):
    return eval(raw)`,
    useInstead: `import ast

def parse_setting(raw: str):
    return ast.literal_eval(raw)  # strings, numbers, tuples, lists, dicts, sets, booleans, None`,
    fixSafety: '`ast.literal_eval()` evaluates only literals and containers of literals. The fix is unsafe because code that relied on `eval` evaluating names, calls, arithmetic on variables or comprehensions now raises `ValueError` instead, and it ignores any `globals`/`locals` arguments (so the fix is offered only for `eval` with a single argument). `import ast` is added when the file does not have it.',
    references: [
      { title: 'Python docs: eval()', url: 'https://docs.python.org/3/library/functions.html#eval' },
      { title: 'Python docs: ast.literal_eval()', url: 'https://docs.python.org/3/library/ast.html#ast.literal_eval' },
      { title: 'Ned Batchelder: Eval really is dangerous', url: 'https://nedbatchelder.com/blog/201206/eval_really_is_dangerous.html' },
    ],
  },
});
