// Editor settings (`parapet.*`) per resource, pulled with `workspace/configuration` and cached
// until the client says they changed. A value of the wrong type is reported once and replaced
// by its default; the other settings still apply.

import type { Connection } from 'vscode-languageserver/node';
import { DEFAULT_SETTINGS, type ParapetSettings } from '../protocol';

export interface SettingsProblem {
  message: string;
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** Validates raw settings; returns a complete object and the problems found. */
export function normalizeSettings(raw: unknown): { settings: ParapetSettings; problems: SettingsProblem[] } {
  const problems: SettingsProblem[] = [];
  const s: ParapetSettings = structuredClone(DEFAULT_SETTINGS);
  if (raw === null || raw === undefined) return { settings: s, problems };
  if (typeof raw !== 'object') {
    problems.push({ message: `Setting "parapet" must be an object, not ${JSON.stringify(raw)}; defaults used.` });
    return { settings: s, problems };
  }
  const r = raw as Record<string, unknown>;
  const wrong = (key: string, want: string, value: unknown): void => {
    problems.push({ message: `Setting "parapet.${key}" must be ${want}, not ${JSON.stringify(value)}; the default is used.` });
  };
  if (r['enable'] !== undefined) {
    if (typeof r['enable'] === 'boolean') s.enable = r['enable'];
    else wrong('enable', 'true or false', r['enable']);
  }
  if (r['run'] !== undefined) {
    if (r['run'] === 'onType' || r['run'] === 'onSave') s.run = r['run'];
    else wrong('run', '"onType" or "onSave"', r['run']);
  }
  if (r['minConfidence'] !== undefined) {
    const v = r['minConfidence'];
    if (v === 'low' || v === 'medium' || v === 'high') s.minConfidence = v;
    else wrong('minConfidence', '"low", "medium" or "high"', v);
  }
  if (r['maxFileSizeKb'] !== undefined) {
    const v = r['maxFileSizeKb'];
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) s.maxFileSizeKb = v;
    else wrong('maxFileSizeKb', 'a positive number', v);
  }
  if (r['baseline'] !== undefined) {
    if (typeof r['baseline'] === 'string') s.baseline = r['baseline'];
    else wrong('baseline', 'a file path', r['baseline']);
  }
  if (r['baselineMode'] !== undefined) {
    if (r['baselineMode'] === 'dim' || r['baselineMode'] === 'hide') s.baselineMode = r['baselineMode'];
    else wrong('baselineMode', '"dim" or "hide"', r['baselineMode']);
  }
  const rules = r['rules'];
  if (rules !== undefined) {
    if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) wrong('rules', 'an object', rules);
    else {
      const rr = rules as Record<string, unknown>;
      if (rr['ignore'] !== undefined) {
        if (isStringArray(rr['ignore'])) s.rules.ignore = rr['ignore'];
        else wrong('rules.ignore', 'a list of rule ids', rr['ignore']);
      }
      if (rr['severity'] !== undefined) {
        const sev = rr['severity'];
        if (typeof sev !== 'object' || sev === null || Array.isArray(sev)) wrong('rules.severity', 'an object of rule id to severity', sev);
        else {
          for (const [k, v] of Object.entries(sev as Record<string, unknown>)) {
            if (v === 'error' || v === 'warning' || v === 'info' || v === 'hint') s.rules.severity[k] = v;
            else wrong(`rules.severity.${k}`, '"error", "warning", "info" or "hint"', v);
          }
        }
      }
    }
  }
  return { settings: s, problems };
}

export class SettingsStore {
  private cache = new Map<string, Promise<ParapetSettings>>();
  private reported = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly canPull: () => boolean,
    private readonly fallback: () => unknown,
    private readonly report: (problems: SettingsProblem[]) => void,
  ) {}

  /** Settings for a document (or the workspace when `uri` is undefined). */
  get(uri: string | undefined): Promise<ParapetSettings> {
    const key = uri ?? '';
    let p = this.cache.get(key);
    if (!p) {
      p = this.fetch(uri);
      this.cache.set(key, p);
    }
    return p;
  }

  private async fetch(uri: string | undefined): Promise<ParapetSettings> {
    let raw: unknown = this.fallback();
    if (this.canPull()) {
      try {
        // A client with nothing configured for `parapet` answers null: keep the settings from
        // initializationOptions (Helix `config`, Zed `initialization_options`) then.
        raw = (await this.connection.workspace.getConfiguration(uri ? { scopeUri: uri, section: 'parapet' } : { section: 'parapet' })) ?? raw;
      } catch (e) {
        this.connection.console.warn(`Could not read settings: ${e instanceof Error ? e.message : String(e)}; defaults used.`);
      }
    }
    const { settings, problems } = normalizeSettings(raw);
    const fresh = problems.filter((p) => !this.reported.has(p.message));
    for (const p of fresh) this.reported.add(p.message);
    if (fresh.length) this.report(fresh);
    return settings;
  }

  clear(): void {
    this.cache.clear();
    this.reported.clear();
  }
}
