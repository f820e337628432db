import { defineRule } from '../../engine/rule';
import { checkSwallow } from '../util/swallow';

export default defineRule({
  id: 'SEC112',
  name: 'try-except-continue',
  local: true,
  summary: '`except Exception: continue` in a loop skips every error (worst when it guards a security check)',
  owasp: { '2025': 'A10', '2021': 'A09' },
  cwe: [703, 390],
  severity: 'hint',
  confidence: 'medium',
  aliases: ['B112', 'S112'],
  tags: ['error-handling'],
  nodeTypes: ['except_clause'],
  appliesTo: (file) => !file.isTest,
  check(clause, ctx) {
    checkSwallow(clause, ctx, 'continue');
  },
  docs: {
    what: 'Finds `except:`, `except Exception:` and `except BaseException:` handlers (a tuple containing one of them too) whose whole body is `continue`. When the `try` body performs a security check (`jwt.decode`, `verify(...)`, `check_password`, `authenticate`, `has_perm`, `hmac.compare_digest`, signature or token validation, `full_clean`), the finding is an error with high confidence; otherwise it is a low-priority hint. Narrow handlers such as `except ValueError: continue` are not reported, as in Bandit\'s default configuration. Test files are skipped.',
    why: 'A loop that skips every failing item hides both bugs and attacks: a batch of webhook events whose signature check raises is silently dropped instead of alerting, and a loop that tries candidate keys or tokens with `except Exception: continue` can end in a fallback that accepts the input anyway. Attack traffic that makes the code raise leaves no trace in logs (CWE-390).',
    example: `for event in events:
    try:
        verify_signature(event.body, event.headers["X-Signature"])
    except Exception:
        continue
    process(event)`,
    useInstead: `for event in events:
    try:
        verify_signature(event.body, event.headers["X-Signature"])
    except InvalidSignature:
        logger.warning("dropping event %s with a bad signature", event.id)
        continue
    process(event)`,
    references: [
      { title: 'Bandit B112: try_except_continue', url: 'https://bandit.readthedocs.io/en/latest/plugins/b112_try_except_continue.html' },
      { title: 'CWE-390: Detection of Error Condition Without Action', url: 'https://cwe.mitre.org/data/definitions/390.html' },
    ],
  },
});
