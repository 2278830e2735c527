// startWasiProcess with the real worker (WASI + VFS) and the real mirror: the filesystem is readable and editable from
// the main thread while the module blocks on stdin, computes, and after it exits or is terminated.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { startWasiProcess as startProcess, type WasiProcess } from '../../src/runtime/process';
import { VfsError } from '../../src/runtime/api';
import { captureOutput, testInit, waitFor, wat } from './runtimeTestSupport';

const root = path.resolve(__dirname, '..', '..', '..');
const probe = readFileSync(path.join(root, 'test', 'fixtures', 'cli', 'probe.wasm'));
const spin = readFileSync(path.join(root, 'test', 'fixtures', 'dap', 'loop.wasm'));
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString();

const started: WasiProcess[] = [];
// A failed assertion can leave a guest blocked on stdin or spinning: end them all so the run finishes.
after(() => Promise.all(started.map((handle) => handle.terminate())));
const startWasiProcess = (...args: Parameters<typeof startProcess>): WasiProcess => {
  const handle = startProcess(...args);
  started.push(handle);
  return handle;
};

test('the mirror shows what the guest wrote while it blocks on stdin; an edit then reaches the guest', async () => {
  const handle = startWasiProcess(testInit({ args: ['probe', 'interact'] }), probe);
  const out = captureOutput(handle);
  await waitFor(() => out.stdout() === 'ready\n', 'the guest to block on stdin');
  await waitFor(() => {
    try {
      return text(handle.vfs.readFile('/tmp/from-guest.txt')) === 'guest wrote this\n';
    } catch {
      return false;
    }
  }, 'the guest file in the mirror');
  assert.deepEqual(handle.vfs.stat('/tmp/from-guest.txt').kind, 'file');
  assert.equal(handle.vfs.stat('/tmp/from-guest.txt').size, 17);
  assert.ok(handle.vfs.readDirectory('/tmp').some((e) => e.name === 'from-guest.txt' && e.kind === 'file'));

  // The guest is blocked in fd_read: the edit is applied by the worker while it waits, before the read returns.
  await handle.vfs.writeFile('/tmp/from-host.txt', Buffer.from('hello guest'), { create: true, overwrite: false });
  assert.equal(text(handle.vfs.readFile('/tmp/from-host.txt')), 'hello guest');
  await assert.rejects(
    handle.vfs.writeFile('/tmp/from-host.txt', Buffer.from('again'), { create: true, overwrite: false }),
    (error: unknown) => error instanceof VfsError && error.code === 'EEXIST',
  );
  handle.writeStdin(Buffer.from('go\n'));
  assert.deepEqual(await handle.exited, { kind: 'exit', code: 0 });
  assert.equal(out.stdout(), 'ready\nhost said: hello guest\n');

  // After the exit the mirror is the filesystem: still readable, and edits apply to it directly.
  await waitFor(() => {
    try {
      handle.vfs.readFile('/tmp/from-guest.txt');
      return true;
    } catch {
      return false;
    }
  }, 'the mirror after exit');
  await handle.vfs.writeFile('/tmp/after-exit.txt', Buffer.from('kept'), { create: true, overwrite: true });
  assert.equal(text(handle.vfs.readFile('/tmp/after-exit.txt')), 'kept');
});

test('the mirror answers while the guest computes in an infinite loop, and after it is terminated', { timeout: 60_000 }, async () => {
  const handle = startWasiProcess(testInit({ args: ['loop'], seed: [{ kind: 'file', guestPath: '/seeded.txt', data: Buffer.from('seed') }] }), spin);
  await waitFor(() => {
    try {
      return text(handle.vfs.readFile('/seeded.txt')) === 'seed';
    } catch {
      return false;
    }
  }, 'the seeded file in the mirror');
  // terminate() returning at all is the point (a pure-wasm loop never yields): the test's timeout turns a hang into
  // a failure, where a 2 s wall-clock limit only measured the machine's load.
  await handle.terminate();
  assert.deepEqual(await handle.exited, { kind: 'terminated' });
  assert.equal(text(handle.vfs.readFile('/seeded.txt')), 'seed');
  await handle.vfs.createDirectory('/made-after');
  assert.equal(handle.vfs.stat('/made-after').kind, 'directory');
});

test('an unknown import is a clear start error, reported once, with no output', async () => {
  const fixed = await wat('(module (import "env" "missing" (func)) (memory (export "memory") 1) (func (export "_start") call 0))');
  const handle = startWasiProcess(testInit({ args: ['needs-env'] }), fixed);
  const exits: unknown[] = [];
  handle.on('exit', (info) => exits.push(info));
  const info = await handle.exited;
  assert.equal(info.kind, 'error');
  assert.match((info as { message: string }).message, /"env"\."missing" \(function\)/);
  assert.equal(exits.length, 1);
});
