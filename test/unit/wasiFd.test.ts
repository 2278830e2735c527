// WASI preview1 descriptor syscalls, stdio, poll_oneoff, sockets, clocks, args/environ: exact bytes and errnos.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL, Guest } from './fixtures/wasiHarness';

const E = { BADF: 8, INVAL: 28, ISDIR: 31, SPIPE: 70, NOTSOCK: 57, AGAIN: 6, NOTCAPABLE: 76, NOTSUP: 58, FAULT: 21 };
const ROOT = 3;
const CREAT = 1;

function iovs(g: Guest, parts: Array<[number, number]>): number {
  const p = g.alloc(8 * parts.length);
  parts.forEach(([ptr, len], i) => {
    g.view.setUint32(p + i * 8, ptr, true);
    g.view.setUint32(p + i * 8 + 4, len, true);
  });
  return p;
}

test('fd_write / fd_read / fd_seek / fd_tell on an in-memory file, seeking before 0 → EINVAL', () => {
  const g = new Guest();
  const f = g.open(ROOT, 'file', CREAT);
  assert.equal(g.write(f.fd, 'hello world').n, 11);
  const out = g.alloc(8);
  assert.equal(g.sys.fd_tell(f.fd, out), 0);
  assert.equal(g.u64(out), 11n);
  assert.equal(g.sys.fd_seek(f.fd, -5n, 1, out), 0);
  assert.equal(g.u64(out), 6n);
  assert.equal(g.read(f.fd, 100).data.toString(), 'world');
  assert.equal(g.read(f.fd, 100).data.length, 0, 'EOF reads 0 bytes');
  assert.equal(g.sys.fd_seek(f.fd, -12n, 2, out), E.INVAL);
  assert.equal(g.sys.fd_seek(f.fd, 0n, 7, out), E.INVAL);
  assert.equal(g.sys.fd_tell(f.fd, out), 0);
  assert.equal(g.u64(out), 11n, 'a failed seek leaves the position');
  // seeking past the end and writing leaves a zero-filled gap
  assert.equal(g.sys.fd_seek(f.fd, 3n, 2, out), 0);
  assert.equal(g.write(f.fd, '!').n, 1);
  assert.equal(g.sys.fd_seek(f.fd, 0n, 0, out), 0);
  assert.deepEqual(g.read(f.fd, 100).data, Buffer.concat([Buffer.from('hello world'), Buffer.alloc(3), Buffer.from('!')]));
  // scattered reads fill iovecs in order
  assert.equal(g.sys.fd_seek(f.fd, 0n, 0, out), 0);
  const a = g.alloc(5);
  const b = g.alloc(3);
  const n = g.alloc(4);
  assert.equal(g.sys.fd_read(f.fd, iovs(g, [[a, 5], [b, 3]]), 2, n), 0);
  assert.equal(g.u32(n), 8);
  assert.equal(g.bytes(a, 5).toString() + g.bytes(b, 3).toString(), 'hello wo');
  // gathered writes
  const [p1, l1] = g.str('AB');
  const [p2, l2] = g.str('CD');
  assert.equal(g.sys.fd_seek(f.fd, 0n, 0, out), 0);
  assert.equal(g.sys.fd_write(f.fd, iovs(g, [[p1, l1], [p2, l2]]), 2, n), 0);
  assert.equal(g.u32(n), 4);
  assert.equal(Buffer.from(g.vfs.readWholeFile('/file')).subarray(0, 6).toString(), 'ABCDo ');
});

test('a large in-memory file crosses chunk boundaries intact', () => {
  const g = new Guest();
  const f = g.open(ROOT, 'big', CREAT);
  const size = (1 << 20) * 2 + 12345;
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i++) data[i] = (i * 31 + (i >> 16)) & 0xff;
  // write in 100 000-byte pieces (not aligned to chunks)
  const mem = g.alloc(100_000);
  const n = g.alloc(4);
  for (let off = 0; off < size; off += 100_000) {
    const piece = data.subarray(off, Math.min(size, off + 100_000));
    g.u8.set(piece, mem);
    assert.equal(g.sys.fd_write(f.fd, iovs(g, [[mem, piece.length]]), 1, n), 0);
    assert.equal(g.u32(n), piece.length);
  }
  assert.equal(g.filestat(f.fd).size, BigInt(size));
  assert.ok(Buffer.from(g.vfs.readWholeFile('/big')).equals(data));
  // pread across the 1 MiB boundary
  const at = (1 << 20) - 10;
  assert.equal(g.sys.fd_pread(f.fd, iovs(g, [[mem, 20]]), 1, BigInt(at), n), 0);
  assert.ok(g.bytes(mem, 20).equals(data.subarray(at, at + 20)));
  // shrink and grow again: the regrown part reads as zeros
  assert.equal(g.sys.fd_filestat_set_size(f.fd, 10n), 0);
  assert.equal(g.sys.fd_filestat_set_size(f.fd, BigInt(size)), 0);
  const back = Buffer.from(g.vfs.readWholeFile('/big'));
  assert.ok(back.subarray(0, 10).equals(data.subarray(0, 10)));
  assert.ok(back.subarray(10).every((b) => b === 0));
});

test('fd_pread / fd_pwrite do not move the position; APPEND writes at the end', () => {
  const g = new Guest();
  const f = g.open(ROOT, 'file', CREAT, ALL, ALL, 1 /* APPEND */);
  assert.equal(g.fdstat(f.fd).flags, 1);
  assert.equal(g.write(f.fd, 'ab').n, 2);
  const out = g.alloc(8);
  assert.equal(g.sys.fd_seek(f.fd, 0n, 0, out), 0);
  assert.equal(g.write(f.fd, 'cd').n, 2);
  assert.equal(g.sys.fd_seek(f.fd, 0n, 1, out), 0);
  assert.equal(g.u64(out), 4n);
  const [p, l] = g.str('XYZ');
  const n = g.alloc(4);
  assert.equal(g.sys.fd_pwrite(f.fd, iovs(g, [[p, l]]), 1, 0n, n), 0);
  assert.equal(g.u32(n), 3);
  assert.equal(g.sys.fd_seek(f.fd, 0n, 1, out), 0);
  assert.equal(g.u64(out), 4n);
  assert.equal(Buffer.from(g.vfs.readWholeFile('/file')).toString(), 'XYZd');
  const buf = g.alloc(4);
  assert.equal(g.sys.fd_pread(f.fd, iovs(g, [[buf, 4]]), 1, 1n, n), 0);
  assert.equal(g.bytes(buf, g.u32(n)).toString(), 'YZd');
  assert.equal(g.sys.fd_pread(f.fd, iovs(g, [[buf, 4]]), 1, -1n, n), E.INVAL);
  // clearing APPEND through fd_fdstat_set_flags
  assert.equal(g.sys.fd_fdstat_set_flags(f.fd, 0), 0);
  assert.equal(g.sys.fd_seek(f.fd, 0n, 0, out), 0);
  assert.equal(g.write(f.fd, 'Q').n, 1);
  assert.equal(Buffer.from(g.vfs.readWholeFile('/file')).toString(), 'QYZd');
  assert.equal(g.sys.fd_fdstat_set_flags(f.fd, 16 /* SYNC */), E.NOTSUP);
  // SYNC given at open is reported
  const s = g.open(ROOT, 'file', 0, ALL, ALL, 16);
  assert.equal(g.fdstat(s.fd).flags, 16);
});

test('directory descriptors: read/write/seek/tell/allocate/set_size fail, pread on stdin → ESPIPE', () => {
  const g = new Guest();
  const d = g.openDir(ROOT, '.');
  assert.equal(d.errno, 0);
  const buf = g.alloc(16);
  const n = g.alloc(8);
  const iov = iovs(g, [[buf, 16]]);
  assert.equal(g.sys.fd_read(d.fd, iov, 1, n), E.BADF);
  assert.equal(g.sys.fd_write(d.fd, iov, 1, n), E.BADF);
  assert.equal(g.sys.fd_pread(d.fd, iov, 1, 0n, n), E.BADF);
  assert.equal(g.sys.fd_seek(d.fd, 0n, 0, n), E.BADF);
  assert.equal(g.sys.fd_tell(d.fd, n), E.BADF);
  assert.equal(g.sys.fd_allocate(d.fd, 0n, 1n), E.BADF);
  assert.equal(g.sys.fd_filestat_set_size(d.fd, 0n), E.BADF);
  assert.equal(g.sys.fd_pread(0, iov, 1, 0n, n), E.SPIPE);
  assert.equal(g.sys.fd_seek(1, 0n, 1, n), E.SPIPE);
  assert.equal(g.filestat(d.fd).filetype, 3);
});

test('fd_allocate, fd_filestat_set_size and fd_advise', () => {
  const g = new Guest();
  const f = g.open(ROOT, 'file', CREAT);
  assert.equal(g.sys.fd_filestat_set_size(f.fd, 100n), 0);
  assert.equal(g.filestat(f.fd).size, 100n);
  assert.equal(g.sys.fd_advise(f.fd, 10n, 50n, 0), 0);
  assert.equal(g.sys.fd_advise(f.fd, 10n, 50n, 9), E.INVAL);
  assert.equal(g.filestat(f.fd).size, 100n);
  assert.equal(g.sys.fd_allocate(f.fd, 10n, 10n), 0);
  assert.equal(g.filestat(f.fd).size, 100n, 'allocate never shrinks');
  assert.equal(g.sys.fd_allocate(f.fd, 90n, 20n), 0);
  assert.equal(g.filestat(f.fd).size, 110n);
  assert.equal(g.sys.fd_allocate(f.fd, 0n, 0n), E.INVAL);
  const ro = g.open(ROOT, 'file', 0, 2n, 0n);
  assert.equal(g.sys.fd_allocate(ro.fd, 0n, 200n), E.BADF, 'needs the fd_allocate right');
  assert.equal(g.sys.fd_filestat_set_size(ro.fd, 0n), E.BADF);
});

test('fd_renumber: over another file, over a preopen, from stdio; fd_close twice → EBADF', () => {
  const g = new Guest();
  const a = g.open(ROOT, 'a', CREAT, 2n | 64n, 0n);
  const b = g.open(ROOT, 'b', CREAT, 2n | 64n, 0n);
  const before = g.fdstat(a.fd);
  assert.equal(g.sys.fd_renumber(a.fd, b.fd), 0);
  assert.equal(g.sys.fd_close(a.fd), E.BADF);
  assert.deepEqual(g.fdstat(b.fd), before);
  assert.equal(g.write(b.fd, 'to a').n, 4);
  assert.equal(Buffer.from(g.vfs.readWholeFile('/a')).toString(), 'to a');
  assert.equal(g.sys.fd_renumber(b.fd, 99), E.BADF, 'the target must be open');
  assert.equal(g.sys.fd_renumber(99, b.fd), E.BADF);
  assert.equal(g.sys.fd_renumber(b.fd, b.fd), 0);
  // stdout moved onto a file descriptor: writes to the new number reach stdout; 1 is closed
  const c = g.open(ROOT, 'c', CREAT);
  assert.equal(g.sys.fd_renumber(1, c.fd), 0);
  assert.equal(g.fdstat(1).errno, E.BADF);
  assert.equal(g.write(c.fd, 'via renumbered stdout').n, 21);
  assert.equal(g.host.out(), 'via renumbered stdout');
  // a directory moved over the "/" preopen
  const d = g.openDir(ROOT, '.');
  const ino = g.filestat(d.fd).ino;
  assert.equal(g.sys.fd_renumber(d.fd, 3), 0);
  assert.equal(g.filestat(3).ino, ino);
  assert.equal(g.fdstat(d.fd).errno, E.BADF);
  // the lowest free number is reused
  const again = g.open(3, 'a');
  assert.equal(again.fd, 1);
});

test('stdio: stdout/stderr bytes reach the host, stdin console reads and EOF, NONBLOCK → EAGAIN, fdstat of a non-tty stream', () => {
  const g = new Guest();
  assert.equal(g.write(1, 'out').n, 3);
  assert.equal(g.write(2, 'err').n, 3);
  assert.equal(g.host.out(), 'out');
  assert.equal(Buffer.concat(g.host.stderr).toString(), 'err');
  g.host.stdinQueue.push(Buffer.from('line one\n'));
  assert.equal(g.read(0, 4).data.toString(), 'line');
  assert.equal(g.read(0, 100).data.toString(), ' one\n');
  assert.equal(g.sys.fd_fdstat_set_flags(0, 4), 0);
  assert.equal(g.read(0, 100).errno, E.AGAIN);
  g.host.stdinEof = true;
  const eof = g.read(0, 100);
  assert.equal(eof.errno, 0);
  assert.equal(eof.data.length, 0);
  const st = g.fdstat(1);
  assert.equal(st.filetype, 0, 'a console that is not a terminal is an unknown stream (so libc buffers fully)');
  assert.equal(st.base & (4n | 32n), 0n, 'no seek/tell');
  assert.equal(g.read(1, 1).errno, E.BADF, 'stdout is not readable');
  assert.equal(g.write(0, 'x').errno, E.BADF, 'stdin is not writable');
});

test('stdin kinds: bytes and none', () => {
  const g = new Guest({ stdin: { kind: 'bytes', data: Buffer.from('abc') } });
  assert.equal(g.read(0, 2).data.toString(), 'ab');
  assert.equal(g.read(0, 2).data.toString(), 'c');
  assert.equal(g.read(0, 2).data.length, 0);
  const n = new Guest({ stdin: { kind: 'none' } });
  assert.equal(n.read(0, 2).data.length, 0);
});

function subscription(g: Guest, p: number, userdata: bigint, type: number, a: number, timeout = 0n, flags = 0): void {
  const v = g.view;
  v.setBigUint64(p, userdata, true);
  v.setUint8(p + 8, type);
  v.setUint32(p + 16, a, true);
  v.setBigUint64(p + 24, timeout, true);
  v.setBigUint64(p + 32, 0n, true);
  v.setUint16(p + 40, flags, true);
}

test('poll_oneoff: relative and absolute clocks, file readiness, bad fd, stdin readiness, no subscriptions', () => {
  const g = new Guest();
  const subs = g.alloc(48 * 3);
  const events = g.alloc(32 * 3);
  const n = g.alloc(4);
  subscription(g, subs, 7n, 0, 1, 20_000_000n);
  const t0 = process.hrtime.bigint();
  assert.equal(g.sys.poll_oneoff(subs, events, 1, n), 0);
  const elapsed = process.hrtime.bigint() - t0;
  assert.ok(elapsed >= 19_000_000n, `slept ${elapsed} ns`);
  assert.equal(g.u32(n), 1);
  assert.equal(g.u64(events), 7n);
  assert.equal(g.view.getUint16(events + 8, true), 0);
  assert.equal(g.u8[events + 10], 0);
  // absolute deadline in the past on the realtime clock: immediate
  subscription(g, subs, 8n, 0, 0, 1n, 1);
  assert.equal(g.sys.poll_oneoff(subs, events, 1, n), 0);
  assert.equal(g.u64(events), 8n);
  // a file is always ready; nbytes is what is left to read
  const f = g.open(ROOT, 'f', CREAT);
  g.write(f.fd, '12345');
  const out = g.alloc(8);
  g.sys.fd_seek(f.fd, 1n, 0, out);
  subscription(g, subs, 1n, 1, f.fd);
  subscription(g, subs + 48, 2n, 0, 1, 5_000_000_000n);
  subscription(g, subs + 96, 3n, 2, 77);
  assert.equal(g.sys.poll_oneoff(subs, events, 3, n), 0);
  assert.equal(g.u32(n), 2);
  assert.equal(g.u64(events), 1n);
  assert.equal(g.u64(events + 16), 4n);
  assert.equal(g.u64(events + 32), 3n);
  assert.equal(g.view.getUint16(events + 32 + 8, true), E.BADF);
  // stdin: waits through the host's pollStdin with the clock as the bound
  subscription(g, subs, 10n, 1, 0);
  subscription(g, subs + 48, 11n, 0, 1, 30_000_000n);
  assert.equal(g.sys.poll_oneoff(subs, events, 2, n), 0);
  assert.equal(g.u32(n), 1);
  assert.equal(g.u64(events), 11n, 'the timeout fired: no input');
  assert.ok(g.host.pollCalls.some((ms) => ms > 0 && ms <= 30), `pollStdin bounded by the clock: ${g.host.pollCalls}`);
  g.host.stdinQueue.push(Buffer.from('x'));
  assert.equal(g.sys.poll_oneoff(subs, events, 2, n), 0);
  assert.equal(g.u64(events), 10n);
  assert.equal(g.sys.poll_oneoff(subs, events, 0, n), E.INVAL);
});

test('sockets: ENOTSOCK on a non-socket, EBADF on a bad fd; proc_raise → ENOTSUP; sched_yield', () => {
  const g = new Guest();
  const p = g.alloc(16);
  assert.equal(g.sys.sock_shutdown(1, 2), E.NOTSOCK);
  assert.equal(g.sys.sock_shutdown(42, 2), E.BADF);
  assert.equal(g.sys.sock_accept(3, 0, p), E.NOTSOCK);
  assert.equal(g.sys.sock_accept(42, 0, p), E.BADF);
  assert.equal(g.sys.sock_recv(0, p, 1, 0, p, p + 4), E.NOTSOCK);
  assert.equal(g.sys.sock_recv(42, p, 1, 0, p, p + 4), E.BADF);
  assert.equal(g.sys.sock_send(1, p, 1, 0, p), E.NOTSOCK);
  assert.equal(g.sys.sock_send(42, p, 1, 0, p), E.BADF);
  assert.equal(g.sys.proc_raise(6), E.NOTSUP);
  assert.equal(g.sys.sched_yield(), 0);
});

test('args, environ, clocks, random', () => {
  const g = new Guest({ args: ['prog', 'a b', 'ü'], env: [['K', Buffer.from('v=1')], ['EMPTY', Buffer.alloc(0)]] });
  const c = g.alloc(8);
  assert.equal(g.sys.args_sizes_get(c, c + 4), 0);
  assert.equal(g.u32(c), 3);
  assert.equal(g.u32(c + 4), 5 + 4 + 3);
  const argv = g.alloc(12);
  const buf = g.alloc(32);
  assert.equal(g.sys.args_get(argv, buf), 0);
  assert.equal(g.bytes(g.u32(argv + 4), 4).toString(), 'a b\0');
  assert.equal(g.bytes(buf, 12).toString(), 'prog\0a b\0ü\0');
  assert.equal(g.sys.environ_sizes_get(c, c + 4), 0);
  assert.equal(g.u32(c), 2);
  assert.equal(g.u32(c + 4), 6 + 7);
  const envp = g.alloc(8);
  const ebuf = g.alloc(16);
  assert.equal(g.sys.environ_get(envp, ebuf), 0);
  assert.equal(g.bytes(ebuf, 13).toString(), 'K=v=1\0EMPTY=\0');
  const t = g.alloc(8);
  for (const id of [0, 1, 2, 3]) {
    assert.equal(g.sys.clock_res_get(id, t), 0);
    assert.ok(g.u64(t) > 0n);
    assert.equal(g.sys.clock_time_get(id, 1n, t), 0);
  }
  assert.equal(g.sys.clock_time_get(0, 1n, t), 0);
  const wall = g.u64(t);
  assert.ok(wall > BigInt(Date.now() - 5000) * 1_000_000n && wall < BigInt(Date.now() + 5000) * 1_000_000n);
  assert.equal(g.sys.clock_time_get(1, 1n, t), 0);
  const m1 = g.u64(t);
  assert.equal(g.sys.clock_time_get(1, 1n, t), 0);
  assert.ok(g.u64(t) >= m1, 'monotonic');
  assert.equal(g.sys.clock_time_get(9, 1n, t), E.INVAL);
  assert.equal(g.sys.clock_res_get(9, t), E.INVAL);
  const r = g.alloc(64);
  assert.equal(g.sys.random_get(r, 64), 0);
  assert.ok(g.bytes(r, 64).some((b) => b !== 0));
  assert.equal(g.sys.random_get(r, 0), 0);
  assert.equal(g.sys.random_get(g.u8.length - 4, 64), E.FAULT, 'out of bounds → EFAULT');
});

test('every syscall calls beforeSyscall; tracing reports name, args, errno name and duration', () => {
  const g = new Guest({ trace: true });
  const before = g.host.beforeSyscallCount;
  g.write(1, 'x');
  g.sys.fd_close(42);
  assert.equal(g.host.beforeSyscallCount - before, 2);
  const last = g.host.traces[g.host.traces.length - 1];
  assert.equal(last.name, 'fd_close');
  assert.equal(last.args, '42');
  assert.equal(last.result, 'EBADF');
  assert.ok(last.durationUs >= 0);
  assert.equal(g.host.traces[g.host.traces.length - 2].result, 'ESUCCESS');
  g.open(3, 'missing.txt', 0, 2n, 0n);
  const open = g.host.traces[g.host.traces.length - 1];
  assert.equal(open.name, 'path_open');
  assert.match(open.args, /^3, 1, "missing\.txt", 0, 2, 0, 0, \d+$/);
  assert.equal(open.result, 'ENOENT');
});

test('errno numbers and names follow typenames.witx (ESTALE = 72, EXDEV = 75, ENOTCAPABLE = 76)', async () => {
  const { errnoName, errnoFromCode, ERRNO_NAMES } = await import('../../src/wasi/constants');
  assert.equal(ERRNO_NAMES.length, 77);
  assert.deepEqual([1, 8, 20, 28, 44, 54, 63, 72, 73, 74, 75, 76].map(errnoName), [
    'E2BIG', 'EBADF', 'EEXIST', 'EINVAL', 'ENOENT', 'ENOTDIR', 'EPERM', 'ESTALE', 'ETIME', 'ETXTBSY', 'EXDEV', 'ENOTCAPABLE',
  ]);
  assert.equal(errnoFromCode('ENOTEMPTY'), 55);
  assert.equal(errnoFromCode('EWOULDBLOCK'), 6);
  assert.equal(errnoFromCode('ESOMETHINGNEW'), 29, 'unknown host errors become EIO');
});

test('a console that is a terminal reports a character device without seek/tell (what isatty() checks)', () => {
  const g = new Guest({ terminal: [true, true, false] });
  for (const fd of [0, 1]) {
    const st = g.fdstat(fd);
    assert.equal(st.filetype, 2, `fd ${fd} is a character device`);
    assert.equal(st.base & (4n | 32n), 0n);
  }
  assert.equal(g.fdstat(2).filetype, 0, 'stderr is not a terminal here: an unknown stream');
  const st = g.filestat(1);
  assert.equal(st.filetype, 2);
  const n = new Guest({ stdin: { kind: 'none' } });
  assert.equal(n.fdstat(0).filetype, 2, 'empty stdin behaves like /dev/null');
});

test('the in-memory filesystem has a size limit: ENOSPC beyond it, room again after unlink', () => {
  const piece = 128 * 1024;
  const g = new Guest({ memoryLimitBytes: 600 * 1024 });
  const mem = g.alloc(piece);
  const iov = iovs(g, [[mem, piece]]);
  const n = g.alloc(4);
  const a = g.open(ROOT, 'a', CREAT);
  for (let i = 0; i < 2; i++) assert.equal(g.sys.fd_write(a.fd, iov, 1, n), 0);
  const b = g.open(ROOT, 'b', CREAT);
  for (let i = 0; i < 2; i++) assert.equal(g.sys.fd_write(b.fd, iov, 1, n), 0);
  assert.equal(g.vfs.memoryUsed, 512 * 1024);
  assert.equal(g.sys.fd_write(b.fd, iov, 1, n), 51, 'ENOSPC: b would need 512 KiB');
  assert.equal(g.sys.fd_allocate(b.fd, 0n, 5_000_000n), 51);
  assert.equal(g.filestat(b.fd).size, BigInt(2 * piece), 'the failed writes changed nothing');
  assert.equal(g.path('path_unlink_file', ROOT, 'a'), 0);
  assert.equal(g.vfs.memoryUsed, 256 * 1024);
  assert.equal(g.sys.fd_write(b.fd, iov, 1, n), 0, 'unlinking a freed its memory');
  assert.equal(g.filestat(b.fd).size, BigInt(3 * piece));
});
