import type { Node } from '../../engine/parser';
import { defineRule, fix, insertAt, replace, type FilePart, type RuleContext } from '../../engine/rule';
import { canUseImport } from '../../engine/scope';
import { callArgs, enclosingFunction } from '../../engine/syntax';
import type { Fix } from '../../engine/types';

/** Names tried, in order, for the descriptor `mkstemp()` returns. */
const FD_NAMES = ['fd', 'tmp_fd', 'temp_fd', 'fd_', '_fd'];
const FD_NAME_SET = new Set(FD_NAMES);
const MKTEMP_PARAMETERS = new Set(['suffix', 'prefix', 'dir']);

/** Every identifier spelled in `scope`: a new name must not clash with any of them. */
function spelledNames(scope: Node): Set<string> {
  const out = new Set<string>();
  const stack: Node[] = [scope];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'identifier') out.add(n.text);
    for (const c of n.namedChildren) if (c) stack.push(c);
  }
  return out;
}

/**
 * The names of `FD_NAMES` spelled as identifiers in one region of the file. At module or class
 * level the descriptor becomes a module global, so a name spelled anywhere (in any function,
 * say one that reads a global `fd`) is taken: that part of the fix reads the whole file.
 */
const SPELLED_FD_NAMES: FilePart<string[]> = {
  name: 'insecure-mktemp:fd-names',
  nodeTypes: ['identifier'],
  compute(nodes) {
    const found = new Set<string>();
    for (const n of nodes) if (FD_NAME_SET.has(n.text)) found.add(n.text);
    return [...found];
  },
};

/** The descriptor name for a fix outside every function, or null when every candidate is taken. */
function moduleFdName(ctx: RuleContext): string | null {
  return ctx.memo('insecure-mktemp:module-fd', () => {
    const taken = new Set(ctx.parts(SPELLED_FD_NAMES).flat());
    return FD_NAMES.find((n) => !taken.has(n) && !ctx.facts.imports.has(n) && !ctx.facts.boundNames.has(n)) ?? null;
  });
}

/** The offset of the end of the line `offset` is on (before its line break). */
function lineEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/**
 * `path = tempfile.mktemp(...)` alone on its line(s) becomes
 * `fd, path = tempfile.mkstemp(...)` followed by `os.close(fd)`.
 */
function mkstempFix(call: Node, ctx: RuleContext): Fix[] {
  const assignment = call.parent;
  if (assignment?.type !== 'assignment' || assignment.childForFieldName('right')?.id !== call.id) return [];
  if (assignment.childForFieldName('type')) return [];
  const target = assignment.childForFieldName('left');
  if (target?.type !== 'identifier') return [];
  const statement = assignment.parent;
  if (statement?.type !== 'expression_statement' || statement.namedChildCount !== 1) return [];
  if (statement.parent?.type !== 'block' && statement.parent?.type !== 'module') return [];
  const text = ctx.text;
  // Alone on its first line (not after `if x:` or `a = 1;`), and nothing but a comment after it.
  let lineStart = statement.startIndex;
  while (lineStart > 0 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r') lineStart--;
  const indent = text.slice(lineStart, statement.startIndex);
  if (!/^[ \t]*$/.test(indent)) return [];
  const end = lineEnd(text, statement.endIndex);
  const rest = text.slice(statement.endIndex, end);
  if (!/^[ \t]*(#.*)?$/.test(rest)) return [];
  const args = callArgs(call);
  if (args.hasStarArgs || args.hasStarKwargs || args.positional.length > 3) return [];
  if ([...args.keywords.keys()].some((k) => !MKTEMP_PARAMETERS.has(k))) return [];
  const callee = call.childForFieldName('function');
  if (!callee) return [];
  const scope = enclosingFunction(call);
  let fd: string | null | undefined;
  if (scope) {
    const taken = spelledNames(scope);
    fd = FD_NAMES.find((n) => !taken.has(n) && !ctx.facts.imports.has(n) && !ctx.facts.boundNames.has(n));
  } else fd = moduleFdName(ctx);
  if (!fd) return [];
  const mkstemp = ctx.requireImport('tempfile', 'mkstemp');
  const os = ctx.requireImport('os');
  if (!canUseImport(mkstemp, call, ctx) || !canUseImport(os, call, ctx)) return [];
  return [
    fix(
      `Use \`${mkstemp.ref}()\` (creates the file) and close its descriptor`,
      'unsafe',
      insertAt(target.startIndex, `${fd}, `),
      replace(callee, mkstemp.ref),
      insertAt(end, `${ctx.eol}${indent}${os.ref}.close(${fd})`),
      mkstemp.edits,
      os.edits,
    ),
  ];
}

export default defineRule({
  id: 'SEC306',
  name: 'insecure-mktemp',
  summary: '`tempfile.mktemp()` returns a file name another process can take first',
  owasp: { '2025': 'A01', '2021': 'A01' },
  cwe: [377],
  severity: 'warning',
  confidence: 'high',
  fix: 'sometimes',
  aliases: ['B306', 'S306'],
  tags: ['filesystem'],
  nodeTypes: ['call'],
  local: true,
  // The fix of a call outside every function names the descriptor after the names spelled in
  // the whole file; a file without `mktemp` in its text has no such call.
  fileKey: (ctx) => (/mktemp/.test(ctx.text) ? `fd:${moduleFdName(ctx) ?? ''}` : ''),
  check(call, ctx) {
    if (ctx.callName(call) !== 'tempfile.mktemp') return;
    ctx.report(call, {
      message: `\`${ctx.textOf(call.childForFieldName('function')!).replace(/\s+/g, '')}()\` returns the name of a file that does not exist yet, which another process can create first`,
      fixes: mkstempFix(call, ctx),
    });
  },
  docs: {
    what: 'Finds calls to `tempfile.mktemp()`, however it is imported (`from tempfile import mktemp`, `import tempfile as tf`).',
    why: '`mktemp()` only picks a name; the file is created later by whoever opens it. In between, another local user or process can create that path first, often as a symbolic link to a file the program can write (`~/.ssh/authorized_keys`, a configuration file). The program then writes into the attacker\'s file or reads attacker-controlled data (CWE-377, a time-of-check to time-of-use race). The function has been deprecated since Python 2.3 for this reason. `mkstemp()`, `NamedTemporaryFile()` and `TemporaryDirectory()` create the file or directory atomically with private permissions.',
    example: `import tempfile

path = tempfile.mktemp(suffix=".csv")
with open(path, "w") as out:
    out.write(report)`,
    useInstead: `import tempfile

with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as out:
    out.write(report)
    path = out.name`,
    fixSafety: 'When the result is assigned to a single name on a line of its own, `path = tempfile.mktemp(...)` becomes `fd, path = tempfile.mkstemp(...)` followed by `os.close(fd)` (a descriptor name that is not used nearby, and `import os` when missing). The `suffix`, `prefix` and `dir` arguments mean the same in both functions and keep their positions. The fix is unsafe: the file now exists (empty, mode 0600) when the next line runs, so code that expects the path to be free changes behaviour, for example a tool that refuses to overwrite an existing file, `os.mkdir(path)`, or `os.path.exists(path)` checks. Other uses of `mktemp()` have no fix.',
    references: [
      { title: 'Python docs: tempfile.mktemp (deprecated)', url: 'https://docs.python.org/3/library/tempfile.html#tempfile.mktemp' },
      { title: 'CWE-377: Insecure Temporary File', url: 'https://cwe.mitre.org/data/definitions/377.html' },
    ],
  },
});
