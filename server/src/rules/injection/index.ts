import type { Rule } from '../../engine/rule';
import formattedSqlQuery from './formatted-sql-query';

export const injectionRules: Rule[] = [formattedSqlQuery];
