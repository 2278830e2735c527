// The CLI's early worker: which commands start one, the launcher→CLI handoff, and lazily forwarded worker stdio.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { handOverEarlyWorker, receiveEarlyWorker, startWorkerEarly } from '../../src/cli/earlyWorker';

test('only run and launch (without --help) start a worker early', async () => {
  for (const argv of [[], ['--version'], ['--help'], ['run', '--help'], ['launch', '-h'], ['frobnicate', 'x.wasm']]) {
    assert.equal(startWorkerEarly(argv), undefined, argv.join(' '));
  }
  const worker = startWorkerEarly(['run', '--dir', '.', 'demo.wasm']);
  assert.ok(worker, 'run starts one');
  assert.equal((await worker.terminate()) >= 0, true);
});

test('the launcher hands its decision over once, including "no worker"', () => {
  assert.equal(receiveEarlyWorker(), undefined, 'nothing handed over: the CLI was started without the launcher');
  handOverEarlyWorker(undefined);
  assert.deepEqual(receiveEarlyWorker(), { worker: undefined }, 'the launcher decided there is none');
  assert.equal(receiveEarlyWorker(), undefined, 'taken once');
});

test('lazyStdio: what the worker thread itself prints still reaches the process stdout and stderr', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasi-early-worker-'));
  try {
    const workerScript = path.join(dir, 'noisy-worker.js');
    fs.writeFileSync(workerScript, "console.log('out from the thread'); console.error('err from the thread');\n");
    const threadModule = path.join(__dirname, '..', '..', 'src', 'runtime', 'workerThread.js');
    const main = `
      const { spawnRuntimeWorker } = require(${JSON.stringify(threadModule)});
      const worker = spawnRuntimeWorker({ workerPath: ${JSON.stringify(workerScript)}, name: 'noisy', lazyStdio: true });
      worker.on('exit', (code) => process.stdout.write('thread exit ' + code + '\\n'));`;
    const result = spawnSync(process.execPath, ['-e', main], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(result.status, 0, result.stderr);
    // The forwarded bytes and the thread's exit event come through different channels: their order is not fixed.
    assert.deepEqual(result.stdout.split('\n').sort(), ['', 'out from the thread', 'thread exit 0']);
    assert.equal(result.stderr, 'err from the thread\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
