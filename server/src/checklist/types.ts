// The project-wide security checklist (issue 5): plain data shared by the checklist engine,
// the CLI (`parapet checklist`), the language server (custom requests) and the client panel.
// Nothing here knows about LSP; positions are 0-based like the engine's `Range`.

import type { Finding, Range, Severity } from '../engine/types';

export type ChecklistStatus = 'pass' | 'fail' | 'warning' | 'not-applicable' | 'needs-review';

/** The ten sections of the checklist in ../shared/seeds, in display order. */
export type CategoryId =
  | 'authentication'
  | 'authorization'
  | 'injection'
  | 'csrf-cors-cookies'
  | 'secrets'
  | 'dependencies'
  | 'uploads'
  | 'api'
  | 'logging'
  | 'deployment';

/** A file and (optionally) a place in it that supports an item's status. */
export interface Evidence {
  /** Path relative to the project root, with `/` separators. */
  file: string;
  /** Where in the file; absent for whole-file evidence (a lock file, a missing `.gitignore`). */
  range?: Range;
  /** One line: what this location shows ("SESSION_COOKIE_SECURE = False", "pinned with hashes"). */
  message: string;
}

/** A person's decision about an item, stored in `.parapet/checklist.json` to be committed. */
export interface Review {
  status: 'reviewed' | 'accepted-risk';
  reason: string;
  /** ISO date (YYYY-MM-DD). */
  date: string;
  by?: string;
}

export interface ReviewFile {
  version: 1;
  /** Item id to the decision. */
  items: Record<string, Review>;
}

export interface ChecklistItem {
  /** Stable id, `category.slug`: `secrets.env-not-committed`. */
  id: string;
  category: CategoryId;
  title: string;
  /** Status computed from the code; a review does not change it (see `review`). */
  status: ChecklistStatus;
  /** One or two sentences: why this status (shown as the tooltip). */
  detail: string;
  evidence: Evidence[];
  /** Rule ids whose findings feed this item, if any. */
  rules: string[];
  review?: Review;
}

export interface ChecklistCategory {
  id: CategoryId;
  title: string;
  items: ChecklistItem[];
  /** Items that pass, or that a person marked reviewed / accepted. */
  passed: number;
  /** Items that are not `not-applicable`. */
  applicable: number;
}

export interface FindingSummary {
  file: string;
  ruleId: string;
  ruleName: string;
  message: string;
  severity: Severity;
  range: Range;
}

export interface ChecklistReport {
  /** Absolute path of the project root. */
  root: string;
  /** ISO timestamp of the evaluation. */
  generatedAt: string;
  /** Python files analysed. */
  files: number;
  categories: ChecklistCategory[];
  score: { passed: number; applicable: number };
  /** Problems reading the project (invalid review file, unreadable files), shown to the user. */
  problems: string[];
}

/** What a rule finding contributes: the findings of every analysed file, by relative path. */
export type FindingsByFile = ReadonlyMap<string, readonly Finding[]>;
