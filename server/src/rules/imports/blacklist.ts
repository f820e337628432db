// One implementation for the import blacklist (Bandit B401-B415, Ruff S401-S415): every rule
// in this family is a small table entry expanded by `importBlacklistRule` (DESIGN.md section 3,
// "banned calls and imports are one data table expanded into one rule per entry").
//
// A module is matched at a module boundary: `pickle` matches `pickle` and `pickle.x`, never
// `pickletools` (Bandit's plain string prefix flags both). Reported forms:
//
//   import m / import m as x / import m.sub   -> at the dotted module name
//   from m import a / from m.sub import a      -> at the module name (or at `a` when `m.a` is
//                                                  the blacklisted module or name)
//   importlib.import_module("m"), __import__("m"), importlib.__import__("m") -> at the string
//
// Imports inside `if TYPE_CHECKING:` never run and are not reported. Where an entry lists the
// names of a module that cannot do the dangerous thing (`subprocess.CalledProcessError`,
// `xml.etree.ElementTree.Element`, `ftplib.FTP_TLS`), an import used only for those names is
// not reported either: the file never calls the parser, the unpickler or the process runner.

import type { Node } from '../../engine/parser';
import { defineRule, fix, replace, type FilePart, type RuleContext, type RuleDocs, type Rule } from '../../engine/rule';
import type { OwaspMapping } from '../../engine/owasp';
import { argument, callArgs, stringValue } from '../../engine/syntax';
import type { Confidence, Fix, OffsetEdit, Severity } from '../../engine/types';

/** A defusedxml module that replaces a stdlib one, and the names it provides. */
export interface DefusedModule {
  module: string;
  names: readonly string[];
}

export interface ImportBlacklistEntry {
  id: string;
  name: string;
  summary: string;
  owasp: OwaspMapping;
  cwe: number[];
  severity: Severity;
  confidence: Confidence;
  aliases: string[];
  tags: string[];
  enabledByDefault: boolean;
  /** Blacklisted modules (or `module.Name` for a class), matched at a module boundary. */
  modules: readonly string[];
  /** Submodules that match `modules` but cannot do the dangerous thing (`xml.sax.saxutils`). */
  exclude?: readonly string[];
  /** Per module: the names whose use alone is harmless (`subprocess.CalledProcessError`). */
  harmless?: Readonly<Record<string, readonly string[]>>;
  /** Per stdlib module: the defusedxml module that can replace it, for the quick fix. */
  defused?: Readonly<Record<string, DefusedModule>>;
  /** Also report calls and class bases that name a blacklisted `module.Name` (httpoxy). */
  references?: boolean;
  /** Test files run nothing in production: skip them (audit-only entries). */
  skipTests: boolean;
  /** The one-line message for a finding on `module`. */
  message(module: string): string;
  /** A file-level reason not to report (for example, code that is visibly pycryptodome). */
  skipFile?(ctx: RuleContext): boolean;
  fixTitle?: (defused: string) => string;
  docs: RuleDocs;
}

/** The blacklisted entry `name` falls under, or null. */
function matchModule(name: string, entry: ImportBlacklistEntry): string | null {
  if (entry.exclude?.some((e) => name === e || name.startsWith(`${e}.`))) return null;
  for (const m of entry.modules) if (name === m || name.startsWith(`${m}.`)) return m;
  return null;
}

/** Inside the consequence of `if TYPE_CHECKING:` (any enclosing level). */
function typeCheckingOnly(node: Node): boolean {
  for (let child: Node = node, n = node.parent; n; child = n, n = n.parent) {
    if (n.type === 'if_statement' && child.id === n.childForFieldName('consequence')?.id) {
      if (/\bTYPE_CHECKING\b/.test(n.childForFieldName('condition')?.text ?? '')) return true;
    }
  }
  return false;
}

/**
 * The modules whose usage some entry asks about: the keys of `harmless` and `defused` of every
 * entry (`importBlacklistRule` adds them when the rules are defined, before any analysis).
 * Only uses of these are collected.
 */
const usageModules = new Set<string>();
/** The first segments of `usageModules`: a cheap filter before an identifier is resolved. */
const usageRoots = new Set<string>();

const IMPORT_TYPES = new Set(['import_statement', 'import_from_statement', 'future_import_statement']);

/**
 * Per region: what the identifiers that read a name (heads of attribute chains, bare names;
 * not the names in import statements) resolve to, as `local name` + tab + qualified name of
 * the whole attribute chain, when that is (under) a module of `usageModules`. Deduplicated:
 * the rules ask whether a module is used, how (attributes, or the module object itself), never
 * how many times.
 */
const nameUsesPart: FilePart<string[]> = {
  name: 'imports:name-uses',
  nodeTypes: ['identifier'],
  // The names that can resolve under a usage module: those imports bind to one, and the
  // modules' first segments themselves. Found in the text, not by a walk of every identifier.
  words(ctx) {
    const out = [...usageRoots];
    for (const [local, binding] of ctx.facts.imports) {
      const dot = binding.qualified.indexOf('.');
      if (usageRoots.has(dot === -1 ? binding.qualified : binding.qualified.slice(0, dot))) out.push(local);
    }
    return out;
  },
  compute(nodes, ctx) {
    if (usageModules.size === 0) return [];
    const out = new Set<string>();
    for (const n of nodes) {
      const text = n.text;
      const binding = ctx.facts.imports.get(text);
      const head = binding ? binding.qualified : text;
      const dot = head.indexOf('.');
      if (!usageRoots.has(dot === -1 ? head : head.slice(0, dot))) continue;
      const p = n.parent;
      if (p?.type === 'attribute' && p.childForFieldName('attribute')?.id === n.id) continue;
      if (p?.type === 'keyword_argument' && p.childForFieldName('name')?.id === n.id) continue;
      if (inImportStatement(n)) continue;
      let top: Node = n;
      while (top.parent?.type === 'attribute' && top.parent.childForFieldName('object')?.id === top.id) top = top.parent;
      const q = ctx.resolve(top);
      if (q && underUsageModule(q)) out.add(`${text}\t${q}`);
    }
    return [...out];
  },
};

function inImportStatement(id: Node): boolean {
  let p = id.parent;
  while (p && (p.type === 'dotted_name' || p.type === 'aliased_import' || p.type === 'relative_import')) p = p.parent;
  return !!p && IMPORT_TYPES.has(p.type);
}

function underUsageModule(q: string): boolean {
  for (let i = q.length; i > 0; i = q.lastIndexOf('.', i - 1)) {
    if (usageModules.has(q.slice(0, i))) return true;
  }
  return false;
}

/** The qualified names each local name's uses resolve to, over the whole file. */
function usesByName(ctx: RuleContext): Map<string, string[]> {
  return ctx.memo('imports:uses-by-name', () => {
    const out = new Map<string, string[]>();
    for (const part of ctx.parts(nameUsesPart)) {
      for (const use of part) {
        const tab = use.indexOf('\t');
        const local = use.slice(0, tab);
        let list = out.get(local);
        if (!list) out.set(local, (list = []));
        list.push(use.slice(tab + 1));
      }
    }
    return out;
  });
}

interface Usage {
  /** Attributes of the module the file uses (`parse` for `ET.parse(...)`). */
  attrs: Set<string>;
  /** The module object itself is used (passed around, returned, called): anything can happen. */
  opaque: boolean;
  /** The module is used at all. */
  used: boolean;
}

/**
 * How the file uses the module `module` bound to the local name `local`. Only for a module of
 * `usageModules` (a key of some entry's `harmless` or `defused`): uses of others are not kept.
 */
function moduleUsage(local: string, module: string, ctx: RuleContext): Usage {
  const usage: Usage = { attrs: new Set(), opaque: false, used: false };
  for (const q of usesByName(ctx).get(local) ?? []) {
    if (q === module) {
      usage.opaque = true;
      usage.used = true;
    } else if (q.startsWith(`${module}.`)) {
      usage.attrs.add(q.slice(module.length + 1).split('.')[0]!);
      usage.used = true;
    }
  }
  return usage;
}

/** The import binds a module the entry knows harmless names of, and the file uses only those. */
function usedHarmlessly(usage: Usage, module: string, entry: ImportBlacklistEntry): boolean {
  return usage.used && !usage.opaque && harmlessOnly(usage.attrs, module, entry);
}

/**
 * Per region: the local names that import statements bind to a module of `usageModules`, as
 * `local` + tab + module, in the forms the rule reads them (`import a.b as x`, `import a.b`,
 * `from a import b as x`).
 */
const bindingsPart: FilePart<string[]> = {
  name: 'imports:usage-bindings',
  nodeTypes: ['import_statement', 'import_from_statement'],
  compute(nodes) {
    const out = new Set<string>();
    for (const stmt of nodes) {
      if (stmt.type === 'import_statement') {
        for (const { name, alias } of importedNames(stmt)) {
          const full = name.text.replace(/\s+/g, '');
          if (usageModules.has(full)) out.add(`${alias ? alias.text : full.split('.')[0]!}\t${full}`);
        }
        continue;
      }
      const moduleNode = stmt.childForFieldName('module_name');
      if (!moduleNode || moduleNode.type === 'relative_import') continue;
      const moduleName = moduleNode.text.replace(/\s+/g, '');
      for (const { name, alias } of importedNames(stmt)) {
        const full = `${moduleName}.${name.text}`;
        if (usageModules.has(full)) out.add(`${alias?.text ?? name.text}\t${full}`);
      }
    }
    return [...out];
  },
};

/**
 * What the findings of `entry` depend on outside the import statement they are on: for each
 * import binding of a module whose use the entry judges, whether it is used only harmlessly
 * and whether the defusedxml fix applies; and the entry's file-level exemption. The usage
 * itself (which attributes) changes with most edits near such a module; these do not.
 */
function usageKey(entry: ImportBlacklistEntry, ctx: RuleContext): string {
  const out = new Set<string>();
  for (const part of mayBindUsageModule(ctx) ? ctx.parts(bindingsPart) : []) {
    for (const binding of part) {
      const tab = binding.indexOf('\t');
      const local = binding.slice(0, tab);
      const full = binding.slice(tab + 1);
      const harmless = entry.harmless?.[full];
      const defused = entry.defused?.[full];
      if (!harmless && !defused) continue;
      const usage = moduleUsage(local, full, ctx);
      out.add(`${binding}:${harmless ? Number(usedHarmlessly(usage, full, entry)) : '-'}${defused ? Number(fixable(usage, defused)) : '-'}`);
    }
  }
  const skip = entry.skipFile ? (entry.skipFile(ctx) ? 'skip;' : 'run;') : '';
  return skip + [...out].sort().join(';');
}

/**
 * False when no import statement of the file can bind a module of `usageModules`, decided
 * without a walk: the parts then need not be computed (a walk of every function when the
 * file is analysed whole). In a tree without syntax errors the file facts saw every import
 * statement (collectFacts visits every block; a function without `import` in its text has
 * none), and each adds the first segment of its module to `importedModules`; with errors,
 * the module's first segment still appears in the text of its import statement.
 */
function mayBindUsageModule(ctx: RuleContext): boolean {
  return ctx.memo('imports:may-bind-usage-module', () => {
    if (!ctx.root.hasError) {
      // `import xml .etree` is valid Python: the facts keep the module name as written.
      for (const m of ctx.facts.importedModules) if (usageRoots.has(m.replace(/[\s\\]+/g, ''))) return true;
      return false;
    }
    for (const r of usageRoots) if (ctx.text.includes(r)) return true;
    return false;
  });
}

function harmlessOnly(names: Iterable<string>, module: string, entry: ImportBlacklistEntry): boolean {
  const ok = entry.harmless?.[module];
  if (!ok) return false;
  let any = false;
  for (const n of names) {
    if (!ok.includes(n)) return false;
    any = true;
  }
  return any;
}

function fixable(usage: Usage, defused: DefusedModule): boolean {
  return !usage.opaque && [...usage.attrs].every((a) => defused.names.includes(a));
}

function importedNames(stmt: Node): { node: Node; name: Node; alias: Node | null }[] {
  const out: { node: Node; name: Node; alias: Node | null }[] = [];
  for (const n of stmt.childrenForFieldName('name')) {
    if (!n) continue;
    if (n.type === 'aliased_import') {
      const name = n.childForFieldName('name');
      if (name) out.push({ node: n, name, alias: n.childForFieldName('alias') });
    } else if (n.type === 'dotted_name') out.push({ node: n, name: n, alias: null });
  }
  return out;
}

export function importBlacklistRule(entry: ImportBlacklistEntry): Rule {
  const title = entry.fixTitle ?? ((m: string) => `Import \`${m}\` instead (adds the defusedxml dependency)`);
  const unsafeFix = (m: string, ...edits: OffsetEdit[]): Fix => fix(title(m), 'unsafe', ...edits);
  for (const m of [...Object.keys(entry.harmless ?? {}), ...Object.keys(entry.defused ?? {})]) {
    usageModules.add(m);
    usageRoots.add(m.split('.')[0]!);
  }

  function checkImport(stmt: Node, ctx: RuleContext): void {
    for (const { node, name, alias } of importedNames(stmt)) {
      const full = name.text.replace(/\s+/g, '');
      const matched = matchModule(full, entry);
      if (!matched) continue;
      // `import xml.etree.ElementTree as ET` binds ET to the module; `import a.b` binds `a`.
      const local = alias ? alias.text : full.split('.')[0]!;
      const defused = entry.defused?.[full];
      const usage = entry.harmless?.[full] || defused ? moduleUsage(local, full, ctx) : null;
      if (usage && usedHarmlessly(usage, full, entry)) continue;
      const fixes: Fix[] = [];
      if (usage && defused && alias && node.type === 'aliased_import' && fixable(usage, defused)) fixes.push(unsafeFix(defused.module, replace(name, defused.module)));
      ctx.report(name, { message: entry.message(full), fixes });
    }
  }

  function checkFrom(stmt: Node, ctx: RuleContext): void {
    const moduleNode = stmt.childForFieldName('module_name');
    if (!moduleNode || moduleNode.type === 'relative_import') return;
    const moduleName = moduleNode.text.replace(/\s+/g, '');
    const names = importedNames(stmt);
    const wildcard = stmt.namedChildren.some((c) => c?.type === 'wildcard_import');
    const moduleMatched = matchModule(moduleName, entry);
    if (moduleMatched) {
      // `from pickle import dumps` uses only a harmless name; `from xml.sax import saxutils` too.
      if (!wildcard && names.length > 0) {
        const risky = names.filter(({ name, alias }) => {
          const full = `${moduleName}.${name.text}`;
          if (!matchModule(full, entry)) return false;
          if (entry.harmless?.[moduleName]?.includes(name.text)) return false;
          // A submodule imported by name: judge it by how the file uses it.
          if (entry.harmless?.[full]) return !usedHarmlessly(moduleUsage(alias?.text ?? name.text, full, ctx), full, entry);
          return true;
        });
        if (risky.length === 0) return;
      }
      const fixes: Fix[] = [];
      const defused = entry.defused?.[moduleName];
      if (defused && !wildcard && names.length > 0 && names.every(({ name }) => defused.names.includes(name.text))) {
        fixes.push(unsafeFix(defused.module, replace(moduleNode, defused.module)));
      }
      ctx.report(moduleNode, { message: entry.message(moduleName), fixes });
      return;
    }
    // `from xml import sax`, `from wsgiref.handlers import CGIHandler`: the name is the match.
    for (const { node, name, alias } of names) {
      const full = `${moduleName}.${name.text}`;
      if (!matchModule(full, entry)) continue;
      const local = alias?.text ?? name.text;
      const defused = entry.defused?.[full];
      const usage = entry.harmless?.[full] || defused ? moduleUsage(local, full, ctx) : null;
      if (entry.harmless?.[full] && usage && usedHarmlessly(usage, full, entry)) continue;
      const fixes: Fix[] = [];
      if (usage && defused && names.length === 1 && fixable(usage, defused)) {
        const dot = defused.module.lastIndexOf('.');
        const parent = defused.module.slice(0, dot);
        const leaf = defused.module.slice(dot + 1);
        const edits = [replace(moduleNode, parent)];
        if (leaf !== name.text) edits.push(alias ? replace(name, leaf) : replace(node, `${leaf} as ${name.text}`));
        fixes.push(unsafeFix(defused.module, ...edits));
      }
      ctx.report(name, { message: entry.message(full), fixes });
    }
  }

  function checkCall(call: Node, ctx: RuleContext): void {
    const callee = ctx.callName(call);
    if (callee === 'importlib.import_module' || callee === 'importlib.__import__' || callee === '__import__') {
      if (callee === '__import__' && ctx.resolve(call.childForFieldName('function')) !== '__import__') return;
      const arg = argument(callArgs(call), 0, 'name');
      const value = stringValue(arg);
      if (!arg || value === null) return;
      // `import_module(".sub", package)` is relative to a project package.
      if (value.startsWith('.')) return;
      if (matchModule(value, entry)) ctx.report(arg, { message: entry.message(value) });
      return;
    }
    if (entry.references && callee && entry.modules.includes(callee)) reportReference(call.childForFieldName('function'), callee, ctx);
  }

  /** `wsgiref.handlers.CGIHandler()` after `import wsgiref.handlers`; not a name the import already reported. */
  function reportReference(expr: Node | null, qualified: string, ctx: RuleContext): void {
    if (!expr) return;
    let head: Node = expr;
    while (head.type === 'attribute') head = head.childForFieldName('object')!;
    if (head.type !== 'identifier') return;
    const binding = ctx.facts.imports.get(head.text);
    // `from wsgiref.handlers import CGIHandler`: the import line carries the finding.
    if (binding && matchModule(binding.qualified, entry)) return;
    ctx.report(expr, { message: entry.message(qualified) });
  }

  return defineRule({
    id: entry.id,
    name: entry.name,
    summary: entry.summary,
    owasp: entry.owasp,
    cwe: entry.cwe,
    severity: entry.severity,
    confidence: entry.confidence,
    fix: entry.defused ? 'sometimes' : 'none',
    enabledByDefault: entry.enabledByDefault,
    aliases: entry.aliases,
    tags: ['import', ...entry.tags],
    // Whether a harmless-only use, a defusedxml fix or the whole file exempts an import depends
    // on how the module is used anywhere in the file: that much is the file key, assembled from
    // parts (the uses in each function) and the text (`skipFile`), so the rule stays local.
    local: true,
    fileKey: entry.harmless || entry.defused || entry.skipFile ? (ctx) => usageKey(entry, ctx) : undefined,
    nodeTypes: entry.references ? ['import_statement', 'import_from_statement', 'call', 'class_definition'] : ['import_statement', 'import_from_statement', 'call'],
    appliesTo: (file) => !(entry.skipTests && file.isTest),
    check(node, ctx) {
      if (entry.skipFile?.(ctx)) return;
      if (node.type === 'class_definition') {
        if (!entry.references) return;
        for (const base of node.childForFieldName('superclasses')?.namedChildren ?? []) {
          if (!base || (base.type !== 'identifier' && base.type !== 'attribute')) continue;
          const q = ctx.resolve(base);
          if (q && entry.modules.includes(q)) reportReference(base, q, ctx);
        }
        return;
      }
      if (typeCheckingOnly(node)) return;
      if (node.type === 'import_statement') checkImport(node, ctx);
      else if (node.type === 'import_from_statement') checkFrom(node, ctx);
      else checkCall(node, ctx);
    },
    docs: entry.docs,
  });
}
