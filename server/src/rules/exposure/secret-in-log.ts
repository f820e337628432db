import type { Node } from '../../engine/parser';
import { defineRule, fix, replace, type RuleContext } from '../../engine/rule';
import { builtinCalled, isBuiltinCall } from '../../engine/scope';
import { callArgs, calleeTail, isConstant, stringValue, unparen } from '../../engine/syntax';
import { logCall } from '../util/logging';
import { words } from '../util/names';
import { isSecretNameIn, tokenMeansTextKey } from '../util/secrets';

/** Keyword arguments of logging and print that are not part of the output. */
const NOT_OUTPUT = new Set(['exc_info', 'stack_info', 'stacklevel', 'level', 'sep', 'end', 'file', 'flush']);
/** Headers and cookies that carry credentials without being named like a secret. */
const CREDENTIAL_CARRIERS = new Set(['authorization', 'proxy_authorization', 'cookie', 'cookies', 'set_cookie', 'session_id', 'sessionid', 'session_key']);
/** Calls that return the secret itself (or its text), so a secret inside them is still logged whole. */
const SAME_VALUE_METHODS = new Set(['decode', 'encode', 'strip', 'lstrip', 'rstrip', 'lower', 'upper', 'hex', 'casefold', 'title']);
const SAME_VALUE_BUILTINS = new Set(['str', 'repr', 'ascii', 'format']);
/** Calls that format their arguments into the output: `", ".join(...)`, `json.dumps(...)`. */
const FORMATTERS = new Set(['format', 'join', 'dumps', 'pformat']);

interface Sink {
  kind: 'log' | 'print';
  label: string;
}

/** `logging.info`, `logger.warning`, `self.log.error`, `app.logger.debug`, `getLogger(__name__).info`, `print`. */
function sinkOf(call: Node, ctx: RuleContext): Sink | null {
  if (isBuiltinCall(call, 'print', ctx)) return { kind: 'print', label: 'print()' };
  const label = logCall(call, ctx);
  return label ? { kind: 'log', label } : null;
}

interface Hit {
  secret: Node;
  /** The edit that masks it, or null when the secret sits deep inside an f-string expression. */
  mask: { at: Node; text: string } | null;
}

type Mode = { kind: 'arg' } | { kind: 'interpolation'; node: Node } | { kind: 'nested' };

class Scanner {
  readonly hits: Hit[] = [];

  constructor(private readonly ctx: RuleContext) {}

  isSecret(name: string): boolean {
    const joined = words(name).join('_');
    // A bare `pwd` is more often the working directory than a password.
    if (joined === 'pwd') return false;
    return CREDENTIAL_CARRIERS.has(joined) || isSecretNameIn(this.ctx, name);
  }

  /** The name a value is known by: `password`, `user.password`, `headers["Authorization"]`, `os.getenv("API_KEY")`. */
  refName(e: Node): string | null {
    switch (e.type) {
      case 'identifier':
        // An imported module or function (`secrets`, `token` from a package) is not a value.
        return this.ctx.facts.imports.has(e.text) ? null : e.text;
      case 'attribute':
        return e.childForFieldName('attribute')?.text ?? null;
      case 'subscript':
        return stringValue(e.childForFieldName('subscript'));
      case 'call': {
        const tail = calleeTail(e);
        const args = callArgs(e);
        if (tail === 'get' || tail === 'getenv') return stringValue(args.positional[0]);
        if (tail === 'getattr' && e.childForFieldName('function')?.type === 'identifier') return stringValue(args.positional[1]);
        return null;
      }
    }
    return null;
  }

  add(secret: Node, target: Node, mode: Mode): void {
    if (this.hits.some((h) => h.secret.id === secret.id)) return;
    let mask: Hit['mask'] = null;
    if (mode.kind === 'arg') mask = { at: target, text: '"***"' };
    // `{password}` or `{password!r}` in an f-string: mask the whole replacement field.
    else if (mode.kind === 'interpolation') mask = { at: mode.node, text: '***' };
    this.hits.push({ secret, mask });
  }

  /**
   * Finds secrets in an expression that ends up in the output. `target` is the outermost
   * expression that still has the secret's value (`str(token)` for `token`), which is what
   * the fix masks.
   */
  scan(n: Node, mode: Mode, target: Node | null = null, depth = 0): void {
    if (depth > 20) return;
    const e = unparen(n);
    const t = target ?? n;
    const inner: Mode = mode.kind === 'arg' ? mode : { kind: 'nested' };
    const name = this.refName(e);
    if (name !== null) {
      if (this.isSecret(name)) this.add(e, t, mode);
      return;
    }
    switch (e.type) {
      case 'subscript': {
        // `tokens[0]` is still a token; `token[:4]` is a masked prefix.
        const index = e.childForFieldName('subscript');
        if (index && index.type !== 'slice') this.scan(e.childForFieldName('value')!, mode, t, depth + 1);
        return;
      }
      case 'string':
        for (const part of e.namedChildren) {
          const expr = part?.type === 'interpolation' ? part.childForFieldName('expression') : null;
          if (part && expr) this.scan(expr, mode.kind === 'arg' ? { kind: 'interpolation', node: part } : { kind: 'nested' }, null, depth + 1);
        }
        return;
      case 'concatenated_string':
      case 'binary_operator':
      case 'tuple':
      case 'list':
      case 'set':
      case 'boolean_operator':
        for (const c of e.namedChildren) if (c && c.type !== 'comment') this.scan(c, c.type === 'string' ? mode : inner, null, depth + 1);
        return;
      case 'conditional_expression': {
        const [body, , other] = e.namedChildren;
        if (body) this.scan(body, inner, null, depth + 1);
        if (other) this.scan(other, inner, null, depth + 1);
        return;
      }
      case 'dictionary':
        for (const pair of e.namedChildren) {
          if (pair?.type !== 'pair') continue;
          const key = stringValue(pair.childForFieldName('key'));
          const value = pair.childForFieldName('value');
          if (!value) continue;
          if (key !== null && this.isSecret(key) && !isConstant(value)) this.add(unparen(value), value, inner);
          else this.scan(value, inner, null, depth + 1);
        }
        return;
      case 'call':
        this.scanCall(e, mode, t, depth);
        return;
    }
  }

  private scanCall(call: Node, mode: Mode, target: Node, depth: number): void {
    const fn = call.childForFieldName('function');
    const tail = calleeTail(call) ?? '';
    const args = callArgs(call);
    if (SAME_VALUE_BUILTINS.has(builtinCalled(call, this.ctx) ?? '') && args.positional[0]) {
      this.scan(args.positional[0], mode, target, depth + 1);
    } else if (fn?.type === 'attribute' && SAME_VALUE_METHODS.has(tail)) {
      this.scan(fn.childForFieldName('object')!, mode, target, depth + 1);
    } else if (FORMATTERS.has(tail)) {
      const inner: Mode = mode.kind === 'arg' ? mode : { kind: 'nested' };
      if (fn?.type === 'attribute') this.scan(fn.childForFieldName('object')!, inner, null, depth + 1);
      for (const [kw, value] of args.keywords) {
        if (this.isSecret(kw) && !isConstant(value)) this.add(unparen(value), value, inner);
        else this.scan(value, inner, null, depth + 1);
      }
      for (const a of args.positional) this.scan(a, inner, null, depth + 1);
    }
    // Anything else derives a new value (`len(password)`, `mask(token)`, `bool(api_key)`): not the secret.
  }
}

export default defineRule({
  id: 'SEC801',
  name: 'secret-in-log',
  summary: 'Password, token or API key written to a log or printed',
  owasp: { '2025': 'A09', '2021': 'A09' },
  cwe: [532],
  severity: 'warning',
  confidence: 'high',
  fix: 'sometimes',
  tags: ['logging', 'secrets'],
  nodeTypes: ['call'],
  // Whether "token" means text in this file (`tokenMeansText`) is its only whole-file input.
  local: true,
  fileKey: tokenMeansTextKey,
  // Test code logs fixture credentials; production logs are what leak.
  appliesTo: (file) => !file.isTest,
  check(call, ctx) {
    const sink = sinkOf(call, ctx);
    if (!sink) return;
    const scanner = new Scanner(ctx);
    const args = callArgs(call);
    for (const a of args.positional) scanner.scan(a, { kind: 'arg' });
    for (const [kw, value] of args.keywords) {
      if (NOT_OUTPUT.has(kw)) continue;
      // structlog / loguru: keyword arguments are fields of the log event.
      if (sink.kind === 'log' && scanner.isSecret(kw) && !isConstant(value)) scanner.add(unparen(value), value, { kind: 'arg' });
      else if (sink.kind === 'log') scanner.scan(value, { kind: 'arg' });
    }
    for (const hit of scanner.hits) {
      const shown = ctx.textOf(hit.secret).replace(/\s+/g, ' ');
      const label = shown.length > 40 ? `${shown.slice(0, 37)}...` : shown;
      ctx.report(hit.secret, {
        message: sink.kind === 'print' ? `Secret \`${label}\` is printed` : `Secret \`${label}\` is written to the log by \`${sink.label}\``,
        confidence: sink.kind === 'print' ? 'medium' : 'high',
        fixes: hit.mask ? [fix(`Mask it as \`***\` in the output`, 'unsafe', replace(hit.mask.at, hit.mask.text))] : [],
      });
    }
  },
  docs: {
    what: 'Finds passwords, tokens, API keys, secrets, credentials, `Authorization` headers, cookies and session ids passed to a logging call (`logging.*`, methods `debug/info/warning/error/exception/critical/log` on a receiver named like a logger: `logger`, `log`, `LOGGER`, `self.logger`, `app.logger`, `logging.getLogger(...)`, structlog/loguru keyword fields) or to `print()`. The secret is recognised by its name, as an argument, in an f-string, in `%` or `.format()` arguments, in a concatenation, in a dict or inside `str()`, `.decode()` and similar.\n\nNot reported: masked or derived values (`mask(token)`, `token[:4]`, `len(password)`, `bool(api_key)`, `"***"`), names that describe a secret (`token_type`, `password_reset_url`, `max_tokens`), text tokens in NLP and lexer code, and test code.',
    why: 'Logs are copied to log aggregators, error trackers, support tickets and backups, kept for months and readable by far more people than the secrets they contain; they are a favourite target after an initial breach. A password or token written there is effectively disclosed. `print()` output ends up in the same place for services run under systemd, Docker or a cloud runtime.',
    example: `logger.info("Login for %s with password %s", username, password)
log.debug(f"Calling API with key {api_key}")`,
    useInstead: `logger.info("Login for %s", username)
log.debug("Calling API with key ending %s", api_key[-4:])`,
    fixSafety: 'The fix replaces the secret by the literal `"***"` (or `***` inside an f-string), which changes what the program writes. It is unsafe because printing a secret is occasionally the point (a command-line tool that shows a newly created token once); for logs it is what you want. No fix is offered when the secret is deep inside an f-string expression.',
    references: [
      { title: 'OWASP Logging Cheat Sheet: data to exclude', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html#data-to-exclude' },
      { title: 'CWE-532: Insertion of Sensitive Information into Log File', url: 'https://cwe.mitre.org/data/definitions/532.html' },
    ],
  },
});
