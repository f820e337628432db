// Small, allocation-light helpers over tree-sitter-python nodes. Pure functions of the tree:
// anything that needs the import model or the file lives in the rule context instead.

import { rememberParents, treeCache, type Language, type Node, type TreeCursor } from './parser';

/** `a.b.c` for an identifier/attribute chain, else null. */
export function dottedName(node: Node | null | undefined): string | null {
  if (!node) return null;
  const parts: string[] = [];
  let n: Node | null = node;
  while (n) {
    if (n.type === 'identifier') {
      parts.push(n.text);
      break;
    }
    if (n.type === 'attribute') {
      const attr = n.childForFieldName('attribute');
      if (!attr) return null;
      parts.push(attr.text);
      n = n.childForFieldName('object');
      continue;
    }
    return null;
  }
  return parts.reverse().join('.');
}

/** The last identifier of a call's callee: `run` for `sp.run(...)` and for `run(...)`. */
export function calleeTail(call: Node): string | null {
  const fn = call.childForFieldName('function');
  if (!fn) return null;
  if (fn.type === 'identifier') return fn.text;
  if (fn.type === 'attribute') return fn.childForFieldName('attribute')?.text ?? null;
  return null;
}

export interface CallArgs {
  positional: Node[];
  keywords: Map<string, Node>;
  /** The keyword_argument nodes themselves, for fixes that remove or replace them. */
  keywordNodes: Map<string, Node>;
  hasStarArgs: boolean;
  hasStarKwargs: boolean;
  list: Node | null;
}

const EMPTY_ARGS: CallArgs = {
  positional: [],
  keywords: new Map(),
  keywordNodes: new Map(),
  hasStarArgs: false,
  hasStarKwargs: false,
  list: null,
};

/**
 * A memo kept per syntax tree (dropped with the tree, or by `releaseTreeCaches` when an analysis
 * ends): `memo(node, key, compute)` computes once per tree and key. Node objects are rebuilt on every access, so keys are node ids.
 */
export function treeMemo<T>(): (node: Node, key: number | string, compute: () => T) => T {
  const trees = treeCache<Map<number | string, T>>();
  return (node, key, compute) => {
    let cache = trees.get(node.tree);
    if (!cache) trees.set(node.tree, (cache = new Map()));
    if (cache.has(key)) return cache.get(key)!;
    const value = compute();
    cache.set(key, value);
    return value;
  };
}

/**
 * Moves a cursor to the next node of a pre-order walk: into the first child (unless `descend`
 * is false), else to the next sibling of the node or of its nearest ancestor. False when the
 * walk has left the cursor's root.
 */
export function advance(cursor: TreeCursor, descend = true): boolean {
  if (descend && cursor.gotoFirstChild()) return true;
  while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return false;
  return true;
}

// Many rules look at the arguments of the same call: they are read once per call and tree.
const argsMemo = treeMemo<CallArgs>();

export function callArgs(call: Node): CallArgs {
  return argsMemo(call, call.id, () => readCallArgs(call));
}

function readCallArgs(call: Node): CallArgs {
  const list = call.childForFieldName('arguments');
  if (!list || list.type !== 'argument_list') return EMPTY_ARGS;
  const out: CallArgs = {
    positional: [],
    keywords: new Map(),
    keywordNodes: new Map(),
    hasStarArgs: false,
    hasStarKwargs: false,
    list,
  };
  for (const child of list.namedChildren) {
    if (!child) continue;
    switch (child.type) {
      case 'keyword_argument': {
        const name = child.childForFieldName('name');
        const value = child.childForFieldName('value');
        if (name && value) {
          out.keywords.set(name.text, value);
          out.keywordNodes.set(name.text, child);
        }
        break;
      }
      case 'list_splat':
        out.hasStarArgs = true;
        break;
      case 'dictionary_splat':
        out.hasStarKwargs = true;
        break;
      case 'comment':
        break;
      default:
        out.positional.push(child);
    }
  }
  return out;
}

/** Argument by position or keyword, as Python would bind it. */
export function argument(args: CallArgs, position: number, keyword: string): Node | null {
  return args.keywords.get(keyword) ?? args.positional[position] ?? null;
}

export function isTrue(node: Node | null | undefined): boolean {
  return node?.type === 'true';
}

export function isFalse(node: Node | null | undefined): boolean {
  return node?.type === 'false';
}

export function isNone(node: Node | null | undefined): boolean {
  return node?.type === 'none';
}

/** Strips redundant parentheses: `((x))` gives `x`. */
export function unparen(node: Node): Node {
  let n = node;
  while (n.type === 'parenthesized_expression') {
    const inner = n.namedChildren.find((c) => c && c.type !== 'comment');
    if (!inner) break;
    n = inner;
  }
  return n;
}

/** The prefix of a string literal in lower case: '' for "x", 'f' for f"x", 'rb' for Rb"x". */
export function stringPrefix(str: Node): string {
  const start = str.firstChild;
  if (!start || start.type !== 'string_start') return '';
  return start.text.replace(/["']+$/, '').toLowerCase();
}

export function isFString(str: Node): boolean {
  return str.type === 'string' && stringPrefix(str).includes('f');
}

export function isBytes(str: Node): boolean {
  return str.type === 'string' && stringPrefix(str).includes('b');
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
};

/** The text a non-raw string literal's source `raw` stands for: `\\n`, `\\x41`, `\\101`... decoded. */
export function decodeEscapes(raw: string): string {
  return raw.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|\n|.)/g, (m, e: string) => {
    if (e === '\n') return '';
    if (e in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[e]!;
    if (e[0] === 'x' || e[0] === 'u' || e[0] === 'U') return String.fromCodePoint(parseInt(e.slice(1), 16));
    if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return m;
  });
}

/**
 * The value of a string literal without interpolation (implicit concatenation included), or
 * null for f-strings with replacement fields and anything that is not a string literal.
 */
export function stringValue(node: Node | null | undefined): string | null {
  if (!node) return null;
  const n = unparen(node);
  if (n.type === 'concatenated_string') {
    let out = '';
    for (const part of n.namedChildren) {
      if (!part || part.type === 'comment') continue;
      const v = stringValue(part);
      if (v === null) return null;
      out += v;
    }
    return out;
  }
  if (n.type !== 'string') return null;
  const prefix = stringPrefix(n);
  const raw = prefix.includes('r');
  let out = '';
  for (const child of n.namedChildren) {
    if (!child) continue;
    if (child.type === 'interpolation') return null;
    if (child.type === 'string_content') out += raw ? child.text : decodeEscapes(child.text);
  }
  return out;
}

/** Flattens `a + b + c` (any nesting, parentheses dropped) into its operands in source order. */
export function plusOperands(node: Node): Node[] {
  const out: Node[] = [];
  const stack: Node[] = [node];
  while (stack.length) {
    const n = unparen(stack.pop()!);
    if (n.type === 'binary_operator' && n.childForFieldName('operator')?.type === '+') stack.push(n.childForFieldName('right')!, n.childForFieldName('left')!);
    else out.push(n);
  }
  return out;
}

/** Literal constants: strings without interpolation, numbers, booleans, None, and containers of them. */
export function isConstant(node: Node | null | undefined, depth = 0): boolean {
  if (!node || depth > 50) return false;
  const n = unparen(node);
  switch (n.type) {
    case 'integer':
    case 'float':
    case 'true':
    case 'false':
    case 'none':
    case 'ellipsis':
      return true;
    case 'string':
    case 'concatenated_string':
      return stringValue(n) !== null;
    case 'unary_operator':
      return isConstant(n.childForFieldName('argument'), depth + 1);
    case 'list':
    case 'tuple':
    case 'set':
      return n.namedChildren.every((c) => !c || c.type === 'comment' || isConstant(c, depth + 1));
    case 'dictionary':
      return n.namedChildren.every(
        (p) =>
          !p ||
          p.type === 'comment' ||
          (p.type === 'pair' && isConstant(p.childForFieldName('key'), depth + 1) && isConstant(p.childForFieldName('value'), depth + 1)),
      );
    default:
      return false;
  }
}

/** Identifier names bound by an assignment target (`a`, `a, b`, `x.attr` gives `attr`). */
export function targetNames(target: Node | null | undefined, out: string[] = [], depth = 0): string[] {
  if (!target || depth > 50) return out;
  switch (target.type) {
    case 'identifier':
      out.push(target.text);
      break;
    case 'attribute': {
      const attr = target.childForFieldName('attribute');
      if (attr) out.push(attr.text);
      break;
    }
    case 'subscript': {
      const key = stringValue(target.childForFieldName('subscript'));
      if (key !== null) out.push(key);
      break;
    }
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'tuple':
    case 'list':
      for (const c of target.namedChildren) targetNames(c, out, depth + 1);
      break;
    case 'list_splat_pattern':
      targetNames(target.namedChildren[0], out, depth + 1);
      break;
  }
  return out;
}

const STATEMENT_TYPES = new Set([
  'expression_statement',
  'return_statement',
  'assert_statement',
  'raise_statement',
  'delete_statement',
  'pass_statement',
  'break_statement',
  'continue_statement',
  'global_statement',
  'nonlocal_statement',
  'import_statement',
  'import_from_statement',
  'future_import_statement',
  'print_statement',
  'exec_statement',
  'type_alias_statement',
  'if_statement',
  'for_statement',
  'while_statement',
  'try_statement',
  'with_statement',
  'match_statement',
  'function_definition',
  'class_definition',
  'decorated_definition',
]);

export function isStatement(node: Node): boolean {
  return STATEMENT_TYPES.has(node.type);
}

// Climbs to the enclosing function or statement are memoised per tree: a chain of N nested
// expressions would otherwise cost O(N) per node and O(N^2) per file (see parser.ts on parents).
const functionCache = treeCache<Map<number, Node | null>>();
const statementCache = treeCache<Map<number, Node | null>>();
const classCache = treeCache<Map<number, Node | null>>();

function memoClimb(node: Node, caches: WeakMap<object, Map<number, Node | null>>, stop: (n: Node) => boolean, includeSelf: boolean): Node | null {
  let cache = caches.get(node.tree);
  if (!cache) caches.set(node.tree, (cache = new Map()));
  if (includeSelf && stop(node)) return node;
  const path: Node[] = [];
  let result: Node | null = null;
  for (let n = node.parent; n; n = n.parent) {
    const hit = cache.get(n.id);
    if (hit !== undefined) {
      result = hit;
      break;
    }
    if (stop(n)) {
      result = n;
      break;
    }
    path.push(n);
  }
  // Every node passed on the way has the same answer as `node`.
  for (const p of path) cache.set(p.id, result);
  return result;
}

const isFunctionNode = (n: Node): boolean => n.type === 'function_definition' || n.type === 'lambda';

/** The innermost enclosing function definition, or null at module or class level. */
export function enclosingFunction(node: Node): Node | null {
  return memoClimb(node, functionCache, isFunctionNode, false);
}

/** The class body `node` sits in directly (not through a function or lambda), or null. */
export function enclosingClassBody(node: Node): Node | null {
  const owner = memoClimb(node, classCache, (n) => isFunctionNode(n) || n.type === 'class_definition', false);
  return owner?.type === 'class_definition' ? owner.childForFieldName('body') : null;
}

/** The innermost statement containing `node` (itself if it is one). */
export function enclosingStatement(node: Node): Node | null {
  return memoClimb(node, statementCache, isStatement, true);
}

/** Parameter names of a function_definition or lambda. */
export function parameterNames(fn: Node): string[] {
  const params = fn.childForFieldName('parameters');
  if (!params) return [];
  const out: string[] = [];
  for (const p of params.namedChildren) {
    if (!p) continue;
    if (p.type === 'identifier') out.push(p.text);
    else {
      const name = p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'identifier');
      if (name) out.push(name.text);
    }
  }
  return out;
}

// Whole-file searches ("every assignment", "every jwt.encode call") are answered by one cursor
// walk per tree and set of types; only the matching nodes become Node objects. Walking with
// `namedChildren` built a Node for every node of the file, most of the cost of such a search.
const typeSearches = treeMemo<Node[]>();

const typeIdTables = new WeakMap<Language, ReadonlyMap<string, readonly number[]>>();

/** The ids of each named node type of a language (a name can have several ids: aliases); built once. */
export function namedTypeIds(language: Language): ReadonlyMap<string, readonly number[]> {
  let table = typeIdTables.get(language);
  if (!table) {
    const m = new Map<string, number[]>();
    for (let id = 0; id < language.nodeTypeCount; id++) {
      const name = language.nodeTypeForId(id);
      if (!name || !language.nodeTypeIsNamed(id)) continue;
      let ids = m.get(name);
      if (!ids) m.set(name, (ids = []));
      ids.push(id);
    }
    typeIdTables.set(language, (table = m));
  }
  return table;
}

/** The named nodes of the given types under `root` (itself included), in source order; memoised per tree. */
export function nodesOfTypes(root: Node, types: readonly string[]): Node[] {
  return typeSearches(root, `${root.id}:${types.join(',')}`, () => {
    const table = namedTypeIds(root.tree.language);
    const ids = new Set(types.flatMap((t) => table.get(t) ?? []));
    const out: Node[] = [];
    const cursor = root.walk();
    try {
      do {
        if (ids.has(cursor.nodeTypeId)) {
          out.push(cursor.currentNode);
          rememberParents(cursor, root.tree);
        }
      } while (advance(cursor));
    } finally {
      cursor.delete();
    }
    return out;
  });
}

/** A character that can continue a Python identifier. */
const IDENTIFIER_CHAR = /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]/u;

/**
 * The nodes of `types` whose text is exactly one of `words`, within `spans` of the text (the
 * whole text by default), in text order: each place a word is written as a whole word is
 * looked up in the tree. Far cheaper than a walk when the words are rare.
 */
export function nodesSpelled(root: Node, text: string, words: Iterable<string>, types: readonly string[], spans: readonly { start: number; end: number }[] = [{ start: 0, end: text.length }]): Node[] {
  const out: Node[] = [];
  for (const word of new Set(words)) {
    if (!word) continue;
    for (const span of spans) {
      for (let at = text.indexOf(word, span.start); at !== -1 && at + word.length <= span.end; at = text.indexOf(word, at + word.length)) {
        const end = at + word.length;
        if ((at > 0 && IDENTIFIER_CHAR.test(text[at - 1]!)) || (end < text.length && IDENTIFIER_CHAR.test(text[end]!))) continue;
        const node = root.descendantForIndex(at, end);
        if (node && node.startIndex === at && node.endIndex === end && types.includes(node.type)) out.push(node);
      }
    }
  }
  return out.sort((a, b) => a.startIndex - b.startIndex);
}

/**
 * Pushes a node's named children onto a depth-first stack so they pop in source order.
 * `namedChildren` fetches them in one call; `namedChild(i)` scans from the first child each
 * time, which made these loops quadratic on a module with many statements.
 */
export function pushNamedChildren(stack: Node[], node: Node): void {
  const kids = node.namedChildren;
  for (let i = kids.length - 1; i >= 0; i--) {
    const c = kids[i];
    if (c) stack.push(c);
  }
}
