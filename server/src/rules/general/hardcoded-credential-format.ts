import type { Node } from '../../engine/parser';
import { defineRule } from '../../engine/rule';
import { enclosingStatement } from '../../engine/syntax';
import { awsSecretName, awsSecretShape, credentialIn, type Credential } from '../util/credentials';
import { bindingName, environFix, stringLiteral } from '../util/secrets';

/**
 * The text of one string node as the regular expressions should see it: escapes for line
 * breaks become real ones (PEM blocks are often written with `\n`), and each f-string
 * interpolation becomes a NUL so no credential is matched across it.
 */
function scanText(str: Node): string {
  let out = '';
  for (const child of str.namedChildren) {
    if (!child) continue;
    if (child.type === 'string_content') out += child.text.replace(/\\[nr]/g, '\n').replace(/\\t/g, '\t');
    else if (child.type === 'interpolation') out += '\0';
  }
  return out;
}

/**
 * A 40-character AWS secret access key has no prefix, so it is reported only next to AWS
 * context: its own name, or an AWS key id or `aws_*` keyword in the same statement.
 */
function awsSecret(str: Node, text: string, name: string): Credential | null {
  if (!awsSecretShape(text)) return null;
  if (!awsSecretName(name)) {
    const stmt = enclosingStatement(str);
    const around = stmt ? stmt.text : '';
    if (!/(?<![A-Za-z0-9])(AKIA|ASIA)[A-Z0-9]{16}|aws_access_key_id|aws_secret|AWS_SECRET|SecretAccessKey/.test(around)) return null;
  }
  return { kind: 'aws-secret-access-key', label: 'an AWS secret access key', start: 0, end: text.length, confidence: 'high' };
}

export default defineRule({
  id: 'SEC120',
  name: 'hardcoded-credential-format',
  local: true,
  summary: 'String literal contains a credential in a well-known format (cloud, VCS, SaaS API keys, private keys)',
  owasp: { '2025': 'A04', '2021': 'A07' },
  cwe: [798],
  severity: 'error',
  confidence: 'high',
  fix: 'sometimes',
  tags: ['secrets'],
  nodeTypes: ['string'],
  check(str, ctx) {
    // Strings nested in an f-string's replacement field are scanned on their own.
    const text = scanText(str);
    if (text.length < 16) return;
    const binding = bindingName(str);
    const found = credentialIn(text, binding?.name ?? '') ?? awsSecret(str, text, binding?.name ?? '');
    if (!found) return;
    // Fake keys in tests are common; a real one there is still worth a warning.
    const severity = ctx.file.isTest || found.localOnly ? 'warning' : 'error';
    const confidence = found.localOnly ? 'low' : ctx.file.isTest && found.confidence === 'high' ? 'medium' : found.confidence;
    const literal = stringLiteral(str);
    // The fix replaces the whole right-hand side, so not a piece of an implicit concatenation.
    const whole = binding?.kind === 'assignment' && (binding.target.type === 'identifier' || binding.target.type === 'attribute') && str.parent?.type !== 'concatenated_string';
    ctx.report(str, {
      message: `String literal contains ${found.label}${found.localOnly ? ' (local database)' : ''}`,
      severity,
      confidence,
      fixes: whole && literal && binding ? [environFix(ctx, literal, binding.name)] : [],
    });
  },
  docs: {
    what: 'Finds string literals that contain a credential in a format that identifies it regardless of the variable name: AWS access key ids (`AKIA...`, `ASIA...`) and, next to AWS context, AWS secret access keys; PEM private keys with key material; GitHub (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`) and GitLab (`glpat-`) tokens; Slack tokens (`xoxb-`...) and webhook URLs; Stripe live keys (`sk_live_`, `rk_live_`); Google API keys (`AIza...`); Twilio API keys; SendGrid keys (`SG.`); npm tokens; OpenAI, Anthropic and Hugging Face keys; signed JSON Web Tokens; and database or broker URLs with an inline password (`postgres://user:pass@host/db`).\n\nDocumentation and test values are skipped: AWS\'s `AKIAIOSFODNN7EXAMPLE`, values containing `EXAMPLE`, `xxxx` or long ascending runs like `123456`, jwt.io\'s sample token, Supabase `anon` keys (public by design), and URLs whose password is a placeholder or equals the user name. In test files findings are warnings; URLs to localhost are warnings with low confidence.',
    why: 'These formats exist precisely so that leaked keys can be recognised, and attackers scan public repositories, packages and container images for them within minutes of a push. A key in source code is in every clone and in the history forever; the only remedy once it is committed is to revoke and rotate it.',
    example: `AWS_ACCESS_KEY_ID = "AKIA2OGYBAH6TOVTXR4P"
DATABASE_URL = "postgresql://app:Zq8vL2mWx9@db.prod.internal:5432/shop"`,
    useInstead: `import os

AWS_ACCESS_KEY_ID = os.environ["AWS_ACCESS_KEY_ID"]
DATABASE_URL = os.environ["DATABASE_URL"]`,
    fixSafety: 'When the string is the whole right-hand side of an assignment to a name or attribute, the fix replaces it by `os.environ["NAME"]` (the target name in upper snake case) and adds `import os` when missing. It is unsafe: the program fails with `KeyError` until the variable is set wherever it runs. The fix does not revoke anything: the credential is in the repository history and must be rotated at its provider.',
    references: [
      { title: 'OWASP Secrets Management Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html' },
      { title: 'CWE-798: Use of Hard-coded Credentials', url: 'https://cwe.mitre.org/data/definitions/798.html' },
      { title: 'AWS: Managing access keys for IAM users', url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html' },
    ],
  },
});
