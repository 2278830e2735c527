// The runtime's worker glue and process handle, tested with a stand-in WASI: stdio rings, back-pressure, edits, exit, terminate.
import { after, test } from 'node:test';
import { readdirSync } from 'node:fs';
import assert from 'node:assert/strict';
import { VfsError, type ExitInfo } from '../../src/runtime/api';
import { WasiProcess } from '../../src/runtime/wasiProcess';
import { spawnRuntimeWorker } from '../../src/runtime/workerThread';
import type { WasiEnvInit } from '../../src/builder/envInit';
import {
  RecordingMirror,
  STAND_IN_WORKER,
  WAT_IMPORTS,
  WAT_WRITE_HELPER,
  captureOutput,
  delay,
  expectedFlood,
  floodWat,
  sha256,
  testInit,
  waitFor,
  wat,
} from './runtimeTestSupport';

const started: WasiProcess[] = [];
// A failed assertion can leave a guest blocked (on stdin, on a held ring): end them all so the run finishes.
after(() => Promise.all(started.map((handle) => handle.terminate())));

function start(bytes: Uint8Array, init: WasiEnvInit = testInit()): { handle: WasiProcess; mirror: () => RecordingMirror } {
  let mirror: RecordingMirror | undefined;
  const handle = new WasiProcess(init, bytes, { workerPath: STAND_IN_WORKER, name: 'runtime-test' }, (requestEdit) => {
    mirror = new RecordingMirror(requestEdit);
    return mirror;
  });
  started.push(handle);
  return { handle, mirror: () => mirror! };
}

const HELLO = `(module ${WAT_IMPORTS}
  (memory (export "memory") 1)
  (data (i32.const 16) "hello\\n")
  (data (i32.const 32) "oops\\n")
  ${WAT_WRITE_HELPER}
  (func (export "_start")
    (call $write (i32.const 1) (i32.const 16) (i32.const 6))
    (call $write (i32.const 2) (i32.const 32) (i32.const 5))
    (call $write (i32.const 1) (i32.const 16) (i32.const 6))))`;

/** Echoes stdin to stdout in reads of at most 100 bytes until end of input, then writes "<EOF>". */
const ECHO = `(module ${WAT_IMPORTS}
  (memory (export "memory") 1)
  (data (i32.const 16) "<EOF>")
  ${WAT_WRITE_HELPER}
  (func (export "_start") (local $n i32)
    (loop $again
      (i32.store (i32.const 32) (i32.const 1024))
      (i32.store (i32.const 36) (i32.const 100))
      (drop (call $fd_read (i32.const 0) (i32.const 32) (i32.const 1) (i32.const 40)))
      (local.set $n (i32.load (i32.const 40)))
      (if (i32.eqz (local.get $n)) (then (call $write (i32.const 1) (i32.const 16) (i32.const 5)) (return)))
      (call $write (i32.const 1) (i32.const 1024) (local.get $n))
      (br $again))))`;

const SPIN = `(module ${WAT_IMPORTS} (memory (export "memory") 1) (func (export "_start") (loop $l (br $l))))`;

test('stdout and stderr arrive in order and complete, then the exit', async () => {
  const { handle } = start(await wat(HELLO));
  const out = captureOutput(handle);
  const info = await handle.exited;
  assert.deepEqual(info, { kind: 'exit', code: 0 });
  assert.deepEqual(
    out.runs.map((r) => [r.stream, r.data.toString()]),
    [['stdout', 'hello\n'], ['stderr', 'oops\n'], ['stdout', 'hello\n']],
  );
});

test('proc_exit code and a trap are reported distinctly', async () => {
  const exit7 = `(module ${WAT_IMPORTS} (memory (export "memory") 1) (func (export "_start") (call $proc_exit (i32.const 7))))`;
  assert.deepEqual(await start(await wat(exit7)).handle.exited, { kind: 'exit', code: 7 });
  const trap = `(module ${WAT_IMPORTS} (memory (export "memory") 1) (func (export "_start") unreachable))`;
  const info = await start(await wat(trap)).handle.exited;
  assert.equal(info.kind, 'trap');
  assert.match((info as Extract<ExitInfo, { kind: 'trap' }>).message, /unreachable/);
});

test('a flood of 200,000 lines over both streams arrives complete and in order', async () => {
  const lines = 200_000;
  const { handle } = start(await wat(floodWat(lines)));
  const out = captureOutput(handle);
  assert.deepEqual(await handle.exited, { kind: 'exit', code: 0 });
  const expected = expectedFlood(lines);
  const runs = out.runs;
  assert.equal(runs.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.equal(runs[i].stream, expected[i].stream, `run ${i}`);
    assert.equal(sha256(runs[i].data), sha256(expected[i].data), `run ${i}`);
  }
});

test('back-pressure: while a listener holds output the guest waits, delivered bytes stay under the ring size', async () => {
  const lines = 400_000; // about 10 MB, ten times the 1 MiB ring
  const { handle } = start(await wat(floodWat(lines)));
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let deliveredWhileHeld = 0;
  let holding = true;
  const received: Buffer[] = [];
  const listener = (data: Uint8Array) => {
    received.push(Buffer.from(data));
    if (holding) {
      deliveredWhileHeld += data.length;
      return held;
    }
    return undefined;
  };
  handle.on('stdout', listener);
  handle.on('stderr', listener);
  let exited = false;
  void handle.exited.then(() => (exited = true));
  try {
    await waitFor(() => deliveredWhileHeld > 0, 'the first output');
    await delay(300);
    assert.equal(exited, false, 'the guest must be waiting for room, not finished');
    assert.ok(deliveredWhileHeld <= 1 << 20, `at most one ring of output in flight, got ${deliveredWhileHeld}`);
  } finally {
    holding = false;
    release(); // even when an assertion failed, so the worker is not left waiting for ever
  }
  assert.deepEqual(await handle.exited, { kind: 'exit', code: 0 });
  const total = received.reduce((sum, b) => sum + b.length, 0);
  const expected = expectedFlood(lines).reduce((sum, r) => sum + r.data.length, 0);
  assert.equal(total, expected);
});

test('stdin blocks until data, reads are in order, end of input is its own signal', async () => {
  const { handle } = start(await wat(ECHO));
  const out = captureOutput(handle);
  await delay(100);
  assert.equal(out.stdout(), '', 'nothing to echo yet');
  handle.writeStdin(Buffer.from('first line\n'));
  await waitFor(() => out.stdout() === 'first line\n', 'the first echo');
  handle.writeStdin(Buffer.from('second '));
  handle.writeStdin(Buffer.from('line\n'));
  handle.closeStdin();
  assert.deepEqual(await handle.exited, { kind: 'exit', code: 0 });
  assert.equal(out.stdout(), 'first line\nsecond line\n<EOF>');
});

test('stdin larger than its ring is delivered exactly, with flow control', async () => {
  const { handle } = start(await wat(ECHO));
  const out = captureOutput(handle);
  const input = Buffer.alloc(700_000);
  for (let i = 0; i < input.length; i++) input[i] = (i * 7 + (i >> 9)) & 0xff;
  const accepted = handle.writeStdin(input);
  assert.equal(accepted, true, 'under the 1 MiB high-water mark');
  handle.closeStdin();
  assert.deepEqual(await handle.exited, { kind: 'exit', code: 0 });
  const echoed = Buffer.from(out.stdout(), 'latin1');
  assert.equal(echoed.length, input.length + 5);
  assert.equal(sha256(echoed.subarray(0, input.length)), sha256(input));
});

test('pollStdin: times out without input, wakes on input', async () => {
  const poll = `(module ${WAT_IMPORTS}
    (import "test" "poll" (func $poll (param i32) (result i32)))
    (memory (export "memory") 1)
    ${WAT_WRITE_HELPER}
    (func (export "_start")
      (i32.store8 (i32.const 100) (i32.add (i32.const 48) (call $poll (i32.const 30))))
      (call $write (i32.const 1) (i32.const 100) (i32.const 1))
      (i32.store8 (i32.const 100) (i32.add (i32.const 48) (call $poll (i32.const -1))))
      (call $write (i32.const 1) (i32.const 100) (i32.const 1))))`;
  const { handle } = start(await wat(poll));
  const out = captureOutput(handle);
  await waitFor(() => out.stdout() === '0', 'the 30 ms poll to time out');
  await delay(50);
  assert.equal(out.stdout(), '0', 'the second poll waits for input');
  handle.writeStdin(Buffer.from('x'));
  await handle.exited;
  assert.equal(out.stdout(), '01');
});

test('filesystem changes reach the mirror in order, batched', async () => {
  const count = 10_000;
  const changes = `(module ${WAT_IMPORTS}
    (import "test" "change" (func $change (param i32)))
    (memory (export "memory") 1)
    (func (export "_start") (local $i i32)
      (loop $l (call $change (local.get $i)) (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (i32.const ${count}))))))`;
  const { handle, mirror } = start(await wat(changes));
  await handle.exited;
  const paths = mirror().changes.map((c) => (c.kind === 'hostChanged' ? c.guestPath : '?'));
  assert.equal(paths.length, count);
  assert.deepEqual(paths.slice(0, 3), ['/f0', '/f1', '/f2']);
  assert.equal(paths[count - 1], `/f${count - 1}`);
  assert.ok(paths.every((p, i) => p === `/f${i}`));
  assert.ok(mirror().batches.length < count / 10, `batched: ${mirror().batches.length} batches`);
});

test('a change followed by a computation without syscalls reaches the mirror at once', async () => {
  const changeThenSpin = `(module ${WAT_IMPORTS}
    (import "test" "change" (func $change (param i32)))
    (memory (export "memory") 1)
    (func (export "_start") (call $change (i32.const 42)) (loop $l (br $l))))`;
  const { handle, mirror } = start(await wat(changeThenSpin));
  await waitFor(() => mirror().changes.length === 1, 'the change while the guest spins');
  assert.deepEqual(mirror().changes, [{ kind: 'hostChanged', guestPath: '/f42' }]);
  await handle.terminate();
});

test('an edit from the main thread is applied while the guest blocks on stdin; refusals carry the code', async () => {
  const { handle, mirror } = start(await wat(ECHO));
  await delay(100);
  await mirror().writeFile('/note.txt', Buffer.from('hi'), { create: true, overwrite: true });
  assert.deepEqual(mirror().changes, [{ kind: 'hostChanged', guestPath: '/note.txt' }], 'the change arrived before the edit resolved');
  await assert.rejects(mirror().delete('/x', { recursive: false }), (error: unknown) => {
    assert.ok(error instanceof VfsError);
    assert.equal(error.code, 'ENOTSUP');
    assert.equal(error.path, '/x');
    return true;
  });
  handle.closeStdin();
  await handle.exited;
  // The exit is reported before the thread has ended; the mirror takes over once it has (which, on a loaded
  // machine, may be well after 50 polls of 10 ms).
  await waitFor(() => mirror().authoritative, 'the mirror to take over after the worker is gone', 20_000);
});

test('an edit requested before the worker even started is applied once the filesystem exists', async () => {
  const { handle, mirror } = start(await wat(ECHO));
  const edited = mirror().writeFile('/early.txt', Buffer.from('x'), { create: true, overwrite: true });
  await edited;
  assert.deepEqual(mirror().changes, [{ kind: 'hostChanged', guestPath: '/early.txt' }]);
  handle.closeStdin();
  assert.deepEqual(await handle.exited, { kind: 'exit', code: 0 });
});

// terminate() returning at all is the point (a pure-wasm loop never yields): the test's timeout turns a hang into a
// failure, where a 2 s wall-clock limit only measured the machine's load.
test('terminate ends an infinite loop and reports terminated', { timeout: 60_000 }, async () => {
  const { handle } = start(await wat(SPIN));
  const exits: ExitInfo[] = [];
  handle.on('exit', (info) => exits.push(info));
  await delay(150);
  await handle.terminate();
  assert.deepEqual(await handle.exited, { kind: 'terminated' });
  assert.deepEqual(exits, [{ kind: 'terminated' }]);
});

test('terminate ends a guest blocked on stdin and one blocked on a full output ring', async () => {
  const blockedOnStdin = start(await wat(ECHO)).handle;
  await delay(100);
  await blockedOnStdin.terminate();
  assert.deepEqual(await blockedOnStdin.exited, { kind: 'terminated' });

  const flooding = start(await wat(floodWat(400_000))).handle;
  flooding.on('stdout', () => new Promise<void>(() => {})); // never releases
  await delay(200);
  await flooding.terminate();
  assert.deepEqual(await flooding.exited, { kind: 'terminated' });
});

test('bad modules exit with a clear error (the thread check below proves no worker remains)', async () => {
  const notWasm = start(Buffer.from('#!/bin/sh\necho hi\n')).handle;
  const exitEvents: ExitInfo[] = [];
  notWasm.on('exit', (info) => exitEvents.push(info)); // registered after the start: the event must still come
  const info = await notWasm.exited;
  assert.deepEqual(exitEvents, [info]);
  assert.equal(info.kind, 'error');
  assert.match((info as { message: string }).message, /not a WebAssembly binary: it starts with 23 21 2f 62/);

  const hello = await wat(HELLO);
  const truncated = await start(hello.subarray(0, hello.length - 10)).handle.exited;
  assert.equal(truncated.kind, 'error');
  assert.match((truncated as { message: string }).message, /truncated|corrupt/);

  const empty = await start(new Uint8Array(0)).handle.exited;
  assert.deepEqual(empty, { kind: 'error', message: 'the module file is empty (0 bytes), not WebAssembly' });
});

test('a worker script that fails to load becomes an error exit', async () => {
  const handle = new WasiProcess(testInit(), await wat(HELLO), { workerPath: '/nonexistent/worker.js' }, (requestEdit) => new RecordingMirror(requestEdit));
  const info = await handle.exited;
  assert.equal(info.kind, 'error');
  assert.match((info as { message: string }).message, /runtime worker failed: .*Cannot find module/);
});

test('no worker thread is left behind after exits, traps, errors and terminates', async (t) => {
  if (process.platform !== 'linux') return t.skip('counts threads in /proc/self/task');
  const threads = () => readdirSync('/proc/self/task').length;
  const [hello, trap, spin, echo] = await Promise.all([
    wat(HELLO),
    wat(`(module ${WAT_IMPORTS} (memory (export "memory") 1) (func (export "_start") unreachable))`),
    wat(SPIN),
    wat(ECHO),
  ]);
  await start(hello).handle.exited; // warm-up: libuv and V8 create their helper threads once
  await delay(100);
  const baseline = threads();
  const truncated = hello.subarray(0, hello.length - 10); // compiles while a worker boots: that worker must go too
  const running = [start(hello).handle, start(trap).handle, start(spin).handle, start(echo).handle, start(Buffer.from('nope')).handle, start(truncated).handle];
  await delay(150);
  assert.ok(threads() > baseline, 'the workers are threads of this process');
  await running[2].terminate();
  await running[3].terminate();
  await Promise.all(running.map((h) => h.exited));
  // Bounded against a thread left behind, not for speed: teardown of six threads can take seconds on a loaded machine.
  await waitFor(() => threads() === baseline, `thread count back to ${baseline} (now ${threads()})`, 20_000);
});

test('endWorkerWithModule: the thread ends right after the exit (no edit service); without it, it waits until the host closes', async () => {
  const hello = await wat(HELLO);
  for (const endWorkerWithModule of [false, true]) {
    // Output is held by the listener, so the host cannot finish (and send 'close') until released.
    const worker = spawnRuntimeWorker({ workerPath: STAND_IN_WORKER, name: 'runtime-test' });
    let threadGone = false;
    worker.once('exit', () => (threadGone = true));
    const handle = new WasiProcess(testInit(), hello, { prestartedWorker: worker, endWorkerWithModule }, (requestEdit) => new RecordingMirror(requestEdit));
    started.push(handle);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const received: string[] = [];
    handle.on('stdout', (data) => {
      received.push(Buffer.from(data).toString());
      return held;
    });
    try {
      await waitFor(() => received.length > 0, 'the first output');
      if (endWorkerWithModule) {
        await waitFor(() => threadGone, 'the worker thread to end while the host still holds output');
      } else {
        await delay(300);
        assert.equal(threadGone, false, 'the worker serves edits until the host closes the edit port');
      }
    } finally {
      release();
    }
    assert.deepEqual(await handle.exited, { kind: 'exit', code: 0 });
    assert.equal(received.join(''), 'hello\nhello\n', 'every byte is delivered either way');
    await waitFor(() => threadGone, 'the worker thread to end');
  }
});
