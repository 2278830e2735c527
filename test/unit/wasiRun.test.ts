// runModule end to end with small WAT modules: output, exit codes, traps with named frames, and clear start-up errors.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { WasiEnvInit } from '../../src/builder/envInit';
import type { Vfs } from '../../src/vfs/vfs';
import { runModule } from '../../src/wasi/run';
import { Wasm, WasmModule } from '../../src/wasi/wasm';
import { FakeHost } from './fixtures/wasiHarness';
import { testInit, wat } from './runtimeTestSupport';

async function compile(text: string): Promise<WasmModule> {
  return new Wasm.Module(await wat(text));
}

function init(overrides: Partial<WasiEnvInit> = {}): WasiEnvInit {
  return testInit({ args: ['test.wasm'], stdin: { kind: 'none' }, ...overrides });
}

const HELLO = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello, wasi\\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 12))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))`;

test('hello world: stdout bytes, exit 0, the layout record comes first', async () => {
  const host = new FakeHost();
  const info = runModule(init(), await compile(HELLO), host);
  assert.deepEqual(info, { kind: 'exit', code: 0 });
  assert.equal(host.out(), 'hello, wasi\n');
  assert.equal(host.changes[0].kind, 'layout');
});

test('a syscall after memory.grow sees the new pages (the cached view of guest memory is refreshed)', async () => {
  const host = new FakeHost();
  const mod = await compile(`(module
    (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 1)
    (data (i32.const 16) "before\\n")
    (func (export "_start")
      (i32.store (i32.const 0) (i32.const 16))
      (i32.store (i32.const 4) (i32.const 7))
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
      (drop (memory.grow (i32.const 1)))
      ;; the text "after" and its iovec in the second page, only reachable once the view follows the growth
      (i64.store (i32.const 70000) (i64.const 0x0a7265746661))
      (i32.store (i32.const 70016) (i32.const 70000))
      (i32.store (i32.const 70020) (i32.const 6))
      (drop (call $fd_write (i32.const 1) (i32.const 70016) (i32.const 1) (i32.const 70024)))))`);
  assert.deepEqual(runModule(init(), mod, host), { kind: 'exit', code: 0 });
  assert.equal(host.out(), 'before\nafter\n');
});

test('proc_exit(n) → exit n, even from deep inside', async () => {
  const host = new FakeHost();
  const mod = await compile(`(module
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 1)
    (func $deep (call $exit (i32.const 7)) unreachable)
    (func (export "_start") (call $deep)))`);
  assert.deepEqual(runModule(init(), mod, host), { kind: 'exit', code: 7 });
});

test('a trap reports the message and the wasm stack with names from the name section, innermost first', async () => {
  const mod = await compile(`(module
    (memory (export "memory") 1)
    (func $inner (unreachable))
    (func $middle (call $inner))
    (func (export "_start") (call $middle)))`);
  // Without a name-section entry a frame is named by its index.
  const info = runModule(init(), mod, new FakeHost());
  assert.equal(info.kind, 'trap');
  if (info.kind !== 'trap') return;
  assert.match(info.message, /unreachable/);
  assert.deepEqual(info.frames.map((f) => f.functionName), ['inner', 'middle', 'wasm-function[2]']);
  assert.deepEqual(info.frames.map((f) => f.functionIndex), [0, 1, 2]);
  assert.ok(info.frames.every((f) => typeof f.moduleOffset === 'number' && f.raw.includes('wasm-function')));
});

test('out-of-bounds memory access and stack exhaustion are traps', async () => {
  const oob = await compile(`(module (memory (export "memory") 1)
    (func (export "_start") (drop (i32.load (i32.const 70000)))))`);
  const a = runModule(init(), oob, new FakeHost());
  assert.equal(a.kind, 'trap');
  assert.match(a.kind === 'trap' ? a.message : '', /out of bounds/);
  const rec = await compile(`(module (memory (export "memory") 1)
    (func $r (call $r)) (func (export "_start") (call $r)))`);
  const b = runModule(init(), rec, new FakeHost());
  assert.equal(b.kind, 'trap');
  assert.match(b.kind === 'trap' ? b.message : '', /call stack exhausted/);
  assert.equal(b.kind === 'trap' ? b.frames[0].functionName : '', 'r');
});

test('memory.grow beyond the maximum returns -1 to the guest (not a crash)', async () => {
  const mod = await compile(`(module
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 1 2)
    (func (export "_start") (call $exit (i32.add (i32.const 100) (memory.grow (i32.const 5))))))`);
  assert.deepEqual(runModule(init(), mod, new FakeHost()), { kind: 'exit', code: 99 });
});

test('unknown imports are reported before instantiation, naming the module, the import and the fix', async () => {
  const mod = await compile(`(module
    (import "env" "host_log" (func (param i32)))
    (import "wasi_snapshot_preview1" "fd_frobnicate" (func))
    (import "wasi_unstable" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
    (import "wasix_32v1" "getcwd" (func (param i32 i32) (result i32)))
    (import "wasix_32v1" "fd_frobnicate" (func))
    (import "wasix_64v1" "getcwd" (func (param i64 i64) (result i32)))
    (memory (export "memory") 1) (func (export "_start")))`);
  const info = runModule(init({ args: ['/work/app.wasm'] }), mod, new FakeHost());
  assert.equal(info.kind, 'error');
  const message = info.kind === 'error' ? info.message : '';
  assert.match(message, /the module \/work\/app\.wasm imports things this runtime does not provide/);
  assert.match(message, /"env"\."host_log" \(function\): provide the "env" namespace with "imports" in launch\.json \(\{ "env": "\.\/host\.js" \}/);
  assert.match(message, /"wasi_snapshot_preview1"\."fd_frobnicate" \(function\) is not part of WASI preview1/);
  assert.match(message, /"wasi_unstable"\."fd_write" \(function\): it was built for the old WASI snapshot 0/);
  // wasix_32v1 is provided (getcwd is not reported); an unknown WASIX name and 64-bit WASIX are.
  assert.doesNotMatch(message, /"wasix_32v1"\."getcwd"/);
  assert.match(message, /"wasix_32v1"\."fd_frobnicate" \(function\) is not a WASIX call this runtime knows \(docs\/wasix\.md lists them\)/);
  assert.match(message, /"wasix_64v1"\."getcwd" \(function\): it was built for 64-bit WASIX \(memory64\), and this runtime runs 32-bit modules only/);
});

test('a missing entry function lists the exported functions; a custom entry runs after _initialize', async () => {
  const mod = await compile(`(module
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 1)
    (global $g (mut i32) (i32.const 0))
    (func (export "_initialize") (global.set $g (i32.const 40)))
    (func (export "run") (call $exit (i32.add (global.get $g) (i32.const 2))))
    (func (export "other")))`);
  const missing = runModule(init(), mod, new FakeHost());
  assert.deepEqual(missing, {
    kind: 'error',
    message: 'the module test.wasm has no exported function "_start" to call. It exports: _initialize, run, other. Set "entryFunction" (launch.json) / --invoke to one of them.',
  });
  assert.deepEqual(runModule(init({ entryFunction: 'run' }), mod, new FakeHost()), { kind: 'exit', code: 42 });
});

test('a JavaScript error inside a syscall is reported as a runtime bug, not a crash', async () => {
  const host = new FakeHost();
  host.writeStdout = () => {
    throw new Error('boom in the host');
  };
  const info = runModule(init(), await compile(HELLO), host);
  assert.equal(info.kind, 'trap');
  assert.match(info.kind === 'trap' ? info.message : '', /^wasi-debug bug: internal error in fd_write: Error: boom in the host/);
});

test('additionalImports: a CommonJS file provides a namespace; its exceptions become traps', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasi-imports-'));
  try {
    const js = path.join(dir, 'env.js');
    fs.writeFileSync(js, 'exports.add = (a, b) => a + b; exports.fail = () => { throw new TypeError("bad input"); };');
    const mod = await compile(`(module
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (import "env" "add" (func $add (param i32 i32) (result i32)))
      (import "env" "fail" (func $fail))
      (memory (export "memory") 1)
      (func (export "_start") (call $exit (call $add (i32.const 20) (i32.const 22))))
      (func (export "boom") (call $fail)))`);
    const extra = { additionalImports: [{ module: 'env', hostPath: js }] };
    assert.deepEqual(runModule(init(extra), mod, new FakeHost()), { kind: 'exit', code: 42 });
    const boom = runModule(init({ ...extra, entryFunction: 'boom' }), mod, new FakeHost());
    assert.equal(boom.kind, 'trap');
    assert.match(boom.kind === 'trap' ? boom.message : '', /^TypeError: bad input \(thrown from a host function/);
    const missing = runModule(init({ additionalImports: [{ module: 'env', hostPath: path.join(dir, 'nope.js') }] }), mod, new FakeHost());
    assert.equal(missing.kind, 'error');
    assert.match(missing.kind === 'error' ? missing.message : '', /cannot load the "imports" module for "env" \(.*\): .* — fix the file or the path in launch\.json "imports"/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('seed entries and the current directory exist before the module starts; onVfsReady gets the VFS', async () => {
  let seen: Vfs | undefined;
  const info = runModule(
    init({
      currentDir: '/home/user',
      seed: [
        { kind: 'file', guestPath: '/etc/motd', data: Buffer.from('welcome') },
        { kind: 'dir', guestPath: '/var/empty' },
      ],
    }),
    await compile(HELLO),
    new FakeHost(),
    { onVfsReady: (vfs) => (seen = vfs) },
  );
  assert.deepEqual(info, { kind: 'exit', code: 0 });
  assert.ok(seen);
  assert.equal(Buffer.from(seen!.readWholeFile('/etc/motd')).toString(), 'welcome');
  assert.equal(seen!.walkAbsolute('/var/empty', true).entry?.type, 'directory');
  assert.equal(seen!.walkAbsolute('/home/user', true).entry?.type, 'directory');
});

test('a stdout file that cannot be opened is a clear error', async () => {
  const info = runModule(init({ stdout: { kind: 'file', hostPath: '/nonexistent-dir/out.txt', append: false } }), await compile(HELLO), new FakeHost());
  assert.equal(info.kind, 'error');
  assert.match(info.kind === 'error' ? info.message : '', /stdout: cannot open \/nonexistent-dir\/out\.txt/);
});

// fd_prestat_get(3) then proc_exit with its errno, or with pr_name_len when it succeeds and `nameLength` is asked.
function prestatProbe(nameLength: boolean, wasix: boolean): string {
  return `(module
    (import "wasi_snapshot_preview1" "fd_prestat_get" (func $prestat (param i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    ${wasix ? '(import "wasix_32v1" "thread_id" (func $tid (param i32) (result i32)))' : ''}
    (memory (export "memory") 1)
    (func (export "_start") (local $err i32)
      (local.set $err (call $prestat (i32.const 3) (i32.const 0)))
      (if (i32.and (i32.eqz (local.get $err)) (i32.const ${nameLength ? 1 : 0}))
        (then (call $exit (i32.load (i32.const 4)))))
      (call $exit (local.get $err))))`;
}

test('preopenRoot false: no "/" among the preopens (fd 3 EBADF, or the first mount); a WASIX module keeps it', async () => {
  const run = async (overrides: Partial<WasiEnvInit>, nameLength: boolean, wasix = false) =>
    runModule(init(overrides), await compile(prestatProbe(nameLength, wasix)), new FakeHost());
  assert.deepEqual(await run({}, true), { kind: 'exit', code: 1 }, 'default: fd 3 is "/" (name length 1)');
  assert.deepEqual(await run({ preopenRoot: false }, false), { kind: 'exit', code: 8 }, 'no preopen: EBADF');
  assert.deepEqual(
    await run({ preopenRoot: false, preopens: [{ kind: 'virtual', guestPath: '/data' }] }, true),
    { kind: 'exit', code: 5 },
    'fd 3 is the first mount, "/data"',
  );
  assert.deepEqual(await run({ preopenRoot: false }, true, true), { kind: 'exit', code: 1 }, 'WASIX: Wasmer\'s root stays fd 3');
});
