// Real debugging through the standalone adapter: C line breakpoints with exact variables, stepping, the call stack,
// pause in a hot loop, memory, instruction breakpoints and disassembly, terminate while paused, and noDebug.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { adapterMissingReason, repoRoot, RecordingClient } from './harness';
import { BREAKPOINTS_NO_DEBUG, WasiDebugSession } from '../../src/debug/session';
import { workerInspector } from '../../src/debug/inspector/workerInspector';
import { readModuleLayout } from '../../src/debug/dwarf/wasmSections';

const skip = adapterMissingReason();
const fixtures = path.join(repoRoot, 'test', 'fixtures', 'debugging');
const program = path.join(fixtures, 'debugme.wasm');
const plainProgram = path.join(fixtures, 'nodebug.wasm');
const source = path.join(fixtures, 'debugme.c');

/** A client whose stopped events queue up, so none is missed between requests. */
class DebuggingClient extends RecordingClient {
  private readonly stops: DebugProtocol.StoppedEvent[] = [];
  private readonly stopWaiters: Array<(event: DebugProtocol.StoppedEvent) => void> = [];
  readonly changedBreakpoints: DebugProtocol.Breakpoint[] = [];

  constructor() {
    super();
    this.dc.on('stopped', (event: DebugProtocol.StoppedEvent) => {
      const waiter = this.stopWaiters.shift();
      if (waiter) waiter(event);
      else this.stops.push(event);
    });
    this.dc.on('breakpoint', (event: DebugProtocol.BreakpointEvent) => void this.changedBreakpoints.push(event.body.breakpoint));
  }

  nextStop(timeoutMs = 15_000): Promise<DebugProtocol.StoppedEvent> {
    const queued = this.stops.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no stopped event')), timeoutMs);
      this.stopWaiters.push((event) => {
        clearTimeout(timer);
        resolve(event);
      });
    });
  }

  /** initialize → launch, with `configure` (breakpoints) run between `initialized` and configurationDone. */
  async debug(config: Record<string, unknown>, configure: () => Promise<void> = async () => undefined): Promise<void> {
    const initialized = this.dc.waitForEvent('initialized');
    const launched = this.dc.launch({ type: 'wasi', request: 'launch', name: 'debugme', program, ...config });
    await initialized;
    await configure();
    await this.dc.configurationDoneRequest();
    await launched;
  }

  async top(): Promise<DebugProtocol.StackFrame[]> {
    return (await this.dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
  }

  async variablesOf(frameId: number, scopeName: string): Promise<Record<string, string>> {
    const scopes = (await this.dc.scopesRequest({ frameId })).body.scopes;
    const scope = scopes.find((s) => s.name === scopeName);
    assert.ok(scope, `scope ${scopeName} among ${scopes.map((s) => s.name).join(', ')}`);
    const variables = (await this.dc.variablesRequest({ variablesReference: scope.variablesReference })).body.variables;
    return Object.fromEntries(variables.map((v) => [v.name, v.value]));
  }
}

async function withDebugger(body: (client: DebuggingClient) => Promise<void>): Promise<void> {
  const client = new DebuggingClient();
  await client.start();
  try {
    await body(client);
  } finally {
    await client.stop();
  }
}

const where = (frame: DebugProtocol.StackFrame | undefined): string => `${frame?.name}:${frame?.source ? `${path.basename(frame.source.path ?? '')}:${frame.line}` : ''}`;

test('a C line breakpoint stops in square() with exact variables; step over goes to the next line; the stack names main', { skip }, async () => {
  await withDebugger(async (client) => {
    let placed: DebugProtocol.Breakpoint[] = [];
    await client.debug({}, async () => {
      const response = await client.dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [{ line: 9 }, { line: 18 }] });
      placed = response.body.breakpoints;
    });
    // Sent before the launch read the module: pending, then verified by breakpoint events (line 18 has no code: 19).
    const resolved = (id: number | undefined) => client.changedBreakpoints.filter((b) => b.id === id).at(-1) ?? placed.find((b) => b.id === id);
    let stop = await client.nextStop();
    assert.equal(stop.body.reason, 'breakpoint');
    assert.deepEqual(stop.body.hitBreakpointIds, [placed[0]!.id]);
    assert.deepEqual([resolved(placed[0]!.id)?.verified, resolved(placed[0]!.id)?.line], [true, 9]);
    assert.deepEqual([resolved(placed[1]!.id)?.verified, resolved(placed[1]!.id)?.line], [true, 19]);

    const frames = await client.top();
    assert.deepEqual(frames.slice(0, 2).map(where), ['square:debugme.c:9', 'main:debugme.c:17']);
    assert.equal(frames[0]!.source?.path, source);
    assert.match(frames[0]!.instructionPointerReference ?? '', /^0x[0-9a-f]+$/);
    assert.ok(frames.some((f) => f.name.startsWith('_start @ 0x')), 'frames without source show the function and offset');

    assert.deepEqual(await client.variablesOf(frames[0]!.id, 'Locals'), { value: '1', result: '0' });
    assert.deepEqual(await client.variablesOf(frames[1]!.id, 'Locals'), { argc: '1', argv: (await client.variablesOf(frames[1]!.id, 'Locals'))['argv'], count: '3', sum: '0', i: '1' });
    assert.equal((await client.variablesOf(frames[0]!.id, 'Wasm Locals'))['$var0'], '1');
    assert.equal((await client.variablesOf(frames[0]!.id, 'Globals'))['message'], '"DEBUG-MEMORY"');

    const watch = await client.dc.evaluateRequest({ expression: 'value', frameId: frames[0]!.id, context: 'watch' });
    assert.deepEqual([watch.body.result, watch.body.type], ['1', 'int']);
    const hover = await client.dc.evaluateRequest({ expression: 'count', frameId: frames[1]!.id, context: 'hover' });
    assert.equal(hover.body.result, '3');
    const repl = await client.dc.evaluateRequest({ expression: 'message[1]', frameId: frames[0]!.id, context: 'repl' });
    assert.equal(repl.body.result, "69 'E'");
    // A C value's memoryReference is its address: reading there gives its bytes.
    const whole = await client.dc.evaluateRequest({ expression: 'message', frameId: frames[0]!.id, context: 'watch' });
    assert.ok(whole.body.memoryReference);
    const at = await client.dc.customRequest('readMemory', { memoryReference: whole.body.memoryReference, count: 5 });
    assert.equal(Buffer.from(at.body.data, 'base64').toString(), 'DEBUG');
    assert.equal(parseInt(repl.body.memoryReference ?? '', 16), parseInt(whole.body.memoryReference!, 16) + 1);

    await client.dc.nextRequest({ threadId: 1 });
    stop = await client.nextStop();
    assert.equal(stop.body.reason, 'step');
    assert.equal(where((await client.top())[0]), 'square:debugme.c:10');
    const afterStep = await client.top();
    assert.deepEqual(await client.variablesOf(afterStep[0]!.id, 'Locals'), { value: '1', result: '1' });

    await client.dc.continueRequest({ threadId: 1 });
    stop = await client.nextStop();
    assert.equal(stop.body.reason, 'breakpoint');
    assert.deepEqual(await client.variablesOf((await client.top())[0]!.id, 'Locals'), { value: '2', result: '1' });

    await client.dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [{ line: 19 }] });
    await client.dc.continueRequest({ threadId: 1 });
    stop = await client.nextStop();
    assert.equal(where((await client.top())[0]), 'main:debugme.c:19');
    assert.equal((await client.variablesOf((await client.top())[0]!.id, 'Locals'))['sum'], '14');

    await client.dc.continueRequest({ threadId: 1 });
    await client.waitForTerminated();
    assert.equal(client.text('stdout'), 'sum=14 total=21 DEBUG-MEMORY\n');
    assert.equal(client.exitCode, 0);
  });
});

test('stopOnEntry stops at main\'s first line; step in enters square() past its prologue, step out returns', { skip }, async () => {
  await withDebugger(async (client) => {
    await client.debug({ stopOnEntry: true });
    assert.equal((await client.nextStop()).body.reason, 'entry');
    assert.equal(where((await client.top())[0]), 'main:debugme.c:14');
    for (const line of [15, 16, 17]) {
      await client.dc.nextRequest({ threadId: 1 });
      assert.equal((await client.nextStop()).body.reason, 'step');
      assert.equal(where((await client.top())[0]), `main:debugme.c:${line}`);
    }
    await client.dc.stepInRequest({ threadId: 1 });
    await client.nextStop();
    assert.deepEqual((await client.top()).slice(0, 2).map(where), ['square:debugme.c:9', 'main:debugme.c:17']);
    await client.dc.stepOutRequest({ threadId: 1 });
    await client.nextStop();
    assert.equal(where((await client.top())[0]), 'main:debugme.c:17');
    assert.equal(client.text('stdout'), '', 'nothing printed yet');
    await client.dc.continueRequest({ threadId: 1 });
    await client.waitForTerminated();
    assert.equal(client.exitCode, 0);
  });
});

test('pause lands in the infinite loop; readMemory matches the C global; terminate while paused ends the program', { skip }, async (t) => {
  const dump = spawnSync('llvm-dwarfdump-14', ['--debug-info', program], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const address = /DW_AT_name\t\("message"\)[\s\S]*?DW_OP_addr (0x[0-9a-f]+)/.exec(dump.stdout ?? '')?.[1];
  if (!address) return t.skip('llvm-dwarfdump-14 is not installed (the oracle for the address of `message`)');
  await withDebugger(async (client) => {
    await client.debug({ args: ['spin'] });
    await client.waitForOutput('stdout', 'sum=14');
    // The output comes before strcmp() decides to spin, so a pause may land in strcmp on a slow machine:
    // resume and pause again until the loop is reached (it always is). Bounded by wall time, not by a count of
    // short runs: on a starved machine 50 × 20 ms may all pass before the worker gets a slice of CPU.
    let top = '';
    for (let attempt = 0, deadline = Date.now() + 30_000; top !== 'main:debugme.c:23' && Date.now() < deadline; attempt++) {
      if (attempt > 0) {
        await client.dc.continueRequest({ threadId: 1 });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await client.dc.pauseRequest({ threadId: 1 });
      const stop = await client.nextStop();
      assert.equal(stop.body.reason, 'pause');
      top = where((await client.top())[0]);
    }
    assert.equal(top, 'main:debugme.c:23');
    const memory = await client.dc.customRequest('readMemory', { memoryReference: address, count: 16 });
    assert.equal(memory.body.address, address);
    assert.deepEqual(Buffer.from(memory.body.data, 'base64'), Buffer.from('DEBUG-MEMORY\0\0\0\0'));
    const offset = await client.dc.customRequest('readMemory', { memoryReference: address, offset: 6, count: 6 });
    assert.equal(Buffer.from(offset.body.data, 'base64').toString(), 'MEMORY');
    // "Promptly" means it does not hang (a worker paused in the debugger never ends by itself): a generous bound,
    // and the exit report the client gets proves the program was ended rather than resumed.
    await client.dc.terminateRequest({});
    await client.waitForTerminated(20_000);
    assert.match(client.text('console'), /wasi: program terminated\n/);
    assert.equal(client.exitCode, 137);
  });
});

test('without DWARF: instruction breakpoints, disassembly around the stop, instruction steps', { skip }, async () => {
  const layout = readModuleLayout(new Uint8Array(readFileSync(plainProgram)));
  const square = layout.functions.find((f) => f.name === 'square')!;
  await withDebugger(async (client) => {
    await client.debug({ program: plainProgram, stopOnEntry: true });
    assert.equal((await client.nextStop()).body.reason, 'entry');
    const [entry] = await client.top();
    assert.match(entry!.name, /^main @ 0x[0-9a-f]+$/);
    const listing = await client.dc.customRequest('disassemble', { memoryReference: entry!.instructionPointerReference, instructionOffset: -2, instructionCount: 6 });
    const instructions = listing.body.instructions as DebugProtocol.DisassembledInstruction[];
    assert.equal(instructions.length, 6);
    assert.equal(instructions[2]!.address, entry!.instructionPointerReference);
    assert.equal(instructions[2]!.symbol, 'main');
    const placed = await client.dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: `0x${square.codeStart.toString(16)}` }] });
    assert.deepEqual(placed.body.breakpoints.map((b: DebugProtocol.Breakpoint) => [b.verified, b.instructionReference]), [[true, `0x${square.codeStart.toString(16)}`]]);
    await client.dc.continueRequest({ threadId: 1 });
    const stop = await client.nextStop();
    assert.equal(stop.body.reason, 'instruction breakpoint');
    const [top] = await client.top();
    assert.equal(top!.name, `square @ 0x${square.codeStart.toString(16)}`);
    const next = (await client.dc.customRequest('disassemble', { memoryReference: top!.instructionPointerReference, instructionOffset: 1, instructionCount: 1 })).body.instructions[0];
    await client.dc.nextRequest({ threadId: 1, granularity: 'instruction' });
    await client.nextStop();
    assert.equal((await client.top())[0]!.instructionPointerReference, next.address);
    await client.dc.customRequest('setInstructionBreakpoints', { breakpoints: [] });
    await client.dc.continueRequest({ threadId: 1 });
    await client.waitForTerminated();
    assert.equal(client.text('stdout'), 'sum=14 total=21 DEBUG-MEMORY\n');
  });
});

test('pause while the program waits for stdin; the Debug Console evaluates while paused and is stdin again after continue', { skip }, async () => {
  await withDebugger(async (client) => {
    await client.debug({ program: path.join(repoRoot, 'test', 'fixtures', 'dap', 'echo.wasm') });
    await client.waitForOutput('stdout', 'ready\n');
    await client.dc.pauseRequest({ threadId: 1 });
    assert.equal((await client.nextStop()).body.reason, 'pause');
    const frames = await client.top();
    assert.ok(frames.length > 0 && frames.every((f) => / @ 0x[0-9a-f]+/.test(f.name)), frames.map((f) => f.name).join(' < '));
    const answer = await client.dc.evaluateRequest({ expression: '6 * 7', frameId: frames[0]!.id, context: 'repl' });
    assert.equal(answer.body.result, '42');
    await client.dc.continueRequest({ threadId: 1 });
    await client.dc.evaluateRequest({ expression: 'hello', context: 'repl' });
    await client.waitForOutput('stdout', 'echo: hello\n');
    assert.equal(client.text('stdout'), 'ready\necho: hello\n', 'the expression typed while paused never reached stdin');
    await client.dc.customRequest('sendEOF');
    await client.waitForTerminated();
    assert.equal(client.exitCode, 0);
  });
});

test('a trap stops at its C line with the trap as the exception; continue reports it; the filter turns it off', { skip }, async () => {
  const trapProgram = path.join(fixtures, 'trapme.wasm');
  await withDebugger(async (client) => {
    await client.debug({ program: trapProgram }, async () => {
      await client.dc.setExceptionBreakpointsRequest({ filters: ['traps'] });
    });
    const stop = await client.nextStop();
    assert.equal(stop.body.reason, 'exception');
    assert.equal(stop.body.text, 'RuntimeError: divide by zero');
    const frames = await client.top();
    assert.deepEqual(frames.slice(0, 2).map(where), ['divide:trapme.c:4', 'main:trapme.c:11']);
    assert.deepEqual(await client.variablesOf(frames[0]!.id, 'Locals'), { a: '10', b: '0' });
    const info = await client.dc.customRequest('exceptionInfo', { threadId: 1 });
    assert.deepEqual([info.body.exceptionId, info.body.description, info.body.breakMode], ['trap', 'RuntimeError: divide by zero', 'always']);
    await client.dc.continueRequest({ threadId: 1 });
    await client.waitForTerminated();
    assert.equal(client.exitCode, 134);
    assert.match(client.text('stderr') + client.text('console'), /divide by zero/);
  });
  await withDebugger(async (client) => {
    await client.debug({ program: trapProgram }, async () => {
      await client.dc.setExceptionBreakpointsRequest({ filters: [] });
    });
    await client.waitForTerminated();
    assert.equal(client.events.filter((e) => e.event === 'stopped').length, 0);
    assert.equal(client.exitCode, 134);
  });
});

test('noDebug: breakpoints are ignored with the reason and the program runs through', { skip }, async () => {
  await withDebugger(async (client) => {
    let placed: DebugProtocol.Breakpoint[] = [];
    await client.debug({ noDebug: true }, async () => {
      placed = (await client.dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [{ line: 9 }] })).body.breakpoints;
    });
    await client.waitForTerminated();
    assert.equal(client.events.filter((e) => e.event === 'stopped').length, 0);
    const final = client.changedBreakpoints.filter((b) => b.id === placed[0]!.id).at(-1);
    assert.deepEqual([final?.verified, final?.message], [false, BREAKPOINTS_NO_DEBUG]);
    assert.equal(client.text('stdout'), 'sum=14 total=21 DEBUG-MEMORY\n');
  });
});

test('Run Without Debugging never opens an inspector session (a debug launch does)', async () => {
  const runInProcess = async (config: Record<string, unknown>): Promise<string> => {
    const session = new WasiDebugSession({ workspaceFolder: fixtures, workerPath: path.join(repoRoot, 'out', 'src', 'runtime', 'worker.js') });
    const sent: DebugProtocol.ProtocolMessage[] = [];
    session.onDidSendMessage((message) => sent.push(message as DebugProtocol.ProtocolMessage));
    let seq = 1;
    const send = (command: string, args?: unknown) => session.handleMessage({ seq: seq++, type: 'request', command, arguments: args } as DebugProtocol.Request);
    send('initialize', { adapterID: 'wasi' });
    send('launch', { type: 'wasi', request: 'launch', name: 'in-process', program, ...config });
    send('configurationDone');
    const ended = () => sent.some((m) => (m as DebugProtocol.Event).event === 'terminated');
    for (const deadline = Date.now() + 30_000; !ended() && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 25));
    session.dispose();
    assert.ok(ended(), `the ${config.noDebug ? 'noDebug' : 'debug'} launch ended within 30 s`);
    return sent
      .filter((m): m is DebugProtocol.OutputEvent => (m as DebugProtocol.Event).event === 'output' && (m as DebugProtocol.OutputEvent).body.category === 'stdout')
      .map((m) => m.body.output)
      .join('');
  };
  const before = workerInspector.opened;
  assert.equal(await runInProcess({ noDebug: true }), 'sum=14 total=21 DEBUG-MEMORY\n');
  assert.equal(workerInspector.opened, before, 'noDebug opened no inspector session');
  assert.equal(await runInProcess({}), 'sum=14 total=21 DEBUG-MEMORY\n');
  assert.equal(workerInspector.opened, before + 1, 'the debug launch did');
});
