// Units for incremental analysis while typing.
//
// A file is cut into UNITS, the outermost function definitions (methods included, with their
// decorators) and the comments and bare strings (docstrings) among module- and class-level
// statements, and the SKELETON, everything else: module- and class-level statements, class
// headers, imports. An edit inside a function body or a docstring changes one unit and leaves
// the skeleton text as it was; rules declared `local` report in a unit as a function of that
// unit, the skeleton and the file facts only, so their findings in every other unit can be
// reused, shifted to where the unit now starts (runner.ts, `analyzeTree` with a previous state).
//
// Comments and docstrings outside functions are most of the text outside functions (14 of the
// 18 KB outside functions in CPython's _pydecimal.py): as units, typing in them re-analyses
// them alone. No rule reads a docstring or comment other than the one it reports in.

import type { Node, TreeCursor } from './parser';
import type { Span } from './types';

export interface Unit extends Span {
  /** Node id in the tree the layout was computed from (valid for that tree only). */
  id: number;
  /**
   * The function's name (rules checking class-level code can look at method names), or
   * `TEXT_UNIT` for a comment or docstring.
   */
  name: string;
  /**
   * The name of the class a method is defined in ('' when not in a class). The dataflow
   * analysis relates methods by class name (`self.x`, `self.f()`), so two classes of one name
   * count as one.
   */
  owner: string;
}

/** The name of a comment or bare-string unit (no function can be called that). */
export const TEXT_UNIT = '#';

/** A statement-level comment or bare string (a docstring) of the module or a class body. */
function isTextStatement(c: TreeCursor, parentType: string, grandparentType: string | undefined): boolean {
  if (parentType !== 'module' && !(parentType === 'block' && grandparentType === 'class_definition')) return false;
  if (c.nodeType === 'comment') return true;
  if (c.nodeType !== 'expression_statement') return false;
  const node = c.currentNode;
  return node.namedChildCount === 1 && node.namedChild(0)?.type === 'string' && node.childCount === 1;
}

/** Statements and clauses that can hold a function definition outside any function. */
export const UNIT_CONTAINERS: ReadonlySet<string> = new Set([
  'module',
  'block',
  'class_definition',
  'decorated_definition',
  'if_statement',
  'elif_clause',
  'else_clause',
  'try_statement',
  'except_clause',
  'except_group_clause',
  'finally_clause',
  'with_statement',
  'for_statement',
  'while_statement',
  'match_statement',
  'case_clause',
  'ERROR',
]);

/** The name of the function definition at the cursor (the cursor is left where it was). */
function functionName(c: TreeCursor, text: string): string {
  if (!c.gotoFirstChild()) return '';
  let name = '';
  do {
    if (c.currentFieldName === 'name') {
      name = text.slice(c.startIndex, c.endIndex);
      break;
    }
  } while (c.gotoNextSibling());
  c.gotoParent();
  return name;
}

/** The units of a tree, in text order. */
export function unitsOf(root: Node, text: string): Unit[] {
  const units: Unit[] = [];
  // The classes around the cursor: [end offset, name].
  const classes: [number, string][] = [];
  const c = root.walk();
  try {
    for (;;) {
      const type = c.nodeType;
      const start = c.startIndex;
      while (classes.length && classes[classes.length - 1]![0] <= start) classes.pop();
      const owner = classes.length ? classes[classes.length - 1]![1] : '';
      let descend = false;
      if (type === 'function_definition') {
        units.push({ id: c.nodeId, start: c.startIndex, end: c.endIndex, name: functionName(c, text), owner });
      } else if (type === 'decorated_definition' && c.currentNode.childForFieldName('definition')?.type === 'function_definition') {
        const def = c.currentNode.childForFieldName('definition')!;
        const name = def.childForFieldName('name');
        units.push({ id: c.nodeId, start: c.startIndex, end: c.endIndex, name: name ? text.slice(name.startIndex, name.endIndex) : '', owner });
      } else if (UNIT_CONTAINERS.has(type)) {
        if (type === 'class_definition') classes.push([c.endIndex, c.currentNode.childForFieldName('name')?.text ?? '']);
        descend = true;
      } else if (type === 'comment' || type === 'expression_statement') {
        const parent = c.currentNode.parent;
        if (parent && isTextStatement(c, parent.type, parent.parent?.type)) units.push({ id: c.nodeId, start: c.startIndex, end: c.endIndex, name: TEXT_UNIT, owner });
      }
      if (descend && c.gotoFirstChild()) continue;
      let next = false;
      while (!(next = c.gotoNextSibling())) if (!c.gotoParent()) break;
      if (!next) break;
    }
  } finally {
    c.delete();
  }
  // Error recovery can nest a function definition in an ERROR node inside another unit's
  // span only through a container we descended into; keep the outermost of overlapping ones.
  const out: Unit[] = [];
  for (const u of units) {
    const last = out[out.length - 1];
    if (last && u.start < last.end) continue;
    out.push(u);
  }
  return out;
}

/** The skeleton: the text with every unit cut out (a NUL marks where each unit was). */
export function skeletonOf(text: string, units: readonly Unit[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const u of units) {
    parts.push(text.slice(at, u.start));
    at = u.end;
  }
  parts.push(text.slice(at));
  return parts.join('\0');
}

/** Index of the unit holding `offset`, or -1 for the skeleton. */
export function unitAt(units: readonly Unit[], offset: number): number {
  let lo = 0;
  let hi = units.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const u = units[mid]!;
    if (offset < u.start) hi = mid - 1;
    else if (offset >= u.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/**
 * Maps offsets of the previous text to the current one, when the skeleton is the same (so
 * both texts have the same number of units, in the same places of the skeleton). An offset
 * strictly inside a unit whose text changed has no image (null); any other offset moves with
 * the skeleton piece or unchanged unit it is in.
 */
export class OffsetMap {
  constructor(
    private readonly before: readonly Unit[],
    private readonly after: readonly Unit[],
    private readonly changed: readonly boolean[],
  ) {}

  map(offset: number): number | null {
    const units = this.before;
    // The last unit starting before `offset`.
    let lo = 0;
    let hi = units.length - 1;
    let k = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (units[mid]!.start < offset) {
        k = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (k === -1) return offset; // In the first skeleton piece, before every unit.
    const u = units[k]!;
    if (offset < u.end) {
      // Strictly inside unit k.
      if (this.changed[k]) return null;
      return offset - u.start + this.after[k]!.start;
    }
    // In the skeleton piece after unit k (its end included).
    return offset - u.end + this.after[k]!.end;
  }
}

/**
 * Moves `cursor` (on an ancestor of the node) down to the node with id `id` spanning
 * `span`, by sibling steps; false when it is not found.
 */
export function gotoNode(cursor: TreeCursor, id: number, span: Span): boolean {
  for (let guard = 0; guard < 100_000; guard++) {
    if (cursor.nodeId === id) return true;
    if (!cursor.gotoFirstChild()) return false;
    let found = false;
    do {
      if (cursor.startIndex <= span.start && cursor.endIndex >= span.end) {
        // Zero-width siblings can precede the one that really holds the span.
        if (cursor.nodeId === id || cursor.endIndex > cursor.startIndex || span.start === span.end) {
          found = true;
          break;
        }
      }
    } while (cursor.gotoNextSibling());
    if (!found) return false;
  }
  return false;
}
