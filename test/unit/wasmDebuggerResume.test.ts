// WasmDebugger between a resume and V8's Debugger.resumed, on a scripted CDP connection: the order of the inspector's messages is the test's, not the machine's.
//
// V8 answers Debugger.resume before it sends Debugger.resumed. On a loaded machine the session answered the
// client's continue, the client typed a Debug Console line, and the debugger — still "paused" — evaluated it as
// an expression (ReferenceError: hello is not defined) instead of sending it to stdin; a pause sent in that
// window was dropped as "already paused".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CdpConnection, CdpPausedEvent } from '../../src/debug/inspector/cdpTypes';
import { NotPausedError, WasmDebugger, type StoppedInfo } from '../../src/debug/inspector/wasmDebugger';
import { readModuleLayout } from '../../src/debug/dwarf/wasmSections';

const fixtures = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'debugging');
const program = path.join(fixtures, 'nodebug.wasm');
const bytes = new Uint8Array(readFileSync(program));
const WASM_SCRIPT = '7';

/** Answers every command with {} and sends no event by itself: the test emits V8's events when it chooses. */
class ScriptedConnection extends EventEmitter implements CdpConnection {
  readonly sent: string[] = [];
  async send<T>(method: string): Promise<T> {
    this.sent.push(method);
    return {} as T;
  }
  count(method: string): number {
    return this.sent.filter((m) => m === method).length;
  }
}

/** A pause V8 would report inside `square` (a wasm frame). */
function pausedInSquare(): CdpPausedEvent {
  const square = readModuleLayout(bytes).functions.find((f) => f.name === 'square')!;
  return {
    reason: 'other',
    hitBreakpoints: [],
    callFrames: [{ callFrameId: 'frame-0', functionName: '$square', url: 'wasm://wasm/nodebug', scopeChain: [], location: { scriptId: WASM_SCRIPT, lineNumber: 0, columnNumber: square.codeStart } }],
  };
}

async function pausedDebugger(): Promise<{ debuggee: WasmDebugger; connection: ScriptedConnection; nextStop(): Promise<StoppedInfo> }> {
  const debuggee = new WasmDebugger();
  debuggee.useModule(bytes, program);
  const connection = new ScriptedConnection();
  await debuggee.attach(connection, { stopOnEntry: false, entryFunction: '_start' });
  connection.emit('Debugger.scriptParsed', { scriptId: WASM_SCRIPT, url: 'wasm://wasm/nodebug', scriptLanguage: 'WebAssembly' });
  const nextStop = () => new Promise<StoppedInfo>((resolve) => debuggee.once('stopped', resolve));
  const stopped = nextStop();
  await debuggee.pause();
  connection.emit('Debugger.paused', pausedInSquare());
  assert.equal((await stopped).reason, 'pause');
  assert.equal(debuggee.isPaused, true);
  return { debuggee, connection, nextStop };
}

test('after continue is answered, before Debugger.resumed: not paused, no frames, nothing to inspect', async () => {
  const { debuggee, connection } = await pausedDebugger();
  assert.equal((await debuggee.frames()).length, 1);
  await debuggee.continue();
  assert.equal(connection.count('Debugger.resume'), 1);
  assert.equal(debuggee.isPaused, false, 'the stop is over once the resume is answered');
  assert.deepEqual(await debuggee.frames(), []);
  await assert.rejects(debuggee.scopes(0), NotPausedError);
  connection.emit('Debugger.resumed');
  assert.equal(debuggee.isPaused, false);
});

test('a pause sent before Debugger.resumed arrives is sent to V8 and its stop is reported', async () => {
  const { debuggee, connection, nextStop } = await pausedDebugger();
  await debuggee.continue();
  await debuggee.pause();
  assert.equal(connection.count('Debugger.pause'), 2, 'the second pause was not swallowed as "already paused"');
  const stopped = nextStop();
  connection.emit('Debugger.resumed');
  connection.emit('Debugger.paused', pausedInSquare());
  assert.equal((await stopped).reason, 'pause');
  assert.equal(debuggee.isPaused, true);
  assert.equal((await debuggee.frames()).length, 1);
});

test('a step answered before Debugger.resumed ends the stop too; its next stop is reported as a step', async () => {
  const { debuggee, connection, nextStop } = await pausedDebugger();
  await debuggee.stepInstruction('over');
  assert.equal(connection.count('Debugger.stepOver'), 1);
  assert.equal(debuggee.isPaused, false);
  const stopped = nextStop();
  connection.emit('Debugger.resumed');
  connection.emit('Debugger.paused', pausedInSquare());
  assert.equal((await stopped).reason, 'step');
  assert.equal(debuggee.isPaused, true);
});

test('Debugger.resumed and the next stop arriving before the resume answer is seen: the new stop stands', async () => {
  const { debuggee, connection, nextStop } = await pausedDebugger();
  const stopped = nextStop();
  // V8 answers, resumes and stops again (a breakpoint hit at once); all three are handled before continue() returns.
  connection.send = async <T>(method: string): Promise<T> => {
    connection.sent.push(method);
    if (method === 'Debugger.resume') {
      connection.emit('Debugger.resumed');
      connection.emit('Debugger.paused', pausedInSquare());
      await stopped;
    }
    return {} as T;
  };
  await debuggee.continue();
  assert.equal(debuggee.isPaused, true, 'the stop after the resume is not mistaken for the old one');
  assert.equal((await debuggee.frames()).length, 1);
});
