import type { Rule } from '../../engine/rule';
import callWithShellTrue from './call-with-shell-true';
import djangoExtraSql from './django-extra-sql';
import djangoRawsql from './django-rawsql';
import formattedSqlQuery from './formatted-sql-query';
import paramikoExecCommand from './paramiko-exec-command';
import startProcessWithShell from './start-process-with-shell';
import subprocessShellTrue from './subprocess-shell-true';
import unixCommandWildcardInjection from './unix-command-wildcard-injection';

export const injectionRules: Rule[] = [formattedSqlQuery, subprocessShellTrue, startProcessWithShell, djangoExtraSql, djangoRawsql, callWithShellTrue, unixCommandWildcardInjection, paramikoExecCommand];
