// Which units (functions) a change can affect through calls, for rules declared
// `local: 'calls'` (the taint rules): what such a rule reports in a function depends on that
// function, on the functions it calls (their summaries, transitively), on the call sites of
// its callers (the arguments they pass, transitively up), on the other methods of its class
// (`self.x` set elsewhere), and on module-level names (the code outside functions, which is
// unchanged while findings are carried over, and the functions it calls).
//
// So a change in function D affects the callees, transitively, of D's callers, transitively:
// callees*(callers*(D)). When the code outside functions calls D (transitively), every
// function that reads a module-level name may be affected: the caller then re-runs everything.
//
// Calls are found by name, as the taint analysis resolves them (taint/analysis.ts, `callee`):
// a function "calls" every function whose name it writes before an opening parenthesis
// (`f(`, `obj.f (`); the analysis follows nothing else (a name passed as a value, `urlpatterns
// = [path("", view)]`, is not a call of it). A name defined
// more than once can reach only the functions outside classes among them (`f()` prefers the
// visible one; `obj.f()` reaches a method only when it is the one method of that name, and
// `self.f()` one of its own class, which the class coupling covers). Over-approximating is safe
// (more functions re-run); what must never happen is an edge the analysis follows and this
// graph misses. For a changed function both its old and its new text count, since a definition
// that appears or disappears changes how calls elsewhere resolve.

/** What the call graph needs of one unit's text. */
export interface UnitCode {
  /** Every identifier-like word of the text followed by `(` (strings and comments included). */
  words: ReadonlySet<string>;
  /** Names of the functions defined in it (nested ones and methods of nested classes too), and how often. */
  defs: ReadonlyMap<string, number>;
}

const WORD = /[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*/gu;
const DEF = /(?<![\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}])def\s+([\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*)/gu;

export function unitCode(text: string): UnitCode {
  const words = new Set<string>();
  for (const m of text.matchAll(WORD)) if (calledAt(text, m.index + m[0].length)) words.add(m[0]);
  const defs = new Map<string, number>();
  for (const m of text.matchAll(DEF)) defs.set(m[1]!, (defs.get(m[1]!) ?? 0) + 1);
  return { words, defs };
}

/**
 * Whether an opening parenthesis follows `at`, past spaces, line breaks, line continuations
 * and comments (inside brackets a call can be split over lines).
 */
function calledAt(text: string, at: number): boolean {
  for (let i = at; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40) return true; // (
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 92) continue; // space, tab, LF, CR, FF, backslash
    if (c === 35) {
      // # comment: to the end of the line.
      const nl = text.indexOf('\n', i);
      if (nl === -1) return false;
      i = nl;
      continue;
    }
    return false;
  }
  return false;
}

/**
 * The units a change affects: `now[i]` is each unit's code, `before[i]` the previous code of a
 * changed unit (null for an unchanged one), `owners[i]` the name of the class a method belongs
 * to ('' for none), `skeleton` the code outside units. Null when the code outside functions may be
 * affected (everything is).
 */
export function affectedUnits(now: readonly UnitCode[], before: readonly (UnitCode | null)[], owners: readonly string[], skeleton: UnitCode): boolean[] | null {
  const n = now.length;
  const definedBy = new Map<string, number[]>();
  const byClass = new Map<string, number[]>();
  // How many definitions of each name the file has now and had before the change.
  const countNow = new Map<string, number>();
  const countBefore = new Map<string, number>();
  const each = (i: number, f: (code: UnitCode) => void): void => {
    f(now[i]!);
    const b = before[i];
    if (b) f(b);
  };
  for (let i = 0; i < n; i++) {
    each(i, (c) => {
      for (const d of c.defs.keys()) {
        const list = definedBy.get(d);
        if (!list) definedBy.set(d, [i]);
        else if (list[list.length - 1] !== i) list.push(i);
      }
    });
    for (const [d, k] of now[i]!.defs) countNow.set(d, (countNow.get(d) ?? 0) + k);
    for (const [d, k] of (before[i] ?? now[i]!).defs) countBefore.set(d, (countBefore.get(d) ?? 0) + k);
    const owner = owners[i]!;
    if (owner) {
      const list = byClass.get(owner);
      if (list) list.push(i);
      else byClass.set(owner, [i]);
    }
  }
  // Edges caller -> callee; node n is the code outside functions.
  const callees: Set<number>[] = [];
  const callers: Set<number>[] = [];
  for (let i = 0; i <= n; i++) {
    callees.push(new Set());
    callers.push(new Set());
  }
  const link = (from: number, to: number): void => {
    if (from === to) return;
    callees[from]!.add(to);
    callers[to]!.add(from);
  };
  const linkWords = (i: number, code: UnitCode): void => {
    for (const w of code.words) {
      const targets = definedBy.get(w);
      if (!targets) continue;
      // Defined more than once, before and after: only the functions outside classes.
      const several = (countNow.get(w) ?? 0) > 1 && (countBefore.get(w) ?? 0) > 1;
      for (const j of targets) if (!several || !owners[j]) link(i, j);
    }
  };
  for (let i = 0; i < n; i++) {
    each(i, (c) => linkWords(i, c));
    // Methods of one class read each other's `self.x` and call each other through `self`.
    const owner = owners[i]!;
    if (owner) for (const j of byClass.get(owner)!) link(i, j);
  }
  linkWords(n, skeleton);

  const reach = (from: Iterable<number>, edges: Set<number>[]): Set<number> => {
    const seen = new Set(from);
    const stack = [...seen];
    while (stack.length) for (const j of edges[stack.pop()!]!) if (!seen.has(j)) (seen.add(j), stack.push(j));
    return seen;
  };
  const changed: number[] = [];
  for (let i = 0; i < n; i++) if (before[i]) changed.push(i);
  const up = reach(changed, callers);
  if (up.has(n)) return null;
  const down = reach(up, callees);
  const out = new Array<boolean>(n).fill(false);
  for (const i of down) if (i < n) out[i] = true;
  return out;
}
