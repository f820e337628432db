// The extension manifest (package.json) as the Marketplace and VS Code read it: icon, gallery
// banner, settings with Markdown descriptions, commands with categories, and a walkthrough whose
// commands exist and whose media files are shipped (allowed by .vscodeignore).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

interface Manifest {
  icon: string;
  galleryBanner: { color: string; theme: string };
  categories: string[];
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    configuration: { properties: Record<string, { markdownDescription?: string; description?: string }> };
    menus: Record<string, { command: string; when?: string }[]>;
    views: Record<string, { id: string }[]>;
    walkthroughs: { id: string; title: string; steps: { id: string; title: string; description: string; media: { markdown?: string; image?: string }; completionEvents?: string[] }[] }[];
  };
}

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;

/** Whether .vscodeignore (an allow-list: `**` then `!pattern` lines) lets `file` into the .vsix. */
function shipped(file: string): boolean {
  const lines = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const toRegExp = (glob: string) =>
    new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*')}$`);
  let included = true;
  for (const line of lines) {
    const negated = line.startsWith('!');
    if (toRegExp(negated ? line.slice(1) : line).test(file)) included = negated;
  }
  return included;
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const b = fs.readFileSync(file);
  assert.equal(b.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', `${file} is a PNG`);
  assert.equal(b.subarray(12, 16).toString('ascii'), 'IHDR');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe('extension manifest', () => {
  it('has a 128x128 PNG icon that is shipped, and a gallery banner', () => {
    assert.equal(manifest.icon, 'images/icon.png');
    assert.deepEqual(pngSize(path.join(ROOT, manifest.icon)), { width: 128, height: 128 });
    assert.ok(shipped('images/icon.png'));
    assert.ok(!shipped('images/icon.svg'), 'the icon source stays out of the .vsix');
    assert.match(manifest.galleryBanner.color, /^#[0-9a-f]{6}$/i);
    assert.ok(['dark', 'light'].includes(manifest.galleryBanner.theme));
    assert.deepEqual(manifest.categories, ['Linters', 'Programming Languages']);
  });

  it('describes every setting in Markdown', () => {
    for (const [key, prop] of Object.entries(manifest.contributes.configuration.properties)) {
      assert.ok(prop.markdownDescription && prop.markdownDescription.length > 10, `${key} has a markdownDescription`);
    }
  });

  it('gives every command a title and the Parapet category; palette `when` clauses name real commands', () => {
    const ids = new Set(manifest.contributes.commands.map((c) => c.command));
    for (const c of manifest.contributes.commands) {
      assert.equal(c.category, 'Parapet', c.command);
      assert.ok(c.title, c.command);
    }
    for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
      for (const e of entries) assert.ok(ids.has(e.command), `${menu}: ${e.command} is contributed`);
    }
    const palette = new Map(manifest.contributes.menus['commandPalette']!.map((e) => [e.command, e.when]));
    assert.equal(palette.get('parapet.fixAll'), 'editorLangId == python');
  });

  it('has a walkthrough whose steps link to real commands and ship their Markdown', () => {
    const [walkthrough] = manifest.contributes.walkthroughs;
    assert.ok(walkthrough);
    assert.deepEqual(walkthrough.steps.map((s) => s.id), ['what', 'checklist', 'fixAll', 'configure']);
    const views = new Set(Object.values(manifest.contributes.views).flat().map((v) => v.id));
    const ids = new Set([...manifest.contributes.commands.map((c) => c.command), ...[...views].map((v) => `${v}.focus`), 'workbench.action.quickOpen', 'workbench.action.openSettings']);
    for (const step of walkthrough.steps) {
      const links = [...step.description.matchAll(/\]\(command:([\w.]+)/g)].map((m) => m[1]!);
      assert.ok(links.length > 0, `${step.id} has a button`);
      for (const l of links) assert.ok(ids.has(l), `${step.id} links to ${l}, which exists`);
      const media = step.media.markdown;
      assert.ok(media, `${step.id} has Markdown media`);
      assert.ok(fs.existsSync(path.join(ROOT, media)), `${media} exists`);
      assert.ok(shipped(media), `${media} is allowed by .vscodeignore`);
      for (const ev of step.completionEvents ?? []) {
        const [kind, arg] = ev.split(':');
        if (kind === 'onCommand') assert.ok(ids.has(arg!), ev);
        if (kind === 'onView') assert.ok(views.has(arg!), ev);
        if (kind === 'onSettingChanged') assert.ok(arg! in manifest.contributes.configuration.properties, ev);
      }
    }
  });

  it('says in the README that there is no telemetry', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    assert.match(readme, /no\s+telemetry/i);
  });
});
