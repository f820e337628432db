// Process, shell, logging, Mako and Trojan Source rules (SEC601-SEC613, SEC702): the exact text
// each fix produces, and the cases a single fixture cannot show (imports, default-off rules,
// positions, test files).

import * as assert from 'node:assert/strict';
import { applyEdits } from '../server/src/engine/fixes';
import type { Finding } from '../server/src/engine/types';
import { ALL_RULES } from '../server/src/rules';
import { findings, ready } from './support/engine';

function of(id: string, text: string, path = 'app/jobs.py'): Finding[] {
  return findings(text, path, ALL_RULES).filter((f) => f.ruleId === id);
}

/** Applies the only fix of the only finding of `id`. */
function fixed(id: string, text: string, path?: string): { text: string; safety: string } {
  const found = of(id, text, path);
  assert.equal(found.length, 1, `one ${id} finding`);
  const fixes = found[0]!.fixes ?? [];
  assert.equal(fixes.length, 1, 'one fix');
  return { text: applyEdits(text, fixes[0]!.edits), safety: fixes[0]!.safety };
}

describe('process rules', () => {
  before(() => ready);

  describe('SEC601 paramiko-exec-command', () => {
    const call = 'def f(client, name):\n    client.exec_command("cat " + name)\n';

    it('needs a paramiko import', () => {
      assert.equal(of('SEC601', `import paramiko\n\n${call}`).length, 1);
      assert.deepEqual(of('SEC601', `import fabric\n\n${call}`), []);
    });

    it('is certain for an SSHClient it can trace, probable otherwise', () => {
      const [traced] = of('SEC601', 'import paramiko\n\ndef f(name):\n    c = paramiko.SSHClient()\n    c.exec_command("cat " + name)\n');
      assert.equal(traced?.confidence, 'high');
      assert.equal(of('SEC601', `import paramiko\n\n${call}`)[0]?.confidence, 'medium');
    });
  });

  describe('SEC604 call-with-shell-true', () => {
    it('reports a constant command as information with low confidence', () => {
      const [f] = of('SEC604', 'from ops import execute\n\nexecute("ls -la", shell=True)\n');
      assert.equal(f?.severity, 'info');
      assert.equal(f?.confidence, 'low');
      const [g] = of('SEC604', 'from ops import execute\n\ndef f(x):\n    execute("ls " + x, shell=True)\n');
      assert.equal(g?.severity, 'warning');
    });

    it('skips test files and mock expectations', () => {
      const text = 'from ops import execute\n\ndef f(x):\n    execute("ls " + x, shell=True)\n';
      assert.deepEqual(of('SEC604', text, 'tests/test_ops.py'), []);
      assert.deepEqual(of('SEC604', 'import mock\n\nexpected = mock.call("ls", shell=True)\n', 'app/checks.py'), []);
    });

    it('leaves subprocess to SEC602', () => {
      assert.deepEqual(of('SEC604', 'import subprocess as sp\n\ndef f(x):\n    sp.run(x, shell=True)\n'), []);
    });
  });

  describe('SEC609 unix-command-wildcard-injection', () => {
    it('prefixes leading wildcards with ./ (safe for chmod)', () => {
      const r = fixed('SEC609', 'import os\n\nos.system("cd /srv/uploads && chmod 644 * *.txt")\n');
      assert.equal(r.text, 'import os\n\nos.system("cd /srv/uploads && chmod 644 ./* ./*.txt")\n');
      assert.equal(r.safety, 'safe');
    });

    it('marks the tar fix unsafe (member names change)', () => {
      const r = fixed('SEC609', "import subprocess\n\nsubprocess.run('tar czf /backups/site.tgz *', shell=True)\n");
      assert.equal(r.text, "import subprocess\n\nsubprocess.run('tar czf /backups/site.tgz ./*', shell=True)\n");
      assert.equal(r.safety, 'unsafe');
    });

    it('offers no fix for f-strings and reports symlink-prone paths as information', () => {
      const [f] = of('SEC609', 'import os\n\ndef f(n):\n    os.system(f"tar czf {n}.tgz *")\n');
      assert.deepEqual(f?.fixes ?? [], []);
      const [g] = of('SEC609', 'import os\n\nos.system("chown www-data /srv/uploads/*")\n');
      assert.equal(g?.severity, 'info');
      assert.equal(g?.confidence, 'low');
    });
  });

  describe('SEC612 logging-config-insecure-listen', () => {
    it('reports verify=None on the keyword', () => {
      const text = 'import logging.config\n\nt = logging.config.listen(9030, verify=None)\n';
      const [f] = of('SEC612', text);
      assert.equal(text.slice(f!.start, f!.end), 'verify=None');
      assert.deepEqual(f?.fixes ?? [], []);
    });
  });

  describe('SEC613 trojan-source', () => {
    it('reports each character at its exact position', () => {
      const text = 'x = "a\u202eb\u2066c\u2069"\n';
      const found = of('SEC613', text);
      assert.deepEqual(
        found.map((f) => [f.start, f.end]),
        [
          [6, 7],
          [8, 9],
          [10, 11],
        ],
      );
      assert.match(found[0]!.message, /U\+202E \(RIGHT-TO-LEFT OVERRIDE\) in a string/);
    });

    it('removes the character from a comment', () => {
      const r = fixed('SEC613', 'x = 1  # is admin \u2067 check\n');
      assert.equal(r.text, 'x = 1  # is admin  check\n');
      assert.equal(r.safety, 'safe');
    });

    it('writes the escape in a string literal, keeping its value', () => {
      const r = fixed('SEC613', "label = f'total: {n}\u202d'\n");
      assert.equal(r.text, "label = f'total: {n}\\u202d'\n");
      assert.equal(r.safety, 'safe');
    });

    it('offers no fix in a raw string', () => {
      const [f] = of('SEC613', "p = r'^\\d+\u202e$'\n");
      assert.deepEqual(f?.fixes ?? [], []);
    });

    it('treats marks in right-to-left text as information', () => {
      const [f] = of('SEC613', 'g = "\u05e9\u05dc\u05d5\u05dd \u200fworld"\n');
      assert.equal(f?.severity, 'info');
      assert.equal(f?.confidence, 'low');
    });
  });

  describe('SEC702 mako-templates', () => {
    it('adds default_filters=["h"] to a one-line call', () => {
      const r = fixed('SEC702', 'from mako.template import Template\n\nPAGE = Template("<p>${x}</p>")\n');
      assert.equal(r.text, 'from mako.template import Template\n\nPAGE = Template("<p>${x}</p>", default_filters=["h"])\n');
      assert.equal(r.safety, 'unsafe');
    });

    it('adds it on its own line to a multi-line call', () => {
      const text = 'from mako.lookup import TemplateLookup\n\nlookup = TemplateLookup(\n    directories=["templates"],\n)\n';
      assert.equal(fixed('SEC702', text).text, 'from mako.lookup import TemplateLookup\n\nlookup = TemplateLookup(\n    directories=["templates"],\n    default_filters=["h"],\n)\n');
    });

    it('adds "h" to an existing list, or fills an empty one', () => {
      const base = 'from mako.template import Template\n\n';
      assert.equal(fixed('SEC702', `${base}T = Template("<p>\${x}</p>", default_filters=["str"])\n`).text, `${base}T = Template("<p>\${x}</p>", default_filters=["str", "h"])\n`);
      assert.equal(fixed('SEC702', `${base}T = Template("<p>\${x}</p>", default_filters=[])\n`).text, `${base}T = Template("<p>\${x}</p>", default_filters=["h"])\n`);
    });

    it('skips test files', () => {
      assert.deepEqual(of('SEC702', 'from mako.template import Template\n\nT = Template("<p>${x}</p>")\n', 'tests/test_pages.py'), []);
    });
  });

  describe('audit rules (SEC603, SEC606, SEC607)', () => {
    it('are off by default', () => {
      const text = 'import os, subprocess\n\ndef f(x):\n    subprocess.run(["git", "clone", x])\n    os.execv(x, [x])\n';
      const defaults = findings(text, 'app/jobs.py').map((f) => f.ruleId);
      for (const id of ['SEC603', 'SEC606', 'SEC607']) assert.ok(!defaults.includes(id), id);
      assert.equal(of('SEC603', text).length, 1);
      assert.equal(of('SEC606', text).length, 1);
      assert.equal(of('SEC607', text).length, 1);
    });

    it('SEC603 reports a run-time program with more confidence than run-time arguments', () => {
      const [program] = of('SEC603', 'import subprocess\n\ndef f(tool):\n    subprocess.run([tool, "-v"])\n');
      const [arg] = of('SEC603', 'import subprocess\n\ndef f(url):\n    subprocess.run(["git", "clone", url])\n');
      assert.equal(program?.confidence, 'medium');
      assert.equal(arg?.confidence, 'low');
      assert.equal(arg?.severity, 'hint');
    });

    it('SEC607 reports the program name itself', () => {
      const text = 'import subprocess\n\nsubprocess.run(["git", "status"])\n';
      const [f] = of('SEC607', text);
      assert.equal(text.slice(f!.start, f!.end), '"git"');
    });
  });
});
