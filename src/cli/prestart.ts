// Starts the runtime worker thread the moment the CLI loads, before the rest of the bundle and the module are read.
//
// Why: booting a worker thread costs tens of milliseconds; for a short program that is most of the run.
// Imported first by cli.ts so it runs before every other module of the bundle is initialized. Only for
// `run` and `launch`; the worker waits for its start message and is terminated if nothing comes.
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { spawnRuntimeWorker } from '../runtime/wasiProcess';

function prestart(argv: readonly string[]): Worker | undefined {
  const command = argv[0];
  if (command !== 'run' && command !== 'launch') return undefined;
  if (argv.includes('--help') || argv.includes('-h')) return undefined;
  try {
    const worker = spawnRuntimeWorker({ name: command === 'run' ? `wasi-debug: ${path.basename(findModuleArgument(argv) ?? 'module')}` : 'wasi-debug: launch' });
    // Until a process adopts it, its failure is nobody's business (the adopting process reports its own).
    worker.on('error', () => undefined);
    return worker;
  } catch {
    return undefined;
  }
}

/** The first argument after `run` that is not an option or an option's value (a guess only used for the thread's name). */
function findModuleArgument(argv: readonly string[]): string | undefined {
  return argv.slice(1).find((arg) => arg.endsWith('.wasm'));
}

let prestarted = prestart(process.argv.slice(2));

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
