// The DAP session: one launch of a WASI module — launch.json through the builder, the worker runtime, stdio in the Debug Console.
//
// It imports no `vscode`, so the same class runs inline in the extension host
// (vscode.DebugAdapterInlineImplementation), as the standalone stdio adapter (dist/debugAdapter.js) and in the CLI.
// Everything environment-specific (the worker path, the workspace folder, a hook for the tree view) comes in
// through the constructor.
import * as path from 'node:path';
import {
  ContinuedEvent,
  DebugSession,
  Event,
  ExitedEvent,
  InitializedEvent,
  OutputEvent,
  StoppedEvent,
  TerminatedEvent,
  Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { WasiEnvInit } from '../builder/envInit';
import type { Worker } from 'node:worker_threads';
import type { ExitInfo, SyscallTrace, WasiProcessHandle } from '../runtime/api';
import { spawnRuntimeWorker, startWasiProcess, type WasiProcessStartOptions } from '../runtime/process';
import { compileModule, type WasmModule } from '../runtime/wasmModule';
import { resolveLaunchConfig } from './launchConfig';
import { describeExit, exitCodeOf, formatTraceRecord, type WasiTraceEventBody } from './consoleText';
import { OutputPump } from './outputPump';

/** What a launch configuration resolves to (engineer A's `ResolvedLaunch`, structurally). */
export interface LaunchPlan {
  program: string;
  moduleBytes: Uint8Array;
  init: WasiEnvInit;
  stopOnEntry: boolean;
  trace: boolean;
  noDebug: boolean;
  name: string;
}

export interface LaunchContext {
  workspaceFolder?: string;
  hostEnv: Record<string, string | undefined>;
}

export type ResolveLaunch = (config: unknown, context: LaunchContext) => LaunchPlan | Promise<LaunchPlan>;
export type StartProcess = (
  init: WasiEnvInit,
  module: WasmModule | Uint8Array,
  options?: WasiProcessStartOptions,
) => WasiProcessHandle;
/** Boots a runtime worker thread ahead of time (it waits for its start message). */
export type SpawnWorker = (options: { workerPath?: string; name?: string }) => Worker;

export interface WasiDebugSessionOptions {
  /** Base for relative paths in launch.json; the standalone adapter uses its current directory. */
  workspaceFolder?: string;
  /** The host environment `inheritEnv` and `${env:…}` read; defaults to process.env. */
  hostEnv?: Record<string, string | undefined>;
  /** Absolute path of the runtime worker script; defaults to worker.js beside the running bundle. */
  workerPath?: string;
  /**
   * Where syscall trace records go: 'event' sends the custom DAP event `wasiTrace` (body: WasiTraceEventBody),
   * which the extension writes to the "WASI Trace" output channel; 'console' writes them as Debug Console lines
   * (for DAP clients that do not know the event).
   */
  traceOutput?: 'event' | 'console';
  /** Called once the module's process is running (the extension hands it to the filesystem tree view). */
  onProcessStarted?: (process: WasiProcessHandle, launch: LaunchPlan) => void;
  /**
   * Back-pressure from the DAP transport: returns a promise while the client's stream is full (the standalone
   * adapter waits for stdout's 'drain'), so a flood waits in the worker instead of piling up in this process.
   */
  outputBackpressure?: () => Promise<void> | undefined;
  /** Called once the process has ended, with how it ended. */
  onProcessEnded?: (info: ExitInfo) => void;
  /** Replace the launch.json mapping or the runtime (tests, benchmarks). */
  resolveLaunch?: ResolveLaunch;
  startProcess?: StartProcess;
  /**
   * Boots the worker thread when the launch request arrives, while the configuration is resolved and the
   * module compiled (tens of milliseconds saved before the first output). Defaults to the runtime's when the
   * runtime is not replaced; `null` disables it.
   */
  spawnWorker?: SpawnWorker | null;
}

/** The only thread: the module's main thread. */
const MAIN_THREAD_ID = 1;
/** Debug Console input that closes stdin instead of being sent as a line. */
export const EOF_REPL_INPUT = '^D';
/** The custom request that closes the guest's stdin (command `wasi-debug.sendEOF`). */
export const SEND_EOF_REQUEST = 'sendEOF';
/** Why a breakpoint stays unverified. */
export const BREAKPOINTS_UNSUPPORTED =
  'wasi-debug runs the module without source-level debugging: breakpoints are not supported yet (use "stopOnEntry": true to stop before the entry function)';
/** The custom event carrying syscall trace records. */
export const TRACE_EVENT = 'wasiTrace';
/** How long `launch` waits for `configurationDone` before starting anyway (clients that never send it). */
const CONFIGURATION_DONE_TIMEOUT_MS = 2000;
/** How long terminate/disconnect wait for the worker before answering anyway. */
const TERMINATE_TIMEOUT_MS = 3000;

/** Error ids in DAP error responses. */
const enum ErrorId {
  LaunchConfig = 3001,
  InvalidModule = 3002,
  StartFailed = 3003,
  NotRunning = 3004,
  StdinNotConsole = 3005,
  Unsupported = 3006,
}

type SessionState =
  | { kind: 'idle' }
  | { kind: 'stoppedAtEntry'; launch: LaunchPlan; module: WasmModule }
  | { kind: 'running'; launch: LaunchPlan; process: WasiProcessHandle }
  | { kind: 'ended'; launch: LaunchPlan | undefined };

export class WasiDebugSession extends DebugSession {
  private state: SessionState = { kind: 'idle' };
  private readonly options: WasiDebugSessionOptions;
  private readonly resolveLaunch: ResolveLaunch;
  private readonly startProcess: StartProcess;
  private readonly spawnWorker: SpawnWorker | undefined;
  /** A worker booted at launch, not yet handed to a process. */
  private prestartedWorker: Worker | undefined;
  private configurationDone!: Promise<void>;
  private markConfigurationDone!: () => void;
  /** Debug Console lines typed before the process started (stopOnEntry): written to stdin once it runs. */
  private stdinBeforeStart: Array<Uint8Array | 'eof'> = [];
  private readonly encoder = new TextEncoder();
  private readonly pump: OutputPump;
  private terminatedSent = false;

  constructor(options: WasiDebugSessionOptions = {}) {
    super();
    this.options = options;
    this.resolveLaunch = options.resolveLaunch ?? (resolveLaunchConfig as ResolveLaunch);
    this.startProcess = options.startProcess ?? (startWasiProcess as StartProcess);
    this.spawnWorker =
      options.spawnWorker === null ? undefined : options.spawnWorker ?? (options.startProcess ? undefined : spawnRuntimeWorker);
    this.configurationDone = new Promise((resolve) => (this.markConfigurationDone = resolve));
    this.pump = new OutputPump({
      emit: (category, text) => this.sendEvent(new OutputEvent(text, category)),
      backpressure: options.outputBackpressure,
    });
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  /** The running (or finished) process, when there is one. */
  get process(): WasiProcessHandle | undefined {
    return this.state.kind === 'running' ? this.state.process : undefined;
  }

  protected override initializeRequest(
    response: DebugProtocol.InitializeResponse,
    _args: DebugProtocol.InitializeRequestArguments,
  ): void {
    response.body = {
      ...response.body,
      supportsConfigurationDoneRequest: true,
      supportsTerminateRequest: true,
      supportsEvaluateForHovers: false,
      supportsRestartRequest: false,
      supportTerminateDebuggee: true,
    };
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  protected override configurationDoneRequest(
    response: DebugProtocol.ConfigurationDoneResponse,
    _args: DebugProtocol.ConfigurationDoneArguments,
  ): void {
    this.markConfigurationDone();
    this.sendResponse(response);
  }

  protected override async launchRequest(
    response: DebugProtocol.LaunchResponse,
    args: DebugProtocol.LaunchRequestArguments,
  ): Promise<void> {
    if (this.state.kind !== 'idle') {
      this.failRequest(response, ErrorId.StartFailed, 'wasi: this debug session has already launched a program');
      return;
    }
    this.prestartWorker(args);
    let launch: LaunchPlan;
    try {
      launch = await this.resolveLaunch(args, {
        workspaceFolder: this.options.workspaceFolder,
        hostEnv: this.options.hostEnv ?? process.env,
      });
    } catch (error) {
      this.failRequest(response, ErrorId.LaunchConfig, launchErrorMessage(error));
      this.endWithoutProcess(undefined);
      return;
    }
    let module: WasmModule;
    try {
      // Compiling here turns a truncated or corrupt module into a launch error the user sees at once.
      module = await compileModule(launch.moduleBytes);
    } catch (error) {
      this.failRequest(
        response,
        ErrorId.InvalidModule,
        `launch.json program: ${launch.program}: ${errorText(error)} — rebuild it, or point "program" at a WebAssembly module (.wasm)`,
      );
      this.endWithoutProcess(launch);
      return;
    }
    await Promise.race([this.configurationDone, delay(CONFIGURATION_DONE_TIMEOUT_MS)]);
    if (this.state.kind !== 'idle') {
      // Terminated or disconnected while we were preparing.
      this.sendResponse(response);
      return;
    }
    if (launch.stopOnEntry) {
      this.state = { kind: 'stoppedAtEntry', launch, module };
      this.sendResponse(response);
      this.sendEvent(new StoppedEvent('entry', MAIN_THREAD_ID));
      return;
    }
    if (this.startProgram(launch, module)) this.sendResponse(response);
    else this.failRequest(response, ErrorId.StartFailed, `wasi: could not start ${launch.program}`);
  }

  /** Starts the worker. Returns false (after reporting why) when it could not even be created. */
  private startProgram(launch: LaunchPlan, module: WasmModule): boolean {
    let child: WasiProcessHandle;
    try {
      const prestartedWorker = this.prestartedWorker;
      this.prestartedWorker = undefined;
      child = this.startProcess(launch.init, module, {
        name: `wasi-debug: ${launch.name}`,
        trace: launch.trace,
        // The Debug Console is interactive: like a terminal, libc then line-buffers stdout, so a prompt shows
        // before the program reads and stdout and stderr lines arrive in the order they were written.
        terminal: { stdin: true, stdout: true, stderr: true },
        ...(this.options.workerPath !== undefined ? { workerPath: this.options.workerPath } : {}),
        ...(prestartedWorker !== undefined ? { prestartedWorker } : {}),
      });
    } catch (error) {
      this.sendEvent(new OutputEvent(`wasi: could not start ${launch.program}: ${errorText(error)}\n`, 'stderr'));
      this.endWithoutProcess(launch);
      return false;
    }
    this.state = { kind: 'running', launch, process: child };
    // A returned promise holds the runtime's output drain: the worker waits while the Debug Console catches up.
    child.on('stdout', (data) => this.pump.push('stdout', data));
    child.on('stderr', (data) => this.pump.push('stderr', data));
    if (launch.trace) child.on('trace', (records) => this.reportTrace(records));
    child.on('exit', (info) => this.onExit(launch, info));
    for (const input of this.stdinBeforeStart) {
      if (input === 'eof') child.closeStdin();
      else child.writeStdin(input);
    }
    this.stdinBeforeStart = [];
    try {
      this.options.onProcessStarted?.(child, launch);
    } catch (error) {
      // A failing observer (the tree view) must not take the program down with it.
      this.sendEvent(new OutputEvent(`wasi: internal error in a process observer: ${errorText(error)}\n`, 'console'));
    }
    return true;
  }

  private reportTrace(records: SyscallTrace[]): void {
    if (records.length === 0) return;
    if (this.options.traceOutput === 'console') {
      this.pump.flush(); // keep trace lines after the output that preceded them
      this.sendEvent(new OutputEvent(records.map((r) => `[trace] ${formatTraceRecord(r)}\n`).join(''), 'console'));
    } else {
      const body: WasiTraceEventBody = { records };
      this.sendEvent(new Event(TRACE_EVENT, body));
    }
  }

  private onExit(launch: LaunchPlan, info: ExitInfo): void {
    this.pump.end();
    const { category, text } = describeExit(info);
    this.sendEvent(new OutputEvent(text, category));
    this.state = { kind: 'ended', launch };
    this.sendEvent(new ExitedEvent(exitCodeOf(info)));
    this.sendTerminatedOnce();
    try {
      this.options.onProcessEnded?.(info);
    } catch {
      // observers' failures are theirs
    }
  }

  /** The worker's name is its inspector target title: `wasi-debug: <configuration name or module file name>`. */
  private prestartWorker(args: DebugProtocol.LaunchRequestArguments): void {
    if (this.spawnWorker === undefined) return;
    const config = args as { name?: unknown; program?: unknown };
    const label =
      typeof config.name === 'string' && config.name !== ''
        ? config.name
        : typeof config.program === 'string'
          ? path.basename(config.program)
          : 'module';
    try {
      const worker = this.spawnWorker({ name: `wasi-debug: ${label}`, ...(this.options.workerPath !== undefined ? { workerPath: this.options.workerPath } : {}) });
      // Until a process adopts it, its failure is reported by the process that would have used it.
      worker.on('error', () => undefined);
      this.prestartedWorker = worker;
    } catch {
      this.prestartedWorker = undefined; // the process starts its own worker and reports any failure
    }
  }

  private discardPrestartedWorker(): void {
    const worker = this.prestartedWorker;
    this.prestartedWorker = undefined;
    if (worker !== undefined) void worker.terminate().catch(() => undefined);
  }

  private endWithoutProcess(launch: LaunchPlan | undefined): void {
    this.discardPrestartedWorker();
    this.state = { kind: 'ended', launch };
    this.sendTerminatedOnce();
  }

  private sendTerminatedOnce(): void {
    if (this.terminatedSent) return;
    this.terminatedSent = true;
    this.sendEvent(new TerminatedEvent());
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    const name = this.currentLaunch()?.name ?? 'main';
    response.body = { threads: [new Thread(MAIN_THREAD_ID, name)] };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(
    response: DebugProtocol.StackTraceResponse,
    _args: DebugProtocol.StackTraceArguments,
  ): void {
    if (this.state.kind === 'stoppedAtEntry') {
      const entry = this.state.launch.init.entryFunction;
      const frame: DebugProtocol.StackFrame = {
        id: 1,
        name: `${entry} (${path.basename(this.state.launch.program)}, not started yet)`,
        line: 0,
        column: 0,
        presentationHint: 'label',
      };
      response.body = { stackFrames: [frame], totalFrames: 1 };
    } else {
      response.body = { stackFrames: [], totalFrames: 0 };
    }
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, _args: DebugProtocol.ScopesArguments): void {
    response.body = { scopes: [] };
    this.sendResponse(response);
  }

  protected override continueRequest(
    response: DebugProtocol.ContinueResponse,
    _args: DebugProtocol.ContinueArguments,
  ): void {
    response.body = { allThreadsContinued: true };
    this.resumeFromEntry(response);
  }

  // Before the entry function runs there is no instruction to step over: a step starts the program like continue.
  protected override nextRequest(response: DebugProtocol.NextResponse, _args: DebugProtocol.NextArguments): void {
    this.resumeFromEntry(response);
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, _args: DebugProtocol.StepInArguments): void {
    this.resumeFromEntry(response);
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse, _args: DebugProtocol.StepOutArguments): void {
    this.resumeFromEntry(response);
  }

  private resumeFromEntry(response: DebugProtocol.Response): void {
    if (this.state.kind !== 'stoppedAtEntry') {
      this.sendResponse(response);
      return;
    }
    const { launch, module } = this.state;
    this.sendResponse(response);
    this.sendEvent(new ContinuedEvent(MAIN_THREAD_ID, true));
    this.startProgram(launch, module);
  }

  // The adapter runs the module and its stdio; it does not map source lines to wasm yet. Breakpoints set in a
  // source another extension contributes breakpoints for are answered honestly instead of silently ignored.
  protected override setBreakPointsRequest(
    response: DebugProtocol.SetBreakpointsResponse,
    args: DebugProtocol.SetBreakpointsArguments,
  ): void {
    response.body = {
      breakpoints: (args.breakpoints ?? []).map((breakpoint) => ({
        verified: false,
        line: breakpoint.line,
        message: BREAKPOINTS_UNSUPPORTED,
      })),
    };
    this.sendResponse(response);
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse, _args: DebugProtocol.PauseArguments): void {
    this.failRequest(
      response,
      ErrorId.Unsupported,
      'wasi: pausing a running module is not supported in this session — use "stopOnEntry": true to stop before the entry function',
    );
  }

  protected override evaluateRequest(
    response: DebugProtocol.EvaluateResponse,
    args: DebugProtocol.EvaluateArguments,
  ): void {
    if (args.context !== 'repl') {
      this.failRequest(response, ErrorId.Unsupported, 'wasi: expressions can only be typed in the Debug Console (they become stdin)', false);
      return;
    }
    const launch = this.currentLaunch();
    if (this.state.kind === 'idle' || this.state.kind === 'ended' || launch === undefined) {
      this.failRequest(response, ErrorId.NotRunning, 'wasi: the program is not running, so there is no stdin to send this line to');
      return;
    }
    const stdin = launch.init.stdin;
    if (stdin.kind !== 'console') {
      this.failRequest(
        response,
        ErrorId.StdinNotConsole,
        `wasi: stdin comes from ${describeStdin(stdin)} (launch.json "stdin"), so Debug Console input is not sent to the program — set "stdin": "console" to type input`,
      );
      return;
    }
    if (args.expression === EOF_REPL_INPUT) this.sendEof();
    else this.sendStdin(this.encoder.encode(args.expression + '\n'));
    response.body = { result: '', variablesReference: 0 };
    this.sendResponse(response);
  }

  protected override customRequest(command: string, response: DebugProtocol.Response, _args: unknown): void {
    if (command !== SEND_EOF_REQUEST) {
      super.customRequest(command, response, _args);
      return;
    }
    const launch = this.currentLaunch();
    if (this.state.kind === 'idle' || this.state.kind === 'ended' || launch === undefined) {
      this.failRequest(response, ErrorId.NotRunning, 'wasi: the program is not running, so there is no stdin to close');
      return;
    }
    if (launch.init.stdin.kind !== 'console') {
      this.failRequest(
        response,
        ErrorId.StdinNotConsole,
        `wasi: stdin comes from ${describeStdin(launch.init.stdin)} (launch.json "stdin"), not from the Debug Console`,
      );
      return;
    }
    this.sendEof();
    this.sendResponse(response);
  }

  private sendStdin(bytes: Uint8Array): void {
    if (this.state.kind === 'running') this.state.process.writeStdin(bytes);
    else this.stdinBeforeStart.push(bytes);
  }

  private sendEof(): void {
    this.sendEvent(new OutputEvent('wasi: end of input (EOF) sent to stdin\n', 'console'));
    if (this.state.kind === 'running') this.state.process.closeStdin();
    else this.stdinBeforeStart.push('eof');
  }

  protected override async terminateRequest(
    response: DebugProtocol.TerminateResponse,
    _args: DebugProtocol.TerminateArguments,
  ): Promise<void> {
    await this.stopProgram();
    this.sendResponse(response);
  }

  protected override async disconnectRequest(
    response: DebugProtocol.DisconnectResponse,
    _args: DebugProtocol.DisconnectArguments,
  ): Promise<void> {
    await this.stopProgram();
    this.sendResponse(response);
    // The standalone adapter exits (inline in the extension host this does nothing).
    this.shutdown();
  }

  /** VS Code disposes an inline adapter when the session goes away, even without a disconnect: never leave a worker behind. */
  override dispose(): void {
    this.discardPrestartedWorker();
    if (this.state.kind === 'running') void this.state.process.terminate().catch(() => undefined);
    super.dispose();
  }

  /** Ends the program (if any) promptly; the 'exit' handler reports it. */
  private async stopProgram(): Promise<void> {
    switch (this.state.kind) {
      case 'running': {
        const child = this.state.process;
        await Promise.race([child.terminate().catch(() => undefined), delay(TERMINATE_TIMEOUT_MS)]);
        return;
      }
      case 'idle':
      case 'stoppedAtEntry':
        this.endWithoutProcess(this.currentLaunch());
        return;
      case 'ended':
        return;
    }
  }

  private currentLaunch(): LaunchPlan | undefined {
    switch (this.state.kind) {
      case 'idle':
        return undefined;
      case 'stoppedAtEntry':
      case 'running':
      case 'ended':
        return this.state.launch;
    }
  }

  private failRequest(response: DebugProtocol.Response, id: ErrorId, message: string, showUser = true): void {
    // The text goes in a variable so that braces in a path or a message are never read as placeholders.
    this.sendErrorResponse(response, { id, format: '{_message}', variables: { _message: message }, showUser });
  }
}

/** The text shown when launch.json cannot be turned into a run: A's errors already name the field and the fix. */
function launchErrorMessage(error: unknown): string {
  const text = errorText(error);
  return /launch\.json/.test(text) ? text : `launch.json: ${text}`;
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

function describeStdin(stdin: WasiEnvInit['stdin']): string {
  switch (stdin.kind) {
    case 'console':
      return 'the Debug Console';
    case 'none':
      return 'nowhere (immediate end of input)';
    case 'file':
      return `the file ${stdin.hostPath}`;
    case 'bytes':
      return 'the configured text';
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
