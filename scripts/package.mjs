// npm run package: builds the bundles and packs parapet-<version>.vsix with @vscode/vsce,
// then lists what is inside (the .vscodeignore allow-list decides) and the total size.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const out = path.join(root, `parapet-${version}.vsix`);
const vsce = path.join(path.dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');

execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--skip-license', '--out', out], { cwd: root, encoding: 'utf8' });
if (r.status !== 0) {
  process.stderr.write(r.stdout + r.stderr);
  process.exit(r.status ?? 1);
}
const ls = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' });
const files = ls.stdout.split('\n').filter(Boolean).sort();
let total = 0;
for (const f of files) {
  const size = fs.statSync(path.join(root, f)).size;
  total += size;
  console.log(`  ${(size / 1024).toFixed(0).padStart(6)} KB  ${f}`);
}
const packed = fs.statSync(out).size;
console.log(`${path.basename(out)}: ${files.length} files, ${(total / 1048576).toFixed(2)} MB unpacked, ${(packed / 1048576).toFixed(2)} MB packed`);
