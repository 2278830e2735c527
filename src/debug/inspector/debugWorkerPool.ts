// Runtime workers for debug launches, prepared one ahead: booted, attached in the inspector, V8's debugger on.
//
// A debug launch used to spend ~75 ms before its module could start: the thread boots (~25 ms), Debugger.enable
// reports the new isolate's 145 scripts (~25 ms inside the worker, measured), then the worker loads its bundle
// under the debugger (~20 ms). None of that depends on the launch, so when a launch takes its worker the next
// one's is prepared in the background and waits, idle and unreferenced, for the next F5 (it is let go after five
// minutes without one). The first debug launch of a process prepares its worker while the launch configuration is
// resolved and the module compiled. Run Without Debugging never comes here (it opens no inspector session).

import type { Worker } from 'node:worker_threads';
import { workerInspector, type WorkerInspectorHub, type WorkerTarget } from './workerInspector';

/** Starts a runtime worker thread that waits for its start message. */
export type DebugWorkerSpawner = (options: { workerPath?: string; name?: string }) => Worker;

/** A runtime worker running under the debugger, waiting for its start message. */
export interface DebugWorker {
  readonly worker: Worker;
  /** Its inspector target: Debugger.enable done, node internals blackboxed, the worker running. */
  readonly target: WorkerTarget;
  /**
   * The launch takes the target over (pauses are still skipped: the caller sends Debugger.setSkipAllPauses
   * {skip: false} once its breakpoints are placed and it listens for pauses).
   */
  handOver(): WorkerTarget;
  /** Ends the claim on the inspector session (the debug launch is over). */
  release(): void;
  /** Terminates a worker that was never handed to a process. */
  discard(): void;
}

/** How long the inspector gets to report a new worker before the preparation fails. */
const ATTACH_TIMEOUT_MS = 5000;
/** A standby worker nobody takes within this time is terminated (it holds a thread and a few MB). */
const STANDBY_IDLE_MS = 5 * 60_000;

interface Standby {
  spawn: DebugWorkerSpawner;
  workerPath: string | undefined;
  ready: Promise<DebugWorker>;
  /** The worker ended or its target detached before anyone took it. */
  lost: boolean;
  /** A launch waits for it: the worker keeps the process alive (a standby nobody waits for does not). */
  wanted: boolean;
  worker: Worker | undefined;
  idleTimer: NodeJS.Timeout | undefined;
}

export class DebugWorkerPool {
  private standby: Standby | undefined;
  private prepared = 0;

  constructor(
    private readonly hub: WorkerInspectorHub,
    private readonly idleMs = STANDBY_IDLE_MS,
  ) {}

  /** How many workers were prepared (tests: a second launch reuses the standby instead of preparing one). */
  get preparedCount(): number {
    return this.prepared;
  }

  /** Whether a standby worker is waiting (or being prepared). */
  get hasStandby(): boolean {
    return this.standby !== undefined;
  }

  /**
   * A worker for a debug launch: the standby when it was spawned the same way and is alive, else one prepared
   * now; with `prepareNext`, the next standby starts right away (after this one, when there was none). Rejects when the inspector is
   * unavailable or the worker never appears in it.
   */
  take(spawn: DebugWorkerSpawner, workerPath: string | undefined, options: { prepareNext: boolean } = { prepareNext: true }): Promise<DebugWorker> {
    const hadStandby = this.standby !== undefined;
    const taken = this.takeStandby(spawn, workerPath);
    // The next launch's worker boots while this one runs (F5 again soon after is common: edit, rebuild, rerun). After
    // a standby it starts now, not once that one is ready: when launches come faster than a worker is prepared, two
    // preparations overlap on two cores instead of queueing (measured, back-to-back debug launches: median 38–59 ms
    // instead of 60–104 ms at load 2.4; bench/ANALYSIS.md). A cold launch (no standby) boots its own worker alone first.
    if (options.prepareNext) {
      const refill = (): void => void setImmediate(() => this.refill(spawn, workerPath)).unref();
      if (hadStandby) refill();
      else taken.then(refill, () => undefined);
    }
    return taken;
  }

  private takeStandby(spawn: DebugWorkerSpawner, workerPath: string | undefined): Promise<DebugWorker> {
    const standby = this.standby;
    this.standby = undefined;
    if (standby) {
      if (standby.idleTimer) clearTimeout(standby.idleTimer);
      if (!standby.lost && standby.spawn === spawn && standby.workerPath === workerPath) {
        standby.wanted = true;
        standby.worker?.ref();
        return standby.ready.then((prepared) => {
          if (!standby.lost) return prepared;
          prepared.discard();
          return this.prepare(spawn, workerPath, true).ready;
        });
      }
      void standby.ready.then((prepared) => prepared.discard(), () => undefined);
    }
    return this.prepare(spawn, workerPath, true).ready;
  }

  /** Prepares the next debug launch's worker in the background, unless one is already waiting. */
  refill(spawn: DebugWorkerSpawner, workerPath: string | undefined): void {
    if (this.standby) return;
    const standby = this.prepare(spawn, workerPath, false);
    this.standby = standby;
    const forget = (): void => {
      if (this.standby !== standby) return;
      this.standby = undefined;
      void standby.ready.then((prepared) => prepared.discard(), () => undefined);
    };
    standby.ready.then(
      () => {
        if (this.standby !== standby) return;
        standby.idleTimer = setTimeout(forget, this.idleMs);
        standby.idleTimer.unref();
      },
      forget,
    );
  }

  private prepare(spawn: DebugWorkerSpawner, workerPath: string | undefined, wanted: boolean): Standby {
    const standby: Standby = { spawn, workerPath, ready: undefined!, lost: false, wanted, worker: undefined, idleTimer: undefined };
    standby.ready = this.boot(standby, () => {
      standby.lost = true;
      if (this.standby === standby) this.standby = undefined;
    });
    standby.ready.catch(() => undefined);
    this.prepared++;
    return standby;
  }

  private async boot(standby: Standby, onLost: () => void): Promise<DebugWorker> {
    const { spawn, workerPath } = standby;
    // Node shows the title in inspector target lists; the number keeps every claim unique in this process.
    const title = `wasi-debug: debug worker ${this.prepared + 1}`;
    const claim = await this.hub.expectWorker(title);
    let worker: Worker;
    try {
      worker = spawn({ name: title, ...(workerPath !== undefined ? { workerPath } : {}) });
    } catch (error) {
      claim.release();
      throw error;
    }
    // Waiting for a launch must not keep a process (the standalone adapter, a test runner) alive.
    standby.worker = worker;
    if (!standby.wanted) worker.unref();
    // Until a process adopts it, a failure is only a lost standby (the next launch prepares another).
    worker.on('error', () => undefined);
    worker.once('exit', onLost);
    let timer: NodeJS.Timeout | undefined;
    const target = await Promise.race([
      claim.attached,
      new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ATTACH_TIMEOUT_MS).unref())),
    ]);
    clearTimeout(timer);
    const discard = (): void => {
      worker.off('exit', onLost);
      void worker.terminate().catch(() => undefined);
      claim.release();
    };
    if (target === undefined) {
      discard();
      throw new Error('the runtime worker did not appear in the inspector');
    }
    target.once('detached', onLost);
    try {
      // One target handles its messages in order: these go out together and the worker runs right after the last.
      await Promise.all([
        target.send('Debugger.enable', { maxScriptsCacheSize: 0 }),
        // A standby never stops, not even at Node's "Break on start": a worker paused there cannot be ended, and
        // process.exit() waits for it forever (measured: the standalone adapter hung in Worker::JoinThread after
        // a disconnect). The launch that takes the worker turns pauses back on (WasmDebugger.attach).
        target.send('Debugger.setSkipAllPauses', { skip: true }),
        // Node's internals are blackboxed (stepping never enters them).
        target.send('Debugger.setBlackboxPatterns', { patterns: ['^node:'] }).catch(() => undefined),
        target.send('Runtime.runIfWaitingForDebugger'),
      ]);
    } catch (error) {
      discard();
      throw error;
    }
    return {
      worker,
      target,
      handOver: () => {
        target.off('detached', onLost);
        worker.off('exit', onLost);
        return target;
      },
      release: () => claim.release(),
      discard,
    };
  }
}

/** The process-wide pool (it shares the process-wide inspector session). */
export const debugWorkerPool = new DebugWorkerPool(workerInspector);
