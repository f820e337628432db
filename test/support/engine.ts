// Test helpers over the engine: parse once, analyse text with all rules (or some), apply fixes.

import { analyzeSource, type SourceOptions } from '../../server/src/engine/analyze';
import { initParser, parsePython, parserInput } from '../../server/src/engine/parser';
import type { Rule } from '../../server/src/engine/rule';
import type { Finding } from '../../server/src/engine/types';
import { ALL_RULES } from '../../server/src/rules';

export const ready = initParser();

export function options(rules: readonly Rule[] = ALL_RULES.filter((r) => r.enabledByDefault)): SourceOptions {
  return { rules, knownRules: ALL_RULES };
}

export function findings(text: string, path = 'example.py', rules?: readonly Rule[]): Finding[] {
  return analyzeSource(text, path, options(rules)).findings;
}

/** Syntax problems in a text: ERROR and MISSING nodes, as "line:col type". */
export function syntaxErrors(text: string): string[] {
  const { tree } = parsePython(parserInput(text));
  if (!tree) return ['parse failed'];
  const out: string[] = [];
  try {
    if (!tree.rootNode.hasError) return out;
    // Cursors must be deleted: web-tree-sitter 0.27's finalizer for a collected cursor frees
    // whichever cursor is in its transfer buffer, not necessarily this one.
    const cursor = tree.walk();
    try {
      for (;;) {
        const n = cursor.currentNode;
        if (n.type === 'ERROR' || n.isMissing) out.push(`${n.startPosition.row + 1}:${n.startPosition.column + 1} ${n.isMissing ? `MISSING ${n.type}` : 'ERROR'}`);
        if (cursor.gotoFirstChild()) continue;
        while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return out;
      }
    } finally {
      cursor.delete();
    }
  } finally {
    tree.delete();
  }
}
