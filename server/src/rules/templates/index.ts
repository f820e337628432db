import type { Rule } from '../../engine/rule';

export const templatesRules: Rule[] = [];
