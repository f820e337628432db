import { defineRule, fix } from '../../engine/rule';

// Django `{% autoescape off %}` and Jinja `{% autoescape false %}` blocks.
const BLOCK = /\{%-?\s*autoescape\s+(off|false|False)\s*-?%\}/g;

export default defineRule({
  id: 'SEC721',
  name: 'template-autoescape-off',
  local: true,
  summary: 'Template block with autoescaping turned off',
  owasp: { '2025': 'A05', '2021': 'A03' },
  cwe: [79],
  severity: 'warning',
  confidence: 'high',
  fix: 'always',
  tags: ['django', 'jinja2', 'xss', 'template'],
  nodeTypes: [],
  check() {},
  checkTemplate(ctx) {
    BLOCK.lastIndex = 0;
    for (let m = BLOCK.exec(ctx.text); m; m = BLOCK.exec(ctx.text)) {
      const word = m[1]!;
      const at = m.index + m[0].indexOf(word, m[0].indexOf('autoescape') + 10);
      ctx.report(
        { start: m.index, end: m.index + m[0].length },
        {
          message: `\`{% autoescape ${word} %}\` outputs every value in the block without HTML escaping`,
          fixes: [fix(`Turn autoescaping back on (\`${word === 'off' ? 'on' : 'true'}\`)`, 'unsafe', { start: at, end: at + word.length, newText: word === 'off' ? 'on' : 'true' })],
        },
      );
    }
  },
  docs: {
    what: 'Finds `{% autoescape off %}` (Django) and `{% autoescape false %}` (Jinja) blocks in templates (`.html` files in `templates/` folders, and `.jinja`/`.j2` files).',
    why: 'Inside the block every `{{ value }}` is inserted as raw HTML, so one user-controlled value anywhere in it is cross-site scripting, and the block hides which values that applies to.',
    example: `{% autoescape off %}
  <p>{{ comment.body }}</p>
{% endautoescape %}`,
    useInstead: `<p>{{ comment.body }}</p>
{# mark a single trusted value instead: {{ trusted_html|safe }} #}`,
    fixSafety: 'Turning autoescaping back on escapes every value in the block; values that hold trusted HTML then show as text, so the fix is unsafe and applied only on request.',
    references: [{ title: 'Django: autoescape', url: 'https://docs.djangoproject.com/en/stable/ref/templates/builtins/#autoescape' }],
  },
});
