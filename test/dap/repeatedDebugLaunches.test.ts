// Many debug launches in one process, as in one extension host over a day: the inspector must survive them all.
//
// Each launch runs under V8's inspector (not noDebug). Node 20 crashed with SIGSEGV on the ~10th launch when the
// inspector session was closed and reopened between launches, so the launches run in a child process and the test
// asserts its exit status and its exact output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');
const workerPath = path.join(root, 'dist', 'worker.js');
const sessionModule = path.join(root, 'out', 'src', 'debug', 'session.js');
const hello = path.join(root, 'test', 'fixtures', 'dap', 'hello.wasm');
const LAUNCHES = 25;

const script = `
const { WasiDebugSession } = require(${JSON.stringify(sessionModule)});
(async () => {
  for (let i = 0; i < ${LAUNCHES}; i++) {
    const lines = [];
    await new Promise((resolve) => {
      const session = new WasiDebugSession({ workspaceFolder: ${JSON.stringify(path.dirname(hello))}, hostEnv: {}, workerPath: ${JSON.stringify(workerPath)} });
      let seq = 1;
      session.onDidSendMessage((m) => {
        if (m.type === 'event' && m.event === 'output' && m.body.category === 'stdout') lines.push(m.body.output);
        if (m.type === 'event' && m.event === 'terminated') resolve();
      });
      const request = (command, args) => session.handleMessage({ seq: seq++, type: 'request', command, arguments: args });
      request('initialize', { adapterID: 'wasi', pathFormat: 'path' });
      request('launch', { type: 'wasi', request: 'launch', name: 'hello', program: ${JSON.stringify(hello)} });
      request('configurationDone');
    });
    process.stdout.write(i + ':' + lines.join('').split('\\n')[0] + '\\n');
  }
})();
`;

test(`${LAUNCHES} debug launches in one process each run to the end, and the process survives`, (t) => {
  if (!existsSync(workerPath)) return t.skip('dist/worker.js is missing: run npm run build');
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(result.signal, null, `the process died with ${result.signal}; stderr: ${result.stderr}`);
  assert.equal(result.status, 0, result.stderr);
  const expected = Array.from({ length: LAUNCHES }, (_, i) => `${i}:hello from wasi`).join('\n') + '\n';
  assert.equal(result.stdout, expected);
});
