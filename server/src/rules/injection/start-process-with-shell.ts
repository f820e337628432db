import { defineRule } from '../../engine/rule';
import { argument, callArgs, unparen } from '../../engine/syntax';
import { analyseCommand, describeSources, OS_SHELL_FUNCTIONS } from '../util/process';

export default defineRule({
  id: 'SEC605',
  name: 'start-process-with-shell',
  local: true,
  summary: '`os.system`, `os.popen` or a similar function runs a command built at run time through the shell',
  owasp: { '2025': 'A05', '2021': 'A03' },
  cwe: [78],
  severity: 'error',
  confidence: 'high',
  aliases: ['B605', 'S605'],
  tags: ['injection'],
  nodeTypes: ['call'],
  check(call, ctx) {
    const name = ctx.callName(call);
    if (!name || !OS_SHELL_FUNCTIONS.has(name)) return;
    const args = callArgs(call);
    const command = argument(args, 0, name.startsWith('popen2.') ? 'cmd' : 'command');
    if (!command) return;
    // `popen2` functions run a list without a shell; `os.system([...])` is a TypeError, not an injection.
    const n = unparen(command);
    if (n.type === 'list' || n.type === 'tuple') return;
    const info = analyseCommand(command, ctx, false);
    if (info.kind === 'constant') return;
    const fn = call.childForFieldName('function') ?? call;
    if (info.kind === 'quoted') {
      ctx.report(fn, { message: `\`${name}()\` runs a command through the shell (its interpolated values are quoted or numeric)`, severity: 'info', confidence: 'low' });
      return;
    }
    ctx.report(fn, { message: `\`${name}()\` runs a command built from ${describeSources(info.sources)} through the shell` });
  },
  docs: {
    what: `Finds \`os.system\`, \`os.popen\` (and Python 2's \`os.popen2/3/4\`, \`popen2.*\` and \`commands.getoutput/getstatusoutput\`) called with a command that is not a constant. Constant commands are not reported: nothing in them can be injected. A command whose interpolated values all go through \`shlex.quote\`, \`int()\` or a numeric \`%d\` conversion (\`shlex.quote\` quotes for POSIX shells, not \`cmd.exe\`) is reported as information only.`,
    why: `These functions always run their argument as a shell script. Any interpolated value that contains \`;\`, \`|\`, \`&&\`, \`$(...)\`, backticks or a redirection runs extra commands with your process's privileges: a user name such as \`bob; rm -rf ~\` is enough.`,
    example: `import os

def ping(host: str) -> int:
    return os.system(f"ping -c 1 {host}")`,
    useInstead: `import subprocess

def ping(host: str) -> int:
    return subprocess.run(["ping", "-c", "1", "--", host]).returncode`,
    fixSafety: 'No automatic fix is offered. `os.system` returns a wait status (the exit code shifted left by 8 on POSIX) and `os.popen` returns a file object, while `subprocess.run` returns a `CompletedProcess` and raises `FileNotFoundError` for a missing program, so every use of the result would have to change with the call; and a command that relies on pipes, redirections or globs cannot simply be split into a list. Rewrite the call with `subprocess.run([...])` as shown above.',
    references: [
      { title: 'Python docs: os.system', url: 'https://docs.python.org/3/library/os.html#os.system' },
      { title: 'Python docs: subprocess — Replacing older functions with the subprocess module', url: 'https://docs.python.org/3/library/subprocess.html#replacing-older-functions-with-the-subprocess-module' },
      { title: 'OWASP OS Command Injection Defense Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/OS_Command_Injection_Defense_Cheat_Sheet.html' },
      { title: 'Bandit B605: start_process_with_a_shell', url: 'https://bandit.readthedocs.io/en/latest/plugins/b605_start_process_with_a_shell.html' },
    ],
  },
});
