import { defineRule, fix } from '../../engine/rule';

// `{{ expr|safe }}` / `{{ expr|safeseq }}` (Django) and `{% filter safe %}` (Jinja). A string
// literal marked safe (`{{ "<br>"|safe }}`) carries no user data and is not reported.
const OUTPUT = /\{\{([\s\S]*?)\}\}/g;
const SAFE = /\|\s*(safe|safeseq)\b/g;
const FILTER_BLOCK = /\{%-?\s*filter\s+safe\s*-?%\}/g;

export default defineRule({
  id: 'SEC720',
  name: 'template-safe-filter',
  local: true,
  summary: 'Template output marked `|safe`: the value is inserted without HTML escaping',
  owasp: { '2025': 'A05', '2021': 'A03' },
  cwe: [79],
  severity: 'warning',
  confidence: 'medium',
  fix: 'sometimes',
  tags: ['django', 'jinja2', 'xss', 'template'],
  nodeTypes: [],
  check() {},
  checkTemplate(ctx) {
    OUTPUT.lastIndex = 0;
    for (let m = OUTPUT.exec(ctx.text); m; m = OUTPUT.exec(ctx.text)) {
      const inner = m[1]!;
      const base = m.index + 2;
      const head = inner.split('|')[0]!.trim();
      if (/^(['"]).*\1$/s.test(head)) continue;
      SAFE.lastIndex = 0;
      for (let f = SAFE.exec(inner); f; f = SAFE.exec(inner)) {
        const start = base + f.index;
        const end = start + f[0].length;
        ctx.report(
          { start, end },
          {
            message: `\`${head.length > 40 ? head.slice(0, 37) + '…' : head}\` is output with \`|${f[1]}\`, without HTML escaping`,
            fixes: [fix(`Remove \`|${f[1]}\` (escape the value)`, 'unsafe', { start, end, newText: '' })],
          },
        );
      }
    }
    FILTER_BLOCK.lastIndex = 0;
    for (let m = FILTER_BLOCK.exec(ctx.text); m; m = FILTER_BLOCK.exec(ctx.text)) {
      ctx.report({ start: m.index, end: m.index + m[0].length }, { message: '`{% filter safe %}` outputs its whole block without HTML escaping' });
    }
  },
  docs: {
    what: 'Finds values marked safe in Django and Jinja templates (`.html` files in `templates/` folders, and `.jinja`/`.j2` files): `{{ value|safe }}`, `{{ list|safeseq }}` and `{% filter safe %}` blocks. A string literal marked safe is not reported.',
    why: 'Both engines escape every value by default; `|safe` switches that off for the value, so any user-controlled text in it becomes HTML and script: stored or reflected cross-site scripting. Mark text safe only where it was built by code that escaped every piece (`format_html`, `Markup.format`).',
    example: `<div class="bio">{{ user.bio|safe }}</div>`,
    useInstead: `<div class="bio">{{ user.bio }}</div>
{# or build the HTML in Python with django.utils.html.format_html(...) #}`,
    fixSafety: 'Removing `|safe` makes the engine escape the value again. Where the value really holds trusted HTML (rendered Markdown you sanitised, say), the page then shows the tags as text, so the fix is unsafe and applied only on request.',
    references: [
      { title: 'Django: the safe filter', url: 'https://docs.djangoproject.com/en/stable/ref/templates/builtins/#safe' },
      { title: 'OWASP Cross Site Scripting Prevention Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html' },
    ],
  },
});
