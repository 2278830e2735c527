// Runtime worker entry (dist/worker.js): runs the module with the WASI implementation, reporting to the host side.
import { runModule } from '../wasi/run';
import { applyEdit } from '../vfs/edits';
import { serveWorker } from './workerRuntime';
import { wasmApi } from './wasmModule';

// A debug launch sends the module's bytes (WasiProcessStartOptions.compileInWorker): compiled here, in the debugged thread.
serveWorker({
  runModule: (init, module, host, hooks) => runModule(init, module instanceof Uint8Array ? new wasmApi.Module(module) : module, host, hooks),
  applyEdit,
});
