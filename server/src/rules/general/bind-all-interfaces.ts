import type { Node } from '../../engine/parser';
import { defineRule, fix, replace, type RuleContext } from '../../engine/rule';
import { bindingValues } from '../../engine/scope';
import type { Confidence, Fix } from '../../engine/types';
import { calleeTail, callArgs, dottedName, isFString, stringValue, unparen } from '../../engine/syntax';

/** `0.0.0.0`, `::`, `[::]`, optionally with a port (`0.0.0.0:8000`, `[::]:8000`). */
const ALL_INTERFACES = /^(0\.0\.0\.0(:\d+)?|::|\[::\](:\d+)?|0:0:0:0:0:0:0:0)$/;

/** Names of settings and parameters that hold the address a server listens on. */
const HOSTISH = /^(host|hostname|bind|bind_?host|bind_?addr(ess)?|bind_?ip|listen|listen_?addr(ess)?|listen_?host|listen_?ip|server_?host|server_?name|server_?addr(ess)?|server_?ip|http_?host|web_?host|app_?host|api_?host|serve_?host|interface|address|addr|ip|host_?ip|host_?addr(ess)?)$/i;

const ENV_GETTERS = new Set(['os.getenv', 'os.environ.get', 'os.environ.setdefault']);

interface Found {
  /** The string literal to report and fix. */
  literal: Node;
  /** The literal is only a default (`os.getenv("HOST", "0.0.0.0")`): configurable. */
  defaulted: boolean;
  /** The name the value was passed through (`bind((addr, port))`), reported instead of the literal. */
  via?: Node;
}

function allInterfacesLiteral(node: Node | null | undefined): Node | null {
  if (!node) return null;
  const n = unparen(node);
  if (n.type !== 'string' || isFString(n)) return null;
  const v = stringValue(n);
  return v !== null && ALL_INTERFACES.test(v) ? n : null;
}

/** An all-interfaces literal, or an environment lookup defaulting to one. */
function hostValue(node: Node | null | undefined, ctx: RuleContext): Found | null {
  if (!node) return null;
  const literal = allInterfacesLiteral(node);
  if (literal) return { literal, defaulted: false };
  const n = unparen(node);
  if (n.type === 'call' && ENV_GETTERS.has(ctx.callName(n) ?? '')) {
    const args = callArgs(n);
    const d = allInterfacesLiteral(args.keywords.get('default') ?? args.positional[1]);
    return d ? { literal: d, defaulted: true } : null;
  }
  if (n.type === 'boolean_operator' && n.childForFieldName('operator')?.type === 'or') {
    // `os.environ.get("HOST") or "0.0.0.0"`
    const d = allInterfacesLiteral(n.childForFieldName('right'));
    return d ? { literal: d, defaulted: true } : null;
  }
  return null;
}

/** Same as `hostValue`, following a name that is not itself host-like (those are reported where assigned). */
function hostArgument(node: Node | null | undefined, ctx: RuleContext): Found | null {
  if (!node) return null;
  const direct = hostValue(node, ctx);
  if (direct) return direct;
  const n = unparen(node);
  if (n.type !== 'identifier' || HOSTISH.test(n.text)) return null;
  const values = bindingValues(n, ctx);
  if (!values || values.length !== 1) return null;
  const found = hostValue(values[0], ctx);
  return found ? { ...found, via: n } : null;
}

function lastName(target: Node): string | null {
  if (target.type === 'subscript') return stringValue(target.childForFieldName('subscript'));
  const dotted = dottedName(target);
  return dotted ? dotted.slice(dotted.lastIndexOf('.') + 1) : null;
}

function localFix(found: Found, ctx: RuleContext): Fix[] {
  const text = ctx.textOf(found.literal);
  const replaced = text.includes('0.0.0.0') ? text.replace('0.0.0.0', '127.0.0.1') : text.replace(/(["'])(\[?)::(\]?)/, '$1$2::1$3');
  if (replaced === text) return [];
  const local = replaced.includes('127.0.0.1') ? '127.0.0.1' : '::1';
  return [fix(`Listen on localhost only (\`${local}\`)`, 'unsafe', replace(found.literal, replaced))];
}

export default defineRule({
  id: 'SEC104',
  name: 'bind-all-interfaces',
  local: true,
  summary: 'Server bound to all network interfaces (`0.0.0.0` / `::`)',
  owasp: { '2025': 'A02', '2021': 'A05' },
  cwe: [605, 1327],
  severity: 'warning',
  confidence: 'medium',
  fix: 'sometimes',
  aliases: ['B104', 'S104'],
  tags: ['network', 'flask', 'fastapi', 'django'],
  nodeTypes: ['call', 'assignment', 'pair'],
  appliesTo: (file) => !file.isTest,
  check(node, ctx) {
    const report = (found: Found, what: string, confidence: Confidence): void => {
      const value = stringValue(found.literal)!;
      ctx.report(found.via ?? found.literal, {
        message: found.defaulted ? `${what} defaults to \`${value}\`: the server listens on every network interface unless configured` : `${what} is \`${value}\`: the server listens on every network interface`,
        confidence: found.defaulted ? 'low' : confidence,
        ...(found.defaulted ? { severity: 'info' as const } : {}),
        // Through a name, the fix would change every use of that name: none then.
        fixes: found.via ? [] : localFix(found, ctx),
      });
    };
    if (node.type === 'assignment') {
      // `HOST = "0.0.0.0"`, `bind = "0.0.0.0:8000"` (gunicorn), `app.config["HOST"] = ...`
      const left = node.childForFieldName('left');
      let right = node.childForFieldName('right');
      while (right?.type === 'assignment') right = right.childForFieldName('right');
      const name = left ? lastName(left) : null;
      if (!name || !HOSTISH.test(name)) return;
      const found = hostValue(right, ctx);
      if (found) report(found, `\`${name}\``, 'medium');
      return;
    }
    if (node.type === 'pair') {
      // `{"host": "0.0.0.0", "port": 8000}`
      const key = stringValue(node.childForFieldName('key'));
      if (key === null || !HOSTISH.test(key)) return;
      const found = hostValue(node.childForFieldName('value'), ctx);
      if (found) report(found, `\`"${key}"\``, 'medium');
      return;
    }
    const args = callArgs(node);
    const tail = calleeTail(node);
    // `app.run(host="0.0.0.0")`, `uvicorn.run(app, host=...)`, `loop.create_server(..., host=...)`
    for (const [kw, value] of args.keywords) {
      if (!HOSTISH.test(kw) || kw === 'hostname' || kw === 'server_name') continue;
      const found = hostArgument(value, ctx);
      if (found) report(found, `\`${kw}=\``, 'high');
    }
    // `sock.bind(("0.0.0.0", 8080))`, `socketserver.TCPServer(("", 8000), Handler)`, `HTTPServer(...)`
    const first = args.positional[0] ? unparen(args.positional[0]) : null;
    if (first?.type === 'tuple' && (tail === 'bind' || /Server$/.test(tail ?? ''))) {
      const host = first.namedChildren.find((c) => c && c.type !== 'comment');
      const emptyHost = host && unparen(host).type === 'string' && stringValue(host) === '';
      if (emptyHost) {
        ctx.report(host, { message: `\`${tail}()\` with host \`""\` listens on every network interface`, confidence: 'medium' });
        return;
      }
      const found = hostArgument(host, ctx);
      if (found) report(found, `The address given to \`${tail}()\``, 'high');
      return;
    }
    // `run_simple("0.0.0.0", 5000, app)` (werkzeug)
    if (ctx.callName(node) === 'werkzeug.serving.run_simple' || ctx.callName(node) === 'werkzeug.run_simple') {
      const found = hostArgument(args.positional[0], ctx);
      if (found) report(found, 'The host given to `run_simple()`', 'high');
      return;
    }
    // `parser.add_argument("--host", default="0.0.0.0")`
    if (tail === 'add_argument') {
      const option = args.positional.map((p) => stringValue(p)).find((s) => s !== null && /^--?(host|bind|listen|address|addr|ip)\b/i.test(s));
      const found = option ? hostValue(args.keywords.get('default'), ctx) : null;
      if (found) report({ literal: found.literal, defaulted: true }, `\`${option}\``, 'low');
    }
  },
  docs: {
    what: 'Finds servers told to listen on every interface (`0.0.0.0`, `::`, `[::]`, with or without a port): host keyword arguments (`app.run(host="0.0.0.0")`, `uvicorn.run(app, host=...)`, `web.run_app(...)`, `asyncio.start_server(...)`), the address tuple of `socket.bind(...)` and `*Server((host, port), ...)` (an empty host `""` included), `werkzeug.run_simple`, settings such as `HOST = "0.0.0.0"` or gunicorn\'s `bind = "0.0.0.0:8000"`, `{"host": "0.0.0.0"}`, and command-line defaults (`add_argument("--host", default="0.0.0.0")`). A name passed as the host is followed to its value. Environment lookups defaulting to `0.0.0.0` (`os.getenv("HOST", "0.0.0.0")`) are reported as low-confidence information, since the deployment can override them. Comparisons, log messages, docstrings, URLs and test files are not reported.',
    why: 'A development server, debug console or internal admin API that listens on all interfaces is reachable from every network the host is on: the office Wi-Fi, the cloud VPC, or the internet when the port is published. Flask\'s debugger bound to `0.0.0.0` gives anyone on the network a Python shell. Inside a container `0.0.0.0` is usually needed; make it a deployment setting rather than the code\'s default.',
    example: `from flask import Flask

app = Flask(__name__)

if __name__ == "__main__":
    app.run(host="0.0.0.0", debug=True)`,
    useInstead: `import os

from flask import Flask

app = Flask(__name__)

if __name__ == "__main__":
    # Local by default; the container sets APP_HOST=0.0.0.0.
    app.run(host=os.environ.get("APP_HOST", "127.0.0.1"))`,
    fixSafety: 'The fix replaces `0.0.0.0` with `127.0.0.1` (and `::` with `::1`). It is unsafe: a server that must be reachable from other machines, or from outside its container (Docker publishes ports to the container\'s external interface), stops being reachable. Read the address from the environment when the same code runs in both places.',
    references: [
      { title: 'Bandit B104: hardcoded_bind_all_interfaces', url: 'https://bandit.readthedocs.io/en/latest/plugins/b104_hardcoded_bind_all_interfaces.html' },
      { title: 'CWE-1327: Binding to an Unrestricted IP Address', url: 'https://cwe.mitre.org/data/definitions/1327.html' },
      { title: 'Flask: Debug mode', url: 'https://flask.palletsprojects.com/en/latest/debugging/' },
    ],
  },
});
