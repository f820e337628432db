import type { Node } from '../../engine/parser';
import { defineRule, fix, replace } from '../../engine/rule';
import { stringPrefix, unparen } from '../../engine/syntax';
import type { Fix } from '../../engine/types';
import { commandTemplate, shellCommandOf } from '../util/process';

/** Programs whose options a file name can supply: `--reference=`, `--checkpoint-action=`, `-e`. */
const PROGRAMS = new Set(['chown', 'chmod', 'chgrp', 'tar', 'rsync']);
/** Words that run the next word as the program. */
const PREFIXES = new Set(['sudo', 'doas', 'nice', 'nohup', 'env', 'exec', 'time', 'command']);

interface Hit {
  program: string;
  /** A word that starts with a glob: its expansions can start with `-`. */
  leading: boolean;
}

/** The simple commands of a shell script, split on `;`, `&&`, `||`, `|`, `&` and newlines. */
function findWildcards(script: string): Hit[] {
  const hits: Hit[] = [];
  for (const simple of script.split(/\|\||&&|[;|&\n]/)) {
    const words = simple.trim().split(/\s+/).filter(Boolean);
    let i = 0;
    while (i < words.length && (PREFIXES.has(words[i]!) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!) || (i > 0 && words[i]!.startsWith('-')))) i++;
    const word = words[i];
    if (!word) continue;
    const program = word.slice(word.lastIndexOf('/') + 1);
    if (!PROGRAMS.has(program)) continue;
    // Quoted words are not expanded: only bare `*`, `?` and `[...]` count.
    // `./*` is the usual hardening (and what the fix writes): taken as deliberate.
    const globs = words.slice(i + 1).filter((w) => !/^['"]/.test(w) && !/^\.\/[*?[]/.test(w) && /[*?]/.test(w));
    if (globs.some((w) => /^[*?[]/.test(w))) hits.push({ program, leading: true });
    else if (globs.length && (program === 'chown' || program === 'chmod' || program === 'chgrp')) hits.push({ program, leading: false });
  }
  return hits;
}

/**
 * For a plain string literal (no escapes, not an f-string), `./` before each word that starts
 * with `*`: every expansion then starts with `./` and none can be read as an option.
 */
function prefixFix(command: Node, programs: string[]): Fix[] {
  const n = unparen(command);
  if (n.type !== 'string' || stringPrefix(n).includes('f') || stringPrefix(n).includes('b')) return [];
  const content = n.namedChildren.filter((c) => c && c.type !== 'string_start' && c.type !== 'string_end');
  if (content.length !== 1 || content[0]!.type !== 'string_content' || content[0]!.text.includes('\\')) return [];
  const raw = content[0]!.text;
  const fixed = raw.replace(/(^|[\s;&|])(?=[*?[])/g, '$1./');
  if (fixed === raw) return [];
  // tar stores members as `./name` instead of `name`: the archive changes.
  const safety = programs.includes('tar') ? 'unsafe' : 'safe';
  return [fix('Prefix the wildcard with `./` so no file name can become an option', safety, replace(content[0]!, fixed))];
}

export default defineRule({
  id: 'SEC609',
  name: 'unix-command-wildcard-injection',
  local: true,
  summary: '`chown`, `chmod`, `tar` or `rsync` run through the shell with a `*` wildcard that file names can turn into options',
  owasp: { '2025': 'A05', '2021': 'A03' },
  cwe: [155],
  severity: 'warning',
  confidence: 'medium',
  fix: 'sometimes',
  aliases: ['B609', 'S609'],
  tags: ['injection', 'subprocess'],
  nodeTypes: ['call'],
  check(call, ctx) {
    const shell = shellCommandOf(call, ctx);
    if (!shell) return;
    const script = commandTemplate(shell.command, ctx);
    if (script === null || !script.includes('*') && !script.includes('?')) return;
    const hits = findWildcards(script);
    if (hits.length === 0) return;
    const fn = call.childForFieldName('function') ?? call;
    const programs = [...new Set(hits.map((h) => h.program))];
    const list = programs.map((p) => `\`${p}\``).join(' and ');
    if (hits.some((h) => h.leading)) {
      ctx.report(fn, {
        message: `\`${shell.name}()\` runs ${list} with a wildcard: a file named like an option (\`--reference=...\`, \`--checkpoint-action=...\`) becomes one`,
        fixes: prefixFix(shell.command, programs),
      });
      return;
    }
    ctx.report(fn, {
      message: `\`${shell.name}()\` runs ${list} on a wildcard path: a symbolic link planted in that directory makes it change the link's target`,
      severity: 'info',
      confidence: 'low',
    });
  },
  docs: {
    what: `Finds shell commands (\`os.system\`, \`os.popen\`, \`subprocess.*(..., shell=True)\`, \`subprocess.getoutput\`...) that run \`chown\`, \`chmod\`, \`chgrp\`, \`tar\` or \`rsync\` with an unquoted wildcard word, in a constant command or in the literal parts of an f-string, \`%\` or \`.format()\` command. A word that starts with the wildcard (\`*\`, \`*.log\`) is a warning. For \`chown\`, \`chmod\` and \`chgrp\`, a wildcard inside a path (\`/srv/uploads/*\`) is information with low confidence, except \`./*\`, the usual hardening, which is taken as deliberate. Commands run without a shell (a list passed to \`subprocess.run\`) are not reported: nothing expands the wildcard.`,
    why: `The shell expands \`*\` to the names of the files in the directory, and the program cannot tell those names from options. Anyone who can create a file where the command runs (an upload directory, a shared \`/tmp\`) chooses its options: a file named \`--reference=owned_by_attacker\` makes \`chown user *\` copy the attacker's ownership; files named \`--checkpoint=1\` and \`--checkpoint-action=exec=sh shell.sh\` make \`tar cf backup.tar *\` run a script; \`-e sh x.sh\` does the same for \`rsync\`. \`chown\` and \`chmod\` also follow symbolic links named on the command line, so a link in the directory changes a file elsewhere.`,
    example: `import os

def publish(upload_dir: str):
    os.system(f"cd {upload_dir} && chmod 644 *")`,
    useInstead: `import os
import subprocess
from pathlib import Path

def publish(upload_dir: str):
    for path in Path(upload_dir).iterdir():
        if path.is_file() and not path.is_symlink():
            os.chmod(path, 0o644)`,
    fixSafety: `For a plain string literal, the fix writes \`./\` before each word that starts with a wildcard (\`chmod 644 ./*\`): the shell then expands it to \`./name\`, which no program reads as an option. The same files are named, so for \`chown\`, \`chmod\`, \`chgrp\` and \`rsync\` the fix is safe. For \`tar\` it is unsafe: the archive stores the members as \`./name\` instead of \`name\`. The fix does not address symbolic links; see the example above.`,
    references: [
      { title: 'DefenseCode: Back to the Future: Unix Wildcards Gone Wild', url: 'https://www.defensecode.com/public/DefenseCode_Unix_WildCards_Gone_Wild.txt' },
      { title: 'CWE-155: Improper Neutralization of Wildcards or Matching Symbols', url: 'https://cwe.mitre.org/data/definitions/155.html' },
      { title: 'Bandit B609: linux_commands_wildcard_injection', url: 'https://bandit.readthedocs.io/en/latest/plugins/b609_linux_commands_wildcard_injection.html' },
    ],
  },
});
