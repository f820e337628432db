// The project-wide security checklist (issue 5): the API the CLI, the language server and the
// tests use. Everything but `scanProject`, `repoFacts` and the review file functions is pure.

export type { ChecklistInput } from './context';
export { CATEGORIES, ITEM_IDS, evaluateChecklist, failingItems } from './evaluate';
export { pythonFileFacts, type EndpointFact, type Framework, type PythonFileFacts, type SettingFact, type SettingValue, type Usage } from './python-facts';
export { findingsByOwasp, evidenceLocation, renderMarkdown, STATUS_WORD, type OwaspGroup } from './render';
export { readGitIndex, repoFacts, type Dockerfile, type RepoFacts, type RequirementsFile, type ScannerUse, type SensitiveFile } from './repo-facts';
export { emptyReviews, loadReviews, REVIEW_FILE, saveReviews, serialiseReviews, setReview } from './reviews';
export { scanProject, type ScanOptions } from './scan';
export type * from './types';
