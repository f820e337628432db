import type { Node } from '../../engine/parser';
import { defineRule, type RuleContext } from '../../engine/rule';
import { callArgs, dottedName, isTrue, stringValue, unparen } from '../../engine/syntax';

const HUB_MODULES = ['transformers', 'diffusers', 'datasets', 'huggingface_hub', 'sentence_transformers', 'peft', 'timm'];

/** Which download a call is: `from_pretrained`, `load_dataset`, `hf_hub_download`, `snapshot_download`. */
function downloadKind(call: Node, ctx: RuleContext): string | null {
  const name = ctx.callName(call);
  if (!name) return null;
  const root = name.split('.')[0]!;
  if (!HUB_MODULES.includes(root)) return null;
  const tail = name.slice(name.lastIndexOf('.') + 1);
  if (tail === 'from_pretrained' && root !== 'datasets' && root !== 'huggingface_hub') return tail;
  if (root === 'datasets' && tail === 'load_dataset') return tail;
  if (root === 'huggingface_hub' && ['hf_hub_download', 'snapshot_download'].includes(tail)) return tail;
  if (root === 'sentence_transformers' && (tail === 'SentenceTransformer' || tail === 'CrossEncoder')) return tail;
  if (name === 'transformers.pipeline') return 'pipeline';
  return null;
}

/** `load_dataset("csv", data_files=...)`: builders shipped with `datasets` that read local files. */
const PACKAGED_BUILDERS = new Set(['csv', 'json', 'parquet', 'text', 'arrow', 'pandas', 'imagefolder', 'audiofolder', 'videofolder', 'webdataset', 'sql', 'generator', 'xml', 'spark', 'cache']);

/** A full or abbreviated commit hash: immutable. */
const COMMIT = /^[0-9a-f]{7,40}$/i;

/** `org/name` or `name` on the Hub, not a local directory or file. */
function looksLikeRepoId(id: string): boolean {
  if (/^(\.|\/|~|[a-zA-Z]:\\)/.test(id) || id.includes('\\')) return false;
  return /^[\w.-]+(\/[\w.-]+)?$/.test(id) && !/\.(json|bin|pt|pth|safetensors|csv|txt|parquet|jsonl)$/i.test(id);
}

/** Names that say a variable holds a local path: `output_dir`, `checkpoint_path`, `local_model`. */
function looksLikePath(n: Node): boolean {
  const d = dottedName(n);
  if (n.type === 'call') return /\b(os\.path\.join|Path|join)\s*\(/.test(n.text) || /path|dir/i.test(n.childForFieldName('function')?.text ?? '');
  if (n.type === 'binary_operator') return true; // `base / "model"`
  if (!d) return false;
  return /(dir|path|folder|local|checkpoint|ckpt|output|save)/i.test(d.slice(d.lastIndexOf('.') + 1));
}

export default defineRule({
  id: 'SEC615',
  name: 'huggingface-unsafe-download',
  local: true,
  summary: 'Hugging Face Hub download without a pinned commit (`revision=`): the files can change under you',
  owasp: { '2025': 'A03', '2021': 'A08' },
  cwe: [494],
  severity: 'warning',
  confidence: 'high',
  aliases: ['B615'],
  tags: ['ml', 'huggingface', 'supply-chain'],
  nodeTypes: ['call'],
  appliesTo: (file, facts) => !file.isTest && HUB_MODULES.some((m) => facts.importedModules.has(m)),
  check(call, ctx) {
    const kind = downloadKind(call, ctx);
    if (!kind) return;
    const args = callArgs(call);
    if (args.hasStarKwargs) return;
    if (isTrue(args.keywords.get('local_files_only'))) return;
    // `pipeline("sentiment-analysis")` picks a default model at a revision transformers pins itself.
    const repo =
      kind === 'pipeline'
        ? (args.keywords.get('model') ?? args.positional[1])
        : (args.keywords.get('repo_id') ?? args.keywords.get('pretrained_model_name_or_path') ?? args.keywords.get('model_name_or_path') ?? args.keywords.get('model_name') ?? args.keywords.get('path') ?? args.positional[0]);
    if (!repo) return;
    if (kind === 'pipeline' && stringValue(repo) === null) return; // a model object or a variable
    const repoText = stringValue(repo);
    let confidence: 'high' | 'low' = 'high';
    if (repoText !== null) {
      if (!looksLikeRepoId(repoText)) return;
      if (kind === 'load_dataset' && PACKAGED_BUILDERS.has(repoText)) return;
    } else {
      const r = unparen(repo);
      if (looksLikePath(r)) return;
      confidence = 'low';
    }
    const revision = args.keywords.get('revision') ?? args.keywords.get('commit_id');
    const remoteCode = isTrue(args.keywords.get('trust_remote_code'));
    const what = repoText !== null ? `"${repoText}"` : `\`${ctx.textOf(repo)}\``;
    const suffix = remoteCode ? ', and `trust_remote_code=True` runs the code it downloads' : '';
    if (revision) {
      const rev = stringValue(revision);
      if (rev === null || COMMIT.test(rev)) return; // a variable: assume it is pinned
      ctx.report(revision.parent!, {
        message: `\`${kind}(${what})\` pins \`revision="${rev}"\`, a branch or tag that can be moved to different files; pin a commit hash${suffix}`,
        confidence,
        severity: remoteCode ? 'error' : undefined,
      });
      return;
    }
    ctx.report(call, {
      message: `\`${kind}(${what})\` downloads whatever the repository's main branch holds today; pin \`revision=\` to a commit hash${suffix}`,
      confidence,
      severity: remoteCode ? 'error' : undefined,
    });
  },
  docs: {
    what: 'Finds `from_pretrained()` (transformers, diffusers, sentence-transformers, peft, timm), `SentenceTransformer(...)` / `CrossEncoder(...)`, `transformers.pipeline(..., model="org/name")`, `datasets.load_dataset()`, `huggingface_hub.hf_hub_download()` and `snapshot_download()` calls for a Hub repository without `revision=` (or `commit_id=`) set to a commit hash, including `revision="main"` and tags such as `"v1.0"`. Local paths (`"./model"`, `load_dataset("csv", data_files=...)` and the other packaged builders, `os.path.join(...)`, variables named like `output_dir` or `checkpoint_path`) and `local_files_only=True` are not reported; a variable repository id is reported with low confidence.',
    why: 'A branch or tag on the Hub points to whatever its owner (or anyone who takes over the account or token) last pushed. Without a pinned commit, the next deployment or training run silently downloads different weights, tokenizer files, dataset rows or, with `trust_remote_code=True`, Python code, which is how a compromised model repository becomes code execution or poisoned output in every consumer.',
    example: `from transformers import AutoModel, AutoTokenizer

model = AutoModel.from_pretrained("acme/sentiment-base")
tokenizer = AutoTokenizer.from_pretrained("acme/sentiment-base", revision="main")`,
    useInstead: `from transformers import AutoModel, AutoTokenizer

REVISION = "3f6c0b4f1c5e2a9d8b7e6f5a4c3b2a1908f7e6d5"  # reviewed commit
model = AutoModel.from_pretrained("acme/sentiment-base", revision=REVISION)
tokenizer = AutoTokenizer.from_pretrained("acme/sentiment-base", revision=REVISION)`,
    references: [
      { title: 'Hugging Face Hub: download files (revision)', url: 'https://huggingface.co/docs/huggingface_hub/en/guides/download' },
      { title: 'CWE-494: Download of Code Without Integrity Check', url: 'https://cwe.mitre.org/data/definitions/494.html' },
    ],
  },
});
