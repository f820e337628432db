import type { Rule } from '../../engine/rule';

export const dataflowRules: Rule[] = [];
