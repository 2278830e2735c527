// DAP tests of the standalone adapter (node dist/debugAdapter.js) with DebugClient: output, stdio, lifecycle, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { adapterMissingReason, fixture, runToEnd, withClient } from './harness';

const skip = adapterMissingReason();

test('hello: stdout and stderr reach the console as their categories, UTF-8 and ANSI intact, then the exit line', { skip }, async () => {
  const client = await runToEnd({ program: fixture('hello.wasm') });
  assert.equal(client.text('stdout'), 'hello from wasi\nhéllo ✓ 😀 \x1b[31mred\x1b[0m\n');
  assert.equal(client.text('stderr'), 'a line on stderr\n');
  assert.match(client.text('console'), /^wasi: program exited with code 0\n$/m);
  assert.equal(client.exitCode, 0);
  // stdout before the exit line: the exit line is the last output event.
  assert.deepEqual(client.outputs.at(-1), { category: 'console', output: 'wasi: program exited with code 0\n' });
});

test('a relative program path resolves against the adapter directory; noDebug runs the same', { skip }, async () => {
  const client = await runToEnd({ program: 'hello.wasm', noDebug: true });
  assert.match(client.text('stdout'), /^hello from wasi\n/);
  assert.equal(client.exitCode, 0);
});

test('the standalone adapter expands ${workspaceFolder} (its current directory) and ${env:…}', { skip }, async () => {
  const client = await runToEnd(
    { program: '${workspaceFolder}/inspect.wasm', args: ['${env:WASI_DAP_TEST_WORD}'] },
    { env: { WASI_DAP_TEST_WORD: 'expanded' } },
  );
  assert.match(client.text('stdout'), /^arg\[1\]=expanded$/m);
  await withClient(async (failing) => {
    await assert.rejects(failing.launch({ program: '${command:pickWasmFile}' }), /launch\.json program: \$\{command:pickWasmFile\} can only be expanded by VS Code/);
  });
});

test('args, argv0, env, envFile and a mounted directory reach the guest', { skip }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wasi-dap-'));
  try {
    mkdirSync(path.join(dir, 'sub'));
    writeFileSync(path.join(dir, 'sub', 'rel.txt'), 'relative file\n');
    writeFileSync(path.join(dir, 'greeting.txt'), 'mounted file\n');
    const envFile = path.join(dir, 'vars.env');
    writeFileSync(envFile, '# a comment\nFROM_FILE=from the env file\n');
    const client = await runToEnd({
      program: fixture('inspect.wasm'),
      argv0: 'inspector',
      args: ['one', 'two words', '@/data/greeting.txt', '@/data/sub/rel.txt'],
      env: { GREETING: 'hi there', EMPTY: '' },
      envFile,
      preopens: [{ host: dir, guest: '/data', read: true, write: false, create: false }],
    });
    assert.equal(
      client.text('stdout'),
      [
        'arg[0]=inspector',
        'arg[1]=one',
        'arg[2]=two words',
        'arg[3]=@/data/greeting.txt',
        'arg[4]=@/data/sub/rel.txt',
        'env GREETING=hi there',
        'env EMPTY=',
        'env FROM_FILE=from the env file',
        'env PWD=(unset)',
        'cwd=/',
        'file /data/greeting.txt: mounted file',
        'file /data/sub/rel.txt: relative file',
        '',
      ].join('\n'),
    );
    assert.equal(client.exitCode, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// WASI preview1 has no current-directory call: wasi-libc starts in "/" whatever the runtime says
// (docs/launch-json.md). What reaches the guest is PWD (and the directory, created in its filesystem).
test('cwd: the guest gets it as PWD; wasi-libc itself starts in /', { skip }, async () => {
  const client = await runToEnd({ program: fixture('inspect.wasm'), cwd: '/tmp/work' });
  assert.match(client.text('stdout'), /^env PWD=\/tmp\/work$/m);
  assert.match(client.text('stdout'), /^cwd=\/$/m);
  assert.equal(client.exitCode, 0);
});

test('Debug Console input is stdin, line by line; the sendEOF request ends it', { skip }, async () => {
  await withClient(async (client) => {
    await client.launch({ program: fixture('echo.wasm') });
    await client.waitForOutput('stdout', 'ready\n');
    await client.dc.evaluateRequest({ expression: 'first line', context: 'repl' });
    await client.waitForOutput('stdout', 'echo: first line\n');
    await client.dc.evaluateRequest({ expression: 'ünïcödé ✓', context: 'repl' });
    await client.waitForOutput('stdout', 'echo: ünïcödé ✓\n');
    await client.dc.customRequest('sendEOF');
    await client.waitForTerminated();
    assert.equal(client.text('stdout'), 'ready\necho: first line\necho: ünïcödé ✓\neof after 2 lines\n');
    assert.match(client.text('console'), /wasi: end of input \(EOF\) sent to stdin\n/);
    assert.equal(client.exitCode, 0);
  });
});

test('typing ^D alone in the Debug Console sends EOF', { skip }, async () => {
  await withClient(async (client) => {
    await client.launch({ program: fixture('echo.wasm') });
    await client.waitForOutput('stdout', 'ready\n');
    await client.dc.evaluateRequest({ expression: 'only', context: 'repl' });
    await client.dc.evaluateRequest({ expression: '^D', context: 'repl' });
    await client.waitForTerminated();
    assert.equal(client.text('stdout'), 'ready\necho: only\neof after 1 lines\n');
  });
});

test('stdin from text: the guest reads it, and console input is refused with the reason', { skip }, async () => {
  await withClient(async (client) => {
    await client.launch({ program: fixture('echo.wasm'), stdin: { text: 'a\nb\n' } });
    await client.waitForTerminated();
    assert.equal(client.text('stdout'), 'ready\necho: a\necho: b\neof after 2 lines\n');
    await assert.rejects(client.dc.evaluateRequest({ expression: 'x', context: 'repl' }), /not running/);
  });
});

test('stdin from a file: console input is refused while it runs, naming launch.json "stdin"', { skip }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wasi-dap-'));
  try {
    const input = path.join(dir, 'in.txt');
    writeFileSync(input, 'from file\n');
    await withClient(async (client) => {
      await client.launch({ program: fixture('echo.wasm'), stdin: { file: input } });
      await client.waitForTerminated();
      assert.equal(client.text('stdout'), 'ready\necho: from file\neof after 1 lines\n');
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('stdin "none" reads end of input at once', { skip }, async () => {
  const client = await runToEnd({ program: fixture('echo.wasm'), stdin: 'none' });
  assert.equal(client.text('stdout'), 'ready\neof after 0 lines\n');
});

for (const code of [0, 3, 255]) {
  test(`exit code ${code} is the ExitedEvent code and a readable line`, { skip }, async () => {
    const client = await runToEnd({ program: fixture('exitcode.wasm'), args: [String(code)] });
    assert.equal(client.text('stdout'), `exiting with ${code}\n`);
    assert.equal(client.exitCode, code);
    assert.match(client.text('console'), new RegExp(`^wasi: program exited with code ${code}\\n$`, 'm'));
  });
}

test('a trap prints its kind and the wasm stack with function names, and exits 134', { skip }, async () => {
  const client = await runToEnd({ program: fixture('trap.wasm') });
  assert.equal(client.text('stdout'), 'about to trap\n');
  const stderr = client.text('stderr');
  assert.match(stderr, /^wasi: program trapped: .*unreachable/m);
  // Innermost first: crash_here, then call_crash, then main.
  const frames = stderr.split('\n').filter((line) => line.startsWith('    at '));
  assert.ok(frames.length >= 3, `at least three frames in ${JSON.stringify(stderr)}`);
  assert.match(frames[0]!, /crash_here/);
  assert.match(frames[1]!, /call_crash/);
  assert.match(frames[2]!, /main/);
  assert.match(stderr, /wasi: program exited with code 134 \(trap\)\n$/);
  assert.equal(client.exitCode, 134);
});

// A pure-wasm loop never yields to the worker's event loop, so only an end from outside stops it. The bounds are
// "does not hang" on a loaded machine (a wall-clock limit like 2 s failed by timing luck, not by a bug); what
// proves the worker really ended is the order of what the client sees.
test('terminate inside an infinite loop ends the session: the program is ended, exited 137, then terminated', { skip }, async () => {
  await withClient(async (client) => {
    await client.launch({ program: fixture('loop.wasm') });
    await client.waitForOutput('stdout', 'spinning\n');
    await client.dc.terminateRequest({});
    await client.waitForTerminated(20_000);
    assert.match(client.text('console'), /wasi: program terminated\n/);
    assert.equal(client.exitCode, 137);
  });
});

test('disconnect inside an infinite loop ends the worker before it answers', { skip }, async () => {
  await withClient(async (client) => {
    await client.launch({ program: fixture('loop.wasm') });
    await client.waitForOutput('stdout', 'spinning\n');
    let terminatedBeforeAnswer = false;
    // Recorded as the event is dispatched (messages are handled in arrival order), not after a promise chain.
    client.dc.once('terminated', () => (terminatedBeforeAnswer = true));
    await client.dc.disconnectRequest({ terminateDebuggee: true });
    // The disconnect response waits for the worker's end (up to its own 3 s limit): an answer without the exit
    // report first means the worker outlived the request.
    assert.equal(terminatedBeforeAnswer, true, 'terminated came before the disconnect response');
    assert.match(client.text('console'), /wasi: program terminated\n/);
    assert.equal(client.exitCode, 137);
  });
});

test('two sessions at once: each gets its own input and output', { skip }, async () => {
  await withClient(async (echo) => {
    await withClient(async (flood) => {
      await Promise.all([echo.launch({ program: fixture('echo.wasm') }), flood.launch({ program: fixture('flood.wasm'), args: ['20000'] })]);
      await echo.waitForOutput('stdout', 'ready\n');
      await echo.dc.evaluateRequest({ expression: 'for echo only', context: 'repl' });
      await echo.waitForOutput('stdout', 'echo: for echo only\n');
      await flood.waitForTerminated();
      await echo.dc.customRequest('sendEOF');
      await echo.waitForTerminated();
      assert.equal(echo.text('stdout'), 'ready\necho: for echo only\neof after 1 lines\n');
      const lines = flood.text('stdout').split('\n');
      assert.equal(lines.length, 20001);
      assert.equal(lines[19999], 'line 19999');
      assert.equal(flood.exitCode, 0);
      assert.equal(echo.exitCode, 0);
    });
  });
});

test('a flood of 1,000,000 lines arrives complete and in order', { skip, timeout: 120_000 }, async () => {
  // Generous on a shared, loaded machine: this checks completeness and order, not speed (that is bench/dap.bench.mjs).
  const client = await runToEnd({ program: fixture('flood.wasm') }, { terminatedWithinMs: 100_000 });
  let expected = '';
  const hash = createHash('sha256');
  for (let i = 0; i < 1_000_000; i += 10_000) {
    expected = '';
    for (let j = i; j < i + 10_000; j++) expected += `line ${j}\n`;
    hash.update(expected);
  }
  const stdout = client.text('stdout');
  assert.equal(stdout.length, 11_888_890, 'total characters');
  assert.equal(createHash('sha256').update(stdout).digest('hex'), hash.digest('hex'));
  const events = client.outputs.filter((o) => o.category === 'stdout').length;
  assert.ok(events < 2000, `batched into ${events} output events`);
  assert.equal(client.exitCode, 0);
});

test('stdout and stderr interleaved line by line keep their order across the two categories', { skip }, async () => {
  const client = await runToEnd({ program: fixture('mixed.wasm'), args: ['2000'] });
  const lines = client.outputs
    .filter((o) => o.category === 'stdout' || o.category === 'stderr')
    .flatMap((o) => o.output.split('\n').filter(Boolean).map((line) => `${o.category}:${line}`));
  const expected = Array.from({ length: 2000 }, (_, i) => (i % 2 === 0 ? `stdout:out ${i}` : `stderr:err ${i}`));
  assert.deepEqual(lines, expected);
});

test('stopOnEntry stops before main runs; continue runs it', { skip }, async () => {
  await withClient(async (client) => {
    await client.launch({ program: fixture('hello.wasm'), stopOnEntry: true });
    const stopped = (await client.waitForEvent('stopped')) as DebugProtocol.StoppedEvent;
    assert.equal(stopped.body.reason, 'entry');
    assert.equal(stopped.body.threadId, 1);
    const threads = await client.dc.threadsRequest();
    assert.equal(threads.body.threads.length, 1);
    const stack = await client.dc.stackTraceRequest({ threadId: 1 });
    // A debug launch stops in the running module: hello.wasm (-O2, no DWARF for hello.c) at the first instruction of
    // __original_main, which absorbed main.
    assert.match(stack.body.stackFrames[0]!.name, /^__original_main @ 0x[0-9a-f]+$/);
    assert.match(stack.body.stackFrames[0]!.instructionPointerReference ?? '', /^0x[0-9a-f]+$/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(client.text('stdout'), '', 'nothing ran before continue');
    await client.dc.continueRequest({ threadId: 1 });
    await client.waitForTerminated();
    assert.match(client.text('stdout'), /^hello from wasi\n/);
    assert.equal(client.exitCode, 0);
  });
});

test('trace: true sends the syscalls as wasiTrace events', { skip }, async () => {
  await withClient(async (client) => {
    await client.launch({ program: fixture('hello.wasm'), trace: true });
    await client.waitForTerminated();
    const records = client.events
      .filter((e) => e.event === 'wasiTrace')
      .flatMap((e) => (e.body as { records: Array<{ name: string; result: string }> }).records);
    assert.ok(records.some((r) => r.name === 'fd_write'), `fd_write among ${records.map((r) => r.name).join(',')}`);
    assert.ok(records.some((r) => r.name === 'proc_exit' || r.name === 'fd_write'));
  });
});

test('trace: true with WASI_DEBUG_TRACE_TO_CONSOLE=1 prints trace lines in the console', { skip }, async () => {
  const client = await runToEnd({ program: fixture('hello.wasm'), trace: true }, { env: { WASI_DEBUG_TRACE_TO_CONSOLE: '1' } });
  assert.match(client.text('console'), /^\[trace\] fd_write\(.*\) → .* \d+(\.\d+)?(µs|ms)$/m);
  assert.equal(client.events.filter((e) => e.event === 'wasiTrace').length, 0);
});

// ---- every kind of bad configuration fails the launch with a message that names the field ----

interface BadConfig {
  title: string;
  config: Record<string, unknown>;
  message: RegExp;
}

const badConfigs: BadConfig[] = [
  { title: 'missing program', config: {}, message: /launch\.json program/ },
  { title: 'program does not exist', config: { program: fixture('nope.wasm') }, message: /launch\.json program.*nope\.wasm/ },
  { title: 'program is not wasm', config: { program: fixture('not-wasm.wasm') }, message: /launch\.json program.*not.*WebAssembly/i },
  { title: 'program is truncated', config: { program: fixture('truncated.wasm') }, message: /launch\.json program.*truncated/i },
  { title: 'env key with "="', config: { program: fixture('hello.wasm'), env: { 'HOM=E': 'x' } }, message: /launch\.json env.*HOM=E/ },
  { title: 'args not strings', config: { program: fixture('hello.wasm'), args: [1, 2] }, message: /launch\.json args/ },
  { title: 'preopen host missing', config: { program: fixture('hello.wasm'), preopens: [{ host: '/definitely/not/here', guest: '/x', read: true }] }, message: /launch\.json preopens.*\/definitely\/not\/here/ },
  { title: 'envFile missing', config: { program: fixture('hello.wasm'), envFile: '/no/such/.env' }, message: /launch\.json envFile/ },
  { title: 'stdin of an unknown kind', config: { program: fixture('hello.wasm'), stdin: 'keyboard' }, message: /launch\.json stdin/ },
  { title: 'stdin file missing', config: { program: fixture('hello.wasm'), stdin: { file: '/no/such/input.txt' } }, message: /launch\.json stdin/ },
  { title: 'cwd not absolute text', config: { program: fixture('hello.wasm'), cwd: 42 }, message: /launch\.json cwd/ },
];

for (const bad of badConfigs) {
  test(`bad configuration (${bad.title}): the launch fails, shown to the user, naming the field`, { skip }, async () => {
    await withClient(async (client) => {
      let failure: unknown;
      try {
        await client.launch(bad.config);
      } catch (error) {
        failure = error;
      }
      assert.ok(failure instanceof Error, 'the launch request failed');
      assert.match(failure.message, bad.message);
      await client.waitForTerminated(5000);
    });
  });
}
