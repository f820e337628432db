import type { Node } from '../../engine/parser';
import { defineRule, type FilePart, type RuleContext } from '../../engine/rule';
import { SinkKind } from '../../engine/taint';
import { argument, callArgs, dottedName, isFalse, isNone, isTrue, stringValue, unparen } from '../../engine/syntax';
import type { Confidence } from '../../engine/types';
import { assignedValues } from './assigned';
import { FLOW_NOTE, reportFlows } from './report';

/** lxml functions that parse with the default parser unless given one as `parser=` (second argument). */
const LXML_PARSE = new Set(['lxml.etree.fromstring', 'lxml.etree.XML', 'lxml.etree.parse']);
/**
 * lxml parser classes and their default for `resolve_entities`: `'internal'` (no external
 * entities) for `XMLParser` and `XMLPullParser` since lxml 5.0; still `True` for
 * `ETCompatXMLParser` (and `iterparse`) before lxml 6.1.
 */
const LXML_PARSERS: Record<string, Confidence> = { 'lxml.etree.XMLParser': 'medium', 'lxml.etree.XMLPullParser': 'medium', 'lxml.etree.ETCompatXMLParser': 'high' };
/** SAX features that make the parser load external entities. */
const EXTERNAL_FEATURES = /^(?:xml\.sax\.handler\.)?feature_external_(?:ges|pes)$|^http:\/\/xml\.org\/sax\/features\/external-(?:general|parameter)-entities$/;
/** Standard-library functions that take a SAX parser as `parser=` (second argument). */
const STDLIB_WITH_PARSER = new Set(['xml.dom.pulldom.parse', 'xml.dom.pulldom.parseString', 'xml.dom.minidom.parse', 'xml.dom.minidom.parseString']);

interface Risk {
  confidence: Confidence;
  why: string;
}

/**
 * What lxml parser options make of external entities: null when entities are off
 * (`resolve_entities=False` or `'internal'`) and no DTD is fetched over the network.
 */
function lxmlOptions(args: ReturnType<typeof callArgs>, byDefault: Confidence, what: string): Risk | null {
  const resolve = args.keywords.get('resolve_entities') ?? null;
  const network = isFalse(args.keywords.get('no_network') ?? null);
  const dtd = isTrue(args.keywords.get('load_dtd') ?? null) || isTrue(args.keywords.get('dtd_validation') ?? null);
  if (network && dtd) return { confidence: 'high', why: `${what} with \`no_network=False\`, which fetches external DTDs` };
  if (resolve && (isFalse(resolve) || stringValue(resolve) === 'internal')) return null;
  if (isTrue(resolve)) return { confidence: 'high', why: `${what} with \`resolve_entities=True\`` };
  if (resolve) return null; // A value we cannot read: the parser is reported by SEC313 where it is made.
  return byDefault === 'high'
    ? { confidence: 'high', why: `${what}, which resolves external entities by default before lxml 6.1` }
    : { confidence: 'medium', why: `${what}, which resolves external entities by default before lxml 5.0` };
}

/** The risk of an lxml parser expression: a constructor call, or a name assigned one. */
function lxmlParser(expr: Node, ctx: RuleContext): Risk | null {
  const e = unparen(expr);
  let call: Node | null = e.type === 'call' ? e : null;
  if (!call && e.type === 'identifier') {
    // One assignment of a constructor call: anything else (a parameter, a factory) is unknown.
    const values = assignedValues(e.text, e, ctx);
    call = values.length === 1 && values[0]!.type === 'call' ? values[0]! : null;
  }
  if (!call) return null;
  const name = ctx.callName(call);
  const byDefault = name ? LXML_PARSERS[name] : undefined;
  if (!byDefault) return null; // `HTMLParser()`, a defusedxml parser, a helper: not an XML parser that resolves entities.
  return lxmlOptions(callArgs(call), byDefault, `an lxml \`${name!.split('.').pop()}\``);
}

/**
 * Names of SAX parsers that the file turns external entities on for:
 * `p.setFeature(feature_external_ges, True)`, anywhere in the file. A part per function, so
 * that typing elsewhere does not search the whole file again.
 */
const EXTERNAL_SAX: FilePart<string[]> = {
  name: 'SEC912:sax',
  nodeTypes: ['call'],
  compute(calls, ctx) {
    const out: string[] = [];
    for (const n of calls) {
      const fn = n.childForFieldName('function');
      if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'setFeature') {
        const args = callArgs(n);
        const feature = args.positional[0] ?? null;
        const name = feature ? stringValue(feature) ?? ctx.resolve(feature) ?? dottedName(feature) : null;
        const receiver = dottedName(fn.childForFieldName('object'));
        if (name && receiver && EXTERNAL_FEATURES.test(name) && isTrue(args.positional[1] ?? null)) out.push(receiver);
      }
    }
    return out;
  },
};

function externalSaxParsers(ctx: RuleContext): Set<string> {
  return ctx.memo('SEC912:sax', () => (ctx.text.includes('setFeature') ? new Set(ctx.parts(EXTERNAL_SAX).flat()) : new Set<string>()));
}

/** Whether `expr` names a SAX parser made by `xml.sax.make_parser()` with external entities turned on. */
function isExternalSaxParser(expr: Node | null | undefined, ctx: RuleContext): boolean {
  const name = expr ? dottedName(unparen(expr)) : null;
  return !!name && externalSaxParsers(ctx).has(name);
}

export default defineRule({
  id: 'SEC912',
  name: 'tainted-xml-parse',
  summary: 'Request data or an uploaded file is parsed as XML by a parser that resolves external entities (XXE)',
  owasp: { '2025': 'A02', '2021': 'A05' },
  cwe: [611],
  severity: 'error',
  confidence: 'high',
  tags: ['dataflow', 'xml', 'lxml', 'xxe'],
  nodeTypes: ['call'],
  appliesTo: (_file, facts) => facts.importedModules.has('lxml') || facts.importedModules.has('xml'),
  // Findings elsewhere depend on the SAX parsers the whole file configures.
  fileKey: (ctx) => [...externalSaxParsers(ctx)].sort().join(),
  check(call, ctx) {
    const name = ctx.callName(call);
    const args = callArgs(call);
    let risk: Risk | null = null;
    let label = '';
    if (name && LXML_PARSE.has(name)) {
      label = `etree.${name.split('.').pop()}()`;
      const parser = argument(args, 1, 'parser');
      if (!parser || isNone(unparen(parser))) risk = { confidence: 'medium', why: "lxml's default parser, which resolves external entities before lxml 5.0" };
      else risk = lxmlParser(parser, ctx);
    } else if (name === 'lxml.etree.iterparse') {
      label = 'etree.iterparse()';
      // `iterparse` takes the parser options itself; `html=True` parses HTML, which has no entities.
      if (!isTrue(args.keywords.get('html') ?? null)) risk = lxmlOptions(args, 'high', 'its own parser');
    } else if (name && STDLIB_WITH_PARSER.has(name)) {
      label = `${name.split('.').slice(-2).join('.')}()`;
      if (isExternalSaxParser(argument(args, 1, 'parser'), ctx)) risk = { confidence: 'high', why: 'a SAX parser with external entities turned on (`setFeature(feature_external_ges, True)`)' };
    } else {
      // `parser.parse(source)` on a SAX parser with external entities turned on.
      const fn = call.childForFieldName('function');
      if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'parse' && isExternalSaxParser(fn.childForFieldName('object'), ctx)) {
        label = `${ctx.textOf(fn).replace(/\s+/g, '')}()`;
        risk = { confidence: 'high', why: 'a SAX parser with external entities turned on (`setFeature(feature_external_ges, True)`)' };
      }
    }
    if (!risk) return;
    const source = args.positional[0] ?? args.keywords.get('source') ?? args.keywords.get('text') ?? args.keywords.get('string') ?? args.keywords.get('stream_or_string') ?? args.keywords.get('file') ?? null;
    if (source) reportFlows(ctx, source, source, SinkKind.xxe, `the XML parsed by \`${label}\` with ${risk.why}`, risk.confidence);
  },
  docs: {
    what:
      "Reports untrusted data (a request body, an uploaded file, request parameters) parsed as XML by a parser that resolves external entities: lxml's `etree.fromstring()`, `etree.XML()` and `etree.parse()` with the default parser or with an `XMLParser`/`XMLPullParser`/`ETCompatXMLParser` that does not set `resolve_entities=False` (or `'internal'`), `etree.iterparse()` without it, any of them with `no_network=False` and DTD loading on, and standard-library SAX parsers (`parser.parse()`, and `pulldom`/`minidom` given `parser=`) on which the file calls `setFeature(feature_external_ges, True)`. Confidence is medium where only old lxml versions resolve external entities by default (the default parser and `XMLParser()` before 5.0) and high where the code asks for them or the default is still unsafe (`iterparse` and `ETCompatXMLParser` before 6.1).\n\n" +
      "Not reported: `xml.etree.ElementTree`, `minidom`, `pulldom` and `xml.sax` with their default parsers, which have not loaded external entities since Python 3.7.1 (they still expand internal entities: SEC313 reports every such parser, whatever it parses); `defusedxml` functions; a parser passed in from elsewhere (it is checked where it is made). SEC313 reports each XML parser regardless of the data; this rule says when a user supplies the document." +
      FLOW_NOTE,
    why: 'An XML document can declare an external entity, `<!ENTITY x SYSTEM "file:///etc/passwd">`, and use it in its content: a parser that resolves it reads the file into the document, which the application then stores or echoes back. `http://` entities make the server send requests to internal services (server-side request forgery), and a document can exfiltrate data out of band even when nothing is echoed.',
    example: `from flask import request
from lxml import etree

@app.route("/import", methods=["POST"])
def import_feed():
    doc = etree.fromstring(request.data)`,
    useInstead: `from flask import request
from lxml import etree

PARSER = etree.XMLParser(resolve_entities=False, no_network=True)

@app.route("/import", methods=["POST"])
def import_feed():
    doc = etree.fromstring(request.data, PARSER)`,
    references: [
      { title: 'OWASP XML External Entity Prevention Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html' },
      { title: 'Python docs: XML vulnerabilities', url: 'https://docs.python.org/3/library/xml.html#xml-vulnerabilities' },
      { title: 'lxml: parser options', url: 'https://lxml.de/parsing.html#parser-options' },
    ],
  },
});
