import { defineRule } from '../../engine/rule';
import { argument, callArgs, isNone, unparen } from '../../engine/syntax';

export default defineRule({
  id: 'SEC612',
  name: 'logging-config-insecure-listen',
  local: true,
  summary: '`logging.config.listen()` without `verify=`: anyone who can reach the port can run code in the process',
  owasp: { '2025': 'A08', '2021': 'A08' },
  cwe: [94],
  severity: 'error',
  confidence: 'high',
  aliases: ['B612', 'S612'],
  tags: ['injection', 'logging'],
  nodeTypes: ['call'],
  appliesTo: (_file, facts) => facts.importedModules.has('logging'),
  check(call, ctx) {
    if (ctx.callName(call) !== 'logging.config.listen') return;
    const args = callArgs(call);
    // `**options` may carry `verify`.
    if (args.hasStarKwargs || args.hasStarArgs) return;
    const verify = argument(args, 1, 'verify');
    if (verify && !isNone(unparen(verify))) return;
    const fn = call.childForFieldName('function') ?? call;
    ctx.report(verify ? args.keywordNodes.get('verify') ?? verify : fn, {
      message: '`logging.config.listen()` accepts logging configurations from the network without `verify=`: a configuration can make the process import and call arbitrary code',
    });
  },
  docs: {
    what: 'Finds `logging.config.listen()` called without a `verify` function (no second argument, no `verify=` keyword, or `verify=None`), whatever the port. Calls with `**options` are not reported.',
    why: `\`listen()\` starts a socket server, bound to every interface (\`0.0.0.0\`), that applies each configuration it receives with \`fileConfig\` or \`dictConfig\`. Both import and call whatever the configuration names (handler classes, \`()\` factories, \`ext://\` references; \`fileConfig\` even evaluates \`args\` with \`eval\`), so anyone who can connect to the port (another user on the machine, any host on the network when the port is not firewalled) runs code in the process with its privileges.`,
    example: `import logging.config

listener = logging.config.listen(9030)
listener.start()`,
    useInstead: `import hmac
import logging.config
import os

KEY = os.environ["LOGGING_CONFIG_KEY"].encode()

def verify(data: bytes) -> bytes | None:
    # The sender prefixes the configuration with its HMAC-SHA256.
    signature, body = data[:32], data[32:]
    expected = hmac.digest(KEY, body, "sha256")
    return body if hmac.compare_digest(signature, expected) else None

listener = logging.config.listen(9030, verify=verify)
listener.start()`,
    fixSafety: 'No automatic fix is offered: the fix needs a `verify` function that checks a signature or decrypts the payload with a key the sender shares, and no such function can be written without knowing how configurations are sent. Removing the listener, or reloading configuration from a local file on a signal, is often simpler.',
    references: [
      { title: 'Python docs: logging.config.listen (security considerations)', url: 'https://docs.python.org/3/library/logging.config.html#logging.config.listen' },
      { title: 'Bandit B612: logging_config_insecure_listen', url: 'https://bandit.readthedocs.io/en/latest/plugins/b612_logging_config_insecure_listen.html' },
    ],
  },
});
