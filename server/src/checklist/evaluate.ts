// Evaluates every checklist item for a project: pure, from the per-file facts and findings, the
// repository facts and the reviews.

import { Project, type ChecklistInput } from './context';
import { API_ITEMS, DEPENDENCY_ITEMS, DEPLOYMENT_ITEMS, LOGGING_ITEMS, UPLOAD_ITEMS } from './items-more';
import { AUTH_ITEMS, AUTHZ_ITEMS, CSRF_ITEMS, INJECTION_ITEMS, SECRETS_ITEMS, type ItemDef } from './items';
import type { CategoryId, ChecklistCategory, ChecklistItem, ChecklistReport } from './types';

export const CATEGORIES: { id: CategoryId; title: string }[] = [
  { id: 'authentication', title: 'Authentication and sessions' },
  { id: 'authorization', title: 'Authorization' },
  { id: 'injection', title: 'Input validation and injection' },
  { id: 'csrf-cors-cookies', title: 'CSRF, CORS and cookies' },
  { id: 'secrets', title: 'Secrets' },
  { id: 'dependencies', title: 'Dependencies and supply chain' },
  { id: 'uploads', title: 'File uploads' },
  { id: 'api', title: 'API security' },
  { id: 'logging', title: 'Logging and monitoring' },
  { id: 'deployment', title: 'Deployment and infrastructure' },
];

export const ITEMS: readonly ItemDef[] = [
  ...AUTH_ITEMS,
  ...AUTHZ_ITEMS,
  ...INJECTION_ITEMS,
  ...CSRF_ITEMS,
  ...SECRETS_ITEMS,
  ...DEPENDENCY_ITEMS,
  ...UPLOAD_ITEMS,
  ...API_ITEMS,
  ...LOGGING_ITEMS,
  ...DEPLOYMENT_ITEMS,
];

/** Every item id, in display order. */
export const ITEM_IDS: readonly string[] = ITEMS.map((i) => i.id);

export function evaluateChecklist(input: ChecklistInput, now: Date = new Date()): ChecklistReport {
  const project = new Project(input);
  const categories: ChecklistCategory[] = CATEGORIES.map((c) => ({ id: c.id, title: c.title, items: [], passed: 0, applicable: 0 }));
  const byId = new Map(categories.map((c) => [c.id, c]));
  const problems = [...input.repo.problems];
  for (const def of ITEMS) {
    let item: ChecklistItem;
    if (project.pythonFiles === 0) {
      // Not a Python project (or an empty folder): nothing here can be judged, and nothing fails.
      item = { id: def.id, category: def.category, title: def.title, status: 'not-applicable', detail: 'No Python files were found in the project.', evidence: [], rules: def.rules };
    } else {
      let outcome;
      try {
        outcome = def.evaluate(project);
      } catch (e) {
        problems.push(`checklist item ${def.id} failed: ${e instanceof Error ? e.message : String(e)}`);
        outcome = { status: 'needs-review' as const, detail: 'Parapet could not evaluate this item (see problems).', evidence: [] };
      }
      item = { id: def.id, category: def.category, title: def.title, status: outcome.status, detail: outcome.detail, evidence: outcome.evidence, rules: def.rules };
    }
    const review = input.reviews.items[def.id];
    if (review) item.review = review;
    const cat = byId.get(def.category)!;
    cat.items.push(item);
    if (item.status !== 'not-applicable') {
      cat.applicable++;
      if (item.status === 'pass' || item.review) cat.passed++;
    }
  }
  const known = new Set(ITEM_IDS);
  for (const id of Object.keys(input.reviews.items)) {
    if (!known.has(id)) problems.push(`.parapet/checklist.json: review of unknown item ${JSON.stringify(id)} ignored.`);
  }
  return {
    root: input.root,
    generatedAt: now.toISOString(),
    files: project.pythonFiles,
    categories,
    score: { passed: categories.reduce((a, c) => a + c.passed, 0), applicable: categories.reduce((a, c) => a + c.applicable, 0) },
    problems,
  };
}

/** Items whose status reaches the threshold and that no one has reviewed: what `--fail-on` counts. */
export function failingItems(report: ChecklistReport, threshold: 'fail' | 'warning'): ChecklistItem[] {
  const statuses = threshold === 'fail' ? ['fail'] : ['fail', 'warning'];
  return report.categories.flatMap((c) => c.items).filter((i) => statuses.includes(i.status) && !i.review);
}
