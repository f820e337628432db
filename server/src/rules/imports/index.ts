import type { Rule } from '../../engine/rule';

export const importsRules: Rule[] = [];
