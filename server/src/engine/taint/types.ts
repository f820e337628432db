// Values of the taint analysis: where untrusted data comes from (an origin), what it went
// through on the way (steps), and which sink kinds a sanitizer has already made it safe for.

import type { Node } from '../parser';
import type { Confidence } from '../types';

/** Sink kinds, as bits: a sanitizer makes a value safe for some of them (`shlex.quote` for commands only). */
export const SinkKind = {
  sql: 1,
  command: 2,
  code: 4,
  deserialization: 8,
  path: 16,
  ssrf: 32,
  redirect: 64,
  xss: 128,
  xpath: 256,
  ldap: 512,
  regex: 1024,
  xxe: 2048,
  header: 4096,
  log: 8192,
  session: 16384,
  cookie: 32768,
} as const;
export type SinkKind = (typeof SinkKind)[keyof typeof SinkKind];
/** Every sink kind: a value sanitized for all of them is dropped (`uuid.UUID(x)`). */
export const ALL_KINDS: number = Object.values(SinkKind).reduce((a, b) => a | b, 0);

export interface Step {
  at: Node;
  message: string;
}

/**
 * One way untrusted data can reach a value: a source expression (`request.args`), or, inside a
 * function being summarised, one of its parameters (resolved against each call site on demand).
 */
export interface Origin {
  kind: 'source' | 'param';
  /** Parameter index for `param` origins (after `self`/`cls` for methods). */
  param: number;
  /** The source expression, or the parameter's name node. */
  node: Node;
  /** `request.args`, `sys.argv`, `parameter q of route handler`. */
  label: string;
  confidence: Confidence;
  /** Bits of the sink kinds a sanitizer has made this value safe for. */
  sanitized: number;
  /** Calls the value went through, outermost last. */
  steps: Step[];
}

export type Taint = Origin[];

export const CLEAN: Taint = [];

const RANK: Record<Confidence, number> = { high: 3, medium: 2, low: 1 };

export function lower(a: Confidence, b: Confidence): Confidence {
  return RANK[a] <= RANK[b] ? a : b;
}

export function higher(a: Confidence, b: Confidence): boolean {
  return RANK[a] > RANK[b];
}

function key(o: Origin): string {
  return o.kind === 'param' ? `p${o.param}:${o.sanitized}` : `s${o.node.id}:${o.sanitized}`;
}

/** Union of taints; for the same origin the higher confidence wins. Small arrays: linear scans. */
export function union(...taints: Taint[]): Taint {
  let out: Taint | null = null;
  for (const t of taints) {
    if (t.length === 0) continue;
    if (!out) {
      out = t;
      continue;
    }
    for (const o of t) {
      const k = key(o);
      const i = out.findIndex((x) => key(x) === k);
      if (i === -1) out = [...out, o];
      else if (higher(o.confidence, out[i]!.confidence)) out = out.map((x, j) => (j === i ? o : x));
    }
  }
  return out ?? CLEAN;
}

/** Caps the confidence of every origin (a flow through something we do not understand). */
export function cap(t: Taint, c: Confidence): Taint {
  if (t.length === 0) return t;
  return t.map((o) => (higher(o.confidence, c) ? { ...o, confidence: c } : o));
}

/** Marks a taint safe for some sink kinds; drops origins safe for every kind. */
export function sanitize(t: Taint, kinds: number): Taint {
  if (t.length === 0) return t;
  return t.map((o) => ({ ...o, sanitized: o.sanitized | kinds })).filter((o) => (o.sanitized & ALL_KINDS) !== ALL_KINDS);
}

export function withStep(t: Taint, step: Step): Taint {
  if (t.length === 0) return t;
  return t.map((o) => ({ ...o, steps: [...o.steps, step] }));
}
