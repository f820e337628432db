// Ruff's S rules (@astral-sh/ruff-wasm-nodejs) over every .py file under the given folders,
// in this one Node process: the Ruff side of `npm run bench`. Prints {files, findings} as JSON.
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const ruff = require('@astral-sh/ruff-wasm-nodejs');

function walk(dir, out) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile() && e.name.endsWith('.py')) out.push(p);
  }
  return out;
}

const files = process.argv.slice(2).flatMap((d) => walk(d, [])).sort();
const ws = new ruff.Workspace({ lint: { select: ['S'] } }, ruff.PositionEncoding.Utf16);
let findings = 0;
for (const f of files) {
  try {
    findings += ws.check(fs.readFileSync(f, 'utf8')).filter((d) => d.code?.startsWith('S')).length;
  } catch {
    // A file Ruff cannot read is skipped, as Parapet and Bandit skip theirs.
  }
}
process.stdout.write(JSON.stringify({ files: files.length, findings }) + '\n');
