// The host↔worker message protocol: one typed union per direction, plus the layout of the shared control words.
//
// Bulk data does not travel in messages: stdout/stderr go through a SharedArrayBuffer record ring
// (outputChannel.ts) and stdin through a byte ring (stdinChannel.ts). Messages carry what is structured
// (the start, filesystem change batches, trace batches, edit requests and results, the exit) and the
// wake-ups that tell the main thread to look at a ring.

import type { WasiEnvInit } from '../builder/envInit';
import type { ExitInfo, SyscallTrace } from './api';
import type { FsChange, FsEdit } from '../vfs/changes';
import type { WasmModule } from './wasmModule';

/** Indexes into the Int32Array over `SharedBuffers.control`. */
export const enum Control {
  /** Output ring: bytes ever written by the worker (wraps as int32). */
  OutputWrite = 0,
  /** Output ring: bytes ever released by the host (wraps as int32). The worker waits on it when the ring is full. */
  OutputRead = 1,
  /** 1 while the host is idle and wants an 'outputReady' message on the next write. */
  OutputArmed = 2,
  /** Stdin ring: bytes ever written by the host. */
  StdinWrite = 3,
  /** Stdin ring: bytes ever consumed by the worker. */
  StdinRead = 4,
  /** 1 once the host has put the last byte in the ring and closed stdin. */
  StdinEof = 5,
  /** 1 while the host holds stdin bytes that did not fit: the worker sends 'stdinSpace' after reading. */
  StdinHostWaiting = 6,
  /** Bumped (and notified) by the host whenever a blocked worker should look again: stdin data, EOF, an edit. */
  WakeSequence = 7,
  /** Number of edit requests posted on the edit port and not yet taken by the worker. */
  EditsPending = 8,
  /** Filesystem change batches posted and not yet applied to the mirror. */
  ChangeBatchesInFlight = 9,
  /** Trace batches posted and not yet delivered. */
  TraceBatchesInFlight = 10,
  Count = 11,
}

export interface SharedBuffers {
  /** Int32 control words, indexed by `Control`. */
  control: SharedArrayBuffer;
  /** The stdout/stderr record ring (size a multiple of 4). */
  output: SharedArrayBuffer;
  /** The stdin byte ring. */
  stdin: SharedArrayBuffer;
}

// ---- host → worker (the worker's parentPort) ----

export interface StartMessage {
  kind: 'start';
  init: WasiEnvInit;
  module: WasmModule;
  shared: SharedBuffers;
  /** The worker's end of the dedicated edit channel (read with receiveMessageOnPort, never by events). */
  editPort: MessagePortLike;
  trace: boolean;
  /** isatty() answers for fds 0, 1, 2 when they are 'console' streams. */
  terminal: [boolean, boolean, boolean];
  /**
   * false: the thread ends right after reporting the exit instead of applying main-thread edits until the host
   * closes the edit port (the CLI makes none, and the thread's teardown then overlaps the host's last work).
   * Default true.
   */
  serveEditsAfterExit?: boolean;
}

export type HostToWorkerMessage = StartMessage;

// ---- host → worker (the edit port) ----

export interface EditRequestMessage {
  kind: 'edit';
  id: number;
  edit: FsEdit;
}

/** The process has exited on the host's books: apply what is queued, then end the thread. */
export interface CloseMessage {
  kind: 'close';
}

export type EditPortMessage = EditRequestMessage | CloseMessage;

// ---- worker → host (parentPort) ----

/** The output ring went from empty to non-empty while the host was idle. */
export interface OutputReadyMessage {
  kind: 'outputReady';
}

/** The worker consumed stdin while the host had bytes waiting for room in the ring. */
export interface StdinSpaceMessage {
  kind: 'stdinSpace';
}

export interface FsChangesMessage {
  kind: 'fsChanges';
  changes: FsChange[];
}

export interface TraceMessage {
  kind: 'trace';
  records: SyscallTrace[];
}

export type EditResultMessage =
  | { kind: 'editResult'; id: number; ok: true }
  | { kind: 'editResult'; id: number; ok: false; code: string; path: string; message: string };

/** Posted after every byte of output is in the ring and every change batch is posted. */
export interface ExitMessage {
  kind: 'exit';
  info: ExitInfo;
}

export type WorkerToHostMessage =
  | OutputReadyMessage
  | StdinSpaceMessage
  | FsChangesMessage
  | TraceMessage
  | EditResultMessage
  | ExitMessage;

/** The subset of MessagePort both sides use; keeps DOM and node typings apart. */
export type MessagePortLike = import('node:worker_threads').MessagePort;

/** Every message of the runtime, whichever channel carries it (each channel's handler takes its own union). */
export type RuntimeMessage = HostToWorkerMessage | EditPortMessage | WorkerToHostMessage;
