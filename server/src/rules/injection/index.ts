import type { Rule } from '../../engine/rule';
import djangoExtraSql from './django-extra-sql';
import djangoRawsql from './django-rawsql';
import formattedSqlQuery from './formatted-sql-query';
import startProcessWithShell from './start-process-with-shell';
import subprocessShellTrue from './subprocess-shell-true';

export const injectionRules: Rule[] = [formattedSqlQuery, subprocessShellTrue, startProcessWithShell, djangoExtraSql, djangoRawsql];
