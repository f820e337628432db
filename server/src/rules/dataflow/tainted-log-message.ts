import type { Node } from '../../engine/parser';
import { defineRule, type RuleContext } from '../../engine/rule';
import { builtinCalled } from '../../engine/scope';
import { SinkKind } from '../../engine/taint';
import { callArgs, plusOperands, stringValue, unparen } from '../../engine/syntax';
import { importsAny } from '../util/frameworks';
import { logCall } from '../util/logging';
import { DIRECT_FLOW_NOTE, mayHoldLineBreaks, remoteAndDirect, reportFlows } from './report';

/**
 * `%` conversions that cannot carry a line break: `%r`/`%a` escape it, and the numeric ones
 * raise on a string instead of writing it.
 */
const SAFE_PERCENT = new Set(['r', 'a', 'd', 'i', 'o', 'u', 'x', 'X', 'e', 'E', 'f', 'F', 'g', 'G']);
const PERCENT = /%(\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])/g;
/** Builtins whose result shows a string with its line breaks escaped. */
const ESCAPING = new Set(['repr', 'ascii']);

/**
 * The conversion of each `%` placeholder of a format string, in order, or null when they
 * cannot be matched to positional arguments (`%(name)s`, `*` widths).
 */
function percentConversions(format: string): string[] | null {
  const out: string[] = [];
  for (const m of format.matchAll(PERCENT)) {
    if (m[4] === '%') continue;
    if (m[1] || m[2] === '*' || m[3] === '*') return null;
    out.push(m[4]!);
  }
  return out;
}

/** `{x!r}`, `{x!a}` and numeric format specs (`{n:d}`, `{price:.2f}`) escape or refuse line breaks. */
function safeReplacement(conversion: string | null, spec: string | null): boolean {
  if (conversion === '!r' || conversion === '!a') return true;
  return !!spec && /[bdoxXneEfFgG%]$/.test(spec.replace(/^:/, ''));
}

/**
 * The expressions whose text ends up in a log line, leaving out what is escaped on the way:
 * `repr(x)`, `%r`, `{x!r}` and numeric conversions. Literal text contributes nothing.
 */
function logged(expr: Node, ctx: RuleContext, out: Node[], depth = 0): void {
  if (depth > 20) return;
  const e = unparen(expr);
  switch (e.type) {
    case 'string':
      for (const part of e.namedChildren) {
        if (part?.type !== 'interpolation') continue;
        const inner = part.childForFieldName('expression');
        const conversion = part.childForFieldName('type_conversion')?.text ?? null;
        const spec = part.childForFieldName('format_specifier')?.text ?? null;
        if (inner && !safeReplacement(conversion, spec)) logged(inner, ctx, out, depth + 1);
      }
      return;
    case 'concatenated_string':
      for (const part of e.namedChildren) if (part && part.type !== 'comment') logged(part, ctx, out, depth + 1);
      return;
    case 'binary_operator': {
      const op = e.childForFieldName('operator')?.type;
      if (op === '+') {
        for (const part of plusOperands(e)) logged(part, ctx, out, depth + 1);
        return;
      }
      const left = e.childForFieldName('left');
      const right = e.childForFieldName('right');
      const format = op === '%' && left ? stringValue(left) : null;
      if (format !== null && right) {
        // `"... %s" % value` / `"... %s %r" % (a, b)`.
        const r = unparen(right);
        const values = r.type === 'tuple' ? r.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') : [r];
        formatted(format, values, ctx, out, depth);
        return;
      }
      out.push(e);
      return;
    }
    case 'call': {
      if (ESCAPING.has(builtinCalled(e, ctx) ?? '')) return;
      const fn = e.childForFieldName('function');
      const obj = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
      const template = obj ? stringValue(obj) : null;
      if (template !== null && fn?.childForFieldName('attribute')?.text === 'format') {
        // `"{} did {!r}".format(user, action)`: automatic numbering only; anything else whole.
        const fields = [...template.matchAll(/\{\{|\}\}|\{([^{}!:]*)(![rsa])?(:[^{}]*)?\}/g)].filter((m) => m[0] !== '{{' && m[0] !== '}}');
        const args = callArgs(e);
        if (fields.every((m) => m[1] === '') && args.keywords.size === 0 && !args.hasStarArgs) {
          args.positional.forEach((a, i) => {
            const f = fields[i];
            if (!f || !safeReplacement(f[2] ?? null, f[3] ?? null)) logged(a, ctx, out, depth + 1);
          });
          return;
        }
      }
      out.push(e);
      return;
    }
    case 'integer':
    case 'float':
    case 'true':
    case 'false':
    case 'none':
      return;
    default:
      out.push(e);
  }
}

/** The arguments of a `%`-style message, each unless its placeholder escapes it. */
function formatted(format: string, values: Node[], ctx: RuleContext, out: Node[], depth: number): void {
  const conversions = percentConversions(format);
  values.forEach((v, i) => {
    const c = conversions?.[i];
    if (!c || !SAFE_PERCENT.has(c)) logged(v, ctx, out, depth + 1);
  });
}

export default defineRule({
  id: 'SEC914',
  name: 'tainted-log-message',
  summary: 'Request data is written into a log message without escaping line breaks (log injection)',
  owasp: { '2025': 'A09', '2021': 'A09' },
  cwe: [117],
  severity: 'warning',
  confidence: 'medium',
  tags: ['dataflow', 'logging'],
  nodeTypes: ['call'],
  // Only request data counts: a file without a web framework (or configured sources) has none.
  appliesTo: (file, facts) => !!file.taint?.sources.length || importsAny(facts, ['flask', 'quart', 'werkzeug', 'django', 'rest_framework', 'starlette', 'fastapi', 'http', 'socketserver', 'socket']),
  check(call, ctx) {
    const label = logCall(call, ctx);
    if (!label) return;
    const fn = call.childForFieldName('function');
    const args = callArgs(call);
    // `logger.log(level, msg, *args)`.
    const positional = fn?.childForFieldName('attribute')?.text === 'log' ? args.positional.slice(1) : args.positional;
    const [message, ...rest] = positional;
    if (!message) return;
    const parts: Node[] = [];
    logged(message, ctx, parts);
    // The message's own `%` placeholders format the remaining arguments (the `logging` style);
    // without a literal message (loguru's `{}`, structlog), each argument counts.
    const format = stringValue(message);
    if (format !== null) formatted(format, rest, ctx, parts, 0);
    else for (const a of rest) logged(a, ctx, parts);
    for (const part of parts) {
      if (reportFlows(ctx, part, part, SinkKind.log, `the log message of \`${label}\``, 'medium', undefined, (f) => remoteAndDirect(f) && mayHoldLineBreaks(f))) return;
    }
  },
  docs: {
    what:
      'Reports request data (query and form parameters, JSON bodies, route parameters) written into a log message: the message and the `%` arguments of `logging.*()` and of the log methods (`debug`, `info`, `warning`, `error`, `exception`, `critical`, `log`) of a logger (`logger`, `log`, `self.logger`, `app.logger`, `logging.getLogger(...)`). One finding per call, at the first such value.\n\n' +
      'Not reported: values shown with `%r`, `{value!r}` or `repr()` (which escape line breaks), numeric conversions (`%d`, `{n:.2f}`), values passed through `int()`, `json.dumps()`, `urllib.parse.quote()` or base64, values checked against an allowlist, values of request headers and cookies (which cannot contain a line break), keyword arguments (`extra=`, structlog fields), which structured formatters quote, and `print()`. Only data from a web request counts: the command line and the environment belong to whoever runs the program.' +
      DIRECT_FLOW_NOTE,
    why: 'A line break in a logged value starts a new, forged log line: `alice\\nINFO Login succeeded for admin` hides an attack or frames someone else, and a log viewer that renders HTML or a terminal that honours escape sequences can be attacked through the log itself. Audit trails are only as trustworthy as their least-escaped line.',
    example: `import logging
from flask import request

log = logging.getLogger(__name__)

@app.route("/login", methods=["POST"])
def login():
    log.warning("Failed login for %s", request.form["user"])`,
    useInstead: `@app.route("/login", methods=["POST"])
def login():
    log.warning("Failed login for %r", request.form["user"])`,
    references: [
      { title: 'OWASP Logging Cheat Sheet: event data sources', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html' },
      { title: 'OWASP Log Injection', url: 'https://owasp.org/www-community/attacks/Log_Injection' },
    ],
  },
});
