import type { Node } from '../../engine/parser';
import { defineRule, fix, replace, type RuleContext } from '../../engine/rule';
import { valuesBefore } from '../../engine/scope';
import type { Confidence, Fix, Severity } from '../../engine/types';
import { callArgs, dottedName, isNone, stringValue, unparen } from '../../engine/syntax';
import { appendArgument } from '../util/edits';

const TAR_FACTORIES = new Set([
  'tarfile.open',
  'tarfile.TarFile',
  'tarfile.TarFile.open',
  'tarfile.TarFile.taropen',
  'tarfile.TarFile.gzopen',
  'tarfile.TarFile.bz2open',
  'tarfile.TarFile.xzopen',
]);

/** Filters that refuse members escaping the destination (absolute paths, `..`, outside links). */
const SAFE_FILTERS = new Set(['data', 'tar']);

function isTarFactory(value: Node, ctx: RuleContext): boolean {
  const v = unparen(value);
  return v.type === 'call' && TAR_FACTORIES.has(ctx.callName(v) ?? '');
}

/**
 * Whether `receiver` is a TarFile: `tarfile.open(...)` itself, or a name bound to it (also
 * `with tarfile.open(...) as tf`). `sure` is false for a name that only says so (`self.tar`, or
 * `archive` / `tf` in a file that imports tarfile and not zipfile).
 */
function tarReceiver(receiver: Node, ctx: RuleContext): { sure: boolean } | null {
  const r = unparen(receiver);
  if (isTarFactory(r, ctx)) return { sure: true };
  if (r.type === 'identifier') {
    const values = valuesBefore(r, ctx);
    if (values.some((v) => isTarFactory(v, ctx))) return { sure: true };
    if (values.length) return null;
  }
  const dotted = dottedName(r);
  if (!dotted) return null;
  const mods = ctx.facts.importedModules;
  if (!mods.has('tarfile')) return null;
  const last = dotted.slice(dotted.lastIndexOf('.') + 1);
  if (/tar/i.test(last)) return { sure: false };
  // `archive` or `tf` could be a ZipFile in a file that uses both.
  return !mods.has('zipfile') && /^(tf|archive)$/i.test(last) ? { sure: false } : null;
}

/** `filter=` whose value keeps members inside the destination (or a callable we cannot judge). */
function isSafeFilter(value: Node, ctx: RuleContext): boolean {
  const v = unparen(value);
  if (isNone(v)) return false;
  const s = stringValue(v);
  if (s !== null) return SAFE_FILTERS.has(s);
  // `tarfile.data_filter`, `tarfile.tar_filter`, or the project's own filter function.
  return ctx.resolve(v) !== 'tarfile.fully_trusted_filter';
}

/**
 * Whether the file sets a tarfile-wide `extraction_filter` somewhere (any function or module
 * level): that covers every call. The regex reads the whole text, so it is also the `fileKey`.
 */
function extractionFilterSet(ctx: RuleContext): boolean {
  return ctx.memo('tar:extraction_filter', () => /\.extraction_filter\s*=/.test(ctx.text));
}

export default defineRule({
  id: 'SEC202',
  name: 'tarfile-unsafe-members',
  summary: '`TarFile.extractall()` / `extract()` without a safe `filter=` (path traversal, links outside the destination)',
  owasp: { '2025': 'A01', '2021': 'A01' },
  cwe: [22],
  severity: 'error',
  confidence: 'high',
  fix: 'always',
  aliases: ['B202', 'S202'],
  tags: ['tarfile', 'path-traversal'],
  nodeTypes: ['call'],
  local: true,
  fileKey: (ctx) => (extractionFilterSet(ctx) ? 'extraction_filter' : ''),
  appliesTo: (_file, facts) => facts.importedModules.has('tarfile'),
  check(call, ctx) {
    const fn = call.childForFieldName('function');
    if (fn?.type !== 'attribute') return;
    const method = fn.childForFieldName('attribute')?.text;
    if (method !== 'extractall' && method !== 'extract') return;
    const receiver = fn.childForFieldName('object');
    if (!receiver) return;
    const tar = tarReceiver(receiver, ctx);
    if (!tar) return;
    const args = callArgs(call);
    if (args.hasStarKwargs) return;
    const filter = args.keywords.get('filter');
    if (filter && isSafeFilter(filter, ctx)) return;
    // A tarfile-wide `extraction_filter` set anywhere in the file covers every call.
    if (extractionFilterSet(ctx)) return;
    const members = method === 'extractall' ? (args.keywords.get('members') ?? args.positional[1] ?? null) : null;
    let severity: Severity | undefined;
    let confidence: Confidence = tar.sure ? 'high' : 'medium';
    let detail: string;
    if (filter) detail = `with \`filter=${ctx.textOf(filter)}\`, which lets members escape the destination`;
    else if (members && unparen(members).type === 'call') {
      detail = `with \`members=${ctx.textOf(members).replace(/\s+/g, ' ')}\` and no \`filter=\`: make sure that function drops absolute paths, \`..\` and links`;
      severity = 'warning';
      confidence = 'low';
    } else if (members) detail = `with unchecked \`members=\` and no \`filter=\``;
    else detail = 'without `filter=`';
    if (method === 'extract' && !filter) confidence = tar.sure ? 'medium' : 'low';
    const what = `${ctx.textOf(receiver).replace(/\s+/g, '')}.${method}()`;
    const f: Fix[] = [];
    if (filter) f.push(fix('Use the `"data"` extraction filter', 'unsafe', replace(unparen(filter), '"data"')));
    else {
      const edit = appendArgument(ctx, call, 'filter="data"');
      if (edit) f.push(fix('Add `filter="data"`', 'unsafe', edit));
    }
    ctx.report(fn.childForFieldName('attribute') ?? call, {
      message: `\`${what}\` extracts an archive ${detail}`,
      ...(severity ? { severity } : {}),
      confidence,
      fixes: f,
    });
  },
  docs: {
    what: 'Finds `extractall()` and `extract()` called on a `tarfile.TarFile` (the result of `tarfile.open(...)`, a name bound to it, `with tarfile.open(...) as tf`, or in a file that imports `tarfile`, a name such as `tar` or `archive`) without `filter="data"` or `filter="tar"` (or a filter function), including calls that pass `members=`: a members list or generator is reported as unchecked, and a call that builds the members (`members=safe_members(tf)`) is reported as a low-confidence warning to review. `filter="fully_trusted"` and `filter=None` are reported. A file that sets `extraction_filter` is not reported.',
    why: 'Tar members carry their own paths and types. Without a filter, a crafted archive writes to `../../home/app/.ssh/authorized_keys` or `/etc/cron.d/x`, or contains a symlink pointing outside the destination followed by a file written through it (CVE-2007-4559, still exploited in 2022 across 350,000 projects). Extracting an uploaded or downloaded archive then gives the attacker arbitrary file writes, and often code execution.',
    example: `import tarfile

with tarfile.open(uploaded_path) as tf:
    tf.extractall(dest)`,
    useInstead: `import tarfile

with tarfile.open(uploaded_path) as tf:
    # Refuses absolute paths, "..", links outside dest, devices; drops setuid bits.
    tf.extractall(dest, filter="data")`,
    fixSafety: 'The fix adds `filter="data"` (or replaces an unsafe filter with it). It is unsafe: the `filter` argument exists only in Python 3.12+ and in the security releases 3.8.17, 3.9.17, 3.10.12 and 3.11.4 and later; older interpreters raise `TypeError`. The `"data"` filter also refuses archives that legitimately contain absolute paths, links pointing outside the destination or device files, and it clears executable and setuid bits for group/others, so extracting a trusted system backup may fail or lose permissions; use `filter="tar"` there.',
    references: [
      { title: 'Python: tarfile extraction filters', url: 'https://docs.python.org/3/library/tarfile.html#tarfile-extraction-filter' },
      { title: 'PEP 706: Filter for tarfile.extractall', url: 'https://peps.python.org/pep-0706/' },
      { title: 'CVE-2007-4559', url: 'https://nvd.nist.gov/vuln/detail/CVE-2007-4559' },
    ],
  },
});
