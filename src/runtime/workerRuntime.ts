// Worker side of the runtime: implements GuestHost over the shared rings and messages, runs the module, reports the exit.
//
// The WASI implementation is injected (`serveWorker(deps)`), so the glue can be tested with a stand-in
// and worker.ts stays a two-line entry point.

import { parentPort, receiveMessageOnPort } from 'node:worker_threads';
import type { ExitInfo, SyscallTrace } from './api';
import type { GuestHost } from './guestHost';
import type { FsChange, FsEdit } from '../vfs/changes';
import type { WasiEnvInit } from '../builder/envInit';
import {
  Control,
  type EditPortMessage,
  type MessagePortLike,
  type StartMessage,
  type WorkerToHostMessage,
} from './protocol';
import { OutputRingWriter } from './outputChannel';
import { StdinRingReader } from './stdinChannel';
import { RecordBatcher, weighRecord } from './batcher';
import type { WasmModule } from './wasmModule';

export interface RunHooks<Vfs> {
  /** Called once the module's filesystem exists: from then on main-thread edits are applied to it. */
  onVfsReady?(vfs: Vfs): void;
}

export interface WorkerDependencies<Vfs> {
  runModule(init: WasiEnvInit, module: WasmModule, host: GuestHost, hooks?: RunHooks<Vfs>): ExitInfo;
  /** Applies a main-thread edit; throws an error with `code` (VfsError) when refused. */
  applyEdit(vfs: Vfs, edit: FsEdit): void;
}

// Batches stay small enough that applying one to the mirror never blocks the extension host for long (the
// tree benchmark saw ~150 ms for ~1,100 records on a loaded machine); four in flight keep both threads busy.
const CHANGE_LIMITS = { maxRecords: 512, maxBytes: 4 * 1024 * 1024, maxAgeMs: 4, maxInFlight: 4 };
const TRACE_LIMITS = { maxRecords: 2048, maxBytes: 1024 * 1024, maxAgeMs: 8, maxInFlight: 4 };

/** Waits for the start message on parentPort and runs the module; the thread ends when it is done. */
export function serveWorker<Vfs>(deps: WorkerDependencies<Vfs>): void {
  if (!parentPort) throw new Error('the wasi-debug runtime worker must run in a worker thread');
  const port = parentPort;
  port.once('message', (message: StartMessage) => {
    const post = (reply: WorkerToHostMessage): void => port.postMessage(reply);
    const worker = new WorkerSession<Vfs>(message, deps, post);
    worker.run();
  });
}

class WorkerSession<Vfs> implements GuestHost {
  private readonly control: Int32Array;
  private readonly output: OutputRingWriter;
  private readonly stdin: StdinRingReader;
  private readonly changes: RecordBatcher<FsChange>;
  private readonly traces: RecordBatcher<SyscallTrace>;
  private readonly editPort: MessagePortLike;
  private vfs: Vfs | undefined;
  private closing = false;
  private readonly hostPathsInBatch = new Set<string>();
  /** In-memory files whose 'create' record is in the pending batch (their first 'write' record says nothing new). */
  private readonly filesCreatedInBatch = new Set<number>();
  private hostPathsBatch = -1;
  readonly trace?: (record: SyscallTrace) => void;

  constructor(
    private readonly start: StartMessage,
    private readonly deps: WorkerDependencies<Vfs>,
    private readonly post: (message: WorkerToHostMessage) => void,
  ) {
    this.control = new Int32Array(start.shared.control);
    this.editPort = start.editPort;
    this.output = new OutputRingWriter(this.control, start.shared.output, () => post({ kind: 'outputReady' }));
    this.stdin = new StdinRingReader(this.control, start.shared.stdin, {
      beforeBlocking: () => this.flushBatches(),
      serviceEdits: () => this.applyPendingEdits(),
      tellHostThereIsRoom: () => post({ kind: 'stdinSpace' }),
    });
    this.changes = new RecordBatcher<FsChange>(
      this.control,
      Control.ChangeBatchesInFlight,
      CHANGE_LIMITS,
      (changes) => post({ kind: 'fsChanges', changes }),
      // File data travels as shared buffers (not copied), so every change record weighs about the same.
      () => 64,
    );
    this.traces = new RecordBatcher<SyscallTrace>(
      this.control,
      Control.TraceBatchesInFlight,
      TRACE_LIMITS,
      (records) => post({ kind: 'trace', records }),
      weighRecord,
    );
    if (start.trace) this.trace = (record) => this.traces.add(record);
  }

  run(): void {
    let info: ExitInfo;
    try {
      info = this.deps.runModule(this.start.init, this.start.module, this, {
        onVfsReady: (vfs) => {
          this.vfs = vfs;
          // The initial tree (layout, seeded files) must be visible even if the guest never makes a syscall.
          this.changes.flush();
        },
      });
    } catch (error) {
      info = { kind: 'error', message: `internal error in the wasi-debug runtime: ${describe(error)}` };
    }
    this.flushBatches();
    this.output.notify();
    this.post({ kind: 'exit', info });
    if (this.start.serveEditsAfterExit !== false) this.serveEditsUntilClosed();
  }

  // ---- GuestHost ----

  readStdin(maxBytes: number): Uint8Array {
    return this.stdin.read(maxBytes);
  }

  pollStdin(timeoutMs: number): boolean {
    return this.stdin.poll(timeoutMs);
  }

  writeStdout(data: Uint8Array): void {
    this.output.write('stdout', data);
  }

  writeStderr(data: Uint8Array): void {
    this.output.write('stderr', data);
  }

  writeOutputFrom(fd: 1 | 2, src: Uint8Array, off: number, len: number): void {
    this.output.writeFrom(fd === 1 ? 'stdout' : 'stderr', src, off, len);
  }

  beforeSyscall(): void {
    if (Atomics.load(this.control, Control.EditsPending) !== 0) this.applyPendingEdits();
    if (this.changes.hasPending) this.changes.flushIfOld();
    if (this.traces.hasPending) this.traces.flushIfOld();
  }

  fsChanged(change: FsChange): void {
    if (this.hostPathsBatch !== this.changes.batchNumber) {
      this.hostPathsBatch = this.changes.batchNumber;
      if (this.hostPathsInBatch.size !== 0) this.hostPathsInBatch.clear();
      if (this.filesCreatedInBatch.size !== 0) this.filesCreatedInBatch.clear();
    }
    if (change.kind === 'hostChanged') {
      // A notification, not a state change: one per path per batch is enough (create, write and close of
      // one file on a host mount would otherwise send three).
      if (this.hostPathsInBatch.has(change.guestPath)) return;
      this.hostPathsInBatch.add(change.guestPath);
    } else if (change.kind === 'create') {
      this.filesCreatedInBatch.add(change.ino);
    } else if (change.kind === 'write' && this.filesCreatedInBatch.has(change.ino)) {
      // A 'write' is a notification plus the journal's mtime; the mirror reads size and times from the file's shared
      // header, and the path is already announced by the 'create' in this batch: one record less per new file.
      return;
    }
    this.changes.add(change);
  }

  isTerminal(fd: 0 | 1 | 2): boolean {
    return this.start.terminal[fd];
  }

  /** Also a hook for the WASI layer before it sleeps (poll_oneoff on a clock), so the host sees everything first. */
  flush(): void {
    this.flushBatches();
  }

  // ---- edits from the main thread ----

  private flushBatches(): void {
    this.changes.flush();
    this.traces.flush();
  }

  private applyPendingEdits(): void {
    if (Atomics.load(this.control, Control.EditsPending) === 0) return;
    // Before the filesystem exists (still instantiating) edits wait; after the exit they are refused.
    if (this.vfs === undefined) return;
    Atomics.store(this.control, Control.EditsPending, 0);
    for (;;) {
      const received = receiveMessageOnPort(this.editPort);
      if (!received) break;
      this.handleEditPortMessage(received.message as EditPortMessage);
    }
  }

  private handleEditPortMessage(message: EditPortMessage): void {
    if (message.kind === 'close') {
      this.closing = true;
      return;
    }
    if (this.vfs === undefined) {
      this.post({
        kind: 'editResult', id: message.id, ok: false, code: 'EBUSY', path: editPath(message.edit),
        message: 'the module ended before its filesystem was created',
      });
      return;
    }
    try {
      this.deps.applyEdit(this.vfs, message.edit);
      // The mirror must show the edit before the requester hears it is done.
      this.changes.flush();
      this.post({ kind: 'editResult', id: message.id, ok: true });
    } catch (error) {
      this.changes.flush();
      const code = errorCode(error);
      this.post({
        kind: 'editResult', id: message.id, ok: false, code,
        path: errorPath(error) ?? editPath(message.edit), message: describe(error),
      });
    }
  }

  /** After the exit: edits already sent are still applied here, until the host says the mirror takes over. */
  private serveEditsUntilClosed(): void {
    while (!this.closing) {
      const sequence = Atomics.load(this.control, Control.WakeSequence);
      if (Atomics.load(this.control, Control.EditsPending) !== 0) {
        this.drainEditsAfterExit();
        continue;
      }
      Atomics.wait(this.control, Control.WakeSequence, sequence);
    }
    this.flushBatches();
  }

  /** Unlike applyPendingEdits, also answers edits when the filesystem never came to exist. */
  private drainEditsAfterExit(): void {
    Atomics.store(this.control, Control.EditsPending, 0);
    for (;;) {
      const received = receiveMessageOnPort(this.editPort);
      if (!received) break;
      this.handleEditPortMessage(received.message as EditPortMessage);
    }
    this.changes.flush();
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'EIO';
}

function errorPath(error: unknown): string | undefined {
  const path = (error as { path?: unknown } | null)?.path;
  return typeof path === 'string' ? path : undefined;
}

function editPath(edit: FsEdit): string {
  const path = (edit as unknown as { path?: unknown; from?: unknown }).path ?? (edit as unknown as { from?: unknown }).from;
  return typeof path === 'string' ? path : '';
}
