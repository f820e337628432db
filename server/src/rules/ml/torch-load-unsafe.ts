import { defineRule, fix, replace } from '../../engine/rule';
import { callArgs, isFalse, isTrue, unparen } from '../../engine/syntax';
import type { Fix } from '../../engine/types';
import { appendArgument } from '../util/edits';

/** `torch.load` and where it is defined; `torch.jit.load` reads TorchScript, not pickles. */
const LOADS = new Set(['torch.load', 'torch.serialization.load']);

export default defineRule({
  id: 'SEC614',
  name: 'torch-load-unsafe',
  local: true,
  summary: '`torch.load()` without `weights_only=True`: loading a checkpoint can run arbitrary code',
  owasp: { '2025': 'A08', '2021': 'A08' },
  cwe: [502],
  severity: 'warning',
  confidence: 'high',
  fix: 'sometimes',
  aliases: ['B614'],
  tags: ['ml', 'pytorch', 'deserialization'],
  nodeTypes: ['call'],
  appliesTo: (_file, facts) => facts.importedModules.has('torch'),
  check(call, ctx) {
    const name = ctx.callName(call);
    if (!name || !LOADS.has(name)) return;
    const args = callArgs(call);
    const weightsOnly = args.keywords.get('weights_only');
    const value = weightsOnly ? unparen(weightsOnly) : null;
    if (isTrue(value)) return;
    if (value && !isFalse(value)) return; // a variable or expression: can't tell
    if (!value && args.hasStarKwargs) return;
    // `weights_only=True` and a custom `pickle_module` cannot be combined.
    const canFix = !args.keywords.has('pickle_module') && args.positional.length < 3;
    if (value) {
      ctx.report(weightsOnly!.parent!, {
        message: '`torch.load(..., weights_only=False)` unpickles the file: a malicious checkpoint runs code when loaded',
        severity: 'error',
        confidence: 'high',
        fixes: canFix ? [fix('Load tensors only (`weights_only=True`)', 'unsafe', replace(value, 'True'))] : [],
      });
      return;
    }
    const edit = canFix ? appendArgument(ctx, call, 'weights_only=True') : null;
    const fixes: Fix[] = edit ? [fix('Load tensors only (`weights_only=True`)', 'unsafe', edit)] : [];
    ctx.report(call, {
      message: '`torch.load()` without `weights_only=True` unpickles the file on PyTorch before 2.6: a malicious checkpoint runs code when loaded',
      confidence: 'medium',
      fixes,
    });
  },
  docs: {
    what: 'Finds `torch.load()` calls (also through `from torch import load` or `import torch as T`) that pass `weights_only=False` or no `weights_only` at all. `torch.jit.load` (TorchScript) is not reported, nor calls passing `weights_only=True` or a variable. A missing `weights_only` is reported with medium confidence: PyTorch 2.6 and later default to `weights_only=True`, earlier versions unpickle everything.',
    why: '`.pt`/`.pth`/`.bin` checkpoints are pickle files. Unpickling calls whatever the file tells it to (`os.system`, `exec`...), so loading a model downloaded from a hub, received from a user or read from a shared bucket gives its author code execution on the machine, with the training or serving process\'s credentials. Malicious models of this kind have been found on public model hubs.',
    example: `import torch

state = torch.load("downloads/model.pt", map_location="cpu")
model.load_state_dict(state)`,
    useInstead: `import torch

state = torch.load("downloads/model.pt", map_location="cpu", weights_only=True)
model.load_state_dict(state)

# or store weights as safetensors: safetensors.torch.load_file("model.safetensors")`,
    fixSafety: 'The fix adds `weights_only=True` (or turns `weights_only=False` into `True`). It is unsafe: files holding whole pickled models, optimizers with custom classes or other Python objects stop loading (`UnpicklingError`) until they are re-saved as a `state_dict` or their classes are allowed with `torch.serialization.add_safe_globals`. No fix is offered when a custom `pickle_module` is passed.',
    references: [
      { title: 'PyTorch: torch.load', url: 'https://pytorch.org/docs/stable/generated/torch.load.html' },
      { title: 'Hugging Face: pickle scanning and safetensors', url: 'https://huggingface.co/docs/hub/security-pickle' },
    ],
  },
});
