import type { Rule } from '../../engine/rule';

export const generalRules: Rule[] = [];
