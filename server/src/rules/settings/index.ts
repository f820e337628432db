import type { Rule } from '../../engine/rule';

export const settingsRules: Rule[] = [];
