// Constant numbers and durations: `3600 * 24`, `timedelta(days=365)`, `relativedelta(months=6)`,
// and names bound once to them. For rules that judge how long something lasts.

import type { Node } from '../../engine/parser';
import type { RuleContext } from '../../engine/rule';
import { bindingValues } from '../../engine/scope';
import { callArgs, calleeTail, unparen } from '../../engine/syntax';

const MAX_DEPTH = 6;

/** The value of a constant numeric expression (literals, + - * / // ** %, constant names), or null. */
export function numberValue(node: Node | null | undefined, ctx: RuleContext, depth = 0): number | null {
  if (!node || depth > MAX_DEPTH) return null;
  const n = unparen(node);
  switch (n.type) {
    case 'integer': {
      const t = n.text.replace(/_/g, '').toLowerCase().replace(/l$/, '');
      const v = /^0[xob]/.test(t) ? Number(t) : /^0\d/.test(t) ? NaN : Number(t);
      return Number.isFinite(v) ? v : null;
    }
    case 'float': {
      const v = Number(n.text.replace(/_/g, ''));
      return Number.isFinite(v) ? v : null;
    }
    case 'unary_operator': {
      const v = numberValue(n.childForFieldName('argument'), ctx, depth + 1);
      if (v === null) return null;
      const op = n.childForFieldName('operator')?.type ?? n.firstChild?.type;
      return op === '-' ? -v : op === '+' ? v : null;
    }
    case 'binary_operator': {
      const a = numberValue(n.childForFieldName('left'), ctx, depth + 1);
      const b = numberValue(n.childForFieldName('right'), ctx, depth + 1);
      if (a === null || b === null) return null;
      switch (n.childForFieldName('operator')?.type) {
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/': return b === 0 ? null : a / b;
        case '//': return b === 0 ? null : Math.floor(a / b);
        case '%': return b === 0 ? null : a % b;
        case '**': return a ** b;
        default: return null;
      }
    }
    case 'identifier':
      return single(n, ctx, (v) => numberValue(v, ctx, depth + 1));
    case 'call': {
      // `int(...)`, `float(...)` of a constant.
      const tail = calleeTail(n);
      const args = callArgs(n);
      if ((tail === 'int' || tail === 'float') && n.childForFieldName('function')?.type === 'identifier' && args.positional.length === 1) {
        return numberValue(args.positional[0], ctx, depth + 1);
      }
      return null;
    }
    default:
      return null;
  }
}

/** The value of a name every binding of which gives the same answer. */
function single<T>(id: Node, ctx: RuleContext, of: (v: Node) => T | null): T | null {
  const values = bindingValues(id, ctx);
  if (!values || values.length === 0) return null;
  const results = values.map(of);
  const first = results[0];
  return first !== null && first !== undefined && results.every((r) => r === first) ? first : null;
}

const TIMEDELTA_POSITIONAL = ['days', 'seconds', 'microseconds', 'milliseconds', 'minutes', 'hours', 'weeks'];
const SECONDS: Record<string, number> = {
  days: 86400,
  seconds: 1,
  microseconds: 1e-6,
  milliseconds: 1e-3,
  minutes: 60,
  hours: 3600,
  weeks: 7 * 86400,
  months: 30 * 86400,
  years: 365 * 86400,
};

/**
 * Seconds in a constant duration: `timedelta(...)` (datetime), `relativedelta(...)` (dateutil,
 * relative fields only), `timedelta(days=1) * 30`, a name bound to one; with `plainSeconds`, a
 * plain number also counts as seconds.
 */
export function durationSeconds(node: Node | null | undefined, ctx: RuleContext, plainSeconds = false, depth = 0): number | null {
  if (!node || depth > MAX_DEPTH) return null;
  const n = unparen(node);
  if (n.type === 'call') {
    const name = ctx.callName(n) ?? '';
    const isTimedelta = /^datetime\.timedelta$|^pendulum\.duration$/.test(name);
    const isRelative = /^dateutil\.relativedelta\.relativedelta$/.test(name);
    if (!isTimedelta && !isRelative) return null;
    const args = callArgs(n);
    if (args.hasStarArgs || args.hasStarKwargs) return null;
    let total = 0;
    for (let i = 0; i < args.positional.length; i++) {
      if (!isTimedelta) return null;
      const v = numberValue(args.positional[i], ctx);
      const unit = TIMEDELTA_POSITIONAL[i];
      if (v === null || !unit) return null;
      total += v * SECONDS[unit]!;
    }
    for (const [k, valueNode] of args.keywords) {
      const unit = SECONDS[k];
      if (unit === undefined || (isTimedelta && (k === 'months' || k === 'years'))) return null;
      const v = numberValue(valueNode, ctx);
      if (v === null) return null;
      total += v * unit;
    }
    return total;
  }
  if (n.type === 'binary_operator') {
    const op = n.childForFieldName('operator')?.type;
    const left = n.childForFieldName('left');
    const right = n.childForFieldName('right');
    if (op === '*') {
      const dl = durationSeconds(left, ctx, false, depth + 1);
      const dr = durationSeconds(right, ctx, false, depth + 1);
      if (dl !== null) {
        const k = numberValue(right, ctx);
        return k === null ? null : dl * k;
      }
      if (dr !== null) {
        const k = numberValue(left, ctx);
        return k === null ? null : dr * k;
      }
    }
    if (op === '+' || op === '-') {
      const a = durationSeconds(left, ctx, plainSeconds, depth + 1);
      const b = durationSeconds(right, ctx, plainSeconds, depth + 1);
      if (a !== null && b !== null) return op === '+' ? a + b : a - b;
    }
  }
  if (n.type === 'identifier') {
    const v = single(n, ctx, (value) => durationSeconds(value, ctx, plainSeconds, depth + 1));
    if (v !== null) return v;
  }
  return plainSeconds ? numberValue(n, ctx) : null;
}

/** "365 days", "12 hours", "90 minutes". */
export function describeDuration(seconds: number): string {
  const plural = (v: number, unit: string) => `${Number.isInteger(v) ? v : v.toFixed(1)} ${unit}${v === 1 ? '' : 's'}`;
  if (seconds >= 2 * 86400) return plural(Math.round((seconds / 86400) * 10) / 10, 'day');
  if (seconds >= 2 * 3600) return plural(Math.round((seconds / 3600) * 10) / 10, 'hour');
  return plural(Math.round(seconds / 60), 'minute');
}
