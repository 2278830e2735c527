// The main thread's in-process inspector session and its NodeWorker domain: attaches to our runtime workers, releases all others.
//
// `waitForDebuggerOnStart` holds every worker the process creates afterwards (other extensions' too), so a worker
// whose title was not claimed is let go at once (runIfWaitingForDebugger + detach). One session serves every debug
// launch of the process; it connects on the first claim and disconnects when the last claim ends.

import { EventEmitter } from 'node:events';
import * as inspector from 'node:inspector';
import { CdpError, type CdpConnection } from './cdpTypes';

interface WorkerInfo {
  workerId: string;
  type: string;
  title: string;
  url: string;
}

/** One worker's inspector target, reached through the main thread's session. */
export class WorkerTarget extends EventEmitter implements CdpConnection {
  private nextId = 1;
  private readonly pending = new Map<number, { method: string; resolve(value: unknown): void; reject(error: Error): void }>();
  private gone = false;

  constructor(
    private readonly hub: WorkerInspectorHub,
    readonly sessionId: string,
    readonly title: string,
  ) {
    super();
  }

  get detached(): boolean {
    return this.gone;
  }

  send<T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    if (this.gone) return Promise.reject(new CdpError(method, -1, 'the worker is gone'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { method, resolve: resolve as (value: unknown) => void, reject });
      this.hub
        .post('NodeWorker.sendMessageToWorker', { sessionId: this.sessionId, message: JSON.stringify({ id, method, params }) })
        .catch((error: Error) => {
          if (this.pending.delete(id)) reject(new CdpError(method, -1, error.message));
        });
    });
  }

  /** Called by the hub with one message from the worker's inspector. */
  receive(message: { id?: number; method?: string; params?: unknown; result?: unknown; error?: { code: number; message: string } }): void {
    if (message.id !== undefined) {
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (message.error) waiting.reject(new CdpError(waiting.method, message.error.code, message.error.message));
      else waiting.resolve(message.result ?? {});
    } else if (message.method) {
      this.emit(message.method, message.params ?? {});
    }
  }

  markDetached(): void {
    if (this.gone) return;
    this.gone = true;
    for (const [, waiting] of this.pending) waiting.reject(new CdpError(waiting.method, -1, 'the worker is gone'));
    this.pending.clear();
    this.emit('detached');
  }
}

interface Claim {
  title: string;
  resolve(target: WorkerTarget): void;
}

export class WorkerInspectorHub {
  private session: inspector.Session | undefined;
  private enabled: Promise<void> | undefined;
  private readonly claims: Claim[] = [];
  private readonly targets = new Map<string, WorkerTarget>();
  private users = 0;
  /** How many times an inspector session was opened (Run Without Debugging must never open one). */
  opened = 0;

  post(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const session = this.session;
    if (!session) return Promise.reject(new Error('the inspector session is closed'));
    return new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  }

  /**
   * Announces that a worker titled `title` is about to be created. Resolves once the hub holds workers at
   * start; the returned `attached` promise gives the target (still waiting for the debugger) when it appears.
   * Call `release()` when the debug session ends.
   */
  async expectWorker(title: string): Promise<{ attached: Promise<WorkerTarget>; release(): void }> {
    this.users++;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      const index = this.claims.findIndex((claim) => claim.title === title);
      if (index >= 0) this.claims.splice(index, 1);
      // The session stays open and NodeWorker enabled once opened: Node 20 crashes (SIGSEGV in
      // WorkerManager::SetAutoAttach) when NodeWorker.enable runs again after a disable/disconnect, which
      // took the whole extension host down after about ten debug launches. Workers that are not ours are
      // let go at once by onAttached, so keeping it open costs them one round trip at start.
      this.users--;
    };
    try {
      await this.open();
    } catch (error) {
      release();
      throw error;
    }
    const attached = new Promise<WorkerTarget>((resolve) => this.claims.push({ title, resolve }));
    return { attached, release };
  }

  private open(): Promise<void> {
    if (!this.enabled) {
      const session = new inspector.Session();
      session.connect();
      this.opened++;
      this.session = session;
      session.on('NodeWorker.attachedToWorker', (message) => this.onAttached(message.params as { sessionId: string; workerInfo: WorkerInfo; waitingForDebugger: boolean }));
      session.on('NodeWorker.detachedFromWorker', (message) => {
        const { sessionId } = message.params as { sessionId: string };
        this.targets.get(sessionId)?.markDetached();
        this.targets.delete(sessionId);
      });
      session.on('NodeWorker.receivedMessageFromWorker', (message) => {
        const { sessionId, message: text } = message.params as { sessionId: string; message: string };
        const target = this.targets.get(sessionId);
        if (target) target.receive(JSON.parse(text));
      });
      this.enabled = this.post('NodeWorker.enable', { waitForDebuggerOnStart: true }).then(() => undefined);
      this.enabled.catch(() => this.close());
    }
    return this.enabled;
  }

  private onAttached(params: { sessionId: string; workerInfo: WorkerInfo; waitingForDebugger: boolean }): void {
    // Node shows the Worker's `name` option as "[worker <id>] <name>".
    const title = params.workerInfo.title.replace(/^\[worker \d+\] /, '');
    const index = this.claims.findIndex((claim) => claim.title === title);
    if (index < 0) {
      // Not ours (another extension's worker, or one started before our launch): let it run untouched.
      void this.releaseForeign(params.sessionId, params.waitingForDebugger);
      return;
    }
    const [claim] = this.claims.splice(index, 1);
    const target = new WorkerTarget(this, params.sessionId, title);
    this.targets.set(params.sessionId, target);
    claim!.resolve(target);
  }

  private async releaseForeign(sessionId: string, waiting: boolean): Promise<void> {
    try {
      if (waiting) {
        await this.post('NodeWorker.sendMessageToWorker', {
          sessionId,
          message: JSON.stringify({ id: 1, method: 'Runtime.runIfWaitingForDebugger', params: {} }),
        });
      }
      await this.post('NodeWorker.detach', { sessionId });
    } catch {
      // the worker ended meanwhile
    }
  }

  /** Detaching our targets lets their workers run on; nothing is left waiting. */
  private close(): void {
    const session = this.session;
    this.session = undefined;
    this.enabled = undefined;
    for (const target of this.targets.values()) target.markDetached();
    this.targets.clear();
    for (const claim of this.claims.splice(0)) void claim;
    if (session) {
      try {
        session.post('NodeWorker.disable', () => session.disconnect());
      } catch {
        session.disconnect();
      }
    }
  }
}

/** The process-wide hub (one inspector session serves every debug launch). */
export const workerInspector = new WorkerInspectorHub();
