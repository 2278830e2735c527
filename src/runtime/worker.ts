// Runtime worker entry (dist/worker.js): runs the module with the WASI implementation, reporting to the host side.
import { runModule } from '../wasi/run';
import { applyEdit } from '../vfs/edits';
import { serveWorker } from './workerRuntime';

serveWorker({ runModule, applyEdit });
