// End-to-end: the packaged extension in a real VS Code (code-server) driven through the UI by
// a real browser. Each test asserts what a person sees and saves a screenshot per step under
// test-results/e2e/<session>/shots/; on failure the screenshot, the Parapet output log and
// code-server's log are kept next to them.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyQuickFix, checklistPane, clickChecklistRow, dismissHovers, editUserSettings, waitForChecklist, hover, notebookCells, textPosition, openQuickFix, problems, runCommand, save, squiggles, waitForSquiggles, type Squiggle } from './editor';
import { CLEAN_SETTINGS, Session } from './harness';

const HEADLINE = `import random
import sqlite3

import jwt


def reset_password(conn, email):
    reset_code = random.randint(100000, 999999)
    conn.execute(f"UPDATE users SET code = {reset_code} WHERE email = '{email}'")
    return reset_code


def current_user(token, key):
    return jwt.decode(token, key)
`;

const NOTEBOOK = JSON.stringify(
  {
    cells: [
      { cell_type: 'code', metadata: {}, outputs: [], execution_count: null, source: ['import random\n', 'import sqlite3'] },
      { cell_type: 'markdown', metadata: {}, source: ['# Reset codes'] },
      { cell_type: 'code', metadata: {}, outputs: [], execution_count: null, source: ['reset_code = random.randint(100000, 999999)'] },
    ],
    metadata: { kernelspec: { language: 'python', name: 'python3', display_name: 'Python 3' }, language_info: { name: 'python' } },
    nbformat: 4,
    nbformat_minor: 5,
  },
  null,
  1,
);

const DJANGO_SETTINGS = `import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = True
ALLOWED_HOSTS = ["shop.example.com"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
`;

const RANDOM = { line: 8, text: 'random.randint(100000, 999999)' };
const SQL = { line: 9, text: `f"UPDATE users SET code = {reset_code} WHERE email = '{email}'"` };
const JWT = { line: 14, text: 'jwt.decode' };

const at = (s: Squiggle[]): string[] => s.map((x) => `${x.line}:${x.text}:${x.severity}`);
const headline = (s: Squiggle[]): boolean => s.length >= 3;

function files(names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, HEADLINE]));
}

describe('end to end in VS Code (code-server + chromium)', function () {
  this.timeout(600_000);
  let session: Session;

  before(async function () {
    this.timeout(1_200_000);
    session = new Session({
      name: 'editor',
      files: {
        ...files(['headline.py', 'fix-each.py', 'fix-all.py', 'ignore.py', 'settings.py']),
        'typing.py': 'import yaml\n\n\ndef parse(data):\n    return data\n',
        'analysis.ipynb': NOTEBOOK,
      },
    });
    await session.start();
  });

  after(async () => {
    await session?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && session?.page) {
      const name = this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
      await session.page.screenshot({ path: path.join(session.dir, `FAILED-${name}.png`) }).catch(() => undefined);
      session.collectLogs();
      process.stderr.write(`[e2e] evidence for "${this.currentTest.title}": ${session.dir}\n`);
    }
  });

  it('1. shows the three headline problems as squiggles where they are, and in the Problems panel', async () => {
    await session.open('headline.py');
    const s = await waitForSquiggles(session.page, headline, 90_000);
    await session.screenshot('headline-squiggles');
    assert.deepEqual(at(s), [`${RANDOM.line}:${RANDOM.text}:error`, `${SQL.line}:${SQL.text}:error`, `${JWT.line}:${JWT.text}:error`]);
    // The status bar item counts the file's findings and opens the Problems view.
    const status = session.page.locator('.statusbar .statusbar-item').filter({ has: session.page.locator('.codicon-shield') }).first();
    await session.page.waitForFunction(
      () => [...document.querySelectorAll('.statusbar .statusbar-item')].some((e) => e.querySelector('.codicon-shield') && (e.textContent ?? '').trim() === '3'),
      undefined,
      { timeout: 30_000 },
    );
    await status.click();
    await session.page.locator('.markers-panel').first().waitFor({ state: 'visible', timeout: 15_000 });
    const rows = await problems(session.page);
    await session.screenshot('problems-panel');
    const joined = rows.join('\n');
    for (const code of ['SEC311', 'SEC608', 'SEC520']) assert.ok(joined.includes(code), `Problems panel lists ${code}:\n${joined}`);
    assert.ok(/predictable/.test(joined) && /SQL built with f-string/.test(joined) && /algorithms=/.test(joined), joined);
    await session.page.keyboard.press('Control+Shift+M');
  });

  it('2. hover shows the rule, the OWASP Top 10 2025 and 2021 categories and the CWE, with links', async () => {
    const h = await hover(session.page, JWT.line, JWT.text, /OWASP Top 10[\s\S]*CWE-347/);
    await session.screenshot('hover-jwt');
    assert.match(h.text, /SEC520 jwt-decode-without-algorithms/);
    assert.match(h.text, /A07:2025 Authentication Failures/);
    assert.match(h.text, /A07:2021 Identification and Authentication Failures/);
    assert.match(h.text, /CWE-347/);
    assert.ok(h.links.some((l) => l.startsWith('https://owasp.org/Top10/2025/A07_2025')), h.links.join('\n'));
    assert.ok(h.links.some((l) => l.startsWith('https://owasp.org/Top10/A07_2021')), h.links.join('\n'));
    assert.ok(h.links.some((l) => l === 'https://cwe.mitre.org/data/definitions/347.html'), h.links.join('\n'));
    const sql = await hover(session.page, SQL.line, 'UPDATE users', /OWASP Top 10[\s\S]*CWE-89/);
    await session.screenshot('hover-sql');
    assert.match(sql.text, /A05:2025 Injection/);
    assert.match(sql.text, /A03:2021 Injection/);
    assert.match(sql.text, /CWE-89/);
  });

  it('3. each headline quick fix produces the expected code and clears its squiggle', async () => {
    await session.open('fix-each.py');
    await waitForSquiggles(session.page, headline, 90_000);
    const file = path.join(session.workspace, 'fix-each.py');

    const sqlTitles = await applyQuickFix(session.page, SQL.line, 'UPDATE', 'Use a parameterised query');
    assert.ok(sqlTitles.some((t) => /Ignore SEC608 on this line/.test(t)), sqlTitles.join(' | '));
    assert.ok(sqlTitles.some((t) => /Show documentation for SEC608/.test(t)), sqlTitles.join(' | '));
    await waitForSquiggles(session.page, (s) => !s.some((x) => x.text.includes('UPDATE')));
    await session.screenshot('after-sql-fix');

    await applyQuickFix(session.page, RANDOM.line, 'random.randint', 'Use `secrets.randbelow()`');
    // `import secrets` moved everything down a line.
    await waitForSquiggles(session.page, (s) => !s.some((x) => x.text.includes('random')));
    await session.screenshot('after-random-fix');

    await applyQuickFix(session.page, JWT.line + 1, 'jwt.decode', 'Add `algorithms=');
    await waitForSquiggles(session.page, (s) => s.length === 0);
    await session.screenshot('after-jwt-fix');
    const text = await save(session.page, file);
    assert.match(text, /^import random\nimport sqlite3\n\nimport jwt\nimport secrets\n/);
    assert.match(text, /reset_code = secrets\.randbelow\(900000\) \+ 100000/);
    assert.match(text, /conn\.execute\("UPDATE users SET code = \? WHERE email = \?", \(reset_code, email\)\)/);
    assert.match(text, /return jwt\.decode\(token, key, algorithms=\["HS256"\]\)/);
  });

  it('3b. Fix All applies the safe fixes only', async () => {
    await session.open('fix-all.py');
    await waitForSquiggles(session.page, headline, 90_000);
    await runCommand(session.page, 'Parapet: Fix All Auto-fixable Problems');
    const s = await waitForSquiggles(session.page, (x) => x.length === 1);
    await session.screenshot('after-fix-all');
    assert.deepEqual(s.map((x) => x.text), ['jwt.decode'], 'the unsafe HS256 assumption is left for the user');
    const text = await save(session.page, path.join(session.workspace, 'fix-all.py'));
    assert.match(text, /secrets\.randbelow\(900000\) \+ 100000/);
    assert.match(text, /conn\.execute\("UPDATE users SET code = \? WHERE email = \?", \(reset_code, email\)\)/);
    assert.match(text, /return jwt\.decode\(token, key\)\n/);
  });

  it('4. typing a new problem shows a squiggle without saving; deleting it clears it', async () => {
    await session.open('typing.py');
    await session.page.waitForTimeout(1500);
    assert.deepEqual(await squiggles(session.page), []);
    const { x, y } = await textPosition(session.page, 5, 'return data', 1);
    await session.page.mouse.click(x + 5, y);
    await session.page.keyboard.press('End');
    await session.page.waitForTimeout(200);
    await session.page.keyboard.press('Enter');
    await session.page.waitForTimeout(200);
    await session.page.keyboard.type('cfg = yaml.load(data)', { delay: 15 });
    const s = await waitForSquiggles(session.page, (x) => x.some((q) => q.text.startsWith('yaml.load')));
    await session.screenshot('typed-yaml-load');
    assert.equal(s.find((q) => q.text.startsWith('yaml.load'))!.line, 6);
    assert.ok(!fs.readFileSync(path.join(session.workspace, 'typing.py'), 'utf8').includes('yaml.load'), 'not saved');
    await session.page.keyboard.press('Control+Shift+K');
    await waitForSquiggles(session.page, (x) => x.length === 0);
    await session.screenshot('deleted-yaml-load');
  });

  it('5. "Ignore SECnnn on this line" adds the comment and clears the squiggle', async () => {
    await session.open('ignore.py');
    await waitForSquiggles(session.page, headline, 90_000);
    const titles = await openQuickFix(session.page, RANDOM.line, 'random.randint');
    await session.screenshot('quick-fix-menu');
    assert.ok(titles.some((t) => t.startsWith('Use `secrets.randbelow()`')), titles.join(' | '));
    assert.ok(titles.includes('Ignore SEC311 on this line'), titles.join(' | '));
    await session.page.keyboard.press('Escape');
    await applyQuickFix(session.page, RANDOM.line, 'random.randint', 'Ignore SEC311 on this line');
    await waitForSquiggles(session.page, (s) => s.length === 2 && !s.some((x) => x.text.startsWith('random')));
    await session.screenshot('after-ignore');
    assert.match(await save(session.page, path.join(session.workspace, 'ignore.py')), /reset_code = random\.randint\(100000, 999999\)  # parapet: ignore\[SEC311\]\n/);
  });

  it('6. turning a rule off in settings clears its squiggles', async () => {
    await session.open('settings.py');
    await waitForSquiggles(session.page, headline, 90_000);
    await editUserSettings(session.page, { ...CLEAN_SETTINGS, 'parapet.rules.ignore': ['SEC608'] });
    const s = await waitForSquiggles(session.page, (x) => x.length === 2 && !x.some((q) => q.text.includes('UPDATE')));
    await session.screenshot('rule-ignored-in-settings');
    assert.deepEqual(s.map((x) => x.line), [RANDOM.line, JWT.line]);
    await editUserSettings(session.page, CLEAN_SETTINGS);
    await waitForSquiggles(session.page, headline);
  });

  it('7. a notebook: the cell is reported through the import in another cell, and the fix edits both', async () => {
    await session.openFromExplorer('analysis.ipynb');
    const deadline = Date.now() + 90_000;
    let cells = await notebookCells(session.page);
    while (Date.now() < deadline && !cells.some((c) => c.squiggles.length)) {
      await session.page.waitForTimeout(500);
      cells = await notebookCells(session.page);
    }
    await session.screenshot('notebook-squiggle');
    assert.deepEqual(cells.map((c) => c.squiggles), [[], ['random.randint(100000, 999999)']]);
    const rows = (await problems(session.page)).join('\n');
    assert.match(rows, /SEC311/);
    await session.page.keyboard.press('Control+Shift+M');
    // Quick fix in the cell: the call changes and `import secrets` joins the first cell.
    const squiggle = session.page.locator('.notebook-editor .cell-editor-container .monaco-editor .squiggly-error').first();
    const box = (await squiggle.boundingBox())!;
    await session.page.mouse.click(box.x + box.width / 3, box.y + box.height / 2);
    const item = session.page.locator('.action-widget .action-list-item, .action-widget .monaco-list-row').filter({ hasText: 'Use `secrets.randbelow()`' }).first();
    // As in openQuickFix: Ctrl+. before the code actions are known can be swallowed; wait for
    // the light bulb and press again until the menu shows the fix.
    await session.page.locator('.notebook-editor .lightBulbWidget, .notebook-editor .codicon-light-bulb, .notebook-editor .codicon-lightbulb-autofix').first().waitFor({ timeout: 15_000 }).catch(() => undefined);
    for (let attempt = 0; attempt < 5; attempt++) {
      await session.page.keyboard.press('Control+.');
      if (await item.waitFor({ timeout: 5_000 }).then(() => true, () => false)) break;
    }
    await item.waitFor({ timeout: 5_000 });
    await session.screenshot('notebook-quick-fix');
    await item.click();
    const deadline2 = Date.now() + 30_000;
    do {
      await session.page.waitForTimeout(500);
      cells = await notebookCells(session.page);
    } while (Date.now() < deadline2 && cells.some((c) => c.squiggles.length));
    await session.screenshot('notebook-fixed');
    assert.deepEqual(cells.map((c) => c.text), ['import random\nimport sqlite3\nimport secrets', 'reset_code = secrets.randbelow(900000) + 100000']);
    assert.deepEqual(cells.map((c) => c.squiggles), [[], []]);
  });

  it('9. a crashed server is restarted with a notice, and squiggles come back', async () => {
    await session.open('headline.py');
    await waitForSquiggles(session.page, headline, 90_000);
    // Kill the Parapet server process of this session (not of any other code-server).
    const marker = path.join(session.dir, 'extensions');
    const ps = spawnSync('pgrep', ['-f', 'server/out/server.js'], { encoding: 'utf8' });
    const pids = ps.stdout.split('\n').filter(Boolean).filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
      } catch {
        return false;
      }
    });
    // Normally one; on a loaded machine a server the client already replaced may not have
    // noticed yet that it is orphaned. Killing every one of them still crashes the live one.
    assert.ok(pids.length >= 1, 'a Parapet server runs for this session');
    if (pids.length > 1) process.stderr.write(`[e2e] ${pids.length} Parapet servers for this session: ${pids.join(', ')}\n`);
    for (const pid of pids) process.kill(Number(pid), 'SIGKILL');
    const notice = session.page.locator('.notifications-toasts, .notification-toast-container').filter({ hasText: 'the server stopped unexpectedly and was restarted' }).first();
    await notice.waitFor({ timeout: 30_000 });
    await session.screenshot('server-restarted');
    // A new server analyses the file again: an edit gets fresh squiggles.
    const { x, y } = await textPosition(session.page, 1, 'import random', 1);
    await session.page.mouse.click(x + 5, y);
    await session.page.keyboard.press('End');
    await session.page.keyboard.type(' ');
    const s = await waitForSquiggles(session.page, headline, 60_000);
    assert.deepEqual(s.map((q) => q.line), [RANDOM.line, SQL.line, JWT.line]);
    await session.page.keyboard.press('Control+z');
  });
});

describe('end to end: the Security Checklist panel', function () {
  this.timeout(600_000);
  let session: Session;

  before(async function () {
    this.timeout(1_200_000);
    session = new Session({
      name: 'checklist',
      files: {
        'mysite/settings.py': DJANGO_SETTINGS,
        'mysite/__init__.py': '',
        'shop/views.py': HEADLINE,
        'manage.py': 'import os\nimport sys\n\nfrom django.core.management import execute_from_command_line\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\nexecute_from_command_line(sys.argv)\n',
        'requirements.txt': 'Django==5.2.8\nPyJWT==2.10.1\n',
      },
    });
    await session.start();
  });
  after(async () => {
    await session?.stop();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && session?.page) {
      await session.page.screenshot({ path: path.join(session.dir, 'FAILED-checklist.png') }).catch(() => undefined);
      session.collectLogs();
      process.stderr.write(`[e2e] evidence for "${this.currentTest.title}": ${session.dir}\n`);
    }
  });

  it('8. shows the project checklist with evidence that opens the file, filters failing items, and records an accepted risk', async () => {
    await session.open('manage.py');
    // The Parapet icon in the activity bar, as a person opens it.
    await session.page.locator('.activitybar .action-item .action-label[aria-label^="Parapet"]').first().click({ timeout: 60_000 });
    // Categories with pass counts. The tree renders only the rows in view, so collapse all and
    // open one category at a time, as a person would.
    const pane = checklistPane(session.page);
    await waitForChecklist(session.page, (r) => r.some((x) => x.label === 'Authentication and sessions' && /^\d+\/\d+$/.test(x.description)), 120_000);
    await session.screenshot('checklist-panel');
    await dismissHovers(session.page);
    await pane.locator('.pane-header').hover();
    await pane.locator('.pane-header .action-label[aria-label^="Collapse All"]').first().click();
    const rows = await waitForChecklist(session.page, (r) => r.length >= 10 && r.every((x) => x.level === 1));
    assert.deepEqual(rows.map((r) => r.label), [
      'Authentication and sessions',
      'Authorization',
      'Input validation and injection',
      'CSRF, CORS and cookies',
      'Secrets',
      'Dependencies and supply chain',
      'File uploads',
      'API security',
      'Logging and monitoring',
      'Deployment and infrastructure',
    ]);
    const header = (await pane.locator('.pane-header').innerText()).replace(/\s+/g, ' ');
    assert.match(header, /\d+\/\d+ passed/);
    const toggle = (label: string) => clickChecklistRow(session.page, label);
    await toggle('Dependencies and supply chain');
    await waitForChecklist(session.page, (r) => r.some((x) => x.label === 'Dependencies are pinned or locked' && x.description === 'Pass'));
    await toggle('Dependencies and supply chain');
    await toggle('Authentication and sessions');
    await waitForChecklist(session.page, (r) => r.some((x) => x.label.startsWith('Multi-factor authentication') && x.description === 'Needs review'));
    await toggle('Authentication and sessions');
    await toggle('Deployment and infrastructure');
    await waitForChecklist(session.page, (r) => r.some((x) => x.label === 'Debug mode is off in production' && x.description === 'Fail'));
    await session.screenshot('checklist-deployment');

    // Evidence opens the settings file at the line.
    await clickChecklistRow(session.page, 'Debug mode is off in production');
    const evidence = pane.locator('.monaco-list-row').filter({ hasText: 'mysite/settings.py:4' }).first();
    await evidence.waitFor({ timeout: 15_000 });
    await clickChecklistRow(session.page, 'mysite/settings.py:4');
    await session.page.locator('.tabs-container .tab.active', { hasText: 'settings.py' }).waitFor({ timeout: 15_000 });
    await session.screenshot('checklist-evidence-opened');

    // Failing only: no passing item is left.
    await dismissHovers(session.page);
    await pane.locator('.pane-header').hover();
    await session.page.locator('.pane-header .action-label[aria-label="Show Failing Items Only"]').first().click();
    const failing = await waitForChecklist(session.page, (r) => r.length > 0 && !r.some((x) => x.description === 'Pass'));
    assert.ok(failing.some((r) => r.label === 'Debug mode is off in production'));
    await session.screenshot('checklist-failing-only');

    // Accept the risk, with a reason, from the item's context menu.
    // A context menu can swallow a click that comes right after it opens (VS Code ignores the
    // mouse-up of the right click); a person clicks again, and so does the test.
    const input = session.page.locator('.quick-input-widget input');
    const menuItem = session.page.locator('.context-view .action-label', { hasText: 'Accept Risk' }).first();
    for (let attempt = 0; ; attempt++) {
      if (!(await menuItem.isVisible())) await clickChecklistRow(session.page, 'Debug mode is off in production', { button: 'right' });
      await menuItem.click({ timeout: 10_000 });
      const opened = await input.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
      if (opened) break;
      assert.ok(attempt < 3, 'Accept Risk never asked for a reason');
    }
    await input.fill('staging only; production uses mysite/settings_prod.py');
    await session.page.keyboard.press('Enter');
    const stored = path.join(session.workspace, '.parapet', 'checklist.json');
    const deadline = Date.now() + 20_000;
    while (!fs.existsSync(stored) && Date.now() < deadline) await session.page.waitForTimeout(200);
    const review = JSON.parse(fs.readFileSync(stored, 'utf8')) as { items: Record<string, { status: string; reason: string }> };
    assert.deepEqual(Object.values(review.items).map((r) => [r.status, r.reason]), [['accepted-risk', 'staging only; production uses mysite/settings_prod.py']]);
    // An accepted risk no longer counts as failing; with every item shown, it says so.
    await waitForChecklist(session.page, (r) => r.length > 0 && !r.some((x) => x.label === 'Debug mode is off in production'));
    await dismissHovers(session.page);
    await pane.locator('.pane-header').hover();
    await session.page.locator('.pane-header .action-label[aria-label="Show All Items"]').first().click();
    await waitForChecklist(session.page, (r) => r.some((x) => x.label === 'Debug mode is off in production' && x.description === 'Fail · accepted risk'));
    await session.screenshot('checklist-accepted-risk');
  });

  it('10. the Get Started walkthrough lists its steps, and its checklist step opens the panel', async () => {
    // Away from the Parapet view first, so the walkthrough's link is what brings it back.
    await session.page.keyboard.press('Escape');
    await session.page.keyboard.press('Control+Shift+E');
    await session.page.locator('.pane-header', { hasText: 'Security Checklist' }).first().waitFor({ state: 'hidden', timeout: 10_000 });
    await runCommand(session.page, 'Parapet: Get Started');
    const page = session.page.locator('.gettingStartedContainer').first();
    await page.locator('text=Get Started with Parapet').first().waitFor({ timeout: 30_000 });
    const titles = (await page.locator('.getting-started-step .step-title').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(titles, ['What Parapet does', 'Open the Security Checklist', 'Fix the safe ones in one go', 'Configure rules and severity']);
    await session.screenshot('walkthrough');
    await page.locator('.getting-started-step', { hasText: 'Open the Security Checklist' }).first().click();
    const link = page.locator('.getting-started-step.expanded').getByRole('button', { name: 'Open the Checklist' }).first();
    await link.waitFor({ timeout: 10_000 });
    await dismissHovers(session.page);
    await link.click();
    await checklistPane(session.page).locator('.pane-header', { hasText: 'Security Checklist' }).waitFor({ timeout: 15_000 });
    await waitForChecklist(session.page, (r) => r.length > 0);
    // Opening the view completes the step (its completion event is onView:parapet.checklist).
    // VS Code draws a done step with a filled check icon (codicon-getting-started-step-checked).
    const step = page.locator('.getting-started-step', { hasText: 'Open the Security Checklist' }).first();
    const deadline = Date.now() + 15_000;
    let classes = '';
    do {
      classes = await step.evaluate((el) => [el.className, ...[...el.querySelectorAll('.codicon')].map((c) => c.className)].join(' '));
      if (/getting-started-step-checked|\bcomplete\b/.test(classes)) break;
      await session.page.waitForTimeout(300);
    } while (Date.now() < deadline);
    assert.match(classes, /getting-started-step-checked|\bcomplete\b/, `the checklist step is marked done (classes: ${classes})`);
    await session.screenshot('walkthrough-checklist-step-done');
  });
});

describe('end to end in Restricted Mode (untrusted workspace)', function () {
  this.timeout(600_000);
  let session: Session;

  before(async function () {
    this.timeout(1_200_000);
    session = new Session({ name: 'restricted', workspaceTrust: true, files: { 'headline.py': HEADLINE } });
    await session.start();
  });
  after(async () => {
    await session?.stop();
  });

  it('Parapet declares untrusted-workspace support and still reports problems', async () => {
    await session.open('headline.py');
    const s = await waitForSquiggles(session.page, headline, 90_000);
    assert.deepEqual(s.map((x) => x.line), [RANDOM.line, SQL.line, JWT.line]);
    // Trust is resolved asynchronously: the banner may render after the squiggles.
    const banner = await session.page.locator('text=Restricted Mode').first().waitFor({ timeout: 20_000 }).then(() => true, () => false);
    await session.screenshot('restricted-mode');
    assert.ok(banner, 'the workspace really is in Restricted Mode');
  });
});
