// Exact fix output of the dangerous-call rules added for issue 4 (SEC304-SEC323): the text each
// fix produces, with the import it adds, and the cases where no fix is offered.

import * as assert from 'node:assert/strict';
import { applyEdits, fixAll } from '../server/src/engine/fixes';
import type { Finding } from '../server/src/engine/types';
import { findings, options, ready } from './support/engine';

function of(id: string, text: string, path = 'app/module.py'): Finding[] {
  return findings(text, path).filter((f) => f.ruleId === id);
}

/** The text after applying the first fix of the only finding of `id`. */
function fixed(id: string, text: string, path = 'app/module.py'): string {
  const found = of(id, text, path);
  assert.equal(found.length, 1, `one ${id} finding expected, got ${found.length}`);
  const [fx] = found[0]!.fixes;
  assert.ok(fx, `${id} offers a fix`);
  return applyEdits(text, fx.edits);
}

describe('dangerous-call rules', () => {
  before(() => ready);

  describe('SEC313 xml-unsafe-parser', () => {
    it('switches an aliased ElementTree call to defusedxml and adds the import', () => {
      const src = 'import xml.etree.ElementTree as ET\n\nroot = ET.fromstring(data)\n';
      assert.equal(fixed('SEC313', src), 'import xml.etree.ElementTree as ET\nimport defusedxml.ElementTree\n\nroot = defusedxml.ElementTree.fromstring(data)\n');
    });

    it('maps each standard-library module to its defusedxml module', () => {
      const cases: [string, string][] = [
        ['import xml.etree.cElementTree as cET\nx = cET.parse(f)\n', 'import xml.etree.cElementTree as cET\nimport defusedxml.ElementTree\nx = defusedxml.ElementTree.parse(f)\n'],
        ['from xml.dom import minidom\nx = minidom.parseString(s)\n', 'from xml.dom import minidom\nimport defusedxml.minidom\nx = defusedxml.minidom.parseString(s)\n'],
        ['from xml.dom.pulldom import parse\nx = parse(f)\n', 'from xml.dom.pulldom import parse\nimport defusedxml.pulldom\nx = defusedxml.pulldom.parse(f)\n'],
        ['import xml.sax\nxml.sax.parseString(s, h)\n', 'import xml.sax\nimport defusedxml.sax\ndefusedxml.sax.parseString(s, h)\n'],
        ['import xml.sax.expatreader\np = xml.sax.expatreader.create_parser()\n', 'import xml.sax.expatreader\nimport defusedxml.expatreader\np = defusedxml.expatreader.create_parser()\n'],
        ['from xml.dom import expatbuilder\nd = expatbuilder.parseString(s)\n', 'from xml.dom import expatbuilder\nimport defusedxml.expatbuilder\nd = defusedxml.expatbuilder.parseString(s)\n'],
      ];
      for (const [src, want] of cases) assert.equal(fixed('SEC313', src), want, src);
    });

    it('reuses an existing `import defusedxml.ElementTree` and fix-all adds it once', () => {
      const src = 'import defusedxml.ElementTree\nimport xml.etree.ElementTree as ET\n\na = ET.fromstring(x)\n';
      assert.equal(fixed('SEC313', src), 'import defusedxml.ElementTree\nimport xml.etree.ElementTree as ET\n\na = defusedxml.ElementTree.fromstring(x)\n');
      const two = 'import xml.etree.ElementTree as ET\n\na = ET.fromstring(x)\nb = ET.parse(y)\n';
      assert.equal(fixAll(two, 'app/module.py', options(), true).text, 'import xml.etree.ElementTree as ET\nimport defusedxml.ElementTree\n\na = defusedxml.ElementTree.fromstring(x)\nb = defusedxml.ElementTree.parse(y)\n');
      assert.equal(fixAll(two, 'app/module.py', options()).text, two, 'the fix is unsafe: not applied by default');
    });

    it('offers no fix for lxml and expat, and skips test files', () => {
      const src = 'from lxml import etree\nimport xml.parsers.expat\nd = etree.fromstring(x)\np = xml.parsers.expat.ParserCreate()\n';
      const found = of('SEC313', src);
      assert.equal(found.length, 2);
      assert.deepEqual(found.flatMap((f) => f.fixes), []);
      assert.deepEqual(of('SEC313', 'import xml.etree.ElementTree as ET\nET.fromstring(x)\n', 'tests/test_feed.py'), []);
    });
  });

  describe('SEC306 insecure-mktemp', () => {
    it('creates the file with mkstemp, closes the descriptor and adds `import os`', () => {
      const src = 'import tempfile\n\n\ndef export():\n    path = tempfile.mktemp(suffix=".csv")  # scratch\n    return path\n';
      assert.equal(
        fixed('SEC306', src),
        'import tempfile\nimport os\n\n\ndef export():\n    fd, path = tempfile.mkstemp(suffix=".csv")  # scratch\n    os.close(fd)\n    return path\n',
      );
    });

    it('keeps positional suffix, prefix and dir, and picks a descriptor name that is free', () => {
      const src = 'import os\nimport tempfile as tf\n\n\ndef render(fd):\n    out = tf.mktemp(".pdf", "r-", "/var/tmp")\n    return out, fd\n';
      assert.equal(fixed('SEC306', src), 'import os\nimport tempfile as tf\n\n\ndef render(fd):\n    tmp_fd, out = tf.mkstemp(".pdf", "r-", "/var/tmp")\n    os.close(tmp_fd)\n    return out, fd\n');
    });

    it('imports mkstemp next to a `from tempfile import mktemp`', () => {
      const src = 'from tempfile import mktemp\n\nscratch = mktemp()\n';
      assert.equal(fixed('SEC306', src), 'from tempfile import mktemp\nfrom tempfile import mkstemp\nimport os\n\nfd, scratch = mkstemp()\nos.close(fd)\n');
    });

    it('offers no fix when the name is not assigned on a line of its own', () => {
      for (const src of [
        'import tempfile\nf = open(tempfile.mktemp(), "w")\n',
        'import tempfile\nif x: p = tempfile.mktemp()\n',
        'import tempfile\na, b = tempfile.mktemp(), 1\n',
        'import tempfile\nself.p = tempfile.mktemp()\n',
        'import tempfile\np = tempfile.mktemp(**opts)\n',
      ]) {
        const found = of('SEC306', src);
        assert.equal(found.length, 1, src);
        assert.deepEqual(found[0]!.fixes, [], src);
      }
    });
  });

  describe('SEC323 unverified-ssl-context', () => {
    it('creates a verifying context instead, keeping cafile', () => {
      const src = 'import ssl\n\nctx = ssl._create_unverified_context(cafile=CA)\n';
      assert.equal(fixed('SEC323', src), 'import ssl\n\nctx = ssl.create_default_context(cafile=CA)\n');
    });

    it('imports create_default_context next to a from-import', () => {
      const src = 'from ssl import _create_unverified_context\n\nctx = _create_unverified_context()\n';
      assert.equal(fixed('SEC323', src), 'from ssl import _create_unverified_context\nfrom ssl import create_default_context\n\nctx = create_default_context()\n');
    });

    it('restores the process-wide default', () => {
      const src = 'import ssl as tls\n\ntls._create_default_https_context = tls._create_unverified_context\n';
      assert.equal(fixed('SEC323', src), 'import ssl as tls\n\ntls._create_default_https_context = tls.create_default_context\n');
    });

    it('offers no fix when arguments have no counterpart', () => {
      const [f] = of('SEC323', 'import ssl\nctx = ssl._create_unverified_context(ssl.PROTOCOL_TLS_CLIENT, check_hostname=False)\n');
      assert.ok(f);
      assert.deepEqual(f.fixes, []);
    });
  });

  describe('SEC310 url-open-unvalidated-scheme', () => {
    it('reports a parameter with low confidence and request data with medium confidence', () => {
      const src = 'import urllib.request\n\ndef get(url):\n    return urllib.request.urlopen(url)\n\ndef view(request):\n    return urllib.request.urlopen(request.GET["u"])\n';
      assert.deepEqual(of('SEC310', src).map((f) => [f.range.start.line, f.confidence]), [[3, 'low'], [6, 'medium']]);
    });

    it('skips test files and URLs with a fixed http(s) scheme', () => {
      assert.deepEqual(of('SEC310', 'import urllib.request\nurllib.request.urlopen(url)\n', 'tests/test_fetch.py'), []);
      assert.deepEqual(of('SEC310', 'import urllib.request\nBASE = "https://x.example"\nurllib.request.urlopen(BASE + path)\n'), []);
    });
  });
});
