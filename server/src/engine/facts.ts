// File-level facts gathered by one statement-level pass before the rules run: the import/alias
// model, the names the file binds by assignment or definition, and module-level assignments.
// The pass visits statements only (never expressions), so it costs a small fraction of the
// full walk.
//
// Name resolution follows ruff's `resolve_qualified_name`: `import subprocess as sp` makes
// `sp.run` resolve to `subprocess.run`, `from yaml import load as l` makes `l` resolve to
// `yaml.load`. A name the file binds by assignment (`yaml = YAML()`) shadows the module of the
// same name and resolves to nothing, which avoids the classic ruamel.yaml false positive.

import type { Node } from './parser';
import { advance, parameterNames, targetNames } from './syntax';

export interface ImportBinding {
  /** Fully qualified name bound to the local name: `subprocess` for `import subprocess as sp`. */
  qualified: string;
  node: Node;
  /** Imported at module level (possibly inside a module-level if/try), so visible everywhere. */
  topLevel: boolean;
}

export interface FileFacts {
  /** Local name -> what it refers to. `import os.path` binds `os` to `os`. */
  readonly imports: Map<string, ImportBinding>;
  /** Every top-level module imported (`os`, `yaml`, `flask`), for framework detection. */
  readonly importedModules: Set<string>;
  /** Modules star-imported with `from m import *`. */
  readonly starImports: string[];
  /**
   * Names bound at module level by assignment, def, class, for or with ... as. Names bound
   * inside functions are per function (`functionBindings`); class bodies bind attributes, not
   * names visible to the rest of the module.
   */
  readonly boundNames: Set<string>;
  /**
   * Module-level assignments by target name, for settings rules: the last one wins, as it
   * does for a settings module that overrides a value. Questions about what a name holds at
   * one place in the code go to `scope.ts`.
   */
  readonly moduleAssignments: Map<string, Node>;
  /** The top-level import statements, in order, for fixes that add an import. */
  readonly topLevelImports: Node[];
  /** The module docstring statement, if any. */
  readonly docstring: Node | null;
}

function addImportStatement(stmt: Node, facts: FileFacts, topLevel: boolean): void {
  if (stmt.type === 'import_statement') {
    for (const name of stmt.childrenForFieldName('name')) {
      if (!name) continue;
      if (name.type === 'aliased_import') {
        const target = name.childForFieldName('name')?.text;
        const alias = name.childForFieldName('alias')?.text;
        if (target && alias) facts.imports.set(alias, { qualified: target, node: stmt, topLevel });
        if (target) facts.importedModules.add(target.split('.')[0]!);
      } else if (name.type === 'dotted_name') {
        const full = name.text;
        const head = full.split('.')[0]!;
        // `import os.path` binds `os`; resolution of `os.path.join` then works from `os`.
        if (!facts.imports.has(head)) facts.imports.set(head, { qualified: head, node: stmt, topLevel });
        facts.importedModules.add(head);
      }
    }
    return;
  }
  // import_from_statement / future_import_statement
  const moduleNode = stmt.childForFieldName('module_name');
  if (!moduleNode) return;
  const moduleName = moduleNode.text;
  // Relative imports (`from . import x`) name project modules, never the libraries rules look for.
  if (moduleNode.type === 'relative_import') return;
  facts.importedModules.add(moduleName.split('.')[0]!);
  if (stmt.namedChildren.some((c) => c?.type === 'wildcard_import')) {
    facts.starImports.push(moduleName);
    return;
  }
  for (const name of stmt.childrenForFieldName('name')) {
    if (!name) continue;
    if (name.type === 'aliased_import') {
      const target = name.childForFieldName('name')?.text;
      const alias = name.childForFieldName('alias')?.text;
      if (target && alias) facts.imports.set(alias, { qualified: `${moduleName}.${target}`, node: stmt, topLevel });
    } else if (name.type === 'dotted_name') {
      facts.imports.set(name.text, { qualified: `${moduleName}.${name.text}`, node: stmt, topLevel });
    }
  }
}

function bindTargets(target: Node | null, facts: FileFacts, top: boolean): void {
  if (!target || !top) return;
  if (target.type === 'identifier') facts.boundNames.add(target.text);
  else if (target.type !== 'attribute' && target.type !== 'subscript') {
    for (const n of targetNames(target)) facts.boundNames.add(n);
  }
}

type MutableFacts = { -readonly [K in keyof FileFacts]: FileFacts[K] };

/** Facts of a file with nothing in it; also what a file that is not analysed reports. */
export function emptyFacts(): MutableFacts {
  return {
    imports: new Map(),
    importedModules: new Set(),
    starImports: [],
    boundNames: new Set(),
    moduleAssignments: new Map(),
    topLevelImports: [],
    docstring: null,
  };
}

/**
 * The facts of a file. With the file's `text`, a function whose text has no `import` in it is
 * not visited (only imports count inside functions): while typing, this pass then costs the
 * module and class level only.
 */
export function collectFacts(root: Node, text?: string): FileFacts {
  const facts = emptyFacts();
  const first = root.namedChildren.find((c) => c && c.type !== 'comment');
  if (first?.type === 'expression_statement' && first.namedChildren[0]?.type === 'string') facts.docstring = first;

  // Explicit stack of [node, isModuleLevel]; statements only.
  const stack: [Node, boolean][] = [];
  pushBlock(root, stack, true);
  while (stack.length) {
    const [stmt, top] = stack.pop()!;
    switch (stmt.type) {
      case 'import_statement':
      case 'import_from_statement':
      case 'future_import_statement':
        addImportStatement(stmt, facts, top);
        if (stmt.parent?.type === 'module') facts.topLevelImports.push(stmt);
        continue;
      case 'expression_statement': {
        const expr = stmt.namedChildren[0];
        if (expr?.type === 'assignment' || expr?.type === 'augmented_assignment') {
          // Chained assignment `a = b = 1` nests assignments on the right.
          let a: Node | null = expr;
          while (a && (a.type === 'assignment' || a.type === 'augmented_assignment')) {
            const left = a.childForFieldName('left');
            bindTargets(left, facts, top);
            if (top && left?.type === 'identifier') facts.moduleAssignments.set(left.text, a);
            a = a.childForFieldName('right');
          }
        }
        continue;
      }
      case 'function_definition':
      case 'class_definition': {
        if (top) {
          const name = stmt.childForFieldName('name');
          if (name) facts.boundNames.add(name.text);
        }
        if (stmt.type === 'function_definition' && text !== undefined) {
          const at = text.indexOf('import', stmt.startIndex);
          if (at === -1 || at >= stmt.endIndex) continue;
        }
        const body = stmt.childForFieldName('body');
        if (body) pushBlock(body, stack, false);
        continue;
      }
      case 'ERROR':
        // Half-typed code: statements the parser could not place still count.
        pushBlock(stmt, stack, top);
        continue;
      case 'decorated_definition': {
        const def = stmt.childForFieldName('definition');
        if (def) stack.push([def, top]);
        continue;
      }
      case 'for_statement':
        bindTargets(stmt.childForFieldName('left'), facts, top);
        break;
      case 'with_statement':
        for (const clause of stmt.namedChildren) {
          if (clause?.type !== 'with_clause') continue;
          for (const item of clause.namedChildren) {
            const value = item?.childForFieldName('value');
            if (value?.type === 'as_pattern') {
              const alias = value.childForFieldName('alias');
              if (alias && top) for (const n of targetNames(alias.namedChildren[0] ?? alias)) facts.boundNames.add(n);
            }
          }
        }
        break;
    }
    // Compound statements and their clauses (elif/else/except/finally/case): visit nested
    // blocks. Clauses go back on the stack so their own blocks are found the same way.
    // `if TYPE_CHECKING:` imports exist for type checkers only, never at run time.
    const typingOnly = stmt.type === 'if_statement' && /\bTYPE_CHECKING\b/.test(stmt.childForFieldName('condition')?.text ?? '');
    const kids = stmt.namedChildren;
    for (let i = kids.length - 1; i >= 0; i--) {
      const child = kids[i];
      if (!child) continue;
      if (child.type === 'block') pushBlock(child, stack, top && !(typingOnly && child.id === stmt.childForFieldName('consequence')?.id));
      else if (child.type.endsWith('_clause') && child.type !== 'with_clause') stack.push([child, top]);
    }
  }
  return facts;
}

function pushBlock(block: Node, stack: [Node, boolean][], top: boolean): void {
  if (block.type !== 'block' && block.type !== 'ERROR' && block.type !== 'module') {
    stack.push([block, top]);
    return;
  }
  const kids = block.namedChildren;
  for (let i = kids.length - 1; i >= 0; i--) {
    const c = kids[i];
    if (c) stack.push([c, top]);
  }
}

/**
 * Resolves `a.b.c` in this file to a qualified name, or null when its head is a local
 * binding of the file that is not an import.
 */
export function resolveDotted(dotted: string, facts: FileFacts): string | null {
  const dot = dotted.indexOf('.');
  const head = dot === -1 ? dotted : dotted.slice(0, dot);
  const rest = dot === -1 ? '' : dotted.slice(dot);
  const binding = facts.imports.get(head);
  if (binding) return binding.qualified + rest;
  if (facts.boundNames.has(head)) return null;
  return dotted;
}

// What functionBindings() found, by the function's text: the bindings are a function of the
// text alone, and while typing every function but one keeps its text from one analysis to the
// next. Keyed by a 53-bit hash and the length (a key that holds the text itself would keep the
// whole document alive); bounded by clearing when full. Every keystroke in a function adds
// an entry, so the bound is about the functions of the open files (50 of Django's largest
// modules have about 2,500), not more: 20,000 entries held some 15 MiB of names.
const bindingsByText = new Map<string, Set<string>>();
const BINDINGS_CACHE_SIZE = 4_096;

function textKey(text: string, start: number, end: number): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return `${end - start}:${(h2 >>> 0).toString(36)}:${(h1 >>> 0).toString(36)}`;
}

/** functionBindings(fn) for `fn` in `text`, remembered across analyses by the function's text. */
export function functionBindingsIn(fn: Node, text: string): Set<string> {
  const key = textKey(text, fn.startIndex, fn.endIndex);
  let found = bindingsByText.get(key);
  if (!found) {
    if (bindingsByText.size >= BINDINGS_CACHE_SIZE) bindingsByText.clear();
    bindingsByText.set(key, (found = functionBindings(fn)));
  }
  return found;
}

/**
 * Names a function binds locally other than by import: parameters, assignment and loop
 * targets, `with ... as`, `except ... as`. A local binding shadows a module-level import of
 * the same name inside that function.
 */
export function functionBindings(fn: Node): Set<string> {
  const out = new Set<string>(parameterNames(fn));
  const body = fn.childForFieldName('body');
  if (!body) return out;
  // A cursor walk: only the binding nodes become Node objects (a function body has many more
  // nodes than bindings, and this runs for every function a rule resolves a name in).
  const cursor = body.walk();
  try {
    let descend: boolean;
    do {
      descend = true;
      if (cursor.nodeIsNamed) {
        switch (cursor.nodeType) {
          case 'function_definition':
          case 'class_definition': {
            const name = cursor.currentNode.childForFieldName('name');
            if (name) out.add(name.text);
            descend = false;
            break;
          }
          case 'lambda':
            descend = false;
            break;
          case 'assignment':
          case 'augmented_assignment': {
            const left = cursor.currentNode.childForFieldName('left');
            if (left?.type !== 'attribute') for (const t of targetNames(left)) out.add(t);
            break;
          }
          case 'for_statement':
          case 'for_in_clause':
            for (const t of targetNames(cursor.currentNode.childForFieldName('left'))) out.add(t);
            break;
          case 'as_pattern_target': {
            const n = cursor.currentNode;
            for (const t of targetNames(n.namedChildren[0] ?? n)) out.add(t);
            break;
          }
        }
      }
    } while (advance(cursor, descend));
  } finally {
    cursor.delete();
  }
  return out;
}
