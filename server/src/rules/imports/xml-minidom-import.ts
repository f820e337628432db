import { importBlacklistRule } from './blacklist';
import { DEFUSEDXML_REF, PYTHON_XML_VULNS_REF, XML_FIX_SAFETY, XXE_CHEATSHEET_REF } from './xml-common';

export default importBlacklistRule({
  id: 'SEC408',
  name: 'xml-minidom-import',
  summary: '`xml.dom.minidom` imported to parse XML, which is open to entity-expansion attacks',
  owasp: { '2025': 'A02', '2021': 'A05' },
  cwe: [776, 611],
  severity: 'info',
  confidence: 'high',
  aliases: ['B408', 'S408'],
  tags: ['xml'],
  enabledByDefault: false,
  skipTests: true,
  modules: ['xml.dom.minidom'],
  // Building a document with minidom parses nothing.
  harmless: { 'xml.dom.minidom': ['Document', 'Element', 'Node', 'Text', 'Comment', 'Attr', 'CDATASection', 'DocumentFragment', 'DocumentType', 'ProcessingInstruction', 'getDOMImplementation'] },
  defused: { 'xml.dom.minidom': { module: 'defusedxml.minidom', names: ['parse', 'parseString'] } },
  message: (m) => `\`${m}\` is imported to parse XML: untrusted documents can expand entities without bound; use defusedxml`,
  docs: {
    what: 'Reports imports of `xml.dom.minidom` (`import xml.dom.minidom`, `from xml.dom import minidom`, `from xml.dom.minidom import parseString`, `importlib.import_module(...)`). An import used only to build documents (`Document`, `getDOMImplementation`, `Element`...) is not reported. Off by default; test files and `if TYPE_CHECKING:` imports are skipped.',
    why: 'minidom expands the internal entities a document declares and keeps the whole tree in memory, so a "billion laughs" payload of a few hundred bytes grows to gigabytes and takes the worker down (CWE-776); a single large entity repeated many times (quadratic blowup) does the same while passing naive size checks. defusedxml.minidom has the same `parse` and `parseString` and refuses entity declarations and external references.',
    example: `from xml.dom import minidom

def read_invoice(request):
    doc = minidom.parseString(request.body)
    return doc.getElementsByTagName("total")[0].firstChild.data`,
    useInstead: `from defusedxml import minidom

def read_invoice(request):
    doc = minidom.parseString(request.body)
    return doc.getElementsByTagName("total")[0].firstChild.data`,
    fixSafety: XML_FIX_SAFETY,
    references: [
      { title: 'Bandit B408: import_xml_minidom', url: 'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_imports.html#b408-import-xml-minidom' },
      PYTHON_XML_VULNS_REF,
      DEFUSEDXML_REF,
      XXE_CHEATSHEET_REF,
    ],
  },
});
