import { defineRule, fix, replace } from '../../engine/rule';
import { callArgs, isTrue } from '../../engine/syntax';
import { constructedKey, developmentOverride, environmentOfPath, importsAny, isConstructedBy } from '../util/frameworks';

const APPS = new Map([
  ['fastapi.FastAPI', 'FastAPI'],
  ['fastapi.applications.FastAPI', 'FastAPI'],
  ['starlette.applications.Starlette', 'Starlette'],
]);

export default defineRule({
  id: 'SEC211',
  name: 'fastapi-debug-true',
  local: true,
  fileKey: constructedKey,
  summary: 'FastAPI or Starlette application created with `debug=True`: tracebacks are sent to clients',
  owasp: { '2025': 'A02', '2021': 'A05' },
  cwe: [489, 215],
  severity: 'warning',
  confidence: 'high',
  fix: 'always',
  tags: ['fastapi', 'starlette', 'debug'],
  nodeTypes: ['call', 'assignment'],
  appliesTo: (file, facts) => !file.isTest && environmentOfPath(file.path) !== 'test' && importsAny(facts, ['fastapi', 'starlette']),
  check(node, ctx) {
    const env = developmentOverride(environmentOfPath(ctx.file.path));
    if (node.type === 'call') {
      const framework = APPS.get(ctx.callName(node) ?? '');
      if (!framework) return;
      const args = callArgs(node);
      const debug = args.keywords.get('debug');
      if (!isTrue(debug)) return;
      ctx.report(args.keywordNodes.get('debug')!, {
        message: `${framework} application created with \`debug=True\``,
        ...env,
        fixes: [fix('Set `debug=False`', 'unsafe', replace(debug!, 'False'))],
      });
      return;
    }
    // `app.debug = True` on an application this file creates.
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (left?.type !== 'attribute' || left.childForFieldName('attribute')?.text !== 'debug' || !isTrue(right)) return;
    if (!isConstructedBy(left.childForFieldName('object'), 'asgiApp', ctx)) return;
    ctx.report(node, { message: 'FastAPI or Starlette debug mode is switched on with `app.debug = True`', ...env, fixes: [fix('Set `app.debug = False`', 'unsafe', replace(right!, 'False'))] });
  },
  docs: {
    what: 'Finds `FastAPI(debug=True)` and `Starlette(debug=True)` (however they are imported), and `app.debug = True` on an application the file creates. Test files are skipped; files named for development (`dev.py`) are reported as information with low confidence.',
    why: "In debug mode Starlette's `ServerErrorMiddleware` answers every unhandled exception with the full traceback, as HTML or text, to whoever sent the request. The traceback shows source lines, file paths and library versions, and often the values that caused the error: tokens, SQL, internal URLs. That is a map for the next attack.",
    example: `from fastapi import FastAPI

app = FastAPI(title="Orders", debug=True)`,
    useInstead: `import os

from fastapi import FastAPI

app = FastAPI(title="Orders", debug=os.environ.get("APP_DEBUG") == "1")`,
    fixSafety: 'The fix sets `debug=False`. Developers then see tracebacks only in the server log rather than in the browser or API client, a change in behaviour, so the fix is unsafe and never applied by fix-all.',
    references: [
      { title: 'Starlette: Applications (the `debug` parameter)', url: 'https://www.starlette.io/applications/' },
      { title: 'FastAPI reference: FastAPI class', url: 'https://fastapi.tiangolo.com/reference/fastapi/' },
    ],
  },
});
