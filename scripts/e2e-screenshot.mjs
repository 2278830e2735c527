// Retakes media/screenshot.png for the README: the "files" example run in the real VS Code (code-server), its WASI Filesystem view and Debug Console.
//
//   npm run build && node scripts/e2e-screenshot.mjs [output.png]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  REPO_ROOT, ensureCodeServer, installExtension, packageExtension, sessionLayout, startCodeServer, writeUserSettings,
} from './codeServer.mjs';
import { Workbench, launchChromium, loadPlaywright, waitUntil } from '../test/e2e/workbench.mjs';

const output = path.resolve(process.argv[2] ?? path.join(REPO_ROOT, 'media', 'screenshot.png'));
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'wasi-debug-shot-'));
let server;
let context;
try {
  const install = await ensureCodeServer();
  const workspace = path.join(scratch, 'examples');
  fs.cpSync(path.join(REPO_ROOT, 'examples'), workspace, { recursive: true });
  const session = sessionLayout(path.join(scratch, 'code-server'));
  writeUserSettings(session, { overwrite: true, extra: { 'workbench.colorTheme': 'Default Dark Modern', 'editor.minimap.enabled': false } });
  installExtension(install, session, packageExtension(path.join(scratch, 'wasi-debug.vsix')));
  server = await startCodeServer(install, session, { folder: workspace });
  let page;
  ({ context, page } = await launchChromium(loadPlaywright(), path.join(scratch, 'chromium'), { width: 1280, height: 760 }));
  const wb = new Workbench(page);
  await wb.open(server.url);

  // The program's source in the editor…
  await page.keyboard.press('Control+P');
  await page.keyboard.type('files.c', { delay: 20 });
  await wb.pickQuickInputRow('files.c');
  await wb.waitForEditorTab('files.c');

  // …its run in the Debug Console, and the files it wrote in the WASI Filesystem view.
  await wb.selectLaunchConfiguration('files: see them in the WASI Filesystem view');
  await wb.clearDebugConsole();
  await wb.startSelected();
  await wb.waitForDebugConsole(/wasi: program exited with code 0/);
  await wb.waitForSessionEnd();
  const view = await wb.expandView('WASI Filesystem');
  for (const label of ['notes', 'drafts', 'idea.txt', 'shopping.md', 'numbers.csv']) await wb.revealTreeLabel(view, label, 20_000);
  await page.keyboard.press('Control+\\'); // split the editor: the source stays on the left
  await wb.treeItem(view, 'shopping.md').click();
  await wb.waitForEditorTab('shopping.md');
  await waitUntil(async () => (await wb.activeEditorText()).includes('# Shopping'), 15_000, 'shopping.md in the editor');
  await wb.runCommand('View: Close Other Editors in Group'); // the split's copy of files.c
  await page.mouse.move(0, 0);
  await page.waitForTimeout(800);
  fs.mkdirSync(path.dirname(output), { recursive: true });
  await page.screenshot({ path: output });
  console.log(`Saved ${output} (${(fs.statSync(output).size / 1024).toFixed(0)} KB)`);
} finally {
  await context?.close().catch(() => {});
  await server?.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
}
