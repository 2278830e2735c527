// Host side of one running module: starts the worker, drains its output ring, feeds stdin, relays edits and reports the exit.
//
// The filesystem mirror is injected (process.ts wires the real VfsMirror), so this class is testable alone.

import { MessageChannel, type Worker } from 'node:worker_threads';
import type { WasiEnvInit } from '../builder/envInit';
import type { FsChange, FsEdit } from '../vfs/changes';
import {
  VfsError,
  type ExitInfo,
  type VfsView,
  type WasiProcessEvents,
  type WasiProcessHandle,
  type WasiProcessOptions,
} from './api';
import { Control, type EditPortMessage, type StartMessage, type WorkerToHostMessage } from './protocol';
import { OutputRingReader } from './outputChannel';
import { StdinRingWriter, wakeWorker } from './stdinChannel';
import { acknowledgeBatch } from './batcher';
import { compileModule, describeNonModule, isWasmModule, type WasmModule } from './wasmModule';
import { defaultWorkerPath, spawnRuntimeWorker } from './workerThread';

/** What the process needs from the main-thread filesystem mirror. */
export interface RuntimeMirror extends VfsView {
  applyChanges(changes: FsChange[]): void;
  /** The worker is gone: from now on the mirror applies edits itself. */
  becomeAuthoritative(): void;
}

/** Options of the concrete process (besides the contract's): a worker started ahead of time. */
export interface WasiProcessStartOptions extends WasiProcessOptions {
  /**
   * A worker from spawnRuntimeWorker() that has not been given anything yet: the CLI starts it before it even
   * reads the module, so the thread boots while the main thread works. Its name and path are already set.
   */
  prestartedWorker?: Worker;
  /**
   * Debug launches: the worker compiles these bytes (the same module) itself instead of receiving the main
   * thread's compiled module. V8 gives debugging code (locals in every frame, step into callees) only to modules
   * compiled in the thread being debugged. The module is still compiled here first, for the launch's errors.
   */
  compileInWorker?: Uint8Array;
  /**
   * The worker thread ends as soon as the module does, instead of applying filesystem edits until the mirror takes
   * over (StartMessage.serveEditsAfterExit). For a host that edits nothing after the exit (the CLI): the
   * thread's teardown then overlaps the host's last work rather than delaying process.exit. Edits requested
   * before the exit still reach the worker; one racing the exit is refused ('the module ended').
   */
  endWorkerWithModule?: boolean;
}

export type MirrorFactory = (requestEdit: (edit: FsEdit) => Promise<void>) => RuntimeMirror;

/** Sizes are powers of two (the rings index with wrapping 32-bit counters). */
export const OUTPUT_RING_BYTES = 1 << 20;
export const STDIN_RING_BYTES = 1 << 16;
/** While output flows the host polls the ring at this interval; once it is empty, the worker wakes the host. */
const OUTPUT_POLL_MS = 1;
/** writeStdin returns false beyond this many queued bytes; wait for `stdinDrained()` before writing more. */
const STDIN_HIGH_WATER_BYTES = 1 << 20;

type Listeners = { [E in keyof WasiProcessEvents]: Set<WasiProcessEvents[E]> };

interface PendingEdit {
  edit: FsEdit;
  resolve(): void;
  reject(error: Error): void;
}

export class WasiProcess implements WasiProcessHandle {
  readonly vfs: RuntimeMirror;
  readonly exited: Promise<ExitInfo>;

  private readonly listeners: Listeners = { stdout: new Set(), stderr: new Set(), trace: new Set(), exit: new Set() };
  private readonly control: Int32Array;
  private readonly shared: StartMessage['shared'];
  private readonly output: OutputRingReader;
  private readonly stdin: StdinRingWriter;
  private readonly editChannel = new MessageChannel();
  private readonly pendingEdits = new Map<number, PendingEdit>();
  private nextEditId = 1;
  private closeSent = false;
  private readonly editsAfterClose: PendingEdit[] = [];

  private worker: Worker | undefined;
  private workerGone = false;
  private workerError: Error | undefined;
  private terminateRequested = false;
  /** Why the module could not start (compile error), reported once the booting worker is gone. */
  private startFailure: ExitInfo | undefined;
  private exitMessage: ExitInfo | undefined;
  private finished = false;
  private resolveExited!: (info: ExitInfo) => void;
  private readonly goneWaiters: Array<() => void> = [];
  private drainPromise: Promise<void> | undefined;
  private stdinDrainWaiters: Array<() => void> = [];
  private readonly inbox: Array<Exclude<WorkerToHostMessage, { kind: 'outputReady' | 'stdinSpace' }>> = [];
  private inboxScheduled = false;

  constructor(
    private readonly init: WasiEnvInit,
    module: WasmModule | Uint8Array,
    private readonly options: WasiProcessStartOptions,
    createMirror: MirrorFactory,
  ) {
    this.shared = {
      control: new SharedArrayBuffer(Control.Count * 4),
      output: new SharedArrayBuffer(OUTPUT_RING_BYTES),
      stdin: new SharedArrayBuffer(STDIN_RING_BYTES),
    };
    this.control = new Int32Array(this.shared.control);
    Atomics.store(this.control, Control.OutputArmed, 1);
    this.output = new OutputRingReader(this.control, this.shared.output);
    this.stdin = new StdinRingWriter(this.control, this.shared.stdin);
    this.exited = new Promise((resolve) => (this.resolveExited = resolve));
    this.vfs = createMirror((edit) => this.requestEdit(edit));
    this.launch(module);
  }

  on<E extends keyof WasiProcessEvents>(event: E, listener: WasiProcessEvents[E]): this {
    (this.listeners[event] as Set<WasiProcessEvents[E]>).add(listener);
    return this;
  }

  off<E extends keyof WasiProcessEvents>(event: E, listener: WasiProcessEvents[E]): this {
    (this.listeners[event] as Set<WasiProcessEvents[E]>).delete(listener);
    return this;
  }

  /** Returns false when more than 1 MiB waits for the guest to read it: wait for `stdinDrained()` (flow control for piped input). */
  writeStdin(data: Uint8Array): boolean {
    this.stdin.write(data);
    return this.stdin.queuedBytes < STDIN_HIGH_WATER_BYTES;
  }

  /** Resolves when the stdin queue is back under its high-water mark (or the process is gone). */
  stdinDrained(): Promise<void> {
    if (this.stdin.queuedBytes < STDIN_HIGH_WATER_BYTES || this.workerGone) return Promise.resolve();
    return new Promise((resolve) => this.stdinDrainWaiters.push(resolve));
  }

  closeStdin(): void {
    this.stdin.close();
  }

  async terminate(): Promise<void> {
    this.terminateRequested = true;
    if (!this.worker || this.workerGone) {
      await this.exited;
      return;
    }
    const gone = new Promise<void>((resolve) => this.goneWaiters.push(resolve));
    await this.worker.terminate();
    await gone;
  }

  // ---- start ----

  /**
   * The worker boots (tens of milliseconds) while the main thread compiles the module; bytes that are not
   * even a WebAssembly header are refused before any thread starts, and a compile error ends the booting
   * worker before the exit is reported, so no worker is ever left behind.
   */
  private launch(module: WasmModule | Uint8Array): void {
    const problem = isWasmModule(module) ? undefined : describeNonModule(module);
    if (problem) {
      void this.options.prestartedWorker?.terminate();
      // On the next tick: the caller registers its 'exit' listener after this constructor returns.
      process.nextTick(() => this.finishWithoutWorker({ kind: 'error', message: problem }));
      return;
    }
    let worker: Worker;
    try {
      worker = this.options.prestartedWorker ?? spawnRuntimeWorker(this.options, this.init);
    } catch (error) {
      const workerPath = this.options.workerPath ?? defaultWorkerPath();
      process.nextTick(() =>
        this.finishWithoutWorker({ kind: 'error', message: `could not start the runtime worker ${workerPath}: ${String(error)}` }),
      );
      return;
    }
    this.worker = worker;
    worker.on('message', (message: WorkerToHostMessage) => this.onWorkerMessage(message));
    worker.on('error', (error: Error) => {
      this.workerError ??= error;
    });
    worker.on('exit', (code: number) => void this.onWorkerGone(code));
    void this.compileAndStart(worker, module);
  }

  private async compileAndStart(worker: Worker, module: WasmModule | Uint8Array): Promise<void> {
    let compiled: WasmModule;
    try {
      compiled = isWasmModule(module) ? module : await compileModule(module);
    } catch (error) {
      this.startFailure = { kind: 'error', message: error instanceof Error ? error.message : String(error) };
      void worker.terminate();
      return;
    }
    if (this.workerGone || this.terminateRequested) return;
    const start: StartMessage = {
      kind: 'start',
      init: this.init,
      // A Uint8Array is compiled by the worker entry (worker.ts) before it runs.
      module: this.options.compileInWorker ?? compiled,
      shared: this.shared,
      editPort: this.editChannel.port2,
      trace: this.options.trace === true,
      terminal: [
        this.options.terminal?.stdin === true,
        this.options.terminal?.stdout === true,
        this.options.terminal?.stderr === true,
      ],
      ...(this.options.endWorkerWithModule ? { serveEditsAfterExit: false } : {}),
    };
    worker.postMessage(start, [this.editChannel.port2]);
  }

  private finishWithoutWorker(info: ExitInfo): void {
    this.workerGone = true;
    this.rejectPendingEdits('the module did not start');
    this.vfs.becomeAuthoritative();
    this.replayEditsOnMirror();
    this.editChannel.port1.close();
    this.finish(info);
  }

  // ---- messages from the worker ----

  private onWorkerMessage(message: WorkerToHostMessage): void {
    switch (message.kind) {
      case 'outputReady':
        this.drainOutput();
        return;
      case 'stdinSpace':
        this.stdin.pump();
        if (this.stdin.queuedBytes < STDIN_HIGH_WATER_BYTES) this.releaseStdinWaiters();
        return;
      default:
        // Node hands every queued message to us in one go: several change batches back to back would block the
        // extension host for their sum. One per event-loop turn instead, in order (an edit's result after the
        // changes it made, the exit after everything).
        this.inbox.push(message);
        this.scheduleInbox();
    }
  }

  private scheduleInbox(): void {
    if (this.inboxScheduled || this.inbox.length === 0) return;
    this.inboxScheduled = true;
    setImmediate(() => {
      this.inboxScheduled = false;
      const next = this.inbox.shift();
      if (next) this.handleSafely(next);
      this.scheduleInbox();
    });
  }

  /** Everything still queued, now (the worker is gone: nothing more will come). */
  private drainInbox(): void {
    for (let next = this.inbox.shift(); next; next = this.inbox.shift()) this.handleSafely(next);
  }

  /** A failure while applying one message (a mirror bug) must not stop the ones after it, least of all the exit. */
  private handleSafely(message: Exclude<WorkerToHostMessage, { kind: 'outputReady' | 'stdinSpace' }>): void {
    try {
      this.handleOrderedMessage(message);
    } catch (error) {
      console.error(`wasi-debug runtime: could not apply a '${message.kind}' message from the worker:`, error);
    }
  }

  private handleOrderedMessage(message: Exclude<WorkerToHostMessage, { kind: 'outputReady' | 'stdinSpace' }>): void {
    switch (message.kind) {
      case 'fsChanges':
        try {
          this.vfs.applyChanges(message.changes);
        } finally {
          acknowledgeBatch(this.control, Control.ChangeBatchesInFlight);
        }
        return;
      case 'trace':
        try {
          for (const listener of this.listeners.trace) callSafely(() => listener(message.records));
        } finally {
          acknowledgeBatch(this.control, Control.TraceBatchesInFlight);
        }
        return;
      case 'editResult': {
        const pending = this.pendingEdits.get(message.id);
        if (!pending) return;
        this.pendingEdits.delete(message.id);
        if (message.ok) pending.resolve();
        else pending.reject(new VfsError(message.code, message.path, message.message));
        return;
      }
      case 'exit':
        this.exitMessage = message.info;
        void this.completeExit(message.info);
        return;
    }
  }

  private async completeExit(info: ExitInfo): Promise<void> {
    // Every byte the guest wrote is in the ring before the exit message: deliver it all first.
    await this.drainAllOutput();
    this.finish(info);
    // The worker keeps applying edits already sent; edits requested from now on wait for the worker to be
    // gone and are then applied by the mirror itself, so their order is kept.
    this.closeSent = true;
    const close: EditPortMessage = { kind: 'close' };
    this.editChannel.port1.postMessage(close);
    Atomics.add(this.control, Control.EditsPending, 1);
    wakeWorker(this.control);
  }

  private async onWorkerGone(code: number): Promise<void> {
    this.drainInbox();
    this.workerGone = true;
    this.rejectPendingEdits(this.terminateRequested ? 'the module was terminated' : 'the module ended');
    this.vfs.becomeAuthoritative();
    this.replayEditsOnMirror();
    this.editChannel.port1.close();
    this.releaseStdinWaiters();
    if (!this.finished) {
      // Not a normal exit: keep what the guest wrote anyway, then report why it ended.
      if (this.exitMessage) {
        await this.drainAllOutput();
        this.finish(this.exitMessage);
      } else {
        this.deliverRemainingOutputNow();
        this.finish(this.describeAbnormalEnd(code));
      }
    }
    for (const resolve of this.goneWaiters.splice(0)) resolve();
  }

  private describeAbnormalEnd(code: number): ExitInfo {
    if (this.startFailure) return this.startFailure;
    if (this.terminateRequested) return { kind: 'terminated' };
    if (this.workerError) return { kind: 'error', message: `the runtime worker failed: ${this.workerError.message}` };
    return { kind: 'error', message: `the runtime worker stopped unexpectedly (thread exit code ${code})` };
  }

  private finish(info: ExitInfo): void {
    if (this.finished) return;
    this.finished = true;
    for (const listener of this.listeners.exit) callSafely(() => listener(info));
    this.resolveExited(info);
  }

  // ---- output ----

  /** Starts a drain cycle unless one runs; a cycle ends by re-arming the worker's wake-up. */
  private drainOutput(): void {
    if (this.drainPromise) return;
    this.drainPromise = this.drainCycle().finally(() => {
      this.drainPromise = undefined;
    });
  }

  private async drainCycle(): Promise<void> {
    for (;;) {
      const chunks = this.output.take();
      if (chunks.length === 0) {
        Atomics.store(this.control, Control.OutputArmed, 1);
        // A record may have landed between take() and arming: then the worker saw no arm, so look again.
        if (!this.output.hasData()) return;
        Atomics.store(this.control, Control.OutputArmed, 0);
        continue;
      }
      const holds = this.emitOutput(chunks);
      // A listener that returned a promise (a pipe that is full) holds further output: back-pressure.
      if (holds.length > 0) await Promise.all(holds);
      // Output is flowing: look again after a short pause instead of re-arming, which would cost the worker a
      // postMessage per write (measured: 15 µs each, a third of a 1,000,000-line run). Latency stays ≤ ~1 ms,
      // and a full ring is drained within that pause too.
      await new Promise<void>((resolve) => setTimeout(resolve, OUTPUT_POLL_MS));
    }
  }

  private async drainAllOutput(): Promise<void> {
    for (;;) {
      if (this.drainPromise) await this.drainPromise;
      if (!this.output.hasData()) return;
      this.drainOutput();
    }
  }

  /** After a crash or terminate: no worker is waiting for room, so deliver without waiting for listeners. */
  private deliverRemainingOutputNow(): void {
    this.emitOutput(this.output.take());
  }

  private emitOutput(chunks: ReturnType<OutputRingReader['take']>): Array<Promise<unknown>> {
    const holds: Array<Promise<unknown>> = [];
    for (const chunk of chunks) {
      for (const listener of this.listeners[chunk.stream]) {
        const result = callSafely(() => listener(chunk.data));
        if (isPromiseLike(result)) holds.push(Promise.resolve(result).catch(() => undefined));
      }
    }
    return holds;
  }

  // ---- edits ----

  private requestEdit(edit: FsEdit): Promise<void> {
    if (this.workerGone) {
      return Promise.reject(new VfsError('EBUSY', editPathOf(edit), 'the module is not running; the filesystem mirror applies edits itself'));
    }
    if (this.closeSent) {
      return new Promise<void>((resolve, reject) => this.editsAfterClose.push({ edit, resolve, reject }));
    }
    return new Promise<void>((resolve, reject) => {
      const id = this.nextEditId++;
      this.pendingEdits.set(id, { edit, resolve, reject });
      const message: EditPortMessage = { kind: 'edit', id, edit };
      this.editChannel.port1.postMessage(message);
      Atomics.add(this.control, Control.EditsPending, 1);
      wakeWorker(this.control);
    });
  }

  /** Edits requested between the exit and the worker's end, applied in order once the mirror is authoritative. */
  private replayEditsOnMirror(): void {
    const queued = this.editsAfterClose.splice(0);
    let chain = Promise.resolve();
    for (const pending of queued) {
      chain = chain.then(() => applyEditToView(this.vfs, pending.edit).then(pending.resolve, pending.reject));
    }
  }

  private rejectPendingEdits(reason: string): void {
    for (const [id, pending] of this.pendingEdits) {
      this.pendingEdits.delete(id);
      pending.reject(new VfsError('EBUSY', editPathOf(pending.edit), `${reason} before the edit was applied`));
    }
  }

  private releaseStdinWaiters(): void {
    for (const resolve of this.stdinDrainWaiters.splice(0)) resolve();
  }
}

function applyEditToView(view: VfsView, edit: FsEdit): Promise<void> {
  switch (edit.kind) {
    case 'writeFile':
      return view.writeFile(edit.path, edit.data, { create: edit.create, overwrite: edit.overwrite });
    case 'createDirectory':
      return view.createDirectory(edit.path);
    case 'delete':
      return view.delete(edit.path, { recursive: edit.recursive });
    case 'rename':
      return view.rename(edit.from, edit.to, { overwrite: edit.overwrite });
  }
}

function editPathOf(edit: FsEdit): string {
  return edit.kind === 'rename' ? edit.from : edit.path;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** A listener's exception must not stop delivery to the others or wedge the drain loop. */
function callSafely(call: () => unknown): unknown {
  try {
    return call();
  } catch (error) {
    process.nextTick(() => {
      throw error;
    });
    return undefined;
  }
}
