// What a person sees in the editor, read from the page: squiggles (mapped back to the line
// number and the text under them), the hover, the quick-fix menu, the Problems panel.

import * as fs from 'node:fs';

import type { Page } from 'playwright-core';

export interface Squiggle {
  line: number;
  text: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
}

const EDITOR = '.part.editor .editor-instance';

/** Squiggles in the active editor, as (line, text under the squiggle). */
export async function squiggles(page: Page): Promise<Squiggle[]> {
  return page.evaluate((editorSel) => {
    const editor = document.querySelector(editorSel);
    if (!editor) return [];
    const nums = [...editor.querySelectorAll('.margin-view-overlays .line-numbers')].map((e) => ({ n: Number(e.textContent!.trim()), r: e.getBoundingClientRect() }));
    const lines = [...editor.querySelectorAll('.view-lines .view-line')];
    const out: { line: number; text: string; severity: 'error' | 'warning' | 'info' | 'hint' }[] = [];
    for (const s of editor.querySelectorAll('.squiggly-error, .squiggly-warning, .squiggly-info')) {
      const r = s.getBoundingClientRect();
      const mid = (r.top + r.bottom) / 2;
      const num = nums.find((x) => mid >= x.r.top && mid <= x.r.bottom);
      const vl = lines.find((v) => {
        const b = v.getBoundingClientRect();
        return mid >= b.top && mid <= b.bottom;
      });
      if (!num || !vl) continue;
      let text = '';
      const walker = document.createTreeWalker(vl, NodeFilter.SHOW_TEXT);
      for (let t = walker.nextNode(); t; t = walker.nextNode()) {
        for (let i = 0; i < t.textContent!.length; i++) {
          const range = document.createRange();
          range.setStart(t, i);
          range.setEnd(t, i + 1);
          const b = range.getBoundingClientRect();
          const c = (b.left + b.right) / 2;
          if (c >= r.left && c <= r.right) text += t.textContent![i];
        }
      }
      const cls = s.className;
      const severity = cls.includes('squiggly-error') ? 'error' : cls.includes('squiggly-warning') ? 'warning' : 'info';
      out.push({ line: num.n, text: text.replace(/\u00a0/g, ' '), severity });
    }
    return out.sort((a, b) => a.line - b.line);
  }, EDITOR);
}

/** Waits until the squiggles satisfy `ok`; returns them (or throws with what was seen). */
export async function waitForSquiggles(page: Page, ok: (s: Squiggle[]) => boolean, timeoutMs = 30_000): Promise<Squiggle[]> {
  const deadline = Date.now() + timeoutMs;
  let last: Squiggle[] = [];
  while (Date.now() < deadline) {
    last = await squiggles(page);
    if (ok(last)) return last;
    await page.waitForTimeout(250);
  }
  throw new Error(`squiggles did not reach the expected state; last seen: ${JSON.stringify(last)}`);
}

/** Centre of `text` (its `occurrence`-th match) on a line, in page coordinates. */
export async function textPosition(page: Page, line: number, text: string, at = 0.5): Promise<{ x: number; y: number }> {
  const pos = await page.evaluate(
    ({ editorSel, line, text, at }) => {
      const editor = document.querySelector(editorSel);
      if (!editor) return null;
      const num = [...editor.querySelectorAll('.margin-view-overlays .line-numbers')].find((e) => e.textContent!.trim() === String(line));
      if (!num) return null;
      const nr = num.getBoundingClientRect();
      const vl = [...editor.querySelectorAll('.view-lines .view-line')].find((v) => {
        const b = v.getBoundingClientRect();
        return Math.abs(b.top - nr.top) < 3;
      });
      if (!vl) return null;
      const chars: { ch: string; r: DOMRect }[] = [];
      const walker = document.createTreeWalker(vl, NodeFilter.SHOW_TEXT);
      for (let t = walker.nextNode(); t; t = walker.nextNode()) {
        for (let i = 0; i < t.textContent!.length; i++) {
          const range = document.createRange();
          range.setStart(t, i);
          range.setEnd(t, i + 1);
          chars.push({ ch: t.textContent![i]!.replace('\u00a0', ' '), r: range.getBoundingClientRect() });
        }
      }
      const full = chars.map((c) => c.ch).join('');
      const idx = full.indexOf(text);
      if (idx < 0) return null;
      const first = chars[idx]!.r;
      const last = chars[idx + text.length - 1]!.r;
      return { x: first.left + (last.right - first.left) * at, y: (first.top + first.bottom) / 2 };
    },
    { editorSel: EDITOR, line, text, at },
  );
  if (!pos) throw new Error(`"${text}" is not visible on line ${line}`);
  return pos;
}

export interface HoverContent {
  text: string;
  links: string[];
}

/** Hovers over `text` on `line` and returns the hover once it shows `expect`. */
export async function hover(page: Page, line: number, text: string, expect: RegExp): Promise<HoverContent> {
  await page.mouse.move(1, 1);
  await page.waitForTimeout(200);
  const { x, y } = await textPosition(page, line, text);
  await page.mouse.move(x, y);
  const deadline = Date.now() + 15_000;
  let last: HoverContent | null = null;
  while (Date.now() < deadline) {
    const h = await page.evaluate(() => {
      const el = [...document.querySelectorAll('.monaco-hover:not(.hidden)')].find((e) => (e as HTMLElement).offsetParent !== null) as HTMLElement | undefined;
      if (!el) return null;
      const links = [...el.querySelectorAll('a')].map((a) => a.getAttribute('data-href') ?? a.getAttribute('href') ?? '').filter(Boolean);
      return { text: el.innerText, links };
    });
    // The diagnostic part shows first; the hover provider's part can arrive later.
    if (h && expect.test(h.text) && !/Checking for quick fixes|Loading/.test(h.text)) return h;
    last = h;
    await page.waitForTimeout(200);
  }
  throw new Error(`the hover over "${text}" on line ${line} never showed ${expect}; last: ${JSON.stringify(last)}`);
}

/** Opens the quick-fix menu on `text` and returns the titles it offers. */
export async function openQuickFix(page: Page, line: number, text: string): Promise<string[]> {
  await page.keyboard.press('Escape');
  const { x, y } = await textPosition(page, line, text, 0.3);
  await page.mouse.click(x, y);
  const widget = page.locator('.action-widget:not(.action-list-submenu-panel)');
  // The light bulb appears once the code actions for the cursor are known; Ctrl+. before that
  // can be swallowed, so wait for it and retry the key a few times.
  await page.locator('.part.editor .lightBulbWidget, .part.editor .codicon-light-bulb, .part.editor .codicon-lightbulb-autofix').first().waitFor({ timeout: 15_000 }).catch(() => undefined);
  for (let attempt = 0; attempt < 4; attempt++) {
    await page.keyboard.press('Control+.');
    if (await widget.waitFor({ state: 'visible', timeout: 4000 }).then(() => true, () => false)) break;
  }
  await widget.waitFor({ state: 'visible', timeout: 5000 });
  // Entries arrive once the code action request resolves.
  await page.waitForFunction(() => document.querySelectorAll('.action-widget .action-list-item, .action-widget .monaco-list-row').length > 0, undefined, { timeout: 15_000 });
  return widget.locator('.action-list-item .title, .monaco-list-row .title').allInnerTexts();
}

/** Applies the quick fix whose title starts with `title`. */
export async function applyQuickFix(page: Page, line: number, text: string, title: string): Promise<string[]> {
  const titles = await openQuickFix(page, line, text);
  const item = page.locator('.action-widget:not(.action-list-submenu-panel) .action-list-item, .action-widget:not(.action-list-submenu-panel) .monaco-list-row').filter({ hasText: title }).first();
  if ((await item.count()) === 0) throw new Error(`no quick fix "${title}"; offered: ${titles.join(' | ')}`);
  await item.click();
  return titles;
}

/** Rows of the Problems panel (message and code), after opening it. */
export async function problems(page: Page): Promise<string[]> {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible())) await page.keyboard.press('Control+Shift+M');
  await panel.waitFor({ state: 'visible', timeout: 10_000 });
  await page.waitForTimeout(300);
  return panel.locator('.monaco-list-row').allInnerTexts();
}

/** Puts the cursor at (line, column) with Go to Line. */
export async function goTo(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press('Escape');
  await page.locator(EDITOR).first().click({ position: { x: 200, y: 10 } });
  await page.keyboard.press('Control+g');
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press('Enter');
}

/**
 * Saves the active editor and waits until the file on disk holds what the editor shows: the tab
 * is no longer dirty and the file's content has settled. A fixed wait here once read the file
 * before a slow CI machine had written it.
 */
export async function save(page: Page, file: string): Promise<string> {
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.keyboard.press('Control+s');
    const clean = await page
      .waitForFunction(() => !document.querySelector('.part.editor .tab.active.dirty'), undefined, { timeout: 10_000 })
      .then(() => true, () => false);
    if (clean) break;
    // Focus may have been somewhere else (a closing widget): put it back in the text and retry.
    await page.locator(`${EDITOR} .view-lines`).first().click({ position: { x: 5, y: 5 } });
  }
  // The tab turns clean when the write is issued; poll until two reads agree.
  let last = fs.readFileSync(file, 'utf8');
  for (let i = 0; i < 20; i++) {
    await page.waitForTimeout(150);
    const now = fs.readFileSync(file, 'utf8');
    if (now === last) return now;
    last = now;
  }
  return last;
}

/** Runs a command from the Command Palette by its title. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: title }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
}

/**
 * Changes user settings the way a person does: Preferences: Open User Settings (JSON), replace
 * the content, save, close. (VS Code 1.139 opens it in a modal editor over the workbench.)
 */
export async function editUserSettings(page: Page, settings: Record<string, unknown>): Promise<void> {
  await runCommand(page, 'Preferences: Open User Settings (JSON)');
  const editor = page.locator('.monaco-editor').filter({ hasText: 'workbench.startupEditor' }).last();
  await editor.waitFor({ state: 'visible', timeout: 15_000 });
  await editor.locator('.view-lines').click({ position: { x: 400, y: 10 } });
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  // One line, inserted as text: no auto-closing brackets, no auto-indent.
  await page.keyboard.insertText(JSON.stringify(settings));
  await page.keyboard.press('Control+s');
  await page.waitForTimeout(500);
  // The first Escape may only clear the editor's own state (selection, widgets).
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Escape');
    if (await editor.waitFor({ state: 'hidden', timeout: 1500 }).then(() => true, () => false)) return;
  }
  await page.locator('[aria-label^="Close Modal Editor"]').first().click({ force: true });
  await editor.waitFor({ state: 'hidden', timeout: 10_000 });
}

export interface NotebookCellView {
  text: string;
  squiggles: string[];
}

/** The code cells of the open notebook: their text and the text under each squiggle. */
export async function notebookCells(page: Page): Promise<NotebookCellView[]> {
  return page.evaluate(() => {
    const out: { text: string; squiggles: string[] }[] = [];
    for (const editor of document.querySelectorAll('.notebook-editor .cell-editor-container .monaco-editor')) {
      const lines = [...editor.querySelectorAll('.view-lines .view-line')].sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
      const text = lines.map((l) => (l as HTMLElement).innerText.replace(/\u00a0/g, ' ')).join('\n');
      const squiggles: string[] = [];
      for (const s of editor.querySelectorAll('.squiggly-error, .squiggly-warning')) {
        const r = s.getBoundingClientRect();
        let under = '';
        for (const l of lines) {
          const walker = document.createTreeWalker(l, NodeFilter.SHOW_TEXT);
          for (let t = walker.nextNode(); t; t = walker.nextNode()) {
            for (let i = 0; i < t.textContent!.length; i++) {
              const range = document.createRange();
              range.setStart(t, i);
              range.setEnd(t, i + 1);
              const b = range.getBoundingClientRect();
              const cx = (b.left + b.right) / 2;
              const cy = (b.top + b.bottom) / 2;
              if (cx >= r.left && cx <= r.right && cy >= r.top - 4 && cy <= r.bottom + 4) under += t.textContent![i];
            }
          }
        }
        squiggles.push(under.replace(/\u00a0/g, ' '));
      }
      out.push({ text, squiggles });
    }
    return out;
  });
}

export interface TreeRow {
  label: string;
  description: string;
  level: number;
}

/** The Security Checklist view's pane. */
export function checklistPane(page: Page) {
  return page.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: 'Security Checklist' }) }).first();
}

/** Rows of the Security Checklist tree as a person reads them: label, description, depth (read at once). */
export async function checklistRows(page: Page): Promise<TreeRow[]> {
  return page.evaluate(() => {
    const pane = [...document.querySelectorAll('.pane')].find((p) => p.querySelector('.pane-header')?.textContent?.includes('Security Checklist'));
    if (!pane) return [];
    return [...pane.querySelectorAll('.pane-body .monaco-list-row')]
      .map((row) => ({
        label: (row.querySelector('.label-name')?.textContent ?? '').trim(),
        description: (row.querySelector('.label-description')?.textContent ?? '').trim(),
        level: Number(row.getAttribute('aria-level')),
        top: (row as HTMLElement).getBoundingClientRect().top,
      }))
      .sort((a, b) => a.top - b.top)
      .map(({ label, description, level }) => ({ label, description, level }));
  });
}

/**
 * Moves the mouse off whatever it rests on and waits for any workbench hover (a tree item's
 * tooltip, say) to go away, so it cannot sit on top of the next thing clicked. A person moves the
 * mouse too; a test that clicks where the pointer was left gets its click eaten by the tooltip.
 */
export async function dismissHovers(page: Page): Promise<void> {
  const size = page.viewportSize() ?? { width: 1280, height: 800 };
  // The middle of the editor area's lower half: no tree, no status bar, no activity bar.
  await page.mouse.move(Math.round(size.width * 0.75), Math.round(size.height * 0.85));
  const hover = page.locator('.context-view .hover-contents, .workbench-hover');
  try {
    await hover.first().waitFor({ state: 'hidden', timeout: 3_000 });
  } catch {
    await page.keyboard.press('Escape');
    await hover.first().waitFor({ state: 'hidden', timeout: 3_000 }).catch(() => undefined);
  }
}

/** Clicks a row of the Security Checklist tree by its text, then moves the pointer away. */
export async function clickChecklistRow(page: Page, text: string, options: { button?: 'left' | 'right' } = {}): Promise<void> {
  await dismissHovers(page);
  await checklistPane(page).locator('.monaco-list-row').filter({ hasText: text }).first().click(options);
  if (options.button !== 'right') await dismissHovers(page);
}

/** Waits until the checklist rows satisfy `ok`. */
export async function waitForChecklist(page: Page, ok: (rows: TreeRow[]) => boolean, timeoutMs = 60_000): Promise<TreeRow[]> {
  const deadline = Date.now() + timeoutMs;
  let rows = await checklistRows(page);
  while (!ok(rows)) {
    if (Date.now() > deadline) throw new Error(`checklist never matched; rows: ${rows.map((r) => `${'  '.repeat(r.level - 1)}${r.label} [${r.description}]`).join('\n')}`);
    await page.waitForTimeout(300);
    rows = await checklistRows(page);
  }
  return rows;
}
