// What checklist items ask of a project: the frameworks it uses, the value a setting has in
// production, the findings of some rules, the libraries it sets up. Built once per evaluation.

import type { Finding } from '../engine/types';
import type { Framework, PythonFileFacts, SettingFact, Usage } from './python-facts';
import type { RepoFacts } from './repo-facts';
import type { ChecklistStatus, Evidence, ReviewFile } from './types';

export interface ChecklistInput {
  root: string;
  /** Every analysed Python file by path relative to root ('/' separators). */
  files: ReadonlyMap<string, { findings: readonly Finding[]; facts: PythonFileFacts }>;
  repo: RepoFacts;
  reviews: ReviewFile;
}

export interface Outcome {
  status: ChecklistStatus;
  detail: string;
  evidence: Evidence[];
}

export interface Setting {
  file: string;
  key: string;
  fact: SettingFact;
}

/** Worst first: the order in which statuses combine across frameworks. */
const RANK: ChecklistStatus[] = ['fail', 'warning', 'needs-review', 'pass', 'not-applicable'];

export function worst(outcomes: Outcome[]): Outcome {
  const sorted = [...outcomes].sort((a, b) => RANK.indexOf(a.status) - RANK.indexOf(b.status));
  const top = sorted[0];
  if (!top) return { status: 'not-applicable', detail: '', evidence: [] };
  // Details of every applicable part, worst first; evidence from all of them.
  const parts = sorted.filter((o) => o.status !== 'not-applicable');
  if (parts.length === 0) return top;
  return {
    status: top.status,
    detail: parts.map((o) => o.detail).join(' '),
    evidence: dedupe(parts.flatMap((o) => o.evidence)),
  };
}

/** One piece of evidence per line: a finding and the setting it is about often share one. */
function dedupe(evidence: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return evidence.filter((e) => {
    const key = `${e.file}:${e.range?.start.line ?? ''}:${e.range ? '' : e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export class Project {
  readonly frameworks = new Set<Framework>();
  readonly pythonFiles: number;

  constructor(readonly input: ChecklistInput) {
    this.pythonFiles = input.files.size;
    for (const { facts } of input.files.values()) {
      for (const f of facts.frameworks) this.frameworks.add(f);
      // A settings module need not import django.
      if (facts.djangoSettings && (facts.settings['INSTALLED_APPS'] || facts.settings['MIDDLEWARE'] || facts.modules.includes('django'))) this.frameworks.add('django');
      // Django REST framework can be enabled by settings alone (views may import it later).
      if (facts.djangoSettings && (facts.settings['REST_FRAMEWORK'] || facts.settings['INSTALLED_APPS']?.items?.includes('rest_framework'))) this.frameworks.add('drf');
    }
    if (this.frameworks.has('fastapi')) this.frameworks.add('starlette');
  }

  get repo(): RepoFacts {
    return this.input.repo;
  }

  get web(): boolean {
    return this.frameworks.size > 0;
  }

  get django(): boolean {
    return this.frameworks.has('django');
  }

  get flask(): boolean {
    return this.frameworks.has('flask');
  }

  /** FastAPI or plain Starlette (FastAPI adds starlette). */
  get asgi(): boolean {
    return this.frameworks.has('starlette');
  }

  get drf(): boolean {
    return this.frameworks.has('drf');
  }

  /**
   * The value a setting has in production: from Django settings modules (`django`) or Flask
   * config (`flask`), ignoring modules and classes for tests and development, preferring ones
   * that say they are for production, and otherwise the last file in path order.
   */
  setting(key: string, scope: 'django' | 'flask'): Setting | null {
    let best: Setting | null = null;
    let bestRank = -1;
    const paths = [...this.input.files.keys()].sort();
    for (const file of paths) {
      const facts = this.input.files.get(file)!.facts;
      if (scope === 'django' ? !facts.djangoSettings || !this.django : facts.djangoSettings && this.django) continue;
      const fact = facts.settings[key];
      if (!fact || fact.env === 'test' || fact.env === 'development') continue;
      const rank = fact.env === 'production' ? 2 : 1;
      if (rank >= bestRank) {
        best = { file, key, fact };
        bestRank = rank;
      }
    }
    return best;
  }

  /** Files that are Django settings modules. */
  usages(pick: (f: PythonFileFacts) => readonly Usage[]): (Usage & { file: string })[] {
    const out: (Usage & { file: string })[] = [];
    for (const [file, { facts }] of [...this.input.files].sort(([a], [b]) => a.localeCompare(b))) {
      for (const u of pick(facts)) out.push({ ...u, file });
    }
    return out;
  }

  findings(rules: readonly string[]): (Finding & { file: string })[] {
    const ids = new Set(rules);
    const out: (Finding & { file: string })[] = [];
    for (const [file, { findings }] of [...this.input.files].sort(([a], [b]) => a.localeCompare(b))) {
      for (const f of findings) if (ids.has(f.ruleId)) out.push({ ...f, file });
    }
    return out;
  }
}

export function settingEvidence(s: Setting, message?: string): Evidence {
  return { file: s.file, range: s.fact.range, message: message ?? `${s.key} = ${s.fact.text}` };
}

export function usageEvidence(u: Usage & { file: string }, message?: string): Evidence {
  return { file: u.file, range: u.range, message: message ?? `${u.what}${u.note ? ` (${u.note})` : ''}` };
}

export function findingEvidence(f: Finding & { file: string }): Evidence {
  return { file: f.file, range: f.range, message: `${f.ruleId} ${f.message}` };
}

/** A setting that holds a truthy value in production: True, a positive number, or read from the environment. */
export function isOn(s: Setting | null): boolean {
  if (!s) return false;
  const f = s.fact;
  return (f.kind === 'bool' && f.bool === true) || (f.kind === 'number' && (f.number ?? 0) > 0) || f.kind === 'env';
}

/** Explicitly off: False, 0, None. */
export function isOff(s: Setting | null): boolean {
  if (!s) return false;
  const f = s.fact;
  return (f.kind === 'bool' && f.bool === false) || (f.kind === 'number' && f.number === 0) || f.kind === 'none';
}

export const pass = (detail: string, evidence: Evidence[] = []): Outcome => ({ status: 'pass', detail, evidence });
export const fail = (detail: string, evidence: Evidence[] = []): Outcome => ({ status: 'fail', detail, evidence });
export const warn = (detail: string, evidence: Evidence[] = []): Outcome => ({ status: 'warning', detail, evidence });
export const review = (detail: string, evidence: Evidence[] = []): Outcome => ({ status: 'needs-review', detail, evidence });
export const na = (detail: string, evidence: Evidence[] = []): Outcome => ({ status: 'not-applicable', detail, evidence });

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
