import { defineRule } from '../../engine/rule';
import { environFix, isSecretNameIn, looksLikeSecret, stringLiteral, tokenMeansTextKey } from '../util/secrets';

export default defineRule({
  id: 'SEC106',
  name: 'hardcoded-password-func-arg',
  summary: 'Password, API key or token passed to a call as a string literal',
  owasp: { '2025': 'A04', '2021': 'A07' },
  cwe: [798, 259],
  severity: 'warning',
  confidence: 'medium',
  fix: 'always',
  aliases: ['B106', 'S106'],
  tags: ['secrets'],
  nodeTypes: ['keyword_argument'],
  // Whether "token" means text in this file (`tokenMeansText`) is its only whole-file input.
  local: true,
  fileKey: tokenMeansTextKey,
  // Test code logs in with fixture passwords all the time; SEC120 still catches real key formats there.
  appliesTo: (file) => !file.isTest,
  check(kw, ctx) {
    const name = kw.childForFieldName('name');
    const literal = stringLiteral(kw.childForFieldName('value'));
    // Keywords in a class header (`class A(B, metaclass=M)`) are not calls.
    if (!name || !literal || kw.parent?.parent?.type !== 'call') return;
    if (!isSecretNameIn(ctx, name.text) || !looksLikeSecret(literal.value, name.text)) return;
    ctx.report(literal.node, {
      message: `Hardcoded secret passed as \`${name.text}=\``,
      fixes: [environFix(ctx, literal, name.text)],
    });
  },
  docs: {
    what: 'Finds calls that pass a string literal to a keyword argument whose name says password, secret, token, API key or credentials: `psycopg2.connect(password="hunter2")`, `Client(api_key="...")`, `smtp.login(user, password="...")` written with keywords. Placeholders, environment variable names, key names, paths and templates are not reported (see SEC105), nor is test code. Values in a well-known credential format are reported by SEC120 instead.',
    why: 'The secret is readable by anyone with access to the repository or its history, identical across environments, and can only be rotated by changing code. Connection passwords and API keys passed inline are a classic source of leaked credentials.',
    example: `conn = psycopg2.connect(host="db.internal", user="app", password="Tr0ub4dor&3")`,
    useInstead: `import os

conn = psycopg2.connect(host="db.internal", user="app", password=os.environ["PASSWORD"])`,
    fixSafety: 'The fix replaces the literal by `os.environ["NAME"]`, NAME being the keyword in upper snake case (`password=` reads `PASSWORD`; rename it to something specific such as `DB_PASSWORD` if you like), and adds `import os` when missing. It is unsafe: the call fails with `KeyError` until the variable is set wherever the code runs, and the old secret must still be rotated because it remains in the repository history.',
    references: [
      { title: 'OWASP Secrets Management Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html' },
      { title: 'CWE-798: Use of Hard-coded Credentials', url: 'https://cwe.mitre.org/data/definitions/798.html' },
    ],
  },
});
