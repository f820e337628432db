// Engine behaviour that fixtures do not show: suppression scope, fault isolation, configuration,
// import placement for fixes, name resolution.

import * as assert from 'node:assert/strict';
import { analyzeSource } from '../server/src/engine/analyze';
import { defaultConfig, globMatcher, matchSelector, parsePyproject, selectRules, validateSelectors } from '../server/src/engine/config';
import { applyEdits, minimalEdit } from '../server/src/engine/fixes';
import { defineRule } from '../server/src/engine/rule';
import { ALL_RULES, ruleById } from '../server/src/rules';
import { findings, options, ready } from './support/engine';

const codes = (text: string, path = 'app.py'): string[] => findings(text, path).map((f) => `${f.ruleId}@${f.range.start.line + 1}`);

describe('engine', () => {
  before(() => ready);

  describe('suppressions', () => {
    it('a comment on any line of a multi-line statement suppresses it', () => {
      const text = 'import subprocess\nsubprocess.run(\n    cmd,\n    shell=True,  # parapet: ignore[SEC602]\n)\n';
      assert.deepEqual(codes(text), []);
      assert.deepEqual(codes(text.replace('  # parapet: ignore[SEC602]', '')), ['SEC602@2']);
    });

    it('honours # nosec (bare and with Bandit ids) and # noqa with Ruff codes', () => {
      const base = 'import random\ntoken = random.randint(0, 9)';
      assert.deepEqual(codes(`${base}  # nosec\n`), []);
      assert.deepEqual(codes(`${base}  # nosec B311\n`), []);
      assert.deepEqual(codes(`${base}  # nosec: B602, B311\n`), []);
      assert.deepEqual(codes(`${base}  # noqa: S311\n`), []);
      assert.deepEqual(codes(`${base}  # noqa: E501, S311\n`), []);
      assert.deepEqual(codes(`${base}  # nosec B602\n`), ['SEC311@2']);
      assert.deepEqual(codes(`${base}  # noqa\n`), ['SEC311@2'], 'bare noqa is for style checkers, not honoured');
      assert.deepEqual(codes(`${base}  # noqa: E501  # parapet: ignore[random-security-value]\n`), []);
    });

    it('ignore-file suppresses the listed rules in the whole file', () => {
      const text = '# parapet: ignore-file[SEC311]\nimport random, jwt\ntoken = random.randint(0, 9)\njwt.decode(t, k)\n';
      assert.deepEqual(codes(text), ['SEC520@4']);
    });

    it('a comment in a function body does not suppress a finding in its signature', () => {
      const text = 'def login(user, password="hunter22"):\n    return user  # parapet: ignore[SEC107]\n';
      assert.deepEqual(codes(text).filter((c) => c.startsWith('SEC107')), ['SEC107@1']);
      assert.deepEqual(codes(text).filter((c) => c.startsWith('SEC001')), ['SEC001@2']);
    });

    it('a comment on a standalone line above does not suppress the next line', () => {
      const text = 'import random\n# parapet: ignore[SEC311]\ntoken = random.randint(0, 9)\n';
      assert.deepEqual(codes(text), ['SEC001@2', 'SEC311@3']);
    });

    it('offers "ignore on this line" on the first line of the statement, merging an existing comment', () => {
      const one = findings('import random\ntoken = random.randint(0, 9)\n').find((f) => f.ruleId === 'SEC311')!;
      assert.equal(applyEdits('import random\ntoken = random.randint(0, 9)\n', [one.ignoreEdit!]), 'import random\ntoken = random.randint(0, 9)  # parapet: ignore[SEC311]\n');
      const text = 'import random, subprocess\ntoken = subprocess.run(random.choice(c), shell=True)  # parapet: ignore[SEC602]\n';
      const f = findings(text).find((x) => x.ruleId === 'SEC311');
      if (f) assert.match(applyEdits(text, [f.ignoreEdit!]), /# parapet: ignore\[SEC602, SEC311\]/);
      // The first line ends inside a string: the comment goes on a line where it is code.
      const ml = 'import subprocess\nsubprocess.run("""\nls\n""" + cmd, shell=True)\n';
      const g = findings(ml).find((x) => x.ruleId === 'SEC602')!;
      assert.equal(applyEdits(ml, [g.ignoreEdit!]), 'import subprocess\nsubprocess.run("""\nls\n""" + cmd, shell=True)  # parapet: ignore[SEC602]\n');
    });
  });

  describe('fault isolation', () => {
    it('a rule that throws is skipped for the file with one notice; the others still report', () => {
      const boom = defineRule({
        id: 'SEC999',
        name: 'always-throws',
        summary: 'test',
        owasp: { '2025': 'A06', '2021': 'A04' },
        cwe: [],
        severity: 'error',
        confidence: 'high',
        nodeTypes: ['call'],
        check() {
          throw new Error('kaboom');
        },
        docs: { what: '', why: '', example: '', useInstead: '' },
      });
      const errors: string[] = [];
      const r = analyzeSource('import random\ntoken = random.randint(0, 9)\nf()\ng()\n', 'x.py', {
        ...options([...ALL_RULES, boom]),
        onRuleError: (id) => errors.push(id),
      });
      assert.deepEqual(r.findings.map((f) => f.ruleId), ['SEC311']);
      assert.deepEqual(r.notices.map((n) => `${n.kind}:${n.ruleId}`), ['rule-error:SEC999']);
      assert.match(r.notices[0]!.message, /kaboom/);
      assert.deepEqual(errors, ['SEC999'], 'reported once, then disabled for the file');
    });

    it('a walk over its time budget stops with a notice and keeps what it found', () => {
      const text = 'import random\n' + 'token = random.randint(0, 9)\n'.repeat(20_000);
      // A generous parse budget: this test is about the walk, not about a loaded machine's parse.
      const r = analyzeSource(text, 'x.py', { ...options(), budgetMs: 1, parseBudgetMs: 120_000 });
      assert.equal(r.timedOut, true);
      assert.ok(r.notices.some((n) => n.kind === 'time-limit'));
      assert.ok(r.findings.length < 20_000);
    });
  });

  describe('configuration', () => {
    it('parses [tool.parapet] and reports each bad value with its line, keeping the rest', () => {
      const text = [
        '[project]',
        'name = "x"',
        '',
        '[tool.parapet]',
        'select = ["SEC", 3]',
        'ignore = "SEC311"',
        'per-file-ignores = { "tests/**" = ["SEC101"], "bad/*" = "SEC1" }',
        'severity = { SEC608 = "warning", SEC520 = "loud" }',
        'min-confidence = "medium"',
        'colour = true',
      ].join('\n');
      const c = parsePyproject(text, '/p/pyproject.toml')!;
      assert.deepEqual(c.select, ['SEC']);
      assert.deepEqual(c.ignore, []);
      assert.deepEqual(c.perFileIgnores, [{ pattern: 'tests/**', selectors: ['SEC101'] }]);
      assert.deepEqual([...c.severity], [['SEC608', 'warning']]);
      assert.equal(c.minConfidence, 'medium');
      assert.deepEqual(
        c.problems.map((p) => p.message),
        [
          '/p/pyproject.toml:10: unknown option `colour` in [tool.parapet]; ignored',
          '/p/pyproject.toml:5: `select` entry 3 is not a string; skipped',
          '/p/pyproject.toml:6: `ignore` must be a list of strings; ignored',
          '/p/pyproject.toml:7: per-file-ignores entry "bad/*" must be a list of rule selectors; skipped',
          '/p/pyproject.toml:8: severity for SEC520 must be one of error, warning, info, hint, not "loud"; skipped',
        ],
      );
    });

    it('returns null for a pyproject.toml without [tool.parapet], and an error for invalid TOML that has it', () => {
      assert.equal(parsePyproject('[project]\nname = "x"\n', '/p/pyproject.toml'), null);
      const bad = parsePyproject('[tool.parapet]\nignore = [\n', '/p/pyproject.toml')!;
      assert.equal(bad.problems[0]!.severity, 'error');
      assert.match(bad.problems[0]!.message, /invalid TOML/);
    });

    it('selects rules by id, prefix, name, alias, tag and ALL; unknown selectors are reported', () => {
      assert.deepEqual(matchSelector('SEC602', ALL_RULES).map((r) => r.id), ['SEC602']);
      assert.deepEqual(matchSelector('B602', ALL_RULES).map((r) => r.id), ['SEC602']);
      assert.deepEqual(matchSelector('s602', ALL_RULES).map((r) => r.id), ['SEC602']);
      assert.deepEqual(matchSelector('subprocess-shell-true', ALL_RULES).map((r) => r.id), ['SEC602']);
      assert.ok(matchSelector('SEC5', ALL_RULES).every((r) => r.id.startsWith('SEC5')));
      assert.ok(matchSelector('jwt', ALL_RULES).length >= 4);
      assert.equal(matchSelector('ALL', ALL_RULES).length, ALL_RULES.length);
      const c = { ...defaultConfig('/p'), ignore: ['SEC31', 'SEC999'] };
      assert.deepEqual(validateSelectors(c, ALL_RULES).map((p) => p.message.replace(/ \(did you mean.*\)/, '')), ['settings: unknown rule selector `SEC999` in `ignore`; ignored']);
    });

    it('applies select, ignore, per-file-ignores, severity and editor settings in order', () => {
      const c = { ...defaultConfig('/p'), select: ['SEC3', 'SEC6'], ignore: ['SEC301'], perFileIgnores: [{ pattern: 'tests/**', selectors: ['SEC602'] }], severity: new Map([['SEC311', 'warning' as const]]) };
      const app = selectRules(ALL_RULES, c, '/p/app.py', { ignore: ['SEC608'], severity: { SEC311: 'info' } });
      const ids = app.rules.map((r) => r.id);
      assert.ok(ids.includes('SEC602') && ids.includes('SEC311'));
      assert.ok(!ids.includes('SEC301') && !ids.includes('SEC608') && !ids.includes('SEC520'));
      assert.equal(app.severity.get('SEC311'), 'info', 'editor severity overrides pyproject');
      const test = selectRules(ALL_RULES, c, '/p/tests/unit/test_x.py');
      assert.ok(!test.rules.some((r) => r.id === 'SEC602'));
    });

    it('matches gitignore-like globs', () => {
      const m = globMatcher(['migrations', 'build/**', 'src/*_pb2.py']);
      assert.equal(m('app/migrations/0001.py'), true);
      assert.equal(m('build/lib/x.py'), true);
      assert.equal(m('src/api_pb2.py'), true);
      assert.equal(m('src/sub/api_pb2.py'), false);
      assert.equal(m('app/views.py'), false);
    });
  });

  describe('fixes that add an import', () => {
    const fixed = (text: string): string => {
      const f = findings(text).find((x) => x.ruleId === 'SEC311')!;
      return applyEdits(text, f.fixes[0]!.edits);
    };
    it('after the last top-level import', () => {
      assert.equal(fixed('"""Doc."""\nfrom __future__ import annotations\nimport random\n\nx = 1\ntoken = random.randint(0, 9)\n'), '"""Doc."""\nfrom __future__ import annotations\nimport random\nimport secrets\n\nx = 1\ntoken = secrets.randbelow(10)\n');
    });
    it('after the docstring when there is no import, and after a shebang and coding line', () => {
      assert.equal(fixed('#!/usr/bin/env python\n# -*- coding: utf-8 -*-\ntoken = random.randint(0, 9)\n'), '#!/usr/bin/env python\n# -*- coding: utf-8 -*-\nimport secrets\ntoken = secrets.randbelow(10)\n');
      assert.equal(fixed('"""Doc."""\ntoken = random.randint(0, 9)\n'), '"""Doc."""\nimport secrets\ntoken = secrets.randbelow(10)\n');
    });
    it('reuses an existing import or alias, but not one inside another function or under TYPE_CHECKING', () => {
      assert.equal(fixed('import random\nimport secrets as s\ntoken = random.randint(0, 9)\n'), 'import random\nimport secrets as s\ntoken = s.randbelow(10)\n');
      assert.equal(fixed('import random\ndef g():\n    import secrets\ntoken = random.randint(0, 9)\n'), 'import random\nimport secrets\ndef g():\n    import secrets\ntoken = secrets.randbelow(10)\n');
      assert.equal(fixed('import random\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import secrets\ntoken = random.randint(0, 9)\n'), 'import random\nfrom typing import TYPE_CHECKING\nimport secrets\nif TYPE_CHECKING:\n    import secrets\ntoken = secrets.randbelow(10)\n');
    });
    it('keeps CRLF line endings', () => {
      assert.equal(fixed('import random\r\ntoken = random.randint(0, 9)\r\n'), 'import random\r\nimport secrets\r\ntoken = secrets.randbelow(10)\r\n');
    });
  });

  describe('name resolution', () => {
    it('follows aliases and from-imports, and stops at local shadowing', () => {
      assert.deepEqual(codes('import subprocess as sp\nsp.run(cmd, shell=True)\n'), ['SEC602@2']);
      assert.deepEqual(codes('from subprocess import Popen as P\nP(cmd, shell=True)\n'), ['SEC602@2']);
      assert.deepEqual(codes('from os import system\nsystem(cmd)\n'), ['SEC605@2']);
      assert.deepEqual(codes('from yaml import load as l\nl(data)\n'), ['SEC506@2']);
      assert.deepEqual(codes('from ruamel.yaml import YAML\nyaml = YAML()\nyaml.load(data)\n'), []);
      assert.deepEqual(codes('import yaml\ndef f(yaml):\n    return yaml.load(data)\n'), []);
      assert.deepEqual(codes('class M:\n    def eval(self):\n        pass\n\nx = eval(s)\n'), ['SEC307@5'], 'a method named eval does not hide the builtin');
    });
  });

  describe('text utilities', () => {
    it('minimalEdit never splits a surrogate pair or a CRLF', () => {
      const before = 'a😀b\r\nc';
      const after = 'a😃b\r\nc';
      const e = minimalEdit(before, after)!;
      assert.equal(applyEdits(before, [e]), after);
      assert.equal(e.start, 1);
      assert.equal(e.newText, '😃');
      assert.equal(minimalEdit('x', 'x'), null);
    });
  });

  it('every rule has complete metadata', () => {
    for (const r of ALL_RULES) {
      assert.match(r.id, /^SEC\d{3}$/);
      assert.ok(r.summary.length > 10, `${r.id} summary`);
      assert.ok(r.docs.what.length > 20 && r.docs.why.length > 20, `${r.id} docs`);
      if (r.id >= 'SEC100') {
        assert.ok(r.cwe.length > 0, `${r.id} cwe`);
        assert.ok(r.docs.example.length > 0 && r.docs.useInstead.length > 0, `${r.id} examples`);
      }
      if (r.fix !== 'none') assert.ok(r.docs.fixSafety, `${r.id} fix safety`);
      assert.equal(ruleById(r.id), r);
    }
  });
});
