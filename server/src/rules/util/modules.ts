// Imports of dotted modules (`import defusedxml.ElementTree`) for fixes.
//
// `ctx.requireImport('a.b')` recognises `import a.b as x` but not a plain `import a.b`, which
// binds only `a`: a second fix would add the same import again. This looks for the plain form
// first, so fixes applied one after another share one import.

import type { ImportRef, RuleContext } from '../../engine/rule';

/** How code refers to the dotted module `module`, adding `import module` when missing. */
export function requireModule(ctx: RuleContext, module: string): ImportRef {
  const head = module.split('.')[0]!;
  if (ctx.facts.imports.get(head)?.qualified === head) {
    for (const stmt of ctx.facts.topLevelImports) {
      if (stmt.type !== 'import_statement') continue;
      for (const name of stmt.childrenForFieldName('name')) {
        if (name?.type === 'dotted_name' && name.text.replace(/\s+/g, '') === module) return { ref: module, edits: [] };
      }
    }
  }
  return ctx.requireImport(module);
}
