import { importBlacklistRule } from './blacklist';
import { DEFUSEDXML_REF, PYTHON_XML_VULNS_REF, XML_FIX_SAFETY, XXE_CHEATSHEET_REF } from './xml-common';

export default importBlacklistRule({
  id: 'SEC406',
  name: 'xml-sax-import',
  summary: '`xml.sax` imported to parse XML, which is open to entity-expansion attacks',
  owasp: { '2025': 'A02', '2021': 'A05' },
  cwe: [776, 611],
  severity: 'info',
  confidence: 'high',
  aliases: ['B406', 'S406'],
  tags: ['xml'],
  enabledByDefault: false,
  skipTests: true,
  modules: ['xml.sax'],
  // Escaping helpers, handler base classes and interfaces parse nothing.
  exclude: ['xml.sax.saxutils', 'xml.sax.handler', 'xml.sax.xmlreader', 'xml.sax._exceptions'],
  harmless: {
    'xml.sax': ['ContentHandler', 'ErrorHandler', 'InputSource', 'SAXException', 'SAXParseException', 'SAXNotRecognizedException', 'SAXNotSupportedException', 'saxutils', 'handler', 'xmlreader'],
  },
  defused: { 'xml.sax': { module: 'defusedxml.sax', names: ['parse', 'parseString', 'make_parser'] } },
  message: (m) => `\`${m}\` is imported to parse XML: untrusted documents can expand entities without bound; use defusedxml`,
  docs: {
    what: 'Reports imports of `xml.sax` and its parser submodules (`xml.sax.expatreader`) in every import form. `xml.sax.saxutils` (escaping helpers), `xml.sax.handler` and `xml.sax.xmlreader` parse nothing and are not reported, and neither is an `xml.sax` import used only for `ContentHandler`, `InputSource` or the exception classes. Off by default; test files and `if TYPE_CHECKING:` imports are skipped.',
    why: 'The SAX parser expands the internal entities a document declares, so a few hundred bytes of nested entity definitions ("billion laughs") become gigabytes of character events and exhaust the worker (CWE-776). Before Python 3.7.1 the SAX parser also resolved external general entities by default, which reads local files into the document (XXE, CWE-611); code that turns on `feature_external_ges` still does. defusedxml.sax refuses entity declarations and external references.',
    example: `import xml.sax

def count_orders(upload, handler):
    xml.sax.parseString(upload.read(), handler)
    return handler.count`,
    useInstead: `import defusedxml.sax

def count_orders(upload, handler):
    defusedxml.sax.parseString(upload.read(), handler)
    return handler.count`,
    fixSafety: XML_FIX_SAFETY,
    references: [
      { title: 'Bandit B406: import_xml_sax', url: 'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_imports.html#b406-import-xml-sax' },
      PYTHON_XML_VULNS_REF,
      DEFUSEDXML_REF,
      XXE_CHEATSHEET_REF,
    ],
  },
});
