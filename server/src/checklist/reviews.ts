// `.parapet/checklist.json`: the reviews a team commits ("reviewed", "accepted risk", with a
// reason). Reading never throws: a broken file is reported and treated as empty, so a typo in
// a shared file cannot break the panel or CI.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Review, ReviewFile } from './types';

export const REVIEW_FILE = path.join('.parapet', 'checklist.json');
const STATUSES = ['reviewed', 'accepted-risk'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function emptyReviews(): ReviewFile {
  return { version: 1, items: {} };
}

export function loadReviews(root: string): { reviews: ReviewFile; problems: string[] } {
  const file = path.join(root, REVIEW_FILE);
  const shown = REVIEW_FILE.split(path.sep).join('/');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { reviews: emptyReviews(), problems: [] };
    return { reviews: emptyReviews(), problems: [`${shown}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)}); reviews ignored.`] };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { reviews: emptyReviews(), problems: [`${shown}: not valid JSON (${e instanceof Error ? e.message : String(e)}); reviews ignored.`] };
  }
  const problems: string[] = [];
  if (!data || typeof data !== 'object' || Array.isArray(data)) return { reviews: emptyReviews(), problems: [`${shown}: expected an object like {"version": 1, "items": {}}; reviews ignored.`] };
  const obj = data as { version?: unknown; items?: unknown };
  if (obj.version !== 1) return { reviews: emptyReviews(), problems: [`${shown}: unsupported "version" ${JSON.stringify(obj.version)} (expected 1); reviews ignored.`] };
  if (!obj.items || typeof obj.items !== 'object' || Array.isArray(obj.items)) return { reviews: emptyReviews(), problems: [`${shown}: "items" must be an object mapping item ids to reviews; reviews ignored.`] };
  const items: Record<string, Review> = {};
  for (const [id, value] of Object.entries(obj.items as Record<string, unknown>)) {
    const why = invalidReview(value);
    if (why) {
      problems.push(`${shown}: review of ${JSON.stringify(id)} ignored: ${why}.`);
      continue;
    }
    const v = value as Review;
    items[id] = { status: v.status, reason: v.reason, date: v.date, ...(v.by !== undefined ? { by: v.by } : {}) };
  }
  return { reviews: { version: 1, items }, problems };
}

function invalidReview(value: unknown): string | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'expected an object with status, reason and date';
  const v = value as Record<string, unknown>;
  if (typeof v['status'] !== 'string' || !STATUSES.includes(v['status'])) return `"status" must be "reviewed" or "accepted-risk", not ${JSON.stringify(v['status'])}`;
  if (typeof v['reason'] !== 'string' || !v['reason'].trim()) return '"reason" must be a non-empty string';
  if (typeof v['date'] !== 'string' || !DATE.test(v['date'])) return `"date" must be YYYY-MM-DD, not ${JSON.stringify(v['date'])}`;
  if (v['by'] !== undefined && typeof v['by'] !== 'string') return '"by" must be a string';
  return null;
}

/** The file's text: keys in a stable order (items by id, fields in a fixed order), trailing newline. */
export function serialiseReviews(reviews: ReviewFile): string {
  const items: Record<string, Review> = {};
  for (const id of Object.keys(reviews.items).sort()) {
    const r = reviews.items[id]!;
    items[id] = { status: r.status, reason: r.reason, date: r.date, ...(r.by !== undefined ? { by: r.by } : {}) };
  }
  return JSON.stringify({ version: 1, items }, null, 2) + '\n';
}

export function saveReviews(root: string, reviews: ReviewFile): void {
  const file = path.join(root, REVIEW_FILE);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.checklist.json.${process.pid}.${Date.now()}.tmp`);
  fs.writeFileSync(tmp, serialiseReviews(reviews));
  try {
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** A new ReviewFile with the item's review set, or removed when `review` is null. */
export function setReview(reviews: ReviewFile, itemId: string, review: Review | null): ReviewFile {
  const items = { ...reviews.items };
  if (review) items[itemId] = { ...review };
  else delete items[itemId];
  return { version: 1, items };
}
