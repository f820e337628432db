import { defineRule, fix, replace } from '../../engine/rule';
import { isTrue } from '../../engine/syntax';
import { configEntries, configEnvironment, developmentOverride, environmentOfName } from '../util/frameworks';

export default defineRule({
  id: 'SEC210',
  name: 'django-debug-true',
  local: true,
  summary: '`DEBUG = True` in a Django settings module: error pages show settings, SQL and source to visitors',
  owasp: { '2025': 'A02', '2021': 'A05' },
  cwe: [489, 215],
  severity: 'warning',
  confidence: 'high',
  fix: 'always',
  tags: ['django', 'debug'],
  nodeTypes: ['assignment'],
  appliesTo: (file) => file.isSettings && !file.isTest,
  check(node, ctx) {
    for (const entry of configEntries(node)) {
      if (entry.key !== 'DEBUG' || !isTrue(entry.value)) continue;
      // Class-level settings (django-configurations) only in classes named for production.
      if (entry.form === 'class' && environmentOfName(entry.owner?.childForFieldName('name')?.text ?? '') !== 'production') continue;
      if (entry.form !== 'module' && entry.form !== 'class') continue;
      const env = configEnvironment(entry, ctx);
      if (env === 'test') continue;
      const os = ctx.requireImport('os');
      ctx.report(entry.at, {
        message: '`DEBUG = True` in a Django settings module',
        ...developmentOverride(env),
        fixes: [
          fix('Read `DEBUG` from the `DJANGO_DEBUG` environment variable (off unless it is "1")', 'unsafe', replace(entry.value, `${os.ref}.environ.get("DJANGO_DEBUG") == "1"`), os.edits),
          fix('Set `DEBUG = False`', 'unsafe', replace(entry.value, 'False')),
        ],
      });
    }
  },
  docs: {
    what: `Finds \`DEBUG = True\` at the top level of a Django settings module (\`settings.py\`, \`settings/*.py\`, \`*_settings.py\`, or any module that sets \`INSTALLED_APPS\`, \`MIDDLEWARE\` and the like), and in django-configurations classes named for production. Assignments inside \`if\` blocks are environment-gated and not reported, nor are values read from the environment (\`env.bool("DEBUG", default=False)\`). Test settings (\`settings/test.py\`, \`test_settings.py\`) are skipped. Modules whose name says they are for development (\`settings/local.py\`, \`dev_settings.py\`) are reported as information with low confidence; if such a file never reaches a server, silence it with \`per-file-ignores\` in \`[tool.parapet]\`.`,
    why: `With \`DEBUG = True\`, every error shows Django's technical error page: a full traceback with local variables, the settings (only values whose names look secret are masked), the SQL queries run and the installed apps. Django also keeps every SQL query in memory and serves media without checks. Anyone who can trigger a 404 or a 500 learns how the application is built and often finds credentials in local variables.`,
    example: `# mysite/settings.py
DEBUG = True
ALLOWED_HOSTS = ["example.com"]`,
    useInstead: `# mysite/settings.py
import os

DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
ALLOWED_HOSTS = ["example.com"]`,
    fixSafety: `The preferred fix reads \`DEBUG\` from the \`DJANGO_DEBUG\` environment variable, off unless it is exactly \`"1"\` (adding \`import os\` when missing), so production is safe by default and developers opt in locally. The other fix sets \`DEBUG = False\`. Both change local behaviour: \`runserver\` stops serving static files and showing debug pages until \`DJANGO_DEBUG=1\` is set, and with \`DEBUG = False\` Django refuses requests whose host is not in \`ALLOWED_HOSTS\`. They are unsafe and never applied by fix-all.`,
    references: [
      { title: 'Django settings: DEBUG', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#debug' },
      { title: 'Django deployment checklist', url: 'https://docs.djangoproject.com/en/stable/howto/deployment/checklist/' },
    ],
  },
});
