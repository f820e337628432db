// The per-file taint analysis: intra-file, inter-procedural, following statement order within a
// function.
//
// Everything is computed on demand and memoised: a rule asks what reaches one sink argument;
// that evaluates the expression, and a name in it by evaluating the bindings of the name that
// can reach the read (each binding once: its value is cached by node). Nothing is computed for
// names no sink depends on. Calls to functions of the same file use a summary (the taint of
// what the function returns, in terms of its parameters), and a parameter that reaches a sink
// is followed back to every call site of its function in the file. A loop of bindings
// (`s = s + part`) or of recursive calls is cut where it closes; values computed meanwhile are
// not cached. A file in which nothing can be a source (`mayHaveSources`) builds nothing.
//
// Statement order: a name read in a function holds what the bindings written before the read
// put there, from the last plain assignment that always runs first (`x = "safe"` at the same or
// an enclosing block level), plus bindings later in a loop around the read. So
// `x = request.args["x"]; x = "safe"; run(x)` is not reported, and a check such as
// `if not p.is_relative_to(BASE): abort()` also vets values derived from `p` after it. Reads in
// comprehensions and lambdas, and names of an enclosing scope (globals, closures), use the
// flow-insensitive environment: everything assigned to the name anywhere in its scope.

import type { Node } from '../parser';
import type { RuleContext } from '../rule';
import { builtinCalled } from '../scope';
import { callArgs, dottedName, enclosingFunction, nodesSpelled, parameterNames, unparen } from '../syntax';
import type { Confidence } from '../types';
import { sourceOf, sourceParameters } from './sources';
import { ALL_KINDS, CLEAN, cap, lower, sanitize, SinkKind, union, withStep, type Origin, type Step, type Taint } from './types';

/** A function (or the module body) and what its names hold. */
interface Scope {
  node: Node;
  /** The function body, or the module. */
  body: Node;
  parent: Scope | null;
  name: string;
  params: string[];
  /** Index of the first parameter callers pass (1 for methods, skipping `self`/`cls`). */
  firstArg: number;
  className: string | null;
  /** Bindings, returned values and bound names, from one walk of the body. */
  body_: BodyFacts | null;
  returns: Taint | null;
  /** What each parameter holds on entry (a source, or the parameter itself). */
  initial: Map<string, Taint> | null;
}

/** Calls whose result carries no data of their arguments. */
const CLEAN_CALLS = new Set(['int', 'float', 'bool', 'len', 'hash', 'id', 'isinstance', 'issubclass', 'callable', 'type', 'abs', 'round', 'complex', 'ord', 'range', 'enumerate_len']);
/** Builtins and library calls through which data flows unchanged. */
const PASS_CALLS = new Set(['str', 'bytes', 'bytearray', 'list', 'tuple', 'set', 'frozenset', 'dict', 'sorted', 'reversed', 'repr', 'format', 'min', 'max', 'next', 'iter', 'enumerate', 'zip', 'map', 'filter', 'getattr']);
/** Qualified names of sanitizers and the sink kinds they make a value safe for. */
const SANITIZERS = new Map<string, number>([
  ['uuid.UUID', ALL_KINDS],
  ['decimal.Decimal', ALL_KINDS],
  ['datetime.date.fromisoformat', ALL_KINDS],
  ['datetime.datetime.fromisoformat', ALL_KINDS],
  ['shlex.quote', SinkKind.command],
  ['pipes.quote', SinkKind.command],
  ['html.escape', SinkKind.xss],
  ['markupsafe.escape', SinkKind.xss],
  ['flask.escape', SinkKind.xss],
  ['django.utils.html.escape', SinkKind.xss],
  ['django.utils.html.format_html', SinkKind.xss],
  ['bleach.clean', SinkKind.xss],
  ['flask.jsonify', SinkKind.xss],
  ['flask.render_template', SinkKind.xss],
  ['flask.url_for', ALL_KINDS],
  ['django.shortcuts.render', SinkKind.xss],
  ['django.template.loader.render_to_string', SinkKind.xss],
  ['django.urls.reverse', ALL_KINDS],
  // JSON escapes every control character, CR and LF included: safe in a header or a log line.
  ['json.dumps', SinkKind.xss | SinkKind.code | SinkKind.command | SinkKind.header | SinkKind.log],
  ['os.path.basename', SinkKind.path],
  ['werkzeug.utils.secure_filename', SinkKind.path],
  ['werkzeug.security.safe_join', SinkKind.path],
  ['flask.safe_join', SinkKind.path],
  ['django.utils._os.safe_join', SinkKind.path],
  // Percent-encoding turns CR and LF into %0D and %0A.
  ['urllib.parse.quote', SinkKind.path | SinkKind.redirect | SinkKind.ssrf | SinkKind.header | SinkKind.log],
  ['urllib.parse.quote_plus', SinkKind.path | SinkKind.redirect | SinkKind.ssrf | SinkKind.command | SinkKind.header | SinkKind.log],
  ['base64.b64encode', SinkKind.header | SinkKind.log],
  ['base64.urlsafe_b64encode', SinkKind.header | SinkKind.log],
  ['ast.literal_eval', SinkKind.code],
  ['re.escape', SinkKind.regex],
  ['regex.escape', SinkKind.regex],
  ['ldap3.utils.conv.escape_filter_chars', SinkKind.ldap],
  ['ldap.filter.escape_filter_chars', SinkKind.ldap],
  ['ldap.filter.filter_format', SinkKind.ldap],
]);
/** Methods of a tainted value whose result is not data of it (booleans, counts, positions). */
const CLEAN_METHODS = new Set(['isdigit', 'isnumeric', 'isdecimal', 'isalnum', 'isalpha', 'isidentifier', 'startswith', 'endswith', 'count', 'find', 'rfind', 'index', 'rindex', 'exists', 'is_file', 'is_dir', '__len__', 'is_relative_to', 'isascii', 'islower', 'isupper']);
/** String methods whose result contains their arguments. */
const STRING_BUILDERS = new Set(['replace', 'format', 'format_map', 'join', 'substitute', 'safe_substitute']);
/** Methods that put their arguments into the receiver (`items.append(x)`). */
const MUTATORS = new Set(['append', 'extend', 'insert', 'add', 'update', 'setdefault', 'appendleft', 'extendleft', 'write', 'writelines']);
/** Validators used in conditions: `if url_has_allowed_host_and_scheme(url, ...)`. */
const VALIDATORS = /(^|\.)(url_has_allowed_host_and_scheme|is_safe_url|is_safe_path|is_valid\w*|validate\w*|fullmatch|match)$/;
const NAME_CHECKS = new Set(['isdigit', 'isnumeric', 'isdecimal', 'isalnum', 'isalpha', 'isidentifier', 'startswith', 'is_relative_to']);

const MAX_DEPTH = 60;
const MAX_CALL_DEPTH = 4;

export interface Flow {
  origin: Origin;
  /** The calls from the sink's function back to the source's, when the source is in a caller. */
  calls: Step[];
  confidence: Confidence;
}

export class TaintAnalysis {
  private readonly scopes = new Map<number, Scope>();
  private functionsByName: Map<string, Scope[]> | null = null;
  private methods: Map<string, Scope[]> | null = null;
  private callSites: Map<number, Node[]> | null = null;
  private readonly module: Scope;
  /** Calls resolved by method name alone (`obj.run()`), whose flows are less certain. */
  private readonly loose = new Set<number>();
  private readonly cache = new Map<number, Taint>();
  /** Bindings being evaluated by `lookupAt`, and how often a loop among them was cut short. */
  private readonly inProgress = new Map<Binding, number>();
  private readonly summarising = new Map<Scope, number>();
  /** How many bindings and summaries are being evaluated (each gets the depth it started at). */
  private active = 0;
  /**
   * The shallowest in-progress evaluation a cycle was cut at while evaluating the current
   * value (as in Tarjan's algorithm): a value that depended only on evaluations it started
   * itself, all finished now, is final and can be cached; one that depended on an outer,
   * unfinished one is not.
   */
  private low = Infinity;

  constructor(private readonly ctx: RuleContext) {
    this.module = this.makeScope(ctx.root, null, null, false);
  }

  /** Every way untrusted data reaches `expr`, as seen at `expr` (guards included). */
  flowsTo(expr: Node, kind: SinkKind): Flow[] {
    const scope = this.scopeOf(expr);
    const guards = guardedNames(expr, this.ctx);
    const taint = this.eval(expr, scope, guards, 0).filter((o) => (o.sanitized & kind) === 0);
    const out: Flow[] = [];
    const seen = new Set<string>();
    this.collect(taint, scope, kind, [], out, seen, 0);
    return out;
  }

  private collect(taint: Taint, scope: Scope, kind: SinkKind, calls: Step[], out: Flow[], seen: Set<string>, depth: number): void {
    for (const o of taint) {
      if (o.kind === 'source') {
        out.push({ origin: o, calls, confidence: o.confidence });
        continue;
      }
      if (depth >= MAX_CALL_DEPTH) continue;
      // A parameter: follow it to every call site of this function in the file.
      for (const site of this.callSitesOf(scope)) {
        const visit = `${site.id}:${o.param}`;
        if (seen.has(visit)) continue;
        seen.add(visit);
        const arg = this.argumentFor(site, scope, o.param);
        if (!arg) continue;
        const caller = this.scopeOf(site);
        const guards = guardedNames(site, this.ctx);
        const t = this.eval(arg, caller, guards, 0)
          .map((x) => ({ ...x, sanitized: x.sanitized | o.sanitized, confidence: lower(x.confidence, o.confidence), steps: [...x.steps, ...o.steps] }))
          .filter((x) => (x.sanitized & kind) === 0);
        const step = { at: site, message: `passed to \`${scope.name}()\` here` };
        this.collect(this.loose.has(site.id) ? cap(t, 'medium') : t, caller, kind, [...calls, step], out, seen, depth + 1);
      }
    }
  }

  // ----- scopes -----

  // Scopes are created by one statement-level pass over the file (`index`), which knows each
  // function's parent scope and class without asking tree-sitter for parents: an uncached
  // `node.parent` scans the children of every ancestor, which is slow at module level.
  private makeScope(node: Node, parent: Scope | null, className: string | null, isStatic: boolean): Scope {
    const isModule = node.type === 'module';
    const body = isModule ? node : node.childForFieldName('body') ?? node;
    const params = isModule ? [] : parameterNames(node);
    const scope: Scope = {
      node,
      body,
      parent,
      name: isModule ? '<module>' : node.childForFieldName('name')?.text ?? '<lambda>',
      params,
      firstArg: className && !isStatic ? 1 : 0,
      className,
      body_: null,
      returns: null,
      initial: null,
    };
    this.scopes.set(node.id, scope);
    return scope;
  }

  private index(): Map<string, Scope[]> {
    if (this.functionsByName) return this.functionsByName;
    const map = new Map<string, Scope[]>();
    // [node, enclosing scope, class name when directly in a class body, decorators text]
    const stack: [Node, Scope, string | null, string][] = [[this.ctx.root, this.module, null, '']];
    while (stack.length) {
      const [n, scope, cls, decorators] = stack.pop()!;
      let inner = scope;
      let innerClass = cls;
      if (n.type === 'function_definition') {
        inner = this.makeScope(n, scope, cls, /@staticmethod\b/.test(decorators));
        const list = map.get(inner.name) ?? [];
        list.push(inner);
        map.set(inner.name, list);
        innerClass = null;
      } else if (n.type === 'class_definition') {
        innerClass = n.childForFieldName('name')?.text ?? null;
      }
      const decoText = n.type === 'decorated_definition' ? n.namedChildren.filter((c) => c?.type === 'decorator').map((c) => c!.text).join(' ') : '';
      // Statements only: definitions never sit inside expressions.
      const kids = n.namedChildren;
      for (let i = kids.length - 1; i >= 0; i--) {
        const c = kids[i];
        if (!c) continue;
        if (c.type === 'block' || c.type === 'function_definition' || c.type === 'class_definition' || c.type === 'decorated_definition' || c.type.endsWith('_statement') || c.type.endsWith('_clause') || c.type === 'ERROR') {
          const keepClass = n.type === 'class_definition' || (n.type === 'block' && cls !== null) || n.type === 'decorated_definition';
          stack.push([c, inner, keepClass ? innerClass : null, c.type === 'function_definition' ? decoText || decorators : '']);
        }
      }
    }
    this.functionsByName = map;
    return map;
  }

  private functions(): Map<string, Scope[]> {
    return this.index();
  }

  private scopeOf(node: Node): Scope {
    this.index();
    for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
      const s = this.scopes.get(fn.id);
      if (s) return s;
    }
    return this.module;
  }

  /** The function of this file a call calls, when we can tell. */
  private callee(call: Node, scope: Scope): Scope | null {
    const fn = call.childForFieldName('function');
    if (!fn) return null;
    if (fn.type === 'identifier') {
      if (this.ctx.facts.imports.has(fn.text)) return null;
      const candidates = (this.functions().get(fn.text) ?? []).filter((s) => !s.className);
      if (candidates.length === 1) return candidates[0]!;
      // Prefer the definition visible from here: nested in this function, else module level.
      return candidates.find((s) => s.parent === scope) ?? candidates.find((s) => s.parent === this.module) ?? null;
    }
    if (fn.type === 'attribute') {
      const obj = fn.childForFieldName('object');
      const name = fn.childForFieldName('attribute')?.text ?? '';
      let self: Scope | null = scope;
      while (self && !self.className) self = self.parent;
      if (obj?.type === 'identifier' && (obj.text === 'self' || obj.text === 'cls') && self?.className) {
        return (this.functions().get(name) ?? []).find((s) => s.className === self!.className) ?? null;
      }
      // `report.run(x)` on some object: the one method of that name in the file, if there is
      // exactly one and the receiver is not an imported module. Its flows get medium confidence.
      const head = obj ? dottedName(obj)?.split('.')[0] : null;
      if (head && this.ctx.facts.imports.has(head)) return null;
      const methods = (this.functions().get(name) ?? []).filter((s) => s.className);
      if (methods.length === 1 && !name.startsWith('__')) {
        this.loose.add(call.id);
        return methods[0]!;
      }
    }
    return null;
  }

  /**
   * The calls of the file that reach `target`. Only a call naming the function can (`f()`,
   * `obj.f()`): the places its name is written are found in the text and each is looked up in
   * the tree, instead of resolving every call of the file, so that analysing one function
   * while typing does not cost a walk of the whole file.
   */
  private callSitesOf(target: Scope): Node[] {
    this.callSites ??= new Map();
    const known = this.callSites.get(target.node.id);
    if (known) return known;
    this.index();
    const out: Node[] = [];
    const name = target.name;
    if (target !== this.module && name && name !== '<lambda>') {
      for (const id of nodesSpelled(this.ctx.root, this.ctx.text, [name], ['identifier'])) {
        let fn: Node = id;
        const parent = id.parent;
        if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === id.id) fn = parent;
        const call = fn.parent;
        if (call?.type !== 'call' || call.childForFieldName('function')?.id !== fn.id) continue;
        if (this.callee(call, this.scopeOf(call)) === target) out.push(call);
      }
      // The order of a walk of the tree: by start, the outer call first.
      out.sort((a, b) => a.startIndex - b.startIndex || b.endIndex - a.endIndex);
    }
    this.callSites.set(target.node.id, out);
    return out;
  }

  private argumentFor(call: Node, callee: Scope, param: number): Node | null {
    const args = callArgs(call);
    const name = callee.params[param];
    if (name && args.keywords.has(name)) return args.keywords.get(name)!;
    return args.positional[param - callee.firstArg] ?? null;
  }

  // ----- environments -----

  private initialOf(scope: Scope): Map<string, Taint> {
    if (scope.initial) return scope.initial;
    const initial = new Map<string, Taint>();
    if (scope.node.type !== 'module') {
      const sources = sourceParameters(scope.node, this.ctx);
      const paramNodes = paramNameNodes(scope.node);
      scope.params.forEach((p, i) => {
        const node = paramNodes[i] ?? scope.node;
        const src = sources.get(p);
        if (src) initial.set(p, [{ kind: 'source', param: -1, node, label: src.label, confidence: src.confidence, sanitized: 0, steps: [] }]);
        else if (i >= scope.firstArg) initial.set(p, [{ kind: 'param', param: i, node, label: `parameter \`${p}\``, confidence: 'high', sanitized: 0, steps: [] }]);
      });
    }
    return (scope.initial = initial);
  }

  /**
   * What the name read at `id` holds there, by the order of the statements: the bindings of the
   * name written before the read, from the last plain assignment that always runs before it
   * (`x = "safe"` at the same or an enclosing block level), plus bindings later in a loop
   * around the read. The parameter's own value counts only when no such assignment replaced it.
   * Reads inside comprehensions and lambdas, and names bound in an outer scope, fall back to
   * the function's flow-insensitive environment.
   */
  private lookupAt(id: Node, scope: Scope): Taint {
    const name = id.text;
    const defs = this.bodyOf(scope).byName.get(name);
    if (!defs) return this.lookup(name, scope);
    const where = this.positionOf(id, scope);
    if (!where) return this.lookup(name, scope);
    const at = id.startIndex;
    let kill: Binding | null = null;
    for (const d of defs) {
      if (!d.kills?.includes(name) || d.at > at) continue;
      const child = where.blocks.get(d.block);
      if (child !== undefined && d.stmtEnd <= child && (!kill || d.at > kill.at)) kill = d;
    }
    const parts: Taint[] = [];
    if (!kill) parts.push(this.initialOf(scope).get(name) ?? CLEAN);
    for (const d of defs) {
      const before = d.at <= at && (!kill || d.at >= kill.at);
      // A binding later in a loop around the read reaches it on the next iteration, unless the
      // killing assignment is inside that loop too (then every way round passes through it).
      const carried = !before && where.loops.some(([s, e]) => d.at > s && d.at <= e && (!kill || kill.at < s));
      if (before || carried) parts.push(this.evalBinding(d, scope));
    }
    return union(...parts);
  }

  private evalBinding(d: Binding, scope: Scope): Taint {
    // A loop that feeds a binding its own value (`s = s + part`): the value entering the loop
    // comes from the other bindings, so the inner read contributes nothing new.
    const started = this.inProgress.get(d);
    if (started !== undefined) {
      this.low = Math.min(this.low, started);
      return CLEAN;
    }
    this.inProgress.set(d, this.active++);
    try {
      d.guards ??= guardedNames(d.value, this.ctx);
      return this.eval(d.value, scope, d.guards, 0);
    } finally {
      this.inProgress.delete(d);
      this.active--;
    }
  }

  /**
   * The blocks enclosing `node` within its scope's body (block id -> start of the statement of
   * that block holding `node`) and the loops around it; null when `node` sits in a comprehension,
   * a lambda or a nested definition, where the order of the text is not the order of execution.
   * One cursor descent from the body, without parent lookups.
   */
  private positionOf(node: Node, scope: Scope): { blocks: Map<number, number>; loops: [number, number][] } | null {
    const blocks = new Map<number, number>();
    const loops: [number, number][] = [];
    const cursor = scope.body.walk();
    try {
      const goal = node.startIndex;
      for (;;) {
        if (cursor.nodeId === node.id) return { blocks, loops };
        const type = cursor.nodeType;
        if (OPAQUE.has(type) && cursor.nodeId !== scope.body.id) return null;
        if (type === 'for_statement' || type === 'while_statement') loops.push([cursor.startIndex, cursor.endIndex]);
        const block = type === 'block' || type === 'module' ? cursor.nodeId : -1;
        // Down to the child holding `goal` (web-tree-sitter 0.27's gotoFirstChildForIndex
        // ignores its argument, so step along the siblings).
        if (!cursor.gotoFirstChild()) return null;
        while (cursor.endIndex <= goal && cursor.nodeId !== node.id) if (!cursor.gotoNextSibling()) return null;
        if (cursor.startIndex > goal) return null;
        if (block !== -1) blocks.set(block, cursor.startIndex);
      }
    } finally {
      cursor.delete();
    }
  }

  /**
   * What a name holds anywhere in its scope, without regard to order: its parameter value and
   * every binding of it. A name the scope does not bind is looked up in the enclosing scopes
   * (globals, closures); `items.append(x)` on a name of an enclosing scope adds to what it holds.
   */
  private lookup(name: string, scope: Scope): Taint {
    const parts: Taint[] = [];
    for (let s: Scope | null = scope; s; s = s.parent) {
      const facts = this.bodyOf(s);
      const init = this.initialOf(s).get(name);
      if (init) parts.push(init);
      for (const d of facts.byName.get(name) ?? []) parts.push(this.evalBinding(d, s));
      if (s.params.includes(name) || facts.names.has(name)) break;
    }
    return union(...parts);
  }

  private bodyOf(scope: Scope): BodyFacts {
    return (scope.body_ ??= collectBindings(scope.body, scope.params));
  }

  private returnsOf(scope: Scope): Taint {
    if (scope.returns) return scope.returns;
    const started = this.summarising.get(scope);
    if (started !== undefined) {
      // A recursive call: what it returns is being computed and adds nothing new.
      this.low = Math.min(this.low, started);
      return CLEAN;
    }
    const base = this.active;
    const saved = this.low;
    this.low = Infinity;
    this.summarising.set(scope, this.active++);
    try {
      const t = union(...this.bodyOf(scope).returns.map((v) => this.eval(v, scope, null, 0)));
      if (this.low >= base) scope.returns = t;
      return t;
    } finally {
      this.summarising.delete(scope);
      this.active--;
      this.low = Math.min(saved, this.low);
    }
  }

  // ----- expressions -----

  eval(node: Node, scope: Scope, guards: Set<string> | null, depth: number): Taint {
    if (depth > MAX_DEPTH) return CLEAN;
    // Once no environment is being computed, an expression's taint no longer changes.
    if (guards === null) {
      const hit = this.cache.get(node.id);
      if (hit) return hit;
      const base = this.active;
      const saved = this.low;
      this.low = Infinity;
      const t = this.evalUncached(node, scope, guards, depth);
      // A value that went round a loop or a recursion still being evaluated may miss what
      // comes back round it: cache only values that are final.
      if (this.low >= base) this.cache.set(node.id, t);
      this.low = Math.min(saved, this.low);
      return t;
    }
    return this.evalUncached(node, scope, guards, depth);
  }

  private evalUncached(node: Node, scope: Scope, guards: Set<string> | null, depth: number): Taint {
    const n = unparen(node);
    const sub = (c: Node | null | undefined): Taint => (c ? this.eval(c, scope, guards, depth + 1) : CLEAN);
    switch (n.type) {
      case 'identifier':
        if (guards?.has(n.text)) return CLEAN;
        return this.lookupAt(n, scope);
      case 'integer':
      case 'float':
      case 'true':
      case 'false':
      case 'none':
      case 'comparison_operator':
      case 'not_operator':
      case 'lambda':
        return CLEAN;
      case 'attribute': {
        const src = sourceOf(n, this.ctx);
        if (src) return [sourceOrigin(n, src.label, src.confidence)];
        const dotted = dottedName(n);
        if (dotted && guards?.has(dotted)) return CLEAN;
        if (dotted) {
          const t = this.lookupDotted(dotted, scope);
          if (t.length) return t;
        }
        return sub(n.childForFieldName('object'));
      }
      case 'subscript':
        return sub(n.childForFieldName('value'));
      case 'call':
        return this.evalCall(n, scope, guards, depth);
      case 'await':
        return sub(n.namedChildren[0]);
      case 'string': {
        const parts = n.namedChildren.filter((c) => c?.type === 'interpolation').map((c) => sub(c!.childForFieldName('expression')));
        return union(...parts);
      }
      case 'conditional_expression': {
        const [body, , alt] = n.namedChildren;
        return union(sub(body), sub(alt));
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'generator_expression':
      case 'dictionary_comprehension': {
        // The loop variables are bound in the function's environment (collectBindings).
        const body = n.childForFieldName('body');
        return sub(body);
      }
      case 'keyword_argument':
        return sub(n.childForFieldName('value'));
      case 'pair':
        return union(sub(n.childForFieldName('key')), sub(n.childForFieldName('value')));
      case 'named_expression':
        return sub(n.childForFieldName('value'));
      default: {
        // Operators, containers, concatenated strings, starred values: the union of the parts.
        const parts: Taint[] = [];
        for (const c of n.namedChildren) if (c && c.type !== 'comment') parts.push(sub(c));
        return union(...parts);
      }
    }
  }

  private lookupDotted(dotted: string, scope: Scope): Taint {
    for (let s: Scope | null = scope; s; s = s.parent) {
      const defs = this.bodyOf(s).byName.get(dotted);
      if (defs) return union(...defs.map((d) => this.evalBinding(d, s!)));
    }
    // `self.name` set by another method of the class (`__init__`, a setter): what any method
    // stores there, with medium confidence since the order of the calls is unknown.
    if (dotted.startsWith('self.') && scope.className) {
      const parts: Taint[] = [];
      for (const m of this.methodsOf(scope.className)) {
        if (m === scope) continue;
        const defs = this.bodyOf(m).byName.get(dotted);
        if (!defs) continue;
        // Parameters of the other method are not this method's: keep sources only.
        for (const d of defs) parts.push(cap(this.evalBinding(d, m).filter((o) => o.kind === 'source'), 'medium'));
      }
      return union(...parts);
    }
    return CLEAN;
  }

  private methodsOf(className: string): Scope[] {
    this.methods ??= (() => {
      const map = new Map<string, Scope[]>();
      for (const list of this.functions().values()) for (const m of list) if (m.className) map.set(m.className, [...(map.get(m.className) ?? []), m]);
      return map;
    })();
    return this.methods.get(className) ?? [];
  }

  private evalCall(call: Node, scope: Scope, guards: Set<string> | null, depth: number): Taint {
    const sub = (c: Node | null | undefined): Taint => (c ? this.eval(c, scope, guards, depth + 1) : CLEAN);
    const src = sourceOf(call, this.ctx);
    if (src) return [sourceOrigin(call, src.label, src.confidence)];
    const fn = call.childForFieldName('function');
    const argList = call.childForFieldName('arguments');
    const argsTaint = (): Taint => (argList ? union(...argList.namedChildren.map((c) => (c && c.type !== 'comment' ? sub(c) : CLEAN))) : CLEAN);
    if (!fn) return CLEAN;
    const builtin = fn.type === 'identifier' && (CLEAN_CALLS.has(fn.text) || PASS_CALLS.has(fn.text)) ? builtinCalled(call, this.ctx) : null;
    if (builtin && CLEAN_CALLS.has(builtin)) return CLEAN;
    if (builtin && PASS_CALLS.has(builtin)) return argsTaint();
    const qualified = this.ctx.callName(call);
    if (qualified) {
      const kinds = SANITIZERS.get(qualified);
      if (kinds !== undefined) return sanitize(argsTaint(), kinds);
    }
    const configured = this.ctx.file.taint?.sanitizers;
    if (configured?.length) {
      const written = dottedName(fn);
      if (configured.some((s) => s === qualified || s === written)) return CLEAN;
    }
    // A function of this file: its summary, with each parameter replaced by the argument.
    const callee = this.callee(call, scope);
    if (callee && callee !== scope) {
      const ret = this.returnsOf(callee);
      const step = { at: call, message: `through \`${callee.name}()\`` };
      const parts: Taint[] = [];
      for (const o of ret) {
        if (o.kind === 'source') parts.push([o]);
        else {
          const arg = this.argumentFor(call, callee, o.param);
          const t = arg ? sub(arg) : CLEAN;
          parts.push(withStep(t.map((x) => ({ ...x, sanitized: x.sanitized | o.sanitized, confidence: lower(x.confidence, o.confidence) })), step));
        }
      }
      return this.loose.has(call.id) ? cap(union(...parts), 'medium') : union(...parts);
    }
    if (fn.type === 'attribute') {
      const method = fn.childForFieldName('attribute')?.text ?? '';
      const receiver = sub(fn.childForFieldName('object'));
      if (CLEAN_METHODS.has(method)) return CLEAN;
      // `", ".join(parts)`, `"{}".format(x)`, `name.strip()`, `params.get("q")`: data flows.
      if (receiver.length) return union(receiver, argsTaint());
      const obj = fn.childForFieldName('object');
      if (obj && (obj.type === 'string' || obj.type === 'concatenated_string')) return argsTaint();
      // `TEMPLATE.replace("{name}", name)`, `SEP.join(parts)`: string methods put their arguments in the result.
      if (STRING_BUILDERS.has(method)) return argsTaint();
      if (qualified && /^(os\.path\.(join|abspath|normpath|realpath|expanduser)|pathlib\.(Path|PurePath|PosixPath)|posixpath\.join|urllib\.parse\.(urljoin|urlunparse|urlencode))$/.test(qualified)) return argsTaint();
      // Something we do not know (`db.lookup(name)`): maybe data of the argument, maybe not.
      return cap(argsTaint(), 'low');
    }
    if (qualified && /^(pathlib\.(Path|PurePath)|os\.path\.join)$/.test(qualified)) return argsTaint();
    if (qualified && SANITIZERS.has(qualified)) return CLEAN;
    return cap(argsTaint(), 'low');
  }
}

function sourceOrigin(node: Node, label: string, confidence: Confidence): Origin {
  return { kind: 'source', param: -1, node, label, confidence, sanitized: 0, steps: [] };
}

function paramNameNodes(fn: Node): Node[] {
  const out: Node[] = [];
  for (const p of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!p) continue;
    if (p.type === 'identifier') out.push(p);
    else {
      const name = p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'identifier');
      if (name) out.push(name);
    }
  }
  return out;
}

interface Binding {
  names: string[];
  value: Node;
  /** Where the binding takes effect: the end of the assignment, of a `for` header, of an `as` clause. */
  at: number;
  /** Names a plain assignment statement rebinds outright (`x = v`, `a, b = v`), else null. */
  kills: string[] | null;
  /** The block holding that statement, and where the statement ends. */
  block: number;
  stmtEnd: number;
  /** Names vetted by checks around the binding (computed on first use). */
  guards?: Set<string> | null;
}

/** Where the text's order is not the order of execution. */
const OPAQUE = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression', 'lambda', 'function_definition', 'class_definition', 'decorated_definition']);

/** Plain names a target binds outright (not `x[i]` or `x.attr`, which change an existing object). */
function killedNames(target: Node | null | undefined, out: string[]): void {
  if (!target) return;
  if (target.type === 'identifier') out.push(target.text);
  else if (target.type === 'pattern_list' || target.type === 'tuple_pattern' || target.type === 'list_pattern' || target.type === 'parenthesized_expression') for (const c of target.namedChildren) killedNames(c, out);
}

function targetKeys(target: Node | null | undefined, out: string[]): void {
  if (!target) return;
  switch (target.type) {
    case 'identifier':
      out.push(target.text);
      return;
    case 'attribute': {
      // `self.x = v` binds `self.x`; a mutation of an object also taints the object itself.
      const d = dottedName(target);
      if (d) out.push(d);
      return;
    }
    case 'subscript':
      targetKeys(target.childForFieldName('value'), out);
      return;
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'tuple':
    case 'list':
    case 'list_splat_pattern':
    case 'parenthesized_expression':
      for (const c of target.namedChildren) targetKeys(c, out);
      return;
  }
}

interface BodyFacts {
  bindings: Binding[];
  /** Values of `return` and `yield`. */
  returns: Node[];
  /** Every name the scope binds (assignments, loops, `as`, defs, imports, parameters). */
  names: Set<string>;
  /** The bindings of each name (`x`, `self.x`), in the order of the text. */
  byName: Map<string, Binding[]>;
}

/**
 * One walk over a scope's body, not entering nested functions or classes: every way it binds
 * names to values, what it returns, and the names it binds (which shadow outer scopes).
 */
function collectBindings(body: Node, params: string[]): BodyFacts {
  const out: Binding[] = [];
  const returns: Node[] = [];
  const names = new Set<string>(params);
  const byName = new Map<string, Binding[]>();
  /** Assignments that are a statement of their own: their block and the statement's end. */
  const statements = new Map<number, [number, number]>();
  const add = (names_: string[], value: Node, at: number, kills: string[] | null = null, stmt?: [number, number], binds = true): void => {
    const b: Binding = { names: names_, value, at, kills, block: stmt?.[0] ?? -1, stmtEnd: stmt?.[1] ?? Infinity };
    out.push(b);
    for (const n of names_) {
      // `items.append(x)` changes an object; it does not make `items` a local name.
      if (binds && !n.includes('.')) names.add(n);
      const list = byName.get(n);
      if (list) list.push(b);
      else byName.set(n, [b]);
    }
  };
  const stack: [Node, Node | null][] = [[body, null]];
  while (stack.length) {
    const [n, parent] = stack.pop()!;
    switch (n.type) {
      case 'function_definition':
      case 'class_definition': {
        const name = n.childForFieldName('name');
        if (name) names.add(name.text);
        continue;
      }
      case 'lambda':
        continue;
      case 'return_statement':
      case 'yield': {
        const v = n.namedChildren[0];
        if (v) returns.push(v);
        break;
      }
      case 'import_statement':
      case 'import_from_statement':
        for (const name of n.childrenForFieldName('name')) {
          if (!name) continue;
          const alias = name.type === 'aliased_import' ? name.childForFieldName('alias') : null;
          names.add((alias?.text ?? name.text).split('.')[0]!);
        }
        continue;
      case 'expression_statement': {
        const first = n.namedChildren[0];
        if (first?.type === 'assignment' && parent) statements.set(first.id, [parent.id, n.endIndex]);
        break;
      }
      case 'assignment':
      case 'augmented_assignment': {
        let right = n.childForFieldName('right');
        const targets: string[] = [];
        const kills: string[] = [];
        const stmt = n.type === 'assignment' ? statements.get(n.id) : undefined;
        targetKeys(n.childForFieldName('left'), targets);
        if (stmt) killedNames(n.childForFieldName('left'), kills);
        while (right?.type === 'assignment') {
          targetKeys(right.childForFieldName('left'), targets);
          if (stmt) killedNames(right.childForFieldName('left'), kills);
          right = right.childForFieldName('right');
        }
        if (right && targets.length) add(targets, right, n.endIndex, kills.length ? kills : null, stmt);
        else for (const t of targets) if (!t.includes('.')) names.add(t);
        break;
      }
      case 'for_statement':
      case 'for_in_clause': {
        const targets: string[] = [];
        targetKeys(n.childForFieldName('left'), targets);
        const right = n.childForFieldName('right');
        if (right && targets.length) add(targets, right, right.endIndex);
        break;
      }
      case 'as_pattern': {
        const targets: string[] = [];
        targetKeys(n.childForFieldName('alias')?.namedChildren[0] ?? null, targets);
        const value = n.namedChildren[0];
        if (value && targets.length) add(targets, value, n.endIndex);
        break;
      }
      case 'named_expression': {
        const name = n.childForFieldName('name');
        const value = n.childForFieldName('value');
        if (name && value) add([name.text], value, n.endIndex);
        break;
      }
      case 'call': {
        // `items.append(x)`: the container now holds x.
        const fn = n.childForFieldName('function');
        if (fn?.type === 'attribute' && MUTATORS.has(fn.childForFieldName('attribute')?.text ?? '')) {
          const targets: string[] = [];
          targetKeys(fn.childForFieldName('object'), targets);
          const args = n.childForFieldName('arguments');
          if (args && targets.length) add(targets, args, n.endIndex, null, undefined, false);
        }
        break;
      }
    }
    for (const c of n.namedChildren) if (c) stack.push([c, n]);
  }
  return { bindings: out, returns, names, byName };
}

// ----- guards -----

/** Names checked by a condition when it is true (`x in ALLOWED`, `x.isdigit()`, `is_safe_url(x)`). */
function checkedWhenTrue(cond: Node | null | undefined, out: Set<string>, negated: boolean): void {
  if (!cond) return;
  const c = unparen(cond);
  if (c.type === 'not_operator') {
    const arg = c.childForFieldName('argument');
    if (arg) checkedWhenTrue(arg, out, !negated);
    return;
  }
  if (c.type === 'boolean_operator') {
    const op = c.childForFieldName('operator')?.type;
    // `a and b` true: both hold. `not (a or b)`: neither holds, so nothing is known to pass.
    if ((op === 'and' && !negated) || (op === 'or' && negated)) {
      checkedWhenTrue(c.childForFieldName('left'), out, negated);
      checkedWhenTrue(c.childForFieldName('right'), out, negated);
    }
    return;
  }
  if (c.type === 'comparison_operator') {
    const ops = c.children.filter((x) => x && !x.isNamed).map((x) => x!.type);
    const left = c.namedChildren[0];
    const name = left ? dottedName(unparen(left)) : null;
    if ((ops.includes('in') && !negated) || (ops.includes('not in') && negated)) {
      if (name) out.add(name);
      // `urlparse(url).hostname in ALLOWED_HOSTS` vets `url` itself.
      const u = left ? unparen(left) : null;
      const call = u?.type === 'attribute' ? u.childForFieldName('object') : null;
      if (call?.type === 'call' && /(^|\.)(urlparse|urlsplit)$/.test(dottedName(call.childForFieldName('function')) ?? '')) {
        const arg = callArgs(call).positional[0];
        const argName = arg ? dottedName(unparen(arg)) : null;
        if (argName) out.add(argName);
      }
    }
    return;
  }
  if (c.type === 'call' && !negated) {
    const fn = c.childForFieldName('function');
    if (fn?.type === 'attribute' && NAME_CHECKS.has(fn.childForFieldName('attribute')?.text ?? '')) {
      const obj = fn.childForFieldName('object');
      const name = obj ? dottedName(unparen(obj)) : null;
      if (name) out.add(name);
      return;
    }
    const callee = dottedName(fn);
    if (callee && VALIDATORS.test(callee)) {
      for (const a of callArgs(c).positional) {
        const name = dottedName(unparen(a));
        if (name) out.add(name);
      }
      for (const a of callArgs(c).keywords.values()) {
        const name = dottedName(unparen(a));
        if (name) out.add(name);
      }
    }
  }
}

function exits(block: Node | null | undefined): boolean {
  const last = block?.namedChildren.filter((c) => c && c.type !== 'comment').pop();
  if (!last) return false;
  if (last.type === 'return_statement' || last.type === 'raise_statement' || last.type === 'continue_statement' || last.type === 'break_statement') return true;
  const e = last.type === 'expression_statement' ? last.namedChildren[0] : null;
  return e?.type === 'call' && /(^|\.)(abort|exit|_exit|redirect)$/.test(dottedName(e.childForFieldName('function')) ?? '');
}

/**
 * Names an allowlist or validation check has vetted at `at`: conditions of the `if`s it sits in,
 * and earlier `if not <check>: return/raise/abort(...)` statements of the blocks around it.
 */
export function guardedNames(at: Node, _ctx: RuleContext): Set<string> | null {
  let out: Set<string> | null = null;
  let child = at;
  for (let n = at.parent; n && n.type !== 'function_definition' && n.type !== 'module'; child = n, n = n.parent) {
    if (n.type === 'if_statement' && n.childForFieldName('consequence')?.id === child.id) {
      out ??= new Set();
      checkedWhenTrue(n.childForFieldName('condition'), out, false);
    }
    if (n.type === 'block') {
      for (const s of n.namedChildren) {
        if (!s || s.startIndex >= child.startIndex) break;
        if (s.type === 'if_statement' && exits(s.childForFieldName('consequence'))) {
          out ??= new Set();
          const cond = s.childForFieldName('condition');
          if (cond) checkedWhenTrue(cond, out, true);
        }
      }
    }
  }
  return out && out.size ? out : null;
}
