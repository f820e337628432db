// What the shell-command rules need to know about a command argument: whether it is a
// constant (nothing to inject), built only from constants and quoted values (`shlex.quote`,
// numbers), or built from something else; and, for the safe fix, whether a constant command
// line means exactly the same thing without a shell.

import type { Node } from '../../engine/parser';
import type { RuleContext } from '../../engine/rule';
import { bindingValues, builtinCalled, constantTruth, isConstantValue } from '../../engine/scope';
import { argument, callArgs, stringPrefix, stringValue, unparen } from '../../engine/syntax';
import { queryParts, type QueryBuild } from './sql';

export type CommandKind = 'constant' | 'quoted' | 'dynamic';

export interface CommandInfo {
  kind: CommandKind;
  /** Source text of the parts that make the command dynamic, for the message. */
  sources: string[];
}

const QUOTING_CALLS = new Set(['shlex.quote', 'pipes.quote', 'shlex.join']);
const NUMERIC_BUILTINS = new Set(['int', 'float', 'len']);

/** `shlex.quote(x)`, `shlex.join(args)` or a number: safe to paste into a POSIX command line. */
function isQuotedValue(node: Node, ctx: RuleContext): boolean {
  const n = unparen(node);
  if (n.type !== 'call') return false;
  const name = ctx.callName(n);
  if (name && QUOTING_CALLS.has(name)) return true;
  return NUMERIC_BUILTINS.has(builtinCalled(n, ctx) ?? '');
}

function shortText(ctx: RuleContext, node: Node): string {
  const t = ctx.textOf(node).replace(/\s+/g, ' ');
  return t.length > 40 ? `${t.slice(0, 37)}...` : t;
}

/** `%d`, `%x`, `%f`...: the value must be a number, or formatting raises. `%c` is not: one character can be `;`. */
const PERCENT_CONVERSION = /%(?:\([^)]*\))?[-#0 +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[hlL]?([diouxXeEfFgGcrsa%])/g;

/** For %-formatting, whether each interpolated part (in order) is converted as a number. */
function numericConversions(build: QueryBuild): boolean[] {
  if (build.form !== '%-formatting' || !build.exact) return [];
  const format = stringValue(unparen(build.node).childForFieldName('left'));
  if (format === null) return [];
  const out: boolean[] = [];
  for (const m of format.matchAll(PERCENT_CONVERSION)) if (m[1] !== '%') out.push(/[diouxXeEfFgG]/.test(m[1]!));
  return out;
}

/**
 * Classifies a command. With `shellSequence`, a list or tuple is what `shell=True` makes of
 * it on POSIX: only the first element is the script, the rest become `$0`, `$1`, ... and are
 * not interpreted unless the script refers to them.
 */
export function analyseCommand(node: Node, ctx: RuleContext, shellSequence: boolean): CommandInfo {
  const n = unparen(node);
  if (shellSequence && (n.type === 'list' || n.type === 'tuple')) {
    const first = n.namedChildren.find((c) => c && c.type !== 'comment');
    if (!first || first.type === 'list_splat') return first ? { kind: 'dynamic', sources: [shortText(ctx, first)] } : { kind: 'constant', sources: [] };
    return analyseCommand(first, ctx, false);
  }
  if (isConstantValue(n, ctx)) return { kind: 'constant', sources: [] };
  if (isQuotedValue(n, ctx)) return { kind: 'quoted', sources: [] };
  const build = queryParts(n);
  if (!build) return { kind: 'dynamic', sources: [shortText(ctx, n)] };
  const sources: string[] = [];
  const numeric = numericConversions(build);
  let quoted = false;
  let index = -1;
  for (const part of build.parts) {
    if (part.kind === 'lit') continue;
    index++;
    if (isConstantValue(part.node, ctx)) continue;
    // `"{}".format(*args)` and other shapes the decomposition cannot map stand for the whole call.
    if (part.node.id === build.node.id) return { kind: 'dynamic', sources: [shortText(ctx, n)] };
    if (numeric[index] || isQuotedValue(part.node, ctx)) quoted = true;
    else {
      const text = shortText(ctx, part.node);
      if (!sources.includes(text)) sources.push(text);
    }
  }
  if (sources.length) return { kind: 'dynamic', sources };
  return { kind: quoted ? 'quoted' : 'constant', sources: [] };
}

/** "`cmd`", "`host` and `port`", "`a`, `b` and 2 more". */
export function describeSources(sources: string[]): string {
  const q = sources.map((s) => `\`${s}\``);
  if (q.length <= 1) return q[0] ?? 'a dynamic value';
  if (q.length === 2) return `${q[0]} and ${q[1]}`;
  if (q.length === 3) return `${q[0]}, ${q[1]} and ${q[2]}`;
  return `${q[0]}, ${q[1]} and ${q.length - 2} more`;
}

/**
 * Characters with a meaning to `/bin/sh` (or bash as `sh`, or `cmd.exe`) beyond separating
 * words: redirection, pipes, lists, subshells, expansion, quoting, globbing, comments, brace
 * expansion and cmd.exe's `%VAR%` and `^` escapes.
 */
const SHELL_META = /[|&;<>()$`\\"'*?[\]~#{}%^!\n\r\x00-\x08\x0b-\x1f\x7f]/;

/**
 * Words that only exist inside a shell (POSIX special and regular builtins, keywords, and
 * cmd.exe internal commands) or that differ from the program of the same name (`echo` and
 * `printf` escapes, `kill` job ids), plus common Windows `.cmd` shims that only a shell finds.
 */
const SHELL_ONLY = new Set([
  // POSIX keywords and builtins
  'if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'in', 'function', 'select', 'time',
  '.', ':', 'alias', 'bg', 'break', 'cd', 'command', 'continue', 'eval', 'exec', 'exit', 'export', 'fc', 'fg', 'getopts', 'hash',
  'jobs', 'kill', 'let', 'local', 'read', 'readonly', 'return', 'set', 'shift', 'source', 'test', 'times', 'trap', 'type', 'ulimit',
  'umask', 'unalias', 'unset', 'wait', 'echo', 'printf', 'true', 'false', 'pwd', 'declare', 'typeset', 'builtin', 'enable', 'history',
  // cmd.exe internal commands
  'assoc', 'call', 'cls', 'color', 'copy', 'date', 'del', 'dir', 'endlocal', 'erase', 'ftype', 'goto', 'md', 'mkdir', 'mklink', 'move',
  'path', 'pause', 'popd', 'prompt', 'pushd', 'rd', 'rem', 'ren', 'rename', 'rmdir', 'setlocal', 'start', 'title', 'ver', 'verify', 'vol',
  // Windows batch shims found through PATHEXT only by the shell
  'npm', 'npx', 'yarn', 'pnpm', 'code', 'ng', 'gradlew', 'mvnw',
]);

/**
 * The words of a constant command line when running it without a shell is the same program
 * with the same arguments: no shell syntax, no leading `VAR=value`, no shell-only first word.
 * Null otherwise.
 */
export function plainCommandWords(command: string): string[] | null {
  if (SHELL_META.test(command)) return null;
  // The shell splits on its IFS default (space, tab, newline; newline is excluded above).
  const words = command.split(/[ \t]+/).filter((w) => w.length > 0);
  if (words.length === 0) return null;
  const first = words[0]!;
  if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(first)) return null;
  if (SHELL_ONLY.has(first.toLowerCase())) return null;
  return words;
}

/**
 * A list literal with the same words, written with the literal's own quote and prefix, for a
 * single plain string literal node. Null for anything else (f-strings, implicit concatenation,
 * names, commands with shell syntax).
 */
export function commandAsList(node: Node): string | null {
  const n = unparen(node);
  if (n.type !== 'string') return null;
  const prefix = stringPrefix(n);
  if (prefix.includes('f')) return null;
  const value = stringValue(n);
  if (value === null) return null;
  const words = plainCommandWords(value);
  if (!words) return null;
  const quote = /'$/.test(n.firstChild?.text ?? '"') ? "'" : '"';
  // Words hold no quote or backslash (SHELL_META), so they can be written back verbatim.
  const p = prefix.includes('b') ? 'b' : '';
  return `[${words.map((w) => `${p}${quote}${w}${quote}`).join(', ')}]`;
}

// ---------------------------------------------------------------------------------------------
// Process-starting functions, shared by the SEC601-SEC609 rules.

/** `subprocess` functions that take an argument list and an optional `shell=`. */
export const SUBPROCESS_FUNCTIONS = new Set(['subprocess.run', 'subprocess.call', 'subprocess.check_call', 'subprocess.check_output', 'subprocess.Popen']);

/** `subprocess`/`asyncio` functions that always use a shell (SEC602 reports them with `shell=True`). */
export const SUBPROCESS_SHELL_FUNCTIONS = new Set(['subprocess.getoutput', 'subprocess.getstatusoutput', 'asyncio.create_subprocess_shell']);

/** `os`, `popen2` and `commands` functions that hand their command string to the shell (SEC605). */
export const OS_SHELL_FUNCTIONS = new Set([
  'os.system',
  'os.popen',
  'os.popen2',
  'os.popen3',
  'os.popen4',
  'popen2.popen2',
  'popen2.popen3',
  'popen2.popen4',
  'popen2.Popen3',
  'popen2.Popen4',
  'commands.getoutput',
  'commands.getstatusoutput',
]);

/** Functions that always hand their first argument to `/bin/sh -c` (or `cmd.exe /c`). */
export const ALWAYS_SHELL_FUNCTIONS = new Set([...OS_SHELL_FUNCTIONS, ...SUBPROCESS_SHELL_FUNCTIONS]);

/**
 * `os` functions that replace or start a process without a shell, with the position of the
 * program argument (`os.spawn*` take a mode first) and whether they search `PATH` for it.
 */
export const NO_SHELL_FUNCTIONS = new Map<string, { program: number; searchesPath: boolean }>([
  ...['execl', 'execle', 'execv', 'execve'].map((f) => [`os.${f}`, { program: 0, searchesPath: false }] as const),
  ...['execlp', 'execlpe', 'execvp', 'execvpe'].map((f) => [`os.${f}`, { program: 0, searchesPath: true }] as const),
  ...['spawnl', 'spawnle', 'spawnv', 'spawnve'].map((f) => [`os.${f}`, { program: 1, searchesPath: false }] as const),
  ...['spawnlp', 'spawnlpe', 'spawnvp', 'spawnvpe'].map((f) => [`os.${f}`, { program: 1, searchesPath: true }] as const),
  ['os.posix_spawn', { program: 0, searchesPath: false }],
  ['os.posix_spawnp', { program: 0, searchesPath: true }],
  ['os.startfile', { program: 0, searchesPath: false }],
]);

/** A shell command a call runs: the function's name and the node holding the script. */
export interface ShellCall {
  name: string;
  /** The script: the first argument, or the first element of a list passed with `shell=True`. */
  command: Node;
}

/**
 * The command `call` runs through a shell: an always-shell function (`os.system`), or a
 * `subprocess` function with a literal truthy `shell=`. Null for anything else.
 */
export function shellCommandOf(call: Node, ctx: RuleContext): ShellCall | null {
  const name = ctx.callName(call);
  if (!name) return null;
  const args = callArgs(call);
  let command: Node | null;
  if (ALWAYS_SHELL_FUNCTIONS.has(name)) {
    command = argument(args, 0, name.startsWith('popen2.') || name.startsWith('subprocess.') || name.startsWith('asyncio.') ? 'cmd' : 'command');
    // `popen2` runs a list without a shell; `os.system([...])` raises.
    if (command && ['list', 'tuple'].includes(unparen(command).type)) return null;
  } else if (SUBPROCESS_FUNCTIONS.has(name)) {
    if (constantTruth(args.keywords.get('shell')) !== true) return null;
    command = argument(args, 0, 'args');
    const n = command ? unparen(command) : null;
    if (n && (n.type === 'list' || n.type === 'tuple')) command = n.namedChildren.find((c) => c && c.type !== 'comment') ?? null;
  } else return null;
  if (!command || command.type === 'list_splat') return null;
  return { name, command };
}

/** The string a node always holds: a literal, or a name every binding of which is the same literal. */
export function constantString(node: Node | null | undefined, ctx: RuleContext): string | null {
  if (!node) return null;
  const n = unparen(node);
  const direct = stringValue(n);
  if (direct !== null) return direct;
  if (n.type !== 'identifier') return null;
  const values = bindingValues(n, ctx);
  if (!values || values.length === 0) return null;
  const strings = values.map((v) => stringValue(unparen(v)));
  return strings.every((s) => s !== null && s === strings[0]) ? strings[0]! : null;
}

/** Stands for an interpolated value in `commandTemplate`: a word character, never shell syntax. */
export const DYNAMIC_PART = '\u{E000}';

/**
 * The text of a shell command with every interpolated value replaced by `DYNAMIC_PART`:
 * `f"tar cf {name}.tar *"` gives `tar cf \uE000.tar *`. Null when the command is not a string
 * built from literals (a bare parameter, a call).
 */
export function commandTemplate(node: Node, ctx: RuleContext): string | null {
  const constant = constantString(node, ctx);
  if (constant !== null) return constant;
  const build = queryParts(unparen(node));
  if (!build) return null;
  return build.parts.map((p) => (p.kind === 'lit' ? p.text : (constantString(p.node, ctx) ?? DYNAMIC_PART))).join('');
}

/**
 * Whether a program name is looked up (a bare name such as `ls` or `git.exe`, searched in
 * `PATH`) rather than a path (`/usr/bin/ls`, `./run.sh`, `C:\\tools\\x.exe`, `bin/tool`).
 */
export function isBareProgramName(program: string): boolean {
  if (program.length === 0 || program.includes(DYNAMIC_PART)) return false;
  return !/[\\/]/.test(program) && !/^[A-Za-z]:/.test(program) && !program.startsWith('~') && !program.startsWith('$');
}

/** Whether `word` only exists inside a shell (`cd`, `echo`, `dir`), so no program is looked up. */
export function isShellBuiltin(word: string): boolean {
  return SHELL_ONLY.has(word.toLowerCase());
}

const OWN_PROCESS = new Set(['sys.executable', 'sys.argv', 'sys.orig_argv', 'sys.base_exec_prefix']);

/**
 * For `isConstantValue`: the running interpreter and its own arguments (`sys.executable`,
 * `sys.argv[1:]`) are not input to a process the program starts; re-running itself with them is
 * the usual restart idiom. Pass as the `extension` argument.
 */
export function ownProcessValue(ctx: RuleContext): (node: Node, isConst: (part: Node | null | undefined) => boolean) => boolean {
  return (node, isConst) => {
    if (node.type === 'attribute') return OWN_PROCESS.has(ctx.resolve(node) ?? '');
    if (node.type === 'subscript') {
      const value = node.childForFieldName('value');
      return !!value && OWN_PROCESS.has(ctx.resolve(value) ?? '') && node.childrenForFieldName('subscript').every((s) => !s || s.type === 'slice' ? s?.namedChildren.every((c) => isConst(c)) ?? true : isConst(s));
    }
    if (node.type === 'list_splat') return isConst(node.namedChildren[0]);
    return false;
  };
}
