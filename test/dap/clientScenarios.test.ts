// Client scenarios against node dist/debugAdapter.js: the lifecycle and protocol flows other editors' DAP clients perform.
//
// nvim-dap, Helix, Zed, Emacs dap-mode and DebugClient each initialize differently, order configuration differently
// and send requests at awkward moments (before launch, after the end). Each scenario asserts the exact responses
// and the order of what the client sees; timing bounds are only "does not hang" (ANSWER_WITHIN_MS).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { adapterMissingReason, fixture } from './harness';
import { withRawClient, type Message, type RawDapClient } from './rawClient';
import { UNSUPPORTED_REQUESTS } from '../../src/debug/protocolSession';
import { BREAKPOINTS_NEED_PATH } from '../../src/debug/session';
import { PENDING_MESSAGE } from '../../src/debug/inspector/breakpointTable';

const skip = adapterMissingReason();

const isEvent = (name: string) => (m: Message) => m.type === 'event' && (m as DebugProtocol.Event).event === name;
const isResponse = (seq: number) => (m: Message) => m.type === 'response' && (m as DebugProtocol.Response).request_seq === seq;
const isOutput = (category: string, text: string) => (m: Message) =>
  isEvent('output')(m) && (m as DebugProtocol.OutputEvent).body.category === category && (m as DebugProtocol.OutputEvent).body.output.includes(text);

/** The exact capabilities: each one true is implemented and tested; every other is off. */
const EXPECTED_CAPABILITIES = {
  supportsConfigurationDoneRequest: true,
  supportsTerminateRequest: true,
  supportsEvaluateForHovers: true,
  supportsRestartRequest: false,
  supportTerminateDebuggee: false,
  supportsDelayedStackTraceLoading: true,
  supportsConditionalBreakpoints: true,
  supportsInstructionBreakpoints: true,
  supportsDisassembleRequest: true,
  supportsReadMemoryRequest: true,
  supportsSteppingGranularity: true,
  supportsExceptionInfoRequest: true,
};

const HELLO_STDOUT = 'hello from wasi\nhéllo ✓ 😀 \x1b[31mred\x1b[0m\n';

/** Asserts the end of a run as a client sees it: output, then the exit line, then exited, then one terminated. */
function assertRunEnded(client: RawDapClient, exitLine: string, exitCode: number): void {
  const exitLineAt = client.indexOf(isOutput('console', exitLine));
  const exitedAt = client.indexOf(isEvent('exited'));
  const terminatedAt = client.indexOf(isEvent('terminated'));
  assert.ok(exitLineAt >= 0, `the console line ${JSON.stringify(exitLine)} was sent`);
  assert.ok(exitLineAt < exitedAt && exitedAt < terminatedAt, `output (${exitLineAt}) < exited (${exitedAt}) < terminated (${terminatedAt})`);
  const programOutputAt = client.messages.flatMap((m, i) => (isEvent('output')(m) && ['stdout', 'stderr'].includes((m as DebugProtocol.OutputEvent).body.category ?? '') ? [i] : []));
  const lastProgramOutput = programOutputAt.at(-1) ?? -1;
  assert.ok(lastProgramOutput < exitedAt, 'every line of the program comes before exited');
  assert.equal(client.events<DebugProtocol.ExitedEvent>('exited')[0]!.body.exitCode, exitCode);
  assert.equal(client.events('exited').length, 1, 'one exited event');
  assert.equal(client.events('terminated').length, 1, 'one terminated event');
}

test('nvim-dap style: initialize with every client capability → our exact capabilities; `initialized` only after the response; no reverse request ever', { skip }, async () => {
  await withRawClient(async (client) => {
    const seq = client.send('initialize', {
      clientID: 'neovim',
      clientName: 'Neovim',
      adapterID: 'wasi',
      locale: 'en_US',
      pathFormat: 'path',
      linesStartAt1: true,
      columnsStartAt1: true,
      supportsVariableType: true,
      supportsVariablePaging: true,
      supportsRunInTerminalRequest: true,
      supportsMemoryReferences: true,
      supportsProgressReporting: true,
      supportsInvalidatedEvent: true,
      supportsStartDebuggingRequest: true,
    });
    const response = await client.response<DebugProtocol.InitializeResponse>(seq);
    await client.event('initialized');
    assert.equal(response.success, true);
    assert.ok(client.indexOf(isResponse(seq)) < client.indexOf(isEvent('initialized')), 'the initialize response comes before the initialized event');
    const { exceptionBreakpointFilters, ...capabilities } = response.body!;
    assert.deepEqual(capabilities, EXPECTED_CAPABILITIES);
    assert.deepEqual(exceptionBreakpointFilters?.map((f) => [f.filter, f.label, f.default]), [['traps', 'WebAssembly traps', true]]);

    // nvim-dap sends launch at once and configures when `initialized` arrives.
    const launched = await client.launch({ program: fixture('hello.wasm') }, async () => {
      const exceptions = await client.request('setExceptionBreakpoints', { filters: ['traps'] });
      assert.equal(exceptions.success, true);
    });
    assert.equal(launched.success, true);
    await client.event('terminated');
    assert.equal(client.output('stdout'), HELLO_STDOUT);
    assertRunEnded(client, 'wasi: program exited with code 0\n', 0);
    assert.equal(client.messages.filter((m) => m.type === 'request').length, 0, 'the adapter never asks runInTerminal or startDebugging');
  });
});

test('Helix/Zed style: initialize with only adapterID (no pathFormat, no line base) is accepted, and a launch with only "program" runs', { skip }, async () => {
  await withRawClient(async (client) => {
    const response = await client.request<DebugProtocol.InitializeResponse>('initialize', { adapterID: 'wasi-debug' });
    assert.equal(response.success, true, response.message);
    assert.equal(response.body?.supportsConfigurationDoneRequest, true);
    await client.event('initialized');
    // Helix sends its template's arguments only: no type, request or name.
    const launchSeq = client.send('launch', { program: fixture('hello.wasm') });
    assert.equal((await client.request('configurationDone')).success, true);
    assert.equal((await client.response(launchSeq)).success, true);
    await client.event('terminated');
    assert.equal(client.output('stdout'), HELLO_STDOUT);
    assertRunEnded(client, 'wasi: program exited with code 0\n', 0);
  });
});

test('initialize is accepted once; an unknown pathFormat is refused naming the choices', { skip }, async () => {
  await withRawClient(async (client) => {
    assert.equal((await client.initialize()).success, true);
    const again = await client.initialize();
    assert.equal(again.success, false);
    assert.equal(again.message, 'wasi: initialize may be sent only once per session');
    assert.equal(client.events('initialized').length, 1);
  });
  await withRawClient(async (client) => {
    const response = await client.initialize({ pathFormat: 'url' });
    assert.equal(response.success, false);
    assert.equal(response.message, 'wasi: unknown pathFormat "url" — use "path" (native paths) or "uri"');
  });
});

test('a run to the end, then terminate and disconnect: exactly one terminated; the adapter process exits 0', { skip }, async () => {
  await withRawClient(async (client) => {
    await client.initialize();
    assert.equal((await client.launch({ program: fixture('exitcode.wasm'), args: ['3'] })).success, true);
    await client.event('terminated');
    assert.equal(client.output('stdout'), 'exiting with 3\n');
    assertRunEnded(client, 'wasi: program exited with code 3\n', 3);
    assert.equal((await client.request('terminate')).success, true);
    assert.equal((await client.request('disconnect', { terminateDebuggee: true })).success, true);
    assert.equal(await client.exited, 0);
    assert.equal(client.events('terminated').length, 1, 'terminated is never repeated');
  });
});

test('a launch that fails: the error names the field, one terminated and no exited; disconnect still answers', { skip }, async () => {
  await withRawClient(async (client) => {
    await client.initialize();
    const launched = await client.launch({ program: fixture('not-wasm.wasm') });
    assert.equal(launched.success, false);
    assert.match(launched.message ?? '', /^launch\.json program: .*not-wasm\.wasm.*/);
    assert.equal((launched.body as { error?: DebugProtocol.Message } | undefined)?.error?.showUser, true);
    await client.event('terminated');
    assert.equal(client.events('exited').length, 0);
    assert.equal((await client.request('disconnect')).success, true);
    assert.equal(await client.exited, 0);
    assert.equal(client.events('terminated').length, 1);
  });
});

test('configurationDone before launch (a client that configures as soon as `initialized` arrives) runs the launch', { skip }, async () => {
  await withRawClient(async (client) => {
    await client.initialize();
    await client.event('initialized');
    assert.equal((await client.request('setBreakpoints', { source: { path: fixture('hello.c') }, breakpoints: [] })).success, true);
    assert.equal((await client.request('configurationDone')).success, true);
    const launched = await client.request('launch', { program: fixture('hello.wasm'), noDebug: true });
    assert.equal(launched.success, true);
    await client.event('terminated');
    assert.equal(client.output('stdout'), HELLO_STDOUT);
  });
});

test('a client that never sends configurationDone still gets its program run (the adapter stops waiting)', { skip }, async () => {
  await withRawClient(async (client) => {
    await client.initialize();
    const launched = await client.request('launch', { program: fixture('hello.wasm') });
    assert.equal(launched.success, true);
    await client.event('terminated');
    assert.equal(client.output('stdout'), HELLO_STDOUT);
    assertRunEnded(client, 'wasi: program exited with code 0\n', 0);
  });
});

test('attach is refused, shown to the user, saying to launch instead; the session still ends cleanly', { skip }, async () => {
  await withRawClient(async (client) => {
    await client.initialize();
    const attached = await client.request('attach', { type: 'wasi', request: 'attach', name: 'attach', processId: 1234 });
    assert.equal(attached.success, false);
    assert.equal(attached.message, `wasi: ${UNSUPPORTED_REQUESTS['attach']}`);
    assert.match(attached.message ?? '', /"request": "launch"/);
    assert.equal((attached.body as { error?: DebugProtocol.Message }).error?.showUser, true);
    assert.equal((await client.request('disconnect')).success, true);
    assert.equal(await client.exited, 0);
    assert.ok(client.events('terminated').length <= 1);
  });
});

/** Each request we do not implement, and the capability that would announce it (which must be off). */
const UNSUPPORTED: Array<[string, unknown, keyof DebugProtocol.Capabilities | undefined]> = [
  ['restart', { arguments: { program: 'hello.wasm' } }, 'supportsRestartRequest'],
  ['setFunctionBreakpoints', { breakpoints: [{ name: 'main' }] }, 'supportsFunctionBreakpoints'],
  ['stepBack', { threadId: 1 }, 'supportsStepBack'],
  ['reverseContinue', { threadId: 1 }, 'supportsStepBack'],
  ['restartFrame', { frameId: 1 }, 'supportsRestartFrame'],
  ['goto', { threadId: 1, targetId: 1 }, 'supportsGotoTargetsRequest'],
  ['gotoTargets', { source: { path: fixture('hello.c') }, line: 5 }, 'supportsGotoTargetsRequest'],
  ['stepInTargets', { frameId: 1 }, 'supportsStepInTargetsRequest'],
  ['setVariable', { variablesReference: 1, name: 'x', value: '1' }, 'supportsSetVariable'],
  ['setExpression', { expression: 'x', value: '1' }, 'supportsSetExpression'],
  ['completions', { text: 'su', column: 3 }, 'supportsCompletionsRequest'],
  ['loadedSources', {}, 'supportsLoadedSourcesRequest'],
  ['dataBreakpointInfo', { name: 'x' }, 'supportsDataBreakpoints'],
  ['setDataBreakpoints', { breakpoints: [] }, 'supportsDataBreakpoints'],
  ['writeMemory', { memoryReference: '0x10', data: 'AA==' }, 'supportsWriteMemoryRequest'],
  ['breakpointLocations', { source: { path: fixture('hello.c') }, line: 5 }, 'supportsBreakpointLocationsRequest'],
  ['cancel', { requestId: 1 }, 'supportsCancelRequest'],
  ['terminateThreads', { threadIds: [1] }, 'supportsTerminateThreadsRequest'],
  ['modules', {}, 'supportsModulesRequest'],
  ['source', { sourceReference: 7 }, undefined],
];

test('every request the adapter does not implement answers an error that says so (and what to do), and its capability is off', { skip }, async () => {
  await withRawClient(async (client) => {
    const capabilities = (await client.initialize()).body!;
    for (const [command, args, capability] of UNSUPPORTED) {
      const response = await client.request(command, args);
      assert.equal(response.success, false, `${command} fails`);
      assert.equal(response.command, command);
      assert.equal(response.message, `wasi: ${UNSUPPORTED_REQUESTS[command]}`, `${command}'s message`);
      if (capability !== undefined) assert.ok(!capabilities[capability], `${capability} is not announced`);
    }
    const unknown = await client.request('frobnicate', { x: 1 });
    assert.equal(unknown.success, false);
    assert.equal(unknown.message, 'wasi: unknown request "frobnicate" — this adapter does not implement it');
    // The session is intact: it still launches and runs.
    assert.equal((await client.launch({ program: fixture('hello.wasm'), noDebug: true })).success, true);
    await client.event('terminated');
    assert.equal(client.output('stdout'), HELLO_STDOUT);
  });
});

test('a request whose handler fails gets an error response naming it instead of a hang, and the adapter keeps serving', { skip }, async () => {
  await withRawClient(async (client) => {
    await client.initialize();
    // A malformed request (filters must be an array) makes the handler throw after it started.
    const response = await client.request('setExceptionBreakpoints', { filters: 5 });
    assert.equal(response.success, false);
    assert.match(response.message ?? '', /^wasi: internal error while handling "setExceptionBreakpoints": /);
    const threads = await client.request<DebugProtocol.ThreadsResponse>('threads');
    assert.deepEqual(threads.body.threads, [{ id: 1, name: 'main' }]);
    assert.equal(client.messages.filter((m) => m.type === 'response' && (m as DebugProtocol.Response).request_seq === response.request_seq).length, 1, 'one answer');
  });
});

test('requests before launch: threads and an empty stack answer; execution and evaluation say nothing runs yet', { skip }, async () => {
  await withRawClient(async (client) => {
    await client.initialize();
    assert.deepEqual((await client.request<DebugProtocol.ThreadsResponse>('threads')).body.threads, [{ id: 1, name: 'main' }]);
    const stack = await client.request<DebugProtocol.StackTraceResponse>('stackTrace', { threadId: 1 });
    assert.deepEqual(stack.body, { stackFrames: [], totalFrames: 0 });
    for (const [command, args] of [['continue', { threadId: 1 }], ['next', { threadId: 1 }], ['stepIn', { threadId: 1 }], ['stepOut', { threadId: 1 }], ['pause', { threadId: 1 }]] as const) {
      const response = await client.request(command, args);
      assert.equal(response.success, false, command);
      assert.equal(response.message, 'wasi: no program is running yet — send launch first', command);
    }
    const watch = await client.request('evaluate', { expression: 'x', context: 'watch' });
    assert.equal(watch.message, 'wasi: no program is running yet — send launch first (expressions are evaluated while it is paused)');
    const repl = await client.request('evaluate', { expression: 'x', context: 'repl' });
    assert.equal(repl.message, 'wasi: the program is not running, so there is no stdin to send this line to');
    const eof = await client.request('sendEOF');
    assert.equal(eof.message, 'wasi: the program is not running, so there is no stdin to close');
    assert.equal(client.events('terminated').length, 0, 'nothing ended the session');
  });
});

test('requests after the program ended answer why; a second launch is refused; terminated stays single', { skip }, async () => {
  await withRawClient(async (client) => {
    await client.initialize();
    await client.launch({ program: fixture('hello.wasm') });
    await client.event('terminated');
    assert.deepEqual((await client.request<DebugProtocol.StackTraceResponse>('stackTrace', { threadId: 1 })).body, { stackFrames: [], totalFrames: 0 });
    for (const command of ['continue', 'next', 'pause']) {
      const response = await client.request(command, { threadId: 1 });
      assert.equal(response.success, false, command);
      assert.equal(response.message, 'wasi: the program has ended — launch it again in a new session', command);
    }
    assert.equal((await client.request('evaluate', { expression: 'x', context: 'repl' })).message, 'wasi: the program is not running, so there is no stdin to send this line to');
    const again = await client.request('launch', { program: fixture('hello.wasm') });
    assert.equal(again.success, false);
    assert.equal(again.message, 'wasi: this debug session has already launched a program');
    assert.equal((await client.request('disconnect')).success, true);
    assert.equal(client.events('terminated').length, 1);
  });
});

test('no workspace from the client: a relative program and ${workspaceFolder} mean the adapter\'s directory; a missing one names the path tried', { skip }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wasi-dap-scenario-'));
  try {
    mkdirSync(path.join(dir, 'build'));
    copyFileSync(fixture('hello.wasm'), path.join(dir, 'build', 'hello.wasm'));
    for (const program of ['build/hello.wasm', './build/hello.wasm', '${workspaceFolder}/build/hello.wasm']) {
      await withRawClient(async (client) => {
        await client.initialize();
        assert.equal((await client.launch({ program, noDebug: true })).success, true, program);
        await client.event('terminated');
        assert.equal(client.output('stdout'), HELLO_STDOUT, program);
      }, { cwd: dir });
    }
    await withRawClient(async (client) => {
      await client.initialize();
      const launched = await client.launch({ program: 'build/missing.wasm' });
      assert.equal(launched.success, false);
      assert.equal(
        launched.message,
        `launch.json program: "build/missing.wasm" (${path.join(dir, 'build', 'missing.wasm')}) does not exist — build the module first, or fix the path`,
      );
    }, { cwd: dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('unknown launch fields are refused naming the field (and the likely one); VS Code\'s own and "__" fields are accepted', { skip }, async () => {
  await withRawClient(async (client) => {
    await client.initialize();
    const launched = await client.launch({ program: fixture('hello.wasm'), stopOnEntyr: true });
    assert.equal(launched.success, false);
    assert.match(launched.message ?? '', /^launch\.json stopOnEntyr: unknown field — did you mean "stopOnEntry"\?/);
  });
  await withRawClient(async (client) => {
    await client.initialize();
    const launched = await client.launch({
      program: fixture('hello.wasm'),
      __sessionId: 'abc',
      __restart: { reason: 'restart' },
      presentation: { hidden: false },
      internalConsoleOptions: 'openOnSessionStart',
    });
    assert.equal(launched.success, true, launched.message);
    await client.event('terminated');
    assert.equal(client.output('stdout'), HELLO_STDOUT);
  });
});

test('noDebug + stopOnEntry: stopped(entry) on thread 1 with a labelled frame; step and pause say why not; continue runs it', { skip }, async () => {
  await withRawClient(async (client) => {
    await client.initialize();
    assert.equal((await client.launch({ program: fixture('hello.wasm'), noDebug: true, stopOnEntry: true })).success, true);
    const stopped = await client.event<DebugProtocol.StoppedEvent>('stopped');
    assert.deepEqual([stopped.body.reason, stopped.body.threadId], ['entry', 1]);
    const stack = await client.request<DebugProtocol.StackTraceResponse>('stackTrace', { threadId: 1, startFrame: 0, levels: 20 });
    assert.deepEqual(stack.body, {
      stackFrames: [{ id: 1, name: '_start (hello.wasm, not started yet)', line: 0, column: 0, presentationHint: 'label' }],
      totalFrames: 1,
    });
    const other = await client.request('stackTrace', { threadId: 2 });
    assert.equal(other.message, 'wasi: there is no thread 2 — the module has one thread, id 1');
    assert.equal((await client.request('continue', { threadId: 1 })).success, true);
    await client.event('terminated');
    assert.equal(client.output('stdout'), HELLO_STDOUT);
    assert.ok(client.indexOf(isEvent('continued')) > client.indexOf(isEvent('stopped')));
    assertRunEnded(client, 'wasi: program exited with code 0\n', 0);
  });
  await withRawClient(async (client) => {
    await client.initialize();
    await client.launch({ program: fixture('echo.wasm'), noDebug: true });
    await client.waitForOutput('stdout', 'ready\n');
    const step = await client.request('next', { threadId: 1 });
    assert.equal(step.message, 'wasi: this session runs the module without the debugger (noDebug), so it cannot step — start a debug launch');
    const pause = await client.request('pause', { threadId: 1 });
    assert.equal(pause.message, 'wasi: this session runs the module without the debugger (noDebug), so it cannot pause — start a debug launch');
    assert.equal((await client.request('continue', { threadId: 1 })).success, true, 'continue while running is harmless');
    await client.request('sendEOF');
    await client.event('terminated');
    assert.equal(client.output('stdout'), 'ready\neof after 0 lines\n');
  });
});

test('terminate while the module runs: the console says so, exited 137 then one terminated, then disconnect', { skip }, async () => {
  await withRawClient(async (client) => {
    await client.initialize();
    await client.launch({ program: fixture('loop.wasm') });
    await client.waitForOutput('stdout', 'spinning\n');
    assert.equal((await client.request('terminate', { restart: false })).success, true);
    await client.event('terminated');
    assertRunEnded(client, 'wasi: program terminated\n', 137);
    assert.equal((await client.request('disconnect', { restart: false })).success, true);
    assert.equal(await client.exited, 0);
    assert.equal(client.events('terminated').length, 1);
  });
});

for (const args of [{ terminateDebuggee: false }, { restart: true }, {}]) {
  test(`disconnect ${JSON.stringify(args)} while the module runs ends it (it lives inside the adapter) and the adapter exits 0`, { skip }, async () => {
    await withRawClient(async (client) => {
      await client.initialize();
      await client.launch({ program: fixture('loop.wasm') });
      await client.waitForOutput('stdout', 'spinning\n');
      const response = await client.request('disconnect', args);
      assert.equal(response.success, true);
      assert.equal(await client.exited, 0);
      assertRunEnded(client, 'wasi: program terminated\n', 137);
      assert.ok(client.indexOf(isEvent('terminated')) < client.indexOf(isResponse(response.request_seq)), 'terminated before the disconnect response');
    });
  });
}

test('terminate while the launch waits for configurationDone: both answer, one terminated, and disconnect ends the adapter', { skip }, async () => {
  await withRawClient(async (client) => {
    await client.initialize();
    const launchSeq = client.send('launch', { program: fixture('echo.wasm') });
    await client.event('initialized');
    const terminated = await client.request('terminate');
    assert.equal(terminated.success, true);
    const launched = await client.response(launchSeq);
    assert.equal(launched.command, 'launch');
    await client.event('terminated');
    assert.equal((await client.request('disconnect')).success, true);
    assert.equal(await client.exited, 0);
    assert.equal(client.events('terminated').length, 1);
  });
});

test('disconnect before any launch: answered, one terminated, the adapter exits 0', { skip }, async () => {
  await withRawClient(async (client) => {
    await client.initialize();
    const response = await client.request('disconnect', { restart: false, terminateDebuggee: true });
    assert.equal(response.success, true);
    assert.equal(await client.exited, 0);
    assert.equal(client.events('terminated').length, 1);
    assert.equal(client.events('exited').length, 0, 'no program, no exit code');
  });
});

test('restart as clients emulate it without supportsRestartRequest: disconnect {restart: true}, then the same configuration in a new adapter', { skip }, async () => {
  const config = { program: fixture('echo.wasm') };
  await withRawClient(async (first) => {
    const capabilities = (await first.initialize()).body!;
    assert.equal(capabilities.supportsRestartRequest, false);
    await first.launch(config);
    await first.waitForOutput('stdout', 'ready\n');
    assert.equal((await first.request('disconnect', { restart: true })).success, true);
    assert.equal(await first.exited, 0);
    assert.equal(first.events('terminated').length, 1);
  });
  await withRawClient(async (second) => {
    await second.initialize();
    assert.equal((await second.launch({ ...config, __restart: true })).success, true);
    await second.waitForOutput('stdout', 'ready\n');
    await second.request('evaluate', { expression: 'again', context: 'repl' });
    await second.request('sendEOF');
    await second.event('terminated');
    assert.equal(second.output('stdout'), 'ready\necho: again\neof after 1 lines\n');
  });
});

test('setBreakpoints before launch: pending with the reason; old clients\' `lines` work; a source without a path says it needs one', { skip }, async () => {
  await withRawClient(async (client) => {
    await client.initialize();
    const byLines = await client.request<DebugProtocol.SetBreakpointsResponse>('setBreakpoints', { source: { path: fixture('hello.c') }, lines: [5, 7] });
    assert.deepEqual(
      byLines.body.breakpoints.map((b) => [b.verified, b.line, b.message]),
      [[false, 5, PENDING_MESSAGE], [false, 7, PENDING_MESSAGE]],
    );
    const byReference = await client.request<DebugProtocol.SetBreakpointsResponse>('setBreakpoints', { source: { name: 'generated.c', sourceReference: 3 }, breakpoints: [{ line: 4 }] });
    assert.deepEqual(byReference.body.breakpoints, [{ verified: false, line: 4, message: BREAKPOINTS_NEED_PATH }]);
  });
});
