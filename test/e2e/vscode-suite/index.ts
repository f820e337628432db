// Entry point VS Code calls with --extensionTestsPath: runs the API-level suite with mocha
// inside the extension host and reports "N passed, N failed" (also to a results file when
// PARAPET_VSCODE_RESULTS is set, for runners that cannot read the extension host's exit code).

import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { registerSuite } from './suite';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false });
  mocha.suite.emit('pre-require', globalThis, 'suite', mocha);
  registerSuite();
  return new Promise((resolve, reject) => {
    let passed = 0;
    let failed = 0;
    const failures: string[] = [];
    const runner = mocha.run(() => {
      const line = `${passed} passed, ${failed} failed`;
      console.log(line);
      // Where the runner looks: an explicit path, else a file in the workspace folder.
      const folder = process.env['PARAPET_VSCODE_RESULTS'] ? undefined : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      const out = process.env['PARAPET_VSCODE_RESULTS'] ?? (folder ? path.join(folder, '.parapet-vscode-results.json') : undefined);
      if (out) fs.writeFileSync(out, JSON.stringify({ passed, failed, failures }, null, 2));
      if (failed > 0) reject(new Error(`${failed} VS Code API test(s) failed:\n${failures.join('\n')}`));
      else resolve();
    });
    runner.on('pass', () => passed++);
    runner.on('fail', (test, err: Error) => {
      failed++;
      failures.push(`${test.fullTitle()}: ${err.message}`);
    });
  });
}
