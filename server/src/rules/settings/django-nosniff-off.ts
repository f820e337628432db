import { defineRule } from '../../engine/rule';
import { constructedKey, environmentOfPath } from '../util/frameworks';
import { reportSettingOff } from '../util/settings-values';

export default defineRule({
  id: 'SEC221',
  name: 'django-nosniff-off',
  // Settings read through `env = environ.Env()` anywhere in the module (`effectiveValue`).
  local: true,
  fileKey: constructedKey,
  summary: '`SECURE_CONTENT_TYPE_NOSNIFF = False`: browsers may treat uploaded files as HTML or scripts',
  owasp: { '2025': 'A02', '2021': 'A05' },
  cwe: [693, 79],
  severity: 'warning',
  confidence: 'high',
  fix: 'sometimes',
  tags: ['django', 'headers'],
  nodeTypes: ['assignment'],
  appliesTo: (file) => file.isSettings && !file.isTest && environmentOfPath(file.path) !== 'test',
  check(node, ctx) {
    reportSettingOff(node, ctx, 'SECURE_CONTENT_TYPE_NOSNIFF', '`SECURE_CONTENT_TYPE_NOSNIFF = False`: Django stops sending `X-Content-Type-Options: nosniff`');
  },
  docs: {
    what: "Finds `SECURE_CONTENT_TYPE_NOSNIFF = False` (or a false default of an environment read, with medium confidence) in a Django settings module. The setting defaults to `True` since Django 3.0, so only an explicit `False` is reported. Test settings are skipped; development settings are reported as information.",
    why: "Without `X-Content-Type-Options: nosniff`, browsers may guess a response's type from its content. A user-uploaded file served as `text/plain` or `image/png` that contains HTML or JavaScript can then run as a page or a script on your origin (stored cross-site scripting through uploads), and a JSON response can be loaded as a script by another site.",
    example: `SECURE_CONTENT_TYPE_NOSNIFF = False`,
    useInstead: `SECURE_CONTENT_TYPE_NOSNIFF = True  # the default since Django 3.0; or delete the line`,
    fixSafety: "The fix sets the value to `True`. It is unsafe: with `nosniff`, browsers refuse to run scripts and apply style sheets that are served with a wrong `Content-Type` (for example JavaScript served as `text/plain` by a misconfigured static file server), which breaks those pages until the types are fixed.",
    references: [
      { title: 'Django settings: SECURE_CONTENT_TYPE_NOSNIFF', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#secure-content-type-nosniff' },
      { title: 'MDN: X-Content-Type-Options', url: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/X-Content-Type-Options' },
    ],
  },
});
