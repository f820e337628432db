// Incremental analysis of the import blacklist rules (SEC402-SEC411, SEC413), which are local
// with a file key: whether an import is used only through harmless names, whether the
// defusedxml fix applies and whether the file is visibly pycryptodome depend on the whole file.
// Each case has the import (the finding) in one place and the use that decides it in another
// function; an edit there that flips the decision must re-analyse the file, one that does not
// must re-run only the edited function, and either way the result is that of a fresh analysis.

import * as assert from 'node:assert/strict';
import { analyzeSource } from '../server/src/engine/analyze';
import type { AnalysisResult } from '../server/src/engine/runner';
import { ALL_RULES } from '../server/src/rules';
import { options, ready } from './support/engine';
import { describeFinding, editingSession } from './support/incremental';

const PATH = '/inc/app.py';
const IDS = ['SEC402', 'SEC403', 'SEC404', 'SEC405', 'SEC406', 'SEC407', 'SEC408', 'SEC409', 'SEC410', 'SEC411', 'SEC413'];

/** The findings of `id`, asserting that every finding equals that of a fresh analysis. */
function checked(r: AnalysisResult, text: string, id: string): string[] {
  const fresh = analyzeSource(text, PATH, options(ALL_RULES)).findings.map(describeFinding);
  assert.deepEqual(r.findings.map(describeFinding), fresh, 'incremental findings equal a fresh analysis');
  return r.findings.filter((f) => f.ruleId === id).map(describeFinding);
}

interface Case {
  id: string;
  text: string;
  /** The finding before the flip (one line per finding of `id`, as `describeFinding` gives). */
  before: (findings: string[]) => void;
  /** An edit in another function that changes what the import's finding depends on. */
  flip: { from: string; to: string };
  after: (findings: string[]) => void;
  /** An edit in that function that does not. */
  same: { from: string; to: string };
}

const fixTitles = (f: string): number => (f.match(/Import `defusedxml/g) ?? []).length;

const CASES: Case[] = [
  {
    id: 'SEC405',
    // The import is in a function, the use that makes it a parser in another one.
    text: 'def build():\n    import xml.etree.ElementTree as ET\n    return ET.Element("a")\n\n\ndef other(path):\n    x = 1\n    return x\n\n\ndef third():\n    pass\n',
    before: (f) => assert.deepEqual(f, []),
    flip: { from: 'x = 1', to: 'x = ET.parse(path)' },
    after: (f) => {
      assert.equal(f.length, 1);
      assert.equal(fixTitles(f[0]!), 0, 'Element is not in defusedxml: no fix');
    },
    same: { from: 'pass', to: 'y = 2' },
  },
  {
    id: 'SEC405',
    // Module-level import used only to parse: reported with the fix, until another function builds.
    text: 'import xml.etree.ElementTree as ET\n\n\ndef read(path):\n    return ET.parse(path)\n\n\ndef other():\n    x = 1\n    return x\n',
    before: (f) => {
      assert.equal(f.length, 1);
      assert.equal(fixTitles(f[0]!), 1);
    },
    flip: { from: 'x = 1', to: 'x = ET.SubElement(a, "b")' },
    after: (f) => {
      assert.equal(f.length, 1);
      assert.equal(fixTitles(f[0]!), 0, 'SubElement is not in defusedxml: the fix goes');
    },
    same: { from: 'return x', to: 'return ET.fromstring(x)' },
  },
  {
    id: 'SEC405',
    // Passing the module object around: anything can happen, reported and not fixable.
    text: 'from xml.etree import ElementTree\n\n\ndef build():\n    return ElementTree.Element("a")\n\n\ndef other():\n    x = 1\n    return x\n',
    before: (f) => assert.deepEqual(f, []),
    flip: { from: 'x = 1', to: 'x = helper(ElementTree)' },
    after: (f) => {
      assert.equal(f.length, 1);
      assert.equal(fixTitles(f[0]!), 0);
    },
    same: { from: 'return x', to: 'return ElementTree.tostring(x)' },
  },
  {
    id: 'SEC403',
    text: 'def errors():\n    import pickle\n    return pickle.PicklingError\n\n\ndef other(b):\n    x = 1\n    return x\n',
    before: (f) => assert.deepEqual(f, []),
    flip: { from: 'x = 1', to: 'x = pickle.loads(b)' },
    after: (f) => assert.equal(f.length, 1),
    same: { from: 'return x', to: 'return pickle.UnpicklingError' },
  },
  {
    id: 'SEC404',
    text: 'import subprocess as sp\n\n\ndef run(cmd):\n    return sp.Popen(cmd)\n\n\ndef other():\n    x = 1\n    return x\n',
    before: (f) => assert.equal(f.length, 1),
    // The only risky use goes: every use left is harmless.
    flip: { from: 'return sp.Popen(cmd)', to: 'return sp.PIPE' },
    after: (f) => assert.deepEqual(f, []),
    same: { from: 'x = 1', to: 'x = 2' },
  },
  {
    id: 'SEC402',
    text: 'from ftplib import FTP_TLS\nimport ftplib\n\n\ndef connect(host):\n    return ftplib.FTP_TLS(host)\n\n\ndef other(host):\n    x = 1\n    return x\n',
    before: (f) => assert.deepEqual(f, []),
    flip: { from: 'x = 1', to: 'x = ftplib.FTP(host)' },
    after: (f) => assert.equal(f.length, 1),
    same: { from: 'return x', to: 'return FTP_TLS(x)' },
  },
  {
    id: 'SEC408',
    // `from xml.dom import minidom`: the defusedxml fix needs every use to be parse/parseString.
    text: 'from xml.dom import minidom\n\n\ndef read(s):\n    return minidom.parseString(s)\n\n\ndef other():\n    x = 1\n    return x\n',
    before: (f) => {
      assert.equal(f.length, 1);
      assert.equal(fixTitles(f[0]!), 1);
    },
    flip: { from: 'x = 1', to: 'x = minidom.Document()' },
    after: (f) => {
      assert.equal(f.length, 1);
      assert.equal(fixTitles(f[0]!), 0);
    },
    same: { from: 'return x', to: 'return minidom.parse(x)' },
  },
  {
    id: 'SEC409',
    text: 'import xml.dom.pulldom as pd\n\n\ndef events(f):\n    return pd.START_ELEMENT\n\n\ndef other(f):\n    x = 1\n    return x\n',
    before: (f) => assert.deepEqual(f, []),
    flip: { from: 'x = 1', to: 'x = pd.parse(f)' },
    after: (f) => {
      assert.equal(f.length, 1);
      assert.equal(fixTitles(f[0]!), 0, 'START_ELEMENT is not in defusedxml.pulldom');
    },
    same: { from: 'return x', to: 'return pd.END_ELEMENT' },
  },
  {
    id: 'SEC406',
    text: 'import xml.sax as sax\n\n\ndef parse(f, h):\n    return sax.parse(f, h)\n\n\ndef other():\n    x = 1\n    return x\n',
    before: (f) => {
      assert.equal(f.length, 1);
      assert.equal(fixTitles(f[0]!), 1);
    },
    flip: { from: 'x = 1', to: 'x = sax.handler.ContentHandler' },
    after: (f) => {
      assert.equal(f.length, 1);
      assert.equal(fixTitles(f[0]!), 0);
    },
    same: { from: 'return x', to: 'return sax.make_parser()' },
  },
  {
    id: 'SEC407',
    text: 'from xml.dom import expatbuilder\n\n\ndef parse(f):\n    return expatbuilder.parse(f)\n\n\ndef other():\n    x = 1\n    return x\n',
    before: (f) => {
      assert.equal(f.length, 1);
      assert.equal(fixTitles(f[0]!), 1);
    },
    flip: { from: 'x = 1', to: 'x = expatbuilder.ExpatBuilder()' },
    after: (f) => {
      assert.equal(f.length, 1);
      assert.equal(fixTitles(f[0]!), 0);
    },
    same: { from: 'return x', to: 'return expatbuilder.parseString(x)' },
  },
  {
    id: 'SEC410',
    text: 'from lxml import etree\n\n\ndef build():\n    return etree.Element("a")\n\n\ndef other(s):\n    x = 1\n    return x\n',
    before: (f) => assert.deepEqual(f, []),
    flip: { from: 'x = 1', to: 'x = etree.fromstring(s)' },
    after: (f) => assert.equal(f.length, 1),
    same: { from: 'return x', to: 'return etree.tostring(x)' },
  },
  {
    id: 'SEC411',
    text: 'import xmlrpc.client as rpc\n\n\ndef fault():\n    return rpc.Fault\n\n\ndef other(url):\n    x = 1\n    return x\n',
    before: (f) => assert.deepEqual(f, []),
    flip: { from: 'x = 1', to: 'x = rpc.ServerProxy(url)' },
    after: (f) => assert.equal(f.length, 1),
    same: { from: 'return x', to: 'return rpc.Fault(x)' },
  },
  {
    id: 'SEC413',
    // A name only pycryptodome has, typed into another function, exempts the file.
    text: 'def encrypt(key, data):\n    from Crypto.Cipher import AES\n    return AES.new(key).encrypt(data)\n\n\ndef other():\n    x = 1\n    return x\n',
    before: (f) => assert.equal(f.length, 1),
    flip: { from: 'x = 1', to: 'x = MODE_GCM' },
    after: (f) => assert.deepEqual(f, []),
    same: { from: 'return x', to: 'return x + 1' },
  },
];

describe('incremental analysis of the import blacklist rules', () => {
  before(() => ready);

  it('SEC402-SEC411 and SEC413 are local, with a file key where the whole file decides', () => {
    for (const id of IDS) {
      const rule = ALL_RULES.find((r) => r.id === id)!;
      assert.equal(rule.local, true, id);
      assert.equal(typeof rule.fileKey, 'function', id);
    }
  });

  for (const c of CASES) {
    it(`${c.id}: ${c.flip.to} in another function`, () => {
      const s = editingSession(c.text, PATH);
      try {
        const first = s.analyse();
        assert.equal(first.reanalysed, null);
        c.before(checked(first, s.text(), c.id));
        // An edit that leaves the decision alone: only the edited function runs again.
        const same = s.analyse(c.same);
        assert.notEqual(same.reanalysed, null, 'the key is the same: findings are carried over');
        assert.equal(same.reanalysed!.units, 1);
        c.before(checked(same, s.text(), c.id));
        // The flip: the whole file again, and the import's finding follows.
        const flipped = s.analyse(c.flip);
        c.after(checked(flipped, s.text(), c.id));
        assert.equal(flipped.reanalysed, null, 'the decision changed: the whole file is analysed');
        // And back.
        const back = s.analyse({ from: c.flip.to, to: c.flip.from });
        c.before(checked(back, s.text(), c.id));
        assert.equal(back.reanalysed, null);
      } finally {
        s.close();
      }
    });
  }

  it('typing a use of an unrelated name next to a blacklisted import keeps the key', () => {
    const text = 'import xml.etree.ElementTree as ET\n\n\ndef read(path):\n    return ET.parse(path)\n\n\ndef other():\n    x = 1\n    return x\n';
    const s = editingSession(text, PATH);
    try {
      s.analyse();
      // Whether the defusedxml fix applies after each step: `ET` alone is the module object,
      // `ET.p` an attribute defusedxml lacks; the key changes exactly when this does.
      const steps: [string, boolean][] = [['x = E', true], ['x = ET', false], ['x = ET.p', false], ['x = ET.pa', false], ['x = ET.parse', true], ['x = ET.parse(x)', true], ['x = 1', true]];
      let fixable = true;
      for (const [to, fixableNow] of steps) {
        const now = s.text().match(/x = [A-Za-z.()1]*/)![0];
        const r = s.analyse({ from: now, to });
        const found = checked(r, s.text(), 'SEC405');
        assert.equal(found.length, 1, to);
        assert.equal(fixTitles(found[0]!), fixableNow ? 1 : 0, to);
        if (fixableNow !== fixable) assert.equal(r.reanalysed, null, to);
        else assert.deepEqual(r.reanalysed, { units: 1, of: 2 }, to);
        fixable = fixableNow;
      }
    } finally {
      s.close();
    }
  });

  it('a function shadowing the module name does not count as a use', () => {
    const text = 'import pickle\n\n\ndef errors():\n    return pickle.PicklingError\n\n\ndef other(b):\n    x = 1\n    return x\n';
    const s = editingSession(text, PATH);
    try {
      s.analyse();
      // `pickle` is a parameter here: `pickle.loads` is not the module's.
      const r = s.analyse({ from: 'def other(b):\n    x = 1', to: 'def other(pickle):\n    x = pickle.loads(b)' });
      assert.notEqual(r.reanalysed, null);
      assert.deepEqual(checked(r, s.text(), 'SEC403'), []);
      const r2 = s.analyse({ from: 'def other(pickle)', to: 'def other(b)' });
      assert.equal(r2.reanalysed, null);
      assert.equal(checked(r2, s.text(), 'SEC403').length, 1);
    } finally {
      s.close();
    }
  });
});
