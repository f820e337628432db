import type { Rule } from '../../engine/rule';
import assertForAuthorization from './assert-for-authorization';
import assertUsed from './assert-used';
import badFilePermissions from './bad-file-permissions';
import bindAllInterfaces from './bind-all-interfaces';
import execUsed from './exec-used';
import hardcodedCredentialFormat from './hardcoded-credential-format';
import hardcodedPasswordDefault from './hardcoded-password-default';
import hardcodedPasswordFuncArg from './hardcoded-password-func-arg';
import hardcodedPasswordString from './hardcoded-password-string';
import hardcodedTmpDirectory from './hardcoded-tmp-directory';
import requestWithoutTimeout from './request-without-timeout';
import tarfileUnsafeMembers from './tarfile-unsafe-members';
import tryExceptContinue from './try-except-continue';
import tryExceptPass from './try-except-pass';

export const generalRules: Rule[] = [
  assertUsed,
  execUsed,
  badFilePermissions,
  bindAllInterfaces,
  hardcodedPasswordString,
  hardcodedPasswordFuncArg,
  hardcodedPasswordDefault,
  hardcodedTmpDirectory,
  tryExceptPass,
  tryExceptContinue,
  requestWithoutTimeout,
  assertForAuthorization,
  hardcodedCredentialFormat,
  tarfileUnsafeMembers,
];
