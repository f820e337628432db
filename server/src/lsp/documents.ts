// Open documents with their syntax trees, kept in step with incremental edits.
//
// Each content change becomes a tree-sitter edit, applied in order (each change shifts the
// next), then one incremental reparse. Trees live in wasm memory that only `delete()` frees, so
// at most `maxTrees` are kept (least recently used first out) and a tree is deleted whenever it
// is replaced, evicted or its document closes. An evicted document is reparsed in full when
// next needed.

import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { budgetFor } from '../engine/analyze';
import { Edit, parsePython, parserInput, type Tree } from '../engine/parser';

export interface OpenDocument {
  readonly uri: string;
  doc: TextDocument;
  tree: Tree | null;
  /** Document version the tree has been edited to match (it may not be reparsed yet). */
  editedVersion: number;
  /** Document version the tree was last parsed at. */
  parsedVersion: number;
  /** Set when the last parse ran out of time. */
  parseTimedOut: boolean;
  lastUsed: number;
}

export interface DocumentStoreOptions {
  maxTrees: number;
  /** Fixed parse budget; by default it scales with the text (budgetFor). */
  parseBudgetMs?: number;
}

export class DocumentStore {
  private readonly docs = new Map<string, OpenDocument>();
  private clock = 0;

  constructor(private readonly options: DocumentStoreOptions = { maxTrees: 64 }) {}

  get(uri: string): OpenDocument | undefined {
    return this.docs.get(uri);
  }

  all(): OpenDocument[] {
    return [...this.docs.values()];
  }

  open(uri: string, languageId: string, version: number, text: string): OpenDocument {
    this.close(uri);
    const entry: OpenDocument = {
      uri,
      doc: TextDocument.create(uri, languageId, version, text),
      tree: null,
      editedVersion: -1,
      parsedVersion: -1,
      parseTimedOut: false,
      lastUsed: ++this.clock,
    };
    this.docs.set(uri, entry);
    return entry;
  }

  /** Applies LSP content changes to the text and, when a tree is held, to the tree. */
  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): OpenDocument | undefined {
    const entry = this.docs.get(uri);
    if (!entry) return undefined;
    let doc = entry.doc;
    const tree = entry.tree && entry.editedVersion === doc.version ? entry.tree : null;
    let treeUsable = tree !== null;
    for (const change of changes) {
      if (!('range' in change) || !change.range) {
        treeUsable = false;
        doc = TextDocument.update(doc, [change], version);
        continue;
      }
      const startIndex = doc.offsetAt(change.range.start);
      const oldEndIndex = doc.offsetAt(change.range.end);
      const startPosition = doc.positionAt(startIndex);
      const oldEndPosition = doc.positionAt(oldEndIndex);
      doc = TextDocument.update(doc, [change], version);
      if (treeUsable && tree) {
        const newEndIndex = startIndex + change.text.length;
        const newEndPosition = doc.positionAt(newEndIndex);
        tree.edit(
          new Edit({
            startIndex,
            oldEndIndex,
            newEndIndex,
            startPosition: { row: startPosition.line, column: startPosition.character },
            oldEndPosition: { row: oldEndPosition.line, column: oldEndPosition.character },
            newEndPosition: { row: newEndPosition.line, column: newEndPosition.character },
          }),
        );
      }
    }
    entry.doc = doc;
    // The tree now matches the new text's layout but must be reparsed before use.
    if (treeUsable) entry.editedVersion = doc.version;
    else this.dropTree(entry);
    return entry;
  }

  /** The tree for the current version, reparsing incrementally (or fully) if needed. */
  ensureTree(entry: OpenDocument): Tree | null {
    entry.lastUsed = ++this.clock;
    if (entry.tree && entry.parsedVersion === entry.doc.version) return entry.tree;
    const old = entry.tree && entry.editedVersion === entry.doc.version ? entry.tree : null;
    if (entry.tree && !old) this.dropTree(entry);
    const text = entry.doc.getText();
    const { tree, timedOut } = parsePython(parserInput(text), old, this.options.parseBudgetMs ?? budgetFor(text.length));
    if (old && old !== tree) old.delete();
    entry.tree = tree;
    entry.editedVersion = tree ? entry.doc.version : -1;
    entry.parsedVersion = tree ? entry.doc.version : -1;
    entry.parseTimedOut = timedOut;
    this.evict();
    return tree;
  }

  close(uri: string): void {
    const entry = this.docs.get(uri);
    if (!entry) return;
    this.dropTree(entry);
    this.docs.delete(uri);
  }

  closeAll(): void {
    for (const uri of [...this.docs.keys()]) this.close(uri);
  }

  /** Number of syntax trees currently held (for tests and memory reports). */
  treeCount(): number {
    let n = 0;
    for (const d of this.docs.values()) if (d.tree) n++;
    return n;
  }

  private dropTree(entry: OpenDocument): void {
    entry.tree?.delete();
    entry.tree = null;
    entry.editedVersion = -1;
    entry.parsedVersion = -1;
  }

  private evict(): void {
    const withTrees = [...this.docs.values()].filter((d) => d.tree);
    if (withTrees.length <= this.options.maxTrees) return;
    withTrees.sort((a, b) => a.lastUsed - b.lastUsed);
    for (const d of withTrees.slice(0, withTrees.length - this.options.maxTrees)) this.dropTree(d);
  }
}
