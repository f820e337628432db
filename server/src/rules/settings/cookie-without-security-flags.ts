import type { Node } from '../../engine/parser';
import { defineRule, fix, replace, type RuleContext } from '../../engine/rule';
import { argument, callArgs, isFalse, isNone, stringValue, type CallArgs } from '../../engine/syntax';
import type { OffsetEdit } from '../../engine/types';
import { cookieConfidence } from '../util/cookies';
import { appendArgument } from '../util/edits';
import { COOKIE_FRAMEWORKS, environmentOfPath, importsAny } from '../util/frameworks';

interface Flags {
  /** Flags to add, as `name=value` source. */
  add: string[];
  /** Literal values to replace, with their new source. */
  change: { node: Node; kw: string; text: string }[];
  /** For the message: flags set to a bad value (`secure=False`) and flags missing (`secure=True`). */
  bad: string[];
  missing: string[];
}

/**
 * `set_cookie(key, value, max_age, expires, path, domain, secure, httponly, samesite)`: the
 * same positions in Django, Werkzeug/Flask and Starlette. `set_signed_cookie(key, value, salt,
 * **kwargs)` takes the flags by keyword only.
 */
function flags(args: CallArgs, signed: boolean, samesiteDefaultLax: boolean): Flags {
  const at = (pos: number, kw: string): Node | null => (signed ? args.keywords.get(kw) ?? null : argument(args, pos, kw));
  const secure = at(6, 'secure');
  const httponly = at(7, 'httponly');
  const samesite = at(8, 'samesite');
  const out: Flags = { add: [], change: [], bad: [], missing: [] };
  const need = (node: Node | null, kw: string): void => {
    if (!node) {
      out.add.push(`${kw}=True`);
      out.missing.push(`\`${kw}=True\``);
    } else if (isFalse(node)) {
      out.change.push({ node, kw, text: 'True' });
      out.bad.push(`\`${kw}=False\``);
    }
  };
  need(secure, 'secure');
  need(httponly, 'httponly');
  // `samesite="None"` is a deliberate cross-site cookie; it needs Secure, which is checked above.
  if (!samesite) {
    if (!samesiteDefaultLax) {
      out.add.push('samesite="Lax"');
      out.missing.push('`samesite`');
    }
  } else if (isNone(samesite)) {
    out.change.push({ node: samesite, kw: 'samesite', text: '"Lax"' });
    out.bad.push('`samesite=None`');
  }
  return out;
}

function list(items: string[], last: 'and' | 'or'): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]}`;
}

/** "Cookie `sid` is set with `secure=False` and without `httponly=True` or `samesite`". */
function message(name: Node | null, f: Flags): string {
  const s = stringValue(name);
  const parts = [...(f.bad.length ? [`with ${list(f.bad, 'and')}`] : []), ...(f.missing.length ? [`without ${list(f.missing, 'or')}`] : [])];
  return `Cookie${s !== null && s.length <= 40 ? ` \`${s}\`` : ''} is set ${parts.join(' and ')}`;
}

/** Adds several keyword arguments in one edit, one per line in a multi-line call. */
function appendArguments(ctx: RuleContext, call: Node, added: string[]): OffsetEdit | null {
  if (added.length === 0) return null;
  const probe = appendArgument(ctx, call, '\u0000');
  if (!probe) return null;
  const indent = /\n([ \t]*)\u0000/.exec(probe.newText);
  return appendArgument(ctx, call, added.join(indent ? `,${ctx.eol}${indent[1]}` : ', '));
}

export default defineRule({
  id: 'SEC216',
  name: 'cookie-without-security-flags',
  local: true,
  summary: '`set_cookie()` without `secure=True`, `httponly=True` or `samesite`',
  owasp: { '2025': 'A02', '2021': 'A05' },
  cwe: [614, 1004, 1275],
  severity: 'warning',
  confidence: 'medium',
  fix: 'always',
  tags: ['cookies', 'django', 'flask', 'fastapi'],
  nodeTypes: ['call'],
  appliesTo: (file, facts) => !file.isTest && environmentOfPath(file.path) !== 'test' && importsAny(facts, COOKIE_FRAMEWORKS),
  check(call, ctx) {
    const fn = call.childForFieldName('function');
    const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : null;
    if (method !== 'set_cookie' && method !== 'set_signed_cookie') return;
    const args = callArgs(call);
    // Flags passed through `**cookie_options` or `*args` cannot be seen.
    if (args.hasStarKwargs || args.hasStarArgs) return;
    const signed = method === 'set_signed_cookie';
    if (signed && args.positional.length > 3) return;
    // Starlette (and so FastAPI) defaults to samesite="lax"; Django and Werkzeug send no SameSite.
    const laxDefault = importsAny(ctx.facts, ['starlette', 'fastapi']) && !importsAny(ctx.facts, ['django', 'flask', 'werkzeug', 'quart']);
    const f = flags(args, signed, laxDefault);
    if (f.bad.length + f.missing.length === 0) return;
    const edits: OffsetEdit[] = f.change.map((c) => replace(c.node, c.text));
    const append = appendArguments(ctx, call, f.add);
    if (append) edits.push(append);
    const summary = list([...f.add, ...f.change.map((c) => `${c.kw}=${c.text}`)].map((a) => `\`${a}\``), 'and');
    ctx.report(fn!, {
      message: message(argument(args, 0, 'key') ?? args.keywords.get('name') ?? null, f),
      confidence: cookieConfidence(argument(args, 0, 'key') ?? args.keywords.get('name') ?? null),
      fixes: edits.length ? [fix(`Set ${summary}`, 'unsafe', edits)] : [],
    });
  },
  docs: {
    what: "Finds `set_cookie()` and `set_signed_cookie()` calls on responses, in files that use Django, Flask/Werkzeug, Starlette/FastAPI, Quart, aiohttp or Bottle, that do not pass `secure=True`, `httponly=True` and a `samesite` value, or that pass `secure=False`, `httponly=False` or `samesite=None`. Starlette already defaults to `samesite=\"lax\"`, so a missing `samesite` is not reported in Starlette/FastAPI code. `delete_cookie()` is not reported, nor are calls whose options come from `**kwargs`. Confidence follows the cookie name: high for session, token and auth cookies, low for preferences such as `theme` or `lang` that scripts may need to read.",
    why: "Without `Secure`, the browser also sends the cookie over plain HTTP, where anyone on the network path can read it (CWE-614). Without `HttpOnly`, any cross-site scripting bug can read the cookie with `document.cookie` and send the session away (CWE-1004). Without `SameSite`, Safari and older browsers attach the cookie to cross-site requests, which enables CSRF (CWE-1275).",
    example: `response = redirect("/dashboard")
response.set_cookie("session_token", token, max_age=3600)`,
    useInstead: `response = redirect("/dashboard")
response.set_cookie("session_token", token, max_age=3600, secure=True, httponly=True, samesite="Lax")`,
    fixSafety: 'The fix adds the missing flags (`secure=True`, `httponly=True`, `samesite="Lax"`) and turns explicit `False`/`None` values into `True`/`"Lax"`. Each can break something that worked: a `Secure` cookie is not stored over plain HTTP (a development server on a LAN address, or Safari on `http://localhost`), an `HttpOnly` cookie is invisible to JavaScript that reads it, and `SameSite=Lax` stops the cookie on cross-site POSTs such as SAML or payment callbacks. So the fix is unsafe and never applied by fix-all.',
    references: [
      { title: 'Django: HttpResponse.set_cookie', url: 'https://docs.djangoproject.com/en/stable/ref/request-response/#django.http.HttpResponse.set_cookie' },
      { title: 'Flask security considerations: Set-Cookie options', url: 'https://flask.palletsprojects.com/en/stable/security/#set-cookie-options' },
      { title: 'MDN: Set-Cookie', url: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Set-Cookie' },
      { title: 'OWASP Session Management Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html' },
    ],
  },
});
