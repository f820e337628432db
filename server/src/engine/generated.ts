// Files generated from rule metadata, computed in memory so a test can compare them with the
// committed copies (rust-analyzer's ensure_file_contents): RULES.md and the package.json
// settings schema that completes rule ids.

import { rulesDocument } from './docs';
import type { Rule } from './rule';

/** package.json with `parapet.rules.ignore` / `parapet.rules.severity` completing rule ids. */
export function packageJsonWithRuleIds(packageJson: string, rules: readonly Rule[]): string {
  const pkg = JSON.parse(packageJson) as {
    contributes: { configuration: { properties: Record<string, Record<string, unknown>> } };
  };
  const props = pkg.contributes.configuration.properties;
  const ids = rules.map((r) => r.id);
  const descriptions = rules.map((r) => `${r.name}: ${r.summary.replace(/`/g, '')}`);
  // Any selector is accepted (prefixes, names, aliases); the enum only drives completion.
  const selector = {
    anyOf: [{ enum: ids, enumDescriptions: descriptions }, { type: 'string', pattern: '^(ALL|SEC\\d{0,3}|[BS]\\d{3}|[a-z0-9]+(-[a-z0-9]+)*)$' }],
  };
  props['parapet.rules.ignore']!['items'] = { type: 'string', ...selector };
  props['parapet.rules.severity']!['propertyNames'] = selector;
  return JSON.stringify(pkg, null, 2) + '\n';
}

export function generatedFiles(rules: readonly Rule[], packageJson: string): Record<string, string> {
  return {
    'RULES.md': rulesDocument(rules),
    'package.json': packageJsonWithRuleIds(packageJson, rules),
  };
}
