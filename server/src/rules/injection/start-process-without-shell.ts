import type { Node } from '../../engine/parser';
import { defineRule } from '../../engine/rule';
import { isConstantValue } from '../../engine/scope';
import { callArgs } from '../../engine/syntax';
import { NO_SHELL_FUNCTIONS, ownProcessValue } from '../util/process';

function shortText(text: string): string {
  const t = text.replace(/\s+/g, ' ');
  return t.length > 40 ? `${t.slice(0, 37)}...` : t;
}

/** Keywords of `os.posix_spawn*` and `os.startfile` that name the program or its arguments. */
const KEYWORDS: Record<string, number> = { path: 0, argv: 1, filepath: 0, arguments: 2 };

export default defineRule({
  id: 'SEC606',
  name: 'start-process-without-shell',
  local: true,
  summary: '`os.exec*`, `os.spawn*`, `os.posix_spawn*` or `os.startfile` starts a program chosen or given arguments at run time',
  owasp: { '2025': 'A05', '2021': 'A03' },
  cwe: [78, 88],
  severity: 'info',
  confidence: 'low',
  enabledByDefault: false,
  aliases: ['B606', 'S606'],
  tags: ['injection', 'audit'],
  nodeTypes: ['call'],
  appliesTo: (file) => !file.isTest,
  check(call, ctx) {
    const name = ctx.callName(call);
    const spec = name ? NO_SHELL_FUNCTIONS.get(name) : undefined;
    if (!name || !spec) return;
    const args = callArgs(call);
    const trusted = ownProcessValue(ctx);
    const constant = (n: Node | null | undefined): boolean => isConstantValue(n, ctx, trusted);
    const isStartfile = name === 'os.startfile';
    // Position relative to the program: the program, then its arguments (the `*e` variants end
    // with an environment mapping, which is not a command-line argument).
    const isPosixSpawn = name.startsWith('os.posix_spawn');
    const withEnv = /e$/.test(name) && !isStartfile;
    const positional = isPosixSpawn ? args.positional.slice(0, 2) : args.positional.slice(spec.program, withEnv ? -1 : undefined);
    const program = positional[0] ?? args.keywords.get('path') ?? args.keywords.get('filepath') ?? null;
    // `os.startfile(path, operation, arguments)`: only `arguments` reaches the program.
    const rest = isStartfile ? positional.slice(2) : positional.slice(1);
    for (const [kw, node] of args.keywords) if ((KEYWORDS[kw] ?? 0) > 0) rest.push(node);
    if (!program && !args.hasStarArgs) return;
    const fn = call.childForFieldName('function') ?? call;
    if (!program || !constant(program)) {
      ctx.report(fn, {
        message: `\`${name}()\` ${isStartfile ? 'opens a file' : 'starts a program'} chosen at run time${program ? ` (\`${shortText(ctx.textOf(program))}\`)` : ''}: check that it cannot come from untrusted input`,
        confidence: 'medium',
      });
      return;
    }
    const dynamic = rest.filter((r) => !constant(r));
    if (dynamic.length === 0 && !args.hasStarArgs) return;
    ctx.report(fn, {
      message: `\`${name}()\` passes run-time arguments${dynamic[0] ? ` (\`${shortText(ctx.textOf(dynamic[0]))}\`)` : ''} to a fixed program: check that they cannot be read as options`,
    });
  },
  docs: {
    what: `An audit check, off by default. Finds \`os.execl/le/lp/lpe/v/ve/vp/vpe\`, \`os.spawnl/le/lp/lpe/v/ve/vp/vpe\`, \`os.posix_spawn\`, \`os.posix_spawnp\` and \`os.startfile\` called with a program or arguments that are not constant. A program chosen at run time has medium confidence, run-time arguments to a fixed program low confidence. Constant calls and re-running the interpreter with its own arguments (\`os.execv(sys.executable, [sys.executable, *sys.argv])\`) are not reported.

Bandit's B606 reports every call to these functions; this check reports only what can vary.`,
    why: `These functions start a program without a shell, so there is no shell injection; but a program name taken from input runs whatever the attacker names (\`os.startfile\` opens any document or URL with its associated application, which on Windows can be an executable), and an argument that starts with \`-\` can become an option of the program.`,
    example: `import os

def open_report(name: str):
    os.startfile(name)`,
    useInstead: `import os
from pathlib import Path

REPORTS = Path("C:/reports").resolve()

def open_report(name: str):
    path = (REPORTS / name).resolve()
    if path.parent != REPORTS or path.suffix != ".pdf":
        raise ValueError("not a report")
    os.startfile(path)`,
    references: [
      { title: 'Python docs: os — Process Management', url: 'https://docs.python.org/3/library/os.html#process-management' },
      { title: 'CWE-88: Argument Injection', url: 'https://cwe.mitre.org/data/definitions/88.html' },
      { title: 'Bandit B606: start_process_with_no_shell', url: 'https://bandit.readthedocs.io/en/latest/plugins/b606_start_process_with_no_shell.html' },
    ],
  },
});
