import type { Rule } from '../../engine/rule';
import { mayHaveSourcesIn, taintFileKey } from '../../engine/taint/sources';
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

/**
 * No 9xx rule can report in a file where nothing can be a source: each applies only where one
 * can be (besides its own condition), so such files skip them altogether, while typing too.
 * What they report in a function depends on the functions connected to it by calls (and on
 * the frameworks the file uses): while typing, they re-run in the functions a change can reach
 * through calls (engine/callgraph.ts), not over the whole file.
 */
function gated(rule: Rule): Rule {
  const own = rule.appliesTo;
  const key = rule.fileKey;
  return {
    ...rule,
    local: 'calls',
    appliesTo: (file, facts, text) => (!own || own(file, facts, text)) && mayHaveSourcesIn(file, facts, text),
    fileKey: key ? (ctx) => `${taintFileKey(ctx)}\u0002${key(ctx)}` : taintFileKey,
  };
}

export const dataflowRules: Rule[] = [taintedSqlQuery, taintedShellCommand, taintedCodeEvaluation, taintedDeserialization, taintedFilePath, taintedRequestUrl, taintedRedirect, taintedHtmlResponse, taintedXpathQuery, taintedLdapFilter, taintedRegexPattern, taintedXmlParse, taintedResponseHeader, taintedLogMessage, taintedSessionData, taintedCookie].map(gated);
