// npm run new-rule -- SEC123 rule-name [family]: scaffolds a rule the way CONTRIBUTING.md
// describes: the rule file (metadata, docs sections, a check to fill in), its registration in
// the family's index.ts, a fixture with one `expect` and one `ok` line, and the CHANGELOG line.
// It refuses an id or name that exists, a bad id or name, and an unknown family. It writes
// nothing until every check has passed. `--root DIR` works on another checkout (tests use it).

import * as fs from 'node:fs';
import * as path from 'node:path';

const FAMILY_BY_DIGIT: Record<string, string> = {
  '1': 'general',
  '2': 'settings',
  '3': 'calls',
  '4': 'imports',
  '5': 'crypto',
  '6': 'injection',
  '7': 'templates',
  '8': 'exposure',
  '9': 'dataflow',
};

function fail(message: string): never {
  process.stderr.write(`new-rule: ${message}\n`);
  process.exit(2);
}

function camel(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function main(argv: string[]): void {
  let root = path.resolve(__dirname, '..');
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--root') root = path.resolve(argv[++i] ?? fail('--root needs a folder'));
    else args.push(argv[i]!);
  }
  const [id, name, familyArg] = args;
  if (!id || !name) fail('usage: npm run new-rule -- SEC123 rule-name [family]');
  if (!/^SEC\d{3}$/.test(id)) fail(`${id} is not SEC followed by three digits`);
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name)) fail(`${name} is not kebab-case (lower-case words joined by -)`);
  const family = familyArg ?? FAMILY_BY_DIGIT[id[3]!];
  const rules = path.join(root, 'server', 'src', 'rules');
  const familyDir = path.join(rules, family ?? '');
  const index = path.join(familyDir, 'index.ts');
  if (!family || !fs.existsSync(index)) fail(`no rule family folder ${path.relative(root, familyDir)} with an index.ts`);

  // The id and the name must be new across every family.
  for (const dir of fs.readdirSync(rules, { withFileTypes: true })) {
    if (!dir.isDirectory() || dir.name === 'util') continue;
    for (const file of fs.readdirSync(path.join(rules, dir.name))) {
      if (!file.endsWith('.ts') || file === 'index.ts') continue;
      if (file === `${name}.ts`) fail(`a rule named ${name} exists (${dir.name}/${file})`);
      const text = fs.readFileSync(path.join(rules, dir.name, file), 'utf8');
      if (new RegExp(`id:\\s*'${id}'`).test(text)) fail(`${id} is taken by ${dir.name}/${file}`);
    }
  }

  const ruleFile = path.join(familyDir, `${name}.ts`);
  const fixture = path.join(root, 'test', 'fixtures', 'rules', `${name}.py`);
  if (fs.existsSync(fixture)) fail(`${path.relative(root, fixture)} exists`);
  const indexText = fs.readFileSync(index, 'utf8');
  const listMatch = /export const \w+: Rule\[\] = \[([\s\S]*?)\];/.exec(indexText);
  if (!listMatch) fail(`cannot find the rule list in ${path.relative(root, index)}`);
  const changelog = path.join(root, 'CHANGELOG.md');
  const changelogText = fs.existsSync(changelog) ? fs.readFileSync(changelog, 'utf8') : null;

  const ident = camel(name);
  const rule = `import { defineRule } from '../../engine/rule';
import { callArgs } from '../../engine/syntax';

// ${id} ${name}: fill in the check, the metadata and the docs; see CONTRIBUTING.md.
export default defineRule({
  id: '${id}',
  name: '${name}',
  summary: 'One line: what is reported',
  owasp: { '2025': 'A05', '2021': 'A03' },
  cwe: [20],
  severity: 'warning',
  confidence: 'medium',
  aliases: [],
  tags: [],
  nodeTypes: ['call'],
  check(node, ctx) {
    // Example: report calls to \`example.dangerous()\` without \`safe=True\`.
    if (ctx.callName(node) !== 'example.dangerous') return;
    if (callArgs(node).keywordNodes.has('safe')) return;
    ctx.report(node, { message: '\`example.dangerous()\` is called without \`safe=True\`' });
  },
  docs: {
    what: 'What the rule finds, precisely (which calls, which arguments, what is not reported).',
    why: 'Why it matters, in terms of a real attack.',
    example: \`import example

example.dangerous(data)\`,
    useInstead: \`import example

example.dangerous(data, safe=True)\`,
    references: [],
  },
});
`;
  const fixtureText = `"""Fixture for ${id} ${name}: realistic code; every line that must be reported says so."""
import example


def handler(data):
    example.dangerous(data)  # expect: ${id}
    example.dangerous(data, safe=True)  # ok: ${id}
`;
  const imports = indexText.replace(/^(import type \{ Rule \} from '..\/..\/engine\/rule';\n)/m, `$1import ${ident} from './${name}';\n`);
  const body = listMatch[1]!;
  const indent = /\n(\s+)\S/.exec(body)?.[1] ?? '  ';
  const newBody = body.includes('\n') ? `${body.replace(/\s*$/, '')}\n${indent}${ident},\n` : `${body ? `${body.trim().replace(/,$/, '')}, ` : ''}${ident}`;
  const newIndex = imports.replace(listMatch[0], listMatch[0].replace(body, newBody));

  fs.writeFileSync(ruleFile, rule);
  fs.mkdirSync(path.dirname(fixture), { recursive: true });
  fs.writeFileSync(fixture, fixtureText);
  fs.writeFileSync(index, newIndex);
  if (changelogText !== null) {
    const added = changelogText.replace(/## \[Unreleased\]\n(\n### Added\n\n)?/, (m, section: string | undefined) => `${section ? m : `${m}\n### Added\n\n`}- ${id} ${name}.\n`);
    fs.writeFileSync(changelog, added);
  }
  const rel = (p: string): string => path.relative(root, p);
  console.log(`created ${rel(ruleFile)}\ncreated ${rel(fixture)}\nregistered in ${rel(index)}${changelogText !== null ? `\nadded "- ${id} ${name}." to CHANGELOG.md` : ''}`);
  console.log('next: write the check and docs, annotate the fixture, run `npm run docs`, then `npx mocha --ignore "test/e2e/**" -g ' + id + '`.');
}

main(process.argv.slice(2));
