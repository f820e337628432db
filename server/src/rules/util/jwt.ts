// PyJWT (`import jwt`) and python-jose (`from jose import jwt`) entry points.

import type { Node } from '../../engine/parser';
import type { FilePart, RuleContext } from '../../engine/rule';
import { callArgs, stringValue, unparen } from '../../engine/syntax';

export type JwtCall = 'decode' | 'encode';

/** 'decode' / 'encode' for PyJWT or python-jose calls, else null. */
export function jwtCall(call: Node, ctx: RuleContext): JwtCall | null {
  const name = ctx.callName(call);
  if (!name) return null;
  const m = /^(?:jwt|jose\.jwt|jwt\.api_jwt)\.(decode|encode)$/.exec(name);
  if (!m) return null;
  // PyJWT's `jwt.decode` also exists as `jwt.PyJWT().decode`; plain module calls are what users write.
  return m[1] as JwtCall;
}

export interface EncodeAlgorithm {
  /** Source text to put in `algorithms=[...]`: a literal like `"RS256"` or a constant's name. */
  text: string;
}

/** The `algorithm=` values of the `jwt.encode` calls in one region of the file (literals as JSON, names as written). */
const ENCODE_ALGORITHMS: FilePart<string[]> = {
  name: 'jwt:encode-algorithms',
  nodeTypes: ['call'],
  compute(calls, ctx) {
    const found = new Set<string>();
    for (const n of calls) {
      if (jwtCall(n, ctx) !== 'encode') continue;
      const alg = callArgs(n).keywords.get('algorithm') ?? callArgs(n).positional[2];
      if (alg) {
        const v = stringValue(alg);
        const a = unparen(alg);
        if (v !== null && v.toLowerCase() !== 'none') found.add(JSON.stringify(v));
        else if (a.type === 'identifier' || a.type === 'attribute') found.add(ctx.textOf(a));
      }
    }
    return [...found];
  },
};

/**
 * The `algorithm=` of the `jwt.encode` calls in this file, when they all agree. Assembled from
 * parts, one per function, so that a rule asking for it stays local (`encodeAlgorithmKey`).
 */
export function encodeAlgorithm(ctx: RuleContext): EncodeAlgorithm | null {
  return ctx.memo('jwt:encode-algorithm', () => {
    const found = new Set(ctx.parts(ENCODE_ALGORITHMS).flat());
    return found.size === 1 ? { text: [...found][0]! } : null;
  });
}

/**
 * `encodeAlgorithm` as a `fileKey`. Every PyJWT or python-jose call has `jwt` in the file's text
 * (in the call or in its import), so a file without it has no `jwt.encode` and needs no parts.
 */
export function encodeAlgorithmKey(ctx: RuleContext): string {
  return /jwt/.test(ctx.text) ? (encodeAlgorithm(ctx)?.text ?? '') : '';
}
