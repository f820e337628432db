import type { Rule } from '../../engine/rule';
import randomSecurityValue from './random-security-value';

export const callsRules: Rule[] = [randomSecurityValue];
