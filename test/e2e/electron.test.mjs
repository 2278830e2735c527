// Runs the @vscode/test-electron suite (test/electron/suite) in a desktop VS Code named by VSCODE_EXECUTABLE_PATH; skipped otherwise — it never downloads VS Code.
//
//   VSCODE_EXECUTABLE_PATH=/usr/share/code/code npm test      (on Linux without a display: xvfb-run -a npm test)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../scripts/codeServer.mjs';
import { copyExamplesWorkspace } from './workspaceCopy.mjs';

const executable = process.env.VSCODE_EXECUTABLE_PATH;
const suite = path.join(REPO_ROOT, 'out', 'test', 'electron', 'suite', 'index.js');

function skipReason() {
  if (!executable) return 'VSCODE_EXECUTABLE_PATH is not set: point it at a desktop VS Code (1.100 or later) to run the @vscode/test-electron suite';
  return undefined;
}

test('@vscode/test-electron suite in a desktop VS Code', { skip: skipReason() ?? false, timeout: 10 * 60_000 }, async () => {
  assert.ok(fs.existsSync(executable), `VSCODE_EXECUTABLE_PATH=${executable} does not exist`);
  assert.ok(fs.existsSync(suite), `${suite} is missing: run \`npx tsc -p .\` (npm test does it in pretest)`);
  assert.ok(fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js')), 'dist/extension.js is missing: run `npm run build`');
  const { runTests } = await import('@vscode/test-electron');
  // Short paths: VS Code's IPC sockets live under the user data dir.
  const scratch = fs.mkdtempSync(path.join(fs.existsSync('/tmp') ? '/tmp' : os.tmpdir(), 'wde-'));
  try {
    const workspace = copyExamplesWorkspace(path.join(scratch, 'examples'));
    const userData = path.join(scratch, 'u');
    fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
    fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({
      'security.workspace.trust.enabled': false, 'update.mode': 'none', 'telemetry.telemetryLevel': 'off',
      'extensions.autoUpdate': false, 'extensions.autoCheckUpdates': false, 'workbench.startupEditor': 'none',
    }));
    const exitCode = await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: suite,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
        '--user-data-dir', userData, '--extensions-dir', path.join(scratch, 'x')],
      extensionTestsEnv: { WASI_DEBUG_E2E: '1' },
    });
    assert.equal(exitCode, 0, 'the suite inside VS Code reported failures (see its output above)');
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});
