import { importBlacklistRule } from './blacklist';
import { DEFUSEDXML_REF, PYTHON_XML_VULNS_REF, XML_FIX_SAFETY, XXE_CHEATSHEET_REF } from './xml-common';

export default importBlacklistRule({
  id: 'SEC409',
  name: 'xml-pulldom-import',
  summary: '`xml.dom.pulldom` imported to parse XML, which is open to entity-expansion attacks',
  owasp: { '2025': 'A02', '2021': 'A05' },
  cwe: [776, 611],
  severity: 'info',
  confidence: 'high',
  aliases: ['B409', 'S409'],
  tags: ['xml'],
  enabledByDefault: false,
  skipTests: true,
  modules: ['xml.dom.pulldom'],
  // The event-type constants parse nothing.
  harmless: { 'xml.dom.pulldom': ['START_ELEMENT', 'END_ELEMENT', 'COMMENT', 'START_DOCUMENT', 'END_DOCUMENT', 'PROCESSING_INSTRUCTION', 'IGNORABLE_WHITESPACE', 'CHARACTERS'] },
  defused: { 'xml.dom.pulldom': { module: 'defusedxml.pulldom', names: ['parse', 'parseString'] } },
  message: (m) => `\`${m}\` is imported to parse XML: untrusted documents can expand entities without bound; use defusedxml`,
  docs: {
    what: 'Reports imports of `xml.dom.pulldom` in every import form (`from xml.dom import pulldom`, `from xml.dom.pulldom import parse`, `importlib.import_module(...)`). An import used only for the event constants (`START_ELEMENT`...) is not reported. Off by default; test files and `if TYPE_CHECKING:` imports are skipped.',
    why: 'pulldom streams a document through the SAX parser and builds DOM nodes on request, so it inherits SAX\'s behaviour: internal entities are expanded (a "billion laughs" document exhausts memory, CWE-776), and code that enables external general entities reads local files into the output (XXE, CWE-611). Streaming is often chosen precisely for large, externally supplied files, which is where these documents arrive. defusedxml.pulldom has the same `parse` and `parseString`.',
    example: `from xml.dom import pulldom

def titles(stream):
    for event, node in pulldom.parse(stream):
        if event == pulldom.START_ELEMENT and node.tagName == "title":
            yield node`,
    useInstead: `from defusedxml import pulldom
from xml.dom.pulldom import START_ELEMENT

def titles(stream):
    for event, node in pulldom.parse(stream):
        if event == START_ELEMENT and node.tagName == "title":
            yield node`,
    fixSafety: XML_FIX_SAFETY,
    references: [
      { title: 'Bandit B409: import_xml_pulldom', url: 'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_imports.html#b409-import-xml-pulldom' },
      PYTHON_XML_VULNS_REF,
      DEFUSEDXML_REF,
      XXE_CHEATSHEET_REF,
    ],
  },
});
