import type { Rule } from '../../engine/rule';
import secretInLog from './secret-in-log';

export const exposureRules: Rule[] = [secretInLog];
