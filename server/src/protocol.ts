// Custom messages between the Parapet server and its clients, declared once. The VS Code client
// imports this file for types and method names only; other editors can ignore these messages.

/** Client -> server, at initialize: `initializationOptions`. */
export interface InitializationOptions {
  /** 'vscode' when the Parapet extension is the client: enables client-side commands. */
  client?: 'vscode';
  /** Settings for clients that cannot answer `workspace/configuration`. */
  settings?: Partial<ParapetSettings>;
}

export type RunMode = 'onType' | 'onSave';

/** The `parapet.*` settings the server reads (VS Code settings or `workspace/configuration`). */
export interface ParapetSettings {
  enable: boolean;
  run: RunMode;
  rules: {
    ignore: string[];
    severity: Record<string, string>;
  };
  minConfidence: 'low' | 'medium' | 'high';
  /** Files larger than this are not analysed. */
  maxFileSizeKb: number;
  /** Baseline file (relative to the workspace folder); its findings are dimmed or hidden. */
  baseline: string;
  baselineMode: 'dim' | 'hide';
}

export const DEFAULT_SETTINGS: ParapetSettings = {
  enable: true,
  run: 'onType',
  rules: { ignore: [], severity: {} },
  minConfidence: 'low',
  maxFileSizeKb: 10 * 1024,
  baseline: '',
  baselineMode: 'dim',
};

/** Server -> client notification: what the server is doing, for the language status item. */
export const StatusNotification = 'parapet/status';
export interface StatusParams {
  state: 'ready' | 'busy' | 'warning' | 'error';
  /** Short text for the status item. */
  text: string;
  /** The document the last analysis was for. */
  uri?: string;
  lastAnalysisMs?: number;
  /**
   * How much of the document the last analysis ran on: functions analysed again, of how many
   * (`calls`: for the dataflow rules); null when it ran on the whole file.
   */
  reanalysed?: { units: number; of: number; calls?: number | null } | null;
  findings?: number;
  /** Configuration problems and analysis notices still in force. */
  problems: string[];
}

/** Client -> server request: the rendered documentation of a rule. */
export const RuleDocumentationRequest = 'parapet/ruleDocumentation';
export interface RuleDocumentationParams {
  rule: string;
}
export interface RuleDocumentationResult {
  id: string;
  name: string;
  markdown: string;
}

/** Client -> server request: every rule, for pickers. */
export const RulesRequest = 'parapet/rules';
export interface RuleSummary {
  id: string;
  name: string;
  summary: string;
  severity: string;
  fix: string;
  owasp2025: string;
  owasp2021: string;
  cwe: number[];
  enabledByDefault: boolean;
}

/** Commands the server executes (`workspace/executeCommand`). */
export const ServerCommands = {
  /** Arguments: [{ uri: string, version?: number }]. Applies every safe fix. */
  applyAutoFixes: 'parapet.server.applyAutoFixes',
  /** Arguments: [ruleId]. Opens the rule's documentation (for clients without the extension). */
  openRuleDocs: 'parapet.server.openRuleDocs',
} as const;

/** Commands the VS Code extension implements; the server puts them into code actions. */
export const ClientCommands = {
  showRuleDocumentation: 'parapet.showRuleDocumentation',
} as const;

export const FIX_ALL_KIND = 'source.fixAll.parapet';

// --- The security checklist panel (issue 5) -------------------------------------------------

/**
 * Client -> server request: the checklist of every workspace folder. The first request starts
 * the background workspace scan (with work-done progress); until it ends, reports carry
 * `scan.state === 'scanning'` and are re-sent through `ChecklistChangedNotification`.
 */
export const ChecklistRequest = 'parapet/checklist';
export interface ChecklistParams {
  /** Start a new scan even if one has completed (the panel's Refresh button). */
  rescan?: boolean;
}
export interface ScanState {
  state: 'idle' | 'scanning' | 'done' | 'cancelled';
  done: number;
  total: number;
}
export interface WorkspaceChecklist {
  /** Workspace folder URI. */
  folder: string;
  scan: ScanState;
  report: import('./checklist/types').ChecklistReport | null;
}
export type ChecklistResult = WorkspaceChecklist[];

/** Server -> client notification: the checklist or the findings changed; ask again. */
export const ChecklistChangedNotification = 'parapet/checklistChanged';

/** Client -> server request: findings of the workspace grouped by OWASP Top 10:2025 category. */
export const FindingsByOwaspRequest = 'parapet/findingsByOwasp';
export interface OwaspGroup {
  category: string;
  title: string;
  rules: { ruleId: string; ruleName: string; findings: (import('./checklist/types').FindingSummary & { folder: string })[] }[];
}

/** Client -> server request: record (or clear, with `review: null`) a person's review of an item. */
export const SetReviewRequest = 'parapet/setReview';
export interface SetReviewParams {
  folder: string;
  itemId: string;
  review: import('./checklist/types').Review | null;
}

/** Client -> server request: write the Markdown security report to `target` (a file path the user chose). */
export const ExportReportRequest = 'parapet/exportReport';
export interface ExportReportParams {
  folder: string;
  target: string;
}
