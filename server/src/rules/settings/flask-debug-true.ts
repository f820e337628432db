import type { Node } from '../../engine/parser';
import { defineRule, fix, replace, type RuleContext } from '../../engine/rule';
import { callArgs, dottedName, isTrue } from '../../engine/syntax';
import type { Fix } from '../../engine/types';
import { removeArgument } from '../util/edits';
import {
  configEntries,
  configEnvironment,
  developmentOverride,
  environmentOfName,
  environmentOfPath,
  constructedKey,
  importsAny,
  isConstructedBy,
  type Environment,
} from '../util/frameworks';

/** Modules whose presence makes `x.run(debug=True)` a Flask (or Flask-wrapping) server. */
const FLASK_MODULES = ['flask', 'flask_socketio', 'dash', 'quart'];
/** `.run()` of these is not a web app: `asyncio.run(main(), debug=True)` is asyncio's debug mode. */
const NOT_APPS = /^(asyncio|uvicorn|hypercorn|trio|anyio|subprocess|daphne|waitress|unittest|pytest|doctest)\./;
/** Names an application object is conventionally given when it is imported or built by a factory. */
const APP_NAME = /^(app|application|flask_app|webapp|server|[a-z_]+_app)$/;

/** How sure we are that `receiver` is a Flask application; null when it is not. */
function flaskReceiver(receiver: Node | null, ctx: RuleContext): 'high' | 'medium' | null {
  if (!receiver) return null;
  if (isConstructedBy(receiver, 'flaskApp', ctx)) return 'high';
  const head = dottedName(receiver)?.split('.')[0] ?? '';
  if (head === 'current_app' && ctx.resolve(receiver)?.startsWith('flask.')) return 'high';
  const flaskFile = importsAny(ctx.facts, FLASK_MODULES);
  if (receiver.type === 'identifier' && APP_NAME.test(receiver.text)) return flaskFile ? 'high' : 'medium';
  return flaskFile ? 'high' : null;
}

function setFalse(value: Node, what: string): Fix {
  return fix(`Set ${what} to \`False\``, 'unsafe', replace(value, 'False'));
}

function report(ctx: RuleContext, at: Node, message: string, confidence: 'high' | 'medium', env: Environment | null, fixes: Fix[]): void {
  ctx.report(at, { message, confidence, ...developmentOverride(env), fixes });
}

function checkRun(call: Node, ctx: RuleContext): void {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'run') return;
  const args = callArgs(call);
  const debug = args.keywords.get('debug');
  if (!isTrue(debug)) return;
  if (NOT_APPS.test(ctx.callName(call) ?? '')) return;
  const confidence = flaskReceiver(fn.childForFieldName('object'), ctx);
  if (!confidence) return;
  const kw = args.keywordNodes.get('debug')!;
  report(ctx, kw, 'Flask app runs with `debug=True`, which enables the interactive Werkzeug debugger', confidence, environmentOfPath(ctx.file.path), [
    fix('Remove `debug=True` (turn debugging on with `FLASK_DEBUG=1` when running locally)', 'unsafe', removeArgument(kw)),
    setFalse(debug!, '`debug`'),
  ]);
}

function checkAttribute(assign: Node, ctx: RuleContext): void {
  const left = assign.childForFieldName('left');
  const right = assign.childForFieldName('right');
  if (left?.type !== 'attribute' || left.childForFieldName('attribute')?.text !== 'debug' || !isTrue(right)) return;
  const receiver = left.childForFieldName('object');
  // `handler.debug = True` in a Flask project is not the app: the receiver must be an app this
  // file builds, `current_app`, or conventionally named like one.
  let confidence: 'high' | 'medium' | null = null;
  if (isConstructedBy(receiver, 'flaskApp', ctx) || (receiver?.text === 'current_app' && ctx.resolve(receiver)?.startsWith('flask.'))) confidence = 'high';
  else if (receiver?.type === 'identifier' && APP_NAME.test(receiver.text)) confidence = importsAny(ctx.facts, FLASK_MODULES) ? 'high' : 'medium';
  if (!confidence) return;
  report(ctx, assign, 'Flask debug mode is switched on with `app.debug = True`', confidence, environmentOfPath(ctx.file.path), [setFalse(right!, '`app.debug`')]);
}

export default defineRule({
  id: 'SEC201',
  name: 'flask-debug-true',
  local: true,
  fileKey: constructedKey,
  summary: 'Flask application with debug mode on: the Werkzeug debugger runs code for anyone who reaches it',
  owasp: { '2025': 'A02', '2021': 'A05' },
  cwe: [489, 215, 94],
  severity: 'error',
  confidence: 'high',
  fix: 'always',
  aliases: ['B201', 'S201'],
  tags: ['flask', 'debug'],
  nodeTypes: ['call', 'assignment'],
  appliesTo: (file) => !file.isTest && environmentOfPath(file.path) !== 'test',
  check(node, ctx) {
    if (node.type === 'call') checkRun(node, ctx);
    else checkAttribute(node, ctx);
    for (const entry of configEntries(node)) {
      if (entry.key !== 'DEBUG' || !isTrue(entry.value)) continue;
      if (entry.form === 'module') continue; // a bare `DEBUG = True` is a Django setting (SEC210)
      if (entry.form === 'class') {
        // Only config classes that say they are for production: `DevelopmentConfig.DEBUG = True` is the point of it.
        const name = entry.owner?.childForFieldName('name')?.text ?? '';
        if (ctx.file.isSettings || environmentOfName(name) !== 'production') continue;
        report(ctx, entry.at, `\`DEBUG = True\` in \`${name}\`, a production configuration`, 'high', null, [setFalse(entry.value, '`DEBUG`')]);
        continue;
      }
      const env = configEnvironment(entry, ctx);
      if (env === 'test') continue;
      const flask = importsAny(ctx.facts, FLASK_MODULES) ? 'high' : 'medium';
      report(ctx, entry.at, 'Flask debug mode is switched on with the `DEBUG` config value', flask, env, [setFalse(entry.value, '`DEBUG`')]);
    }
  },
  docs: {
    what: `Finds Flask applications put in debug mode: \`app.run(debug=True)\`, \`app.debug = True\`, \`app.config["DEBUG"] = True\`, \`app.config.update(DEBUG=True)\`, and \`DEBUG = True\` in a config class whose name says it is for production (\`ProductionConfig\`). The receiver of \`.run()\` must be an app this file creates with \`Flask(...)\`, or the file must import Flask; in a file that does neither, \`app.run(debug=True)\` is reported with medium confidence. Test files, settings guarded by \`TESTING = True\` and \`if app.debug:\`-style blocks are skipped; files and classes named for development (\`dev.py\`, \`DevelopmentConfig\`) are reported as information with low confidence.`,
    why: `Debug mode turns on the Werkzeug debugger: any unhandled exception shows an in-browser Python console. The console is protected only by a PIN that is derived from machine facts (user name, MAC address, machine id) that an attacker can often read through another bug such as a path traversal, and then it gives remote code execution. Debug mode also shows source code and full tracebacks to every visitor.`,
    example: `from flask import Flask

app = Flask(__name__)

if __name__ == "__main__":
    app.run(host="0.0.0.0", debug=True)`,
    useInstead: `from flask import Flask

app = Flask(__name__)

if __name__ == "__main__":
    # Debug locally with: FLASK_DEBUG=1 python app.py (or flask --app app run --debug)
    app.run(host="0.0.0.0")`,
    fixSafety: `For \`app.run(debug=True)\` the first fix removes the argument: \`app.run()\` then follows the \`FLASK_DEBUG\` environment variable, so local debugging keeps working with \`FLASK_DEBUG=1\`. The other fix sets the value to \`False\`. Both change what developers see (no debugger, no automatic reloader), so they are unsafe and never applied by fix-all.`,
    references: [
      { title: 'Flask: Debugging Application Errors', url: 'https://flask.palletsprojects.com/en/stable/debugging/' },
      { title: 'Flask configuration: DEBUG', url: 'https://flask.palletsprojects.com/en/stable/config/#DEBUG' },
      { title: 'Werkzeug: Debugging Applications', url: 'https://werkzeug.palletsprojects.com/en/stable/debug/' },
    ],
  },
});
