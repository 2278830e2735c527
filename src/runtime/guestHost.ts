// The worker-side contract between the WASI implementation (src/wasi, src/vfs) and the worker's messaging glue.
//
// src/wasi/run.ts exports `runModule(init, module, host): ExitInfo`, which builds the VFS from the init,
// instantiates the module with wasi_snapshot_preview1 (+ extra imports), calls the entry function and
// returns how it ended. It calls the GuestHost below for everything that leaves the worker.
// src/runtime/worker.ts implements GuestHost over SharedArrayBuffers and postMessage.

import type { FsChange } from '../vfs/changes';
import type { SyscallTrace } from './api';

export interface GuestHost {
  /**
   * Blocking read of the guest's stdin when the init's stdin kind is 'console'.
   * Returns up to `maxBytes` bytes; an empty array means end of input. Waits with Atomics.wait, never spins.
   */
  readStdin(maxBytes: number): Uint8Array;
  /**
   * For poll_oneoff: true when a read would not block (data queued or EOF). Waits at most `timeoutMs`
   * (0 = just look, -1 = wait for ever) for that to become true.
   */
  pollStdin(timeoutMs: number): boolean;
  /** `data` may be a view into wasm memory: the host copies what it keeps before returning. */
  writeStdout(data: Uint8Array): void;
  writeStderr(data: Uint8Array): void;
  /**
   * Optional (additive): writes src[off, off+len) to stdout (1) or stderr (2), like writeStdout/writeStderr but
   * without a subarray per call — the per-line fd_write of a line-buffered guest takes this path when present.
   */
  writeOutputFrom?(fd: 1 | 2, src: Uint8Array, off: number, len: number): void;
  /**
   * Called at the start of every syscall. Must be cheap (one Atomics.load when nothing is pending).
   * The moment to deliver main-thread filesystem edits and to flush output and change batches by age.
   */
  beforeSyscall(): void;
  /** A filesystem change for the main-thread mirror (see src/vfs/changes.ts); the host batches them. */
  fsChanged(change: FsChange): void;
  /**
   * Optional: whether stdin (0) / stdout (1) / stderr (2) of kind 'console' is an interactive terminal. When true the
   * stream reports as a character device without seek rights, which wasi-libc's isatty() takes for a tty (so stdout
   * becomes line-buffered); when false or absent it reports as an unknown stream (fully buffered, much faster).
   */
  isTerminal?(fd: 0 | 1 | 2): boolean;
  /**
   * Optional (additive): call before the guest sleeps without touching stdin (poll_oneoff on a clock only),
   * so filesystem changes and traces reach the host before the pause. Output needs no flush: it is shared.
   */
  flush?(): void;
  /** Present only when tracing is on. */
  trace?(record: SyscallTrace): void;
}
