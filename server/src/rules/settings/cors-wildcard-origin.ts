import type { Node } from '../../engine/parser';
import { defineRule, type RuleContext } from '../../engine/rule';
import { callArgs, isTrue, stringValue, unparen, type CallArgs } from '../../engine/syntax';
import { configEntries, configEnvironment, developmentOverride, environmentOfPath, siblingSetting, type Environment } from '../util/frameworks';

const CORS_MIDDLEWARE = new Set(['fastapi.middleware.cors.CORSMiddleware', 'starlette.middleware.cors.CORSMiddleware']);
const FLASK_CORS = new Set(['flask_cors.CORS', 'flask_cors.extension.CORS']);
const CROSS_ORIGIN = new Set(['flask_cors.cross_origin', 'flask_cors.decorator.cross_origin']);
const DJANGO_ALLOW_ALL = new Set(['CORS_ALLOW_ALL_ORIGINS', 'CORS_ORIGIN_ALLOW_ALL']);
const DJANGO_REGEXES = new Set(['CORS_ALLOWED_ORIGIN_REGEXES', 'CORS_ORIGIN_REGEX_WHITELIST']);

/** Origins no allow-list should match. A pattern that matches both allows any origin. */
const PROBES = ['https://attacker.invalid', 'http://evil.attacker.invalid:8080'];

/**
 * Whether a Python regex accepts any origin. `full`: Starlette's `fullmatch`; `prefix`:
 * `re.match` as used by flask-cors and django-cors-headers. Patterns JavaScript cannot compile
 * (`(?P<name>...)`) are given the benefit of the doubt.
 */
function regexAcceptsAny(pattern: string, mode: 'full' | 'prefix'): boolean {
  let source = pattern;
  let flags = '';
  const inline = /^\(\?([aiLmsux]+)\)/.exec(source);
  if (inline) {
    if (inline[1]!.includes('i')) flags += 'i';
    if (inline[1]!.includes('s')) flags += 's';
    source = source.slice(inline[0].length);
  }
  try {
    const re = new RegExp(mode === 'full' ? `^(?:${source})$` : `^(?:${source})`, flags);
    return PROBES.every((p) => re.test(p));
  } catch {
    return false;
  }
}

/** flask-cors treats an origin as a regex when it contains one of these (its `probably_regex`). */
const REGEX_CHARS = /[*\\\]?$^[()]/;

type OriginKind = 'star' | 'regex' | 'flask-cors';

/** The items of an origins value (string, list, tuple, set) that accept any origin. */
function wildcardOrigins(value: Node | null | undefined, kind: OriginKind, ctx: RuleContext): Node[] {
  if (!value) return [];
  let v = unparen(value);
  // `origins = ["*"]` at module level, then `allow_origins=origins` (as in the FastAPI tutorial).
  if (v.type === 'identifier') {
    const assign = ctx.facts.moduleAssignments.get(v.text);
    const right = assign?.childForFieldName('right');
    if (!right || right.type === 'assignment') return [];
    v = unparen(right);
  }
  const items = v.type === 'list' || v.type === 'tuple' || v.type === 'set' ? v.namedChildren : [v];
  const out: Node[] = [];
  for (const item of items) {
    const s = item ? stringValue(item) : null;
    if (s === null) continue;
    const any =
      kind === 'star' ? s === '*' : kind === 'regex' ? regexAcceptsAny(s, 'prefix') : s === '*' || (REGEX_CHARS.test(s) && regexAcceptsAny(s, 'prefix'));
    if (any) out.push(item!);
  }
  return out;
}

interface Wildcard {
  at: Node;
  /** What allows any origin, for the message: `allow_origins=["*"]`, `CORS(app)`. */
  what: string;
  credentials: boolean;
  implicit: boolean;
}

function report(ctx: RuleContext, f: Wildcard, env: Environment | null): void {
  ctx.report(f.at, {
    message: `CORS allows any origin${f.credentials ? ' with credentials' : ''} (${f.what})`,
    severity: f.credentials ? 'error' : 'warning',
    confidence: f.credentials || !f.implicit ? 'high' : 'medium',
    ...developmentOverride(env),
  });
}

/** Source of a short node in backticks, for messages; long or multi-line values are elided. */
function code(ctx: RuleContext, node: Node, fallback: string): string {
  const t = ctx.textOf(node);
  return t.length <= 60 && !/[\r\n]/.test(t) ? `\`${t}\`` : fallback;
}

function starlette(args: CallArgs, ctx: RuleContext, env: Environment | null): void {
  if (args.hasStarKwargs) return;
  const credentials = isTrue(args.keywords.get('allow_credentials'));
  if (wildcardOrigins(args.keywords.get('allow_origins'), 'star', ctx).length) {
    report(ctx, { at: args.keywordNodes.get('allow_origins')!, what: code(ctx, args.keywordNodes.get('allow_origins')!, '`allow_origins` contains `"*"`'), credentials, implicit: false }, env);
  }
  const regex = stringValue(args.keywords.get('allow_origin_regex'));
  if (regex !== null && regexAcceptsAny(regex, 'full')) {
    report(ctx, { at: args.keywordNodes.get('allow_origin_regex')!, what: code(ctx, args.keywordNodes.get('allow_origin_regex')!, '`allow_origin_regex` matches everything'), credentials, implicit: false }, env);
  }
}

/**
 * flask-cors reads `CORS_ORIGINS` / `CORS_SUPPORTS_CREDENTIALS` from the app config as defaults,
 * wherever in the file the config is set: a whole-file question, the rule's `fileKey`.
 */
function flaskCorsConfig(ctx: RuleContext): { origins: boolean; credentials: boolean } {
  return ctx.memo('cors:flask-config', () => {
    // Both patterns need `CORS_`: most files do not have it, and `includes` is cheaper than a regex.
    const any = ctx.text.includes('CORS_');
    return {
      origins: any && /\bCORS_(ORIGINS|RESOURCES)\b/.test(ctx.text),
      credentials: any && /\bCORS_SUPPORTS_CREDENTIALS\b["']?\]?\s*[=:]\s*True\b/.test(ctx.text),
    };
  });
}

function flaskCorsKey(ctx: RuleContext): string {
  const config = flaskCorsConfig(ctx);
  return `${config.origins ? 'origins' : ''},${config.credentials ? 'credentials' : ''}`;
}

function dictEntry(dict: Node, key: string): Node | null {
  for (const pair of dict.namedChildren) if (pair?.type === 'pair' && stringValue(pair.childForFieldName('key')) === key) return pair;
  return null;
}

function flaskCors(call: Node, args: CallArgs, decorator: boolean, ctx: RuleContext, env: Environment | null): void {
  if (args.hasStarKwargs) return;
  const config = flaskCorsConfig(ctx);
  const topCredentials = isTrue(args.keywords.get('supports_credentials')) || config.credentials;
  const check = (origins: Node | null, originsAt: Node | null, credentials: boolean, implicitAt: Node): void => {
    if (!origins) {
      // No origins anywhere: flask-cors defaults to "*", unless the app config sets them, or
      // `CORS()` is configured later by `init_app(app, ...)`.
      if (config.origins || (!decorator && args.positional.length === 0)) return;
      report(ctx, { at: implicitAt, what: `${decorator ? '`@cross_origin()`' : '`CORS()`'} without \`origins=\` defaults to \`"*"\``, credentials, implicit: true }, env);
      return;
    }
    if (wildcardOrigins(origins, 'flask-cors', ctx).length) report(ctx, { at: originsAt ?? origins, what: code(ctx, originsAt ?? origins, '`origins` accepts everything'), credentials, implicit: false }, env);
  };
  const topOrigins = args.keywords.get('origins') ?? null;
  const resources = args.keywords.get('resources');
  const dict = resources ? unparen(resources) : null;
  if (!decorator && dict?.type === 'dictionary') {
    for (const pair of dict.namedChildren) {
      const options = pair?.type === 'pair' ? unparen(pair.childForFieldName('value')!) : null;
      if (options?.type !== 'dictionary') continue;
      const originsPair = dictEntry(options, 'origins');
      const credsPair = dictEntry(options, 'supports_credentials');
      const credentials = credsPair ? isTrue(credsPair.childForFieldName('value')) : topCredentials;
      if (originsPair) check(originsPair.childForFieldName('value'), originsPair, credentials, pair!);
      else check(topOrigins, args.keywordNodes.get('origins') ?? null, credentials, pair!);
    }
    return;
  }
  check(topOrigins, args.keywordNodes.get('origins') ?? null, topCredentials, call);
}

export default defineRule({
  id: 'SEC215',
  name: 'cors-wildcard-origin',
  local: true,
  fileKey: flaskCorsKey,
  summary: 'CORS policy that allows any origin, worst when credentials are allowed too',
  owasp: { '2025': 'A01', '2021': 'A05' },
  cwe: [942],
  severity: 'warning',
  confidence: 'high',
  tags: ['cors', 'fastapi', 'starlette', 'flask', 'django'],
  nodeTypes: ['call', 'assignment'],
  appliesTo: (file) => !file.isTest && environmentOfPath(file.path) !== 'test',
  check(node, ctx) {
    if (node.type === 'call') {
      const env = environmentOfPath(ctx.file.path);
      const name = ctx.callName(node) ?? '';
      const args = callArgs(node);
      // `app.add_middleware(CORSMiddleware, ...)`, `Middleware(CORSMiddleware, ...)`, `CORSMiddleware(app, ...)`.
      if (CORS_MIDDLEWARE.has(name) || CORS_MIDDLEWARE.has(ctx.resolve(args.positional[0]) ?? '')) starlette(args, ctx, env);
      else if (FLASK_CORS.has(name)) flaskCors(node, args, false, ctx, env);
      else if (CROSS_ORIGIN.has(name)) flaskCors(node, args, true, ctx, env);
      return;
    }
    for (const entry of configEntries(node)) {
      if (entry.form !== 'module' && entry.form !== 'class') continue;
      const allowAll = DJANGO_ALLOW_ALL.has(entry.key) && isTrue(entry.value);
      const regexes = DJANGO_REGEXES.has(entry.key) ? wildcardOrigins(entry.value, 'regex', ctx) : [];
      if (!allowAll && regexes.length === 0) continue;
      const env = configEnvironment(entry, ctx);
      if (env === 'test') continue;
      const credentials = isTrue(siblingSetting(entry, 'CORS_ALLOW_CREDENTIALS', ctx));
      if (allowAll) report(ctx, { at: entry.at, what: `\`${entry.key} = True\``, credentials, implicit: false }, env);
      for (const r of regexes) report(ctx, { at: r, what: `\`${entry.key}\` contains ${code(ctx, r, 'a catch-all pattern')}`, credentials, implicit: false }, env);
    }
  },
  docs: {
    what: "Finds CORS configurations that accept requests from any origin: Starlette/FastAPI `CORSMiddleware` with `allow_origins=[\"*\"]` or an `allow_origin_regex` that matches everything (via `app.add_middleware`, `Middleware(...)` or direct wrapping); flask-cors `CORS(app, origins=\"*\")`, `CORS(app)` and `@cross_origin()` without origins (flask-cors defaults to `\"*\"`), per-resource `\"origins\": \"*\"`, and catch-all origin regexes; django-cors-headers `CORS_ALLOW_ALL_ORIGINS = True` (or the old `CORS_ORIGIN_ALLOW_ALL`) and catch-all `CORS_ALLOWED_ORIGIN_REGEXES`. When credentials are allowed too (`allow_credentials=True`, `supports_credentials=True`, `CORS_ALLOW_CREDENTIALS = True`) the finding is an error. Defaults taken from `CORS_ORIGINS` in the Flask config are respected.",
    why: "A wildcard origin lets any web site read your API's responses from a visitor's browser. Without credentials that matters for APIs protected by network position (intranet, VPN, IP allow-lists). With credentials it is worse: these libraries then echo the caller's origin back with `Access-Control-Allow-Credentials: true`, so any site the user visits can make requests with their cookies and read the answers, which means reading their data and defeating CSRF tokens.",
    example: `from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)`,
    useInstead: `app.add_middleware(
    CORSMiddleware,
    allow_origins=["https://app.example.com"],
    allow_credentials=True,
)`,
    references: [
      { title: 'FastAPI: CORS (Cross-Origin Resource Sharing)', url: 'https://fastapi.tiangolo.com/tutorial/cors/' },
      { title: 'Starlette: CORSMiddleware', url: 'https://www.starlette.io/middleware/#corsmiddleware' },
      { title: 'flask-cors documentation', url: 'https://flask-cors.readthedocs.io/en/latest/' },
      { title: 'django-cors-headers', url: 'https://github.com/adamchainz/django-cors-headers' },
      { title: 'PortSwigger: CORS vulnerabilities', url: 'https://portswigger.net/web-security/cors' },
    ],
  },
});

