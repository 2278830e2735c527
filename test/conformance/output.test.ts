// Output integrity: big_output.wasm writes 200000 stdio lines and one 1 MiB fd_write; every byte must arrive, in
// order, through the runtime API and through the CLI into a pipe, and stderr separately.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURES, REPO, runInRuntime, runtimeMissing, wasmBytes } from './harness';

function expectedBigOutput(): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < 200_000; i++) lines.push(`line ${i}\n`);
  const block = Buffer.alloc(1 << 20);
  for (let i = 0; i < block.length; i++) block[i] = 97 + (i % 26);
  block[block.length - 1] = 10;
  return Buffer.concat([Buffer.from(lines.join('')), block]);
}

/** Where two buffers first differ, for a message that says what broke instead of dumping megabytes. */
function firstDifference(got: Buffer, want: Buffer): string {
  const limit = Math.min(got.length, want.length);
  for (let i = 0; i < limit; i++) {
    if (got[i] !== want[i]) return `first difference at byte ${i}: got ${JSON.stringify(got.subarray(i, i + 40).toString())}, want ${JSON.stringify(want.subarray(i, i + 40).toString())}`;
  }
  return `lengths differ: got ${got.length} bytes, want ${want.length}`;
}

test('output: 200000 lines and a 1 MiB write arrive intact through the runtime API', async (t) => {
  const missing = runtimeMissing();
  if (missing) {
    t.skip(missing);
    return;
  }
  const result = await runInRuntime('big_output', wasmBytes('c/big_output.wasm'), { timeoutMs: 60_000 });
  const want = expectedBigOutput();
  const got = Buffer.from(result.stdout, 'utf8');
  assert.ok(got.equals(want), firstDifference(got, want));
  assert.equal(result.stderr, 'done\n');
  assert.deepEqual(result.exit, { kind: 'exit', code: 0 });
});

test('output: the same through the CLI into a pipe', (t) => {
  const cli = path.join(REPO, 'dist/cli.js');
  if (!fs.existsSync(cli)) {
    t.skip(`needs ${cli}: run npm run build first`);
    return;
  }
  const result = spawnSync(process.execPath, [cli, 'run', path.join(FIXTURES, 'c/big_output.wasm')], {
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
    killSignal: 'SIGKILL',
  });
  const want = expectedBigOutput();
  assert.ok(result.stdout.equals(want), firstDifference(result.stdout, want));
  assert.equal(result.stderr.toString(), 'done\n');
  assert.equal(result.status, 0);
});
