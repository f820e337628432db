import type { Rule } from '../../engine/rule';
import execUsed from './exec-used';
import hardcodedCredentialFormat from './hardcoded-credential-format';
import hardcodedPasswordDefault from './hardcoded-password-default';
import hardcodedPasswordFuncArg from './hardcoded-password-func-arg';
import hardcodedPasswordString from './hardcoded-password-string';

export const generalRules: Rule[] = [execUsed, hardcodedPasswordString, hardcodedPasswordFuncArg, hardcodedPasswordDefault, hardcodedCredentialFormat];
