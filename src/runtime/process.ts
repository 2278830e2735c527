// startWasiProcess: the runtime's host-side entry point — a module running in a worker thread, its stdio and its live filesystem.
//
// Used by the debug adapter, the CLI and the tests; see api.ts for the contract and wasiProcess.ts for the mechanics.

import type { WasiEnvInit } from '../builder/envInit';
import { VfsMirror } from '../vfs/mirror';
import { WasiProcess, type WasiProcessStartOptions } from './wasiProcess';
import type { WasmModule } from './wasmModule';

export { WasiProcess, type WasiProcessStartOptions } from './wasiProcess';
export { spawnRuntimeWorker } from './workerThread';

/**
 * Starts `module` (compiled, or bytes that are compiled and validated first) with the builder's `init`.
 * Never throws for a bad module: the handle then exits at once with an ExitInfo of kind 'error', and no
 * worker is started. Listeners for stdout/stderr may return a promise to hold further output (back-pressure).
 */
export function startWasiProcess(init: WasiEnvInit, module: WasmModule | Uint8Array, options: WasiProcessStartOptions = {}): WasiProcess {
  // The mirror is built from the init's layout at once, so the tree view can list mounts before the worker starts.
  return new WasiProcess(init, module, options, (requestEdit) => new VfsMirror(requestEdit, { root: init.root, preopens: init.preopens }));
}
