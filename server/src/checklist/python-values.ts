// Summaries of the values settings are given, and node ranges, for the checklist facts.

import type { Node } from '../engine/parser';
import { stringValue, unparen } from '../engine/syntax';
import type { Range } from '../engine/types';
import type { SettingValue } from './python-facts';

const UPPER = /^[A-Z][A-Z0-9_]*$/;

export function rangeOf(node: Node): Range {
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

/** One line of source, at most 80 characters. */
function short(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 80 ? `${one.slice(0, 77)}...` : one;
}

function product(text: string): number | undefined {
  if (!/^[\d_\s*+()]+$/.test(text)) return undefined;
  const factors = text.replace(/[()\s_]/g, '').split('*');
  if (factors.some((f) => !/^\d+$/.test(f))) return undefined;
  return factors.reduce((a, f) => a * Number(f), 1);
}

const ENV_READ = /\b(os\.environ|environ\b|getenv|env\(|env\.\w+\(|config\(|config\.get|os\.getenv|Env\()/;

export function summarise(value: Node): SettingValue {
  const v = unparen(value);
  const text = short(v.text);
  switch (v.type) {
    case 'true':
    case 'false':
      return { kind: 'bool', text, bool: v.type === 'true' };
    case 'none':
      return { kind: 'none', text };
    case 'integer':
    case 'float':
      return { kind: 'number', text, number: Number(v.text.replace(/_/g, '')) };
    case 'string':
    case 'concatenated_string': {
      const s = stringValue(v);
      return s === null ? { kind: 'other', text } : { kind: 'string', text, items: [s] };
    }
    case 'list':
    case 'tuple':
    case 'set': {
      const items: string[] = [];
      for (const c of v.namedChildren) {
        const s = c ? stringValue(c) : null;
        if (s !== null) items.push(s);
        else if (c && c.type !== 'comment') items.push(`<${short(c.text)}>`);
      }
      return { kind: 'list', text, items };
    }
    case 'dictionary': {
      const items: string[] = [];
      for (const p of v.namedChildren) {
        if (p?.type !== 'pair') continue;
        const k = stringValue(p.childForFieldName('key'));
        if (k !== null) items.push(k);
      }
      return { kind: 'dict', text, items };
    }
  }
  const n = product(v.text);
  if (n !== undefined) return { kind: 'number', text, number: n };
  if (ENV_READ.test(v.text)) return { kind: 'env', text };
  return { kind: 'other', text };
}

export function dictEntries(value: Node): Record<string, SettingValue> | undefined {
  const v = unparen(value);
  if (v.type !== 'dictionary') return undefined;
  const out: Record<string, SettingValue> = {};
  for (const p of v.namedChildren) {
    if (p?.type !== 'pair') continue;
    const k = stringValue(p.childForFieldName('key'));
    const val = p.childForFieldName('value');
    if (k !== null && val && UPPER.test(k)) out[k] = summarise(val);
  }
  return out;
}
