import { defineRule } from '../../engine/rule';
import { checkSwallow } from '../util/swallow';

export default defineRule({
  id: 'SEC110',
  name: 'try-except-pass',
  local: true,
  summary: '`except Exception: pass` swallows every error (worst when it guards a security check)',
  owasp: { '2025': 'A10', '2021': 'A09' },
  cwe: [703, 390],
  severity: 'hint',
  confidence: 'medium',
  aliases: ['B110', 'S110'],
  tags: ['error-handling'],
  nodeTypes: ['except_clause'],
  appliesTo: (file) => !file.isTest,
  check(clause, ctx) {
    checkSwallow(clause, ctx, 'pass');
  },
  docs: {
    what: 'Finds `except:`, `except Exception:` and `except BaseException:` handlers (a tuple containing one of them too) whose whole body is `pass` (or `...`). When the `try` body performs a security check (`jwt.decode`, `verify(...)`, `check_password`, `authenticate`, `has_perm`, `hmac.compare_digest`, signature or token validation, `full_clean`), the finding is an error with high confidence; otherwise it is a low-priority hint. Narrow handlers such as `except KeyError: pass` are not reported, as in Bandit\'s default configuration. Test files are skipped.',
    why: 'A handler that ignores every exception hides the one that mattered. When the guarded code is a check that signals "no" by raising (an invalid JWT signature, a wrong password, a tampered cookie, a failed permission check), swallowing the exception turns the rejection into an acceptance: execution continues as if the check had passed (CWE-390). Outside security checks it hides bugs and attacks from logs and monitoring.',
    example: `import jwt

def current_user_id(token):
    user_id = None
    try:
        user_id = jwt.decode(token, KEY, algorithms=["HS256"])["sub"]
    except Exception:
        pass
    return user_id or request.args["user_id"]`,
    useInstead: `import jwt

def current_user_id(token):
    try:
        return jwt.decode(token, KEY, algorithms=["HS256"])["sub"]
    except jwt.InvalidTokenError:
        logger.warning("rejected token")
        raise PermissionError("invalid token")`,
    references: [
      { title: 'Bandit B110: try_except_pass', url: 'https://bandit.readthedocs.io/en/latest/plugins/b110_try_except_pass.html' },
      { title: 'CWE-390: Detection of Error Condition Without Action', url: 'https://cwe.mitre.org/data/definitions/390.html' },
    ],
  },
});
