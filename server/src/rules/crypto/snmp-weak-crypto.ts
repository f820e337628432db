import { defineRule } from '../../engine/rule';
import { argument, callArgs, isNone } from '../../engine/syntax';
import { isPysnmpCall, pysnmpConstant } from '../util/snmp';

export default defineRule({
  id: 'SEC509',
  name: 'snmp-weak-crypto',
  local: true,
  summary: 'SNMPv3 user without authentication or privacy (noAuthNoPriv / authNoPriv) or with DES',
  owasp: { '2025': 'A04', '2021': 'A02' },
  cwe: [319, 327],
  severity: 'warning',
  confidence: 'high',
  aliases: ['B509', 'S509'],
  tags: ['snmp', 'pysnmp'],
  nodeTypes: ['call'],
  appliesTo: (file, facts) => !file.isTest && facts.importedModules.has('pysnmp'),
  check(call, ctx) {
    if (!isPysnmpCall(call, 'UsmUserData', ctx)) return;
    const args = callArgs(call);
    if (args.hasStarArgs || args.hasStarKwargs) return;
    const authKey = argument(args, 1, 'authKey');
    const privKey = argument(args, 2, 'privKey');
    const authProtocol = pysnmpConstant(argument(args, 3, 'authProtocol'), ctx);
    const privProtocol = pysnmpConstant(argument(args, 4, 'privProtocol'), ctx);
    const noAuth = !authKey || isNone(authKey) || authProtocol === 'usmNoAuthProtocol';
    const noPriv = !privKey || isNone(privKey) || privProtocol === 'usmNoPrivProtocol';
    if (noAuth) {
      ctx.report(call, { message: '`UsmUserData` without `authKey` is noAuthNoPriv: requests are neither authenticated nor encrypted; set `authKey` and `privKey`' });
      return;
    }
    if (noPriv) {
      ctx.report(call, { message: '`UsmUserData` without `privKey` is authNoPriv: requests are authenticated but sent unencrypted; set `privKey` with an AES privacy protocol' });
      return;
    }
    if (privProtocol === 'usmDESPrivProtocol' || privProtocol === 'usm3DESEDEPrivProtocol') {
      const p = argument(args, 4, 'privProtocol')!;
      ctx.report(p.parent?.type === 'keyword_argument' ? p.parent : p, {
        message: `\`${privProtocol}\` encrypts with ${privProtocol === 'usmDESPrivProtocol' ? 'DES (56-bit keys)' : '3DES (64-bit blocks)'}; use \`usmAesCfb128Protocol\` or stronger`,
        confidence: privProtocol === 'usmDESPrivProtocol' ? 'high' : 'medium',
      });
    }
  },
  docs: {
    what: 'Finds pysnmp `UsmUserData(...)` (SNMPv3 users) with no `authKey` (noAuthNoPriv), with an `authKey` but no `privKey` (authNoPriv), with `usmNoAuthProtocol` / `usmNoPrivProtocol`, or with the DES / 3DES privacy protocols.',
    why: 'SNMPv3 is only safer than v1/v2c when it is configured to be: without an authentication key anyone can send requests as the user, and without a privacy key every value (including configuration read from or written to the device) crosses the network in clear text. DES keys can be brute-forced.',
    example: `from pysnmp.hlapi import UsmUserData

user = UsmUserData("monitor", authKey=AUTH_KEY)`,
    useInstead: `from pysnmp.hlapi import UsmUserData, usmHMACSHAAuthProtocol, usmAesCfb128Protocol

user = UsmUserData(
    "monitor",
    authKey=AUTH_KEY,
    privKey=PRIV_KEY,
    authProtocol=usmHMACSHAAuthProtocol,
    privProtocol=usmAesCfb128Protocol,
)`,
    references: [{ title: 'RFC 3414: User-based Security Model for SNMPv3', url: 'https://www.rfc-editor.org/rfc/rfc3414' }],
  },
});
