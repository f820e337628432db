// Loads web-tree-sitter and the Python grammar once, and parses with a time budget.
//
// The wasm build is used instead of the native binding because the native prebuild does not
// load on common Linux distributions and a VSIX cannot compile it on a user's machine (see
// DESIGN.md section 2). Both .wasm files are copied next to the bundles by the build; when the
// engine runs from source (tests) they are found in node_modules.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Edit, Language, Parser, Query, type Tree } from 'web-tree-sitter';

export { Edit, Query };
export type { Node, Tree, TreeCursor, Point } from 'web-tree-sitter';

let language: Language | undefined;
let parser: Parser | undefined;
let initPromise: Promise<void> | undefined;

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
    await Parser.init({ locateFile: () => runtimeWasm });
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
  if (!tree) parser.reset();
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
