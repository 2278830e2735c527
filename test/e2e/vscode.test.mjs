// End-to-end tests in a real VS Code: code-server with the packaged .vsix, driven in headless Chromium, running a copy of examples/.
//
// Setup (code-server installed once into the machine cache, Debian packages as root) may be impossible
// on some machines; then every test reports `skipped` with the reason. WASI_DEBUG_E2E_REQUIRED=1 turns
// that into a failure (CI sets it so a silently skipped suite cannot pass).
// Screenshots and the code-server log go to test-results/e2e/ (git-ignored). It packages the built
// dist/ as it is: `npm test` builds first; run `npm run build` before running this file alone
// (node --test test/e2e/vscode.test.mjs; --test-name-pattern=echo picks one scenario).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  BROWSER_PACKAGES, REPO_ROOT, SetupError, ensureCodeServer, ensureDebianPackages, installExtension,
  packageExtension, sessionLayout, startCodeServer, writeUserSettings,
} from '../../scripts/codeServer.mjs';
import { Workbench, launchChromium, loadPlaywright, waitUntil } from './workbench.mjs';
import { BROKEN_CONFIGURATION_MESSAGE, BROKEN_CONFIGURATION_NAME, copyExamplesWorkspace } from './workspaceCopy.mjs';

const RESULTS = path.join(REPO_ROOT, 'test-results', 'e2e');
const REQUIRED = process.env.WASI_DEBUG_E2E_REQUIRED === '1';
const t0 = Date.now();
const log = (m) => console.log(`# [e2e +${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);

/** Each scenario's whole budget: nothing in this suite may wait without a bound. */
const SCENARIO_TIMEOUT = 120_000;

/** Installs what the suite needs; returns the reason it cannot run, or the pieces it runs with. */
async function prepare() {
  const playwright = loadPlaywright();
  if (!playwright) return { skip: 'playwright-core is not installed (npm install)' };
  try {
    ensureDebianPackages(BROWSER_PACKAGES, log);
    const install = await ensureCodeServer({ log });
    log(install.installedNow ? `code-server installed in ${install.seconds.toFixed(0)}s` : `code-server found in ${install.cache}`);
    return { playwright, install };
  } catch (e) {
    if (e instanceof SetupError) return { skip: `real VS Code unavailable: ${e.message}` };
    throw e;
  }
}

const setup = await prepare();

if (setup.skip && REQUIRED) {
  test('real VS Code e2e setup (WASI_DEBUG_E2E_REQUIRED=1)', () => {
    assert.fail(`the e2e suite is required but cannot run: ${setup.skip}`);
  });
}

describe('wasi-debug in a real VS Code (code-server 4.100.3)', () => {
  // Each test carries the reason, so the runner's summary counts them as skipped.
  const skip = setup.skip ?? false;
  /** @type {Workbench} */
  let wb;
  let server;
  let context;
  let scratch;
  let session;

  const screenshot = (name) => wb.screenshot(path.join(RESULTS, `${name}.png`));

  before(async () => {
    if (skip) return;
    fs.mkdirSync(RESULTS, { recursive: true });
    for (const f of fs.readdirSync(RESULTS)) if (f.endsWith('.png') || f.endsWith('.log')) fs.rmSync(path.join(RESULTS, f));
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'wasi-debug-e2e-'));
    // The tests run on a copy: a launch writes nothing into the clone, and the copy gets one extra,
    // deliberately broken configuration.
    const workspace = copyExamplesWorkspace(path.join(scratch, 'examples'));

    session = sessionLayout(path.join(scratch, 'code-server'));
    writeUserSettings(session, { overwrite: true });
    const vsix = packageExtension(path.join(scratch, 'wasi-debug.vsix'), { log });
    installExtension(setup.install, session, vsix, { log });
    server = await startCodeServer(setup.install, session, { folder: workspace, log });
    log(`code-server on port ${server.port}`);

    ({ context, page: wb } = await openBrowser(path.join(scratch, 'chromium-profile')));
    await wb.open(server.url);
    log('workbench loaded');
  }, { timeout: 240_000 });

  async function openBrowser(profile) {
    const opened = await launchChromium(setup.playwright, profile);
    opened.page.on('pageerror', (e) => log(`[page error] ${e.message}`));
    return { context: opened.context, page: new Workbench(opened.page) };
  }

  after(async () => {
    if (skip) return;
    await Promise.race([context?.close(), new Promise((r) => setTimeout(r, 10_000))]).catch(() => {});
    await server?.stop();
    if (session && fs.existsSync(session.log)) fs.copyFileSync(session.log, path.join(RESULTS, 'code-server.log'));
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
    log('code-server and Chromium stopped');
  }, { timeout: 60_000 });

  /** Starts one launch configuration from a clean Debug Console, by F5 or Ctrl+F5 (noDebug). */
  async function launch(name, { noDebug = false } = {}) {
    await wb.dismissDialogs();
    await wb.runCommand('View: Close All Editors');
    await wb.selectLaunchConfiguration(name);
    await wb.clearDebugConsole();
    await wb.startSelected({ noDebug });
  }

  /** Wraps a scenario so that a failure leaves a screenshot of what the workbench showed. */
  function scenario(title, name, body) {
    test(title, { timeout: SCENARIO_TIMEOUT, skip }, async () => {
      try {
        await body();
        await screenshot(name);
      } catch (e) {
        await screenshot(`${name}-FAILED`).catch(() => {});
        throw e;
      } finally {
        // Whatever happened, no session may outlive its scenario.
        if (await wb.debugToolbar.isVisible().catch(() => false)) {
          await wb.runCommand('Debug: Stop').catch(() => {});
          await wb.waitForSessionEnd(15_000).catch(() => {});
        }
      }
    });
  }

  scenario('F5 on hello: the Debug Console shows its output and the exit code', '1-hello', async () => {
    await launch('hello (C)');
    await wb.waitForDebugConsole(/wasi: program exited with code 0/);
    const text = await wb.debugConsoleText();
    assert.match(text, /Hello from WebAssembly!\n.*This line came from a WASI module running in VS Code's extension host\./s);
    assert.match(text, /\(and this one went to stderr\)/);
    assert.ok(text.indexOf('Hello from WebAssembly!') < text.indexOf('wasi: program exited with code 0'), 'output comes before the exit line');
    await wb.waitForSessionEnd();
  });

  scenario('echo: lines typed in the Debug Console are echoed; Send EOF ends the program', '2-echo', async () => {
    await launch('echo: type into the Debug Console');
    await wb.waitForDebugConsole(/Type a line in the Debug Console/);
    await wb.typeInDebugConsole('first line');
    await wb.waitForDebugConsole(/echo 1: first line/);
    await wb.typeInDebugConsole('second line, with ümlauts');
    await wb.waitForDebugConsole(/echo 2: second line, with ümlauts/);
    assert.equal(await wb.debugToolbar.isVisible(), true, 'the program still runs, waiting for more input');
    await wb.runCommand('WASI: Send EOF to Program');
    await wb.waitForDebugConsole(/EOF after 2 lines\. Bye!/);
    await wb.waitForDebugConsole(/wasi: program exited with code 0/);
    await wb.waitForSessionEnd();
  });

  scenario('files: the WASI Filesystem view shows the written files; one opens in an editor', '3-files', async () => {
    await launch('files: see them in the WASI Filesystem view');
    await wb.waitForDebugConsole(/wasi: program exited with code 0/);
    await wb.waitForSessionEnd();
    await wb.showRunAndDebug();
    const view = await wb.expandView('WASI Filesystem');
    // The view keeps the ended session's filesystem: one root per session, the guest's / under it.
    const expected = ['notes', 'drafts', 'hello.txt', 'shopping.md', 'idea.txt', 'numbers.csv'];
    for (const label of expected) await wb.revealTreeLabel(view, label, 20_000);
    await wb.treeItem(view, 'hello.txt').click();
    const editor = await wb.waitForEditorTab('hello.txt');
    await waitUntil(async () => (await wb.activeEditorText()).includes('Hello from the WASI filesystem!'), 15_000, 'hello.txt content in the editor')
      .catch(async (e) => { throw new Error(`${e.message}; editor shows: ${JSON.stringify(await wb.activeEditorText())}`); });
    assert.match(editor, /hello\.txt/);
  });

  scenario('a configuration with a bad field shows a clear error and nothing hangs', '4-bad-config', async () => {
    await launch(BROKEN_CONFIGURATION_NAME);
    const shown = await waitUntil(async () => {
      const messages = await wb.messages();
      return messages.find((m) => /HOM=E/.test(m));
    }, 30_000, 'an error message naming the bad env key').catch(async (e) => {
      throw new Error(`${e.message}; messages: ${JSON.stringify(await wb.messages())}; console: ${await wb.debugConsoleText().catch(() => '')}`);
    });
    assert.equal(shown, BROKEN_CONFIGURATION_MESSAGE);
    await screenshot('4-bad-config-message');
    await wb.dismissDialogs();
    await wb.waitForSessionEnd(15_000);
  });

  scenario('Stop during an infinite loop ends the session', '5-stop', async () => {
    await launch('infinite loop: try Stop');
    await wb.waitForDebugConsole(/Spinning forever/);
    await new Promise((r) => setTimeout(r, 1500)); // let it spin inside pure wasm for a moment
    assert.equal(await wb.debugToolbar.isVisible(), true, 'still running before Stop');
    await screenshot('5-stop-running');
    const stopAt = Date.now();
    await wb.runCommand('Debug: Stop');
    await wb.waitForSessionEnd(15_000);
    log(`session ended ${Date.now() - stopAt} ms after Stop`);
    await wb.waitForDebugConsole(/wasi: program terminated\n/, 10_000);
    assert.doesNotMatch(await wb.debugConsoleText(), /exited with code/);
  });

  scenario('Run Without Debugging (Ctrl+F5) runs the WAT example', '6-run-without-debugging', async () => {
    await launch('countdown (WebAssembly text)', { noDebug: true });
    await wb.waitForDebugConsole(/wasi: program exited with code 0/);
    assert.match(await wb.debugConsoleText(), /5\n4\n3\n2\n1\nLiftoff!/);
    await wb.waitForSessionEnd();
  });

  scenario('args, env and a read-only mounted folder reach the program', '7-args-env-cwd', async () => {
    await launch('args and env, with a mounted folder');
    await wb.waitForDebugConsole(/wasi: program exited with code 0/);
    const text = await wb.debugConsoleText();
    assert.match(text, /argc = 4/);
    assert.match(text, /argv\[0\] = "args"/);
    assert.match(text, /argv\[2\] = "two words"/);
    assert.match(text, /GREETING=hello/);
    // wasi-libc keeps its own working directory, starting at "/".
    assert.match(text, /cwd = \/\n/);
    assert.match(text, /message\.txt says: This file lives on the host/);
    assert.match(text, /writing into \/data is refused/);
    await wb.waitForSessionEnd();
  });

  scenario('the Rust example runs with its args and env', '9-rust', async () => {
    await launch('hello (Rust)');
    await wb.waitForDebugConsole(/wasi: program exited with code 0/);
    const text = await wb.debugConsoleText();
    assert.match(text, /Hello from Rust on WASI!\ncalled as "hello\.wasm" with 2 argument\(s\)\n  arg 1: from\n  arg 2: launch\.json\nGREETING = hi from launch\.json\n/);
    await wb.waitForSessionEnd();
  });

  scenario('a breakpoint on a C line stops there with the C variables; Continue stops again at the next hit', '10-breakpoint', async () => {
    // Open bug/average.c, put the cursor on line 7 (`int sum = 0;` in average_from) and toggle a breakpoint there.
    await wb.dismissDialogs();
    await wb.runCommand('View: Close All Editors');
    await wb.runCommand('Remove All Breakpoints').catch(() => wb.page.keyboard.press('Escape'));
    const input = wb.page.locator('.quick-input-widget .quick-input-box input');
    await wb.page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill('bug/average.c:7');
    await wb.page.locator('.quick-input-widget .monaco-list-row').first().waitFor({ timeout: 15_000 });
    await wb.page.keyboard.press('Enter');
    await wb.waitForEditorTab('average.c');
    await wb.runCommand('Debug: Toggle Breakpoint');
    await wb.selectLaunchConfiguration('Debug the bug (off-by-one that traps)');
    await wb.clearDebugConsole();
    await wb.startSelected();
    const callStack = await wb.expandView('Call Stack');
    // The pause reason shows before the frames render: wait for both.
    await waitUntil(async () => /Paused on breakpoint[\s\S]*average_from[\s\S]*average\.c\s*7[\s\S]*\bmain\b/i.test(await callStack.innerText()), 30_000,
      'the debugger paused on the breakpoint: average_from at average.c line 7, above main')
      .catch(async (e) => { throw new Error(`${e.message}; the Call Stack shows: ${JSON.stringify(await callStack.innerText())}`); });
    const variables = await wb.expandView('Variables');
    await waitUntil(async () => /\bstart =\s*0\n/.test(await variables.innerText()), 15_000, 'start = 0 in the Variables view')
      .catch(async (e) => { throw new Error(`${e.message}; the Variables view shows: ${JSON.stringify(await variables.innerText())}`); });
    assert.match(await variables.innerText(), /\bcount =\s*5\n/);
    await screenshot('10-breakpoint-first-hit');
    await wb.runCommand('Debug: Continue');
    const secondHit = () => waitUntil(async () => /\bstart =\s*1\n/.test(await variables.innerText()), 15_000, 'start = 1 after Continue');
    await secondHit().catch(async (e) => {
      // On a heavily loaded machine the palette's Continue once never reached the session: still paused at the
      // first hit, and the program had printed nothing (it prints the first average only after resuming). Only
      // in that provable case, continue once more through the toolbar — a different path to the same request.
      if (/average of scores\[0\.\.4\]/.test(await wb.debugConsoleText())) throw e;
      log(`Continue from the palette did not resume the program within 15 s (${e.message}); pressing the toolbar's Continue`);
      await wb.debugToolbar.locator('.codicon-debug-continue').first().click();
      await secondHit();
    }).catch(async (e) => { throw new Error(`${e.message}; the Variables view shows: ${JSON.stringify(await variables.innerText())}`); });
    assert.match(await wb.debugConsoleText(), /average of scores\[0\.\.4\] = 81/);
    await wb.runCommand('Remove All Breakpoints');
    await wb.runCommand('Debug: Stop');
    await wb.waitForSessionEnd(15_000);
  });

  scenario('the bug example stops at the trap in the debugger, then ends with a readable message', '8-bug-trap', async () => {
    // A breakpoint left by an earlier scenario would stop first; the command is offered only while one exists.
    await wb.runCommand('Remove All Breakpoints').catch(() => wb.page.keyboard.press('Escape'));
    await launch('Debug the bug (off-by-one that traps)');
    // F5 debugs: the "WebAssembly traps" exception filter stops on the faulting C line, with the C stack.
    const callStack = await wb.expandView('Call Stack');
    await waitUntil(async () => /Paused on a WebAssembly trap[\s\S]*average_from[\s\S]*\bmain\b/i.test(await callStack.innerText()), 30_000,
      'the Call Stack paused on the trap, average_from above main')
      .catch(async (e) => { throw new Error(`${e.message}; it shows: ${JSON.stringify(await callStack.innerText())}`); });
    await wb.waitForEditorTab('average.c');
    await screenshot('8-bug-trap-paused');
    await wb.runCommand('Debug: Continue');
    await wb.waitForDebugConsole(/wasi: program exited with code \d+ \(trap\)/);
    const text = await wb.debugConsoleText();
    assert.match(text, /average of scores\[4\.\.4\] = 100/);
    assert.match(text, /wasi: program trapped: .*divide by zero/i);
    assert.match(text, /at average_from \(wasm-function\[\d+\]/, 'the wasm stack names the function that trapped');
    await wb.waitForSessionEnd();
  });
});
