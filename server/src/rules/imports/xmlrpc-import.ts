import { importBlacklistRule } from './blacklist';
import { DEFUSEDXML_REF, PYTHON_XML_VULNS_REF } from './xml-common';

const XMLRPC_HARMLESS = ['Fault', 'ProtocolError', 'Error', 'ResponseError', 'Binary', 'DateTime', 'Boolean', 'dumps', 'MAXINT', 'MININT', 'escape'];

export default importBlacklistRule({
  id: 'SEC411',
  name: 'xmlrpc-import',
  summary: '`xmlrpc` imported: XML-RPC parses XML from the network without entity limits',
  owasp: { '2025': 'A02', '2021': 'A05' },
  cwe: [776],
  severity: 'warning',
  confidence: 'high',
  aliases: ['B411', 'S411'],
  tags: ['xml', 'network'],
  enabledByDefault: false,
  skipTests: true,
  modules: ['xmlrpc', 'xmlrpclib', 'SimpleXMLRPCServer', 'DocXMLRPCServer'],
  harmless: { 'xmlrpc.client': XMLRPC_HARMLESS, xmlrpclib: XMLRPC_HARMLESS },
  message: (m) => `\`${m}\` is imported: XML-RPC parses XML from the network; call \`defusedxml.xmlrpc.monkey_patch()\` first`,
  docs: {
    what: 'Reports imports of `xmlrpc.client` and `xmlrpc.server` (and their Python 2 names `xmlrpclib`, `SimpleXMLRPCServer`, `DocXMLRPCServer`) in every import form. An `xmlrpc.client` import used only for `Fault`, `Binary`, `DateTime` or `dumps` (which writes XML and parses nothing) is not reported. Off by default; test files and `if TYPE_CHECKING:` imports are skipped. There is no quick fix: the mitigation is a call at start-up, shown below.',
    why: "An XML-RPC server parses the body of every request it receives, and a client parses every response, from whoever is on the other end. The stdlib parser expands the entities a document declares, so one small request shaped as a \"billion laughs\" document exhausts the server's memory (CWE-776), and decompression of a gzip-encoded body (a \"zip bomb\") does the same. `defusedxml.xmlrpc.monkey_patch()` replaces the parser with one that refuses entity declarations and limits decompression; `xmlrpc.server` also offers `allow_dotted_names`, which exposes far more than intended when enabled.",
    example: `from xmlrpc.server import SimpleXMLRPCServer

server = SimpleXMLRPCServer(("0.0.0.0", 8000))
server.register_function(lookup_user)
server.serve_forever()`,
    useInstead: `from defusedxml.xmlrpc import monkey_patch
from xmlrpc.server import SimpleXMLRPCServer

monkey_patch()
server = SimpleXMLRPCServer(("127.0.0.1", 8000))
server.register_function(lookup_user)
server.serve_forever()`,
    references: [
      { title: 'Bandit B411: import_xmlrpclib', url: 'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_imports.html#b411-import-xmlrpclib' },
      { title: 'Python docs: xmlrpc (warning on untrusted data)', url: 'https://docs.python.org/3/library/xmlrpc.html' },
      PYTHON_XML_VULNS_REF,
      DEFUSEDXML_REF,
    ],
  },
});
