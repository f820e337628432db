// Shared data for the XML import rules (SEC405-SEC411): what each stdlib XML module can do
// without parsing, and which defusedxml module replaces it for the quick fix.

import type { DefusedModule } from './blacklist';

/** Building, serialising and exception names: a module used only for these parses nothing. */
export const ETREE_HARMLESS = ['Element', 'SubElement', 'Comment', 'ProcessingInstruction', 'PI', 'QName', 'tostring', 'tostringlist', 'dump', 'register_namespace', 'indent', 'iselement', 'ParseError', 'TreeBuilder'];

/** defusedxml.ElementTree provides these names of xml.etree.ElementTree (not Element/SubElement). */
export const DEFUSED_ETREE: DefusedModule = {
  module: 'defusedxml.ElementTree',
  names: ['parse', 'iterparse', 'fromstring', 'XML', 'XMLParser', 'ParseError', 'tostring'],
};

export const XML_FIX_SAFETY = `The fix replaces the import with the [defusedxml](https://pypi.org/project/defusedxml/) module of the same API, and is offered only when every name the file uses from the module exists in the defusedxml module (defusedxml has no \`Element\`, \`SubElement\`, \`Document\`, \`ContentHandler\` and so on, so a file that builds XML keeps the standard import). It is **unsafe**: it adds a dependency that must be installed (\`pip install defusedxml\`), and documents that declare entities or reference external resources, which parsed before, now raise \`defusedxml.EntitiesForbidden\` or \`ExternalReferenceForbidden\`. That is the point of the change, but it is a behaviour change to test.`;

export const DEFUSEDXML_REF = { title: 'defusedxml: XML bomb protection for Python stdlib modules', url: 'https://pypi.org/project/defusedxml/' };
export const PYTHON_XML_VULNS_REF = { title: 'Python docs: XML vulnerabilities', url: 'https://docs.python.org/3/library/xml.html#xml-vulnerabilities' };
export const XXE_CHEATSHEET_REF = { title: 'OWASP XML External Entity Prevention Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html' };
