import { defineRule } from '../../engine/rule';
import { callArgs } from '../../engine/syntax';
import { importsAny } from '../util/frameworks';
import { reportUnescapedHtml } from '../util/html';

const MARKUP = new Set(['markupsafe.Markup', 'flask.Markup', 'jinja2.Markup', 'jinja2.utils.Markup', 'quart.Markup']);

/** Functions whose result is already escaped (or cannot contain markup). */
const ESCAPERS = new Set([
  'markupsafe.escape',
  'markupsafe.Markup.escape',
  'flask.Markup.escape',
  'markupsafe.escape_silent',
  'flask.escape',
  'jinja2.escape',
  'html.escape',
  'flask.render_template',
  'flask.templating.render_template',
  'flask.url_for',
  'urllib.parse.quote',
  'urllib.parse.urlencode',
  ...MARKUP,
]);

/** Methods that turn a Markup back into plain text, so the markup never reaches a page as HTML. */
const TO_TEXT = new Set(['striptags', 'unescape']);

export default defineRule({
  id: 'SEC704',
  name: 'markupsafe-markup',
  local: true,
  summary: '`Markup()` on text that is not a constant: Jinja2 will not escape it',
  owasp: { '2025': 'A05', '2021': 'A03' },
  cwe: [79],
  severity: 'warning',
  confidence: 'medium',
  aliases: ['B704', 'S704'],
  tags: ['flask', 'jinja2', 'xss'],
  nodeTypes: ['call'],
  appliesTo: (file, facts) => !file.isTest && importsAny(facts, ['markupsafe', 'flask', 'jinja2', 'quart']),
  check(call, ctx) {
    if (!MARKUP.has(ctx.callName(call) ?? '')) return;
    // `Markup(html).striptags()` is the documented way to get plain text out of HTML.
    const parent = call.parent;
    if (parent?.type === 'attribute' && TO_TEXT.has(parent.childForFieldName('attribute')?.text ?? '')) return;
    const arg = callArgs(call).positional[0];
    if (!arg) return;
    reportUnescapedHtml(ctx, call, arg, 'Markup', ESCAPERS);
  },
  docs: {
    what: "Finds `markupsafe.Markup(...)` (also imported through `flask` or old `jinja2` versions) applied to anything but a constant: f-strings, `%` and `.format()` templates and concatenations with a value that is not escaped, and names or attributes whose content is unknown. `Markup(\"<b>%s</b>\") % value` and `Markup(\"<b>{}</b>\").format(value)` are not reported: a constant Markup escapes what is formatted into it. `Markup(x).striptags()` is not reported either.",
    why: "`Markup` marks a string as safe HTML, so Jinja2 and Flask templates insert it without escaping. When part of the string comes from a user, they can inject `<script>` or event-handler attributes and run JavaScript in other users' browsers (XSS).",
    example: `from markupsafe import Markup


def greeting(name):
    return Markup(f"<strong>Hello {name}</strong>")`,
    useInstead: `from markupsafe import Markup


def greeting(name):
    return Markup("<strong>Hello {}</strong>").format(name)  # name is escaped`,
    references: [
      { title: 'MarkupSafe: Working With Safe Text', url: 'https://markupsafe.palletsprojects.com/en/stable/escaping/' },
      { title: 'Jinja: HTML Escaping', url: 'https://jinja.palletsprojects.com/en/stable/templates/#html-escaping' },
      { title: 'OWASP Cross Site Scripting Prevention Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html' },
    ],
  },
});
