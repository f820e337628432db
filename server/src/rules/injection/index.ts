import type { Rule } from '../../engine/rule';
import callWithShellTrue from './call-with-shell-true';
import djangoExtraSql from './django-extra-sql';
import djangoRawsql from './django-rawsql';
import formattedSqlQuery from './formatted-sql-query';
import loggingConfigInsecureListen from './logging-config-insecure-listen';
import paramikoExecCommand from './paramiko-exec-command';
import startProcessWithoutShell from './start-process-without-shell';
import startProcessWithPartialPath from './start-process-with-partial-path';
import startProcessWithShell from './start-process-with-shell';
import subprocessShellTrue from './subprocess-shell-true';
import subprocessWithoutShell from './subprocess-without-shell';
import trojanSource from './trojan-source';
import unixCommandWildcardInjection from './unix-command-wildcard-injection';

export const injectionRules: Rule[] = [formattedSqlQuery, subprocessShellTrue, startProcessWithShell, djangoExtraSql, djangoRawsql, callWithShellTrue, unixCommandWildcardInjection, paramikoExecCommand, loggingConfigInsecureListen, trojanSource, subprocessWithoutShell, startProcessWithoutShell, startProcessWithPartialPath];
