// npm run screenshots: runs the end-to-end scenarios in code-server and copies the best
// screenshots into docs/images/ for the README.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const mocha = path.join(path.dirname(require.resolve('mocha/package.json')), 'bin', 'mocha.js');
const r = spawnSync(process.execPath, [mocha, '--spec', 'test/e2e/scenarios.test.ts', '--grep', 'end to end in VS Code|Security Checklist panel'], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);

const e2e = path.join(root, 'test-results', 'e2e');
/** docs/images name -> [session, step]. */
const wanted = {
  'squiggles-and-problems.png': ['editor', 'problems-panel'],
  'hover.png': ['editor', 'hover-jwt'],
  'quick-fix-menu.png': ['editor', 'quick-fix-menu'],
  'checklist-panel.png': ['checklist', 'checklist-evidence-opened'],
};
const out = path.join(root, 'docs', 'images');
fs.mkdirSync(out, { recursive: true });
for (const [name, [session, step]] of Object.entries(wanted)) {
  const shots = path.join(e2e, session, 'shots');
  const file = fs.readdirSync(shots).find((f) => f.endsWith(`-${step}.png`));
  if (!file) throw new Error(`no screenshot for step ${step}`);
  fs.copyFileSync(path.join(shots, file), path.join(out, name));
  console.log(`docs/images/${name} <- ${file}`);
}
