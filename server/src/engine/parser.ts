// Loads web-tree-sitter and the Python grammar once, and parses with a time budget.
//
// The wasm build is used instead of the native binding because the native prebuild does not
// load on common Linux distributions and a VSIX cannot compile it on a user's machine (see
// DESIGN.md section 2). Both .wasm files are copied next to the bundles by the build; when the
// engine runs from source (tests) they are found in node_modules.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Edit, Language, Node, Parser, Query, Tree, type TreeCursor } from 'web-tree-sitter';

export { Edit, Query };
export type { Language, Node, Tree, TreeCursor, Point } from 'web-tree-sitter';

// ---------------------------------------------------------------------------------------------
// Per-tree caches.
//
// Parent lookups, call arguments, enclosing functions and the like are memoised per tree while
// rules run. The memos hold Node objects (with their position objects and child arrays), about
// as many as the tree has nodes: for the 50 largest Django modules, some 60 MiB of JS heap that
// the language server would otherwise keep for every open file until its next edit. Every such
// cache is made here, so that `releaseTreeCaches` can drop them all once an analysis is done.

const treeCaches: WeakMap<object, unknown>[] = [];

/** A cache keyed by syntax tree, emptied for a tree by `releaseTreeCaches`. */
export function treeCache<V>(): WeakMap<object, V> {
  const m = new WeakMap<object, V>();
  treeCaches.push(m);
  return m;
}

/** How many per-tree caches hold an entry for `tree` (for tests). */
export function treeCacheCount(tree: Tree): number {
  return treeCaches.filter((m) => m.has(tree)).length;
}

/** Drops every per-tree cache of `tree`; they fill again if the tree is analysed again. */
export function releaseTreeCaches(tree: Tree): void {
  for (const m of treeCaches) m.delete(tree);
}

// ---------------------------------------------------------------------------------------------
// Parent lookups.
//
// tree-sitter nodes have no parent pointer: `ts_node_parent` descends from the root to find the
// node, so one `node.parent` costs O(depth) and climbing to the enclosing function costs
// O(depth^2). On deeply nested code (issue 8: 10,000 levels) every rule that climbs became
// cubic overall. Every parent is therefore cached per tree, and while the runner walks a tree a
// climb that starts at the node being checked is answered in one pass from a copy of the walk
// cursor (whose own stack knows the ancestors). The cache is installed over `Node.prototype`
// once, so every rule benefits without having to remember a special helper.

const parentCaches = treeCache<Map<number, Node | null>>();
let walkCursor: TreeCursor | null = null;
const originalParent = Object.getOwnPropertyDescriptor(Node.prototype, 'parent')!.get!;

function cacheFor(tree: Tree): Map<number, Node | null> {
  let m = parentCaches.get(tree);
  if (!m) parentCaches.set(tree, (m = new Map()));
  return m;
}

/**
 * A copy of `cursor`. web-tree-sitter 0.27's `TreeCursor.copy()` copies whichever cursor was
 * last written to its transfer buffer, not necessarily this one (reading `currentNode` in
 * between overwrites it, and the copy then reads garbage): write this cursor there first.
 */
function copyCursor(cursor: TreeCursor): TreeCursor {
  void cursor.nodeId;
  return cursor.copy();
}

/** Fills the cache for the cursor's whole ancestor chain; O(depth). */
function fillFromCursor(cursor: TreeCursor, cache: Map<number, Node | null>): void {
  const c = copyCursor(cursor);
  try {
    let child = c.currentNode;
    while (c.gotoParent()) {
      const parent = c.currentNode;
      if (cache.has(child.id)) break;
      cache.set(child.id, parent);
      child = parent;
    }
    if (!cache.has(child.id) && child.id === child.tree.rootNode.id) cache.set(child.id, null);
  } finally {
    c.delete();
  }
}

/**
 * Finds `target` below the cursor's node by descending through the children that contain it,
 * caching each parent on the way: O(depth difference) instead of O(depth) per lookup.
 */
function descendFromCursor(cursor: TreeCursor, target: Node, cache: Map<number, Node | null>): void {
  const c = copyCursor(cursor);
  try {
    for (let guard = 0; guard < 10_000 && c.nodeId !== target.id; guard++) {
      const parent = c.currentNode;
      if (!c.gotoFirstChild()) return;
      let found = false;
      do {
        if (c.startIndex <= target.startIndex && c.endIndex >= target.endIndex) {
          found = true;
          break;
        }
      } while (c.gotoNextSibling());
      if (!found) return;
      cache.set(c.nodeId, parent);
    }
  } finally {
    c.delete();
  }
}

Object.defineProperty(Node.prototype, 'parent', {
  configurable: true,
  get(this: Node): Node | null {
    const cache = cacheFor(this.tree);
    const hit = cache.get(this.id);
    if (hit !== undefined) return hit;
    if (walkCursor) {
      if (walkCursor.nodeId === this.id) fillFromCursor(walkCursor, cache);
      else if (this.startIndex >= walkCursor.startIndex && this.endIndex <= walkCursor.endIndex) descendFromCursor(walkCursor, this, cache);
      const filled = cache.get(this.id);
      if (filled !== undefined) return filled;
    }
    const parent = originalParent.call(this) as Node | null;
    cache.set(this.id, parent);
    return parent;
  },
});

/**
 * Records the ancestors of the cursor's node in the parent cache, for a search that walks the
 * tree with its own cursor and hands out the nodes it finds: climbs from them (to the enclosing
 * function, say) are then answered from the cache instead of from tree-sitter, whose
 * `ts_node_parent` searches down from the root.
 */
export function rememberParents(cursor: TreeCursor, tree: Tree): void {
  fillFromCursor(cursor, cacheFor(tree));
}

/** Tells the parent cache which cursor is walking (null when the walk ends). */
export function setWalkCursor(cursor: TreeCursor | null): void {
  walkCursor = cursor;
}

let language: Language | undefined;
let parser: Parser | undefined;
let initPromise: Promise<void> | undefined;
/** The options object given to `Parser.init`: emscripten makes it the wasm Module (HEAP8...). */
let wasmModule: { HEAP8?: Int8Array } | undefined;

// Trees live in wasm memory until `delete()`: count the live ones (parsed or copied, not yet
// deleted), so tests and the memory report can see a tree that was never freed.
let liveTrees = 0;
const originalDelete = Tree.prototype.delete;
const originalCopy = Tree.prototype.copy;
Tree.prototype.delete = function (this: Tree): void {
  if ((this as unknown as Record<number, number>)[0] !== 0) liveTrees--;
  originalDelete.call(this);
};
Tree.prototype.copy = function (this: Tree): Tree {
  liveTrees++;
  return originalCopy.call(this);
};

export interface ParserMemory {
  /** Size of the wasm linear memory (it grows, never shrinks). */
  wasmBytes: number;
  /** Trees parsed or copied and not deleted yet. */
  liveTrees: number;
}

export function parserMemory(): ParserMemory {
  return { wasmBytes: wasmModule?.HEAP8?.buffer.byteLength ?? 0, liveTrees };
}

function findWasm(file: string, pkg: string): string {
  const candidates = [path.join(__dirname, file), path.join(__dirname, '..', file)];
  for (const c of candidates) if (fs.existsSync(c)) return c;
  // Running from source: resolve the file inside the package that ships it.
  return require.resolve(`${pkg}/${file}`);
}

/** Must be awaited once before any parse. Safe to call many times. */
export function initParser(): Promise<void> {
  initPromise ??= (async () => {
    const runtimeWasm = findWasm('web-tree-sitter.wasm', 'web-tree-sitter');
    const options: { locateFile: () => string; HEAP8?: Int8Array } = { locateFile: () => runtimeWasm };
    await Parser.init(options);
    wasmModule = options;
    const grammar = fs.readFileSync(findWasm('tree-sitter-python.wasm', 'tree-sitter-python'));
    language = await Language.load(new Uint8Array(grammar));
    parser = new Parser();
    parser.setLanguage(language);
  })();
  return initPromise;
}

export function pythonLanguage(): Language {
  if (!language) throw new Error('initParser() has not completed');
  return language;
}

/** Tree-sitter reads at most this many code units per callback; smaller slices copy less. */
const CHUNK = 10 * 1024;

export interface ParseOutcome {
  tree: Tree | null;
  /** True when the budget ran out and the parse was abandoned. */
  timedOut: boolean;
}

/**
 * Parses `text` (already normalised by `parserInput`), reusing `oldTree` when it has been
 * edited to match. Returns a null tree if the time budget is exceeded.
 */
export function parsePython(text: string, oldTree?: Tree | null, budgetMs = 5000): ParseOutcome {
  if (!parser) throw new Error('initParser() has not completed');
  const deadline = performance.now() + budgetMs;
  let timedOut = false;
  const tree = parser.parse((index) => (index < text.length ? text.slice(index, index + CHUNK) : undefined), oldTree ?? null, {
    progressCallback: () => {
      if (performance.now() > deadline) {
        timedOut = true;
        return true;
      }
      return false;
    },
  } as never);
  if (tree) liveTrees++;
  else parser.reset();
  return { tree, timedOut };
}

/**
 * Tree-sitter's Python grammar only treats `\n` as a line break, while Python (and LSP) also
 * accept a lone `\r`. Replacing a lone CR by LF keeps every UTF-16 offset the same, so spans
 * computed on the normalised text are valid in the original.
 */
export function parserInput(text: string): string {
  let t = text;
  if (t.indexOf('\r') !== -1) t = t.replace(/\r(?!\n)/g, '\n');
  // A byte order mark is not Python syntax; a space keeps offsets and tree-sitter treats a
  // leading space on the first line as ordinary whitespace.
  if (t.charCodeAt(0) === 0xfeff) t = ' ' + t.slice(1);
  return t;
}
