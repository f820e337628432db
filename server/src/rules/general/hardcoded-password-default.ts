import { defineRule } from '../../engine/rule';
import { isSecretNameIn, looksLikeSecret, stringLiteral, tokenMeansTextKey } from '../util/secrets';

export default defineRule({
  id: 'SEC107',
  name: 'hardcoded-password-default',
  summary: 'Function parameter with a hardcoded password or token as its default',
  owasp: { '2025': 'A04', '2021': 'A07' },
  cwe: [798, 259, 1392],
  severity: 'warning',
  confidence: 'medium',
  aliases: ['B107', 'S107'],
  tags: ['secrets'],
  nodeTypes: ['default_parameter', 'typed_default_parameter'],
  // Whether "token" means text in this file (`tokenMeansText`) is its only whole-file input.
  local: true,
  fileKey: tokenMeansTextKey,
  appliesTo: (file) => !file.isTest,
  check(param, ctx) {
    const name = param.childForFieldName('name');
    const literal = stringLiteral(param.childForFieldName('value'));
    if (!name || name.type !== 'identifier' || !literal) return;
    if (!isSecretNameIn(ctx, name.text) || !looksLikeSecret(literal.value, name.text)) return;
    ctx.report(literal.node, { message: `Parameter \`${name.text}\` defaults to a hardcoded secret` });
  },
  docs: {
    what: 'Finds function and lambda parameters whose name says password, secret, token, API key or credentials and whose default value is a string literal: `def login(user, password="admin123")`. Placeholders, environment variable names, key names, paths and templates are not reported (see SEC105), nor is test code.',
    why: 'Every caller that omits the argument silently uses the built-in secret, so the default becomes a shared credential that ships with the code and is the same on every installation (CWE-1392, default credentials). It also leaks through the source and through `help()` and generated API docs, which print parameter defaults.',
    example: `def connect(host, user="admin", password="admin123"):
    return Database(host, user, password)`,
    useInstead: `import os

def connect(host, user="admin", password=None):
    if password is None:
        password = os.environ["DB_PASSWORD"]
    return Database(host, user, password)`,
    fixSafety: 'There is no automatic fix. Replacing the default by `os.environ.get("PASSWORD")` would read the environment once, when the `def` runs at import time, and silently turn the default into `None` where the variable is unset; the right change is usually the one shown above (default to `None` and look the secret up at call time, or make the parameter required), which needs a decision about the function\'s API.',
    references: [
      { title: 'CWE-1392: Use of Default Credentials', url: 'https://cwe.mitre.org/data/definitions/1392.html' },
      { title: 'OWASP Secrets Management Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html' },
    ],
  },
});
