// OWASP Top 10 categories for the current edition (2025) and the one most checklists still
// cite (2021). Rules name a category by its code; names and links come from here only.

export type OwaspCode = 'A01' | 'A02' | 'A03' | 'A04' | 'A05' | 'A06' | 'A07' | 'A08' | 'A09' | 'A10';
export type OwaspEdition = '2025' | '2021';

export interface OwaspMapping {
  '2025': OwaspCode;
  '2021': OwaspCode;
}

const NAMES: Record<OwaspEdition, Record<OwaspCode, string>> = {
  '2025': {
    A01: 'Broken Access Control',
    A02: 'Security Misconfiguration',
    A03: 'Software Supply Chain Failures',
    A04: 'Cryptographic Failures',
    A05: 'Injection',
    A06: 'Insecure Design',
    A07: 'Authentication Failures',
    A08: 'Software or Data Integrity Failures',
    A09: 'Security Logging and Alerting Failures',
    A10: 'Mishandling of Exceptional Conditions',
  },
  '2021': {
    A01: 'Broken Access Control',
    A02: 'Cryptographic Failures',
    A03: 'Injection',
    A04: 'Insecure Design',
    A05: 'Security Misconfiguration',
    A06: 'Vulnerable and Outdated Components',
    A07: 'Identification and Authentication Failures',
    A08: 'Software and Data Integrity Failures',
    A09: 'Security Logging and Monitoring Failures',
    A10: 'Server-Side Request Forgery',
  },
};

export const OWASP_CODES: readonly OwaspCode[] = ['A01', 'A02', 'A03', 'A04', 'A05', 'A06', 'A07', 'A08', 'A09', 'A10'];

export function owaspName(edition: OwaspEdition, code: OwaspCode): string {
  return NAMES[edition][code];
}

/** "A05:2025 Injection" */
export function owaspLabel(edition: OwaspEdition, code: OwaspCode): string {
  return `${code}:${edition} ${owaspName(edition, code)}`;
}

export function owaspUrl(edition: OwaspEdition, code: OwaspCode): string {
  const slug = owaspName(edition, code).replace(/ /g, '_').replace(/-/g, '_');
  return edition === '2025'
    ? `https://owasp.org/Top10/2025/${code}_2025-${slug}/`
    : `https://owasp.org/Top10/${code}_2021-${slug}/`;
}

export function cweUrl(cwe: number): string {
  return `https://cwe.mitre.org/data/definitions/${cwe}.html`;
}

/** Short names for the CWEs Parapet's rules cite, shown in hovers and reports. */
const CWE_NAMES: Record<number, string> = {
  20: 'Improper Input Validation',
  22: 'Path Traversal',
  73: 'External Control of File Name or Path',
  78: 'OS Command Injection',
  79: 'Cross-site Scripting',
  89: 'SQL Injection',
  90: 'LDAP Injection',
  94: 'Code Injection',
  95: 'Eval Injection',
  113: 'HTTP Response Splitting',
  117: 'Improper Output Neutralization for Logs',
  200: 'Exposure of Sensitive Information',
  209: 'Information Exposure Through an Error Message',
  215: 'Insertion of Sensitive Information Into Debugging Code',
  250: 'Execution with Unnecessary Privileges',
  259: 'Use of Hard-coded Password',
  284: 'Improper Access Control',
  295: 'Improper Certificate Validation',
  311: 'Missing Encryption of Sensitive Data',
  319: 'Cleartext Transmission of Sensitive Information',
  321: 'Use of Hard-coded Cryptographic Key',
  326: 'Inadequate Encryption Strength',
  327: 'Use of a Broken or Risky Cryptographic Algorithm',
  328: 'Use of Weak Hash',
  330: 'Use of Insufficiently Random Values',
  331: 'Insufficient Entropy',
  338: 'Use of Cryptographically Weak PRNG',
  345: 'Insufficient Verification of Data Authenticity',
  347: 'Improper Verification of Cryptographic Signature',
  352: 'Cross-Site Request Forgery',
  377: 'Insecure Temporary File',
  384: 'Session Fixation',
  390: 'Detection of Error Condition Without Action',
  400: 'Uncontrolled Resource Consumption',
  489: 'Active Debug Code',
  494: 'Download of Code Without Integrity Check',
  501: 'Trust Boundary Violation',
  454: 'External Initialization of Trusted Variables or Data Stores',
  502: 'Deserialization of Untrusted Data',
  522: 'Insufficiently Protected Credentials',
  532: 'Insertion of Sensitive Information into Log File',
  563: 'Assignment to Variable without Use',
  601: 'Open Redirect',
  605: 'Multiple Binds to the Same Port',
  611: 'XML External Entity Reference',
  613: 'Insufficient Session Expiration',
  614: 'Sensitive Cookie Without Secure Attribute',
  617: 'Reachable Assertion',
  643: 'XPath Injection',
  703: 'Improper Check or Handling of Exceptional Conditions',
  732: 'Incorrect Permission Assignment for Critical Resource',
  759: 'Use of a One-Way Hash without a Salt',
  770: 'Allocation of Resources Without Limits',
  776: 'XML Entity Expansion',
  798: 'Use of Hard-coded Credentials',
  829: 'Inclusion of Functionality from Untrusted Control Sphere',
  862: 'Missing Authorization',
  916: 'Use of Password Hash With Insufficient Computational Effort',
  918: 'Server-Side Request Forgery',
  942: 'Permissive Cross-domain Policy with Untrusted Domains',
  1004: 'Sensitive Cookie Without HttpOnly Flag',
  1021: 'Improper Restriction of Rendered UI Layers (Clickjacking)',
  1104: 'Use of Unmaintained Third Party Components',
  1275: 'Sensitive Cookie with Improper SameSite Attribute',
  1327: 'Binding to an Unrestricted IP Address',
  1333: 'Inefficient Regular Expression Complexity',
  1336: 'Server-Side Template Injection',
};

export function cweName(cwe: number): string | undefined {
  return CWE_NAMES[cwe];
}
