// The host-side contract of the runtime: what the debug adapter, the tree view and the CLI may rely on.
//
// The implementation (src/runtime/process.ts) starts the worker; these types are all its users import.

/** One wasm frame of a trap's stack, innermost first. */
export interface WasmFrame {
  /** From the name section when present, else "wasm-function[index]". */
  functionName: string;
  functionIndex?: number;
  /** Byte offset in the module, when known. */
  moduleOffset?: number;
  /** The raw V8 stack line, for anything else. */
  raw: string;
}

/** How a run ended. Exactly one is reported per process. */
export type ExitInfo =
  | { kind: 'exit'; code: number } // _start returned (code 0) or proc_exit(code)
  | { kind: 'trap'; message: string; frames: WasmFrame[] } // a wasm trap: unreachable, out of bounds, …
  | { kind: 'error'; message: string } // the module could not start: bad module, unknown import, missing entry, …
  | { kind: 'terminated' }; // killed by terminate()

/** One traced syscall (launch.json `trace: true`). */
export interface SyscallTrace {
  name: string;
  args: string;
  result: string;
  /** Microseconds spent in the call. */
  durationUs: number;
}

export type VfsNodeKind = 'file' | 'directory' | 'symlink' | 'characterDevice';

export interface VfsStat {
  kind: VfsNodeKind;
  size: number;
  /** Milliseconds since the epoch. */
  mtimeMs: number;
  ctimeMs: number;
  /** For symlinks: the target text. */
  linkTarget?: string;
}

export interface VfsDirEntry {
  name: string;
  kind: VfsNodeKind;
}

/** A host mount as the tree view shows it. */
export interface VfsMountInfo {
  guestPath: string;
  hostPath: string;
  read: boolean;
  write: boolean;
  create: boolean;
}

/**
 * The guest filesystem as the main thread sees it, at any moment: while the module computes, is paused,
 * blocks on stdin, and after it exits. Paths are absolute guest paths ("/", "/tmp/out.txt").
 * Errors are thrown as VfsError with a POSIX-like code ('ENOENT', 'ENOTDIR', 'EISDIR', 'EEXIST', 'EACCES', 'ENOTEMPTY', 'EBUSY').
 */
export interface VfsView {
  mounts(): VfsMountInfo[];
  stat(path: string): VfsStat;
  /** Does not follow a final symlink. */
  lstat(path: string): VfsStat;
  readDirectory(path: string): VfsDirEntry[];
  readFile(path: string): Uint8Array;
  /**
   * Edits reach the module's filesystem: applied before the module's next syscall while it runs,
   * immediately after it exits. Resolves once applied (or rejects with the reason it was refused).
   */
  writeFile(path: string, data: Uint8Array, options: { create: boolean; overwrite: boolean }): Promise<void>;
  createDirectory(path: string): Promise<void>;
  delete(path: string, options: { recursive: boolean }): Promise<void>;
  rename(from: string, to: string, options: { overwrite: boolean }): Promise<void>;
  /** Fires with the guest paths that changed (created, written, deleted, renamed); batched and coalesced. */
  onDidChange(listener: (paths: string[]) => void): { dispose(): void };
}

export class VfsError extends Error {
  constructor(readonly code: string, readonly path: string, message?: string) {
    super(message ?? `${code}: ${path}`);
    this.name = 'VfsError';
  }
}

export interface WasiProcessEvents {
  /**
   * A stdout/stderr listener may return a promise (e.g. a pipe's drain): no further output is delivered
   * until it settles, and the guest waits once the output ring (1 MiB) is full. Returning nothing never waits.
   */
  stdout: (data: Uint8Array) => void;
  stderr: (data: Uint8Array) => void;
  trace: (records: SyscallTrace[]) => void;
  exit: (info: ExitInfo) => void;
}

export interface WasiProcessOptions {
  /** Worker name (shown by the inspector as the target title). */
  name?: string;
  /** Enable tracing of every syscall ('trace' events). */
  trace?: boolean;
  /** Absolute path of the worker script; defaults to worker.js beside the running bundle. */
  workerPath?: string;
  /**
   * Which 'console' stdio streams the guest sees as an interactive terminal (a character device: wasi-libc then
   * line-buffers stdout). Default: none (fully buffered, fastest). The CLI passes its own isatty() values.
   */
  terminal?: { stdin?: boolean; stdout?: boolean; stderr?: boolean };
}

/** A running (or finished) module. */
export interface WasiProcessHandle {
  readonly vfs: VfsView;
  readonly exited: Promise<ExitInfo>;
  on<E extends keyof WasiProcessEvents>(event: E, listener: WasiProcessEvents[E]): this;
  off<E extends keyof WasiProcessEvents>(event: E, listener: WasiProcessEvents[E]): this;
  /** Queue bytes for the guest's stdin (stdin kind 'console'). */
  writeStdin(data: Uint8Array): void;
  /** Signal end of input: after the queued bytes, the guest's read returns 0. */
  closeStdin(): void;
  /** Ends the worker, even inside an infinite loop. Resolves when it is gone; 'exit' fires with kind 'terminated'. */
  terminate(): Promise<void>;
}
