import type { Node } from '../../engine/parser';
import { defineRule, fix, replace, type RuleContext } from '../../engine/rule';
import { callArgs, isFalse, stringValue, unparen } from '../../engine/syntax';
import { configEntries, configEnvironment, developmentOverride, environmentOfName, environmentOfPath, importsAny } from '../util/frameworks';

const FLASK_FORMS = new Set(['flask_wtf.FlaskForm', 'flask_wtf.form.FlaskForm', 'flask_wtf.Form']);

function enable(value: Node): ReturnType<typeof fix> {
  return fix('Set it to `True`', 'unsafe', replace(value, 'True'));
}

/** `class Meta: csrf = False` inside a `FlaskForm` subclass. */
function checkFormMeta(assign: Node, ctx: RuleContext): void {
  const left = assign.childForFieldName('left');
  const right = assign.childForFieldName('right');
  if (left?.type !== 'identifier' || left.text !== 'csrf' || !isFalse(right)) return;
  const meta = assign.parent?.parent?.parent; // assignment < expression_statement < block < class Meta
  if (meta?.type !== 'class_definition' || meta.childForFieldName('name')?.text !== 'Meta') return;
  const form = meta.parent?.parent;
  if (form?.type !== 'class_definition') return;
  const bases = form.childForFieldName('superclasses')?.namedChildren ?? [];
  if (!bases.some((b) => b && FLASK_FORMS.has(ctx.resolve(b) ?? ''))) return;
  const name = form.childForFieldName('name')?.text ?? 'form';
  if (environmentOfName(name) === 'test') return;
  ctx.report(assign, { message: `CSRF protection is turned off for \`${name}\` (\`Meta.csrf = False\`)`, fixes: [enable(right!)] });
}

/** `SomeForm(meta={"csrf": False})`. */
function checkMetaArgument(call: Node, ctx: RuleContext): void {
  const meta = callArgs(call).keywords.get('meta');
  const dict = meta ? unparen(meta) : null;
  if (dict?.type !== 'dictionary') return;
  for (const pair of dict.namedChildren) {
    if (pair?.type !== 'pair' || stringValue(pair.childForFieldName('key')) !== 'csrf') continue;
    const value = pair.childForFieldName('value');
    if (isFalse(value)) ctx.report(pair, { message: 'CSRF protection is turned off for this form (`meta={"csrf": False}`)', fixes: [enable(value!)] });
  }
}

export default defineRule({
  id: 'SEC214',
  name: 'csrf-protection-disabled',
  local: true,
  summary: 'Flask-WTF CSRF protection switched off (`WTF_CSRF_ENABLED = False`)',
  owasp: { '2025': 'A01', '2021': 'A01' },
  cwe: [352],
  severity: 'error',
  confidence: 'high',
  fix: 'always',
  tags: ['flask', 'csrf'],
  nodeTypes: ['assignment', 'call'],
  appliesTo: (file) => !file.isTest && environmentOfPath(file.path) !== 'test',
  check(node, ctx) {
    if (node.type === 'assignment') checkFormMeta(node, ctx);
    else if (importsAny(ctx.facts, ['flask_wtf'])) checkMetaArgument(node, ctx);
    for (const entry of configEntries(node)) {
      if (entry.key !== 'WTF_CSRF_ENABLED' && entry.key !== 'WTF_CSRF_CHECK_DEFAULT') continue;
      if (!isFalse(entry.value)) continue;
      const env = configEnvironment(entry, ctx);
      if (env === 'test') continue;
      const selective = entry.key === 'WTF_CSRF_CHECK_DEFAULT';
      ctx.report(entry.at, {
        message: selective
          ? '`WTF_CSRF_CHECK_DEFAULT = False`: only views that call `csrf.protect()` are checked for CSRF'
          : 'Flask-WTF CSRF protection is turned off (`WTF_CSRF_ENABLED = False`)',
        ...(selective ? { severity: 'warning' as const, confidence: 'medium' as const } : {}),
        ...developmentOverride(env),
        fixes: [enable(entry.value)],
      });
    }
  },
  docs: {
    what: "Finds Flask-WTF's CSRF protection switched off: `WTF_CSRF_ENABLED = False` (module or config-class level, `app.config[...]`, `app.config.update(...)`), `WTF_CSRF_CHECK_DEFAULT = False` (only views that call `csrf.protect()` are checked; reported as a warning with medium confidence), `class Meta: csrf = False` in a `FlaskForm`, and `meta={\"csrf\": False}` when a form is created. Test configuration is skipped: test files, classes and modules named for testing, and settings next to `TESTING = True` or inside `if app.testing:`.",
    why: 'Without the CSRF token check, any web page a logged-in user visits can submit your forms on their behalf: change their password or email, make purchases, delete data. The browser attaches the session cookie to the cross-site request, so the server cannot tell it from a real one.',
    example: `class Config:
    SECRET_KEY = os.environ["SECRET_KEY"]
    WTF_CSRF_ENABLED = False`,
    useInstead: `class Config:
    SECRET_KEY = os.environ["SECRET_KEY"]
    WTF_CSRF_ENABLED = True  # the default; render {{ form.csrf_token }} in every form


class TestingConfig(Config):
    TESTING = True
    WTF_CSRF_ENABLED = False  # fine in tests`,
    fixSafety: 'The fix sets the value to `True`. Forms and AJAX calls that do not send a CSRF token (JSON API endpoints, JavaScript that posts forms) then fail with 400 until they include `{{ form.csrf_token }}` or the `X-CSRFToken` header, so the fix is unsafe and never applied by fix-all.',
    references: [
      { title: 'Flask-WTF: CSRF Protection', url: 'https://flask-wtf.readthedocs.io/en/latest/csrf/' },
      { title: 'Flask-WTF: Configuration', url: 'https://flask-wtf.readthedocs.io/en/latest/config/' },
      { title: 'OWASP Cross-Site Request Forgery Prevention Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html' },
    ],
  },
});
