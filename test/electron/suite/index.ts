// Runs inside a desktop VS Code started by @vscode/test-electron: the real-VS-Code scenarios through the VS Code API.
//
// The examples workspace copy is open (see test/e2e/electron.test.mjs). A debug adapter tracker records
// what the wasi adapter sends (output, exited, failed launch), so each scenario asserts exact text.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

/** Must match test/e2e/workspaceCopy.mjs. */
const BROKEN_CONFIGURATION_NAME = 'broken on purpose: env key with "="';
const BROKEN_CONFIGURATION_MESSAGE = 'launch.json env: key "HOM=E" contains "=" — rename the variable';
const SCENARIO_TIMEOUT_MS = 60_000;

/** What one debug session sent, as seen by the tracker. */
interface SessionRecord {
  session: vscode.DebugSession;
  /** Every output event in arrival order; stdout and stderr also on their own, since the two streams may interleave. */
  output: string;
  stdout: string;
  stderr: string;
  exitCode?: number;
  launchError?: string;
  /** The reason of the last 'stopped' event (a debug launch pauses on breakpoints and traps). */
  stoppedReason?: string;
  ended: boolean;
}

interface AdapterMessage {
  type?: string;
  event?: string;
  command?: string;
  success?: boolean;
  message?: string;
  body?: { output?: string; category?: string; exitCode?: number; reason?: string; error?: { format?: string; variables?: Record<string, string> } };
}

const records: SessionRecord[] = [];

function recordFor(session: vscode.DebugSession): SessionRecord {
  let record = records.find((r) => r.session.id === session.id);
  if (!record) {
    record = { session, output: '', stdout: '', stderr: '', ended: false };
    records.push(record);
  }
  return record;
}

function errorText(message: AdapterMessage): string {
  const format = message.body?.error?.format;
  if (!format) return message.message ?? '';
  return format.replace(/\{(\w+)\}/g, (_, name: string) => message.body?.error?.variables?.[name] ?? `{${name}}`);
}

function watchSessions(): vscode.Disposable[] {
  return [
    vscode.debug.registerDebugAdapterTrackerFactory('wasi', {
      createDebugAdapterTracker(session) {
        const record = recordFor(session);
        return {
          onDidSendMessage(raw: unknown) {
            const message = raw as AdapterMessage;
            if (message.type === 'event' && message.event === 'output') {
              const text = message.body?.output ?? '';
              record.output += text;
              if (message.body?.category === 'stdout') record.stdout += text;
              if (message.body?.category === 'stderr') record.stderr += text;
            }
            if (message.type === 'event' && message.event === 'exited') record.exitCode = message.body?.exitCode;
            if (message.type === 'event' && message.event === 'stopped') record.stoppedReason = message.body?.reason;
            if (message.type === 'response' && message.command === 'launch' && message.success === false) record.launchError = errorText(message);
          },
        };
      },
    }),
    vscode.debug.onDidTerminateDebugSession((session) => { recordFor(session).ended = true; }),
  ];
}

async function waitUntil<T>(check: () => T | undefined | false, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the examples workspace is open');
  return folder;
}

/** Starts a launch configuration by name and returns its record once the session exists. */
async function start(name: string, options: vscode.DebugSessionOptions = {}): Promise<SessionRecord> {
  const before = records.length;
  // Not awaited: for a failed launch VS Code may keep the promise open while it shows its error dialog.
  void vscode.debug.startDebugging(workspaceFolder(), name, options);
  return waitUntil(() => records.slice(before).find((r) => r.session.name === name), 30_000, `a debug session for "${name}"`);
}

async function ended(record: SessionRecord, timeoutMs = 30_000): Promise<void> {
  await waitUntil(() => record.ended, timeoutMs, `the end of "${record.session.name}"; output so far:\n${record.output}`);
}

async function outputMatches(record: SessionRecord, pattern: RegExp, timeoutMs = 30_000): Promise<void> {
  await waitUntil(() => pattern.test(record.output), timeoutMs, `${pattern} in the output of "${record.session.name}"`)
    .catch((e: Error) => { throw new Error(`${e.message}; it printed:\n${record.output}`); });
}

const scenarios: Array<[string, () => Promise<void>]> = [
  ['F5 on hello: output and the exit code', async () => {
    const run = await start('hello (C)');
    await ended(run);
    assert.equal(run.stdout, "Hello from WebAssembly!\nThis line came from a WASI module running in VS Code's extension host.\n");
    assert.equal(run.stderr, '(and this one went to stderr)\n');
    assert.match(run.output, /wasi: program exited with code 0\n/);
    assert.equal(run.exitCode, 0);
  }],
  ['echo: Debug Console lines are echoed; Send EOF ends the program', async () => {
    const run = await start('echo: type into the Debug Console');
    await outputMatches(run, /Type a line in the Debug Console/);
    await run.session.customRequest('evaluate', { expression: 'first line', context: 'repl' });
    await outputMatches(run, /echo 1: first line\n/);
    await run.session.customRequest('evaluate', { expression: 'second line, with ümlauts', context: 'repl' });
    await outputMatches(run, /echo 2: second line, with ümlauts\n/);
    assert.equal(run.ended, false, 'still waiting for input');
    await vscode.commands.executeCommand('wasi-debug.sendEOF');
    await ended(run);
    assert.match(run.output, /EOF after 2 lines\. Bye!\n/);
    assert.equal(run.exitCode, 0);
  }],
  ['files: the written files are readable through wasi-vfs: after the run', async () => {
    const run = await start('files: see them in the WASI Filesystem view');
    await ended(run);
    assert.equal(run.exitCode, 0);
    const uri = (guestPath: string) => vscode.Uri.from({ scheme: 'wasi-vfs', authority: run.session.id, path: guestPath });
    const notes = (await vscode.workspace.fs.readDirectory(uri('/notes'))).map(([name, type]) => `${name}:${type}`).sort();
    assert.deepEqual(notes, [`drafts:${vscode.FileType.Directory}`, `hello.txt:${vscode.FileType.File}`, `shopping.md:${vscode.FileType.File}`]);
    const bytes = await vscode.workspace.fs.readFile(uri('/notes/hello.txt'));
    assert.equal(Buffer.from(bytes).toString('utf8'), 'Hello from the WASI filesystem!\n');
    const document = await vscode.workspace.openTextDocument(uri('/numbers.csv'));
    await vscode.window.showTextDocument(document);
    assert.equal(document.lineAt(0).text, 'n,square');
    assert.equal(document.lineAt(10).text, '10,100');
  }],
  ['Stop during an infinite loop ends the session', async () => {
    const run = await start('infinite loop: try Stop');
    await outputMatches(run, /Spinning forever/);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(run.ended, false);
    const stopAt = Date.now();
    await vscode.debug.stopDebugging(run.session);
    await ended(run, 15_000);
    console.log(`    session ended ${Date.now() - stopAt} ms after Stop`);
    assert.match(run.output, /wasi: program terminated\n/);
    assert.doesNotMatch(run.output, /exited with code/);
  }],
  ['Run Without Debugging runs the WAT example', async () => {
    const run = await start('countdown (WebAssembly text)', { noDebug: true });
    await ended(run);
    assert.equal(run.stdout, '5\n4\n3\n2\n1\nLiftoff!\n');
    assert.equal(run.exitCode, 0);
  }],
  ['args, env and a read-only mounted folder reach the program', async () => {
    const run = await start('args and env, with a mounted folder');
    await ended(run);
    assert.match(run.output, /argc = 4\nargv\[0\] = "args"\nargv\[1\] = "first"\nargv\[2\] = "two words"\nargv\[3\] = "--flag=3"\n/);
    assert.match(run.output, /GREETING=hello\n/);
    assert.match(run.output, /\/data\/message\.txt says: This file lives on the host/);
    assert.match(run.output, /writing into \/data is refused/);
  }],
  ['the bug example stops at the trap in the debugger, then ends with a readable message', async () => {
    const run = await start('Debug the bug (off-by-one that traps)');
    await waitUntil(() => run.stoppedReason, 30_000, 'the debugger to stop at the trap');
    assert.equal(run.stoppedReason, 'exception');
    await run.session.customRequest('continue', { threadId: 1 });
    await ended(run);
    assert.match(run.output, /average of scores\[4\.\.4\] = 100\n/);
    assert.match(run.output, /wasi: program trapped: .*divide by zero/i);
    assert.match(run.output, /at average_from \(wasm-function\[\d+\]/, 'the wasm stack names the function that trapped');
    assert.notEqual(run.exitCode, 0);
  }],
  ['the Rust example runs with its args and env', async () => {
    const run = await start('hello (Rust)');
    await ended(run);
    assert.equal(run.stdout, 'Hello from Rust on WASI!\ncalled as "hello.wasm" with 2 argument(s)\n  arg 1: from\n  arg 2: launch.json\nGREETING = hi from launch.json\n');
    assert.equal(run.exitCode, 0);
  }],
  // Last: VS Code answers a failed launch with a modal dialog that nothing here can close.
  ['a configuration with a bad field fails the launch with a clear error', async () => {
    const run = await start(BROKEN_CONFIGURATION_NAME);
    await waitUntil(() => run.launchError, 30_000, 'the failed launch response');
    assert.equal(run.launchError, BROKEN_CONFIGURATION_MESSAGE);
    assert.equal(run.stdout, '', 'no program ran');
  }],
];

/** Entry point called by VS Code's test host; rejects when any scenario failed. */
export async function run(): Promise<void> {
  const subscriptions = watchSessions();
  const failures: string[] = [];
  try {
    for (const [title, body] of scenarios) {
      const t0 = Date.now();
      try {
        await Promise.race([body(), new Promise((_, reject) => setTimeout(() => reject(new Error(`scenario timed out after ${SCENARIO_TIMEOUT_MS / 1000}s`)), SCENARIO_TIMEOUT_MS))]);
        console.log(`  ✔ ${title} (${Date.now() - t0} ms)`);
      } catch (e) {
        failures.push(`${title}: ${(e as Error).message}`);
        console.log(`  ✖ ${title} (${Date.now() - t0} ms)\n${(e as Error).stack ?? e}`);
      } finally {
        for (const r of records) if (!r.ended) await vscode.debug.stopDebugging(r.session);
      }
    }
  } finally {
    for (const s of subscriptions) s.dispose();
  }
  console.log(`  ${scenarios.length - failures.length} passed, ${failures.length} failed`);
  if (failures.length > 0) throw new Error(`${failures.length} scenario(s) failed:\n${failures.join('\n')}`);
}
