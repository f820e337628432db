import type { Rule } from '../../engine/rule';
import unknownRuleInSuppression from './unknown-rule-in-suppression';
import unusedSuppression from './unused-suppression';

export const metaRules: Rule[] = [unusedSuppression, unknownRuleInSuppression];
