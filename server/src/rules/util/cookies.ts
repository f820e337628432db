// What a cookie's name says about it: a session or credential cookie, or a preference such as
// `theme` that scripts may read. Shared by SEC216 (cookie flags) and SEC916 (request data in a
// cookie).

import type { Node } from '../../engine/parser';
import { stringValue } from '../../engine/syntax';
import type { Confidence } from '../../engine/types';
import { words } from './names';

/**
 * Cookie names that identify a session or credential, and names of preferences that scripts
 * legitimately read (where a missing HttpOnly is by design).
 */
const SENSITIVE = new Set(['session', 'sess', 'sid', 'sessionid', 'token', 'auth', 'jwt', 'remember', 'csrf', 'xsrf', 'login', 'refresh', 'access', 'credential', 'credentials', 'bearer', 'identity']);
const PREFERENCE = new Set(['theme', 'lang', 'language', 'locale', 'tz', 'timezone', 'consent', 'banner', 'tour', 'dark', 'mode', 'currency', 'country', 'region', 'seen', 'dismissed', 'preference', 'preferences', 'prefs', 'sidebar', 'layout', 'font', 'color', 'colour']);

/** High for session, token and auth cookies, low for preferences, medium otherwise (and for names that are not literals). */
export function cookieConfidence(name: Node | null): Confidence {
  const s = stringValue(name);
  if (s === null) return 'medium';
  const ws = words(s);
  if (ws.some((w) => SENSITIVE.has(w))) return 'high';
  if (ws.some((w) => PREFERENCE.has(w))) return 'low';
  return 'medium';
}
