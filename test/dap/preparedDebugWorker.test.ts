// Debug launches on workers the pool prepared ahead (booted, under the debugger, pauses skipped): breakpoints set
// before configurationDone, stopOnEntry and trap stops still happen at the very first instruction they cover, and a
// process that exits while a standby is being prepared (or while the program is paused) does not hang.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { adapterMissingReason, repoRoot } from './harness';
import { RawDapClient } from './rawClient';
import { WasiDebugSession } from '../../src/debug/session';
import { debugWorkerPool } from '../../src/debug/inspector/debugWorkerPool';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'debugging');
const program = path.join(fixtures, 'debugme.wasm');
const source = path.join(fixtures, 'debugme.c');
const trapProgram = path.join(fixtures, 'trapme.wasm');
const workerPath = path.join(repoRoot, 'out', 'src', 'runtime', 'worker.js');
const sessionModule = path.join(repoRoot, 'out', 'src', 'debug', 'session.js');
const skip = existsSync(workerPath) ? undefined : `${workerPath} is missing: run npx tsc -p .`;
const REQUEST_TIMEOUT_MS = 15_000;

/** One in-process session, driven like VS Code's inline adapter; events queue up so none is missed. */
class InProcessClient {
  readonly session = new WasiDebugSession({ workspaceFolder: fixtures, workerPath });
  private seq = 1;
  private readonly pending = new Map<number, (response: DebugProtocol.Response) => void>();
  private readonly events: DebugProtocol.Event[] = [];
  private stdoutText = '';
  private readonly eventWaiters: Array<() => void> = [];

  constructor() {
    this.session.onDidSendMessage((message) => {
      const sent = message as DebugProtocol.ProtocolMessage;
      if (sent.type === 'response') {
        const response = sent as DebugProtocol.Response;
        this.pending.get(response.request_seq)?.(response);
        this.pending.delete(response.request_seq);
      } else if (sent.type === 'event') {
        const event = sent as DebugProtocol.Event;
        if (event.event === 'output' && (event as DebugProtocol.OutputEvent).body.category === 'stdout') this.stdoutText += (event as DebugProtocol.OutputEvent).body.output;
        this.events.push(event);
        for (const wake of this.eventWaiters.splice(0)) wake();
      }
    });
  }

  request<R extends DebugProtocol.Response>(command: string, args?: unknown): Promise<R> {
    const seq = this.seq++;
    return new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no response to ${command}`)), REQUEST_TIMEOUT_MS);
      this.pending.set(seq, (response) => {
        clearTimeout(timer);
        resolve(response as R);
      });
      this.session.handleMessage({ seq, type: 'request', command, arguments: args } as DebugProtocol.Request);
    });
  }

  /** The first event named `name` not taken yet. */
  async nextEvent<E extends DebugProtocol.Event>(name: string): Promise<E> {
    const deadline = Date.now() + REQUEST_TIMEOUT_MS;
    for (;;) {
      const index = this.events.findIndex((event) => event.event === name);
      if (index >= 0) return this.events.splice(index, 1)[0] as E;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${name} event`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.eventWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** initialize → launch, `configure` before configurationDone (as VS Code sends breakpoints). */
  async debug(config: Record<string, unknown>, configure: () => Promise<void> = async () => undefined): Promise<void> {
    await this.request('initialize', { adapterID: 'wasi', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
    const launched = this.request('launch', { type: 'wasi', request: 'launch', name: 'prepared', program, ...config });
    await configure();
    await this.request('configurationDone');
    const response = await launched;
    assert.equal(response.success, true, response.message);
  }

  get stdoutSoFar(): string {
    return this.stdoutText;
  }

  /** Continues to the end; the exit code and everything the program wrote to stdout. */
  async continueToEnd(): Promise<{ exitCode: number; stdout: string }> {
    await this.request('continue', { threadId: 1 });
    const exited = await this.nextEvent<DebugProtocol.ExitedEvent>('exited');
    await this.nextEvent('terminated');
    return { exitCode: exited.body.exitCode, stdout: this.stdoutText };
  }

  async topFrame(): Promise<DebugProtocol.StackFrame> {
    const trace = await this.request<DebugProtocol.StackTraceResponse>('stackTrace', { threadId: 1 });
    return trace.body.stackFrames[0]!;
  }

  async end(): Promise<void> {
    await this.request('disconnect', {});
    this.session.dispose();
  }
}

test('a breakpoint set before configurationDone stops on main\'s first line, on a fresh worker and on the prepared one', { skip }, async () => {
  for (const round of ['first launch', 'standby']) {
    const preparedBefore = debugWorkerPool.preparedCount;
    const hadStandby = debugWorkerPool.hasStandby;
    const client = new InProcessClient();
    try {
      await client.debug({}, async () => {
        const placed = await client.request<DebugProtocol.SetBreakpointsResponse>('setBreakpoints', { source: { path: source }, breakpoints: [{ line: 14 }] });
        assert.equal(placed.body.breakpoints.length, 1);
      });
      const stop = await client.nextEvent<DebugProtocol.StoppedEvent>('stopped');
      assert.equal(stop.body.reason, 'breakpoint', round);
      const top = await client.topFrame();
      assert.deepEqual([top.name, top.line, top.source?.path], ['main', 14, source], round);
      if (round === 'standby') {
        assert.equal(hadStandby, true, 'the first launch left a prepared worker');
        // Taking the standby prepares exactly one more (for the next launch); no worker was booted for this one.
        assert.equal(debugWorkerPool.preparedCount, preparedBefore + 1);
      }
      assert.deepEqual(await client.continueToEnd(), { exitCode: 0, stdout: 'sum=14 total=21 DEBUG-MEMORY\n' });
    } finally {
      await client.end();
    }
  }
});

test('stopOnEntry on a prepared worker stops at main\'s first line before any output', { skip }, async () => {
  const client = new InProcessClient();
  try {
    await client.debug({ stopOnEntry: true });
    const stop = await client.nextEvent<DebugProtocol.StoppedEvent>('stopped');
    assert.equal(stop.body.reason, 'entry');
    assert.equal(client.stdoutSoFar, '', 'nothing ran before the entry stop');
    const top = await client.topFrame();
    assert.deepEqual([top.name, top.line], ['main', 14]);
    assert.deepEqual(await client.continueToEnd(), { exitCode: 0, stdout: 'sum=14 total=21 DEBUG-MEMORY\n' });
  } finally {
    await client.end();
  }
});

test('a trap on a prepared worker stops in the debugger at the dividing line', { skip }, async () => {
  const client = new InProcessClient();
  try {
    await client.debug({ program: trapProgram }, async () => {
      await client.request('setExceptionBreakpoints', { filters: ['traps'] });
    });
    const stop = await client.nextEvent<DebugProtocol.StoppedEvent>('stopped');
    assert.deepEqual([stop.body.reason, stop.body.text], ['exception', 'RuntimeError: divide by zero']);
    const top = await client.topFrame();
    assert.deepEqual([top.name, top.line], ['divide', 4]);
    assert.deepEqual(await client.continueToEnd(), { exitCode: 134, stdout: 'before\n' });
  } finally {
    await client.end();
  }
});

// The standby skips every pause: a worker paused at Node's "Break on start" made process.exit() wait for it forever.
test('a process that exits while the next debug worker is being prepared ends at once', { skip }, () => {
  const script = (i: number): string => `
    const { WasiDebugSession } = require(${JSON.stringify(sessionModule)});
    const session = new WasiDebugSession({ workspaceFolder: ${JSON.stringify(fixtures)}, hostEnv: {}, workerPath: ${JSON.stringify(workerPath)} });
    let seq = 1;
    session.onDidSendMessage((m) => {
      if (m.type === 'event' && m.event === 'output' && m.body.category === 'stdout') process.stdout.write(m.body.output);
      // When the launch ends the next launch's worker is being prepared; at 0, 250 and 500 ms it is booting, then loading its script (where
      // Node's "Break on start" would hold it). Exiting must end it either way.
      if (m.type === 'event' && m.event === 'terminated') setTimeout(() => process.exit(7), ${i * 250});
    });
    const request = (command, args) => session.handleMessage({ seq: seq++, type: 'request', command, arguments: args });
    request('initialize', { adapterID: 'wasi', pathFormat: 'path' });
    request('launch', { type: 'wasi', request: 'launch', name: 'exit', program: ${JSON.stringify(program)} });
    request('configurationDone');
  `;
  for (let i = 0; i < 3; i++) {
    const result = spawnSync(process.execPath, ['-e', script(i)], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(result.signal, null, `run ${i}: the process hung in its exit (killed by ${result.signal}); stderr: ${result.stderr}`);
    assert.equal(result.status, 7, result.stderr);
    assert.equal(result.stdout, 'sum=14 total=21 DEBUG-MEMORY\n');
  }
});

test('the standalone adapter killed while the program is paused at a breakpoint exits', { skip: adapterMissingReason() }, async () => {
  const client = new RawDapClient({ cwd: fixtures });
  try {
    await client.initialize();
    await client.launch({ program }, async () => {
      await client.request('setBreakpoints', { source: { path: source }, breakpoints: [{ line: 9 }] });
    });
    assert.equal((await client.event<DebugProtocol.StoppedEvent>('stopped')).body.reason, 'breakpoint');
  } finally {
    // SIGTERM without a disconnect, as an editor that closes does: process.exit() must not wait for the paused worker.
    const ended = client.close().then(() => 'exited');
    const verdict = await Promise.race([ended, new Promise<string>((resolve) => setTimeout(() => resolve('still running'), REQUEST_TIMEOUT_MS).unref())]);
    // A hung adapter would keep this test process alive too: end it for good before failing.
    if (verdict !== 'exited') (client as unknown as { child: { kill(signal: string): void } }).child.kill('SIGKILL');
    assert.equal(verdict, 'exited');
  }
  assert.equal(await client.exited, 0);
});
