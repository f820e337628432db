// The shape of a rule and the context it runs in.
//
// A rule declares the node types it wants (`nodeTypes`) and a `check()` that decides. The
// runner walks each tree once and dispatches every node to the rules registered for its type,
// so adding a rule costs only the nodes it asks for (DESIGN.md proposed one tree-sitter query
// per rule; one dispatching walk measured faster in wasm and keeps rule code plain TypeScript).

import type { FileFacts } from './facts';
import type { OwaspMapping } from './owasp';
import type { Node } from './parser';
import type { Confidence, Fix, OffsetEdit, Severity, Span } from './types';

export interface RuleDocs {
  /** Markdown: what the rule detects. */
  what: string;
  /** Markdown: why it matters, in terms of a real attack. */
  why: string;
  /** Python code that the rule reports. */
  example: string;
  /** Python code that does the same thing safely. */
  useInstead: string;
  /** Markdown: when the fix is safe or unsafe and why. Required when the rule has a fix. */
  fixSafety?: string;
  references?: { title: string; url: string }[];
}

export type FixAvailability = 'none' | 'sometimes' | 'always';

export interface RuleMeta {
  /** `SEC` + three digits; the hundreds digit is the family (DESIGN.md section 3). */
  id: string;
  /** Kebab-case, reads as "allow <name>": equal to the rule file, fixture and docs anchor. */
  name: string;
  /** One line for tables and pickers. */
  summary: string;
  owasp: OwaspMapping;
  cwe: number[];
  severity: Severity;
  confidence: Confidence;
  fix: FixAvailability;
  status: 'stable' | 'preview';
  /** Off unless selected (e.g. import-only rules that mostly produce noise). */
  enabledByDefault: boolean;
  /** Bandit (`B602`) and Ruff (`S602`) codes, honoured in `# nosec` and `# noqa` comments. */
  aliases: string[];
  /** Free-form tags such as framework names, shown in docs and usable in `select`. */
  tags: string[];
  docs: RuleDocs;
}

export interface FileContext {
  /** Path as given (absolute in the server, as typed on the command line in the CLI). */
  readonly path: string;
  /** Test code: `test_*.py`, `*_test.py`, `tests/`, `conftest.py`, or pytest/unittest imports. */
  readonly isTest: boolean;
  /** A Django-style settings module (by path or by its module-level settings). */
  readonly isSettings: boolean;
  /** Project-specific taint sources and sanitizers (`[tool.parapet] sources/sanitizers`). */
  readonly taint?: TaintConfig;
}

export interface TaintConfig {
  /** Qualified names (or dotted names as written) of calls and attributes that give untrusted data. */
  sources: readonly string[];
  /** Qualified names (or dotted names as written) of calls whose result is safe for every sink. */
  sanitizers: readonly string[];
}

export interface ReportOptions {
  /** The message; `{line0}`, `{line1}`... stand for the line numbers of `lines`. */
  message: string;
  /**
   * Offsets whose (1-based) line numbers the message shows: the runner writes them in, so a
   * finding carried over while typing names the lines where those places are now.
   */
  lines?: number[];
  fixes?: Fix[];
  severity?: Severity;
  confidence?: Confidence;
  related?: { at: Node | Span; message: string }[];
}

export interface ImportRef {
  /** The expression to use in code: `secrets`, an alias, or `datetime.timedelta`. */
  ref: string;
  /** Edits that add the import; empty when the file already has it. */
  edits: OffsetEdit[];
}

export interface RuleContext {
  readonly file: FileContext;
  /** The original text of the file (spans and fixes index into this). */
  readonly text: string;
  readonly root: Node;
  readonly facts: FileFacts;
  /** The end-of-line sequence the file uses, for fixes that add lines. */
  readonly eol: string;
  /** Original source text of a node. */
  textOf(node: Node | Span): string;
  /** Qualified name of an identifier/attribute chain through the file's imports, or null. */
  resolve(expr: Node | null | undefined): string | null;
  /** Qualified name of a call's callee. */
  callName(call: Node): string | null;
  report(at: Node | Span, options: ReportOptions): void;
  /** A value computed once per file and shared by every rule (lazy file-level facts). */
  memo<T>(key: string, compute: () => T): T;
  /**
   * The parts of a whole-file fact, one per region of the file (each function unit and the
   * code outside them, or the whole file at once when not typing), in no particular order.
   * While typing, the parts of unchanged functions are carried over from the last analysis.
   */
  parts<P>(part: FilePart<P>): readonly P[];
  /** How code in this file refers to `module` (or `module.name`), adding the import if needed. */
  requireImport(module: string, name?: string): ImportRef;
}

/**
 * A whole-file fact assembled from parts (`RuleContext.parts`), so that a `local` rule can
 * depend on the whole file through its `fileKey` without a walk of the whole file per edit.
 */
export interface FilePart<P> {
  /** Unique among parts: the cache key. */
  readonly name: string;
  /** The node types a part is computed from. */
  readonly nodeTypes: readonly string[];
  /**
   * Only the nodes whose text is one of these words (identifiers, say): they are found by
   * searching the region's text instead of walking its tree, which costs far less for a
   * type as common as `identifier`. Must depend on the file facts only.
   */
  words?(ctx: RuleContext): readonly string[];
  /**
   * The part of one region from its nodes of `nodeTypes`, in text order. Plain data, no nodes
   * or offsets: it is carried over to later analyses of the same document. It may depend on
   * the file facts and on the enclosing function of a node, nothing else outside the nodes.
   */
  compute(nodes: readonly Node[], ctx: RuleContext): P;
}

export interface Rule extends RuleMeta {
  /** Named node types this rule's `check` receives. */
  nodeTypes: readonly string[];
  check(node: Node, ctx: RuleContext): void;
  /**
   * For template rules (Django/Jinja `.html` templates): checks the template text. A rule
   * with `checkTemplate` runs on templates only; Python analysis never dispatches to it.
   */
  checkTemplate?(ctx: TemplateContext): void;
  /**
   * Cheap per-file gate, evaluated once before the walk (a regex over the text at most): a
   * rule that does not apply is not run on the file at all.
   */
  appliesTo?(file: FileContext, facts: FileFacts, text: string): boolean;
  /**
   * The rule is local: what it reports while checking a node depends only on the outermost
   * function holding the node, on the code outside every function (module and class level)
   * and on the file facts, never on another function's body. Local rules re-run only in the
   * functions that changed while typing (units.ts). Rules with `finish` are never local.
   * `'calls'`: local except that it also depends on the functions connected to the node's
   * function by calls (its callees' summaries, its callers' arguments, the other methods of
   * its class); it re-runs in the functions a change can reach that way (callgraph.ts).
   */
  local?: boolean | 'calls';
  /**
   * For a `local` rule that also depends on something of the whole file (a regex over the
   * text, a fact assembled from `ctx.parts`): that dependency, as a string. While typing, the
   * rule's findings in unchanged functions are carried over only while it is the same.
   * Called before the walk of every incremental analysis: it must be cheap.
   */
  fileKey?(ctx: RuleContext): string;
  /** Called once after the walk, for rules that decide from the whole file. */
  finish?(ctx: RuleContext): void;
}

/** What a template rule sees: the text, and a way to report spans with optional fixes. */
export interface TemplateContext {
  readonly path: string;
  readonly text: string;
  report(span: Span, options: ReportOptions): void;
}

export type RuleInput = Omit<Rule, 'status' | 'enabledByDefault' | 'aliases' | 'tags' | 'fix'> &
  Partial<Pick<Rule, 'status' | 'enabledByDefault' | 'aliases' | 'tags' | 'fix'>>;

const ID = /^SEC\d{3}$/;
const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export function defineRule(input: RuleInput): Rule {
  if (!ID.test(input.id)) throw new Error(`rule id ${input.id} is not SEC + three digits`);
  if (!NAME.test(input.name)) throw new Error(`rule name ${input.name} is not kebab-case`);
  const rule: Rule = {
    status: 'stable',
    enabledByDefault: true,
    aliases: [],
    tags: [],
    fix: 'none',
    ...input,
  };
  if (rule.fix !== 'none' && !rule.docs.fixSafety) throw new Error(`${rule.id} has a fix but no fixSafety docs`);
  return rule;
}

/** Builds a fix from edits; keeps call sites short. */
export function fix(title: string, safety: Fix['safety'], ...edits: (OffsetEdit | OffsetEdit[])[]): Fix {
  return { title, safety, edits: edits.flat() };
}

export function replace(at: Node | Span, newText: string): OffsetEdit {
  return { start: spanStart(at), end: spanEnd(at), newText };
}

export function insertAt(offset: number, newText: string): OffsetEdit {
  return { start: offset, end: offset, newText };
}

function spanStart(at: Node | Span): number {
  return 'startIndex' in at ? at.startIndex : at.start;
}

function spanEnd(at: Node | Span): number {
  return 'endIndex' in at ? at.endIndex : at.end;
}

export function toSpan(at: Node | Span): Span {
  return { start: spanStart(at), end: spanEnd(at) };
}
