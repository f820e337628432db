import { importBlacklistRule } from './blacklist';
import { PYTHON_XML_VULNS_REF, XXE_CHEATSHEET_REF } from './xml-common';

export default importBlacklistRule({
  id: 'SEC410',
  name: 'lxml-import',
  summary: '`lxml` imported to parse XML: its default parser resolves entities',
  owasp: { '2025': 'A02', '2021': 'A05' },
  cwe: [611, 776],
  severity: 'info',
  confidence: 'high',
  // Ruff has no S410 (it dropped the lxml check).
  aliases: ['B410'],
  tags: ['xml'],
  enabledByDefault: false,
  skipTests: true,
  modules: ['lxml'],
  // HTML parsing, the E-factory and CSS selectors do not read XML entities.
  exclude: ['lxml.html', 'lxml.builder', 'lxml.cssselect', 'lxml.sax', 'lxml.doctestcompare', 'lxml.usedoctest'],
  harmless: {
    lxml: ['html', 'builder', 'cssselect'],
    'lxml.etree': ['Element', 'SubElement', 'ElementTree', 'tostring', 'QName', 'CDATA', 'Comment', 'ProcessingInstruction', 'Entity', 'ElementBase', 'XMLSyntaxError', 'LxmlError', 'ParseError', 'XPath', 'XPathEvaluator', 'ETXPath', 'register_namespace', 'indent', 'iselement', 'strip_tags', 'strip_elements', 'strip_attributes', 'cleanup_namespaces', 'LXML_VERSION'],
  },
  message: (m) => `\`${m}\` is imported to parse XML: its default parser resolves entities; parse untrusted documents with \`resolve_entities=False, no_network=True\``,
  docs: {
    what: 'Reports imports of `lxml` and its XML submodules (`lxml.etree`, `lxml.objectify`, `lxml.isoschematron`...) in every import form. `lxml.html`, `lxml.builder`, `lxml.cssselect` and `lxml.sax` do not read XML entity declarations and are not reported, and neither is an `lxml.etree` import used only to build or serialise trees (`Element`, `SubElement`, `tostring`, `XPath`...). Off by default; test files and `if TYPE_CHECKING:` imports are skipped. There is no quick fix: defusedxml.lxml is deprecated, and the safe form is a parser option, shown below.',
    why: "lxml's default `XMLParser` has `resolve_entities=True`: entities a document declares are expanded, and an external entity such as `<!ENTITY x SYSTEM \"file:///etc/passwd\">` is read from the local file system into the parsed text (XXE, CWE-611), which the application then echoes back in an error or a result. Before lxml 5 the expansion of internal entities was also unbounded (CWE-776). A parser created with `resolve_entities=False, no_network=True` (and `huge_tree=False`, the default) keeps untrusted documents to their own text.",
    example: `from lxml import etree

def read_manifest(upload):
    tree = etree.fromstring(upload.read())
    return tree.findtext("name")`,
    useInstead: `from lxml import etree

SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)

def read_manifest(upload):
    tree = etree.fromstring(upload.read(), parser=SAFE_PARSER)
    return tree.findtext("name")`,
    references: [
      { title: 'Bandit B410: import_lxml', url: 'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_imports.html#b410-import-lxml' },
      { title: 'lxml FAQ: How do I use lxml safely as a web-service endpoint?', url: 'https://lxml.de/FAQ.html#how-do-i-use-lxml-safely-as-a-web-service-endpoint' },
      PYTHON_XML_VULNS_REF,
      XXE_CHEATSHEET_REF,
    ],
  },
});
