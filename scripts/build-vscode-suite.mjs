// Bundles the VS Code API test suite (test/e2e/vscode-suite) for --extensionTestsPath.
import * as esbuild from 'esbuild';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
await esbuild.build({
  absWorkingDir: root,
  entryPoints: ['test/e2e/vscode-suite/index.ts'],
  outfile: 'test/e2e/.out/vscode-suite.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', 'mocha'],
  sourcemap: 'inline',
  logLevel: 'warning',
});
