// poll_oneoff and fd_read on an interactive stdin: the test plays the Debug Console, typing a line and then EOF
// only after the guest says it is waiting, so "not ready", "ready" and "ready at EOF" are each observed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExitInfo } from '../../src/runtime/api';
import { startWasiProcess } from '../../src/runtime/process';
import { FIXTURES, WORKER, buildInit, lineDiff, runtimeMissing, wasmBytes } from './harness';

test('conformance: stdin_wait (poll_oneoff on console stdin: empty, a line, EOF)', async (t) => {
  const missing = runtimeMissing();
  if (missing) {
    t.skip(missing);
    return;
  }
  const init = buildInit('stdin_wait', { configure: (builder) => void builder.stdin({ kind: 'console' }) });
  const handle = startWasiProcess(init, wasmBytes('c/stdin_wait.wasm'), { workerPath: WORKER, name: 'conformance: stdin_wait' });
  let stdout = '';
  let typed = false;
  let closed = false;
  handle.on('stdout', (data) => {
    stdout += Buffer.from(data).toString('utf8');
    if (!typed && stdout.includes('ready for input\n')) {
      typed = true;
      handle.writeStdin(new TextEncoder().encode('ping\n'));
    }
    if (!closed && stdout.includes('ready for EOF\n')) {
      closed = true;
      handle.closeStdin();
    }
  });
  const timer = setTimeout(() => void handle.terminate(), 20_000);
  const exit: ExitInfo = await handle.exited;
  clearTimeout(timer);
  const expected = fs.readFileSync(path.join(FIXTURES, 'c/stdin_wait.expected'), 'utf8');
  assert.ok(stdout === expected, `stdin_wait stdout differs (- expected, + got):\n${lineDiff(expected, stdout)}`);
  assert.deepEqual(exit, { kind: 'exit', code: 0 });
});
