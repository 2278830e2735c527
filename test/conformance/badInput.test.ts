// Bad input: modules that cannot run must end with an ExitInfo of kind 'error' whose message says what is wrong and what
// to change, without running anything, and without leaving a worker thread behind (the process must be able to exit).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { runInRuntime, runtimeMissing, wasmBytes } from './harness';

/** A module whose memory asks for 70000 pages (4.3 GiB): more than wasm32 allows (65536). Built here: wat2wasm refuses it. */
const HUGE_MEMORY = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x05, 0x01, 0x00, 0xf0, 0xa2, 0x04]);

interface BadCase {
  name: string;
  bytes: () => Uint8Array;
  entryFunction?: string;
  /** Every pattern must match the error message. */
  mentions: RegExp[];
}

const CASES: BadCase[] = [
  {
    name: 'a text file that is not wasm',
    bytes: () => new TextEncoder().encode('#!/bin/sh\necho this is not wasm\n'),
    mentions: [/not a WebAssembly binary/, /00 61 73 6d/],
  },
  { name: 'an empty file', bytes: () => new Uint8Array(0), mentions: [/empty/, /0 bytes/] },
  {
    name: 'a truncated module',
    bytes: () => wasmBytes('wat/exit_code.wasm').subarray(0, 100),
    mentions: [/truncated or corrupt/, /100 bytes/],
  },
  {
    name: 'an unknown WASI import',
    bytes: () => wasmBytes('bad/unknown_import.wasm'),
    mentions: [/"wasi_snapshot_preview1"\."fd_frobnicate"/, /not part of WASI preview1/],
  },
  {
    name: 'an import from an unknown namespace',
    bytes: () => wasmBytes('bad/unknown_module.wasm'),
    mentions: [/"acme"\."widget"/, /"imports" in launch\.json/],
  },
  {
    name: 'a module without _start',
    bytes: () => wasmBytes('bad/no_start.wasm'),
    mentions: [/no exported function "_start"/, /exports: main/, /entryFunction/],
  },
  {
    name: 'an entry function that does not exist',
    bytes: () => wasmBytes('wat/return_zero.wasm'),
    entryFunction: 'run_me',
    mentions: [/"run_me"/, /_start/],
  },
  {
    name: 'an initial memory beyond the wasm32 limit',
    bytes: () => HUGE_MEMORY,
    mentions: [/initial memory size \(70000 pages\)/, /65536/],
  },
];

for (const bad of CASES) {
  test(`bad input: ${bad.name} is a clear error`, async (t) => {
    const missing = runtimeMissing();
    if (missing) {
      t.skip(missing);
      return;
    }
    const result = await runInRuntime('bad', bad.bytes(), {
      configure: bad.entryFunction ? (builder) => void builder.entryFunction(bad.entryFunction as string) : undefined,
      timeoutMs: 10_000,
    });
    assert.equal(result.timedOut, false);
    assert.equal(result.exit.kind, 'error', `expected an error, got ${JSON.stringify(result.exit)}`);
    if (result.exit.kind !== 'error') return;
    for (const pattern of bad.mentions) assert.match(result.exit.message, pattern);
    assert.equal(result.stdout, '', 'nothing may run');
  });
}

test('bad input: memory.grow beyond the module maximum returns -1 to the guest (no crash)', async (t) => {
  const missing = runtimeMissing();
  if (missing) {
    t.skip(missing);
    return;
  }
  const result = await runInRuntime('grow_beyond_max', wasmBytes('bad/grow_beyond_max.wasm'));
  assert.equal(result.stdout, 'memory.grow beyond max: -1 OK\n');
  assert.deepEqual(result.exit, { kind: 'exit', code: 0 });
});

test('bad input: after every failed start the process exits by itself (no worker left running)', (t) => {
  const missing = runtimeMissing();
  if (missing) {
    t.skip(missing);
    return;
  }
  // A child process runs every bad case, then returns from its script: it must end on its own, promptly,
  // which it cannot while a worker thread or any other handle is still alive.
  const harness = path.join(__dirname, 'harness.js');
  const script = `
    const h = require(${JSON.stringify(harness)});
    const cases = [
      new TextEncoder().encode('not wasm'),
      h.wasmBytes('wat/exit_code.wasm').subarray(0, 100),
      h.wasmBytes('bad/unknown_import.wasm'),
      h.wasmBytes('bad/unknown_module.wasm'),
      h.wasmBytes('bad/no_start.wasm'),
      Uint8Array.from(${JSON.stringify(Array.from(HUGE_MEMORY))}),
    ];
    (async () => {
      for (const bytes of cases) {
        const r = await h.runInRuntime('bad', bytes, { timeoutMs: 10000 });
        process.stdout.write(r.exit.kind + '\\n');
      }
    })();`;
  const started = Date.now();
  const child = spawnSync(process.execPath, ['-e', script], { timeout: 20_000, killSignal: 'SIGKILL' });
  const elapsed = Date.now() - started;
  assert.equal(child.error, undefined, `the process did not exit on its own within 20 s (a worker or handle lingers): ${child.stderr}`);
  assert.equal(child.status, 0, child.stderr.toString());
  assert.equal(child.stdout.toString(), 'error\n'.repeat(6));
  assert.ok(elapsed < 15_000, `exiting took ${elapsed} ms`);
});
