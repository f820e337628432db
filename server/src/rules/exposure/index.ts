import type { Rule } from '../../engine/rule';

export const exposureRules: Rule[] = [];
