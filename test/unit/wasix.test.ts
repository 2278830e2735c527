// WASIX (wasix_32v1) syscall by syscall: exact errnos and bytes for getcwd/chdir, dup and shared offsets, pipes, tty, traces, and how runModule links and ends WASIX modules.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { WasiEnvInit } from '../../src/builder/envInit';
import { PREVIEW1_FUNCTIONS } from '../../src/wasi/preview1';
import { instantiateCreatingMemory } from '../../src/wasi/importedMemory';
import { runModule } from '../../src/wasi/run';
import { Wasm, WasmModule } from '../../src/wasi/wasm';
import { Wasix, WASIX_FUNCTIONS, WASIX_IMPLEMENTED, WASIX_UNSUPPORTED } from '../../src/wasi/wasix';
import { ALL, FakeHost, Guest, type GuestOptions } from './fixtures/wasiHarness';
import { testInit, wat } from './runtimeTestSupport';

type Sys = Record<string, (...args: Array<number | bigint>) => number>;
const E = { SUCCESS: 0, ACCES: 2, AGAIN: 6, BADF: 8, DEADLK: 16, FAULT: 21, ILSEQ: 25, INVAL: 28, NOENT: 44, NOTDIR: 54, NOTSUP: 58, PERM: 63, PIPE: 64, RANGE: 68 };
const ROOT = 3;

function wasixGuest(options: GuestOptions & { cwd?: string } = {}): { g: Guest; wasix: Wasix; x: Sys } {
  const g = new Guest(options);
  const t = options.terminal ?? [false, false, false];
  const wasix = new Wasix(g.wasi, { vfs: g.vfs, host: g.host, currentDir: options.cwd ?? '/', terminal: t });
  wasix.bindMemory(g.memory);
  const x = wasix.imports(g.wasi.imports()) as unknown as Sys;
  return { g, wasix, x };
}

function getcwd(g: Guest, x: Sys, max = 256): { errno: number; len: number; text: string; ptr: number } {
  const buf = g.alloc(Math.max(max, 1));
  g.u8.fill(0xaa, buf, buf + max);
  const lenPtr = g.alloc(4);
  g.view.setUint32(lenPtr, max, true);
  const errno = x.getcwd(buf, lenPtr);
  const len = g.u32(lenPtr);
  return { errno, len, text: errno === 0 ? g.bytes(buf, len).toString() : '', ptr: buf };
}

function chdir(g: Guest, x: Sys, p: string | Uint8Array): number {
  const [ptr, len] = g.str(p);
  return x.chdir(ptr, len);
}

test('the wasix_32v1 namespace: all 46 preview1 names plus every Wasmer wasix_exports_32 name', () => {
  // lib/wasix/src/lib.rs (wasix_exports_32) of Wasmer 4.x, beyond the preview1 names.
  const wasmer = [
    'clock_time_set', 'epoll_create', 'epoll_ctl', 'epoll_wait', 'fd_dup', 'fd_dup2', 'fd_fdflags_get', 'fd_fdflags_set',
    'fd_event', 'fd_pipe', 'path_open2', 'proc_fork', 'proc_join', 'proc_signal', 'proc_exec', 'proc_exec2', 'proc_exec3',
    'proc_raise_interval', 'proc_snapshot', 'proc_spawn', 'proc_id', 'proc_parent', 'tty_get', 'tty_set', 'getcwd',
    'chdir', 'callback_signal', 'thread_spawn', 'thread_spawn_v2', 'thread_sleep', 'thread_id', 'thread_signal',
    'thread_join', 'thread_parallelism', 'thread_exit', 'stack_checkpoint', 'stack_restore', 'futex_wait', 'futex_wake',
    'futex_wake_all', 'port_bridge', 'port_unbridge', 'port_dhcp_acquire', 'port_addr_add', 'port_addr_remove',
    'port_addr_clear', 'port_addr_list', 'port_mac', 'port_gateway_set', 'port_route_add', 'port_route_remove',
    'port_route_clear', 'port_route_list', 'sock_status', 'sock_addr_local', 'sock_addr_peer', 'sock_open', 'sock_pair',
    'sock_set_opt_flag', 'sock_get_opt_flag', 'sock_set_opt_time', 'sock_get_opt_time', 'sock_set_opt_size',
    'sock_get_opt_size', 'sock_join_multicast_v4', 'sock_leave_multicast_v4', 'sock_join_multicast_v6',
    'sock_leave_multicast_v6', 'sock_bind', 'sock_listen', 'sock_accept_v2', 'sock_connect', 'sock_recv_from',
    'sock_send_to', 'sock_send_file', 'resolve',
  ];
  const missing = [...PREVIEW1_FUNCTIONS, ...wasmer].filter((n) => !WASIX_FUNCTIONS.has(n));
  assert.deepEqual(missing, []);
  const overlap = WASIX_IMPLEMENTED.filter((n) => (WASIX_UNSUPPORTED as readonly string[]).includes(n));
  assert.deepEqual(overlap, [], 'a name is either implemented or ENOTSUP');
  const { x } = wasixGuest();
  for (const name of WASIX_FUNCTIONS) assert.equal(typeof x[name], 'function', name);
});

test('getcwd: the launch.json cwd, exact bytes, the rest of the buffer zeroed, ERANGE with the needed length', () => {
  const { g, x } = wasixGuest({ preopens: [{ kind: 'virtual', guestPath: '/work' }], cwd: '/work' });
  const ok = getcwd(g, x, 8);
  assert.deepEqual([ok.errno, ok.len, ok.text], [E.SUCCESS, 5, '/work']);
  assert.deepEqual([...g.bytes(ok.ptr, 8)], [0x2f, 0x77, 0x6f, 0x72, 0x6b, 0, 0, 0]);
  const short = getcwd(g, x, 4);
  assert.deepEqual([short.errno, short.len], [E.RANGE, 5]);
  assert.deepEqual([...g.bytes(short.ptr, 4)], [0xaa, 0xaa, 0xaa, 0xaa], 'nothing written on ERANGE');
  const exact = getcwd(g, x, 5);
  assert.deepEqual([exact.errno, exact.text], [E.SUCCESS, '/work'], 'a buffer of exactly the length is enough (no NUL)');
  const lenPtr = g.alloc(4);
  g.view.setUint32(lenPtr, 16, true);
  assert.equal(x.getcwd(0, lenPtr), E.INVAL);
  assert.equal(x.getcwd(g.alloc(4), 4 * 65536 - 2), E.FAULT);
});

test('chdir: relative and absolute, normalised, symlinks followed, ENOENT/ENOTDIR/EILSEQ, never outside "/"', () => {
  const { g, x, wasix } = wasixGuest({ cwd: '/' });
  assert.equal(g.path('path_create_directory', ROOT, 'a'), 0);
  assert.equal(g.path('path_create_directory', ROOT, 'a/b'), 0);
  assert.equal(g.open(ROOT, 'a/file', 1).errno, 0);
  const [tp, tl] = g.str('a/b');
  const [lp, ll] = g.str('link');
  assert.equal(g.sys.path_symlink(tp, tl, ROOT, lp, ll), 0);

  assert.equal(chdir(g, x, 'a'), E.SUCCESS);
  assert.equal(wasix.currentDir, '/a');
  assert.equal(chdir(g, x, 'b/./../b/'), E.SUCCESS);
  assert.equal(getcwd(g, x).text, '/a/b');
  assert.equal(chdir(g, x, '/link'), E.SUCCESS, 'a symlink to a directory');
  assert.equal(getcwd(g, x).text, '/link', 'getcwd keeps the path as given (like Wasmer), not the target');
  assert.equal(chdir(g, x, '../../../..'), E.SUCCESS, '".." stops at "/"');
  assert.equal(getcwd(g, x).text, '/');
  assert.equal(chdir(g, x, 'nope'), E.NOENT);
  assert.equal(chdir(g, x, 'a/file'), E.NOTDIR);
  assert.equal(chdir(g, x, 'a/file/x'), E.NOTDIR);
  assert.equal(chdir(g, x, ''), E.NOENT);
  assert.equal(chdir(g, x, new Uint8Array([0x61, 0xff])), E.ILSEQ);
  assert.equal(getcwd(g, x).text, '/', 'a failed chdir leaves the directory alone');
  assert.equal(chdir(g, x, '/a/./b//../b/'), E.SUCCESS);
  assert.equal(getcwd(g, x).text, '/a/b', 'the directory is kept normalized');
});

test('fd_dup shares the open file: one offset, the file stays open until its last descriptor closes', () => {
  const { g, x } = wasixGuest();
  const { fd } = g.open(ROOT, 'f', 1);
  assert.equal(g.write(fd, 'abcdef').n, 6);
  const out = g.alloc(4);
  assert.equal(x.fd_dup(fd, out), 0);
  const dup = g.u32(out);
  assert.equal(dup, fd + 1);
  const pos = g.alloc(8);
  assert.equal(g.sys.fd_tell(dup, pos), 0);
  assert.equal(g.u64(pos), 6n, 'the dup starts at the shared offset');
  assert.equal(g.sys.fd_seek(dup, 2n, 0, pos), 0);
  assert.equal(g.sys.fd_tell(fd, pos), 0);
  assert.equal(g.u64(pos), 2n, 'seeking one moves the other');
  assert.equal(x.fd_close(fd), 0);
  const r = g.read(dup, 10);
  assert.deepEqual([r.errno, r.data.toString()], [0, 'cdef'], 'the dup still reads after the original closed');
  assert.equal(x.fd_close(dup), 0);
  assert.equal(x.fd_close(dup), E.BADF);
  assert.equal(x.fd_dup(99, out), E.BADF);
  assert.equal(x.fd_dup2(1, 2 ** 21, 0, out), E.INVAL, 'min_result_fd beyond the table limit');
});

test('a host file dup\'d and left open is closed exactly once at exit (closeAll)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasi-debug-wasix-'));
  try {
    const { g, x } = wasixGuest({ preopens: [{ kind: 'host', hostPath: dir, guestPath: '/h', read: true, write: true, create: true }] });
    const { fd } = g.open(4, 'out.txt', 1);
    assert.equal(g.write(fd, 'kept').n, 4);
    const out = g.alloc(4);
    assert.equal(x.fd_dup2(fd, 20, 1, out), 0);
    assert.equal(g.u32(out), 20);
    let closes = 0;
    const original = g.vfs.closeHandle.bind(g.vfs);
    g.vfs.closeHandle = (h) => {
      closes++;
      original(h);
    };
    g.wasi.closeAll();
    assert.equal(closes, 1);
    assert.equal(fs.readFileSync(path.join(dir, 'out.txt'), 'utf8'), 'kept');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('fd_renumber (WASIX, both namespaces): dup2 — the source stays open; CLOEXEC does not follow; preopens refused', () => {
  const { g, x } = wasixGuest();
  const { fd } = g.open(ROOT, 'f', 1);
  const out = g.alloc(4);
  assert.equal(x.fd_dup2(fd, 0, 1, out), 0);
  const cloexecFd = g.u32(out);
  assert.equal(x.fd_renumber(cloexecFd, 9), 0);
  const flags = g.alloc(2);
  assert.equal(x.fd_fdflags_get(9, flags), 0);
  assert.equal(g.view.getUint16(flags, true), 0);
  assert.equal(x.fd_fdflags_get(cloexecFd, flags), 0);
  assert.equal(g.view.getUint16(flags, true), 1, 'the source keeps its own CLOEXEC');
  assert.equal(x.fd_renumber(9, 9), 0);
  assert.equal(x.fd_renumber(9, ROOT), E.NOTSUP);
  assert.equal(x.fd_renumber(42, 9), E.BADF);
  // Onto an open descriptor of its own: that one is closed first, the shared file stays open.
  assert.equal(x.fd_renumber(fd, 9), 0);
  assert.equal(g.write(9, 'x').errno, 0);
  assert.equal(g.write(fd, 'y').errno, 0);
});

test('fd_fdflags_set needs FD_FDSTAT_SET_FLAGS (EACCES, as Wasmer); path_open2 sets CLOEXEC and refuses unknown bits', () => {
  const { g, x } = wasixGuest();
  const noFlagsRight = ALL & ~(1n << 3n);
  const { fd } = g.open(ROOT, 'f', 1, noFlagsRight, 0n);
  assert.equal(x.fd_fdflags_set(fd, 1), E.ACCES);
  const [p, l] = g.str('g');
  const out = g.alloc(4);
  assert.equal(x.path_open2(ROOT, 1, p, l, 1, ALL, ALL, 0, 1, out), 0);
  const flags = g.alloc(2);
  assert.equal(x.fd_fdflags_get(g.u32(out), flags), 0);
  assert.equal(g.view.getUint16(flags, true), 1);
  assert.equal(x.path_open2(ROOT, 1, p, l, 1, ALL, ALL, 0, 2, out), E.INVAL);
  assert.equal(x.path_open2(ROOT, 1, p, l, 0, ALL, ALL, 0, 0, out), 0);
  assert.equal(x.fd_fdflags_get(g.u32(out), flags), 0);
  assert.equal(g.view.getUint16(flags, true), 0);
  const [mp, ml] = g.str('missing/x');
  assert.equal(x.path_open2(ROOT, 1, mp, ml, 0, ALL, ALL, 0, 1, out), E.NOENT, 'path_open errors pass through');
});

test('fd_pipe: bytes across, EOF after close, EPIPE, EDEADLK, and poll_oneoff sleeps on an empty pipe instead of spinning', () => {
  const { g, x } = wasixGuest();
  const ends = g.alloc(8);
  assert.equal(x.fd_pipe(ends, ends + 4), 0);
  const [r, w] = [g.u32(ends), g.u32(ends + 4)];
  assert.deepEqual([r, w], [4, 5]);
  // Stream rights: read, write, fdstat_set_flags, filestat_get, poll, sync, datasync, advise — no seek or tell.
  const streamRights = BigInt(2 | 64 | 8 | (1 << 21) | (1 << 27) | 16 | 1 | 128);
  assert.deepEqual(g.fdstat(r), { errno: 0, filetype: 0, flags: 0, base: streamRights, inheriting: 0n });
  assert.equal(g.write(w, 'hello ').n, 6);
  assert.equal(g.write(w, 'pipe').n, 4);
  const a = g.read(r, 3);
  assert.equal(a.data.toString(), 'hel', 'a short read takes the front');
  assert.equal(g.read(r, 64).data.toString(), 'lo pipe', 'then the rest, across writes');
  assert.equal(g.read(r, 64).errno, E.DEADLK);

  // poll_oneoff: a read subscription on the empty pipe plus a 50 ms clock → the clock fires, after sleeping.
  const subs = g.alloc(96);
  const events = g.alloc(64);
  const n = g.alloc(4);
  const v = g.view;
  v.setBigUint64(subs, 1n, true);
  v.setUint8(subs + 8, 1);
  v.setUint32(subs + 16, r, true);
  v.setBigUint64(subs + 48, 2n, true);
  v.setUint8(subs + 56, 0);
  v.setUint32(subs + 64, 1, true);
  v.setBigUint64(subs + 72, 50_000_000n, true);
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  assert.equal(g.sys.poll_oneoff(subs, events, 2, n), 0);
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = process.cpuUsage(cpuBefore);
  assert.equal(g.u32(n), 1);
  assert.equal(g.u64(events), 2n, 'the clock subscription fired');
  assert.ok(elapsedMs >= 49, `waited ${elapsedMs} ms`);
  // Spinning would cost about the whole wait in CPU time; sleeping costs next to nothing.
  assert.ok((cpu.user + cpu.system) / 1000 < elapsedMs / 2, `slept rather than spinning (${(cpu.user + cpu.system) / 1000} ms CPU in ${elapsedMs} ms)`);
  // With data queued the read subscription is ready at once.
  assert.equal(g.write(w, 'x').n, 1);
  assert.equal(g.sys.poll_oneoff(subs, events, 2, n), 0);
  assert.equal(g.u64(events), 1n);

  assert.equal(x.fd_close(w), 0);
  assert.equal(g.read(r, 64).data.toString(), 'x', 'what was written before the close is still read');
  const eof = g.read(r, 64);
  assert.deepEqual([eof.errno, eof.data.length], [0, 0]);
  assert.equal(g.write(r, 'late').errno, E.PIPE);
});

test('tty_get: 24 bytes in Wasmer\'s layout; an interactive console is echoed and line-buffered; tty_set is reported back', () => {
  const { g, x } = wasixGuest({ terminal: [true, true, false] });
  const p = g.alloc(32);
  g.u8.fill(0xee, p, p + 32);
  assert.equal(x.tty_get(p), 0);
  assert.deepEqual([...g.bytes(p, 25)], [80, 0, 0, 0, 25, 0, 0, 0, 0x20, 3, 0, 0, 0x58, 2, 0, 0, 1, 1, 0, 1, 1, 1, 0, 0, 0xee]);
  g.view.setUint32(p + 4, 50, true);
  g.u8[p + 19] = 0;
  g.u8[p + 20] = 0;
  assert.equal(x.tty_set(p), 0);
  const q = g.alloc(24);
  assert.equal(x.tty_get(q), 0);
  assert.deepEqual([...g.bytes(q, 24)], [80, 0, 0, 0, 50, 0, 0, 0, 0x20, 3, 0, 0, 0x58, 2, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0]);
  assert.equal(x.tty_set(4 * 65536 - 8), E.FAULT);
});

test('identity, clocks and signals: exact results; unsupported calls answer ENOTSUP and are traced by name', () => {
  const { g, x } = wasixGuest({ trace: true });
  const out = g.alloc(8);
  for (const [name, want] of [['proc_id', 1], ['thread_id', 1], ['thread_parallelism', 1], ['proc_signals_sizes_get', 0]] as const) {
    g.view.setUint32(out, 0xffff, true);
    assert.equal(x[name](out), 0, name);
    assert.equal(g.u32(out), want, name);
  }
  assert.equal(x.proc_parent(1, out), 0);
  assert.equal(g.u32(out), 0);
  assert.equal(x.proc_parent(2, out), E.BADF);
  assert.equal(x.clock_time_set(0, 5n), E.PERM);
  assert.equal(x.clock_time_set(7, 5n), E.INVAL);
  assert.equal(x.thread_sleep(0n), 0);
  const [np, nl] = g.str('handler');
  x.callback_signal(np, nl);
  g.host.traces.length = 0;
  assert.equal(x.sock_open(1, 1, 0, out), E.NOTSUP);
  assert.equal(x.futex_wake(out, out), E.NOTSUP);
  assert.equal(x.thread_spawn(0, out), E.NOTSUP);
  assert.deepEqual(g.host.traces.map((t) => [t.name, t.result]), [['sock_open', 'ENOTSUP'], ['futex_wake', 'ENOTSUP'], ['thread_spawn', 'ENOTSUP']]);
  g.host.traces.length = 0;
  const [cp, cl] = g.str('/');
  assert.equal(x.chdir(cp, cl), 0);
  assert.deepEqual(g.host.traces.map((t) => [t.name, t.args, t.result]), [['chdir', `"/", 1`, 'ESUCCESS']]);
});

// ---- whole modules through runModule -------------------------------------------------------------------------------

async function compile(text: string): Promise<WasmModule> {
  return new Wasm.Module(await wat(text));
}

function init(overrides: Partial<WasiEnvInit> = {}): WasiEnvInit {
  return testInit({ args: ['w.wasm'], stdin: { kind: 'none' }, ...overrides });
}

test('runModule: proc_exit2 and thread_exit end the program with their code', async () => {
  const exit2 = await compile(`(module (import "wasix_32v1" "proc_exit2" (func $e (param i32)))
    (memory (export "memory") 1) (func (export "_start") (call $e (i32.const 7))))`);
  assert.deepEqual(runModule(init(), exit2, new FakeHost()), { kind: 'exit', code: 7 });
  const threadExit = await compile(`(module (import "wasix_32v1" "thread_exit" (func $e (param i32)))
    (memory (export "memory") 1) (func (export "_start") (call $e (i32.const 3))))`);
  assert.deepEqual(runModule(init(), threadExit, new FakeHost()), { kind: 'exit', code: 3 });
});

test('runModule: proc_exec cannot return — the program stops with a message naming the call, at the caller', async () => {
  const mod = await compile(`(module (import "wasix_32v1" "proc_exec" (func $exec (param i32 i32 i32 i32)))
    (memory (export "memory") 1)
    (func $spawn_shell (call $exec (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)) (unreachable))
    (func (export "_start") (call $spawn_shell)))`);
  const info = runModule(init(), mod, new FakeHost());
  assert.equal(info.kind, 'trap');
  if (info.kind !== 'trap') return;
  assert.equal(info.message, 'wasix_32v1.proc_exec is not supported by wasi-debug (it replaces the running program with another one); the call cannot return, so the program stops here');
  assert.equal(info.frames[0]?.functionName, 'spawn_shell');
});

test('runModule: launch.json cwd reaches getcwd; both namespaces share descriptors; a WASIX module needs an exported memory', async () => {
  const mod = await compile(`(module
    (import "wasix_32v1" "getcwd" (func $getcwd (param i32 i32) (result i32)))
    (import "wasix_32v1" "fd_dup" (func $dup (param i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 1)
    (func (export "_start")
      (i32.store (i32.const 8) (i32.const 100))
      (if (call $getcwd (i32.const 16) (i32.const 8)) (then (call $exit (i32.const 90))))
      (i32.store8 (i32.add (i32.const 16) (i32.load (i32.const 8))) (i32.const 10))
      (if (call $dup (i32.const 1) (i32.const 200)) (then (call $exit (i32.const 91))))
      (i32.store (i32.const 0) (i32.const 16))
      (i32.store (i32.const 4) (i32.add (i32.load (i32.const 8)) (i32.const 1)))
      (call $exit (call $write (i32.load (i32.const 200)) (i32.const 0) (i32.const 1) (i32.const 204)))))`);
  const host = new FakeHost();
  assert.deepEqual(runModule(init({ currentDir: '/srv/app' }), mod, host), { kind: 'exit', code: 0 });
  assert.equal(host.out(), '/srv/app\n');

  const noMemory = await compile(`(module (import "wasix_32v1" "proc_id" (func (param i32) (result i32))) (func (export "_start")))`);
  assert.deepEqual(runModule(init(), noMemory, new FakeHost()), { kind: 'error', message: 'the module w.wasm does not export its memory as "memory", which WASI needs' });
});

test('runModule: a module that imports its memory gets one matching its declared limits (shared or not, with or without a maximum)', async () => {
  const program = (memory: string): string => `(module
    (import "env" "memory" ${memory})
    (import "wasix_32v1" "getcwd" (func $getcwd (param i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
    (import "wasix_32v1" "proc_exit2" (func $exit (param i32)))
    (func (export "_start")
      (i32.store (i32.const 8) (i32.const 100))
      (if (call $getcwd (i32.const 16) (i32.const 8)) (then (call $exit (i32.const 90))))
      (i32.store8 (i32.add (i32.const 16) (i32.load (i32.const 8))) (i32.const 10))
      (i32.store (i32.const 0) (i32.const 16))
      (i32.store (i32.const 4) (i32.add (i32.load (i32.const 8)) (i32.const 1)))
      (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 200)))
      (call $exit (i32.add (i32.const 10) (memory.size)))))`;
  // memory.size in the exit code: the created memory has exactly the declared minimum.
  for (const [memory, pages] of [['(memory 17 16384 shared)', 17], ['(memory 3 65536 shared)', 3], ['(memory 2)', 2], ['(memory 4 5)', 4]] as const) {
    const buffer = await wat(program(memory));
    const host = new FakeHost();
    assert.deepEqual(runModule(init({ currentDir: '/m' }), new Wasm.Module(buffer), host), { kind: 'exit', code: 10 + pages }, memory);
    assert.equal(host.out(), '/m\n', memory);
  }
});

test('an imported memory the engine cannot be satisfied with is a clear error naming the import and the fix', async () => {
  const mod = await compile(`(module (import "env" "memory" (memory 1)) (import "env" "g" (global i32)) (func (export "_start")))`);
  const imports: Record<string, Record<string, unknown>> = { env: { g: 'not a number' } };
  const result = instantiateCreatingMemory(mod, imports, { module: 'env', name: 'memory' });
  assert.equal(result.kind, 'error');
  assert.match(result.kind === 'error' ? result.message : '', /^the module imports its memory \("env"\."memory"\) and the runtime could not create a matching one \(.*global.*\); link it with an exported memory instead \(no --import-memory\)$/);
});

test('WASIX paths: "/…" starts at the root from any directory fd, a relative path on "/" at the cwd; memory and fd table restored', () => {
  const { g, x } = wasixGuest({ preopens: [{ kind: 'virtual', guestPath: '/data' }], cwd: '/data' });
  const DATA = 4;
  const call = (name: string, fd: number, p: string, ...rest: Array<number | bigint>): { errno: number; ptr: number } => {
    const [ptr, len] = g.str(p);
    return { errno: x[name](fd, ptr, len, ...rest), ptr };
  };
  const stat = (fd: number, p: string): { errno: number; filetype: number; ptr: number } => {
    const [ptr, len] = g.str(p);
    const out = g.alloc(64);
    const errno = x.path_filestat_get(fd, 1, ptr, len, out);
    return { errno, filetype: g.u8[out + 16], ptr };
  };
  const rootEntry = g.wasi.fds.get(ROOT);
  const [rp, rl] = g.str('rel.txt');
  const out = g.alloc(4);
  assert.equal(x.path_open(ROOT, 1, rp, rl, 1, ALL, ALL, 0, out), 0);
  assert.equal(g.u32(out), 5, 'the lowest free descriptor');
  assert.equal(g.wasi.fds.get(ROOT), rootEntry, 'the "/" slot holds its own entry again');
  assert.equal(g.pathFilestat(DATA, 'rel.txt').errno, 0, 'the relative name landed in the cwd /data');
  assert.equal(g.pathFilestat(ROOT, 'rel.txt').errno, E.NOENT, 'not at the root');
  assert.equal(stat(DATA, '/data/rel.txt').errno, 0, 'absolute on another preopen starts at /');
  assert.equal(stat(DATA, 'rel.txt').errno, 0, 'relative on another preopen starts there');
  const slash = stat(ROOT, '/');
  assert.deepEqual([slash.errno, slash.filetype], [0, 3], '"/" alone is the root directory');
  assert.equal(g.u8[slash.ptr], 0x2f, 'the guest\'s path bytes are unchanged after the call');
  const slashes = stat(DATA, '///');
  assert.deepEqual([slashes.errno, [...g.bytes(slashes.ptr, 3)]], [0, [0x2f, 0x2f, 0x2f]]);
  assert.equal(stat(ROOT, '../data/rel.txt').errno, 0, '".." climbs from the cwd');
  assert.equal(stat(ROOT, '..').filetype, 3);
  assert.equal(call('path_create_directory', ROOT, 'sub').errno, 0);
  assert.equal(chdir(g, x, 'sub'), 0);
  assert.equal(call('path_remove_directory', ROOT, '/data/sub').errno, 0, 'the cwd itself can be removed');
  assert.equal(stat(ROOT, 'anything').errno, E.NOENT, 'relative paths then find nothing');
  assert.equal(stat(ROOT, '/data/rel.txt').errno, 0, 'absolute ones still work');
  // The same guest through plain preview1 imports (a non-WASIX module) keeps preview1's rules.
  const [ap, al] = g.str('/data/rel.txt');
  assert.equal(g.sys.path_filestat_get(ROOT, 1, ap, al, g.alloc(64)), E.PERM);
});
