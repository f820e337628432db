// Builds the three bundles with esbuild and copies the two .wasm files next to the server.
//   node scripts/build.mjs            production build
//   node scripts/build.mjs --watch    rebuild on change (development)
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  minify: !watch,
  keepNames: true,
  logLevel: 'warning',
  absWorkingDir: root,
  // web-tree-sitter's ESM build locates itself with import.meta.url, which a CommonJS bundle
  // does not have; its CommonJS build uses __dirname instead.
  alias: { 'web-tree-sitter': require.resolve('web-tree-sitter').replace(/\.js$/, '.cjs') },
};

const builds = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js', external: ['vscode'] },
  // Both server bundles are also package bins (`parapet-lsp`, `parapet`): a shebang lets them run directly.
  { entryPoints: ['server/src/lsp/main.ts'], outfile: 'server/out/server.js', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'server/out/cli.js', banner: { js: '#!/usr/bin/env node' } },
];

function copyWasm() {
  const out = path.join(root, 'server', 'out');
  fs.mkdirSync(out, { recursive: true });
  for (const [pkg, file] of [
    ['web-tree-sitter', 'web-tree-sitter.wasm'],
    ['tree-sitter-python', 'tree-sitter-python.wasm'],
  ]) {
    fs.copyFileSync(require.resolve(`${pkg}/${file}`), path.join(out, file));
  }
}

const started = Date.now();
copyWasm();
if (watch) {
  for (const b of builds) {
    const ctx = await esbuild.context({ ...common, ...b });
    await ctx.watch();
  }
  console.log('watching for changes...');
} else {
  await Promise.all(builds.map((b) => esbuild.build({ ...common, ...b })));
  for (const bin of ['cli.js', 'server.js']) fs.chmodSync(path.join(root, 'server', 'out', bin), 0o755);
  console.log(`built client/out/extension.js, server/out/server.js, server/out/cli.js in ${Date.now() - started} ms`);
}
