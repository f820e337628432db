import type { Node } from '../../engine/parser';
import { defineRule } from '../../engine/rule';
import { constantTruth, isConstantValue } from '../../engine/scope';
import { argument, callArgs, unparen } from '../../engine/syntax';
import { ownProcessValue, SUBPROCESS_FUNCTIONS } from '../util/process';

function shortText(text: string): string {
  const t = text.replace(/\s+/g, ' ');
  return t.length > 40 ? `${t.slice(0, 37)}...` : t;
}

export default defineRule({
  id: 'SEC603',
  name: 'subprocess-without-shell',
  local: true,
  summary: '`subprocess` starts a program (without a shell) whose name or arguments are computed at run time',
  owasp: { '2025': 'A05', '2021': 'A03' },
  cwe: [78, 88],
  severity: 'hint',
  confidence: 'low',
  enabledByDefault: false,
  aliases: ['B603', 'S603'],
  tags: ['injection', 'subprocess', 'audit'],
  nodeTypes: ['call'],
  appliesTo: (file) => !file.isTest,
  check(call, ctx) {
    const name = ctx.callName(call);
    const isExec = name === 'asyncio.create_subprocess_exec';
    if (!name || (!isExec && !SUBPROCESS_FUNCTIONS.has(name))) return;
    const args = callArgs(call);
    const shell = args.keywords.get('shell');
    // `shell=True` is SEC602's; `shell=flag` may be either.
    if (shell && constantTruth(shell) !== false) return;
    const trusted = ownProcessValue(ctx);
    const constant = (n: Node | null | undefined): boolean => isConstantValue(n, ctx, trusted);
    let program: Node | null;
    let rest: Node[];
    if (isExec) {
      if (args.hasStarArgs) {
        const list = args.list!.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment' && c.type !== 'keyword_argument');
        program = list[0] ?? null;
        rest = list.slice(1);
      } else {
        program = args.positional[0] ?? null;
        rest = args.positional.slice(1);
      }
    } else {
      const argv = argument(args, 0, 'args');
      if (!argv) return;
      const n = unparen(argv);
      if (n.type === 'list' || n.type === 'tuple') {
        const items = n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
        program = items[0] ?? null;
        rest = items.slice(1);
      } else {
        program = n;
        rest = [];
      }
    }
    const executable = args.keywords.get('executable');
    if (!program) return;
    const programDynamic = !constant(executable ?? program) || (program.type === 'list_splat' && !constant(program));
    const dynamic = rest.filter((r) => !constant(r));
    if (!programDynamic && dynamic.length === 0 && (!executable || constant(program))) return;
    const fn = call.childForFieldName('function') ?? call;
    if (programDynamic) {
      ctx.report(fn, {
        message: `\`${name}()\` starts a program chosen at run time (\`${shortText(ctx.textOf(executable ?? program))}\`): check that it cannot come from untrusted input`,
        severity: 'info',
        confidence: 'medium',
      });
      return;
    }
    ctx.report(fn, {
      message: `\`${name}()\` passes run-time arguments (\`${shortText(ctx.textOf(dynamic[0] ?? program))}\`${dynamic.length > 1 ? ` and ${dynamic.length - 1} more` : ''}) to a fixed program without a shell: check that they cannot be read as options`,
    });
  },
  docs: {
    what: `An audit check, off by default. Finds \`subprocess.run\`, \`call\`, \`check_call\`, \`check_output\`, \`Popen\` (without \`shell=True\`, which SEC602 checks) and \`asyncio.create_subprocess_exec\` whose argument list is not constant. A program chosen at run time is information with medium confidence; a fixed program with run-time arguments is a hint with low confidence. Lists of literals, constants, and the running interpreter with its own arguments (\`sys.executable\`, \`sys.argv[1:]\`) are never reported.

Bandit's B603 reports every such call, constant or not, and is usually disabled for that reason; this check reports only what can vary.`,
    why: `Without a shell there is no shell injection, but the started program still interprets its arguments. A value that starts with \`-\` becomes an option (\`git\` with \`--upload-pack=touch /tmp/pwned\`, \`curl\` with \`-o /etc/cron.d/x\`, \`find\` with \`-exec\`), and a program name taken from input runs whatever the attacker names.`,
    example: `import subprocess

def fetch(url: str):
    subprocess.run(["git", "clone", url])`,
    useInstead: `import subprocess

def fetch(url: str):
    if not url.startswith("https://"):
        raise ValueError("only https URLs")
    subprocess.run(["git", "clone", "--", url])`,
    references: [
      { title: 'Python docs: subprocess — Security considerations', url: 'https://docs.python.org/3/library/subprocess.html#security-considerations' },
      { title: 'CWE-88: Argument Injection', url: 'https://cwe.mitre.org/data/definitions/88.html' },
      { title: 'Bandit B603: subprocess_without_shell_equals_true', url: 'https://bandit.readthedocs.io/en/latest/plugins/b603_subprocess_without_shell_equals_true.html' },
    ],
  },
});
