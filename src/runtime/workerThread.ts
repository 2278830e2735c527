// Where the runtime worker script is and how its thread is started — apart from the rest of the host side, so the CLI's launcher bundles only this.

import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WasiEnvInit } from '../builder/envInit';

export function defaultWorkerPath(): string {
  // worker.js sits beside the running bundle (dist/) or beside this file's compiled form (out/src/runtime/).
  return path.join(__dirname, 'worker.js');
}

export interface SpawnWorkerOptions {
  workerPath?: string;
  name?: string;
  /**
   * The thread's own stdout/stderr (stray console output and Node warnings; the guest's output goes through the
   * output ring) are forwarded to this process's when their first bytes come, instead of being piped by Node inside
   * the Worker constructor — which creates process.stdout and process.stderr (~3 ms) before the thread starts.
   * Only for a process that ends with process.exit (the CLI): forwarding keeps the worker's port referenced while
   * it runs, so an unref'd worker would still hold the event loop open.
   */
  lazyStdio?: boolean;
}

/** Starts a runtime worker thread; it waits for its start message. */
export function spawnRuntimeWorker(options: SpawnWorkerOptions, init?: WasiEnvInit): Worker {
  const name = options.name ?? `wasi-debug: ${init?.args[0] ?? 'module'}`;
  if (!options.lazyStdio) return new Worker(options.workerPath ?? defaultWorkerPath(), { name });
  const worker = new Worker(options.workerPath ?? defaultWorkerPath(), { name, stdout: true, stderr: true });
  worker.stdout.on('data', (chunk: Buffer) => process.stdout.write(chunk));
  worker.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  return worker;
}
