import { defineRule, fix, replace } from '../../engine/rule';
import { callArgs, isFalse } from '../../engine/syntax';
import type { Fix } from '../../engine/types';
import { appendArgument } from '../util/edits';

/**
 * Environments that render text and default to `autoescape=False`. `NativeEnvironment` renders
 * Python values, not markup, so it is not listed.
 */
const ENVIRONMENTS = new Set(['jinja2.Environment', 'jinja2.environment.Environment', 'jinja2.sandbox.SandboxedEnvironment']);

export default defineRule({
  id: 'SEC701',
  name: 'jinja2-autoescape-false',
  local: true,
  summary: 'Jinja2 `Environment` without autoescaping: variables are inserted into HTML unescaped',
  owasp: { '2025': 'A05', '2021': 'A03' },
  cwe: [79, 116],
  severity: 'error',
  confidence: 'high',
  fix: 'always',
  aliases: ['B701', 'S701'],
  tags: ['jinja2', 'xss'],
  nodeTypes: ['call'],
  appliesTo: (file, facts) => !file.isTest && facts.importedModules.has('jinja2'),
  check(call, ctx) {
    if (!ENVIRONMENTS.has(ctx.callName(call) ?? '')) return;
    const args = callArgs(call);
    // Options passed through `**options` or by position (autoescape is the 14th) cannot be seen.
    if (args.hasStarKwargs || args.hasStarArgs || args.positional.length > 0) return;
    const value = args.keywords.get('autoescape');
    if (value && !isFalse(value)) return; // True, select_autoescape(...), or a callable
    const select = ctx.requireImport('jinja2', 'select_autoescape');
    const fixes: Fix[] = [];
    if (value) {
      fixes.push(fix(`Use \`autoescape=${select.ref}()\` (escape .html, .htm and .xml templates)`, 'unsafe', replace(value, `${select.ref}()`), select.edits));
      fixes.push(fix('Set `autoescape=True`', 'unsafe', replace(value, 'True')));
    } else {
      const withSelect = appendArgument(ctx, call, `autoescape=${select.ref}()`);
      const withTrue = appendArgument(ctx, call, 'autoescape=True');
      if (withSelect) fixes.push(fix(`Add \`autoescape=${select.ref}()\` (escape .html, .htm and .xml templates)`, 'unsafe', withSelect, select.edits));
      if (withTrue) fixes.push(fix('Add `autoescape=True`', 'unsafe', withTrue));
    }
    ctx.report(value ? args.keywordNodes.get('autoescape')! : call.childForFieldName('function') ?? call, {
      message: value ? 'Jinja2 environment created with `autoescape=False`' : 'Jinja2 environment created without `autoescape`, which defaults to off',
      // Without the argument the templates might be plain text (emails, config files).
      confidence: value ? 'high' : 'medium',
      fixes,
    });
  },
  docs: {
    what: "Finds `jinja2.Environment(...)` and `SandboxedEnvironment(...)` created with `autoescape=False` or without `autoescape` (Jinja2's default is off). `autoescape=True`, `autoescape=select_autoescape(...)` and any other non-literal value are accepted. A missing argument is reported with medium confidence, since the environment may render plain text such as e-mails or configuration files, where escaping is not wanted. Flask's own environment (`render_template`) already escapes `.html` templates and is not concerned.",
    why: "Without autoescaping, `{{ comment }}` inserts the text as is: a user who writes `<script>...</script>` in a comment runs JavaScript in the browser of everyone who views the page (XSS). Escaping each variable by hand with `|e` is forgotten sooner or later.",
    example: `from jinja2 import Environment, FileSystemLoader

env = Environment(loader=FileSystemLoader("templates"))`,
    useInstead: `from jinja2 import Environment, FileSystemLoader, select_autoescape

env = Environment(loader=FileSystemLoader("templates"), autoescape=select_autoescape())`,
    fixSafety: "The preferred fix uses `select_autoescape()`, which escapes templates named `.html`, `.htm` and `.xml` and strings passed to `from_string()`, and leaves other templates (`.txt`, `.sql`) alone; `from jinja2 import select_autoescape` is added when missing. The other fix sets `autoescape=True` for every template. Both are unsafe: variables that deliberately hold HTML (pre-rendered snippets) are escaped afterwards and show as text until marked with `|safe` or `Markup`, and with `autoescape=True` plain-text templates get `&amp;`-style entities.",
    references: [
      { title: 'Jinja: Autoescaping', url: 'https://jinja.palletsprojects.com/en/stable/api/#autoescaping' },
      { title: 'Jinja: select_autoescape', url: 'https://jinja.palletsprojects.com/en/stable/api/#jinja2.select_autoescape' },
      { title: 'OWASP Cross Site Scripting Prevention Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html' },
    ],
  },
});
