import { defineRule } from '../../engine/rule';

// Reported by the runner itself after suppressions are matched (see engine/runner.ts).
export default defineRule({
  id: 'SEC002',
  name: 'unknown-rule-in-suppression',
  local: true,
  summary: 'A `# parapet: ignore[...]` comment names a rule that does not exist',
  owasp: { '2025': 'A06', '2021': 'A04' },
  cwe: [],
  severity: 'warning',
  confidence: 'high',
  tags: ['meta'],
  nodeTypes: [],
  check() {},
  docs: {
    what: 'Finds rule codes in `# parapet: ignore[...]` and `# parapet: ignore-file[...]` comments that match no Parapet rule id, rule name, or Bandit/Ruff alias.',
    why: 'A typo in a suppression (`SEC62` for `SEC602`) silently suppresses nothing, so the finding the author meant to accept keeps appearing, or worse, the author believes a different rule is covered.',
    example: `subprocess.run(cmd, shell=True)  # parapet: ignore[SEC62]`,
    useInstead: `subprocess.run(cmd, shell=True)  # parapet: ignore[SEC602]`,
  },
});
