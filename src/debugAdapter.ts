// Standalone debug adapter: the DAP session over stdin/stdout, for tests and for other editors' DAP clients.
//
// Usage: node dist/debugAdapter.js [--trace-to-console]
// Relative paths in a launch configuration are resolved against this process's current directory.
// Syscall traces ("trace": true) arrive as the custom event `wasiTrace`; --trace-to-console (or the environment
// variable WASI_DEBUG_TRACE_TO_CONSOLE=1) turns them into Debug Console lines for clients that ignore custom events.
import { once } from 'node:events';
import { WasiDebugSession } from './debug/session';

const traceToConsole = process.argv.includes('--trace-to-console') || process.env.WASI_DEBUG_TRACE_TO_CONSOLE === '1';

const session = new WasiDebugSession({
  workspaceFolder: process.cwd(),
  hostEnv: process.env,
  traceOutput: traceToConsole ? 'console' : 'event',
  // While the client reads slower than the guest writes, hold the guest (it waits in its worker) instead of buffering here.
  outputBackpressure: () => (process.stdout.writableNeedDrain ? once(process.stdout, 'drain').then(() => undefined) : undefined),
});
process.on('SIGTERM', () => session.shutdown());
session.start(process.stdin, process.stdout);
