import { defineRule } from '../../engine/rule';
import { unparen } from '../../engine/syntax';
import { assertToRaise, authorizationCheck } from './assert-for-authorization';

export default defineRule({
  id: 'SEC101',
  name: 'assert-used',
  local: true,
  summary: '`assert` in production code (removed by `python -O`)',
  owasp: { '2025': 'A10', '2021': 'A04' },
  cwe: [703],
  severity: 'info',
  confidence: 'high',
  fix: 'sometimes',
  enabledByDefault: false,
  aliases: ['B101', 'S101'],
  tags: ['audit'],
  nodeTypes: ['assert_statement'],
  appliesTo: (file) => !file.isTest,
  check(stmt, ctx) {
    const cond = stmt.namedChildren.find((c) => c && c.type !== 'comment');
    if (!cond) return;
    // Access checks are SEC130's, reported on by default with a stronger message.
    if (authorizationCheck(cond, ctx)) return;
    const c = unparen(cond);
    // `assert isinstance(x, T)` mostly narrows a type for the type checker.
    const narrowing = c.type === 'call' && ctx.callName(c) === 'isinstance';
    const f = assertToRaise(stmt, ctx, 'AssertionError', 'Raise `AssertionError` explicitly', 'unsafe');
    ctx.report(stmt.firstChild ?? stmt, {
      message: `\`assert\` is removed when Python runs with \`-O\`: \`${ctx.textOf(c).replace(/\s+/g, ' ').slice(0, 80)}\` is not checked then`,
      ...(narrowing ? { confidence: 'low' as const } : {}),
      fixes: f ? [f] : [],
    });
  },
  docs: {
    what: 'Finds every `assert` statement outside test files. Off by default: most asserts document invariants and are harmless when stripped; enable it to audit code that may run under `python -O`. Asserts that make an access decision are reported by SEC130 (on by default) instead. `assert isinstance(...)` is reported with low confidence, as it mostly narrows types for a type checker.',
    why: 'Python compiles `assert` statements away under `-O` / `PYTHONOPTIMIZE`. Input validation written as `assert amount > 0` or `assert path.startswith(UPLOAD_DIR)` then silently stops happening in the optimised deployment, letting a negative transfer or a path traversal through (CWE-703).',
    example: `def transfer(account, amount):
    assert amount > 0, "amount must be positive"
    account.balance -= amount`,
    useInstead: `def transfer(account, amount):
    if amount <= 0:
        raise ValueError("amount must be positive")
    account.balance -= amount`,
    fixSafety: 'The fix rewrites `assert cond, msg` as `if not (cond): raise AssertionError(msg)`, which raises the same exception as before under normal Python and keeps the check under `-O`. It is unsafe because under `-O` the condition is now evaluated: an expensive or side-effecting check meant for debug builds runs in production, and one that fails there now raises. It is offered only when the assert is alone on its line; consider raising `ValueError` or `TypeError` instead.',
    references: [
      { title: 'Python: The assert statement', url: 'https://docs.python.org/3/reference/simple_stmts.html#the-assert-statement' },
      { title: 'Bandit B101: assert_used', url: 'https://bandit.readthedocs.io/en/latest/plugins/b101_assert_used.html' },
    ],
  },
});
