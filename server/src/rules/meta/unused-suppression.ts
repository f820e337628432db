import { defineRule } from '../../engine/rule';

// Reported by the runner itself after suppressions are matched (see engine/runner.ts).
export default defineRule({
  id: 'SEC001',
  name: 'unused-suppression',
  summary: 'A `# parapet: ignore[...]` comment that suppresses nothing',
  owasp: { '2025': 'A06', '2021': 'A04' },
  cwe: [],
  severity: 'hint',
  confidence: 'high',
  fix: 'always',
  tags: ['meta'],
  nodeTypes: [],
  check() {},
  docs: {
    what: 'Finds `# parapet: ignore[...]` comments (or rule ids inside them) that no longer suppress any finding on their statement. Only Parapet\'s own comments are checked: `# nosec` and `# noqa` may be there for other tools.',
    why: 'A stale suppression hides the next real problem on that line: when code changes, the comment keeps silencing a rule nobody is looking at any more.',
    example: `token = secrets.token_hex(16)  # parapet: ignore[SEC311]`,
    useInstead: `token = secrets.token_hex(16)`,
    fixSafety: 'Removing the unused rule id (or the whole comment when nothing else is in it) changes no code, so the fix is safe.',
  },
});
