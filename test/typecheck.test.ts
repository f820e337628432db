// The whole repository type-checks (strict, project references): part of the suite so CI
// counts it with the other tests.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

describe('typescript', function () {
  this.timeout(180_000);
  it('tsc -b passes for server, client and tests', () => {
    const root = path.resolve(__dirname, '..');
    const r = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });
});
