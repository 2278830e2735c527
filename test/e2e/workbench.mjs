// Drives the VS Code workbench served by code-server in headless Debian Chromium (playwright-core): commands, launch configurations, Debug Console, views.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CHROMIUM_PATH, REPO_ROOT } from '../../scripts/codeServer.mjs';

const require = createRequire(path.join(REPO_ROOT, 'package.json'));

/** Loads playwright-core from the project's devDependencies; returns undefined when it is missing. */
export function loadPlaywright() {
  try { return require('playwright-core'); } catch { return undefined; }
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/**
 * Starts Chromium with a fresh profile. launchPersistentContext is playwright's way to give Chromium a
 * --user-data-dir; Chromium runs in its own process group so a hung browser can still be killed as a whole.
 */
export async function launchChromium(playwright, profileDir, { width = 1280, height = 800 } = {}) {
  fs.rmSync(profileDir, { recursive: true, force: true });
  const context = await playwright.chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width, height },
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
  const page = context.pages()[0] ?? await context.newPage();
  return { context, page };
}

/** Polls `check` until it returns a truthy value; throws naming `what` after `timeoutMs`. */
export async function waitUntil(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (e) { lastError = e; }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${lastError ? ` (last error: ${lastError.message})` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export class Workbench {
  /** @param {import('playwright-core').Page} page */
  constructor(page) { this.page = page; }

  async open(url) {
    await this.page.goto(url, { timeout: 60_000 });
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page.locator('.statusbar').waitFor({ timeout: 60_000 });
  }

  /** Puts keyboard focus on the editor area, away from any input box, so shortcuts reach the workbench. */
  async focusWorkbench() {
    await this.page.keyboard.press('Escape');
    await this.page.locator('.part.editor').click({ position: { x: 200, y: 200 }, timeout: 10_000 });
  }

  /**
   * Runs a command by its palette label ("Debug: Start Debugging"). The palette ranks fuzzily, so the
   * keyboard focus is moved down to the row whose label is exactly `title` before Enter.
   */
  async runCommand(title) {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    if (!(await input.isVisible())) await this.page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill('>' + title);
    await this.pickQuickInputRow(title);
  }

  /** In an open quick pick, focuses the row whose label is exactly `label` and accepts it. */
  async pickQuickInputRow(label) {
    const rows = this.page.locator('.quick-input-widget .monaco-list-row');
    await waitUntil(async () => (await rows.locator('.label-name').allInnerTexts()).some((t) => t.trim() === label), 15_000, `quick pick row "${label}"`);
    for (let i = 0; i < 40; i++) {
      const focused = await rows.evaluateAll((els) => {
        const row = els.find((e) => e.classList.contains('focused'));
        return row ? row.querySelector('.label-name')?.textContent?.trim() : undefined;
      });
      if (focused === label) {
        await this.page.keyboard.press('Enter');
        await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
        return;
      }
      await this.page.keyboard.press('ArrowDown');
    }
    throw new Error(`could not focus quick pick row "${label}"`);
  }

  async showRunAndDebug() {
    await this.runCommand('View: Show Run and Debug');
    await this.page.locator('.debug-viewlet, .part.sidebar .composite.viewlet#workbench\\.view\\.debug').first().waitFor({ timeout: 15_000 });
  }

  /**
   * Makes `name` the selected launch configuration in the Run and Debug view's drop-down, so F5 and
   * Ctrl+F5 start it. The drop-down is a monaco select box: opened by click, its rows picked by click.
   */
  async selectLaunchConfiguration(name) {
    await this.showRunAndDebug();
    const select = this.page.locator('.part.sidebar .start-debug-action-item .monaco-select-box');
    await select.waitFor({ timeout: 15_000 });
    const current = await select.getAttribute('title').catch(() => null);
    if (current === name) return;
    await select.click();
    const option = this.page.locator('.monaco-select-box-dropdown-container .option-text', { hasText: new RegExp('^' + escapeRegExp(name) + '$') }).first();
    await option.waitFor({ timeout: 10_000 });
    await option.click();
    await waitUntil(async () => (await select.getAttribute('title')) === name
      || (await select.evaluate((el) => el instanceof HTMLSelectElement ? el.options[el.selectedIndex]?.text : '')) === name, 10_000, `launch configuration "${name}" selected`);
  }

  /** F5 (Start Debugging) or Ctrl+F5 (Run Without Debugging) on the selected configuration. */
  async startSelected({ noDebug = false } = {}) {
    await this.focusWorkbench();
    await this.page.keyboard.press(noDebug ? 'Control+F5' : 'F5');
  }

  get debugToolbar() { return this.page.locator('.debug-toolbar'); }

  async waitForSessionStart(timeoutMs = 30_000) { await this.debugToolbar.waitFor({ state: 'visible', timeout: timeoutMs }); }

  /** The debug toolbar disappears when the last debug session has ended. */
  async waitForSessionEnd(timeoutMs = 30_000) { await this.debugToolbar.waitFor({ state: 'hidden', timeout: timeoutMs }); }

  async showDebugConsole() {
    await this.runCommand('Debug Console: Focus on Debug Console View');
    await this.page.locator('.repl').first().waitFor({ timeout: 15_000 });
  }

  /** Empties the Debug Console with its "Clear Console" title button (the command is not in the palette). */
  async clearDebugConsole() {
    await this.showDebugConsole();
    await this.page.locator('.part.panel .title-actions .action-label[aria-label^="Clear Console"]').first().click({ timeout: 10_000 });
    await waitUntil(async () => (await this.debugConsoleText()).trim() === '', 5_000, 'an empty Debug Console');
  }

  /**
   * The whole text of the Debug Console. Its list renders only the rows in view, so this scrolls it
   * from the top to the bottom, collecting rows by their index, and leaves it scrolled to the end.
   */
  async debugConsoleText() {
    const list = this.page.locator('.repl .monaco-list').first();
    const visibleRows = () => list.evaluate((el) => [...el.querySelectorAll('.monaco-list-row')]
      .map((r) => ({ index: Number(r.getAttribute('data-index')), total: Number(r.getAttribute('aria-setsize')), text: r.innerText })));
    const rows = new Map();
    let total = 0;
    const collect = async () => {
      for (const r of await visibleRows()) { rows.set(r.index, r.text); total = Math.max(total, r.total || 0); }
    };
    const complete = () => total > 0 && [...Array(total).keys()].every((i) => rows.has(i));
    await collect();
    if (rows.size === 0 || complete()) return joinRows(rows);
    // Chromium ignores huge wheel deltas, so scroll in steps: up to the first row, then down to the last.
    await list.hover();
    for (let i = 0; i < 100 && !rows.has(0); i++) { await this.page.mouse.wheel(0, -400); await collect(); }
    for (let i = 0; i < 200 && !complete(); i++) { await this.page.mouse.wheel(0, 200); await collect(); }
    for (let i = 0; i < 50; i++) await this.page.mouse.wheel(0, 2_000);
    return joinRows(rows);
  }

  async waitForDebugConsole(pattern, timeoutMs = 30_000) {
    return waitUntil(async () => pattern.test(await this.debugConsoleText()), timeoutMs, `Debug Console to match ${pattern}`)
      .catch(async (e) => { throw new Error(`${e.message}; it shows:\n${await this.debugConsoleText().catch(() => '(no Debug Console)')}`); });
  }

  /** Types a line into the Debug Console's input box and presses Enter. */
  async typeInDebugConsole(line) {
    const input = this.page.locator('.repl .repl-input-wrapper .monaco-editor').first();
    await input.click({ timeout: 10_000 });
    await this.page.keyboard.type(line, { delay: 5 });
    await this.page.keyboard.press('Enter');
  }

  /** Texts of visible notification toasts and modal dialogs (where VS Code reports a failed launch). */
  async messages() {
    return this.page.evaluate(() => [...document.querySelectorAll('.notification-toast .notification-list-item-message, .monaco-dialog-box .dialog-message-text, .monaco-dialog-box .dialog-message-detail')]
      .map((e) => e.textContent?.trim() ?? '').filter(Boolean));
  }

  async dismissDialogs() {
    const dialog = this.page.locator('.monaco-dialog-box');
    if (await dialog.isVisible().catch(() => false)) {
      await this.page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
    }
    await this.runCommand('Notifications: Clear All Notifications').catch(() => {});
  }

  /** The side bar pane titled `title` (e.g. "WASI Filesystem"), expanded. */
  async expandView(title) {
    const pane = this.page.locator('.part.sidebar .pane').filter({ has: this.page.locator('.pane-header h3.title', { hasText: new RegExp('^' + escapeRegExp(title) + '$', 'i') }) }).first();
    await pane.waitFor({ timeout: 15_000 });
    const header = pane.locator('.pane-header').first();
    // Collapse the other panes (Variables, Watch…) so this one has room to render all its rows.
    const others = this.page.locator('.part.sidebar .pane-header[aria-expanded="true"]');
    for (let i = await others.count() - 1; i >= 0; i--) {
      const other = others.nth(i);
      if (!(await other.locator('h3.title').innerText()).match(new RegExp('^' + escapeRegExp(title) + '$', 'i'))) await other.click();
    }
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    await waitUntil(async () => (await header.getAttribute('aria-expanded')) === 'true', 10_000, `view "${title}" expanded`);
    return pane;
  }

  /** Labels of the rendered rows of a tree view, top to bottom. */
  async treeLabels(view) {
    return view.locator('.monaco-list-row .label-name').allInnerTexts().then((l) => l.map((t) => t.trim()));
  }

  treeItem(view, label) {
    return view.locator('.monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: new RegExp('^' + escapeRegExp(label) + '$') }) }).first();
  }

  /** Expands collapsed rows of a tree view, level by level, until a row labelled `label` shows. */
  async revealTreeLabel(view, label, timeoutMs) {
    await waitUntil(async () => {
      if ((await this.treeLabels(view)).includes(label)) return true;
      const collapsed = view.locator('.monaco-list-row[aria-expanded="false"]');
      const count = await collapsed.count();
      for (let i = 0; i < count; i++) await collapsed.nth(0).locator('.monaco-tl-twistie').click({ timeout: 2_000 }).catch(() => {});
      return false;
    }, timeoutMs, `"${label}" in the tree view`).catch(async (e) => {
      throw new Error(`${e.message}; the view shows: ${JSON.stringify(await this.treeLabels(view))}`);
    });
  }

  /** Waits for an editor tab whose label is `name`; returns the tab's title (tooltip) text. */
  async waitForEditorTab(name, timeoutMs = 15_000) {
    const tab = this.page.locator('.tabs-container .tab').filter({ has: this.page.locator('.label-name', { hasText: new RegExp('^' + escapeRegExp(name) + '$') }) }).first();
    await tab.waitFor({ timeout: timeoutMs });
    return (await tab.getAttribute('aria-label')) ?? name;
  }

  /** Text of the active editor's visible lines (spaces normalised). */
  async activeEditorText() {
    return this.page.locator('.editor-group-container.active .monaco-editor .view-lines').first()
      .evaluate((el) => [...el.querySelectorAll('.view-line')]
        .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
        .map((l) => l.textContent.replace(/\u00a0/g, ' ')).join('\n'));
  }

  async screenshot(file) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await this.page.screenshot({ path: file });
  }
}

/** One row per output event; a row's text ends with the newline the program wrote, if any. */
function joinRows(rows) {
  return [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, text]) => (text.endsWith('\n') ? text : text + '\n')).join('');
}

export function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
