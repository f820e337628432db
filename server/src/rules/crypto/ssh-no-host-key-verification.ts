import type { Node } from '../../engine/parser';
import { defineRule, fix, replace, type RuleContext } from '../../engine/rule';
import { canUseImport, valuesBefore } from '../../engine/scope';
import { argument, callArgs, unparen } from '../../engine/syntax';
import type { Fix } from '../../engine/types';

const INSECURE = /^paramiko\.(?:client\.)?(AutoAddPolicy|WarningPolicy)$/;

interface Policy {
  name: 'AutoAddPolicy' | 'WarningPolicy';
  /** The policy expression as written at the call (fixable), or null when reached through a variable. */
  direct: Node | null;
}

/** `paramiko.AutoAddPolicy()`, `AutoAddPolicy` (the class), or a variable holding one. */
function insecurePolicy(arg: Node, ctx: RuleContext, depth = 0): Policy | null {
  const a = unparen(arg);
  const target = a.type === 'call' ? a.childForFieldName('function') : a;
  const m = INSECURE.exec(ctx.resolve(target) ?? '');
  if (m) return { name: m[1] as Policy['name'], direct: a };
  if (a.type === 'identifier' && depth < 3) {
    const values = valuesBefore(a, ctx);
    const last = values[values.length - 1];
    const p = last ? insecurePolicy(last, ctx, depth + 1) : null;
    return p ? { name: p.name, direct: null } : null;
  }
  return null;
}

export default defineRule({
  id: 'SEC507',
  name: 'ssh-no-host-key-verification',
  local: true,
  summary: 'Paramiko SSH client accepts unknown host keys (`AutoAddPolicy` / `WarningPolicy`)',
  owasp: { '2025': 'A04', '2021': 'A02' },
  cwe: [295],
  severity: 'error',
  confidence: 'high',
  fix: 'sometimes',
  aliases: ['B507', 'S507'],
  tags: ['ssh', 'paramiko'],
  nodeTypes: ['call'],
  appliesTo: (file, facts) => !file.isTest && facts.importedModules.has('paramiko'),
  check(call, ctx) {
    const fn = call.childForFieldName('function');
    if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'set_missing_host_key_policy') return;
    const arg = argument(callArgs(call), 0, 'policy');
    if (!arg) return;
    const policy = insecurePolicy(arg, ctx);
    if (!policy) return;
    const fixes: Fix[] = [];
    if (policy.direct) {
      const imp = ctx.requireImport('paramiko', 'RejectPolicy');
      if (canUseImport(imp, call, ctx)) {
        const text = policy.direct.type === 'call' ? `${imp.ref}()` : imp.ref;
        fixes.push(fix('Reject unknown host keys (`RejectPolicy`)', 'unsafe', replace(policy.direct, text), imp.edits));
      }
    }
    const effect = policy.name === 'AutoAddPolicy' ? 'trusts and saves the key of any host it has not seen before' : 'only logs a warning and connects to hosts whose key it does not know';
    ctx.report(call, {
      message: `\`${policy.name}\` ${effect}, so a man-in-the-middle can impersonate the server; use \`RejectPolicy\` with known host keys`,
      fixes,
    });
  },
  docs: {
    what: 'Finds `client.set_missing_host_key_policy(...)` calls given Paramiko\'s `AutoAddPolicy` or `WarningPolicy` (called or the class itself, through any import form, or a variable assigned one earlier in the same scope). Files that do not import `paramiko` and test files are skipped.',
    why: 'The host key is the only thing that proves an SSH client is talking to the real server. With `AutoAddPolicy` (or `WarningPolicy`, which merely logs) an attacker on the network path, via ARP or DNS spoofing or a rogue access point, presents their own key, the client accepts it, and the attacker receives the password or agent-forwarded credentials and sees and alters every command and file transfer.',
    example: `import paramiko

client = paramiko.SSHClient()
client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
client.connect("deploy.example.com", username="deploy", key_filename=KEY)`,
    useInstead: `import paramiko

client = paramiko.SSHClient()
client.load_system_host_keys()          # ~/.ssh/known_hosts
client.load_host_keys("deploy/known_hosts")  # keys shipped with the deployment
client.set_missing_host_key_policy(paramiko.RejectPolicy())
client.connect("deploy.example.com", username="deploy", key_filename=KEY)`,
    fixSafety: 'The fix replaces the policy with `paramiko.RejectPolicy` (the default), adding `from paramiko import RejectPolicy` only when `paramiko` is not imported as a module. It is unsafe: connections to hosts whose keys are not yet in a loaded known_hosts file fail with `SSHException` until you add them (`ssh-keyscan host >> known_hosts`, verified out of band) and load them with `client.load_system_host_keys()` or `client.load_host_keys(path)`. No fix is offered when the policy comes from a variable.',
    references: [
      { title: 'Paramiko: SSHClient.set_missing_host_key_policy', url: 'https://docs.paramiko.org/en/stable/api/client.html' },
      { title: 'CWE-295: Improper Certificate Validation', url: 'https://cwe.mitre.org/data/definitions/295.html' },
    ],
  },
});
