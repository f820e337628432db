// Whether a URL is built on a fixed origin (`f"https://api.example.com/users/{id}"`) or a fixed
// local path (`"/profile/" + name`): then untrusted data chooses only a path below it, which
// neither sends the request to another host nor redirects off the site.

import type { Node } from '../../engine/parser';
import type { RuleContext } from '../../engine/rule';
import { bindingValues } from '../../engine/scope';
import { plusOperands, stringValue, unparen } from '../../engine/syntax';

function literalPrefix(node: Node): string | null {
  const n = unparen(node);
  if (n.type === 'string') {
    let out = '';
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (c.type === 'interpolation') return out;
      if (c.type === 'string_content') out += c.text;
    }
    return out;
  }
  if (n.type === 'concatenated_string') {
    const first = n.namedChildren[0];
    return first ? literalPrefix(first) : null;
  }
  if (n.type === 'binary_operator') {
    const op = n.childForFieldName('operator')?.type;
    const left = n.childForFieldName('left');
    if (op === '+' && left) return literalPrefix(plusOperands(n)[0] ?? left);
    if (op === '%' && left) return literalPrefix(left)?.replace(/%.*$/s, '') ?? null;
  }
  if (n.type === 'call') {
    // "https://host/{}".format(x)
    const fn = n.childForFieldName('function');
    const obj = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
    if (obj && fn?.childForFieldName('attribute')?.text === 'format') {
      const v = stringValue(obj);
      if (v !== null) return v.replace(/\{.*$/s, '');
    }
  }
  return stringValue(n) ?? null;
}

export function fixedOrigin(node: Node, ctx: RuleContext, local: boolean, depth = 0): boolean {
  const n = unparen(node);
  if (n.type === 'identifier' && depth < 3) {
    const values = bindingValues(n, ctx);
    return !!values && values.length > 0 && values.every((v) => fixedOrigin(v, ctx, local, depth + 1));
  }
  const prefix = literalPrefix(n);
  if (prefix === null) return false;
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]+[/?#]/i.test(prefix)) return true;
  return local && /^\/[^/\\]/.test(prefix);
}
