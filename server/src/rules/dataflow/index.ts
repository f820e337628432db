import type { Rule } from '../../engine/rule';
import taintedCodeEvaluation from './tainted-code-evaluation';
import taintedCookie from './tainted-cookie';
import taintedDeserialization from './tainted-deserialization';
import taintedFilePath from './tainted-file-path';
import taintedHtmlResponse from './tainted-html-response';
import taintedLdapFilter from './tainted-ldap-filter';
import taintedLogMessage from './tainted-log-message';
import taintedRedirect from './tainted-redirect';
import taintedRegexPattern from './tainted-regex-pattern';
import taintedRequestUrl from './tainted-request-url';
import taintedResponseHeader from './tainted-response-header';
import taintedSessionData from './tainted-session-data';
import taintedShellCommand from './tainted-shell-command';
import taintedSqlQuery from './tainted-sql-query';
import taintedXmlParse from './tainted-xml-parse';
import taintedXpathQuery from './tainted-xpath-query';

export const dataflowRules: Rule[] = [taintedSqlQuery, taintedShellCommand, taintedCodeEvaluation, taintedDeserialization, taintedFilePath, taintedRequestUrl, taintedRedirect, taintedHtmlResponse, taintedXpathQuery, taintedLdapFilter, taintedRegexPattern, taintedXmlParse, taintedResponseHeader, taintedLogMessage, taintedSessionData, taintedCookie];
