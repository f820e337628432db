// The rule registry: every rule Parapet knows, in id order. Each family folder registers its
// rules in its own index.ts, so adding a rule touches one family file.

import type { Rule } from '../engine/rule';
import { callsRules } from './calls';
import { cryptoRules } from './crypto';
import { dataflowRules } from './dataflow';
import { exposureRules } from './exposure';
import { generalRules } from './general';
import { importsRules } from './imports';
import { injectionRules } from './injection';
import { metaRules } from './meta';
import { mlRules } from './ml';
import { settingsRules } from './settings';
import { templatesRules } from './templates';

function registry(rules: Rule[]): readonly Rule[] {
  const ids = new Set<string>();
  const names = new Set<string>();
  for (const r of rules) {
    if (ids.has(r.id)) throw new Error(`duplicate rule id ${r.id}`);
    if (names.has(r.name)) throw new Error(`duplicate rule name ${r.name}`);
    ids.add(r.id);
    names.add(r.name);
  }
  return Object.freeze([...rules].sort((a, b) => a.id.localeCompare(b.id)));
}

export const ALL_RULES: readonly Rule[] = registry([
  ...metaRules,
  ...generalRules,
  ...settingsRules,
  ...callsRules,
  ...importsRules,
  ...cryptoRules,
  ...injectionRules,
  ...templatesRules,
  ...exposureRules,
  ...dataflowRules,
  ...mlRules,
]);

export function ruleById(id: string): Rule | undefined {
  const upper = id.toUpperCase();
  return ALL_RULES.find((r) => r.id === upper);
}
