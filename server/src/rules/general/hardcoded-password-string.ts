import type { Node } from '../../engine/parser';
import { defineRule, type RuleContext } from '../../engine/rule';
import { calleeTail, callArgs, stringValue, unparen } from '../../engine/syntax';
import { isPlaceholderSecret, words } from '../util/names';
import { environFix, isSecretNameIn, looksLikeSecret, stringLiteral, targetName, tokenMeansTextKey } from '../util/secrets';

/** `Authorization: Bearer <token>` / `Basic <base64>` with a literal credential. */
function literalAuthHeader(key: string, value: string): boolean {
  if (words(key).join('_') !== 'authorization' && words(key).join('_') !== 'proxy_authorization') return false;
  const m = /^(bearer|basic|token|bot|apikey|digest)\s+(\S{8,})$/i.exec(value.trim());
  return !!m && !isPlaceholderSecret(m[2]!) && looksLikeSecret(m[2]!, 'token');
}

/** The name a compared expression stands for: `password`, `user.password`, `form["password"]`, `data.get("password")`. */
function comparedName(expr: Node): string | null {
  const e = unparen(expr);
  if (e.type === 'identifier' || e.type === 'attribute' || e.type === 'subscript') return targetName(e);
  if (e.type === 'call' && calleeTail(e) === 'get') return stringValue(callArgs(e).positional[0]);
  return null;
}

function checkAssignment(node: Node, ctx: RuleContext): void {
  const left = node.childForFieldName('left');
  const literal = stringLiteral(node.childForFieldName('right'));
  const name = targetName(left);
  if (!left || !literal || !name || !isSecretNameIn(ctx, name) || !looksLikeSecret(literal.value, name)) return;
  // The fix names an environment variable after the target, so only simple targets get one.
  const fixable = left.type === 'identifier' || left.type === 'attribute';
  ctx.report(literal.node, {
    message: `Hardcoded secret assigned to \`${ctx.textOf(left)}\``,
    fixes: fixable ? [environFix(ctx, literal, name)] : [],
  });
}

function checkPair(pair: Node, ctx: RuleContext): void {
  const key = stringValue(pair.childForFieldName('key'));
  const literal = stringLiteral(pair.childForFieldName('value'));
  if (key === null || !literal) return;
  if (literalAuthHeader(key, literal.value)) {
    ctx.report(literal.node, { message: `Hardcoded credential in the \`${key}\` header` });
    return;
  }
  if (!isSecretNameIn(ctx, key) || !looksLikeSecret(literal.value, key)) return;
  ctx.report(literal.node, { message: `Hardcoded secret under the \`${JSON.stringify(key).slice(1, -1)}\` key` });
}

function checkComparison(cmp: Node, ctx: RuleContext): void {
  const operands = cmp.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  const operators = cmp.children.filter((c) => c && !c.isNamed).map((c) => c!.type);
  if (operands.length !== 2 || operators.length !== 1 || (operators[0] !== '==' && operators[0] !== '!=')) return;
  for (const [side, other] of [
    [operands[0]!, operands[1]!],
    [operands[1]!, operands[0]!],
  ] as const) {
    const literal = stringLiteral(other);
    const name = comparedName(side);
    if (!literal || !name || !isSecretNameIn(ctx, name) || !looksLikeSecret(literal.value, name)) continue;
    ctx.report(literal.node, {
      message: `\`${ctx.textOf(unparen(side))}\` is compared with a hardcoded secret`,
      // A comparison may be a check for a sentinel value rather than a backdoor password.
      confidence: 'low',
    });
    return;
  }
}

export default defineRule({
  id: 'SEC105',
  name: 'hardcoded-password-string',
  summary: 'Password, API key or token hardcoded as a string literal',
  owasp: { '2025': 'A04', '2021': 'A07' },
  cwe: [798, 259],
  severity: 'warning',
  confidence: 'medium',
  fix: 'sometimes',
  aliases: ['B105', 'S105'],
  tags: ['secrets'],
  nodeTypes: ['assignment', 'pair', 'comparison_operator'],
  // Whether "token" means text in this file (`tokenMeansText`) is its only whole-file input.
  local: true,
  fileKey: tokenMeansTextKey,
  // Test code is full of fixture passwords; real leaked keys there are still caught by SEC120.
  appliesTo: (file) => !file.isTest,
  check(node, ctx) {
    if (node.type === 'assignment') checkAssignment(node, ctx);
    else if (node.type === 'pair') checkPair(node, ctx);
    else checkComparison(node, ctx);
  },
  docs: {
    what: 'Finds string literals used as a secret because of the name they are given: assigned to a variable, attribute or key whose name says password, secret, token, API key or credentials (`PASSWORD = "hunter2"`, `self.api_key = "..."`, `config["secret_key"] = "..."`), a dict entry such as `{"password": "..."}` or a literal `Authorization: Bearer ...` header, and comparisons such as `if password == "hunter2"`.\n\nNot reported: empty strings and placeholders (`"changeme"`, `"<your-key>"`, `"${SECRET}"`, `"xxx"`), environment variable names (`"DB_PASSWORD"`), key and header names (`"access_token"`), file paths, templates, password hashes, secret-manager references, names that describe a secret rather than hold it (`token_type`, `password_field`, `secret_name`, `TOKEN_URL`, `max_tokens`), and test code. Values in a well-known credential format (AWS, GitHub, Stripe... keys) are reported by SEC120 instead, once.',
    why: 'A secret in source code is shared with everyone who can read the repository, its forks, its CI logs and every copy of its history; it cannot be rotated without a code change, and it tends to be the same in development and production. Leaked credentials are one of the most common initial access vectors in breach reports. Secrets belong in the environment or a secret manager, injected at deploy time.',
    example: `DATABASE_PASSWORD = "s3cr3t-Pa55"

class Client:
    def __init__(self):
        self.api_key = "9f8e7d6c5b4a39281706"`,
    useInstead: `import os

DATABASE_PASSWORD = os.environ["DATABASE_PASSWORD"]

class Client:
    def __init__(self):
        self.api_key = os.environ["API_KEY"]`,
    fixSafety: 'For an assignment to a simple name or attribute, the fix replaces the literal by `os.environ["NAME"]` (the target name in upper snake case, `.encode()` added for bytes) and adds `import os` when missing. It is unsafe: the program then fails with `KeyError` at that line until the variable is set in every environment that runs it, and the secret still has to be rotated because it stays in the repository history. Dict entries and comparisons get no fix.',
    references: [
      { title: 'OWASP Secrets Management Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html' },
      { title: 'CWE-798: Use of Hard-coded Credentials', url: 'https://cwe.mitre.org/data/definitions/798.html' },
      { title: 'The Twelve-Factor App: Config', url: 'https://12factor.net/config' },
    ],
  },
});
