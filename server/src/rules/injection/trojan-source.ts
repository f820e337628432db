import type { Node } from '../../engine/parser';
import { defineRule, fix, replace } from '../../engine/rule';
import { stringPrefix } from '../../engine/syntax';
import type { Fix } from '../../engine/types';

const NAMES: Record<number, string> = {
  0x061c: 'ARABIC LETTER MARK',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
};
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
/** The marks only change how neutral characters next to them are ordered. */
const MARKS = new Set([0x061c, 0x200e, 0x200f]);
/** Hebrew, Arabic, Syriac, Thaana, N'Ko...: text that legitimately needs direction marks. */
const RTL_LETTERS = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;

function enclosing(node: Node | null, type: string): Node | null {
  for (let n = node; n; n = n.parent) if (n.type === type) return n;
  return null;
}

export default defineRule({
  id: 'SEC613',
  name: 'trojan-source',
  local: true,
  summary: 'Unicode bidirectional control character in the source: the code may read differently from how it displays',
  owasp: { '2025': 'A08', '2021': 'A08' },
  cwe: [1007],
  severity: 'error',
  confidence: 'high',
  fix: 'sometimes',
  aliases: ['B613', 'PLE2502'],
  tags: ['trojan-source', 'unicode'],
  nodeTypes: [],
  check() {},
  finish(ctx) {
    BIDI.lastIndex = 0;
    if (!BIDI.test(ctx.text)) return;
    BIDI.lastIndex = 0;
    for (let m = BIDI.exec(ctx.text); m; m = BIDI.exec(ctx.text)) {
      const at = m.index;
      const code = ctx.text.charCodeAt(at);
      const label = `U+${code.toString(16).toUpperCase().padStart(4, '0')} (${NAMES[code]})`;
      const node = ctx.root.descendantForIndex(at, at + 1);
      const comment = enclosing(node, 'comment');
      const str = comment ? null : enclosing(node, 'string');
      const where = comment ? 'a comment' : str ? 'a string' : 'the code';
      const fixes: Fix[] = [];
      const span = { start: at, end: at + 1 };
      if (comment) fixes.push(fix(`Remove ${label} from the comment`, 'safe', replace(span, '')));
      else if (str) {
        const prefix = stringPrefix(str);
        // In a str literal (not raw, not inside an f-string replacement field, where a
        // backslash is a syntax error before Python 3.12) the escape means the same character.
        if (!prefix.includes('r') && !prefix.includes('b') && !enclosing(str.parent, 'interpolation')) {
          fixes.push(fix(`Write ${label} as the escape \`\\u${code.toString(16).padStart(4, '0')}\``, 'safe', replace(span, `\\u${code.toString(16).padStart(4, '0')}`)));
        }
      }
      // Right-to-left text (Hebrew, Arabic) needs these characters: the same line then is
      // most probably a translation, not an attack.
      const context = comment ?? str;
      const rtl = !!context && RTL_LETTERS.test(ctx.textOf(context));
      const mark = MARKS.has(code);
      ctx.report(span, {
        message: `Bidirectional control character ${label} in ${where}: the code may display differently from how Python reads it`,
        severity: rtl ? 'info' : mark ? 'warning' : 'error',
        confidence: rtl ? 'low' : mark ? 'medium' : 'high',
        fixes,
      });
    }
  },
  docs: {
    what: `Reports every Unicode bidirectional control character in a Python file, at its exact position: the embeddings, overrides and isolates (U+202A to U+202E, U+2066 to U+2069) and the direction marks (U+200E, U+200F, U+061C). Overrides, embeddings and isolates are errors and marks are warnings; in a comment or string that also holds right-to-left letters (Hebrew, Arabic...), where these characters are needed to display the text, either is information with low confidence.`,
    why: `These invisible characters reorder how the text around them is displayed, in editors, diffs and code review, without changing what Python reads ("Trojan Source", CVE-2021-42574). A reviewer can be shown \`# admin check\` followed by a condition while Python sees the condition inside the comment, or a string that looks like it closes before code that is actually still part of the string, and approve a change that does the opposite of what it displays.`,
    example: `# The invisible characters are written here as <U+...>; in the attack they are the characters
# themselves, and the line displays as: access_level = "user" # Check if admin
def is_admin(user) -> bool:
    access_level = "user<U+202E> <U+2066># Check if admin<U+2069> <U+2066>"
    return access_level != "user"`,
    useInstead: `def is_admin(user) -> bool:
    access_level = "user"
    return access_level != "user"`,
    fixSafety: `In a comment, the fix removes the character: comments do not change what the program does, so this is safe. In a normal (not raw, not bytes) string literal, the fix replaces the character with its escape (\`\\u202e\`): the string holds exactly the same character, but the source now shows it, so this is safe too. In raw strings and inside f-string replacement fields no fix is offered (an escape would change the value, or be a syntax error before Python 3.12); elsewhere the character is a syntax error and must be deleted by hand.`,
    references: [
      { title: 'Trojan Source: Invisible Vulnerabilities', url: 'https://trojansource.codes/' },
      { title: 'CVE-2021-42574', url: 'https://nvd.nist.gov/vuln/detail/CVE-2021-42574' },
      { title: 'Bandit B613: trojansource', url: 'https://bandit.readthedocs.io/en/latest/plugins/b613_trojansource.html' },
    ],
  },
});
