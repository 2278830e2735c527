// wasix_32v1: Wasmer's WASIX calls, over the same descriptor table, filesystem and memory as wasi_snapshot_preview1.
//
// Facts (wasmerio/wasmer lib/wasix/src/lib.rs `wasix_exports_32`, wasix-org/wasix-libc __wasixlibc_real.c):
// - wasix_32v1 repeats all 46 preview1 functions with preview1's ABI and layouts (filestat, fdstat, dirent, seek,
//   subscriptions); only sock_accept differs (Wasmer binds sock_accept_v2, which adds an address out-pointer) and
//   returns before touching its pointers here (no descriptor is ever a socket). wasix-libc itself imports the preview1
//   functions from wasi_snapshot_preview1 and only the WASIX additions from wasix_32v1, so a WASIX module usually
//   imports both namespaces, and both must share one descriptor table.
// - Wasmer binds one fd_renumber to both namespaces, with dup2 semantics: `from` stays open, `to` need not be open,
//   CLOEXEC is cleared on `to`, renumbering onto a preopen is ENOTSUP. For WASIX modules run.ts routes both
//   namespaces' fd_renumber and fd_close here, because a dup'd descriptor shares its open file (one FdEntry object in
//   two slots: offset, flags and rights are shared) and must stay usable until its last slot is closed (Preview1's
//   closeAll closes such an entry once at exit).
// - Paths (wasix-libc preopens.c, Wasmer's get_inode_at_path): unlike wasi-libc, wasix-libc keeps the leading "/" of
//   an absolute path it sends to the root preopen ("/etc/x" → fd 3, "/etc/x"), and sends a relative path there as it
//   is (fd 3, "data.txt") when the program never linked chdir. So for WASIX modules, in both namespaces: a path that
//   starts with "/" resolves from the root whatever directory descriptor it comes with, and a relative path given
//   with a descriptor of the root directory resolves from the current directory — what Wasmer does for WASIX
//   modules. A program that linked chdir makes relative paths absolute itself (with getcwd) before any call.
// - The current directory: getcwd reports it (initially launch.json "cwd"), chdir changes it.
// - Only one thread exists (threads are refused by launch.json validation): thread_id is 1, thread_parallelism 1,
//   thread_spawn and futexes ENOTSUP; thread_exit of the main thread ends the process like proc_exit.
// Everything else Wasmer offers (sockets, fork/exec/spawn, epoll, stack checkpoints, dynamic linking…) links and
// answers ENOTSUP with a trace record; the three that cannot return (proc_exec, proc_exec2, stack_restore) stop the
// program with a clear message instead of returning into code that assumes they never do.

import { normalizeGuestPath } from '../builder/paths';
import type { GuestHost } from '../runtime/guestHost';
import type { Vfs } from '../vfs/vfs';
import { Clockid, Errno, errnoName, Rights, STREAM_RIGHTS } from './constants';
import type { FdEntry, StreamFd } from './fdTable';
import { makePipe } from './pipe';
import { InternalSyscallError, Preview1, PREVIEW1_FUNCTIONS, ProcExit } from './preview1';
import type { WasmMemory } from './wasm';

export const WASIX_32V1 = 'wasix_32v1';
export const WASIX_64V1 = 'wasix_64v1';

/** WASIX additions this runtime implements. */
export const WASIX_IMPLEMENTED = [
  'callback_signal', 'chdir', 'clock_time_set', 'fd_dup', 'fd_dup2', 'fd_fdflags_get', 'fd_fdflags_set', 'fd_pipe',
  'getcwd', 'path_open2', 'proc_exit2', 'proc_id', 'proc_parent', 'proc_signals_get', 'proc_signals_sizes_get',
  'thread_exit', 'thread_id', 'thread_parallelism', 'thread_sleep', 'tty_get', 'tty_set',
] as const;

/** WASIX calls that stop the program when called: they cannot return an error to their caller. */
const NO_RETURN: Record<string, string> = {
  proc_exec: 'it replaces the running program with another one',
  proc_exec2: 'it replaces the running program with another one',
  stack_restore: 'it rewinds the stack to a checkpoint, which needs stack_checkpoint',
};

/** WASIX calls that link but answer ENOTSUP (Wasmer's list, plus the newer wasix-libc's). */
export const WASIX_UNSUPPORTED = [
  // threads and synchronisation
  'thread_spawn', 'thread_spawn_v2', 'thread_join', 'thread_signal', 'futex_wait', 'futex_wake', 'futex_wake_all',
  // processes and signals (proc_raise_interval: timers that raise signals need signal delivery, which is not done here)
  'proc_raise_interval', 'proc_fork', 'proc_fork_env', 'proc_join', 'proc_signal', 'proc_exec', 'proc_exec2',
  'proc_exec3', 'proc_exec4', 'proc_spawn', 'proc_spawn2', 'proc_spawn3', 'proc_snapshot',
  // stack and context switching, dynamic linking, closures
  'stack_checkpoint', 'stack_restore', 'context_create', 'context_destroy', 'context_switch', 'continuation_context',
  'continuation_new', 'continuation_switch', 'continuation_delete', 'dlopen', 'dlsym', 'dl_invalid_handle',
  'call_dynamic', 'closure_prepare', 'closure_allocate', 'closure_free', 'reflect_signature',
  // event descriptors and epoll
  'fd_event', 'epoll_create', 'epoll_ctl', 'epoll_wait',
  // networking
  'port_bridge', 'port_unbridge', 'port_dhcp_acquire', 'port_addr_add', 'port_addr_remove', 'port_addr_clear',
  'port_addr_list', 'port_mac', 'port_gateway_set', 'port_route_add', 'port_route_remove', 'port_route_clear',
  'port_route_list', 'sock_status', 'sock_addr_local', 'sock_addr_peer', 'sock_open', 'sock_pair', 'sock_set_opt_flag',
  'sock_get_opt_flag', 'sock_set_opt_time', 'sock_get_opt_time', 'sock_set_opt_size', 'sock_get_opt_size',
  'sock_join_multicast_v4', 'sock_leave_multicast_v4', 'sock_join_multicast_v6', 'sock_leave_multicast_v6',
  'sock_bind', 'sock_listen', 'sock_accept_v2', 'sock_connect', 'sock_recv_from', 'sock_send_to', 'sock_send_file',
  'resolve',
] as const;

/** Every name the wasix_32v1 namespace provides. */
export const WASIX_FUNCTIONS: ReadonlySet<string> = new Set<string>([...PREVIEW1_FUNCTIONS, ...WASIX_IMPLEMENTED, ...WASIX_UNSUPPORTED]);

/** The only process and the only thread of this runtime (Wasmer numbers its first ones from 1 as well). */
const WASIX_PID = 1;
const WASIX_MAIN_TID = 1;
const FDFLAGSEXT_CLOEXEC = 1;
const TTY_SIZE = 24;
/** Where the preview1 path calls take their (directory fd, path pointer, path length) triples: [fd index, pointer index]. */
const PATH_ARGS: Record<string, Array<[number, number]>> = {
  path_create_directory: [[0, 1]], path_filestat_get: [[0, 2]], path_filestat_set_times: [[0, 2]],
  path_link: [[0, 2], [4, 5]], path_open: [[0, 2]], path_readlink: [[0, 1]], path_remove_directory: [[0, 1]],
  path_rename: [[0, 1], [3, 4]], path_symlink: [[2, 3]], path_unlink_file: [[0, 1]],
};
/** Highest descriptor number fd_dup2 hands out (a guard against an absurd min_result_fd). */
const MAX_FD = 1 << 20;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Thrown by a call that cannot return; runModule reports it as the end of the program (a trap with frames). */
export class UnsupportedWasixCall extends Error {
  constructor(readonly call: string, why: string) {
    super(`${WASIX_32V1}.${call} is not supported by wasi-debug (${why}); the call cannot return, so the program stops here`);
    this.name = 'UnsupportedWasixCall';
  }
}

/** What tty_get reports (Wasmer's Tty struct, 24 bytes). */
interface TtyState {
  cols: number;
  rows: number;
  width: number;
  height: number;
  stdinTty: boolean;
  stdoutTty: boolean;
  stderrTty: boolean;
  echo: boolean;
  lineBuffered: boolean;
}

export interface WasixOptions {
  vfs: Vfs;
  host: GuestHost;
  /** Absolute guest path: launch.json "cwd" (WasiEnvInit.currentDir). */
  currentDir: string;
  /** Which of stdin/stdout/stderr is an interactive terminal (console stdio that GuestHost.isTerminal confirms). */
  terminal: [boolean, boolean, boolean];
}

type ImportFn = (...args: never[]) => number;

export class Wasix {
  private memory: WasmMemory | undefined;
  private cwd: string;
  private tty: TtyState;
  /** fd → the entry it had when CLOEXEC was set: the flag belongs to that slot only while it holds that entry. */
  private readonly cloexec = new Map<number, FdEntry>();
  private readonly sleeper = new Int32Array(new SharedArrayBuffer(4));
  /** The export callback_signal named (kept: signals are never delivered here, so it is never called). */
  signalCallback: string | undefined;

  constructor(private readonly p1: Preview1, private readonly opts: WasixOptions) {
    this.cwd = normalizeGuestPath(opts.currentDir || '/');
    const [stdinTty, stdoutTty, stderrTty] = opts.terminal;
    // The Debug Console (and a terminal in cooked mode under the CLI) shows what the user types and hands the program
    // whole lines: an interactive stdin is echoed and line-buffered. Size: Wasmer's default console, 80×25.
    this.tty = { cols: 80, rows: 25, width: 800, height: 600, stdinTty, stdoutTty, stderrTty, echo: stdinTty, lineBuffered: stdinTty };
  }

  bindMemory(memory: WasmMemory): void {
    this.memory = memory;
  }

  /** The current directory getcwd reports. */
  get currentDir(): string {
    return this.cwd;
  }

  private view(): DataView {
    if (this.memory === undefined) throw new InternalSyscallError('wasix', new Error('the module has no exported memory'));
    return new DataView(this.memory.buffer);
  }

  private bytes(ptr: number, len: number): Uint8Array {
    const buffer = this.memory!.buffer;
    if (ptr < 0 || len < 0 || ptr + len > buffer.byteLength) throw new RangeError('out of bounds');
    // slice(): TextDecoder refuses views of shared memory.
    return new Uint8Array(buffer).slice(ptr, ptr + len);
  }

  private string(ptr: number, len: number): string {
    this.view();
    try {
      return decoder.decode(this.bytes(ptr, len));
    } catch (e) {
      if (e instanceof RangeError) throw e;
      throw Object.assign(new Error('path is not valid UTF-8'), { code: 'EILSEQ' });
    }
  }

  private isShared(entry: FdEntry, exceptFd: number): boolean {
    const entries = this.p1.fds.entries;
    for (let fd = 0; fd < entries.length; fd++) if (fd !== exceptFd && entries[fd] === entry) return true;
    return false;
  }

  private setCloexec(fd: number, on: boolean): void {
    const entry = this.p1.fds.get(fd);
    if (on && entry !== undefined) this.cloexec.set(fd, entry);
    else this.cloexec.delete(fd);
  }

  private isCloexec(fd: number): boolean {
    const entry = this.cloexec.get(fd);
    return entry !== undefined && entry === this.p1.fds.get(fd);
  }

  // ---- descriptors -------------------------------------------------------------------------------------------------

  /** fd_close for WASIX modules (both namespaces): a slot that shares its open file with another only goes away. */
  fd_close(fd: number): number {
    const e = this.p1.fds.get(fd);
    if (e === undefined) return Errno.BADF;
    this.cloexec.delete(fd);
    if (this.isShared(e, fd)) {
      this.p1.fds.remove(fd);
      return Errno.SUCCESS;
    }
    return this.p1.fd_close(fd);
  }

  /** fd_renumber as Wasmer does it for WASIX modules (both namespaces): dup2 — `from` stays open. */
  fd_renumber(from: number, to: number): number {
    const a = this.p1.fds.get(from);
    if (a === undefined) return Errno.BADF;
    if (from === to) return Errno.SUCCESS;
    const b = this.p1.fds.get(to);
    if (b !== undefined && b.kind === 'dir' && b.preopenName !== undefined) return Errno.NOTSUP;
    if (b !== undefined) {
      const errno = this.fd_close(to);
      if (errno !== Errno.SUCCESS) return errno;
    }
    this.p1.fds.set(to, a);
    this.cloexec.delete(to);
    return Errno.SUCCESS;
  }

  fd_dup(fd: number, retPtr: number): number {
    return this.fd_dup2(fd, 0, 0, retPtr);
  }

  /** The lowest free descriptor ≥ min_result_fd, sharing fd's open file (fcntl F_DUPFD / F_DUPFD_CLOEXEC). */
  fd_dup2(fd: number, minResultFd: number, cloexec: number, retPtr: number): number {
    const v = this.view();
    const e = this.p1.fds.get(fd);
    if (e === undefined) return Errno.BADF;
    if (minResultFd >>> 0 >= MAX_FD) return Errno.INVAL;
    v.getUint32(retPtr, true); // EFAULT before the table changes
    let target = minResultFd >>> 0;
    while (this.p1.fds.get(target) !== undefined) target++;
    if (target >= MAX_FD) return Errno.MFILE;
    this.p1.fds.set(target, e);
    this.setCloexec(target, cloexec !== 0);
    v.setUint32(retPtr, target, true);
    return Errno.SUCCESS;
  }

  fd_fdflags_get(fd: number, retPtr: number): number {
    const v = this.view();
    if (this.p1.fds.get(fd) === undefined) return Errno.BADF;
    v.setUint16(retPtr, this.isCloexec(fd) ? FDFLAGSEXT_CLOEXEC : 0, true);
    return Errno.SUCCESS;
  }

  fd_fdflags_set(fd: number, flags: number): number {
    const e = this.p1.fds.get(fd);
    if (e === undefined) return Errno.BADF;
    if ((flags & ~FDFLAGSEXT_CLOEXEC) !== 0) return Errno.INVAL;
    // Wasmer: changing descriptor flags needs the FD_FDSTAT_SET_FLAGS right, and says EACCES without it.
    if ((e.rightsBase & Rights.FD_FDSTAT_SET_FLAGS) === 0) return Errno.ACCES;
    this.setCloexec(fd, (flags & FDFLAGSEXT_CLOEXEC) !== 0);
    return Errno.SUCCESS;
  }

  fd_pipe(retPtr1: number, retPtr2: number): number {
    const v = this.view();
    v.getUint32(retPtr1, true);
    v.getUint32(retPtr2, true);
    const [a, b] = makePipe((ms) => this.idle(ms));
    const end = (stream: typeof a): StreamFd => ({
      kind: 'stream', stream, filetype: stream.filetype, flags: 0, rightsBase: STREAM_RIGHTS, rightsInheriting: 0,
    });
    const fd1 = this.p1.fds.add(end(a));
    const fd2 = this.p1.fds.add(end(b));
    v.setUint32(retPtr1, fd1, true);
    v.setUint32(retPtr2, fd2, true);
    return Errno.SUCCESS;
  }

  /** path_open plus descriptor flags (CLOEXEC): the open() of newer wasix-libc. */
  path_open2(
    fd: number, dirflags: number, pathPtr: number, pathLen: number, oflags: number, base: bigint, inheriting: bigint,
    fdflags: number, fdflagsext: number, retPtr: number,
  ): number {
    if ((fdflagsext & ~FDFLAGSEXT_CLOEXEC) !== 0) return Errno.INVAL;
    const open = (...a: unknown[]): number => this.p1.path_open(...(a as Parameters<Preview1['path_open']>));
    const errno = this.withPathBases([[0, 2]], [fd, dirflags, pathPtr, pathLen, oflags, base, inheriting, fdflags, retPtr], open);
    if (errno === Errno.SUCCESS) this.setCloexec(this.view().getUint32(retPtr, true), (fdflagsext & FDFLAGSEXT_CLOEXEC) !== 0);
    return errno;
  }

  // ---- where paths start ------------------------------------------------------------------------------------------------

  /** The descriptor of the root preopen ("/"), if the guest still has it. */
  private rootFd(): number | undefined {
    const entries = this.p1.fds.entries;
    const root = this.opts.vfs.root;
    for (let fd = 0; fd < entries.length; fd++) {
      const e = entries[fd];
      if (e !== undefined && e.kind === 'dir' && e.dir === root && e.preopenName !== undefined) return fd;
    }
    return undefined;
  }

  /**
   * Calls `call(...args)` with each (fd, path) pair re-based by the WASIX rules: "/…" from the root preopen (leading
   * slashes skipped; "/" alone becomes "."), a relative path on the root directory from the current directory. The
   * guest's memory and descriptor table are as before once the call returns (one thread: nothing else sees them).
   */
  private withPathBases(pairs: Array<[number, number]>, args: unknown[], call: (...a: unknown[]) => number): number {
    const fds = this.p1.fds;
    const memory = this.memory;
    if (memory === undefined) return call(...args);
    const u8 = new Uint8Array(memory.buffer);
    const undo: Array<() => void> = [];
    try {
      for (const [fdAt, ptrAt] of pairs) {
        const fd = args[fdAt] as number;
        const ptr = args[ptrAt] as number;
        const len = args[ptrAt + 1] as number;
        const e = fds.get(fd);
        // Bad pointers and non-directories are left for the call itself to report (EFAULT, EBADF, ENOTDIR).
        if (e === undefined || e.kind !== 'dir' || len <= 0 || ptr < 0 || ptr + len > u8.length) continue;
        if (u8[ptr] === 0x2f) {
          const rootFd = this.rootFd();
          if (rootFd === undefined) continue; // preview1 then refuses the absolute path (EPERM)
          let skip = 0;
          while (skip < len && u8[ptr + skip] === 0x2f) skip++;
          args[fdAt] = rootFd;
          if (skip < len) {
            args[ptrAt] = ptr + skip;
            args[ptrAt + 1] = len - skip;
          } else {
            const at = ptr + len - 1;
            u8[at] = 0x2e; // "."
            undo.push(() => void (u8[at] = 0x2f));
            args[ptrAt] = at;
            args[ptrAt + 1] = 1;
          }
          continue;
        }
        if (e.dir !== this.opts.vfs.root || this.cwd === '/') continue;
        // Leading "." and ".." are taken lexically from the current directory (as "<cwd>/<path>" would be), so
        // "../x" climbs above it; the rest is resolved from there.
        let at = ptr;
        let left = len;
        let up = 0;
        let lastDot = -1;
        for (;;) {
          if (left >= 2 && u8[at] === 0x2e && u8[at + 1] === 0x2e && (left === 2 || u8[at + 2] === 0x2f)) {
            up++;
            lastDot = at + 1;
            at += 2;
            left -= 2;
          } else if (left >= 1 && u8[at] === 0x2e && (left === 1 || u8[at + 1] === 0x2f)) {
            lastDot = at;
            at += 1;
            left -= 1;
          } else break;
          while (left > 0 && u8[at] === 0x2f) {
            at++;
            left--;
          }
        }
        if (left === 0) {
          // Only dots and slashes: the base directory itself, named by one of the path's own "." bytes.
          at = lastDot;
          left = 1;
        }
        args[ptrAt] = at;
        args[ptrAt + 1] = left;
        const walk = this.opts.vfs.walkAbsolute(normalizeGuestPath(this.cwd + '/..'.repeat(up)), true);
        const dir = walk.entry;
        if (dir === undefined || (dir.type !== 'directory' && dir.type !== 'hostDir')) return Errno.NOENT;
        const cwdFd: FdEntry = {
          kind: 'dir', dir, preopenName: undefined, listing: undefined, flags: 0,
          rightsBase: e.rightsBase, rightsInheriting: e.rightsInheriting,
        };
        if (pairs.length === 1) {
          // In place, so a descriptor path_open creates is still the lowest free one.
          fds.set(fd, cwdFd);
          undo.push(() => fds.set(fd, e));
        } else {
          const temp = fds.add(cwdFd);
          args[fdAt] = temp;
          undo.push(() => void fds.remove(temp));
        }
      }
      return call(...args);
    } finally {
      for (let i = undo.length - 1; i >= 0; i--) undo[i]();
    }
  }

  /** A preview1 path call (either namespace) with WASIX path bases; its own wrapper traces and maps errors. */
  private rebased(name: string, inner: ImportFn): ImportFn {
    const pairs = PATH_ARGS[name];
    return ((...args: unknown[]) => {
      try {
        return this.withPathBases(pairs, args, inner as (...a: unknown[]) => number);
      } catch (x) {
        return this.fault(name, x);
      }
    }) as ImportFn;
  }

  // ---- current directory ---------------------------------------------------------------------------------------------

  /** Wasmer's getcwd: *len ← the path's length; ERANGE when longer than *len; the rest of the buffer is zeroed. */
  getcwd(pathPtr: number, lenPtr: number): number {
    const v = this.view();
    const max = v.getUint32(lenPtr, true);
    const cwd = encoder.encode(this.cwd);
    v.setUint32(lenPtr, cwd.length, true);
    if (cwd.length > max) return Errno.RANGE;
    if (pathPtr === 0 || max === 0) return Errno.INVAL;
    const out = new Uint8Array(max);
    out.set(cwd);
    const buffer = this.memory!.buffer;
    if (pathPtr + max > buffer.byteLength) throw new RangeError('out of bounds');
    new Uint8Array(buffer).set(out, pathPtr);
    return Errno.SUCCESS;
  }

  /** chdir: the directory must exist (symlinks followed, inside the sandbox); relative paths start at the current one. */
  chdir(pathPtr: number, pathLen: number): number {
    const path = this.string(pathPtr, pathLen);
    if (path.length === 0) return Errno.NOENT;
    const target = normalizeGuestPath(path.startsWith('/') ? path : `${this.cwd}/${path}`);
    this.opts.vfs.settle();
    const walk = this.opts.vfs.walkAbsolute(target, true);
    const entry = walk.entry;
    if (entry === undefined) return Errno.NOENT;
    const isDirectory = entry.type === 'directory' || entry.type === 'hostDir';
    if (!isDirectory) return Errno.NOTDIR;
    this.cwd = target;
    return Errno.SUCCESS;
  }

  // ---- terminal ------------------------------------------------------------------------------------------------------

  tty_get(ptr: number): number {
    const v = this.view();
    v.getUint8(ptr + TTY_SIZE - 1); // EFAULT before writing anything
    const t = this.tty;
    v.setUint32(ptr, t.cols, true);
    v.setUint32(ptr + 4, t.rows, true);
    v.setUint32(ptr + 8, t.width, true);
    v.setUint32(ptr + 12, t.height, true);
    v.setUint8(ptr + 16, t.stdinTty ? 1 : 0);
    v.setUint8(ptr + 17, t.stdoutTty ? 1 : 0);
    v.setUint8(ptr + 18, t.stderrTty ? 1 : 0);
    v.setUint8(ptr + 19, t.echo ? 1 : 0);
    v.setUint8(ptr + 20, t.lineBuffered ? 1 : 0);
    // Newer wasix-libc reads a line_feeds flag here (Wasmer always sets it); older ones see padding.
    v.setUint8(ptr + 21, 1);
    v.setUint8(ptr + 22, 0);
    v.setUint8(ptr + 23, 0);
    return Errno.SUCCESS;
  }

  /**
   * Remembered and reported back by tty_get, as Wasmer's console does. The Debug Console itself cannot change: it
   * always shows what is typed and delivers whole lines (documented in docs/wasix.md).
   */
  tty_set(ptr: number): number {
    const v = this.view();
    v.getUint8(ptr + TTY_SIZE - 1);
    this.tty = {
      cols: v.getUint32(ptr, true),
      rows: v.getUint32(ptr + 4, true),
      width: v.getUint32(ptr + 8, true),
      height: v.getUint32(ptr + 12, true),
      stdinTty: v.getUint8(ptr + 16) !== 0,
      stdoutTty: v.getUint8(ptr + 17) !== 0,
      stderrTty: v.getUint8(ptr + 18) !== 0,
      echo: v.getUint8(ptr + 19) !== 0,
      lineBuffered: v.getUint8(ptr + 20) !== 0,
    };
    return Errno.SUCCESS;
  }

  // ---- process, threads, clocks, signals -------------------------------------------------------------------------------

  proc_id(retPtr: number): number {
    this.view().setUint32(retPtr, WASIX_PID, true);
    return Errno.SUCCESS;
  }

  /** The parent of this process is outside the runtime (0); any other pid is unknown (EBADF, as Wasmer). */
  proc_parent(pid: number, retPtr: number): number {
    if (pid >>> 0 !== WASIX_PID) return Errno.BADF;
    this.view().setUint32(retPtr, 0, true);
    return Errno.SUCCESS;
  }

  proc_exit2(code: number): never {
    throw new ProcExit(code >>> 0);
  }

  /** thread_exit of the only (main) thread ends the process with that code. */
  thread_exit(code: number): never {
    throw new ProcExit(code >>> 0);
  }

  thread_id(retPtr: number): number {
    this.view().setUint32(retPtr, WASIX_MAIN_TID, true);
    return Errno.SUCCESS;
  }

  /** How many threads could run at once: 1, as no thread can be spawned here. */
  thread_parallelism(retPtr: number): number {
    this.view().setUint32(retPtr, 1, true);
    return Errno.SUCCESS;
  }

  thread_sleep(durationNs: bigint): number {
    if (durationNs <= 0n) return Errno.SUCCESS;
    this.idle(Math.ceil(Number(durationNs) / 1e6));
    return Errno.SUCCESS;
  }

  /** Setting a clock needs privileges the guest never has here (Linux says EPERM without CAP_SYS_TIME). */
  clock_time_set(clockId: number, _timestamp: bigint): number {
    if (clockId !== Clockid.REALTIME && clockId !== Clockid.MONOTONIC && clockId !== Clockid.PROCESS_CPUTIME_ID && clockId !== Clockid.THREAD_CPUTIME_ID) {
      return Errno.INVAL;
    }
    return Errno.PERM;
  }

  /** Signals are never delivered here, so the callback is only remembered. No result (a void import). */
  callback_signal(namePtr: number, nameLen: number): number {
    this.signalCallback = this.string(namePtr, nameLen);
    return Errno.SUCCESS;
  }

  /** The host sets no signal dispositions: zero of them. */
  proc_signals_sizes_get(retPtr: number): number {
    this.view().setUint32(retPtr, 0, true);
    return Errno.SUCCESS;
  }

  proc_signals_get(_bufPtr: number): number {
    return Errno.SUCCESS;
  }

  /** Sleeps without spinning; filesystem changes and traces reach the host first. */
  private idle(ms: number): void {
    this.opts.vfs.settle();
    this.opts.host.flush?.();
    Atomics.wait(this.sleeper, 0, 0, ms);
  }

  // ---- the import objects -----------------------------------------------------------------------------------------------

  private fault(name: string, e: unknown): number {
    if (e instanceof UnsupportedWasixCall) throw e;
    try {
      return this.p1.fault(e);
    } catch (x) {
      if (x instanceof InternalSyscallError) throw new InternalSyscallError(name, e);
      throw x;
    }
  }

  /** Wraps one call like preview1's: beforeSyscall, buffered host writes settled, exceptions mapped, traced. */
  private wrap(name: string, body: (...args: never[]) => number): ImportFn {
    const host = this.opts.host;
    const vfs = this.opts.vfs;
    const trace = host.trace?.bind(host);
    if (!trace) {
      return ((...args: never[]) => {
        host.beforeSyscall();
        try {
          if (vfs.buffered !== null) vfs.settle();
          return body(...args);
        } catch (x) {
          return this.fault(name, x);
        }
      }) as ImportFn;
    }
    return ((...args: never[]) => {
      host.beforeSyscall();
      const start = performance.now();
      let result = 'exit';
      try {
        let r: number;
        try {
          if (vfs.buffered !== null) vfs.settle();
          r = body(...args);
        } catch (x) {
          r = this.fault(name, x);
        }
        result = errnoName(r);
        return r;
      } catch (x) {
        result = x instanceof ProcExit ? `exit(${x.code})` : x instanceof UnsupportedWasixCall ? 'not supported (program stopped)' : 'internal error';
        throw x;
      } finally {
        trace({ name, args: this.describeArgs(name, args as unknown[]), result, durationUs: Math.round((performance.now() - start) * 1000) });
      }
    }) as ImportFn;
  }

  private describeArgs(name: string, args: unknown[]): string {
    const pathAt = name === 'chdir' || name === 'callback_signal' ? 0 : name === 'path_open2' ? 2 : -1;
    return args
      .map((a, i) => {
        if (i === pathAt && typeof a === 'number' && typeof args[i + 1] === 'number') {
          try {
            return JSON.stringify(this.string(a, args[i + 1] as number));
          } catch {
            return `<bad pointer ${a}>`;
          }
        }
        return String(a);
      })
      .join(', ');
  }

  /**
   * Replacements for wasi_snapshot_preview1 functions when the module is a WASIX module (Wasmer binds the same
   * implementation to both namespaces): fd_close and fd_renumber, which must know about shared descriptors, and the
   * path calls, whose paths start where WASIX says. `preview1` is the preview1 import object.
   */
  preview1Overrides(preview1: Record<string, ImportFn>): Record<string, ImportFn> {
    const out: Record<string, ImportFn> = {
      fd_close: this.wrap('fd_close', (fd: number) => this.fd_close(fd)),
      fd_renumber: this.wrap('fd_renumber', (from: number, to: number) => this.fd_renumber(from, to)),
    };
    for (const name of Object.keys(PATH_ARGS)) out[name] = this.rebased(name, preview1[name]);
    return out;
  }

  /** The wasix_32v1 namespace. `preview1` is the wasi_snapshot_preview1 import object, whose functions it shares. */
  imports(preview1: Record<string, ImportFn>): Record<string, ImportFn> {
    const out: Record<string, ImportFn> = {};
    for (const name of PREVIEW1_FUNCTIONS) out[name] = preview1[name];
    Object.assign(out, this.preview1Overrides(preview1));
    const self = this as unknown as Record<string, (...a: never[]) => number>;
    for (const name of WASIX_IMPLEMENTED) out[name] = this.wrap(name, self[name].bind(this));
    for (const name of WASIX_UNSUPPORTED) {
      const why = NO_RETURN[name];
      out[name] = this.wrap(
        name,
        why !== undefined
          ? () => {
              throw new UnsupportedWasixCall(name, why);
            }
          : () => Errno.NOTSUP,
      );
    }
    return out;
  }
}
