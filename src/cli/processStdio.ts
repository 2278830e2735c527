// Runs a module with this process's stdin/stdout/stderr and turns how it ended into the CLI's exit status.
import type { WasiEnvInit } from '../builder/envInit';
import type { ExitInfo, SyscallTrace } from '../runtime/api';
import { startWasiProcess } from '../runtime/process';
import { formatTraceRecord, formatWasmFrame } from '../debug/consoleText';
import { takePrestartedWorker } from './prestart';

/** Exit statuses of the CLI besides the guest's own code. */
export const EXIT_TRAP = 134;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;
/** The reader of stdout went away (`| head`): 128 + SIGPIPE, as a native program killed by SIGPIPE. */
export const EXIT_BROKEN_PIPE = 141;

export interface RunWithStdioOptions {
  /** The module's host path, named in errors that do not name it yet. */
  modulePath: string;
  trace: boolean;
  /** Worker name (what an inspector shows). */
  name: string;
}

/** Writes to a stream, and when its buffer is full returns a promise for 'drain' (the runtime then holds the guest). */
function writeWithBackpressure(stream: NodeJS.WriteStream, data: Uint8Array): Promise<void> | undefined {
  if (stream.write(data)) return undefined;
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('error', done);
      stream.off('close', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('error', done);
    stream.once('close', done);
  });
}

/** Resolves when everything written to the stream has been handed to the OS. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.writableLength === 0 || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => stream.write('', () => resolve()));
}

export function describeEnd(info: ExitInfo, modulePath: string): { status: number; message?: string } {
  switch (info.kind) {
    case 'exit':
      return { status: info.code };
    case 'trap': {
      const lines = [`wasi-debug: the module trapped: ${info.message}`, ...info.frames.map(formatWasmFrame)];
      return { status: EXIT_TRAP, message: lines.join('\n') + '\n' };
    }
    case 'error': {
      const named = info.message.includes(modulePath) ? info.message : `${modulePath}: ${info.message}`;
      return { status: EXIT_USAGE, message: `wasi-debug: error: ${named}\n` };
    }
    case 'terminated':
      return { status: EXIT_INTERRUPTED, message: 'wasi-debug: interrupted\n' };
  }
}

export async function runWithProcessStdio(init: WasiEnvInit, module: Uint8Array, options: RunWithStdioOptions): Promise<number> {
  const consoleStdin = init.stdin.kind === 'console';
  const handle = startWasiProcess(init, module, {
    prestartedWorker: takePrestartedWorker(),
    // Nothing edits the filesystem after the exit here: the thread may go at once (its teardown overlaps ours).
    endWorkerWithModule: true,
    name: options.name,
    trace: options.trace,
    terminal: {
      stdin: consoleStdin && process.stdin.isTTY === true,
      stdout: process.stdout.isTTY === true,
      stderr: process.stderr.isTTY === true,
    },
  });
  // The reader went away (EPIPE, as in `| head`): a native program would die of SIGPIPE, so end the guest
  // quietly instead of letting it compute output nobody reads. Never a stack trace.
  let stdoutBroken = false;
  process.stdout.on('error', () => {
    if (stdoutBroken) return;
    stdoutBroken = true;
    void handle.terminate();
  });
  process.stderr.on('error', () => undefined);
  handle.on('stdout', (data) => (stdoutBroken ? undefined : writeWithBackpressure(process.stdout, data)));
  handle.on('stderr', (data) => writeWithBackpressure(process.stderr, data));
  if (options.trace) {
    handle.on('trace', (records: SyscallTrace[]) => {
      process.stderr.write(records.map((record) => `[trace] ${formatTraceRecord(record)}\n`).join(''));
    });
  }

  const forwardStdin = (chunk: Buffer) => {
    if (!handle.writeStdin(chunk)) {
      process.stdin.pause();
      void handle.stdinDrained().then(() => process.stdin.resume());
    }
  };
  if (consoleStdin) {
    process.stdin.on('data', forwardStdin);
    process.stdin.once('end', () => handle.closeStdin());
    process.stdin.once('error', () => handle.closeStdin());
  }

  let interrupted = 0;
  const onInterrupt = () => {
    interrupted++;
    if (interrupted > 1) process.exit(EXIT_INTERRUPTED); // a second Ctrl+C does not wait for anything
    void handle.terminate();
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);

  const info = await handle.exited;
  process.off('SIGINT', onInterrupt);
  process.off('SIGTERM', onInterrupt);
  if (consoleStdin) {
    process.stdin.off('data', forwardStdin);
    process.stdin.pause();
    process.stdin.unref?.();
  }
  if (stdoutBroken && info.kind === 'terminated') return EXIT_BROKEN_PIPE;
  const end = describeEnd(info, options.modulePath);
  if (end.message) process.stderr.write(end.message);
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  return end.status;
}
