// Runs the enabled rules over one parsed file: one statement-level pass for file facts, then one
// cursor walk that dispatches each node to the rules registered for its type and collects
// suppression comments, then suppression filtering and the meta findings about suppressions.
//
// Every rule runs inside a try/catch: a rule that throws is disabled for the rest of this file,
// reported once as a notice, and the other rules carry on.

import { collectFacts, functionBindingsIn, resolveDotted, type FileFacts } from './facts';
import { pythonLanguage, releaseTreeCaches, setWalkCursor, type Node, type Tree, type TreeCursor } from './parser';
import {
  toSpan,
  type FileContext,
  type FilePart,
  type ImportRef,
  type ReportOptions,
  type Rule,
  type RuleContext,
  type TaintConfig,
} from './rule';
import {
  codeMatches,
  headerSpan,
  ignoreCommentEdit,
  parseComment,
  statementHeader,
  type Directive,
} from './suppressions';
import { advance, dottedName, enclosingFunction, isStatement, namedTypeIds, nodesOfTypes, nodesSpelled } from './syntax';
import { affectedUnits, unitCode, type UnitCode } from './callgraph';
import { gotoNode, OffsetMap, skeletonOf, TEXT_UNIT, UNIT_CONTAINERS, unitAt, unitsOf, type Unit } from './units';
import {
  confidenceRank,
  type AnalysisNotice,
  type Confidence,
  type Finding,
  type Fix,
  type OffsetEdit,
  type Position,
  type Severity,
  type Span,
} from './types';

export interface LineIndex {
  positionAt(offset: number): Position;
  offsetAt(position: Position): number;
  readonly lineCount: number;
}

export interface AnalyzeOptions {
  /** Rules enabled for this file, after configuration. */
  rules: readonly Rule[];
  /** Every known rule, to tell an unknown code in a suppression from a disabled one. */
  knownRules: readonly Rule[];
  severity?: ReadonlyMap<string, Severity>;
  minConfidence?: Confidence;
  /** Time budget for the walk; past it the analysis stops with a notice. */
  budgetMs?: number;
  /** Treat the file as test code regardless of its path (e.g. a notebook cell never is). */
  isTest?: boolean;
  /** Project-specific taint sources and sanitizers. */
  taint?: TaintConfig;
  onRuleError?: (ruleId: string, error: unknown) => void;
  /**
   * Incremental analysis (the language server while typing): return a state for the next
   * analysis of the same document, and start from `previous` when there is one. Rules declared
   * `local` then re-run only in the functions whose text changed; see units.ts.
   */
  incremental?: { previous: IncrementalState | null };
}

/** What one analysis leaves for the next analysis of the same document. Holds no tree nodes. */
export interface IncrementalState {
  /** Everything besides the units that the findings of local rules depend on. */
  readonly key: string;
  readonly text: string;
  readonly units: readonly Unit[];
  readonly raws: readonly CachedRaw[];
  /** Comments (suppression candidates), with the unit holding each (-1: the skeleton). */
  readonly comments: readonly CachedComment[];
  /** The `fileKey`s of the local rules. */
  readonly fileKey: string;
  /** `ctx.parts` values by part name: the skeleton's, then each unit's. */
  readonly parts: ReadonlyMap<string, readonly unknown[]>;
  /** For rules local through calls: the skeleton's code, then each unit's (callgraph.ts). */
  readonly codes: readonly UnitCode[] | null;
}

/** A comment (a suppression candidate) and the unit holding it (-1: the skeleton). */
interface CachedComment {
  home: number;
  start: number;
  end: number;
}

interface CachedRaw {
  ruleId: string;
  local: Locality;
  home: number;
  order: number;
  span: Span;
  header: [number, number];
  options: ReportOptions;
}

/** How a rule's findings may be carried over: see `Rule.local`. */
type Locality = 'unit' | 'calls' | false;

function localityOf(r: Rule): Locality {
  if (r.finish) return false;
  return r.local === true ? 'unit' : r.local === 'calls' ? 'calls' : false;
}

/** A finding as a rule reported it, before suppressions. */
interface RawReport {
  rule: Rule;
  node: Node | null;
  span: Span;
  options: ReportOptions;
  /** Unit the finding belongs to (-1: the skeleton), for incremental reuse. */
  home: number;
  /** Start of the node being checked when it was reported (finish(): end of file). */
  order: number;
  /** Offsets of the first and last character of the statement header that suppresses it. */
  header?: [number, number];
}

export interface AnalysisResult {
  findings: Finding[];
  notices: AnalysisNotice[];
  directives: Directive[];
  /** Findings removed by a suppression comment, for reports that count them. */
  suppressedCount: number;
  timedOut: boolean;
  facts: FileFacts;
  /** With `incremental`: the state for the next analysis (absent when nothing may be reused). */
  state?: IncrementalState;
  /**
   * With `incremental`: how many units were analysed again, of how many (null: the whole
   * file); `calls`: how many of them for the rules local through calls (null: the whole file).
   */
  reanalysed?: { units: number; of: number; calls?: number | null } | null;
}

/** Meta rules the runner reports itself; defined in rules/meta. */
export const UNUSED_SUPPRESSION = 'SEC001';
export const UNKNOWN_SUPPRESSION = 'SEC002';

const TEST_PATH = /(^|[\\/])(tests?|testing)[\\/]|(^|[\\/])(test_[^\\/]*|[^\\/]*_tests?|conftest)\.py$/i;
const TEST_MODULES = ['pytest', 'unittest', 'nose', 'nose2', 'hypothesis'];
const SETTINGS_PATH = /(^|[\\/])settings[\\/][^\\/]+\.py$|(^|[\\/])([^\\/]*[_-])?settings([_-][^\\/]*)?\.py$/i;
const SETTINGS_NAMES = ['INSTALLED_APPS', 'MIDDLEWARE', 'ROOT_URLCONF', 'ALLOWED_HOSTS', 'DATABASES', 'WSGI_APPLICATION'];

export function fileContext(path: string, facts: FileFacts, forceTest?: boolean): FileContext {
  const isTest = forceTest ?? (TEST_PATH.test(path) || TEST_MODULES.some((m) => facts.importedModules.has(m)));
  const isSettings = SETTINGS_PATH.test(path) || SETTINGS_NAMES.some((n) => facts.moduleAssignments.has(n));
  return { path, isTest, isSettings };
}

function validEdits(edits: OffsetEdit[], length: number): boolean {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let last = -1;
  for (const e of sorted) {
    if (!(e.start >= 0 && e.end >= e.start && e.end <= length)) return false;
    if (e.start < last) return false;
    last = e.end;
  }
  return true;
}

function eolOf(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

/** Where a new import goes: after the last top-level import, else the docstring, else the header comments. */
function importInsertion(text: string, facts: FileFacts, eol: string): { offset: number; prefix: string } {
  const anchor = facts.topLevelImports[facts.topLevelImports.length - 1] ?? facts.docstring;
  if (anchor) {
    const nl = text.indexOf('\n', anchor.endIndex);
    if (nl === -1) return { offset: text.length, prefix: eol };
    return { offset: nl + 1, prefix: '' };
  }
  let offset = 0;
  const header = /^(#![^\n]*\n|#[^\n]*coding[:=][^\n]*\n)/;
  for (let m = header.exec(text); m; m = header.exec(text.slice(offset))) offset += m[0].length;
  return { offset, prefix: '' };
}

export function analyzeTree(text: string, tree: Tree, path: string, lines: LineIndex, options: AnalyzeOptions): AnalysisResult {
  try {
    return runRules(text, tree, path, lines, options);
  } finally {
    // The language server keeps the tree of every open file (for incremental parsing); the
    // memos the rules filled are of no use once the result is cached, so they go now.
    releaseTreeCaches(tree);
  }
}

function runRules(text: string, tree: Tree, path: string, lines: LineIndex, options: AnalyzeOptions): AnalysisResult {
  const root = tree.rootNode;
  const facts = collectFacts(root, text);
  const base = fileContext(path, facts, options.isTest);
  const file: FileContext = options.taint && (options.taint.sources.length || options.taint.sanitizers.length) ? { ...base, taint: options.taint } : base;
  const notices: AnalysisNotice[] = [];
  const raw: RawReport[] = [];
  // The node being checked (its start), or -1 in finish(): where a report belongs.
  let checking = -1;
  let units: Unit[] = [];
  const previous = options.incremental?.previous ?? null;
  // Incremental analysis with an unchanged context: which units changed since `previous`.
  let changed: boolean[] | null = null;
  const partValues = new Map<string, unknown[]>();
  const unitNodes: (Node | undefined)[] = [];
  const unitNode = (i: number): Node => {
    let node = unitNodes[i];
    if (!node) {
      const u = units[i]!;
      const cursor = root.walk();
      try {
        if (!gotoNode(cursor, u.id, u)) throw new Error(`unit ${i} not found in the tree`);
        node = unitNodes[i] = cursor.currentNode;
      } finally {
        cursor.delete();
      }
    }
    return node;
  };
  const memo = new Map<string, unknown>();
  const eol = eolOf(text);
  let current: Rule | undefined;
  const disabled = new Set<string>();

  const failRule = (rule: Rule, error: unknown): void => {
    disabled.add(rule.id);
    const message = error instanceof Error ? error.message : String(error);
    notices.push({ kind: 'rule-error', ruleId: rule.id, message: `${rule.id} (${rule.name}) failed on ${path} and was skipped for this file: ${message}` });
    options.onRuleError?.(rule.id, error);
  };

  const callNames = new Map<number, string | null>();
  let resolveCacheId = -1;
  let resolveCacheValue: string | null = null;
  const ctx: RuleContext = {
    file,
    text,
    root,
    facts,
    eol,
    textOf: (n) => ('startIndex' in n ? text.slice(n.startIndex, n.endIndex) : text.slice(n.start, n.end)),
    resolve(expr) {
      if (!expr) return null;
      if (expr.id === resolveCacheId) return resolveCacheValue;
      const dotted = dottedName(expr);
      let value = dotted === null ? null : resolveDotted(dotted, facts);
      if (value !== null && dotted !== null) {
        // A parameter or local variable of the enclosing function shadows the module name.
        const fn = enclosingFunction(expr);
        if (fn) {
          // Same memo key as scope.ts's functionLocals: each function's bindings are read once.
          const locals = ctx.memo(`fn-bindings:${fn.id}`, () => functionBindingsIn(fn, text));
          if (locals.has(dotted.split('.')[0]!)) value = null;
        }
      }
      resolveCacheId = expr.id;
      resolveCacheValue = value;
      return value;
    },
    callName(call) {
      // Asked by most rules that look at calls, of the same call: resolved once.
      let name = callNames.get(call.id);
      if (name === undefined) callNames.set(call.id, (name = ctx.resolve(call.childForFieldName('function'))));
      return name;
    },
    report(at, opts) {
      if (!current) throw new Error('report() called outside a rule');
      const span = toSpan(at);
      if (!(span.start >= 0 && span.end >= span.start && span.end <= text.length)) {
        throw new Error(`reported span ${span.start}-${span.end} is outside the file`);
      }
      // Related locations as spans: cached findings must not hold nodes of an old tree.
      const kept = opts.related ? { ...opts, related: opts.related.map((r) => ({ at: toSpan(r.at), message: r.message })) } : opts;
      const order = checking >= 0 ? checking : text.length + 1;
      raw.push({ rule: current, node: 'startIndex' in at ? at : null, span, options: kept, home: unitAt(units, checking >= 0 ? checking : span.start), order });
    },
    memo<T>(key: string, compute: () => T): T {
      if (!memo.has(key)) memo.set(key, compute());
      return memo.get(key) as T;
    },
    parts<P>(part: FilePart<P>): readonly P[] {
      let values = partValues.get(part.name) as P[] | undefined;
      if (values) return values;
      const words = part.words?.(ctx);
      const search = (spans: readonly Span[]): Node[] => nodesSpelled(root, text, words!, part.nodeTypes, spans);
      if (!options.incremental) {
        values = [part.compute(words ? search([{ start: 0, end: text.length }]) : nodesOfTypes(root, part.nodeTypes), ctx)];
      } else {
        // The skeleton's part, then each unit's; those of unchanged units are carried over.
        const carried = changed ? (previous!.parts.get(part.name) as P[] | undefined) : undefined;
        if (!carried) {
          // Every region: one search of the file, its nodes sorted into regions.
          const all = words ? search([{ start: 0, end: text.length }]) : nodesOfTypes(root, part.nodeTypes);
          const regions: Node[][] = Array.from({ length: units.length + 1 }, () => []);
          for (const n of all) regions[unitAt(units, n.startIndex) + 1]!.push(n);
          values = regions.map((nodes) => part.compute(nodes, ctx));
        } else {
          // A changed unit's nodes: those a search of the whole file would sort into it.
          const inUnit = (i: number): Node[] => (words ? search([units[i]!]) : nodesOfTypes(unitNode(i), part.nodeTypes)).filter((n) => unitAt(units, n.startIndex) === i);
          values = [carried[0]!];
          for (let i = 0; i < units.length; i++) values.push(!changed![i] ? carried[i + 1]! : part.compute(inUnit(i), ctx));
        }
      }
      partValues.set(part.name, values);
      return values;
    },
    requireImport(module, name): ImportRef {
      // Only module-level imports are visible wherever the fix lands; an import inside some
      // function is not, so the import is added at the top instead.
      const want = name ? `${module}.${name}` : module;
      for (const [local, binding] of facts.imports) {
        if (binding.topLevel && binding.qualified === want) return { ref: local, edits: [] };
      }
      if (name) {
        for (const [local, binding] of facts.imports) {
          if (binding.topLevel && binding.qualified === module) return { ref: `${local}.${name}`, edits: [] };
        }
      }
      const { offset, prefix } = importInsertion(text, facts, eol);
      const statement = name ? `from ${module} import ${name}` : `import ${module}`;
      return { ref: name ?? module, edits: [{ start: offset, end: offset, newText: `${prefix}${statement}${eol}` }] };
    },
  };

  const active = options.rules.filter((r) => {
    try {
      return !r.appliesTo || r.appliesTo(file, facts, text);
    } catch (e) {
      failRule(r, e);
      return false;
    }
  });

  // Incremental analysis: when everything but some units is as it was, local rules re-run in
  // the changed units only and their other findings are carried over, shifted.
  let reuse: Reuse | null = null;
  let key = '';
  let fileKey = '';
  let codes: UnitCode[] | null = null;
  const isLocal = (r: Rule): boolean => localityOf(r) === 'unit';
  const isCallLocal = (r: Rule): boolean => localityOf(r) === 'calls';
  if (options.incremental) {
    units = unitsOf(root, text);
    key = contextKey(text, units, base, active, options, facts);
    if (previous && previous.key === key && previous.units.length === units.length) {
      changed = units.map((u, i) => {
        const p = previous.units[i]!;
        return u.end - u.start !== p.end - p.start || text.slice(u.start, u.end) !== previous.text.slice(p.start, p.end);
      });
    }
    // What local rules depend on in the whole file besides the skeleton and the facts.
    const keys = new Map<NonNullable<Rule['fileKey']>, string>();
    for (const r of active) {
      if (!localityOf(r) || !r.fileKey || keys.has(r.fileKey)) continue;
      current = r;
      try {
        keys.set(r.fileKey, r.fileKey(ctx));
      } catch (e) {
        failRule(r, e);
      }
      current = undefined;
    }
    fileKey = [...keys.values()].join('\u0001');
    // Rules local through calls: the code of each unit, for the call graph (callgraph.ts).
    let affected: boolean[] | null = null;
    if (active.some(isCallLocal)) {
      const carried = changed ? previous!.codes : null;
      const empty = unitCode('');
      const codeOf = (u: Unit, i: number): UnitCode =>
        u.name === TEXT_UNIT ? empty : carried && !changed![i] ? carried[i + 1]! : unitCode(text.slice(u.start, u.end));
      codes = [carried ? carried[0]! : unitCode(skeletonOf(text, units)), ...units.map(codeOf)];
      if (changed && carried) {
        const before = units.map((u, i) => {
          if (!changed![i]) return null;
          const p = previous!.units[i]!;
          return u.name === TEXT_UNIT ? empty : unitCode(previous!.text.slice(p.start, p.end));
        });
        affected = affectedUnits(codes.slice(1), before, units.map((u) => u.owner), codes[0]!);
      }
    }
    if (changed && previous!.fileKey === fileKey && disabled.size === 0) reuse = reusable(previous!, units, changed, affected, active);
  }

  // Dispatch table indexed by node type id. A type name can have several ids (aliases).
  const language = pythonLanguage();
  const typeIds = namedTypeIds(language);
  const commentId = typeIds.get('comment')?.at(-1) ?? -1;
  const dispatchFor = (rules: readonly Rule[]): (Rule[] | undefined)[] => {
    const table: (Rule[] | undefined)[] = new Array(language.nodeTypeCount);
    for (const r of rules) {
      for (const t of r.nodeTypes) for (const id of typeIds.get(t) ?? []) (table[id] ??= []).push(r);
    }
    return table;
  };

  const directives: Directive[] = [];
  const comments: CachedComment[] = [];
  const deadline = performance.now() + (options.budgetMs ?? Infinity);
  let timedOut = false;
  let visited = 0;

  /**
   * Pre-order walk from the cursor's node (the whole tree, or one unit: `stopId`), dispatching
   * each node to its rules; collects comments when `home` says which unit they belong to.
   */
  const walk = (cursor: TreeCursor, dispatch: (Rule[] | undefined)[], stopId: number | null, home: ((offset: number) => number) | null): void => {
    for (;;) {
      const typeId = cursor.nodeTypeId;
      const rules = dispatch[typeId];
      if (rules) {
        const node = cursor.currentNode;
        checking = node.startIndex;
        for (const rule of rules) {
          if (disabled.has(rule.id)) continue;
          current = rule;
          try {
            rule.check(node, ctx);
          } catch (e) {
            failRule(rule, e);
          }
        }
        current = undefined;
        checking = -1;
        // Rules can be slow on pathological input: check the budget after every dispatch.
        if (performance.now() > deadline) {
          timedOut = true;
          return;
        }
      } else if (typeId === commentId && home) {
        const start = cursor.startIndex;
        // tree-sitter-python's comment token takes the CR of a CRLF line ending: leave it out,
        // so removing or editing a suppression never splits the line ending.
        let end = cursor.endIndex;
        while (end > start && text.charCodeAt(end - 1) === 13) end--;
        comments.push({ home: home(start), start, end });
      }
      if (++visited % 4096 === 0 && performance.now() > deadline) {
        timedOut = true;
        return;
      }
      if (stopId === null) {
        if (!advance(cursor)) return;
        continue;
      }
      if (cursor.gotoFirstChild()) continue;
      for (;;) {
        if (cursor.nodeId === stopId) return;
        if (cursor.gotoNextSibling()) break;
        if (!cursor.gotoParent()) return;
      }
    }
  };
  const withCursor = (body: (cursor: TreeCursor) => void): void => {
    const cursor = root.walk();
    setWalkCursor(cursor);
    try {
      body(cursor);
    } finally {
      setWalkCursor(null);
      cursor.delete();
    }
  };

  let reanalysed: AnalysisResult['reanalysed'] = null;
  if (!reuse) {
    const home = options.incremental ? (offset: number) => unitAt(units, offset) : () => -1;
    withCursor((cursor) => walk(cursor, dispatchFor(active), null, home));
  } else {
    const { dirty, affected } = reuse;
    const walkUnit = (i: number, dispatch: (Rule[] | undefined)[], collectComments: boolean): void => {
      const u = units[i]!;
      withCursor((cursor) => {
        if (!gotoNode(cursor, u.id, u)) throw new Error(`unit ${i} not found in the tree`);
        walk(cursor, dispatch, u.id, collectComments ? () => i : null);
      });
    };
    /**
     * Walks the units marked in `which`. Many of them: in one pass that steps over the others
     * and descends only where units can be, instead of finding each from the root.
     */
    const walkUnits = (which: readonly boolean[], dispatch: (Rule[] | undefined)[], collectComments: boolean): void => {
      if (which.filter(Boolean).length <= 4) {
        for (let i = 0; i < units.length && !timedOut; i++) if (which[i]) walkUnit(i, dispatch, collectComments);
        return;
      }
      const index = new Map(units.map((u, i) => [u.id, i]));
      withCursor((cursor) => {
        for (;;) {
          const i = index.get(cursor.nodeId);
          if (i !== undefined) {
            // walk() leaves the cursor on the unit's node when it is done.
            if (which[i]) walk(cursor, dispatch, cursor.nodeId, collectComments ? () => i : null);
            if (timedOut) return;
          } else if (UNIT_CONTAINERS.has(cursor.nodeType) && cursor.gotoFirstChild()) continue;
          while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return;
        }
      });
    };
    walkUnits(dirty, dispatchFor(active.filter(isLocal)), true);
    const calls = active.filter((r) => isCallLocal(r) && r.nodeTypes.length > 0);
    if (affected && calls.length && !timedOut) walkUnits(affected, dispatchFor(calls), false);
    // The other rules, and those local through calls when the change may reach everything.
    const global = active.filter((r) => (!localityOf(r) || (!affected && isCallLocal(r))) && r.nodeTypes.length > 0);
    if (global.length && !timedOut) withCursor((cursor) => walk(cursor, dispatchFor(global), null, null));
    raw.push(...reuse.kept);
    comments.push(...reuse.comments);
    reanalysed = { units: dirty.filter(Boolean).length, of: units.length };
    if (calls.length) reanalysed.calls = affected ? affected.filter(Boolean).length : null;
  }
  comments.sort((a, b) => a.start - b.start);
  for (const c of comments) directives.push(...parseComment(text.slice(c.start, c.end), c.start, lines.positionAt(c.start).line));

  if (timedOut) {
    notices.push({
      kind: 'time-limit',
      message: `Analysis of ${path} stopped after ${options.budgetMs} ms; findings past that point are not shown.`,
    });
  } else {
    for (const rule of active) {
      if (!rule.finish || disabled.has(rule.id)) continue;
      current = rule;
      try {
        rule.finish(ctx);
      } catch (e) {
        failRule(rule, e);
      }
    }
    current = undefined;
  }

  // Full-run order (by the node checked, then rule), whichever way the reports were gathered:
  // of two reports of one rule on one span, the same one is kept either way.
  const ruleIndex = new Map(active.map((r, i) => [r.id, i]));
  raw.sort((a, b) => a.order - b.order || ruleIndex.get(a.rule.id)! - ruleIndex.get(b.rule.id)!);
  const result = finishFindings(text, root, lines, options, raw, directives, disabled, notices, timedOut, facts, failRule);
  if (options.incremental) {
    result.reanalysed = reanalysed;
    // A rule that failed is disabled for this run only; nothing partial is carried over.
    if (!timedOut && disabled.size === 0) {
      result.state = {
        key,
        text,
        units: units.map((u) => ({ id: -1, start: u.start, end: u.end, name: u.name, owner: u.owner })),
        raws: raw.map((r) => ({ ruleId: r.rule.id, local: localityOf(r.rule), home: r.home, order: r.order, span: r.span, header: r.header!, options: r.options })),
        comments,
        fileKey,
        parts: partValues,
        codes,
      };
    }
  }
  return result;
}

/** Everything besides the units' text that findings of local rules may depend on. */
function contextKey(text: string, units: readonly Unit[], file: FileContext, active: readonly Rule[], options: AnalyzeOptions, facts: FileFacts): string {
  // An import inside a function is visible there only (canUseImport): where it is counts too.
  const imports = [...facts.imports].map(([k, v]) => `${k}=${v.qualified}${v.topLevel ? '' : `@${unitAt(units, v.node.startIndex)}`}`).sort();
  return [
    file.path,
    file.isTest,
    file.isSettings,
    active.map((r) => r.id).join(),
    [...(options.severity ?? [])].join(),
    options.minConfidence ?? '',
    JSON.stringify(options.taint ?? null),
    imports.join(),
    [...facts.importedModules].sort().join(),
    facts.starImports.join(),
    [...facts.boundNames].sort().join(),
    // The line ending of fixes is that of the first line break, wherever it is.
    eolOf(text),
    // Where a fix adds an import: after the imports, the docstring or the header comments,
    // which are units of their own (their offsets move with them; which one it is must not).
    facts.topLevelImports.length ? 'imports' : facts.docstring ? 'docstring' : `header:${importInsertion(text, facts, '\n').offset}`,
    // Calls at class level are checked against the names of the class's methods (scope.ts).
    units.map((u) => u.name).join(),
    skeletonOf(text, units),
  ].join('\u0001');
}

interface Reuse {
  /** Units the local rules run in again. */
  dirty: boolean[];
  /** Units the rules local through calls run in again (null: the whole file). */
  affected: boolean[] | null;
  kept: RawReport[];
  comments: CachedComment[];
}

/**
 * What the previous state lets this analysis keep: the findings of local rules and the
 * comments in the skeleton and in every unit whose text is unchanged, shifted, and the
 * findings of rules local through calls outside the `affected` units. A unit whose
 * carried-over finding points into a changed unit (a fix edit elsewhere, say) is analysed
 * again; null when a skeleton finding of a local rule does (then nothing is reused).
 */
function reusable(
  previous: IncrementalState,
  units: readonly Unit[],
  changed: readonly boolean[],
  affectedByCalls: boolean[] | null,
  active: readonly Rule[],
): Reuse | null {
  const map = new OffsetMap(previous.units, units, changed);
  const dirty = changed.slice();
  let affected = affectedByCalls ? affectedByCalls.slice() : null;
  const byId = new Map(active.map((r) => [r.id, r]));
  const mapped: RawReport[] = [];
  for (const r of previous.raws) {
    if (!r.local) continue;
    const redo = r.local === 'unit' ? dirty : affected;
    if (!redo || (r.home >= 0 && redo[r.home])) continue;
    const rule = byId.get(r.ruleId);
    if (!rule) return null;
    const moved = moveRaw(r, rule, map);
    if (moved) mapped.push(moved);
    else if (r.home >= 0) redo[r.home] = true;
    else if (r.local === 'unit') return null;
    else affected = null;
  }
  const kept = mapped.filter((r) => {
    const redo = localityOf(r.rule) === 'unit' ? dirty : affected;
    return redo !== null && (r.home === -1 || !redo[r.home]);
  });
  const comments: CachedComment[] = [];
  for (const c of previous.comments) {
    if (c.home >= 0 && dirty[c.home]) continue;
    const start = map.map(c.start);
    const end = map.map(c.end);
    if (start === null || end === null) return null;
    comments.push({ home: c.home, start, end });
  }
  if (dirty.every(Boolean) && units.length > 0) return null;
  return { dirty, affected, kept, comments };
}

function moveRaw(r: CachedRaw, rule: Rule, map: OffsetMap): RawReport | null {
  const m = (o: number): number => {
    const v = map.map(o);
    if (v === null) throw MOVED_INTO_CHANGE;
    return v;
  };
  try {
    const options: ReportOptions = { ...r.options };
    if (r.options.fixes) {
      options.fixes = r.options.fixes.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, start: m(e.start), end: m(e.end) })) }));
    }
    if (r.options.lines) options.lines = r.options.lines.map(m);
    if (r.options.related) {
      options.related = r.options.related.map((rel) => {
        const s = toSpan(rel.at);
        return { at: { start: m(s.start), end: m(s.end) }, message: rel.message };
      });
    }
    return {
      rule,
      node: null,
      span: { start: m(r.span.start), end: m(r.span.end) },
      options,
      home: r.home,
      order: m(r.order),
      header: [m(r.header[0]), m(r.header[1])],
    };
  } catch (e) {
    if (e === MOVED_INTO_CHANGE) return null;
    throw e;
  }
}

const MOVED_INTO_CHANGE = new Error('offset inside a changed unit');

/** The message with `{lineN}` replaced by the line number of the Nth offset. */
function withLines(message: string, offsets: readonly number[], lines: LineIndex): string {
  return message.replace(/\{line(\d+)\}/g, (all, i: string) => {
    const at = offsets[Number(i)];
    return at === undefined ? all : String(lines.positionAt(at).line + 1);
  });
}

function finishFindings(
  text: string,
  root: Node,
  lines: LineIndex,
  options: AnalyzeOptions,
  raw: RawReport[],
  directives: Directive[],
  disabled: Set<string>,
  notices: AnalysisNotice[],
  timedOut: boolean,
  facts: FileFacts,
  failRule: (rule: Rule, error: unknown) => void,
): AnalysisResult {
  const lineOf = (offset: number): number => lines.positionAt(offset).line;
  const byLine = new Map<number, Directive[]>();
  const fileDirectives: Directive[] = [];
  for (const d of directives) {
    if (d.kind === 'parapet-file') fileDirectives.push(d);
    else {
      let list = byLine.get(d.line);
      if (!list) byLine.set(d.line, (list = []));
      list.push(d);
    }
  }
  const directivesOnLine = (line: number): Directive[] => byLine.get(line) ?? [];
  const lineInfo = {
    lineStart: (line: number) => lines.offsetAt({ line, character: 0 }),
    lineEnd: (line: number) => lines.offsetAt({ line, character: Number.MAX_SAFE_INTEGER }),
  };
  // Whether the character at `offset` belongs to a string that continues past it (a comment
  // appended there would become part of the string).
  const endsInsideString = (offset: number): boolean => {
    for (let n = root.descendantForIndex(offset, offset + 1); n; n = n.parent) {
      if (n.type === 'string' || n.type === 'concatenated_string') return n.endIndex > offset + 1;
      if (isStatement(n)) return false;
    }
    return false;
  };

  const suppress = (directive: Directive, rule: Rule): boolean => {
    if (directive.codes.length === 0) {
      directive.usedBare = true;
      return true;
    }
    let hit = false;
    for (const c of directive.codes) {
      if (codeMatches(c.code, rule)) {
        c.used = true;
        hit = true;
      }
    }
    return hit;
  };

  const findings: Finding[] = [];
  const seen = new Set<string>();
  let suppressedCount = 0;
  const minRank = options.minConfidence ? confidenceRank(options.minConfidence) : 0;
  for (const r of raw) {
    if (disabled.has(r.rule.id)) continue;
    const key = `${r.rule.id}:${r.span.start}:${r.span.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const confidence = r.options.confidence ?? r.rule.confidence;
    if (confidenceRank(confidence) < minRank) continue;

    if (!r.header) {
      const node = r.node ?? root.descendantForIndex(r.span.start, Math.max(r.span.start, r.span.end)) ?? root;
      r.header = headerSpan(statementHeader(node)[0]!);
    }
    const header: [number, number] = [lineOf(r.header[0]), lineOf(r.header[1])];
    let suppressed = false;
    for (const d of fileDirectives) if (suppress(d, r.rule)) suppressed = true;
    for (let line = header[0]; line <= header[1] && !suppressed; line++) {
      for (const d of directivesOnLine(line)) if (suppress(d, r.rule)) suppressed = true;
    }
    if (suppressed) {
      suppressedCount++;
      continue;
    }

    let fixes: Fix[] = r.options.fixes ?? [];
    if (fixes.some((f) => !validEdits(f.edits, text.length))) {
      failRule(r.rule, new Error('produced a fix with overlapping or out-of-range edits'));
      continue;
    }
    const ignore = ignoreCommentEdit(r.rule.id, header, text, lineInfo, directivesOnLine, endsInsideString);
    findings.push({
      ruleId: r.rule.id,
      ruleName: r.rule.name,
      start: r.span.start,
      end: r.span.end,
      range: { start: lines.positionAt(r.span.start), end: lines.positionAt(r.span.end) },
      message: r.options.lines ? withLines(r.options.message, r.options.lines, lines) : r.options.message,
      severity: options.severity?.get(r.rule.id) ?? r.options.severity ?? r.rule.severity,
      confidence,
      fixes,
      ...(ignore ? { ignoreEdit: ignore } : {}),
      ...(r.options.related
        ? {
            related: r.options.related.map((rel) => {
              const s = toSpan(rel.at);
              return { ...s, range: { start: lines.positionAt(s.start), end: lines.positionAt(s.end) }, message: rel.message };
            }),
          }
        : {}),
    });
  }

  if (!timedOut) findings.push(...suppressionFindings(text, directives, options, lines));
  findings.sort((a, b) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId));
  return { findings, notices, directives, suppressedCount, timedOut, facts };
}

/** SEC001 (a parapet suppression that suppresses nothing) and SEC002 (it names no known rule). */
function suppressionFindings(text: string, directives: Directive[], options: AnalyzeOptions, lines: LineIndex): Finding[] {
  const out: Finding[] = [];
  const enabledIds = new Set(options.rules.map((r) => r.id));
  const unused = options.knownRules.find((r) => r.id === UNUSED_SUPPRESSION);
  const unknown = options.knownRules.find((r) => r.id === UNKNOWN_SUPPRESSION);
  const make = (rule: Rule, span: Span, message: string, fixes: Fix[], tags?: Finding['tags']): Finding => ({
    ruleId: rule.id,
    ruleName: rule.name,
    ...span,
    range: { start: lines.positionAt(span.start), end: lines.positionAt(span.end) },
    message,
    severity: options.severity?.get(rule.id) ?? rule.severity,
    confidence: rule.confidence,
    fixes,
    ...(tags ? { tags } : {}),
  });
  for (const d of directives) {
    if (d.kind !== 'parapet' && d.kind !== 'parapet-file') continue;
    if (d.codes.length === 0) {
      if (d.kind === 'parapet' && !d.usedBare && unused && enabledIds.has(unused.id)) {
        out.push(make(unused, d, 'Unused suppression: nothing on this statement is reported', [
          { title: 'Remove unused suppression', safety: 'safe', edits: [removeDirective(text, d)] },
        ], ['unnecessary']));
      }
      continue;
    }
    for (const c of d.codes) {
      const rule = options.knownRules.find((r) => codeMatches(c.code, r));
      if (!rule) {
        if (unknown && enabledIds.has(unknown.id)) {
          out.push(make(unknown, c, `Unknown rule \`${c.code}\` in suppression comment`, []));
        }
        continue;
      }
      if (!c.used && d.kind === 'parapet' && unused && enabledIds.has(unused.id) && enabledIds.has(rule.id)) {
        out.push(make(unused, c, `Unused suppression: ${rule.id} is not reported on this statement`, [
          { title: `Remove ${c.code} from suppression`, safety: 'safe', edits: [removeCode(text, d, c)] },
        ], ['unnecessary']));
      }
    }
  }
  return out;
}

/** Removes a directive; when it was the whole comment, the comment and the space before it go too. */
function removeDirective(text: string, d: Directive): OffsetEdit {
  const rest = (text.slice(d.comment.start, d.start) + text.slice(d.end, d.comment.end)).replace(/[#\s]/g, '');
  if (rest === '') {
    let start = d.comment.start;
    while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
    // A comment alone on its line goes with its line.
    if (start === 0 || text[start - 1] === '\n' || text[start - 1] === '\r') {
      let end = d.comment.end;
      if (text[end] === '\r') end++;
      if (text[end] === '\n') end++;
      return { start, end, newText: '' };
    }
    return { start, end: d.comment.end, newText: '' };
  }
  return { start: d.start, end: d.end, newText: '' };
}

function removeCode(text: string, d: Directive, c: Directive['codes'][number]): OffsetEdit {
  if (d.codes.length === 1) return removeDirective(text, d);
  const i = d.codes.indexOf(c);
  // Remove the code with the separator before it (or after it, for the first code).
  if (i > 0) return { start: d.codes[i - 1]!.end, end: c.end, newText: '' };
  return { start: c.start, end: d.codes[1]!.start, newText: '' };
}
