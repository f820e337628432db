import type { Node } from '../../engine/parser';
import { defineRule, fix, replace, type RuleContext } from '../../engine/rule';
import { canUseImport } from '../../engine/scope';
import { argument, callArgs, isFalse, isNone, unparen } from '../../engine/syntax';
import type { Fix } from '../../engine/types';
import { requireModule } from '../util/modules';

interface Parser {
  /** The defusedxml module with a drop-in function of the same name, or null. */
  defused: string | null;
  /** Keyword arguments the defusedxml function does not take: with one of them, no fix. */
  noFixKeywords?: string[];
  /** Position and name of the `parser=` argument: with a parser given, no fix. */
  parserArg?: [number, string];
}

const ETREE_FUNCTIONS: Record<string, Parser> = {
  parse: { defused: 'defusedxml.ElementTree', parserArg: [1, 'parser'] },
  iterparse: { defused: 'defusedxml.ElementTree', parserArg: [2, 'parser'] },
  fromstring: { defused: 'defusedxml.ElementTree', parserArg: [1, 'parser'] },
  XML: { defused: 'defusedxml.ElementTree', parserArg: [1, 'parser'] },
  XMLParser: { defused: 'defusedxml.ElementTree' },
};

/** Standard-library parsers by qualified name (Bandit B313-B319). */
const STDLIB: Record<string, Parser & { bandit: string }> = {};
for (const [fn, p] of Object.entries(ETREE_FUNCTIONS)) {
  STDLIB[`xml.etree.ElementTree.${fn}`] = { ...p, bandit: 'B314' };
  STDLIB[`xml.etree.cElementTree.${fn}`] = { ...p, bandit: 'B313' };
}
for (const fn of ['parse', 'parseString', 'make_parser']) STDLIB[`xml.sax.${fn}`] = { defused: 'defusedxml.sax', bandit: 'B317' };
STDLIB['xml.sax.expatreader.create_parser'] = { defused: 'defusedxml.expatreader', bandit: 'B315' };
for (const fn of ['parse', 'parseString']) {
  STDLIB[`xml.dom.minidom.${fn}`] = { defused: 'defusedxml.minidom', bandit: 'B318', parserArg: [1, 'parser'] };
  STDLIB[`xml.dom.pulldom.${fn}`] = { defused: 'defusedxml.pulldom', bandit: 'B319', parserArg: [1, 'parser'] };
  STDLIB[`xml.dom.expatbuilder.${fn}`] = { defused: 'defusedxml.expatbuilder', bandit: 'B316' };
}

/** lxml functions that parse with the default parser unless given one. */
const LXML_PARSE: Record<string, [number, string]> = {
  'lxml.etree.parse': [1, 'parser'],
  'lxml.etree.fromstring': [1, 'parser'],
  'lxml.etree.XML': [1, 'parser'],
};
/** lxml parsers and `iterparse`, which take the parser options (`resolve_entities=`) directly. */
const LXML_PARSERS = new Set(['lxml.etree.XMLParser', 'lxml.etree.XMLPullParser', 'lxml.etree.iterparse']);
const EXPAT_CREATE = new Set(['xml.parsers.expat.ParserCreate', 'pyexpat.ParserCreate']);

/** Whether an lxml parser construction turns entity resolution off (`resolve_entities=False`). */
function lxmlParserIsSafe(call: Node): boolean {
  return isFalse(callArgs(call).keywords.get('resolve_entities') ?? null);
}

/** The argument a call receives as its parser (`parser=`), or null when none. */
function parserArgument(call: Node, at: [number, string] | undefined): Node | null {
  if (!at) return null;
  const arg = argument(callArgs(call), at[0], at[1]);
  return arg && !isNone(unparen(arg)) ? arg : null;
}

function defusedFix(call: Node, name: string, parser: Parser, ctx: RuleContext): Fix[] {
  if (!parser.defused) return [];
  const args = callArgs(call);
  if (args.hasStarKwargs) return [];
  const callee = call.childForFieldName('function');
  if (!callee) return [];
  const imp = requireModule(ctx, parser.defused);
  if (!canUseImport(imp, call, ctx)) return [];
  const fn = name.slice(name.lastIndexOf('.') + 1);
  return [fix(`Use \`${parser.defused}.${fn}\``, 'unsafe', replace(callee, `${imp.ref}.${fn}`), imp.edits)];
}

export default defineRule({
  id: 'SEC313',
  name: 'xml-unsafe-parser',
  local: true,
  summary: 'XML parsed with a parser that expands entities (`xml.etree`, `xml.sax`, `minidom`, `lxml`...)',
  owasp: { '2025': 'A02', '2021': 'A05' },
  cwe: [776, 611],
  severity: 'warning',
  confidence: 'medium',
  fix: 'sometimes',
  aliases: ['B313', 'B314', 'B315', 'B316', 'B317', 'B318', 'B319', 'B320', 'S313', 'S314', 'S315', 'S316', 'S317', 'S318', 'S319'],
  tags: ['xml'],
  nodeTypes: ['call'],
  appliesTo: (file, facts) => !file.isTest && (facts.importedModules.has('xml') || facts.importedModules.has('lxml') || facts.importedModules.has('pyexpat')),
  check(call, ctx) {
    const name = ctx.callName(call);
    if (!name) return;
    const label = `${ctx.textOf(call.childForFieldName('function')!).replace(/\s+/g, '')}()`;
    const std = STDLIB[name];
    if (std) {
      // With a parser of its own (a `DefusedXMLParser`, or one reported where it is made), the
      // call is as safe as that parser.
      if (parserArgument(call, std.parserArg)) return;
      ctx.report(call, {
        message: `\`${label}\` parses XML with the standard library, which expands entity declarations (entity-expansion denial of service)`,
        fixes: defusedFix(call, name, std, ctx),
      });
      return;
    }
    if (EXPAT_CREATE.has(name)) {
      ctx.report(call, {
        message: `\`${label}\` creates a raw expat parser that expands entity declarations`,
        confidence: 'low',
      });
      return;
    }
    if (LXML_PARSERS.has(name)) {
      if (lxmlParserIsSafe(call)) return;
      const what = name.endsWith('.iterparse') ? 'parses XML with entity resolution on (XXE)' : 'creates an lxml parser that resolves entities (XXE)';
      ctx.report(call, { message: `\`${label}\` ${what}: pass \`resolve_entities=False\`` });
      return;
    }
    const lxml = LXML_PARSE[name];
    if (lxml) {
      const given = parserArgument(call, lxml);
      if (given) return; // The parser is checked where it is created (or is one we cannot see).
      ctx.report(call, { message: `\`${label}\` parses XML with lxml's default parser, which resolves entities (XXE)` });
    }
  },
  docs: {
    what: 'Finds XML parsing with the standard library (`xml.etree.ElementTree` / `cElementTree` `parse`, `iterparse`, `fromstring`, `XML`, `XMLParser`; `xml.sax` `parse`, `parseString`, `make_parser`; `xml.sax.expatreader.create_parser`; `xml.dom.minidom`, `xml.dom.pulldom` and `xml.dom.expatbuilder` `parse` / `parseString`; `xml.parsers.expat.ParserCreate`, with low confidence) and with lxml (`lxml.etree.parse`, `fromstring` and `XML` without a `parser=`, and `lxml.etree.XMLParser(...)`, `XMLPullParser(...)` and `iterparse(...)` without `resolve_entities=False`). A call given its own `parser=` is not reported: it is as safe as that parser, which is reported where it is created (unless it is a `defusedxml` parser or an lxml parser with `resolve_entities=False`). Building and serialising XML (`Element`, `SubElement`, `tostring`) is not reported, nor are test files.',
    why: 'An XML document can declare entities that expand into other entities: a few hundred bytes of "billion laughs" or quadratic-blowup payload expand to gigabytes and take the worker down. Parsers that resolve external entities (lxml before 5.0 by default, `xml.sax` and `pulldom` with `feature_external_ges` on, old Python versions) go further: `<!ENTITY x SYSTEM "file:///etc/passwd">` reads local files into the parsed document, and `http://` entities make the server send requests (XXE, server-side request forgery). Any XML that comes from a request, an upload or a third-party feed is attacker-controlled. `defusedxml` provides drop-in versions of the standard-library functions that refuse entity declarations.',
    example: `import xml.etree.ElementTree as ET
from lxml import etree

def import_feed(request):
    root = ET.fromstring(request.body)
    doc = etree.fromstring(request.body)`,
    useInstead: `import defusedxml.ElementTree
from lxml import etree

def import_feed(request):
    root = defusedxml.ElementTree.fromstring(request.body)
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    doc = etree.fromstring(request.body, parser)`,
    fixSafety: 'The fix calls the `defusedxml` function of the same name (`defusedxml.ElementTree`, `.sax`, `.expatreader`, `.minidom`, `.pulldom`, `.expatbuilder`) and adds its import. It is unsafe: `defusedxml` is a new dependency that must be installed, and documents with entity declarations (and, with `forbid_dtd=True`, any DTD) now raise `EntitiesForbidden` instead of parsing. There is no fix for lxml (`defusedxml.lxml` is deprecated): pass a parser made with `resolve_entities=False`, or for `xml.parsers.expat` use `defusedxml.expatreader`.',
    references: [
      { title: 'Python docs: XML vulnerabilities', url: 'https://docs.python.org/3/library/xml.html#xml-vulnerabilities' },
      { title: 'defusedxml on PyPI', url: 'https://pypi.org/project/defusedxml/' },
      { title: 'OWASP XML External Entity Prevention Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html' },
    ],
  },
});
