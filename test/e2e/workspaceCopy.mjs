// Makes the scratch copy of examples/ that the real-VS-Code suites open, with one deliberately broken configuration added.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../scripts/codeServer.mjs';

export const BROKEN_CONFIGURATION_NAME = 'broken on purpose: env key with "="';
/** What the builder must say about the broken configuration (the launch.json field and the fix). */
export const BROKEN_CONFIGURATION_MESSAGE = 'launch.json env: key "HOM=E" contains "=" — rename the variable';

/** Copies examples/ to `dest` (a launch writes nothing into the clone) and appends the broken configuration. */
export function copyExamplesWorkspace(dest) {
  fs.cpSync(path.join(REPO_ROOT, 'examples'), dest, { recursive: true });
  const launchJson = path.join(dest, '.vscode', 'launch.json');
  const text = fs.readFileSync(launchJson, 'utf8');
  const marker = '"configurations": [';
  assert.ok(text.includes(marker), `${launchJson} has a configurations array`);
  const broken = JSON.stringify({ name: BROKEN_CONFIGURATION_NAME, type: 'wasi', request: 'launch',
    program: '${workspaceFolder}/hello/hello.wasm', env: { 'HOM=E': '/home' } });
  fs.writeFileSync(launchJson, text.replace(marker, `${marker}\n    ${broken},`));
  return dest;
}
