import { defineRule } from '../../engine/rule';
import { callArgs } from '../../engine/syntax';
import { reportUnescapedHtml } from '../util/html';

const MARK_SAFE = new Map([
  ['django.utils.safestring.mark_safe', 'mark_safe'],
  ['django.utils.html.mark_safe', 'mark_safe'],
  ['django.utils.safestring.SafeString', 'SafeString'],
  ['django.utils.safestring.SafeText', 'SafeText'],
]);

/** Functions whose result is already escaped (or cannot contain markup). */
const ESCAPERS = new Set([
  'django.utils.html.escape',
  'django.utils.html.conditional_escape',
  'django.utils.html.format_html',
  'django.utils.html.format_html_join',
  'django.utils.html.json_script',
  'django.utils.html.escapejs',
  'django.template.defaultfilters.escape',
  'django.template.defaultfilters.force_escape',
  'django.template.loader.render_to_string',
  'django.urls.reverse',
  'django.templatetags.static.static',
  'django.utils.http.urlencode',
  'django.utils.text.slugify',
  'urllib.parse.quote',
  'urllib.parse.urlencode',
  'html.escape',
  'markupsafe.escape',
  ...MARK_SAFE.keys(),
]);

export default defineRule({
  id: 'SEC703',
  name: 'django-mark-safe',
  local: true,
  summary: '`mark_safe()` on text that is not a constant: Django will not escape it',
  owasp: { '2025': 'A05', '2021': 'A03' },
  cwe: [79],
  severity: 'warning',
  confidence: 'medium',
  aliases: ['B703', 'B308', 'S308'],
  tags: ['django', 'xss'],
  nodeTypes: ['call'],
  appliesTo: (file, facts) => !file.isTest && facts.importedModules.has('django'),
  check(call, ctx) {
    const fn = MARK_SAFE.get(ctx.callName(call) ?? '');
    if (!fn) return;
    const arg = callArgs(call).positional[0];
    if (!arg) return;
    reportUnescapedHtml(ctx, call, arg, fn, ESCAPERS);
  },
  docs: {
    what: "Finds `django.utils.safestring.mark_safe()` (however it is imported) and `SafeString(...)` / `SafeText(...)` applied to anything but a constant: f-strings, `%` and `.format()` templates, concatenations and joins with a value that is not escaped, and names or attributes whose content is unknown. Pieces produced by `escape()`, `conditional_escape()`, `format_html()`, `render_to_string()`, `reverse()`, `json_script()` and numbers are known to be safe. Built strings with an unescaped piece are reported with high confidence; plain names and attributes with medium confidence.",
    why: "`mark_safe()` tells Django's templates not to escape a string. If any part of it comes from a user (a name, a comment, a query parameter), that user can inject `<script>` or an `onerror=` attribute and run JavaScript in other users' sessions: stealing data, acting as them, or defacing pages (stored or reflected XSS).",
    example: `from django.utils.safestring import mark_safe


def badge(user):
    return mark_safe(f"<span class='badge'>{user.display_name}</span>")`,
    useInstead: `from django.utils.html import format_html


def badge(user):
    return format_html("<span class='badge'>{}</span>", user.display_name)`,
    references: [
      { title: 'Django: django.utils.safestring.mark_safe', url: 'https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.safestring.mark_safe' },
      { title: 'Django: django.utils.html.format_html', url: 'https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.html.format_html' },
      { title: 'OWASP Cross Site Scripting Prevention Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html' },
    ],
  },
});
