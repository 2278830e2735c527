// Starting the runtime worker before the CLI has even loaded, and handing it from the launcher (dist/cli.js) to the CLI (dist/cliMain.js).
//
// Why: booting a worker thread costs tens of milliseconds; for a short program that is most of the run. No side
// effects here: the launcher and prestart.ts decide when to call these.
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { spawnRuntimeWorker } from '../runtime/workerThread';

/** A worker for `run` and `launch` (not for --help); it waits for its start message. Undefined when not wanted or it cannot start. */
export function startWorkerEarly(argv: readonly string[]): Worker | undefined {
  const command = argv[0];
  if (command !== 'run' && command !== 'launch') return undefined;
  if (argv.includes('--help') || argv.includes('-h')) return undefined;
  try {
    const worker = spawnRuntimeWorker({
      name: command === 'run' ? `wasi-debug: ${path.basename(findModuleArgument(argv) ?? 'module')}` : 'wasi-debug: launch',
      lazyStdio: true,
    });
    // Until a process adopts it, its failure is nobody's business (the adopting process reports its own).
    worker.on('error', () => undefined);
    return worker;
  } catch {
    return undefined;
  }
}

/** The first argument after `run` that ends in `.wasm` (a guess, only used for the thread's name). */
function findModuleArgument(argv: readonly string[]): string | undefined {
  return argv.slice(1).find((arg) => arg.endsWith('.wasm'));
}

/** Where the launcher leaves its decision; the two are separate bundles, so a global is the only shared place. */
const HANDOFF = Symbol.for('wasi-debug.cli.earlyWorker');
type Holder = { [HANDOFF]?: { worker: Worker | undefined } };

/** Launcher side: what it started (or that it started nothing, for commands that need no worker). */
export function handOverEarlyWorker(worker: Worker | undefined): void {
  (globalThis as Holder)[HANDOFF] = { worker };
}

/** CLI side: the launcher's decision, taken once; undefined when the CLI was started without the launcher. */
export function receiveEarlyWorker(): { worker: Worker | undefined } | undefined {
  const holder = globalThis as Holder;
  const handed = holder[HANDOFF];
  delete holder[HANDOFF];
  return handed;
}
