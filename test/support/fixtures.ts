// Rule fixtures: Python files with per-line annotations.
//
//   subprocess.run(cmd, shell=True)   # expect: SEC602
//   subprocess.run(["ls"])            # ok: SEC602
//
// Every annotated line is classified as reported (expected and found), validated (ok and not
// found), missing (expected, not found) or noisy (found but marked ok, or found on a line with
// no expectation for the fixture's own rule). Missing and noisy lines fail the test; counts per
// file are never compared, because a count can hide a false positive behind a false negative.
//
// A line that cannot carry a comment (inside a multi-line string) is annotated from a later
// line with a relative offset: `# expect@-4: SEC608` means four lines up.
//
// A first-line comment `# fixture-path: app/settings.py` analyses the file under that path.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding } from '../../server/src/engine/types';

export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'rules');

export interface Fixture {
  file: string;
  text: string;
  /** Path the text is analysed under. */
  analysisPath: string;
  expect: Map<number, Set<string>>;
  ok: Map<number, Set<string>>;
}

const ANNOTATION = /\b(expect|ok)(?:@([+-]\d+))?\s*:\s*((?:SEC\d{3})(?:\s*,\s*SEC\d{3})*)/g;

export function loadFixture(file: string): Fixture {
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split(/\r\n|\r|\n/);
  const expect = new Map<number, Set<string>>();
  const ok = new Map<number, Set<string>>();
  lines.forEach((line, i) => {
    const hash = line.lastIndexOf('#');
    if (hash === -1) return;
    ANNOTATION.lastIndex = 0;
    for (let m = ANNOTATION.exec(line); m; m = ANNOTATION.exec(line)) {
      if (m.index < hash && !line.slice(0, m.index).includes('#')) continue;
      const target = m[1] === 'expect' ? expect : ok;
      const at = i + (m[2] ? Number(m[2]) : 0);
      let set = target.get(at);
      if (!set) target.set(at, (set = new Set()));
      for (const id of m[3]!.split(',')) set.add(id.trim());
    }
  });
  const header = /^#\s*fixture-path:\s*(\S+)/.exec(lines[0] ?? '');
  const analysisPath = header ? header[1]! : file.endsWith('.html') ? `templates/${path.basename(file)}` : path.basename(file);
  return { file, text, analysisPath, expect, ok };
}

export interface Classification {
  reported: string[];
  validated: string[];
  missing: string[];
  noisy: string[];
}

/** Classifies a fixture's lines against findings; `own` is the rule the fixture is for. */
export function classify(fixture: Fixture, findings: Finding[], own: string): Classification {
  const lines = fixture.text.split(/\r\n|\r|\n/);
  const inScope = new Set<string>([own]);
  for (const m of [fixture.expect, fixture.ok]) for (const set of m.values()) for (const id of set) inScope.add(id);
  const found = new Map<number, Set<string>>();
  for (const f of findings) {
    if (!inScope.has(f.ruleId)) continue;
    const line = f.range.start.line;
    let set = found.get(line);
    if (!set) found.set(line, (set = new Set()));
    set.add(f.ruleId);
  }
  const out: Classification = { reported: [], validated: [], missing: [], noisy: [] };
  const label = (line: number, id: string): string => `line ${line + 1} ${id}: ${lines[line]?.trim()}`;
  for (const [line, ids] of fixture.expect) {
    for (const id of ids) (found.get(line)?.has(id) ? out.reported : out.missing).push(label(line, id));
  }
  for (const [line, ids] of fixture.ok) {
    for (const id of ids) (found.get(line)?.has(id) ? out.noisy : out.validated).push(label(line, id));
  }
  for (const [line, ids] of found) {
    for (const id of ids) {
      if (fixture.expect.get(line)?.has(id) || fixture.ok.get(line)?.has(id)) continue;
      if (id === own) out.noisy.push(`${label(line, id)} (not annotated)`);
    }
  }
  return out;
}

/** Python fixtures, and `.html` fixtures for template rules (analysed as templates/<name>). */
export function fixtureFiles(): string[] {
  return fs
    .readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.py') || f.endsWith('.html'))
    .sort()
    .map((f) => path.join(FIXTURES, f));
}
