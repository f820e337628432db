import type { Node } from '../../engine/parser';
import { defineRule, type RuleContext } from '../../engine/rule';
import { isConstantValue, valuesBefore } from '../../engine/scope';
import { argument, callArgs, enclosingFunction, parameterNames, stringValue, unparen } from '../../engine/syntax';
import type { Confidence } from '../../engine/types';
import { callsOutsideFunctions } from '../util/outside-functions';

const PREFIXES = ['urllib.request.', 'urllib.', 'urllib2.', 'six.moves.urllib.request.'];
/** Functions and classes that fetch the URL given as their first argument (`url`). */
const URL_CALLS = new Set(['urlopen', 'urlretrieve', 'Request']);
/** Deprecated opener classes, whose `open()` also serves `file:` and `ftp:` URLs. */
const OPENERS = new Set(['URLopener', 'FancyURLopener']);
const HTTP = /^https?:\/\//i;
const MAX_DEPTH = 4;

/** `urlopen`, `Request`, `URLopener`... when the call is one of them in a urllib flavour. */
function urllibFunction(name: string | null): string | null {
  if (!name) return null;
  for (const p of PREFIXES) {
    if (!name.startsWith(p)) continue;
    const fn = name.slice(p.length);
    if (URL_CALLS.has(fn) || OPENERS.has(fn)) {
      // `urllib.Request` and `urllib.URLopener` never existed outside `urllib.request`/`urllib2`.
      if (p === 'urllib.' && fn === 'Request') return null;
      return fn;
    }
  }
  return null;
}

/** The text a string literal (or f-string) starts with, before any replacement field. */
function literalStart(str: Node): string | null {
  if (str.type !== 'string') return null;
  const value = stringValue(str);
  if (value !== null) return value;
  let out = '';
  for (const c of str.namedChildren) {
    if (!c || c.type === 'string_start') continue;
    if (c.type !== 'string_content') break;
    out += c.text;
  }
  return out;
}

/**
 * Whether the URL's scheme is fixed to http or https by the code: a literal, f-string,
 * concatenation or `%`/`.format()` template that starts with `http://` or `https://`, or a
 * name every value of which does.
 */
function schemeIsHttp(node: Node, ctx: RuleContext, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  const n = unparen(node);
  switch (n.type) {
    case 'string': {
      const start = literalStart(n);
      return start !== null && HTTP.test(start);
    }
    case 'concatenated_string': {
      const first = n.namedChildren.find((c) => c?.type === 'string');
      return !!first && schemeIsHttp(first, ctx, depth + 1);
    }
    case 'binary_operator': {
      const op = n.childForFieldName('operator')?.text;
      const left = n.childForFieldName('left');
      return (op === '+' || op === '%') && !!left && schemeIsHttp(left, ctx, depth + 1);
    }
    case 'call': {
      // `"https://{}/api".format(host)`
      const fn = n.childForFieldName('function');
      const object = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
      return fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'format' && !!object && schemeIsHttp(object, ctx, depth + 1);
    }
    case 'identifier': {
      const values = valuesBefore(n, ctx);
      return values.length > 0 && values.every((v) => schemeIsHttp(v, ctx, depth + 1));
    }
    default:
      return false;
  }
}

/** `urlopen(Request(...))` or `urlopen(req)` with `req = Request(...)`: the Request is checked where it is made. */
function isRequestObject(node: Node, ctx: RuleContext): boolean {
  const n = unparen(node);
  const values = n.type === 'identifier' ? valuesBefore(n, ctx) : [n];
  return values.length > 0 && values.every((v) => {
    const value = unparen(v);
    return value.type === 'call' && urllibFunction(ctx.callName(value)) === 'Request';
  });
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Whether the code before the call, in the same function, checks the URL's scheme:
 * `url.startswith(("http://", "https://"))` or `urlparse(url).scheme`.
 */
function schemeChecked(url: Node, call: Node, ctx: RuleContext): boolean {
  const n = unparen(url);
  if (n.type !== 'identifier' && n.type !== 'attribute') return false;
  const scope = enclosingFunction(call) ?? call.tree.rootNode;
  const before = ctx.text.slice(scope.startIndex, call.startIndex);
  const name = escape(ctx.textOf(n));
  if (new RegExp(`\\b${name}\\s*(\\.\\s*lower\\(\\s*\\))?\\s*\\.\\s*startswith\\s*\\(\\s*\\(?\\s*[rRbBuU]?["']https?:`).test(before)) return true;
  return new RegExp(`\\b(urlparse|urlsplit)\\s*\\(\\s*${name}\\s*[,)]`).test(before) && /\.scheme\b|\bscheme\b/.test(before);
}

/** What `schemeChecked` looks for, whatever the name: without it in the text, no scheme is checked. */
const SCHEME_CHECK = /startswith\s*\(\s*\(?\s*[rRbBuU]?["']https?:|\b(urlparse|urlsplit)\s*\(/;

/**
 * The `fileKey`: `schemeChecked` reads the text from the start of the enclosing function, or of
 * the file for a call outside every function (module or class level, a decorator), where the
 * text before the call includes other functions. Its answer for each such call, with the call.
 */
function schemeCheckKey(ctx: RuleContext): string {
  if (!SCHEME_CHECK.test(ctx.text)) return '';
  const out: string[] = [];
  for (const call of callsOutsideFunctions(ctx)) {
    if (enclosingFunction(call)) continue;
    const fn = urllibFunction(ctx.callName(call));
    const url = fn && !OPENERS.has(fn) ? argument(callArgs(call), 0, 'url') : null;
    if (url) out.push(`${ctx.textOf(url)}:${schemeChecked(url, call, ctx) ? 1 : 0}`);
  }
  return out.join('\n');
}

function confidenceOf(url: Node, call: Node): Confidence {
  const n = unparen(url);
  const fn = enclosingFunction(call);
  return n.type === 'identifier' && fn && parameterNames(fn).includes(n.text) ? 'low' : 'medium';
}

export default defineRule({
  id: 'SEC310',
  name: 'url-open-unvalidated-scheme',
  summary: '`urllib` opens a URL whose scheme is not fixed to http or https (`file:` and custom schemes)',
  owasp: { '2025': 'A01', '2021': 'A10' },
  cwe: [22, 918],
  severity: 'warning',
  confidence: 'medium',
  fix: 'none',
  aliases: ['B310', 'S310'],
  tags: ['ssrf', 'urllib'],
  nodeTypes: ['call'],
  local: true,
  fileKey: schemeCheckKey,
  appliesTo: (file, facts) => !file.isTest && (facts.importedModules.has('urllib') || facts.importedModules.has('urllib2') || facts.importedModules.has('six')),
  check(call, ctx) {
    const fn = urllibFunction(ctx.callName(call));
    if (!fn) return;
    const label = `${ctx.textOf(call.childForFieldName('function')!).replace(/\s+/g, '')}()`;
    if (OPENERS.has(fn)) {
      ctx.report(call, { message: `\`${label}\` creates a deprecated opener that also opens \`file:\` and \`ftp:\` URLs`, confidence: 'medium' });
      return;
    }
    const args = callArgs(call);
    const url = argument(args, 0, 'url');
    if (!url) return;
    if (schemeIsHttp(url, ctx) || isConstantValue(url, ctx)) return;
    if (fn === 'urlopen' && isRequestObject(url, ctx)) return;
    if (schemeChecked(url, call, ctx)) return;
    ctx.report(call, {
      message: `\`${label}\` opens \`${ctx.textOf(unparen(url)).replace(/\s+/g, ' ').slice(0, 60)}\`, whose scheme is not checked: \`file:\` URLs read local files`,
      confidence: confidenceOf(url, call),
    });
  },
  docs: {
    what: 'Finds `urllib.request.urlopen`, `urlretrieve` and `Request` (and their `urllib2`, Python 2 `urllib` and `six.moves` forms) given a URL whose scheme the code does not fix to `http://` or `https://`, and the deprecated `URLopener` / `FancyURLopener` classes. A URL is accepted when it is a constant, a literal, f-string, concatenation or template starting with `http://` or `https://` (`f"https://{host}/api"`), a name only ever assigned such values, or when the function checks it first (`url.startswith(("http://", "https://"))`, `urlparse(url).scheme`). `urlopen(req)` with a `Request` is judged where the `Request` is made. URLs that are parameters of the function are reported with low confidence; test files are skipped.',
    why: '`urlopen()` handles more than HTTP: `file:///etc/passwd` or `file:///proc/self/environ` returns local files (secrets, configuration, keys), and `ftp:` and any scheme with a registered handler go elsewhere too. When the URL comes from a user (a webhook address, an avatar or import URL), an attacker can read server files through the response or probe internal services (server-side request forgery).',
    example: `import urllib.request

def fetch_avatar(request):
    url = request.GET["avatar_url"]
    return urllib.request.urlopen(url).read()`,
    useInstead: `import urllib.request
from urllib.parse import urlparse

def fetch_avatar(request):
    url = request.GET["avatar_url"]
    if urlparse(url).scheme not in ("http", "https"):
        raise ValueError("only http and https URLs are allowed")
    return urllib.request.urlopen(url).read()`,
    references: [
      { title: 'Python docs: urllib.request', url: 'https://docs.python.org/3/library/urllib.request.html' },
      { title: 'OWASP Server-Side Request Forgery Prevention Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html' },
    ],
  },
});
