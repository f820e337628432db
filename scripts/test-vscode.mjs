// npm run test:vscode: the VS Code API suite (test/e2e/vscode-suite) in a desktop VS Code
// downloaded by @vscode/test-electron. It needs network access to download VS Code, so it
// runs on developers' machines and public CI, not in the offline CI (which drives
// code-server through a browser instead: test/e2e/scenarios.test.ts).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
execFileSync(process.execPath, [path.join(root, 'scripts', 'build-vscode-suite.mjs')], { stdio: 'inherit' });
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-vscode-'));
try {
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'test', 'e2e', '.out', 'vscode-suite.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
} catch (e) {
  console.error(`VS Code API suite failed or VS Code could not be downloaded: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  fs.rmSync(workspace, { recursive: true, force: true });
}
