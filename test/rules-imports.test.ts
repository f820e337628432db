// Import blacklist rules (SEC401-SEC415): the exact text of every defusedxml fix, the cases
// where no fix is offered, and behaviour a single fixture cannot show (test files, rules that
// are off by default, pycryptodome under the `Crypto` name).

import * as assert from 'node:assert/strict';
import { applyEdits } from '../server/src/engine/fixes';
import type { Finding } from '../server/src/engine/types';
import { ALL_RULES } from '../server/src/rules';
import { findings, ready } from './support/engine';

/** Findings of one rule with every rule enabled (most import rules are off by default). */
function of(id: string, text: string, path = 'app/feeds.py'): Finding[] {
  return findings(text, path, ALL_RULES).filter((f) => f.ruleId === id);
}

/** The text after applying the only fix of the only finding of `id`. */
function fixed(id: string, text: string): string {
  const all = of(id, text);
  assert.equal(all.length, 1, `one ${id} finding expected, got ${all.length}`);
  assert.equal(all[0]!.fixes.length, 1, 'one fix expected');
  assert.equal(all[0]!.fixes[0]!.safety, 'unsafe');
  return applyEdits(text, all[0]!.fixes[0]!.edits);
}

function noFix(id: string, text: string): void {
  const all = of(id, text);
  assert.equal(all.length, 1, `one ${id} finding expected, got ${all.length}`);
  assert.deepEqual(all[0]!.fixes, []);
}

describe('import blacklist rules', () => {
  before(() => ready);

  describe('defusedxml fixes', () => {
    it('SEC405: import ... as ET', () => {
      assert.equal(
        fixed('SEC405', 'import xml.etree.ElementTree as ET\n\nroot = ET.fromstring(body)\n'),
        'import defusedxml.ElementTree as ET\n\nroot = ET.fromstring(body)\n',
      );
    });

    it('SEC405: cElementTree maps to defusedxml.ElementTree', () => {
      assert.equal(
        fixed('SEC405', 'import xml.etree.cElementTree as ET\n\ntree = ET.parse(path)\n'),
        'import defusedxml.ElementTree as ET\n\ntree = ET.parse(path)\n',
      );
      assert.equal(
        fixed('SEC405', 'from xml.etree import cElementTree\n\ntree = cElementTree.parse(path)\n'),
        'from defusedxml import ElementTree as cElementTree\n\ntree = cElementTree.parse(path)\n',
      );
      assert.equal(
        fixed('SEC405', 'from xml.etree import cElementTree as CET\n\ntree = CET.iterparse(path)\n'),
        'from defusedxml import ElementTree as CET\n\ntree = CET.iterparse(path)\n',
      );
    });

    it('SEC405: from xml.etree import ElementTree', () => {
      assert.equal(
        fixed('SEC405', 'from xml.etree import ElementTree\n\ndoc = ElementTree.XML(body)\nerr = ElementTree.ParseError\n'),
        'from defusedxml import ElementTree\n\ndoc = ElementTree.XML(body)\nerr = ElementTree.ParseError\n',
      );
    });

    it('SEC405: from xml.etree.ElementTree import parse, fromstring', () => {
      assert.equal(
        fixed('SEC405', 'from xml.etree.ElementTree import parse, fromstring as fs\n\nparse(p)\nfs(b)\n'),
        'from defusedxml.ElementTree import parse, fromstring as fs\n\nparse(p)\nfs(b)\n',
      );
    });

    it('SEC406: xml.sax in its three forms', () => {
      assert.equal(fixed('SEC406', 'import xml.sax as sax\n\nsax.parseString(b, h)\n'), 'import defusedxml.sax as sax\n\nsax.parseString(b, h)\n');
      assert.equal(fixed('SEC406', 'from xml import sax\n\nsax.make_parser()\n'), 'from defusedxml import sax\n\nsax.make_parser()\n');
      assert.equal(fixed('SEC406', 'from xml.sax import parse\n\nparse(f, h)\n'), 'from defusedxml.sax import parse\n\nparse(f, h)\n');
    });

    it('SEC407, SEC408, SEC409: the DOM modules', () => {
      assert.equal(
        fixed('SEC407', 'from xml.dom import expatbuilder\n\nexpatbuilder.parseString(b)\n'),
        'from defusedxml import expatbuilder\n\nexpatbuilder.parseString(b)\n',
      );
      assert.equal(fixed('SEC408', 'from xml.dom import minidom\n\nminidom.parseString(b)\n'), 'from defusedxml import minidom\n\nminidom.parseString(b)\n');
      assert.equal(
        fixed('SEC408', 'import xml.dom.minidom as md\n\nmd.parse(path)\n'),
        'import defusedxml.minidom as md\n\nmd.parse(path)\n',
      );
      assert.equal(
        fixed('SEC409', 'from xml.dom.pulldom import parse, parseString\n\nparse(s)\n'),
        'from defusedxml.pulldom import parse, parseString\n\nparse(s)\n',
      );
    });

    it('keeps other names of a multi-name import statement in place', () => {
      assert.equal(
        fixed('SEC405', 'import os, xml.etree.ElementTree as ET\n\nET.parse(os.devnull)\n'),
        'import os, defusedxml.ElementTree as ET\n\nET.parse(os.devnull)\n',
      );
    });
  });

  describe('no fix where defusedxml lacks what the file uses', () => {
    it('builders next to parsing', () => {
      noFix('SEC405', 'import xml.etree.ElementTree as ET\n\nroot = ET.fromstring(b)\nET.SubElement(root, "x")\n');
      noFix('SEC405', 'from xml.etree.ElementTree import fromstring, Element\n');
      noFix('SEC408', 'from xml.dom import minidom\n\nminidom.parseString(b)\nminidom.Document()\n');
      noFix('SEC406', 'import xml.sax as sax\n\nclass H(sax.ContentHandler):\n    pass\n\nsax.parse(f, H())\n');
    });

    it('the module object passed around', () => {
      noFix('SEC405', 'import xml.etree.ElementTree as ET\n\nregister(ET)\n');
    });

    it('an import without alias, used through its full dotted name', () => {
      noFix('SEC405', 'import xml.etree.ElementTree\n\nxml.etree.ElementTree.parse(p)\n');
    });

    it('a from-import of several submodules', () => {
      const found = of('SEC408', 'from xml.dom import minidom, pulldom\n\nminidom.parse(p)\npulldom.parse(p)\n');
      assert.equal(found.length, 1);
      assert.deepEqual(found[0]!.fixes, []);
    });

    it('lxml, xmlrpc and pycrypto have no fix', () => {
      noFix('SEC410', 'from lxml import etree\n\netree.fromstring(b)\n');
      noFix('SEC411', 'from xmlrpc.server import SimpleXMLRPCServer\n');
      noFix('SEC413', 'from Crypto.Cipher import AES\n');
    });
  });

  describe('what is reported', () => {
    it('reports at the module name, not the whole statement', () => {
      const text = 'from pickle import (\n    loads,\n)\n';
      const [f] = of('SEC403', text);
      assert.equal(text.slice(f!.start, f!.end), 'pickle');
    });

    it('reports importlib and __import__ with a literal at the string', () => {
      const text = 'import importlib\nm = importlib.import_module("telnetlib")\nn = __import__("ftplib")\n';
      assert.equal(text.slice(of('SEC401', text)[0]!.start, of('SEC401', text)[0]!.end), '"telnetlib"');
      assert.equal(of('SEC402', text).length, 1);
    });

    it('matches at a module boundary', () => {
      assert.deepEqual(of('SEC403', 'import pickletools\nimport pickle_utils\n'), []);
      assert.deepEqual(of('SEC411', 'import xmlrpc_tools\n'), []);
      assert.equal(of('SEC411', 'import xmlrpc.client\nxmlrpc.client.ServerProxy(u)\n').length, 1);
    });

    it('skips imports under if TYPE_CHECKING:, but not under its else branch', () => {
      const text = 'from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import subprocess\nelse:\n    import telnetlib\n';
      assert.deepEqual(of('SEC404', text), []);
      assert.equal(of('SEC401', text).length, 1);
    });

    it('skips test files for audit rules, but not for SEC413', () => {
      const text = 'import telnetlib\nfrom Crypto.Cipher import AES\n';
      assert.deepEqual(of('SEC401', text, 'tests/test_switch.py'), []);
      assert.equal(of('SEC401', text, 'app/switch.py').length, 1);
      assert.equal(of('SEC413', text, 'tests/test_switch.py').length, 1);
    });

    it('SEC413 is quiet when the file visibly uses pycryptodome', () => {
      assert.deepEqual(of('SEC413', 'from Crypto.Cipher import AES\n\nc = AES.new(k, AES.MODE_GCM)\n'), []);
      assert.deepEqual(of('SEC413', 'from Crypto.Util.Padding import pad\n'), []);
      assert.equal(of('SEC413', 'from Crypto.Cipher import AES\n\nc = AES.new(k, AES.MODE_CBC, iv)\n').length, 1);
    });

    it('SEC412 reports a CGIHandler call once, at the import when it names the class', () => {
      const imported = of('SEC412', 'from wsgiref.handlers import CGIHandler\n\nCGIHandler().run(app)\n');
      assert.equal(imported.length, 1);
      assert.equal(imported[0]!.range.start.line, 0);
      const called = of('SEC412', 'import wsgiref.handlers\n\nwsgiref.handlers.CGIHandler().run(app)\n');
      assert.equal(called.length, 1);
      assert.equal(called[0]!.range.start.line, 2);
    });
  });

  describe('enabled by default', () => {
    it('only SEC412 and SEC413 of the family', () => {
      const on = ALL_RULES.filter((r) => /^SEC4\d\d$/.test(r.id) && r.enabledByDefault).map((r) => r.id);
      assert.deepEqual(on, ['SEC412', 'SEC413']);
      const text = 'import subprocess\nimport pickle\nfrom wsgiref.handlers import CGIHandler\nfrom Crypto.Hash import MD5\nsubprocess.run(["x"])\npickle.loads(b)\n';
      const ids = findings(text, 'app/main.py').map((f) => f.ruleId).filter((id) => id.startsWith('SEC4'));
      assert.deepEqual(ids.sort(), ['SEC412', 'SEC413']);
    });
  });
});
