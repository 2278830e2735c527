// In-process tests of WasiDebugSession as VS Code runs it inline (handleMessage / onDidSendMessage), with a scripted process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { WasiEnvInit } from '../../src/builder/envInit';
import type { ExitInfo, SyscallTrace, VfsView, WasiProcessEvents, WasiProcessHandle } from '../../src/runtime/api';
import { LaunchConfigError } from '../../src/debug/launchConfigError';
import { testInit } from '../unit/runtimeTestSupport';
import { BREAKPOINTS_UNSUPPORTED, WasiDebugSession, type LaunchPlan, type WasiDebugSessionOptions } from '../../src/debug/session';

const helloBytes = new Uint8Array(readFileSync(path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'dap', 'hello.wasm')));

function initFor(stdin: WasiEnvInit['stdin'] = { kind: 'console' }): WasiEnvInit {
  return testInit({ args: ['hello.wasm'], stdin });
}

function planFor(overrides: Partial<LaunchPlan> = {}): LaunchPlan {
  return {
    program: '/w/hello.wasm',
    moduleBytes: helloBytes,
    init: initFor(),
    stopOnEntry: false,
    trace: false,
    noDebug: false,
    name: 'hello',
    ...overrides,
  };
}

/** A process whose events the test fires by hand. */
class ScriptedProcess implements WasiProcessHandle {
  readonly vfs = {} as VfsView;
  readonly stdin: Array<string | 'EOF'> = [];
  terminated = false;
  private readonly listeners: { [E in keyof WasiProcessEvents]: Array<WasiProcessEvents[E]> } = { stdout: [], stderr: [], trace: [], exit: [] };
  private resolveExit!: (info: ExitInfo) => void;
  readonly exited = new Promise<ExitInfo>((resolve) => (this.resolveExit = resolve));

  on<E extends keyof WasiProcessEvents>(event: E, listener: WasiProcessEvents[E]): this {
    (this.listeners[event] as Array<WasiProcessEvents[E]>).push(listener);
    return this;
  }
  off<E extends keyof WasiProcessEvents>(): this {
    return this;
  }
  writeStdin(data: Uint8Array): void {
    this.stdin.push(Buffer.from(data).toString('utf8'));
  }
  closeStdin(): void {
    this.stdin.push('EOF');
  }
  async terminate(): Promise<void> {
    this.terminated = true;
    this.exit({ kind: 'terminated' });
  }
  write(stream: 'stdout' | 'stderr', text: string | Uint8Array): void {
    const bytes = typeof text === 'string' ? Buffer.from(text) : text;
    for (const listener of this.listeners[stream]) void listener(bytes);
  }
  trace(records: SyscallTrace[]): void {
    for (const listener of this.listeners.trace) listener(records);
  }
  exit(info: ExitInfo): void {
    for (const listener of this.listeners.exit) listener(info);
    this.resolveExit(info);
  }
}

/** The session driven like VS Code's inline adapter: requests in, every message out recorded. */
class InlineHarness {
  readonly session: WasiDebugSession;
  readonly sent: DebugProtocol.ProtocolMessage[] = [];
  readonly processes: ScriptedProcess[] = [];
  readonly started: Array<{ process: WasiProcessHandle; launch: LaunchPlan }> = [];
  private seq = 1;

  constructor(plan: LaunchPlan | (() => LaunchPlan), options: Partial<WasiDebugSessionOptions> = {}) {
    this.session = new WasiDebugSession({
      resolveLaunch: () => (typeof plan === 'function' ? plan() : plan),
      startProcess: () => {
        const child = new ScriptedProcess();
        this.processes.push(child);
        return child;
      },
      onProcessStarted: (process, launch) => this.started.push({ process, launch }),
      ...options,
    });
    this.session.onDidSendMessage((message) => this.sent.push(message as DebugProtocol.ProtocolMessage));
  }

  async request(command: string, args?: unknown): Promise<DebugProtocol.Response> {
    const seq = this.seq++;
    this.session.handleMessage({ seq, type: 'request', command, arguments: args } as DebugProtocol.Request);
    // A bound in wall time, generous for a loaded machine: a missing response fails, a slow one does not.
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; ) {
      const response = this.sent.find((m): m is DebugProtocol.Response => m.type === 'response' && (m as DebugProtocol.Response).request_seq === seq);
      if (response) return response;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`no response to ${command}`);
  }

  async launchAndConfigure(args: Record<string, unknown> = {}): Promise<DebugProtocol.Response> {
    await this.request('initialize', { adapterID: 'wasi', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const launched = this.request('launch', { type: 'wasi', request: 'launch', name: 'x', ...args });
    await this.request('configurationDone');
    return launched;
  }

  events(name?: string): DebugProtocol.Event[] {
    return this.sent.filter((m): m is DebugProtocol.Event => m.type === 'event' && (name === undefined || (m as DebugProtocol.Event).event === name));
  }

  outputs(): Array<[string, string]> {
    return this.events('output').map((e) => [e.body.category as string, e.body.output as string]);
  }

  async settle(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

test('initialize announces configurationDone and terminate support, then the initialized event', async () => {
  const h = new InlineHarness(planFor());
  const response = (await h.request('initialize', { adapterID: 'wasi', pathFormat: 'path' })) as DebugProtocol.InitializeResponse;
  assert.equal(response.success, true);
  assert.equal(response.body?.supportsConfigurationDoneRequest, true);
  assert.equal(response.body?.supportsTerminateRequest, true);
  assert.equal(h.events('initialized').length, 1);
});

test('a launch.json error fails the launch with showUser and the field-naming message, then terminates', async () => {
  const h = new InlineHarness(() => {
    throw new LaunchConfigError('env', 'key "HOM=E" contains "=" — rename the variable');
  });
  const response = await h.launchAndConfigure();
  assert.equal(response.success, false);
  assert.equal(response.message, 'launch.json env: key "HOM=E" contains "=" — rename the variable');
  const error = (response.body as { error: DebugProtocol.Message }).error;
  assert.equal(error.showUser, true);
  assert.equal(error.format, '{_message}');
  assert.deepEqual(error.variables, { _message: 'launch.json env: key "HOM=E" contains "=" — rename the variable' });
  assert.equal(h.events('terminated').length, 1);
  assert.equal(h.processes.length, 0, 'no process was started');
});

test('an error without a field is prefixed so the user knows it is about launch.json', async () => {
  const h = new InlineHarness(() => {
    throw new Error('something odd');
  });
  const response = await h.launchAndConfigure();
  assert.equal(response.message, 'launch.json: something odd');
});

test('braces in a message are not read as placeholders', async () => {
  const h = new InlineHarness(() => {
    throw new LaunchConfigError('program', 'file {name} at /tmp/{x}.wasm does not exist');
  });
  const response = await h.launchAndConfigure();
  assert.equal(response.message, 'launch.json program: file {name} at /tmp/{x}.wasm does not exist');
});

test('bytes that are not a module fail the launch naming program, before any process starts', async () => {
  const h = new InlineHarness(planFor({ moduleBytes: Buffer.from('hello, not wasm') }));
  const response = await h.launchAndConfigure();
  assert.equal(response.success, false);
  assert.match(response.message ?? '', /^launch\.json program: \/w\/hello\.wasm: .*not a WebAssembly binary/);
  assert.equal(h.processes.length, 0);
});

test('output: batched per turn, in order across streams, then exit line, ExitedEvent, TerminatedEvent', async () => {
  const h = new InlineHarness(planFor());
  await h.launchAndConfigure();
  const child = h.processes[0]!;
  assert.equal(h.started.length, 1, 'onProcessStarted was called');
  assert.equal(h.started[0]!.process, child);
  child.write('stdout', 'a');
  child.write('stdout', Buffer.from([0xe2, 0x82])); // first part of "€"
  child.write('stderr', 'warn\n');
  child.write('stdout', Buffer.from([0xac, 0x0a]));
  await h.settle();
  child.exit({ kind: 'exit', code: 3 });
  assert.deepEqual(h.outputs(), [
    ['stdout', 'a'],
    ['stderr', 'warn\n'],
    ['stdout', '€\n'],
    ['console', 'wasi: program exited with code 3\n'],
  ]);
  const tail = h.sent.slice(-2).map((m) => (m as DebugProtocol.Event).event);
  assert.deepEqual(tail, ['exited', 'terminated']);
  assert.equal(h.events('exited')[0]!.body.exitCode, 3);
});

test('a trap: message, frames innermost first, exit code 134', async () => {
  const h = new InlineHarness(planFor());
  await h.launchAndConfigure();
  h.processes[0]!.exit({
    kind: 'trap',
    message: 'unreachable',
    frames: [
      { functionName: '$crash_here', functionIndex: 1, moduleOffset: 0x60, raw: '' },
      { functionName: '$main', raw: '' },
    ],
  });
  assert.deepEqual(h.outputs(), [
    ['stderr', 'wasi: program trapped: unreachable\n    at $crash_here (wasm-function[1]:0x60)\n    at $main\nwasi: program exited with code 134 (trap)\n'],
  ]);
  assert.equal(h.events('exited')[0]!.body.exitCode, 134);
});

test('a start error is reported on stderr with exit code 1', async () => {
  const h = new InlineHarness(planFor());
  await h.launchAndConfigure();
  h.processes[0]!.exit({ kind: 'error', message: 'unknown import env.foo' });
  assert.deepEqual(h.outputs(), [['stderr', 'wasi: program could not start: unknown import env.foo\nwasi: program exited with code 1\n']]);
});

test('REPL input becomes stdin lines, ^D and sendEOF close it; other contexts are refused', async () => {
  const h = new InlineHarness(planFor());
  await h.launchAndConfigure();
  const child = h.processes[0]!;
  assert.equal((await h.request('evaluate', { expression: 'hello there', context: 'repl' })).success, true);
  assert.equal((await h.request('evaluate', { expression: '', context: 'repl' })).success, true);
  assert.equal((await h.request('evaluate', { expression: '^D', context: 'repl' })).success, true);
  assert.equal((await h.request('sendEOF')).success, true);
  assert.deepEqual(child.stdin, ['hello there\n', '\n', 'EOF', 'EOF']);
  const hover = await h.request('evaluate', { expression: 'x', context: 'hover' });
  assert.equal(hover.success, false);
});

test('REPL input is refused with the reason when stdin is not the console', async () => {
  const h = new InlineHarness(planFor({ init: initFor({ kind: 'file', hostPath: '/tmp/in.txt' }) }));
  await h.launchAndConfigure();
  const response = await h.request('evaluate', { expression: 'x', context: 'repl' });
  assert.equal(response.success, false);
  assert.match(response.message ?? '', /stdin comes from the file \/tmp\/in\.txt \(launch\.json "stdin"\).*"stdin": "console"/);
  assert.deepEqual(h.processes[0]!.stdin, []);
});

test('stopOnEntry: stopped(entry) before any process; input typed meanwhile is delivered once it runs', async () => {
  const h = new InlineHarness(planFor({ stopOnEntry: true }));
  await h.launchAndConfigure();
  const stopped = h.events('stopped');
  assert.equal(stopped.length, 1);
  assert.equal(stopped[0]!.body.reason, 'entry');
  assert.equal(h.processes.length, 0);
  const stack = (await h.request('stackTrace', { threadId: 1 })) as DebugProtocol.StackTraceResponse;
  assert.equal(stack.body.stackFrames[0]!.name, '_start (hello.wasm, not started yet)');
  await h.request('evaluate', { expression: 'early', context: 'repl' });
  await h.request('continue', { threadId: 1 });
  assert.equal(h.processes.length, 1);
  assert.deepEqual(h.processes[0]!.stdin, ['early\n']);
  assert.equal(h.events('continued').length, 1);
});

test('terminate ends the process and the session; disconnect after it answers at once', async () => {
  const h = new InlineHarness(planFor());
  await h.launchAndConfigure();
  assert.equal((await h.request('terminate')).success, true);
  assert.equal(h.processes[0]!.terminated, true);
  assert.deepEqual(h.outputs().at(-1), ['console', 'wasi: program terminated\n']);
  assert.equal(h.events('terminated').length, 1);
  assert.equal((await h.request('disconnect')).success, true);
  assert.equal(h.events('terminated').length, 1, 'terminated is sent once');
});

test('trace records become wasiTrace events (or console lines with traceOutput "console")', async () => {
  const record: SyscallTrace = { name: 'fd_write', args: 'fd=1, iovs=0x10, len=1', result: '0 (success)', durationUs: 12 };
  const h = new InlineHarness(planFor({ trace: true }));
  await h.launchAndConfigure();
  h.processes[0]!.trace([record]);
  assert.deepEqual(h.events('wasiTrace').map((e) => e.body), [{ records: [record] }]);

  const c = new InlineHarness(planFor({ trace: true }), { traceOutput: 'console' });
  await c.launchAndConfigure();
  c.processes[0]!.trace([record, { ...record, name: 'proc_exit', durationUs: 2500 }]);
  assert.deepEqual(c.outputs(), [
    ['console', '[trace] fd_write(fd=1, iovs=0x10, len=1) → 0 (success) 12µs\n[trace] proc_exit(fd=1, iovs=0x10, len=1) → 0 (success) 2.50ms\n'],
  ]);
});

test('a second launch on the same session is refused', async () => {
  const h = new InlineHarness(planFor());
  await h.launchAndConfigure();
  const again = await h.request('launch', { program: 'x' });
  assert.equal(again.success, false);
});

test('the worker booted at launch is handed to the process, or terminated when the launch fails', async () => {
  type FakeWorker = { name: string; terminated: boolean; on(): FakeWorker; terminate(): Promise<number> };
  const spawned: FakeWorker[] = [];
  const spawnWorker = (options: { name?: string }) => {
    const worker: FakeWorker = {
      name: options.name ?? '',
      terminated: false,
      on: () => worker,
      terminate: async () => {
        worker.terminated = true;
        return 0;
      },
    };
    spawned.push(worker);
    return worker as unknown as import('node:worker_threads').Worker;
  };
  const handed: unknown[] = [];
  const ok = new InlineHarness(planFor(), {
    spawnWorker,
    startProcess: (_init, _module, options) => {
      handed.push(options?.prestartedWorker);
      return new ScriptedProcess();
    },
  });
  await ok.launchAndConfigure({ name: 'my run' });
  assert.equal(spawned.length, 1);
  assert.equal(spawned[0]!.name, 'wasi-debug: my run');
  assert.deepEqual(handed, [spawned[0]]);
  assert.equal(spawned[0]!.terminated, false);

  const failing = new InlineHarness(
    () => {
      throw new LaunchConfigError('program', 'is missing');
    },
    { spawnWorker },
  );
  await failing.launchAndConfigure({ name: '', program: '/x/app.wasm' });
  assert.equal(spawned.length, 2);
  assert.equal(spawned[1]!.name, 'wasi-debug: app.wasm');
  assert.equal(spawned[1]!.terminated, true, 'the unused worker is terminated');
});

test('breakpoints are answered unverified with the reason, never silently dropped', async () => {
  const h = new InlineHarness(planFor());
  await h.request('initialize', { adapterID: 'wasi', pathFormat: 'path' });
  const response = (await h.request('setBreakpoints', {
    source: { path: '/w/hello.c' },
    breakpoints: [{ line: 3 }, { line: 7 }],
  })) as DebugProtocol.SetBreakpointsResponse;
  assert.equal(response.success, true);
  assert.deepEqual(
    response.body.breakpoints.map((b) => [b.verified, b.line, b.message]),
    [
      [false, 3, BREAKPOINTS_UNSUPPORTED],
      [false, 7, BREAKPOINTS_UNSUPPORTED],
    ],
  );
});
