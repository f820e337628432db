// Which calls write to a log: `logging.info(...)`, `logger.warning(...)`, `self.log.error(...)`,
// `app.logger.debug(...)`, `logging.getLogger(__name__).info(...)`. Shared by SEC801
// (secrets in logs) and SEC914 (request data in log messages).

import type { Node } from '../../engine/parser';
import type { RuleContext } from '../../engine/rule';
import { calleeTail, dottedName, unparen } from '../../engine/syntax';
import { words } from './names';

/** Logging methods of `logging`, its loggers, structlog, loguru and Twisted (`msg`). */
export const LOG_METHODS = new Set(['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'fatal', 'log', 'msg']);

/**
 * The label of a logging call (`logging.info()`, `self.logger.error()`), or null when `call`
 * is not one: a `logging.*` function, or a log method on a receiver named like a logger
 * (`log`, `logger`, `LOGGER`, `audit_log`, `_logger`; not `catalog` or `dialog`) or made by
 * `getLogger(...)`, `getChild(...)` or structlog/loguru `bind()`/`new()`/`opt()`.
 */
export function logCall(call: Node, ctx: RuleContext): string | null {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute') return null;
  const method = fn.childForFieldName('attribute')?.text ?? '';
  if (!LOG_METHODS.has(method)) return null;
  const receiver = unparen(fn.childForFieldName('object')!);
  const name = ctx.callName(call);
  if (name?.startsWith('logging.')) return `${name}()`;
  let loggerLike = false;
  if (receiver.type === 'call') {
    loggerLike = /^(get_?logger|getLogger|getChild|bind|new|opt)$/i.test(calleeTail(receiver) ?? '');
  } else {
    const dotted = dottedName(receiver);
    const last = dotted?.slice(dotted.lastIndexOf('.') + 1) ?? '';
    loggerLike = words(last).some((w) => /^log(s|ger|gers|ging)?$/.test(w));
  }
  return loggerLike ? `${ctx.textOf(fn).replace(/\s+/g, '')}()` : null;
}
