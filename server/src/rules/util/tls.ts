// Insecure SSL/TLS protocol constants of the `ssl` module and pyOpenSSL.

import type { Node } from '../../engine/parser';
import type { RuleContext } from '../../engine/rule';
import { valuesBefore } from '../../engine/scope';
import { unparen } from '../../engine/syntax';

export interface InsecureProtocol {
  /** The constant as users know it: `ssl.PROTOCOL_TLSv1`, `SSL.SSLv3_METHOD`. */
  name: string;
  /** `SSLv2`, `SSLv3`, `TLSv1`, `TLSv1.1`. */
  version: string;
  /** SSL 2/3 are broken outright (DROWN, POODLE); TLS 1.0/1.1 are deprecated (RFC 8996). */
  broken: boolean;
}

const QUALIFIED: Record<string, string> = {
  'ssl.PROTOCOL_SSLv2': 'SSLv2',
  'ssl.PROTOCOL_SSLv3': 'SSLv3',
  'ssl.PROTOCOL_TLSv1': 'TLSv1',
  'ssl.PROTOCOL_TLSv1_1': 'TLSv1.1',
  'OpenSSL.SSL.SSLv2_METHOD': 'SSLv2',
  'OpenSSL.SSL.SSLv3_METHOD': 'SSLv3',
  'OpenSSL.SSL.TLSv1_METHOD': 'TLSv1',
  'OpenSSL.SSL.TLSv1_1_METHOD': 'TLSv1.1',
  'ssl.TLSVersion.SSLv3': 'SSLv3',
  'ssl.TLSVersion.TLSv1': 'TLSv1',
  'ssl.TLSVersion.TLSv1_1': 'TLSv1.1',
};

/** The insecure protocol constant `node` names, directly (through imports and aliases). */
export function insecureProtocol(node: Node | null | undefined, ctx: RuleContext): InsecureProtocol | null {
  if (!node) return null;
  const n = unparen(node);
  if (n.type !== 'identifier' && n.type !== 'attribute') return null;
  const q = ctx.resolve(n);
  const version = q ? QUALIFIED[q] : undefined;
  if (!version) return null;
  return { name: q!.replace(/^OpenSSL\./, ''), version, broken: version.startsWith('SSL') };
}

/** Like `insecureProtocol`, also through a local variable assigned one before the use. */
export function insecureProtocolValue(node: Node | null | undefined, ctx: RuleContext): InsecureProtocol | null {
  const direct = insecureProtocol(node, ctx);
  if (direct || !node) return direct;
  const n = unparen(node);
  if (n.type !== 'identifier') return null;
  const values = valuesBefore(n, ctx);
  const last = values[values.length - 1];
  return last ? insecureProtocol(last, ctx) : null;
}
