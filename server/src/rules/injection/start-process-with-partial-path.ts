import type { Node } from '../../engine/parser';
import { defineRule, type RuleContext } from '../../engine/rule';
import { constantTruth } from '../../engine/scope';
import { argument, callArgs, unparen } from '../../engine/syntax';
import { commandTemplate, constantString, isBareProgramName, isShellBuiltin, NO_SHELL_FUNCTIONS, shellCommandOf, SUBPROCESS_FUNCTIONS } from '../util/process';

/** The program name a call starts and the node it is written in, when both are known. */
function programOf(call: Node, ctx: RuleContext): { name: string; program: string; at: Node } | null {
  const name = ctx.callName(call);
  if (!name) return null;
  const args = callArgs(call);
  const shell = shellCommandOf(call, ctx);
  if (shell) {
    // The first word of the script, after any `VAR=value` assignments.
    const script = commandTemplate(shell.command, ctx);
    if (script === null) return null;
    const word = script
      .trim()
      .split(/\s+/)
      .find((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
    if (!word || !/^[A-Za-z0-9_.+-]+$/.test(word) || isShellBuiltin(word)) return null;
    return { name, program: word, at: shell.command };
  }
  if (SUBPROCESS_FUNCTIONS.has(name)) {
    if (constantTruth(args.keywords.get('shell')) === true) return null;
    const executable = args.keywords.get('executable');
    if (executable) {
      const program = constantString(executable, ctx);
      return program === null ? null : { name, program, at: executable };
    }
    const argv = argument(args, 0, 'args');
    if (!argv) return null;
    const n = unparen(argv);
    const first = n.type === 'list' || n.type === 'tuple' ? n.namedChildren.find((c) => c && c.type !== 'comment') : n;
    if (!first) return null;
    const program = constantString(first, ctx);
    // A string without a shell is the program itself on POSIX (Windows splits it).
    return program === null ? null : { name, program: program.trim().split(/\s+/)[0] ?? '', at: first };
  }
  if (name === 'asyncio.create_subprocess_exec') {
    const first = args.positional[0];
    const program = first ? constantString(first, ctx) : null;
    return program === null || !first ? null : { name, program, at: first };
  }
  const spec = NO_SHELL_FUNCTIONS.get(name);
  // Only the `*p` variants search PATH; the others take the name relative to the working directory.
  if (!spec?.searchesPath) return null;
  const first = args.positional[spec.program] ?? args.keywords.get(name.startsWith('os.posix') ? 'path' : 'file');
  const program = first ? constantString(first, ctx) : null;
  return program === null || !first ? null : { name, program, at: first };
}

export default defineRule({
  id: 'SEC607',
  name: 'start-process-with-partial-path',
  local: true,
  summary: 'A process is started by a bare program name (`"git"`), found through `PATH` at run time',
  owasp: { '2025': 'A08', '2021': 'A08' },
  cwe: [426],
  severity: 'hint',
  confidence: 'low',
  enabledByDefault: false,
  aliases: ['B607', 'S607'],
  tags: ['subprocess', 'audit'],
  nodeTypes: ['call'],
  appliesTo: (file) => !file.isTest,
  check(call, ctx) {
    const found = programOf(call, ctx);
    if (!found || !isBareProgramName(found.program)) return;
    ctx.report(found.at, {
      message: `\`${found.name}()\` starts \`${found.program}\` by name: the first \`${found.program}\` in \`PATH\` (or, on Windows, in the working directory) runs`,
    });
  },
  docs: {
    what: `An audit check, off by default. Finds processes started by a bare program name rather than a path: the first element of the list given to \`subprocess.run/call/check_call/check_output/Popen\` or \`asyncio.create_subprocess_exec\`, their \`executable=\`, the first word of a shell command (\`os.system\`, \`shell=True\`; shell builtins such as \`cd\` and \`echo\` are skipped), and the program of \`os.execlp/execvp/...\`, \`os.spawnlp/spawnvp/...\` and \`os.posix_spawnp\`. Paths (\`/usr/bin/git\`, \`./run.sh\`, \`bin/tool\`) are not reported, nor is \`os.execv("git", ...)\`, which does not search \`PATH\`.

It is off by default because almost every program that starts processes does this on purpose, and an attacker who controls \`PATH\` or the directories in it usually has easier ways in. Enable it for programs that run with more privileges than the user who starts them (setuid helpers, services started from a user's environment, installers) or on Windows, where the current directory is searched first.`,
    why: `The program that runs is whichever file of that name comes first in the \`PATH\` of the process. If that variable or one of its directories can be written by someone else (a user-writable directory early in \`PATH\`, a service that inherits a user's environment, on Windows the working directory, which \`CreateProcess\` searches before \`PATH\`), they can place their own \`git\` or \`tar\` there and it runs with your process's privileges.`,
    example: `import subprocess

def current_commit() -> str:
    return subprocess.check_output(["git", "rev-parse", "HEAD"], text=True).strip()`,
    useInstead: `import shutil
import subprocess

# Resolved once, from a PATH the service controls; fails early if git is missing.
GIT = shutil.which("git", path="/usr/local/bin:/usr/bin:/bin") or "/usr/bin/git"

def current_commit() -> str:
    return subprocess.check_output([GIT, "rev-parse", "HEAD"], text=True).strip()`,
    references: [
      { title: 'Python docs: subprocess.Popen — program lookup', url: 'https://docs.python.org/3/library/subprocess.html#subprocess.Popen' },
      { title: 'CWE-426: Untrusted Search Path', url: 'https://cwe.mitre.org/data/definitions/426.html' },
      { title: 'Bandit B607: start_process_with_partial_path', url: 'https://bandit.readthedocs.io/en/latest/plugins/b607_start_process_with_partial_path.html' },
    ],
  },
});
