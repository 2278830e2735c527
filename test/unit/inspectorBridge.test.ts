// The inspector bridge against a real runtime worker: breakpoints, stepping, frames, locals, memory, pause, terminate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { startWasiProcess } from '../../src/runtime/process';
import type { WasiProcess } from '../../src/runtime/wasiProcess';
import { workerInspector } from '../../src/debug/inspector/workerInspector';
import { WasmDebugger, type StoppedInfo } from '../../src/debug/inspector/wasmDebugger';
import { readModuleLayout } from '../../src/debug/dwarf/wasmSections';
import { testInit } from './runtimeTestSupport';

const fixtures = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'debugging');
const source = path.join(fixtures, 'debugme.c');
const debugBytes = new Uint8Array(readFileSync(path.join(fixtures, 'debugme.wasm')));
const plainBytes = new Uint8Array(readFileSync(path.join(fixtures, 'nodebug.wasm')));
let titles = 0;

interface Run {
  debuggee: WasmDebugger;
  process: WasiProcess;
  stdout: string[];
  nextStop(): Promise<StoppedInfo>;
  where(): Promise<string[]>;
  end(): Promise<void>;
}

async function debugRun(bytes: Uint8Array, setup: (debuggee: WasmDebugger) => Promise<void> | void, options: { stopOnEntry?: boolean; args?: string[] } = {}): Promise<Run> {
  const title = `wasi-debug: bridge test ${++titles}`;
  const claim = await workerInspector.expectWorker(title);
  const debuggee = new WasmDebugger();
  debuggee.useModule(bytes, path.join(fixtures, 'debugme.wasm'));
  await setup(debuggee);
  const stops: StoppedInfo[] = [];
  const waiting: Array<(stop: StoppedInfo) => void> = [];
  debuggee.on('stopped', (stop: StoppedInfo) => (waiting.length ? waiting.shift()!(stop) : stops.push(stop)));
  const child = startWasiProcess(testInit({ args: options.args ?? ['debugme'] }), bytes, { name: title });
  const stdout: string[] = [];
  child.on('stdout', (data) => void stdout.push(Buffer.from(data).toString()));
  await debuggee.attach(await claim.attached, { stopOnEntry: options.stopOnEntry === true, entryFunction: '_start' });
  return {
    debuggee,
    process: child,
    stdout,
    // A stop that never comes fails after a generous 20 s instead of hanging the whole suite.
    nextStop: () =>
      stops.length
        ? Promise.resolve(stops.shift()!)
        : new Promise((resolve, reject) => {
            const timer = setTimeout(() => {
              waiting.splice(waiting.indexOf(take), 1);
              reject(new Error('no stopped event within 20 s'));
            }, 20_000);
            const take = (stop: StoppedInfo) => {
              clearTimeout(timer);
              resolve(stop);
            };
            waiting.push(take);
          }),
    where: async () => (await debuggee.frames()).map((f) => (f.source ? `${f.name}:${f.source.line}` : f.name)),
    end: async () => {
      debuggee.releaseForTermination();
      await child.terminate();
      claim.release();
    },
  };
}

test('a line breakpoint in square() stops with the argument in $var0, once per call', async () => {
  const run = await debugRun(debugBytes, async (d) => {
    const [placed] = await d.setSourceBreakpoints(source, [{ line: 9 }]);
    assert.deepEqual(placed, { id: placed!.id, verified: true, line: 9 });
  });
  try {
    for (const expected of ['1', '2', '3']) {
      const stop = await run.nextStop();
      assert.equal(stop.reason, 'breakpoint');
      assert.equal(stop.hitBreakpointIds.length, 1);
      assert.deepEqual((await run.where()).slice(0, 2), ['square:9', 'main:17']);
      const scopes = await run.debuggee.scopes(0);
      assert.deepEqual(scopes.map((scope) => scope.name), ['Locals', 'Globals', 'Wasm Locals', 'Wasm Globals', 'Wasm Stack']);
      const cLocals = await run.debuggee.variables(scopes[0]!.variablesReference);
      const { memoryReference, ...valueVariable } = cLocals[0]!;
      assert.deepEqual(valueVariable, { name: 'value', value: expected, type: 'int', variablesReference: 0 });
      assert.match(memoryReference ?? '', /^0x[0-9a-f]+$/, 'a C variable has its address');
      assert.equal(cLocals[1]!.name, 'result');
      const wasmLocals = await run.debuggee.variables(scopes[2]!.variablesReference);
      assert.deepEqual(wasmLocals[0], { name: '$var0', value: expected, type: 'i32', variablesReference: 0 });
      assert.deepEqual(await run.debuggee.evaluate('$var0', 0), { result: expected, type: 'i32', variablesReference: 0 });
      await run.debuggee.continue();
    }
    assert.deepEqual(await run.process.exited, { kind: 'exit', code: 0 });
    assert.equal(run.stdout.join(''), 'sum=14 total=21 DEBUG-MEMORY\n');
  } finally {
    await run.end();
  }
});

test('stopOnEntry stops on main\'s first line; steps go line by line, into square() and out again', async () => {
  const run = await debugRun(debugBytes, () => undefined, { stopOnEntry: true });
  try {
    assert.equal((await run.nextStop()).reason, 'entry');
    assert.equal((await run.where())[0], 'main:14');
    const lines: string[] = [];
    for (let i = 0; i < 3; i++) {
      await run.debuggee.stepOver();
      assert.equal((await run.nextStop()).reason, 'step');
      lines.push((await run.where())[0]!);
    }
    assert.deepEqual(lines, ['main:15', 'main:16', 'main:17']);
    await run.debuggee.stepIn();
    await run.nextStop();
    assert.deepEqual((await run.where()).slice(0, 2), ['square:9', 'main:17'], 'the prologue (line 8) is stepped over');
    await run.debuggee.stepOut();
    await run.nextStop();
    assert.equal((await run.where())[0], 'main:17');
    assert.equal((await run.where()).length, (await run.debuggee.frames()).length);
    await run.debuggee.continue();
    assert.deepEqual(await run.process.exited, { kind: 'exit', code: 0 });
  } finally {
    await run.end();
  }
});

test('memory reads see the C global `message` at its DWARF address', async (t) => {
  const dump = spawnSync('llvm-dwarfdump-14', ['--debug-info', path.join(fixtures, 'debugme.wasm')], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const address = /DW_AT_name\t\("message"\)[\s\S]*?DW_OP_addr (0x[0-9a-f]+)/.exec(dump.stdout ?? '')?.[1];
  if (!address) return t.skip('llvm-dwarfdump-14 is not installed (apt-get install llvm-14)');
  const run = await debugRun(debugBytes, () => undefined, { stopOnEntry: true });
  try {
    await run.nextStop();
    const read = await run.debuggee.readMemory(parseInt(address, 16), 16);
    assert.deepEqual(Buffer.from(read.data), Buffer.from('DEBUG-MEMORY\0\0\0\0'));
    assert.equal(read.memorySize % 65536, 0);
    const end = await run.debuggee.readMemory(read.memorySize - 4, 16);
    assert.equal(end.data.length, 4, 'a read past the end of memory is cut short');
    const scopes = await run.debuggee.scopes(0);
    const wasmGlobals = scopes.find((scope) => scope.name === 'Wasm Globals')!;
    const stackPointer = (await run.debuggee.variables(wasmGlobals.variablesReference)).find((v) => v.name === '$__stack_pointer');
    assert.equal(stackPointer?.type, 'i32');
    const cGlobals = await run.debuggee.variables(scopes.find((scope) => scope.name === 'Globals')!.variablesReference);
    assert.deepEqual(cGlobals.map((v) => [v.name, v.value, v.type]), [['total', '7', 'int'], ['message', '"DEBUG-MEMORY"', 'char[16]']]);
    const letters = await run.debuggee.variables(cGlobals[1]!.variablesReference);
    assert.deepEqual(letters.slice(0, 2).map((v) => v.value), ["68 'D'", "69 'E'"]);
    assert.deepEqual(await run.debuggee.evaluate('message[4]', 0), { result: "71 'G'", type: 'char', variablesReference: 0, memoryReference: `0x${(parseInt(address, 16) + 4).toString(16)}` });
  } finally {
    await run.end();
  }
});

test('pause lands in the spinning loop; terminate while paused ends the worker', { timeout: 120_000 }, async () => {
  const run = await debugRun(debugBytes, () => undefined, { args: ['debugme', 'spin'] });
  try {
    for (const deadline = Date.now() + 30_000; run.stdout.join('') === ''; ) {
      assert.ok(Date.now() < deadline, 'the program printed within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // The output comes before strcmp() decides to spin, so a pause may land in strcmp on a slow machine:
    // resume and pause again until the loop is reached (it always is). Bounded by wall time, not by a count of
    // short runs: on a starved machine 50 × 20 ms may all pass before the worker gets a slice of CPU.
    let top = '';
    for (let attempt = 0, deadline = Date.now() + 30_000; top !== 'main:23' && Date.now() < deadline; attempt++) {
      if (attempt > 0) {
        await run.debuggee.continue();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await run.debuggee.pause();
      const stop = await run.nextStop();
      assert.equal(stop.reason, 'pause');
      top = (await run.where())[0]!;
    }
    assert.equal(top, 'main:23');
    // A worker paused in the debugger never ends by itself: terminate() returning at all is the point (the test's
    // own timeout turns a hang into a failure); a wall-clock limit only measured the machine's load.
    run.debuggee.releaseForTermination();
    await run.process.terminate();
    assert.deepEqual(await run.process.exited, { kind: 'terminated' });
  } finally {
    await run.end();
  }
});

test('without DWARF for the program: instruction breakpoints, instruction steps, function names and disassembly', async () => {
  const layout = readModuleLayout(plainBytes);
  const square = layout.functions.find((f) => f.name === 'square')!;
  const run = await debugRun(plainBytes, async (d) => {
    const [placed] = await d.setSourceBreakpoints(source, [{ line: 9 }]);
    assert.equal(placed!.verified, false);
    assert.match(placed!.message!, /not built from/);
    const [instruction] = await d.setInstructionBreakpoints([{ offset: square.start }]);
    assert.deepEqual(instruction, { id: instruction!.id, verified: true, offset: square.codeStart });
  });
  try {
    const stop = await run.nextStop();
    assert.equal(stop.reason, 'instruction breakpoint');
    const [top] = (await run.debuggee.frames());
    assert.deepEqual({ name: top!.name, offset: top!.offset, source: top!.source }, { name: 'square', offset: square.codeStart, source: undefined });
    const listing = await run.debuggee.disassemble(top!.offset, 0, 3);
    assert.equal(listing[0]!.address, `0x${square.codeStart.toString(16)}`);
    assert.equal(listing[0]!.symbol, 'square');
    await run.debuggee.stepOver();
    assert.equal((await run.nextStop()).reason, 'step');
    assert.equal((await run.debuggee.frames())[0]!.offset, parseInt(listing[1]!.address, 16), 'one instruction further');
    await run.debuggee.setInstructionBreakpoints([]);
    await run.debuggee.continue();
    assert.deepEqual(await run.process.exited, { kind: 'exit', code: 0 });
  } finally {
    await run.end();
  }
});

test('a worker that is not ours runs untouched while a debug launch holds workers at start', async () => {
  const claim = await workerInspector.expectWorker('wasi-debug: never created');
  try {
    const other = new Worker('require("node:worker_threads").parentPort.postMessage(6 * 7)', { eval: true, name: 'another extension' });
    const answer = await new Promise((resolve) => other.once('message', resolve));
    assert.equal(answer, 42);
    await other.terminate();
  } finally {
    claim.release();
  }
});
