// wasi_snapshot_preview1: all 46 functions over the VFS, the descriptor table and the GuestHost.
//
// Conventions: every import calls host.beforeSyscall() first; errors thrown inside (VfsError, node:fs errors)
// become errno results; a ProcExit unwinds the guest; any other exception is a bug in this runtime and
// unwinds the guest as an InternalSyscallError (reported as a trap-like exit, never a crashed worker).
//
// Choices where the spec is vague (wasmtime / wasi-testsuite behaviour unless noted):
// - leaving the sandbox (absolute path, ".." above the directory fd, absolute symlink target) → EPERM;
//   what a mount's read/write/create permissions forbid → EPERM too (the main-thread API says EACCES);
// - a missing fd right → EBADF; a missing path right on the directory → ENOTCAPABLE; path_open asking for
//   rights the directory does not pass on → ENOTCAPABLE; TRUNC without PATH_FILESTAT_SET_SIZE → EPERM;
//   directories never carry read/write/seek rights, files never carry path_* rights;
// - opening a directory for writing → EISDIR; a symlink with nofollow → ELOOP (ENOTDIR with O_DIRECTORY);
// - path_link with SYMLINK_FOLLOW → EINVAL; proc_raise → ENOTSUP; sockets: ENOTSOCK / EBADF;
// - fd_renumber and fd_close work on preopens and stdio; fd_readdir lists "." and ".." first and keeps a
//   snapshot per descriptor from cookie 0, so cookies stay stable while the guest deletes entries;
// - stdio of kind 'console' is a character device without seek rights only when GuestHost.isTerminal says
//   so (libc then line-buffers), otherwise an unknown stream (libc buffers fully);
// - host mounts: node:fs sets times with microsecond resolution; the exact nanoseconds set by the guest are
//   remembered and reported while the disk still holds what we wrote.

import type * as NodeCrypto from 'node:crypto';
import type { GuestHost } from '../runtime/guestHost';
import { nowNs } from '../vfs/clock';
import type { NodeStat, Vfs } from '../vfs/vfs';
import {
  Clockid, DIRECTORY_INHERITING_RIGHTS, DIRECTORY_RIGHTS, DIRENT_SIZE, Errno, errnoFromCode, errnoName, EVENT_SIZE,
  Eventtype, Fdflags, FDFLAGS_ALL, FDSTAT_SIZE, FILE_RIGHTS, FILESTAT_SIZE, Filetype, Fstflags, Lookupflags, Oflags,
  Rights, STREAM_RIGHTS, Subclockflags, SUBSCRIPTION_SIZE, Whence,
} from './constants';
import { DirFd, FdEntry, FdTable, FileFd, filetypeOf, StreamFd } from './fdTable';
import type { Stream } from './stdio';
import type { WasmMemory } from './wasm';

/** Thrown by proc_exit to unwind the guest; caught by runModule. */
export class ProcExit {
  constructor(readonly code: number) {}
}

/** A JavaScript exception inside a syscall: a bug in this runtime, reported instead of crashing the worker. */
export class InternalSyscallError extends Error {
  constructor(readonly syscall: string, override readonly cause: unknown) {
    super(`internal error in ${syscall}: ${cause instanceof Error ? cause.stack ?? cause.message : String(cause)}`);
    this.name = 'InternalSyscallError';
  }
}

const MAX_FILE_SIZE = 2 ** 32 - 64;
const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** Bits in `rights` that a path-based right check needs; a missing one is ENOTCAPABLE. */
class RightsError {
  constructor(readonly errno: number) {}
}

export interface Preview1Options {
  args: string[];
  env: Array<[string, Uint8Array]>;
  stdin: Stream;
  stdout: Stream;
  stderr: Stream;
  vfs: Vfs;
  host: GuestHost;
  /** false: the guest's `/` is not among the preopens (WasiEnvInit.preopenRoot). Default true. */
  preopenRoot?: boolean;
}

export class Preview1 {
  readonly fds = new FdTable();
  private memory: WasmMemory | undefined;
  private buffer: ArrayBuffer | undefined;
  /** Shared memory grows without detaching its old buffer, so only its `buffer` getter tells the current size. */
  private memoryShared = false;
  private view!: DataView;
  private u8!: Uint8Array;
  /** The same memory as a Buffer, for fast native string decoding. */
  private buf!: Buffer;
  private readonly argBytes: Uint8Array[];
  private readonly envBytes: Uint8Array[];
  private readonly vfs: Vfs;
  private readonly host: GuestHost;
  private readonly sleeper = new Int32Array(new SharedArrayBuffer(4));
  /** The syscall being run (for error reports). */
  private current = '';

  constructor(opts: Preview1Options) {
    this.vfs = opts.vfs;
    this.host = opts.host;
    this.argBytes = opts.args.map((a) => encoder.encode(a + '\0'));
    this.envBytes = opts.env.map(([k, v]) => {
      const kb = encoder.encode(k + '=');
      const out = new Uint8Array(kb.length + v.length + 1);
      out.set(kb, 0);
      out.set(v, kb.length);
      return out;
    });
    const stream = (s: Stream, rights: number): StreamFd => ({
      kind: 'stream', stream: s, filetype: s.filetype, flags: 0,
      rightsBase: rights,
      rightsInheriting: 0,
    });
    this.fds.add(stream(opts.stdin, STREAM_RIGHTS & ~Rights.FD_WRITE));
    this.fds.add(stream(opts.stdout, STREAM_RIGHTS & ~Rights.FD_READ));
    this.fds.add(stream(opts.stderr, STREAM_RIGHTS & ~Rights.FD_READ));
    for (const p of this.vfs.preopens) {
      if (p.guestPath === '/' && opts.preopenRoot === false) continue;
      const entry: DirFd = {
        kind: 'dir', dir: p.dir, preopenName: p.name, listing: undefined, flags: 0,
        rightsBase: DIRECTORY_RIGHTS, rightsInheriting: DIRECTORY_INHERITING_RIGHTS,
      };
      this.fds.add(entry);
    }
  }

  bindMemory(memory: WasmMemory): void {
    this.memory = memory;
    this.refresh();
    this.memoryShared = typeof SharedArrayBuffer !== 'undefined' && (this.buffer as unknown) instanceof SharedArrayBuffer;
  }

  private refresh(): void {
    const b = this.memory!.buffer as ArrayBuffer;
    this.buffer = b;
    this.view = new DataView(b);
    this.u8 = new Uint8Array(b);
    this.buf = Buffer.from(b);
  }

  /** Call at the start of any syscall that touches guest memory (memory.grow detaches the old buffer). */
  private mem(): DataView {
    // Growing a non-shared memory detaches the old buffer (byteLength 0): reading that is cheaper than the getter.
    const b = this.buffer;
    if (b !== undefined && !this.memoryShared && b.byteLength !== 0) return this.view;
    if (this.memory === undefined) throw new InternalSyscallError(this.current, new Error('the module has no exported memory'));
    if (this.memory.buffer !== this.buffer) this.refresh();
    return this.view;
  }

  /** Closes every descriptor (end of run). */
  /** Closes every open descriptor; an open file several descriptors share (WASIX fd_dup) is closed once. */
  closeAll(): void {
    const closed = new Set<FdEntry>();
    for (let fd = 0; fd < this.fds.entries.length; fd++) {
      const e = this.fds.entries[fd];
      if (!e || closed.has(e)) continue;
      closed.add(e);
      try {
        this.closeEntry(e);
      } catch {
        // closing at exit is best effort
      }
    }
    this.fds.entries.length = 0;
  }

  private closeEntry(e: FdEntry): void {
    if (e.kind === 'file') this.vfs.closeHandle(e.handle);
    else if (e.kind === 'stream') e.stream.close();
  }

  // ---- helpers -----------------------------------------------------------------------------------------------------

  private str(ptr: number, len: number): string {
    const u8 = this.u8;
    if (ptr + len > u8.length) throw new RangeError('out of bounds');
    let ascii = true;
    for (let i = ptr; i < ptr + len; i++) {
      if (u8[i] >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return this.buf.toString('latin1', ptr, ptr + len);
    try {
      // slice(): TextDecoder refuses views of shared memory (threads).
      return utf8.decode(u8.slice(ptr, ptr + len));
    } catch {
      throw Object.assign(new Error('path is not valid UTF-8'), { code: 'EILSEQ' });
    }
  }

  private fd(fd: number, rights: number): FdEntry {
    const e = this.fds.get(fd);
    if (e === undefined) throw new RightsError(Errno.BADF);
    if ((e.rightsBase & rights) !== rights) throw new RightsError(Errno.BADF);
    return e;
  }

  /** A directory descriptor for a path operation: EBADF when closed, ENOTDIR when not a directory. */
  private dirFd(fd: number, rights: number): DirFd {
    const e = this.fds.get(fd);
    if (e === undefined) throw new RightsError(Errno.BADF);
    if (e.kind !== 'dir') throw new RightsError(Errno.NOTDIR);
    if ((e.rightsBase & rights) !== rights) throw new RightsError(Errno.NOTCAPABLE);
    return e;
  }

  private writeFilestat(ptr: number, st: NodeStat): void {
    const v = this.view;
    v.setBigUint64(ptr, st.dev, true);
    v.setBigUint64(ptr + 8, st.ino, true);
    v.setUint8(ptr + 16, filetypeOf(st.type));
    for (let i = 17; i < 24; i++) v.setUint8(ptr + i, 0);
    v.setBigUint64(ptr + 24, st.nlink, true);
    v.setBigUint64(ptr + 32, st.size, true);
    v.setBigUint64(ptr + 40, st.atimeNs, true);
    v.setBigUint64(ptr + 48, st.mtimeNs, true);
    v.setBigUint64(ptr + 56, st.ctimeNs, true);
  }

  private checkRange(ptr: number, len: number): void {
    if (ptr < 0 || len < 0 || ptr + len > this.u8.length) throw new RangeError('out of bounds');
  }

  /** Maps an exception from a syscall body to an errno, or rethrows what must unwind the guest. */
  fault(e: unknown): number {
    if (e instanceof RightsError) return e.errno;
    if (e instanceof ProcExit || e instanceof InternalSyscallError) throw e;
    if (e instanceof RangeError && /bounds|offset|length/i.test(e.message)) return Errno.FAULT;
    const code = (e as { code?: unknown } | null)?.code;
    if (typeof code === 'string') return errnoFromCode(code);
    throw new InternalSyscallError(this.current, e);
  }

  // ---- args, environ, clocks, random -------------------------------------------------------------------------------

  args_get(argv: number, buf: number): number {
    return this.writeStrings(this.argBytes, argv, buf);
  }
  args_sizes_get(countPtr: number, sizePtr: number): number {
    return this.writeSizes(this.argBytes, countPtr, sizePtr);
  }
  environ_get(environ: number, buf: number): number {
    return this.writeStrings(this.envBytes, environ, buf);
  }
  environ_sizes_get(countPtr: number, sizePtr: number): number {
    return this.writeSizes(this.envBytes, countPtr, sizePtr);
  }
  private writeStrings(list: Uint8Array[], ptrs: number, buf: number): number {
    const v = this.mem();
    for (const s of list) {
      v.setUint32(ptrs, buf, true);
      ptrs += 4;
      this.checkRange(buf, s.length);
      this.u8.set(s, buf);
      buf += s.length;
    }
    return Errno.SUCCESS;
  }
  private writeSizes(list: Uint8Array[], countPtr: number, sizePtr: number): number {
    const v = this.mem();
    v.setUint32(countPtr, list.length, true);
    v.setUint32(sizePtr, list.reduce((n, s) => n + s.length, 0), true);
    return Errno.SUCCESS;
  }

  clock_res_get(id: number, resPtr: number): number {
    const v = this.mem();
    let res: bigint;
    switch (id) {
      case Clockid.REALTIME:
        res = 1000n;
        break;
      case Clockid.MONOTONIC:
        res = 1n;
        break;
      case Clockid.PROCESS_CPUTIME_ID:
      case Clockid.THREAD_CPUTIME_ID:
        res = 1000n;
        break;
      default:
        return Errno.INVAL;
    }
    v.setBigUint64(resPtr, res, true);
    return Errno.SUCCESS;
  }

  private clockNow(id: number): bigint | undefined {
    switch (id) {
      case Clockid.REALTIME:
        return nowNs();
      case Clockid.MONOTONIC:
        return process.hrtime.bigint();
      case Clockid.PROCESS_CPUTIME_ID:
      case Clockid.THREAD_CPUTIME_ID: {
        const u = process.cpuUsage();
        return BigInt(u.user + u.system) * 1000n;
      }
      default:
        return undefined;
    }
  }

  clock_time_get(id: number, _precision: bigint, timePtr: number): number {
    const v = this.mem();
    const t = this.clockNow(id);
    if (t === undefined) return Errno.INVAL;
    v.setBigUint64(timePtr, t, true);
    return Errno.SUCCESS;
  }

  random_get(buf: number, len: number): number {
    this.mem();
    this.checkRange(buf, len);
    if (len > 0) randomFill()(this.u8, buf, len);
    return Errno.SUCCESS;
  }

  sched_yield(): number {
    return Errno.SUCCESS;
  }

  proc_exit(code: number): never {
    throw new ProcExit(code >>> 0);
  }

  /** Signals are not delivered in WASI preview1 (wasmtime answers ENOTSUP too). */
  proc_raise(_sig: number): number {
    return Errno.NOTSUP;
  }

  // ---- descriptors ---------------------------------------------------------------------------------------------------

  fd_advise(fd: number, offset: bigint, len: bigint, advice: number): number {
    const e = this.fd(fd, Rights.FD_ADVISE);
    if (advice > 5 || offset < 0n || len < 0n) return Errno.INVAL;
    if (e.kind === 'dir') return Errno.BADF;
    if (e.kind === 'stream') return Errno.SPIPE;
    return Errno.SUCCESS;
  }

  fd_allocate(fd: number, offset: bigint, len: bigint): number {
    const e = this.fd(fd, Rights.FD_ALLOCATE);
    if (e.kind !== 'file') return e.kind === 'dir' ? Errno.BADF : Errno.SPIPE;
    if (offset < 0n || len <= 0n) return Errno.INVAL;
    const end = offset + len;
    if (end > BigInt(MAX_FILE_SIZE)) return Errno.FBIG;
    if (Number(end) > this.vfs.size(e.handle)) this.vfs.setSize(e.handle, Number(end));
    return Errno.SUCCESS;
  }

  fd_close(fd: number): number {
    const e = this.fds.get(fd);
    if (e === undefined) return Errno.BADF;
    this.fds.remove(fd);
    this.closeEntry(e);
    return Errno.SUCCESS;
  }

  fd_datasync(fd: number): number {
    const e = this.fd(fd, Rights.FD_DATASYNC);
    if (e.kind === 'file') this.vfs.syncHandle(e.handle);
    return Errno.SUCCESS;
  }

  fd_sync(fd: number): number {
    const e = this.fd(fd, Rights.FD_SYNC);
    if (e.kind === 'file') this.vfs.syncHandle(e.handle);
    return Errno.SUCCESS;
  }

  fd_fdstat_get(fd: number, ptr: number): number {
    const e = this.fds.get(fd);
    if (e === undefined) return Errno.BADF;
    const v = this.mem();
    this.checkRange(ptr, FDSTAT_SIZE);
    v.setUint8(ptr, e.kind === 'dir' ? Filetype.DIRECTORY : e.filetype);
    v.setUint8(ptr + 1, 0);
    v.setUint16(ptr + 2, e.flags, true);
    v.setUint32(ptr + 4, 0, true);
    v.setBigUint64(ptr + 8, BigInt(e.rightsBase), true);
    v.setBigUint64(ptr + 16, BigInt(e.rightsInheriting), true);
    return Errno.SUCCESS;
  }

  fd_fdstat_set_flags(fd: number, flags: number): number {
    const e = this.fd(fd, Rights.FD_FDSTAT_SET_FLAGS);
    if ((flags & ~FDFLAGS_ALL) !== 0) return Errno.INVAL;
    // Like wasmtime: only APPEND and NONBLOCK can change after opening.
    const changeable = Fdflags.APPEND | Fdflags.NONBLOCK;
    if ((flags & ~changeable) !== (e.flags & ~changeable)) return Errno.NOTSUP;
    e.flags = flags;
    return Errno.SUCCESS;
  }

  fd_fdstat_set_rights(fd: number, base: bigint, inheriting: bigint): number {
    const e = this.fds.get(fd);
    if (e === undefined) return Errno.BADF;
    if (base >> 30n !== 0n || inheriting >> 30n !== 0n) return Errno.NOTCAPABLE;
    const b = Number(base);
    const i = Number(inheriting);
    // Rights can only be dropped.
    if ((b & ~e.rightsBase) !== 0 || (i & ~e.rightsInheriting) !== 0) return Errno.NOTCAPABLE;
    e.rightsBase = b;
    e.rightsInheriting = i;
    return Errno.SUCCESS;
  }

  fd_filestat_get(fd: number, ptr: number): number {
    const e = this.fd(fd, Rights.FD_FILESTAT_GET);
    this.mem();
    this.checkRange(ptr, FILESTAT_SIZE);
    let st: NodeStat;
    if (e.kind === 'file') st = this.vfs.statHandle(e.handle);
    else if (e.kind === 'dir') st = this.vfs.statDir(e.dir);
    else {
      st = { dev: 0n, ino: 0n, type: 'unknown', nlink: 1n, size: 0n, atimeNs: 0n, mtimeNs: 0n, ctimeNs: 0n };
      this.writeFilestat(ptr, st);
      this.view.setUint8(ptr + 16, e.filetype);
      return Errno.SUCCESS;
    }
    this.writeFilestat(ptr, st);
    return Errno.SUCCESS;
  }

  fd_filestat_set_size(fd: number, size: bigint): number {
    const e = this.fd(fd, Rights.FD_FILESTAT_SET_SIZE);
    if (e.kind === 'dir') return Errno.ISDIR;
    if (e.kind !== 'file') return Errno.INVAL;
    if (size < 0n) return Errno.INVAL;
    if (size > BigInt(MAX_FILE_SIZE)) return Errno.FBIG;
    this.vfs.setSize(e.handle, Number(size));
    return Errno.SUCCESS;
  }

  private times(atim: bigint, mtim: bigint, fst: number): [bigint | null, bigint | null] | number {
    if ((fst & ~15) !== 0) return Errno.INVAL;
    if ((fst & Fstflags.ATIM) && (fst & Fstflags.ATIM_NOW)) return Errno.INVAL;
    if ((fst & Fstflags.MTIM) && (fst & Fstflags.MTIM_NOW)) return Errno.INVAL;
    const now = fst & (Fstflags.ATIM_NOW | Fstflags.MTIM_NOW) ? nowNs() : 0n;
    const a = fst & Fstflags.ATIM ? atim : fst & Fstflags.ATIM_NOW ? now : null;
    const m = fst & Fstflags.MTIM ? mtim : fst & Fstflags.MTIM_NOW ? now : null;
    return [a, m];
  }

  fd_filestat_set_times(fd: number, atim: bigint, mtim: bigint, fst: number): number {
    const e = this.fd(fd, Rights.FD_FILESTAT_SET_TIMES);
    const t = this.times(atim, mtim, fst);
    if (typeof t === 'number') return t;
    if (e.kind === 'file') this.vfs.setHandleTimes(e.handle, t[0], t[1]);
    else if (e.kind === 'dir') this.vfs.setDirTimes(e.dir, t[0], t[1]);
    return Errno.SUCCESS;
  }

  fd_pread(fd: number, iovs: number, iovsLen: number, offset: bigint, nreadPtr: number): number {
    const e = this.fd(fd, Rights.FD_READ);
    if (e.kind === 'dir') return Errno.ISDIR;
    if (e.kind === 'stream') return Errno.SPIPE;
    if (offset < 0n) return Errno.INVAL;
    const v = this.mem();
    const n = this.readInto(e, iovs, iovsLen, Number(offset));
    v.setUint32(nreadPtr, n, true);
    return Errno.SUCCESS;
  }

  fd_pwrite(fd: number, iovs: number, iovsLen: number, offset: bigint, nwrittenPtr: number): number {
    const e = this.fd(fd, Rights.FD_WRITE);
    if (e.kind === 'dir') return Errno.ISDIR;
    if (e.kind === 'stream') return Errno.SPIPE;
    if (offset < 0n) return Errno.INVAL;
    const v = this.mem();
    const n = this.writeFrom(e, iovs, iovsLen, Number(offset));
    v.setUint32(nwrittenPtr, n, true);
    return Errno.SUCCESS;
  }

  private readInto(e: FileFd, iovs: number, iovsLen: number, pos: number): number {
    const v = this.view;
    const u8 = this.u8;
    let total = 0;
    for (let i = 0; i < iovsLen; i++) {
      const ptr = v.getUint32(iovs + i * 8, true);
      const len = v.getUint32(iovs + i * 8 + 4, true);
      if (ptr + len > u8.length) throw new RangeError('iovec out of bounds');
      if (len === 0) continue;
      const n = this.vfs.read(e.handle, u8, ptr, len, pos + total);
      total += n;
      if (n < len) break;
    }
    return total;
  }

  private writeFrom(e: FileFd, iovs: number, iovsLen: number, pos: number): number {
    const v = this.view;
    const u8 = this.u8;
    let total = 0;
    for (let i = 0; i < iovsLen; i++) {
      const ptr = v.getUint32(iovs + i * 8, true);
      const len = v.getUint32(iovs + i * 8 + 4, true);
      if (ptr + len > u8.length) throw new RangeError('iovec out of bounds');
      if (len === 0) continue;
      if (pos + total + len > MAX_FILE_SIZE) {
        if (total > 0) break;
        throw Object.assign(new Error('file too large'), { code: 'EFBIG' });
      }
      const n = this.vfs.write(e.handle, u8, ptr, len, pos + total);
      total += n;
      if (n < len) break;
    }
    return total;
  }

  fd_read(fd: number, iovs: number, iovsLen: number, nreadPtr: number): number {
    const e = this.fd(fd, Rights.FD_READ);
    const v = this.mem();
    if (e.kind === 'file') {
      const n = this.readInto(e, iovs, iovsLen, e.pos);
      e.pos += n;
      v.setUint32(nreadPtr, n, true);
      return Errno.SUCCESS;
    }
    if (e.kind === 'dir') return Errno.ISDIR;
    this.vfs.settle();
    if ((e.flags & Fdflags.NONBLOCK) !== 0 && !e.stream.readable(0)) return Errno.AGAIN;
    const u8 = this.u8;
    let total = 0;
    // A stream read returns what one underlying read gives (like read(2) on a pipe or tty).
    for (let i = 0; i < iovsLen; i++) {
      const ptr = v.getUint32(iovs + i * 8, true);
      const len = v.getUint32(iovs + i * 8 + 4, true);
      if (ptr + len > u8.length) throw new RangeError('iovec out of bounds');
      if (len === 0) continue;
      total = e.stream.read(this.u8, ptr, len);
      break;
    }
    v.setUint32(nreadPtr, total, true);
    return Errno.SUCCESS;
  }

  fd_write(fd: number, iovs: number, iovsLen: number, nwrittenPtr: number): number {
    const e = this.fds.entries[fd];
    if (e === undefined || (e.rightsBase & Rights.FD_WRITE) === 0) return Errno.BADF;
    const v = this.mem();
    if (e.kind === 'file') {
      const pos = (e.flags & Fdflags.APPEND) !== 0 ? this.vfs.size(e.handle) : e.pos;
      const n = this.writeFrom(e, iovs, iovsLen, pos);
      e.pos = pos + n;
      v.setUint32(nwrittenPtr, n, true);
      return Errno.SUCCESS;
    }
    if (e.kind === 'dir') return Errno.ISDIR;
    const u8 = this.u8;
    let total = 0;
    for (let i = 0; i < iovsLen; i++) {
      const ptr = v.getUint32(iovs + i * 8, true);
      const len = v.getUint32(iovs + i * 8 + 4, true);
      if (ptr + len > u8.length) throw new RangeError('iovec out of bounds');
      total += e.stream.write(u8, ptr, len);
    }
    v.setUint32(nwrittenPtr, total, true);
    return Errno.SUCCESS;
  }

  fd_prestat_get(fd: number, ptr: number): number {
    const e = this.fds.get(fd);
    if (e === undefined || e.kind !== 'dir' || e.preopenName === undefined) return Errno.BADF;
    const v = this.mem();
    v.setUint32(ptr, 0, true);
    v.setUint32(ptr + 4, Buffer.byteLength(e.preopenName), true);
    return Errno.SUCCESS;
  }

  fd_prestat_dir_name(fd: number, ptr: number, len: number): number {
    const e = this.fds.get(fd);
    if (e === undefined || e.kind !== 'dir' || e.preopenName === undefined) return Errno.BADF;
    this.mem();
    const name = encoder.encode(e.preopenName);
    if (len < name.length) return Errno.NAMETOOLONG;
    this.checkRange(ptr, name.length);
    this.u8.set(name, ptr);
    return Errno.SUCCESS;
  }

  fd_readdir(fd: number, buf: number, bufLen: number, cookie: bigint, usedPtr: number): number {
    const any = this.fds.get(fd);
    if (any !== undefined && any.kind !== 'dir') return Errno.NOTDIR;
    const e = this.fd(fd, Rights.FD_READDIR);
    if (e.kind !== 'dir') return Errno.NOTDIR;
    const v = this.mem();
    this.checkRange(buf, bufLen);
    if (cookie === 0n || e.listing === undefined) e.listing = this.vfs.list(e.dir);
    const listing = e.listing;
    const total = listing.length + 2;
    let used = 0;
    const scratch = new Uint8Array(DIRENT_SIZE);
    const sv = new DataView(scratch.buffer);
    // Host entries' inode numbers, looked up only for the entries this call returns (one check of the directory).
    let inoOf: ((name: string) => bigint) | undefined;
    for (let i = Number(cookie); i < total && used < bufLen; i++) {
      let name: string;
      let type: number;
      let ino: bigint;
      if (i === 0) {
        name = '.';
        type = Filetype.DIRECTORY;
        ino = this.vfs.dirIno(e.dir);
      } else if (i === 1) {
        name = '..';
        type = Filetype.DIRECTORY;
        ino = this.vfs.dirIno(e.dir);
      } else {
        const item = listing[i - 2];
        name = item.name;
        type = filetypeOf(item.type);
        ino = item.ino ?? (item.ino = (inoOf ??= this.vfs.entryInoReader(e.dir))(item.name));
      }
      const nameBytes = encoder.encode(name);
      sv.setBigUint64(0, BigInt(i + 1), true);
      sv.setBigUint64(8, ino, true);
      sv.setUint32(16, nameBytes.length, true);
      sv.setUint32(20, 0, true);
      sv.setUint8(20, type);
      // Entries that do not fit are truncated: the guest sees a full buffer and asks again from this cookie.
      const headerBytes = Math.min(DIRENT_SIZE, bufLen - used);
      this.u8.set(scratch.subarray(0, headerBytes), buf + used);
      used += headerBytes;
      if (used >= bufLen) break;
      const nameLen = Math.min(nameBytes.length, bufLen - used);
      this.u8.set(nameBytes.subarray(0, nameLen), buf + used);
      used += nameLen;
    }
    v.setUint32(usedPtr, used, true);
    return Errno.SUCCESS;
  }

  fd_renumber(from: number, to: number): number {
    const a = this.fds.get(from);
    const b = this.fds.get(to);
    if (a === undefined || b === undefined) return Errno.BADF;
    if (from === to) return Errno.SUCCESS;
    this.fds.remove(from);
    this.fds.set(to, a);
    this.closeEntry(b);
    return Errno.SUCCESS;
  }

  fd_seek(fd: number, offset: bigint, whence: number, newPtr: number): number {
    const needed = offset === 0n && whence === Whence.CUR ? Rights.FD_TELL : Rights.FD_SEEK;
    const e = this.fds.get(fd);
    if (e === undefined) return Errno.BADF;
    if (e.kind === 'stream') return Errno.SPIPE;
    if ((e.rightsBase & needed) === 0 && (e.rightsBase & Rights.FD_SEEK) === 0) return Errno.BADF;
    if (e.kind === 'dir') return Errno.BADF;
    let base: number;
    switch (whence) {
      case Whence.SET:
        base = 0;
        break;
      case Whence.CUR:
        base = e.pos;
        break;
      case Whence.END:
        base = this.vfs.size(e.handle);
        break;
      default:
        return Errno.INVAL;
    }
    const next = BigInt(base) + offset;
    if (next < 0n) return Errno.INVAL;
    if (next > BigInt(Number.MAX_SAFE_INTEGER)) return Errno.OVERFLOW;
    e.pos = Number(next);
    const v = this.mem();
    v.setBigUint64(newPtr, next, true);
    return Errno.SUCCESS;
  }

  fd_tell(fd: number, ptr: number): number {
    const e = this.fd(fd, Rights.FD_TELL);
    if (e.kind === 'dir') return Errno.BADF;
    if (e.kind === 'stream') return Errno.SPIPE;
    const v = this.mem();
    v.setBigUint64(ptr, BigInt(e.pos), true);
    return Errno.SUCCESS;
  }

  // ---- paths ---------------------------------------------------------------------------------------------------------

  path_create_directory(fd: number, pathPtr: number, pathLen: number): number {
    const d = this.dirFd(fd, Rights.PATH_CREATE_DIRECTORY);
    this.mem();
    this.vfs.mkdir(d.dir, this.str(pathPtr, pathLen));
    return Errno.SUCCESS;
  }

  path_filestat_get(fd: number, flags: number, pathPtr: number, pathLen: number, ptr: number): number {
    const d = this.dirFd(fd, Rights.PATH_FILESTAT_GET);
    this.mem();
    this.checkRange(ptr, FILESTAT_SIZE);
    const st = this.vfs.statPath(d.dir, this.str(pathPtr, pathLen), (flags & Lookupflags.SYMLINK_FOLLOW) !== 0);
    this.writeFilestat(ptr, st);
    return Errno.SUCCESS;
  }

  path_filestat_set_times(
    fd: number, flags: number, pathPtr: number, pathLen: number, atim: bigint, mtim: bigint, fst: number,
  ): number {
    const d = this.dirFd(fd, Rights.PATH_FILESTAT_SET_TIMES);
    this.mem();
    const path = this.str(pathPtr, pathLen);
    const t = this.times(atim, mtim, fst);
    if (typeof t === 'number') return t;
    this.vfs.setPathTimes(d.dir, path, (flags & Lookupflags.SYMLINK_FOLLOW) !== 0, t[0], t[1]);
    return Errno.SUCCESS;
  }

  path_link(oldFd: number, oldFlags: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number): number {
    const a = this.dirFd(oldFd, Rights.PATH_LINK_SOURCE);
    const b = this.dirFd(newFd, Rights.PATH_LINK_TARGET);
    this.mem();
    this.vfs.link(a.dir, this.str(oldPtr, oldLen), (oldFlags & Lookupflags.SYMLINK_FOLLOW) !== 0, b.dir, this.str(newPtr, newLen));
    return Errno.SUCCESS;
  }

  path_open(
    fd: number, dirflags: number, pathPtr: number, pathLen: number, oflags: number, base: bigint, inheriting: bigint,
    fdflags: number, fdPtr: number,
  ): number {
    let needed = Rights.PATH_OPEN;
    if (oflags & Oflags.CREAT) needed |= Rights.PATH_CREATE_FILE;
    const d = this.dirFd(fd, needed);
    if ((oflags & Oflags.TRUNC) && (d.rightsBase & Rights.PATH_FILESTAT_SET_SIZE) === 0) return Errno.PERM;
    if ((oflags & ~15) !== 0 || (fdflags & ~FDFLAGS_ALL) !== 0) return Errno.INVAL;
    this.mem();
    const path = this.str(pathPtr, pathLen);
    // Asking for more than the directory passes on is ENOTCAPABLE (wasi-libc asks for exactly what it may have).
    if (base >> 30n !== 0n || inheriting >> 30n !== 0n) return Errno.NOTCAPABLE;
    const requested = Number(base);
    const requestedInh = Number(inheriting);
    if ((requested & ~d.rightsInheriting) !== 0 || (requestedInh & ~d.rightsInheriting) !== 0) return Errno.NOTCAPABLE;
    const write =
      (requested & (Rights.FD_WRITE | Rights.FD_ALLOCATE | Rights.FD_FILESTAT_SET_SIZE)) !== 0 ||
      (fdflags & Fdflags.APPEND) !== 0;
    const read = (requested & (Rights.FD_READ | Rights.FD_READDIR)) !== 0;
    const opened = this.vfs.open(d.dir, path, {
      followFinal: (dirflags & Lookupflags.SYMLINK_FOLLOW) !== 0,
      create: (oflags & Oflags.CREAT) !== 0,
      exclusive: (oflags & Oflags.EXCL) !== 0,
      truncate: (oflags & Oflags.TRUNC) !== 0,
      directory: (oflags & Oflags.DIRECTORY) !== 0,
      read,
      write,
    });
    let entry: FdEntry;
    if (opened.kind === 'dir') {
      entry = {
        kind: 'dir', dir: opened.dir, preopenName: undefined, listing: undefined, flags: fdflags,
        rightsBase: requested & DIRECTORY_RIGHTS, rightsInheriting: requestedInh,
      };
    } else {
      entry = {
        kind: 'file', handle: opened.handle, filetype: filetypeOf(opened.type), pos: 0, flags: fdflags,
        rightsBase: requested & FILE_RIGHTS, rightsInheriting: requestedInh & FILE_RIGHTS,
      };
    }
    const newFd = this.fds.add(entry);
    this.view.setUint32(fdPtr, newFd, true);
    return Errno.SUCCESS;
  }

  path_readlink(fd: number, pathPtr: number, pathLen: number, buf: number, bufLen: number, usedPtr: number): number {
    const d = this.dirFd(fd, Rights.PATH_READLINK);
    const v = this.mem();
    const target = encoder.encode(this.vfs.readlink(d.dir, this.str(pathPtr, pathLen)));
    const n = Math.min(target.length, bufLen);
    this.checkRange(buf, n);
    this.u8.set(target.subarray(0, n), buf);
    v.setUint32(usedPtr, n, true);
    return Errno.SUCCESS;
  }

  path_remove_directory(fd: number, pathPtr: number, pathLen: number): number {
    const d = this.dirFd(fd, Rights.PATH_REMOVE_DIRECTORY);
    this.mem();
    this.vfs.rmdir(d.dir, this.str(pathPtr, pathLen));
    return Errno.SUCCESS;
  }

  path_rename(fd: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number): number {
    const a = this.dirFd(fd, Rights.PATH_RENAME_SOURCE);
    const b = this.dirFd(newFd, Rights.PATH_RENAME_TARGET);
    this.mem();
    this.vfs.rename(a.dir, this.str(oldPtr, oldLen), b.dir, this.str(newPtr, newLen));
    return Errno.SUCCESS;
  }

  path_symlink(oldPtr: number, oldLen: number, fd: number, newPtr: number, newLen: number): number {
    const d = this.dirFd(fd, Rights.PATH_SYMLINK);
    this.mem();
    this.vfs.symlink(this.str(oldPtr, oldLen), d.dir, this.str(newPtr, newLen));
    return Errno.SUCCESS;
  }

  path_unlink_file(fd: number, pathPtr: number, pathLen: number): number {
    const d = this.dirFd(fd, Rights.PATH_UNLINK_FILE);
    this.mem();
    this.vfs.unlink(d.dir, this.str(pathPtr, pathLen));
    return Errno.SUCCESS;
  }

  // ---- poll ----------------------------------------------------------------------------------------------------------

  poll_oneoff(inPtr: number, outPtr: number, nsubs: number, neventsPtr: number): number {
    if (nsubs === 0) return Errno.INVAL;
    const v = this.mem();
    this.checkRange(inPtr, nsubs * SUBSCRIPTION_SIZE);
    this.checkRange(outPtr, nsubs * EVENT_SIZE);
    interface Sub { userdata: bigint; type: number; deadline?: bigint; clockId?: number; stream?: Stream; fd?: number }
    const subs: Sub[] = [];
    const events: Array<{ userdata: bigint; error: number; type: number; nbytes: bigint; flags: number }> = [];
    for (let i = 0; i < nsubs; i++) {
      const p = inPtr + i * SUBSCRIPTION_SIZE;
      const userdata = v.getBigUint64(p, true);
      const type = v.getUint8(p + 8);
      if (type === Eventtype.CLOCK) {
        const clockId = v.getUint32(p + 16, true);
        const timeout = v.getBigUint64(p + 24, true);
        const flags = v.getUint16(p + 40, true);
        const now = this.clockNow(clockId);
        if (now === undefined) {
          events.push({ userdata, error: Errno.INVAL, type, nbytes: 0n, flags: 0 });
          continue;
        }
        const deadlineOnClock = flags & Subclockflags.ABSTIME ? timeout : now + timeout;
        // Deadlines are tracked on the monotonic clock.
        const mono = process.hrtime.bigint();
        subs.push({ userdata, type, deadline: mono + (deadlineOnClock - now), clockId });
      } else if (type === Eventtype.FD_READ || type === Eventtype.FD_WRITE) {
        const fd = v.getUint32(p + 16, true);
        const e = this.fds.get(fd);
        const right = type === Eventtype.FD_READ ? Rights.FD_READ : Rights.FD_WRITE;
        if (e === undefined) {
          events.push({ userdata, error: Errno.BADF, type, nbytes: 0n, flags: 0 });
        } else if ((e.rightsBase & (right | Rights.POLL_FD_READWRITE)) === 0) {
          events.push({ userdata, error: Errno.NOTCAPABLE, type, nbytes: 0n, flags: 0 });
        } else if (e.kind === 'stream' && type === Eventtype.FD_READ) {
          subs.push({ userdata, type, stream: e.stream, fd });
        } else {
          let nbytes = 0n;
          if (e.kind === 'file' && type === Eventtype.FD_READ) {
            nbytes = BigInt(Math.max(0, this.vfs.size(e.handle) - e.pos));
          }
          events.push({ userdata, error: e.kind === 'dir' ? Errno.BADF : Errno.SUCCESS, type, nbytes, flags: 0 });
        }
      } else {
        events.push({ userdata, error: Errno.INVAL, type, nbytes: 0n, flags: 0 });
      }
    }
    const check = (): void => {
      const mono = process.hrtime.bigint();
      for (const s of subs) {
        if (s.deadline !== undefined) {
          if (mono >= s.deadline) events.push({ userdata: s.userdata, error: 0, type: s.type, nbytes: 0n, flags: 0 });
        } else if (s.stream && s.stream.readable(0)) {
          events.push({ userdata: s.userdata, error: 0, type: s.type, nbytes: 1n, flags: 0 });
        }
      }
    };
    if (events.length === 0) check();
    while (events.length === 0) {
      let wait: bigint | undefined;
      const mono = process.hrtime.bigint();
      for (const s of subs) if (s.deadline !== undefined) wait = wait === undefined || s.deadline - mono < wait ? s.deadline - mono : wait;
      const waitMs = wait === undefined ? -1 : Math.max(0, Math.ceil(Number(wait) / 1e6));
      const streams = subs.filter((s) => s.stream);
      if (streams.length > 0) {
        // One blocking wait on stdin readiness, bounded by the nearest clock.
        streams[0].stream!.readable(waitMs);
      } else if (waitMs > 0) {
        this.vfs.settle();
        this.host.flush?.();
        Atomics.wait(this.sleeper, 0, 0, waitMs);
      } else if (waitMs < 0) {
        return Errno.INVAL;
      }
      check();
    }
    const view = this.mem();
    const n = Math.min(events.length, nsubs);
    for (let i = 0; i < n; i++) {
      const ev = events[i];
      const p = outPtr + i * EVENT_SIZE;
      view.setBigUint64(p, ev.userdata, true);
      view.setUint16(p + 8, ev.error, true);
      view.setUint8(p + 10, ev.type);
      for (let k = 11; k < 16; k++) view.setUint8(p + k, 0);
      view.setBigUint64(p + 16, ev.nbytes, true);
      view.setUint16(p + 24, ev.flags, true);
      for (let k = 26; k < 32; k++) view.setUint8(p + k, 0);
    }
    view.setUint32(neventsPtr, n, true);
    return Errno.SUCCESS;
  }

  // ---- sockets (no socket descriptors exist in preview1 without sock_accept of a preopened socket) -----------------

  private notSocket(fd: number): number {
    return this.fds.get(fd) === undefined ? Errno.BADF : Errno.NOTSOCK;
  }
  sock_accept(fd: number, _flags: number, _fdPtr: number): number {
    return this.notSocket(fd);
  }
  sock_recv(fd: number, _ri: number, _riLen: number, _flags: number, _lenPtr: number, _flagsPtr: number): number {
    return this.notSocket(fd);
  }
  sock_send(fd: number, _si: number, _siLen: number, _flags: number, _lenPtr: number): number {
    return this.notSocket(fd);
  }
  sock_shutdown(fd: number, _how: number): number {
    return this.notSocket(fd);
  }

  // ---- the import object -------------------------------------------------------------------------------------------

  /** Arguments for a trace record: numbers as given, (ptr, len) path pairs as the string they point to. */
  private describeArgs(name: string, args: unknown[]): string {
    const pairs = PATH_ARGS[name];
    const out: string[] = [];
    for (let i = 0; i < args.length; i++) {
      if (pairs !== undefined && pairs.includes(i) && typeof args[i] === 'number' && typeof args[i + 1] === 'number') {
        let text: string;
        try {
          this.mem();
          text = JSON.stringify(this.str(args[i] as number, args[i + 1] as number));
        } catch {
          text = `<bad pointer ${args[i]}>`;
        }
        out.push(text);
        i++;
        continue;
      }
      out.push(String(args[i]));
    }
    return out.join(', ');
  }

  /** The wasi_snapshot_preview1 namespace; with `trace`, every call is also reported with its arguments and result. */
  imports(): Record<string, (...args: never[]) => number> {
    const out: Record<string, (...args: never[]) => number> = {};
    const host = this.host;
    const trace = host.trace?.bind(host);
    const vfs = this.vfs;
    for (const name of PREVIEW1_FUNCTIONS) {
      // Buffered host file I/O is settled before any syscall that could observe it (see Vfs.settle).
      const settles = !IO_FAST_PATH.has(name);
      const method = (this as unknown as Record<string, (...a: unknown[]) => number>)[name].bind(this);
      if (!trace) {
        out[name] = ((a: unknown, b: unknown, c: unknown, d: unknown, e: unknown, f: unknown, g: unknown, h: unknown, i: unknown) => {
          host.beforeSyscall();
          this.current = name;
          try {
            if (settles && vfs.buffered !== null) vfs.settle();
            return method(a, b, c, d, e, f, g, h, i);
          } catch (x) {
            return this.fault(x);
          }
        }) as (...args: never[]) => number;
      } else {
        out[name] = ((...args: unknown[]) => {
          host.beforeSyscall();
          this.current = name;
          const start = performance.now();
          let result = 'exit';
          try {
            const r = (() => {
              try {
                if (settles && vfs.buffered !== null) vfs.settle();
                return method(...args);
              } catch (x) {
                return this.fault(x);
              }
            })();
            result = errnoName(r);
            return r;
          } catch (x) {
            result = x instanceof ProcExit ? `exit(${x.code})` : 'internal error';
            throw x;
          } finally {
            trace({
              name,
              args: this.describeArgs(name, args),
              result,
              durationUs: Math.round((performance.now() - start) * 1000),
            });
          }
        }) as (...args: never[]) => number;
      }
    }
    return out;
  }
}

/** Argument positions where a (pointer, length) pair names a path, for readable traces. */
const PATH_ARGS: Record<string, number[]> = {
  path_create_directory: [1], path_filestat_get: [2], path_filestat_set_times: [2], path_link: [2, 5],
  path_open: [2], path_readlink: [1], path_remove_directory: [1], path_rename: [1, 4], path_symlink: [0, 3],
  path_unlink_file: [1],
};

/** Syscalls that work with the buffered host I/O instead of settling it first. */
const IO_FAST_PATH = new Set<string>(['fd_read', 'fd_write', 'fd_pread', 'fd_pwrite', 'fd_seek', 'fd_tell', 'fd_fdstat_get', 'sched_yield', 'clock_time_get']);

export const PREVIEW1_FUNCTIONS = [
  'args_get', 'args_sizes_get', 'environ_get', 'environ_sizes_get', 'clock_res_get', 'clock_time_get',
  'fd_advise', 'fd_allocate', 'fd_close', 'fd_datasync', 'fd_fdstat_get', 'fd_fdstat_set_flags',
  'fd_fdstat_set_rights', 'fd_filestat_get', 'fd_filestat_set_size', 'fd_filestat_set_times', 'fd_pread',
  'fd_prestat_get', 'fd_prestat_dir_name', 'fd_pwrite', 'fd_read', 'fd_readdir', 'fd_renumber', 'fd_seek',
  'fd_sync', 'fd_tell', 'fd_write', 'path_create_directory', 'path_filestat_get', 'path_filestat_set_times',
  'path_link', 'path_open', 'path_readlink', 'path_remove_directory', 'path_rename', 'path_symlink',
  'path_unlink_file', 'poll_oneoff', 'proc_exit', 'proc_raise', 'sched_yield', 'random_get', 'sock_accept',
  'sock_recv', 'sock_send', 'sock_shutdown',
] as const;

/**
 * node:crypto, loaded on the first random_get: importing it costs the worker 5–10 ms of startup (16 internal
 * modules) before every run, and most programs never ask for randomness.
 */
let randomFillSync: typeof NodeCrypto.randomFillSync | undefined;
function randomFill(): typeof NodeCrypto.randomFillSync {
  return (randomFillSync ??= (require('node:crypto') as typeof NodeCrypto).randomFillSync);
}
