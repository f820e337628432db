// Recognising HTTP client calls: the `requests` and `httpx` module functions and the methods
// of their sessions/clients, through aliases (`import requests as r`, `from httpx import get`)
// and names bound to a session (`s = requests.Session()`, `with httpx.Client() as c`).

import type { Node } from '../../engine/parser';
import type { RuleContext } from '../../engine/rule';
import { valuesBefore } from '../../engine/scope';
import { dottedName, unparen } from '../../engine/syntax';

export const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request']);

/** `requests.get`, `requests.api.get`... */
export const REQUESTS_CALLS = new Set([...HTTP_METHODS].flatMap((m) => [`requests.${m}`, `requests.api.${m}`]));
/** `httpx.get`..., `httpx.stream`, and the client classes. */
export const HTTPX_CALLS = new Set([...HTTP_METHODS, 'stream', 'Client', 'AsyncClient'].map((m) => `httpx.${m}`));
export const REQUESTS_SESSION_FACTORIES = new Set(['requests.Session', 'requests.session', 'requests.sessions.Session']);
export const HTTPX_CLIENT_FACTORIES = new Set(['httpx.Client', 'httpx.AsyncClient']);
const OTHER_SESSION_FACTORIES = new Set(['aiohttp.ClientSession', 'urllib3.PoolManager', 'urllib3.ProxyManager']);

/**
 * Which library a session/client expression belongs to:
 * - `requests` / `httpx` when it is created by, or a name bound to, that library's factory;
 * - `other` for a name bound to another library's session (`aiohttp.ClientSession()`);
 * - `named` when only its name says it is a session (`self.session`, `http_session`, `sess`);
 * - null when it is not a session.
 */
export type SessionKind = 'requests' | 'httpx' | 'other' | 'named';

function factoryKind(value: Node, ctx: RuleContext): SessionKind | null {
  const v = unparen(value);
  if (v.type !== 'call') return null;
  const name = ctx.callName(v) ?? '';
  if (REQUESTS_SESSION_FACTORIES.has(name)) return 'requests';
  if (HTTPX_CLIENT_FACTORIES.has(name)) return 'httpx';
  if (OTHER_SESSION_FACTORIES.has(name)) return 'other';
  return null;
}

export function sessionKind(receiver: Node, ctx: RuleContext): SessionKind | null {
  const r = unparen(receiver);
  if (r.type === 'call') return factoryKind(r, ctx);
  const dotted = dottedName(r);
  if (!dotted) return null;
  if (r.type === 'identifier') {
    const values = valuesBefore(r, ctx);
    for (let i = values.length - 1; i >= 0; i--) {
      const kind = factoryKind(values[i]!, ctx);
      if (kind) return kind;
    }
  }
  // `session`, `self.session`, `http_session`, `sess`: the name says what it is.
  const last = dotted.slice(dotted.lastIndexOf('.') + 1);
  return /session|^sess$/i.test(last) ? 'named' : null;
}

export interface HttpCall {
  /** `requests`, `httpx`, or `session` for a method of a session known only by its name. */
  library: 'requests' | 'httpx' | 'session';
  /** For messages: `requests.get`, `httpx.Client`, `self.session.post`. */
  display: string;
  /** Module-level function (or client class), as opposed to a session method. */
  module: boolean;
  /** The HTTP method or function name: `get`, `request`, `stream`, `Client`. */
  method: string;
}

/** `requests.get`, `httpx.Client` or a session/client method; null when it is none of them. */
export function httpCall(call: Node, ctx: RuleContext): HttpCall | null {
  const name = ctx.callName(call);
  if (name && REQUESTS_CALLS.has(name)) {
    const display = name.replace('.api.', '.');
    return { library: 'requests', display, module: true, method: display.slice(display.lastIndexOf('.') + 1) };
  }
  if (name && HTTPX_CALLS.has(name)) return { library: 'httpx', display: name, module: true, method: name.slice(name.lastIndexOf('.') + 1) };
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute') return null;
  const method = fn.childForFieldName('attribute')?.text ?? '';
  const receiver = fn.childForFieldName('object');
  if (!receiver) return null;
  const isStream = method === 'stream';
  if (!HTTP_METHODS.has(method) && !isStream) return null;
  const kind = sessionKind(receiver, ctx);
  if (!kind || kind === 'other') return null;
  if (isStream && kind !== 'httpx') return null;
  const display = `${ctx.textOf(receiver).replace(/\s+/g, '')}.${method}`;
  return { library: kind === 'named' ? 'session' : kind, display, module: false, method };
}
