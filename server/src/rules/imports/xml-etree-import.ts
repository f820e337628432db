import { importBlacklistRule } from './blacklist';
import { DEFUSED_ETREE, DEFUSEDXML_REF, ETREE_HARMLESS, PYTHON_XML_VULNS_REF, XML_FIX_SAFETY, XXE_CHEATSHEET_REF } from './xml-common';

export default importBlacklistRule({
  id: 'SEC405',
  name: 'xml-etree-import',
  summary: '`xml.etree.ElementTree` imported to parse XML, which is open to entity-expansion attacks',
  owasp: { '2025': 'A02', '2021': 'A05' },
  cwe: [776, 611],
  severity: 'info',
  confidence: 'high',
  aliases: ['B405', 'S405'],
  tags: ['xml'],
  enabledByDefault: false,
  skipTests: true,
  modules: ['xml.etree.ElementTree', 'xml.etree.cElementTree'],
  harmless: { 'xml.etree.ElementTree': ETREE_HARMLESS, 'xml.etree.cElementTree': ETREE_HARMLESS },
  defused: { 'xml.etree.ElementTree': DEFUSED_ETREE, 'xml.etree.cElementTree': DEFUSED_ETREE },
  message: (m) => `\`${m}\` is imported to parse XML: untrusted documents can expand entities without bound; use defusedxml`,
  docs: {
    what: 'Reports imports of `xml.etree.ElementTree` and `xml.etree.cElementTree` (`import xml.etree.ElementTree as ET`, `from xml.etree import ElementTree`, `from xml.etree.ElementTree import fromstring`, `importlib.import_module(...)`). A file that uses the module only to build or serialise XML (`Element`, `SubElement`, `tostring`, `indent`...) is not reported: it never parses. Off by default; test files and `if TYPE_CHECKING:` imports are skipped.',
    why: 'ElementTree expands the internal entities a document declares. A "billion laughs" document of a few hundred bytes declares ten entities that each repeat the previous one ten times; expanding the last one builds a gigabyte string and takes the worker down (CWE-776), and a quadratic-blowup document does the same with one large entity repeated. ElementTree does not fetch external entities, but the same parsing code reached through other stdlib modules does, and the Python documentation recommends defusedxml for any document you did not write. A SAML response, an uploaded SVG, an XML sitemap or a SOAP request are all untrusted.',
    example: `import xml.etree.ElementTree as ET

def import_feed(upload):
    root = ET.fromstring(upload.read())
    return [item.findtext("title") for item in root.iter("item")]`,
    useInstead: `import defusedxml.ElementTree as ET

def import_feed(upload):
    root = ET.fromstring(upload.read())
    return [item.findtext("title") for item in root.iter("item")]`,
    fixSafety: XML_FIX_SAFETY,
    references: [
      { title: 'Bandit B405: import_xml_etree', url: 'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_imports.html#b405-import-xml-etree' },
      PYTHON_XML_VULNS_REF,
      DEFUSEDXML_REF,
      XXE_CHEATSHEET_REF,
    ],
  },
});
