// Standalone debug adapter: the DAP session over stdin/stdout, for tests and for other editors' DAP clients.
//
// Usage: node dist/debugAdapter.js
// - Relative paths in a launch configuration are resolved against this process's current directory, which is
//   also what ${workspaceFolder} means here (VS Code expands variables itself; other clients may not).
// - Syscall traces ("trace": true) arrive as the custom event `wasiTrace` ({ records: SyscallTrace[] });
//   with the environment variable WASI_DEBUG_TRACE_TO_CONSOLE=1 they are Debug Console lines instead, for
//   clients that ignore custom events.
import { once } from 'node:events';
import * as os from 'node:os';
import { resolveLaunchConfig, substituteVariables } from './debug/launchConfig';
import { WasiDebugSession } from './debug/session';

const traceToConsole = process.env.WASI_DEBUG_TRACE_TO_CONSOLE === '1';

const session = new WasiDebugSession({
  workspaceFolder: process.cwd(),
  hostEnv: process.env,
  traceOutput: traceToConsole ? 'console' : 'event',
  // One session per process: a worker prepared for a next launch would only compete with this one for the CPU.
  prepareNextDebugWorker: false,
  resolveLaunch: (config, context) =>
    resolveLaunchConfig(
      substituteVariables(config, { workspaceFolder: context.workspaceFolder, env: context.hostEnv, userHome: os.homedir() }),
      context,
    ),
  // While the client reads slower than the guest writes, hold the guest (it waits in its worker) instead of buffering here.
  outputBackpressure: () => (process.stdout.writableNeedDrain ? once(process.stdout, 'drain').then(() => undefined) : undefined),
});
process.on('SIGTERM', () => session.shutdown());
session.start(process.stdin, process.stdout);
