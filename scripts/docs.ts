// Regenerates the files derived from rule metadata: RULES.md and the rule-id completions of
// the `parapet.rules.*` settings in package.json. `npm run docs`; test/docs.test.ts fails when
// either is stale.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { generatedFiles } from '../server/src/engine/generated';
import { ALL_RULES } from '../server/src/rules';

const root = path.resolve(__dirname, '..');
for (const [file, content] of Object.entries(generatedFiles(ALL_RULES, fs.readFileSync(path.join(root, 'package.json'), 'utf8')))) {
  const target = path.join(root, file);
  const before = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  if (before !== content) {
    fs.writeFileSync(target, content);
    console.log(`updated ${file}`);
  } else console.log(`${file} is up to date`);
}
