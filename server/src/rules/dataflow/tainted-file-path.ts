import { defineRule } from '../../engine/rule';
import { builtinCalled } from '../../engine/scope';
import { SinkKind } from '../../engine/taint';
import { callArgs } from '../../engine/syntax';
import { FLOW_NOTE, reportFlows } from './report';

const PATH_CALLS = new Set(['io.open', 'codecs.open', 'os.open', 'os.remove', 'os.unlink', 'os.rmdir', 'os.rename', 'os.makedirs', 'os.mkdir', 'os.listdir', 'os.scandir', 'shutil.rmtree', 'shutil.copy', 'shutil.copyfile', 'shutil.move', 'flask.send_file', 'starlette.responses.FileResponse', 'fastapi.responses.FileResponse', 'django.http.FileResponse', 'tarfile.open', 'zipfile.ZipFile']);
const PATH_METHODS = new Set(['read_text', 'read_bytes', 'write_text', 'write_bytes', 'unlink', 'rmdir', 'open']);

export default defineRule({
  id: 'SEC905',
  name: 'tainted-file-path',
  summary: 'Request data or other untrusted input chooses a file path (path traversal)',
  owasp: { '2025': 'A01', '2021': 'A01' },
  cwe: [22],
  severity: 'error',
  confidence: 'high',
  tags: ['dataflow', 'flask', 'django', 'fastapi'],
  nodeTypes: ['call'],
  check(call, ctx) {
    const args = callArgs(call);
    const first = args.positional[0] ?? args.keywords.get('file') ?? args.keywords.get('path') ?? args.keywords.get('path_or_file') ?? args.keywords.get('filename') ?? null;
    const fn = call.childForFieldName('function');
    const builtin = fn && (fn.type === 'attribute' || fn.text === 'open') ? builtinCalled(call, ctx) : null;
    if (builtin === 'open') {
      reportFlows(ctx, first ?? call, first, SinkKind.path, 'the path given to `open()`');
      return;
    }
    const name = ctx.callName(call);
    if (name && PATH_CALLS.has(name)) {
      reportFlows(ctx, first ?? call, first, SinkKind.path, `the path given to \`${name.split('.').pop()}()\``);
      return;
    }
    // `Path(user).read_text()`: a path object built from the data.
    if (fn?.type === 'attribute' && PATH_METHODS.has(fn.childForFieldName('attribute')?.text ?? '')) {
      const obj = fn.childForFieldName('object');
      if (obj?.type === 'call' && /^pathlib\.(Path|PurePath|PosixPath)$/.test(ctx.callName(obj) ?? '')) {
        reportFlows(ctx, obj, obj, SinkKind.path, `the path of \`.${fn.childForFieldName('attribute')!.text}()\``);
      }
    }
  },
  docs: {
    what: 'Reports untrusted data (request data, uploaded file names, route parameters, `sys.argv`) that reaches a file path: `open()`, `os.remove()`/`os.unlink()`, `shutil` copies and removals, `pathlib.Path(...).read_text()` and relatives, Flask `send_file()`, and `FileResponse` in Starlette, FastAPI and Django. Joining the data under a base directory (`os.path.join(BASE, name)`) does not make it safe and is followed; `os.path.basename()`, `werkzeug.utils.secure_filename()`, `safe_join()` and an allowlist check are sanitizers. `send_from_directory()` is safe and not reported.' + FLOW_NOTE,
    why: '`../../etc/passwd` or an absolute path in a file name reads or overwrites files outside the folder the code meant: configuration, keys, source code, other users\' uploads.',
    example: `import os
from flask import request, send_file

@app.route("/download")
def download():
    return send_file(os.path.join("/srv/files", request.args["name"]))`,
    useInstead: `from flask import request, send_from_directory

@app.route("/download")
def download():
    return send_from_directory("/srv/files", request.args["name"])`,
    references: [{ title: 'OWASP Path Traversal', url: 'https://owasp.org/www-community/attacks/Path_Traversal' }],
  },
});
