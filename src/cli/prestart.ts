// The worker started ahead of the run: taken from the launcher (dist/cli.js) or, without it, started the moment this module loads.
//
// Imported first by cli.ts so that, when cli.ts is run directly, the worker starts before every other module of the
// bundle is initialized. Only for `run` and `launch`; the worker waits for its start message and is terminated if
// nothing comes. See earlyWorker.ts.
import type { Worker } from 'node:worker_threads';
import { receiveEarlyWorker, startWorkerEarly } from './earlyWorker';

let prestarted: Worker | undefined = (receiveEarlyWorker() ?? { worker: startWorkerEarly(process.argv.slice(2)) }).worker;

/** Hands the worker to its process once; later callers (and other commands) get none. */
export function takePrestartedWorker(): Worker | undefined {
  const worker = prestarted;
  prestarted = undefined;
  return worker;
}

/** Ends a prestarted worker nobody adopted (a usage error before the run), so the CLI can exit. */
export function discardPrestartedWorker(): void {
  void takePrestartedWorker()?.terminate();
}
