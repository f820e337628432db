import { defineRule } from '../../engine/rule';
import { argument, callArgs, unparen } from '../../engine/syntax';
import { isPysnmpCall } from '../util/snmp';

export default defineRule({
  id: 'SEC508',
  name: 'snmp-insecure-version',
  local: true,
  summary: 'SNMPv1/v2c (`CommunityData`): community string and data sent in clear text',
  owasp: { '2025': 'A04', '2021': 'A02' },
  cwe: [319],
  severity: 'warning',
  confidence: 'high',
  aliases: ['B508', 'S508'],
  tags: ['snmp', 'pysnmp'],
  nodeTypes: ['call'],
  appliesTo: (file, facts) => !file.isTest && facts.importedModules.has('pysnmp'),
  check(call, ctx) {
    if (!isPysnmpCall(call, 'CommunityData', ctx)) return;
    const args = callArgs(call);
    const mp = argument(args, 2, 'mpModel');
    let version: string;
    if (!mp) {
      if (args.hasStarKwargs || args.hasStarArgs) return;
      version = 'SNMPv2c (the default `mpModel=1`)';
    } else {
      const v = unparen(mp).text;
      if (v !== '0' && v !== '1') return;
      version = v === '0' ? 'SNMPv1 (`mpModel=0`)' : 'SNMPv2c (`mpModel=1`)';
    }
    ctx.report(mp?.parent?.type === 'keyword_argument' ? mp.parent : call, {
      message: `\`CommunityData\` uses ${version}: the community string, which is the only credential, and all data travel unencrypted; use SNMPv3 with \`UsmUserData\` and authentication and privacy keys`,
    });
  },
  docs: {
    what: 'Finds pysnmp `CommunityData(...)` security parameters, which select SNMPv1 (`mpModel=0`) or SNMPv2c (`mpModel=1`, the default). Also found through `from pysnmp.hlapi import *`.',
    why: 'SNMPv1 and v2c authenticate with a community string sent in clear text with every request. Anyone who can see the traffic learns it and can then read the device\'s configuration and, with a write community, change it (routes, interfaces, ACLs). Defaults such as "public" / "private" are routinely tried by scanners.',
    example: `from pysnmp.hlapi import CommunityData, SnmpEngine, getCmd

auth = CommunityData("public", mpModel=0)`,
    useInstead: `from pysnmp.hlapi import UsmUserData, usmHMACSHAAuthProtocol, usmAesCfb128Protocol

auth = UsmUserData(
    "monitor",
    authKey=AUTH_KEY,
    privKey=PRIV_KEY,
    authProtocol=usmHMACSHAAuthProtocol,
    privProtocol=usmAesCfb128Protocol,
)`,
    references: [{ title: 'PySNMP: security parameters', url: 'https://docs.lextudio.com/pysnmp/v7.1/docs/api-reference#security-parameters' }],
  },
});
