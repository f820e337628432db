import type { Node } from '../../engine/parser';
import { defineRule, type RuleContext } from '../../engine/rule';
import { callArgs, stringValue, unparen } from '../../engine/syntax';
import { configEntries, configEnvironment, developmentOverride, environmentOfPath, type Environment } from '../util/frameworks';

/** The `"*"` items of a list, tuple or set literal (or a bare `"*"` string). */
function wildcards(value: Node | null | undefined): Node[] {
  if (!value) return [];
  const v = unparen(value);
  if (stringValue(v) === '*') return [v];
  if (v.type !== 'list' && v.type !== 'tuple' && v.type !== 'set') return [];
  return v.namedChildren.filter((c): c is Node => !!c && stringValue(c) === '*');
}

function report(ctx: RuleContext, at: Node, env: Environment | null): void {
  ctx.report(at, { message: '`ALLOWED_HOSTS` accepts any host (`"*"`)', ...developmentOverride(env) });
}

/** Module level only: `ALLOWED_HOSTS += ["*"]` and `ALLOWED_HOSTS.append("*")` / `.extend([...])`. */
function isModuleLevel(node: Node): boolean {
  return node.parent?.type === 'expression_statement' && node.parent.parent?.type === 'module';
}

export default defineRule({
  id: 'SEC212',
  name: 'django-allowed-hosts-wildcard',
  local: true,
  summary: '`ALLOWED_HOSTS = ["*"]`: Django trusts any `Host` header',
  owasp: { '2025': 'A02', '2021': 'A05' },
  cwe: [20],
  severity: 'warning',
  confidence: 'high',
  tags: ['django'],
  nodeTypes: ['assignment', 'augmented_assignment', 'call'],
  appliesTo: (file) => file.isSettings && !file.isTest && environmentOfPath(file.path) !== 'test',
  check(node, ctx) {
    if (node.type === 'assignment') {
      for (const entry of configEntries(node)) {
        if (entry.key !== 'ALLOWED_HOSTS' || (entry.form !== 'module' && entry.form !== 'class')) continue;
        const env = configEnvironment(entry, ctx);
        if (env === 'test') continue;
        for (const star of wildcards(entry.value)) report(ctx, star, env);
      }
      return;
    }
    const env = environmentOfPath(ctx.file.path);
    if (node.type === 'augmented_assignment') {
      if (node.childForFieldName('left')?.text !== 'ALLOWED_HOSTS' || !isModuleLevel(node)) return;
      for (const star of wildcards(node.childForFieldName('right'))) report(ctx, star, env);
      return;
    }
    const fn = node.childForFieldName('function');
    const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : null;
    if (fn?.childForFieldName('object')?.text !== 'ALLOWED_HOSTS' || !isModuleLevel(node)) return;
    const args = callArgs(node).positional;
    const added = method === 'append' || method === 'extend' ? args[0] : method === 'insert' ? args[1] : null;
    for (const star of wildcards(added)) report(ctx, star, env);
  },
  docs: {
    what: 'Finds `"*"` in `ALLOWED_HOSTS` in a Django settings module: `ALLOWED_HOSTS = ["*"]`, `ALLOWED_HOSTS += ["*"]`, `ALLOWED_HOSTS.append("*")`. Values computed at run time (`env.list("ALLOWED_HOSTS")`) and lists chosen by a condition (`["*"] if DEBUG else [...]`) are not reported. Modules named for development are reported as information with low confidence; test settings are skipped.',
    why: 'Django builds absolute URLs from the request\'s `Host` header: password-reset links, `request.build_absolute_uri()`, redirects. With `"*"`, Django accepts any host, so an attacker who sends a reset request for a victim with `Host: attacker.example` gets a reset link pointing at their own server mailed to the victim (password-reset poisoning), and cache poisoning becomes possible behind shared caches. Listing the real domains makes Django reject such requests with a 400.',
    example: `ALLOWED_HOSTS = ["*"]`,
    useInstead: `ALLOWED_HOSTS = ["example.com", ".example.com"]  # ".example.com" also allows subdomains`,
    references: [
      { title: 'Django settings: ALLOWED_HOSTS', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#allowed-hosts' },
      { title: 'Django security: Host header validation', url: 'https://docs.djangoproject.com/en/stable/topics/security/#host-header-validation' },
      { title: 'PortSwigger: Password reset poisoning', url: 'https://portswigger.net/web-security/host-header/exploiting/password-reset-poisoning' },
    ],
  },
});
