import { importBlacklistRule } from './blacklist';
import { DEFUSEDXML_REF, PYTHON_XML_VULNS_REF, XML_FIX_SAFETY, XXE_CHEATSHEET_REF } from './xml-common';

export default importBlacklistRule({
  id: 'SEC407',
  name: 'xml-expatbuilder-import',
  summary: '`xml.dom.expatbuilder` imported to parse XML, which is open to entity-expansion attacks',
  owasp: { '2025': 'A02', '2021': 'A05' },
  cwe: [776, 611],
  severity: 'info',
  confidence: 'high',
  aliases: ['B407', 'S407'],
  tags: ['xml'],
  enabledByDefault: false,
  skipTests: true,
  modules: ['xml.dom.expatbuilder'],
  defused: { 'xml.dom.expatbuilder': { module: 'defusedxml.expatbuilder', names: ['parse', 'parseString'] } },
  message: (m) => `\`${m}\` is imported to parse XML: untrusted documents can expand entities without bound; use defusedxml`,
  docs: {
    what: 'Reports imports of `xml.dom.expatbuilder`, the expat-based DOM builder behind `minidom` (`import xml.dom.expatbuilder as eb`, `from xml.dom import expatbuilder`, `from xml.dom.expatbuilder import parse`, `importlib.import_module(...)`). Every name in the module builds a DOM from XML, so any use is reported. Off by default; test files and `if TYPE_CHECKING:` imports are skipped.',
    why: 'The builder expands every internal entity a document declares into DOM text nodes: a "billion laughs" document of a few hundred bytes becomes gigabytes of nodes and exhausts the process (CWE-776). A whole DOM is held in memory at once, so the blow-up cannot be stopped half way. defusedxml.expatbuilder refuses entity declarations and external references.',
    example: `from xml.dom import expatbuilder

def load_config(blob):
    return expatbuilder.parseString(blob)`,
    useInstead: `from defusedxml import expatbuilder

def load_config(blob):
    return expatbuilder.parseString(blob)`,
    fixSafety: XML_FIX_SAFETY,
    references: [
      { title: 'Bandit B407: import_xml_expat', url: 'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_imports.html#b407-import-xml-expat' },
      PYTHON_XML_VULNS_REF,
      DEFUSEDXML_REF,
      XXE_CHEATSHEET_REF,
    ],
  },
});
