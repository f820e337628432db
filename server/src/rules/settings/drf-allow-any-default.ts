import type { Node } from '../../engine/parser';
import { defineRule } from '../../engine/rule';
import { stringValue, unparen } from '../../engine/syntax';
import { configEntries, configEnvironment, developmentOverride, environmentOfName, environmentOfPath } from '../util/frameworks';
import { completeProductionKey, isCompleteProductionSettings, mentionedOutsideMiddleware, mentionsKey } from '../util/settings-values';

const ALLOW_ANY = 'rest_framework.permissions.AllowAny';

/** The `"KEY": value` pair of a dict literal, or null. */
function pairOf(dict: Node, key: string): Node | null {
  for (const p of dict.namedChildren) if (p?.type === 'pair' && stringValue(p.childForFieldName('key')) === key) return p;
  return null;
}

export default defineRule({
  id: 'SEC224',
  name: 'drf-allow-any-default',
  local: true,
  fileKey: (ctx) => `${completeProductionKey(ctx)}|${mentionsKey(ctx)}`,
  summary: 'Django REST framework lets anyone call every API view by default (`AllowAny` default permission)',
  owasp: { '2025': 'A01', '2021': 'A01' },
  cwe: [862, 1188],
  severity: 'warning',
  confidence: 'high',
  tags: ['django', 'drf', 'authorization'],
  nodeTypes: ['assignment'],
  appliesTo: (file) => file.isSettings && !file.isTest && environmentOfPath(file.path) !== 'test',
  check(node, ctx) {
    for (const entry of configEntries(node)) {
      if (entry.key !== 'REST_FRAMEWORK') continue;
      if (entry.form === 'class' ? environmentOfName(entry.owner?.childForFieldName('name')?.text ?? '') !== 'production' : entry.form !== 'module') continue;
      const dict = unparen(entry.value);
      if (dict.type !== 'dictionary') continue;
      const env = configEnvironment(entry, ctx);
      if (env === 'test') continue;
      const pair = pairOf(dict, 'DEFAULT_PERMISSION_CLASSES');
      if (pair) {
        const value = unparen(pair.childForFieldName('value')!);
        if (value.type !== 'list' && value.type !== 'tuple') continue;
        const items = value.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
        // Permissions are combined with AND: AllowAny next to IsAuthenticated changes nothing.
        const names = items.map((i) => stringValue(i));
        if (names.some((n) => n !== ALLOW_ANY)) continue;
        ctx.report(pair, {
          message: items.length
            ? '`DEFAULT_PERMISSION_CLASSES` is `AllowAny`: every API view without its own `permission_classes` is open to anonymous users'
            : '`DEFAULT_PERMISSION_CLASSES` is empty: every API view without its own `permission_classes` is open to anonymous users',
          ...developmentOverride(env),
        });
        continue;
      }
      // No default at all: DRF falls back to AllowAny. Only in the complete production settings,
      // and only when nothing else in the module sets it (`REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] = ...`).
      if (dict.namedChildren.some((c) => c?.type === 'dictionary_splat')) continue;
      if (!isCompleteProductionSettings(ctx) || mentionedOutsideMiddleware(ctx, 'DEFAULT_PERMISSION_CLASSES')) continue;
      ctx.report(entry.form === 'module' ? (node.childForFieldName('left') ?? node) : node, {
        message: '`REST_FRAMEWORK` sets no `DEFAULT_PERMISSION_CLASSES`, so DRF defaults to `AllowAny`: views without their own `permission_classes` are open to anonymous users',
        confidence: 'low',
      });
    }
  },
  docs: {
    what: "Finds a Django REST framework configuration whose default permission lets anyone in: `REST_FRAMEWORK = {\"DEFAULT_PERMISSION_CLASSES\": [\"rest_framework.permissions.AllowAny\"]}` or an empty list (high confidence), and, with low confidence, a `REST_FRAMEWORK` dict in a complete production settings module that does not set `DEFAULT_PERMISSION_CLASSES` at all (DRF's default is `AllowAny`). A list that combines `AllowAny` with another class is not reported: DRF requires every class to allow the request, so the other class decides. Test settings are skipped; development settings are reported as information. Per-view `permission_classes = [AllowAny]` is not reported: public endpoints (sign-up, login, health checks) are legitimate.",
    why: "With `AllowAny` as the default, every view, viewset and router endpoint that forgets `permission_classes` is reachable without logging in: a new `ModelViewSet` exposes list, create, update and delete on its whole table to the internet. A secure default (`IsAuthenticated`) makes the forgotten case fail closed, and public views opt out explicitly.",
    example: `REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
}`,
    useInstead: `REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}

# views.py: public endpoints opt out explicitly
class SignUpView(generics.CreateAPIView):
    permission_classes = [AllowAny]`,
    references: [
      { title: 'Django REST framework: Permissions (setting the permission policy)', url: 'https://www.django-rest-framework.org/api-guide/permissions/#setting-the-permission-policy' },
      { title: 'OWASP API Security Top 10: API5 Broken Function Level Authorization', url: 'https://owasp.org/API-Security/editions/2023/en/0xa5-broken-function-level-authorization/' },
    ],
  },
});
