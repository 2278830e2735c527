// The DAP session: one launch of a WASI module — launch.json through the builder, the worker runtime, stdio in the Debug Console.
//
// A debug launch (not noDebug) runs the worker under V8's inspector through the bridge in ./inspector: breakpoints
// (source lines via DWARF, instructions), pause, stepping, frames, variables, evaluation, memory and disassembly.
// Run Without Debugging never opens an inspector session.
// It imports no `vscode`, so the same class runs inline in the extension host
// (vscode.DebugAdapterInlineImplementation), as the standalone stdio adapter (dist/debugAdapter.js) and in the CLI.
// Everything environment-specific (the worker path, the workspace folder, a hook for the tree view) comes in
// through the constructor.
import * as path from 'node:path';
import {
  BreakpointEvent,
  ContinuedEvent,
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
import { resolveLaunchConfig, type ResolvedLaunch } from './launchConfig';
import { describeExit, exitCodeOf, formatTraceRecord, type WasiTraceEventBody } from './consoleText';
import { OutputPump } from './outputPump';
import { ConfigurationWait } from './configurationWait';
import { workerInspector, type WorkerTarget } from './inspector/workerInspector';
import { debugWorkerPool, type DebugWorker } from './inspector/debugWorkerPool';
import { WasmDebugger, type FrameInfo, type StoppedInfo } from './inspector/wasmDebugger';
import type { BreakpointResult } from './inspector/breakpointTable';
import { hex, parseAddress } from './inspector/wasmValues';
import { ProtocolSession } from './protocolSession';

/** What a launch configuration resolves to. */
export type LaunchPlan = ResolvedLaunch;

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
  /**
   * Debug launches run under V8's inspector (breakpoints, stepping, variables). Defaults to on when the runtime is
   * not replaced (a scripted process has no worker to attach to).
   */
  debugging?: boolean;
  /**
   * Once a debug launch has its worker, the next debug launch's is prepared in the background (booted, under the
   * debugger; ~10 MB, let go after five idle minutes), so F5 again starts at once. Default on; the standalone adapter,
   * which serves one session per process, turns it off.
   */
  prepareNextDebugWorker?: boolean;
}

/** The only thread: the module's main thread. */
const MAIN_THREAD_ID = 1;
/** Debug Console input that closes stdin instead of being sent as a line. */
export const EOF_REPL_INPUT = '^D';
/** The custom request that closes the guest's stdin (command `wasi-debug.sendEOF`). */
export const SEND_EOF_REQUEST = 'sendEOF';
/** Why a breakpoint stays unverified. */
export const BREAKPOINTS_UNSUPPORTED =
  'this session runs the module without the debugger, so breakpoints are not bound (use "stopOnEntry": true to stop before the entry function)';
/** Why a breakpoint in a source without a path stays unverified. */
export const BREAKPOINTS_NEED_PATH = 'this source has no file path: breakpoints bind to files the module was built from (set source.path)';
/** Why breakpoints stay unverified under Run Without Debugging. */
export const BREAKPOINTS_NO_DEBUG = 'Run Without Debugging: breakpoints are ignored (start with F5 to stop at them)';
/** The exception breakpoint filter that stops on wasm traps. */
export const TRAP_FILTER = 'traps';
/** The custom event carrying syscall trace records. */
export const TRACE_EVENT = 'wasiTrace';
/**
 * How long the client may send nothing before `launch` starts without `configurationDone` (clients that never send
 * it). Counted from the client's last request or answer, not from the launch: a slow client still configuring is
 * waited for.
 */
const CONFIGURATION_QUIET_MS = 2000;
/** How long terminate/disconnect wait for the worker before answering anyway. */
const TERMINATE_TIMEOUT_MS = 3000;
/** How long a debug launch waits for its worker to appear in the inspector before running without the debugger. */
const ATTACH_TIMEOUT_MS = 5000;
/** Debug launches in this process: makes every debug worker's inspector title unique. */
let debugLaunches = 0;

/** Error ids in DAP error responses. */
const enum ErrorId {
  LaunchConfig = 3001,
  InvalidModule = 3002,
  StartFailed = 3003,
  NotRunning = 3004,
  StdinNotConsole = 3005,
  Unsupported = 3006,
  NotPaused = 3007,
  Debugger = 3008,
}

type SessionState =
  | { kind: 'idle' }
  | { kind: 'stoppedAtEntry'; launch: LaunchPlan; module: WasmModule }
  | { kind: 'running'; launch: LaunchPlan; process: WasiProcessHandle }
  | { kind: 'ended'; launch: LaunchPlan | undefined };

export class WasiDebugSession extends ProtocolSession {
  private state: SessionState = { kind: 'idle' };
  private readonly options: WasiDebugSessionOptions;
  private readonly resolveLaunch: ResolveLaunch;
  private readonly startProcess: StartProcess;
  private readonly spawnWorker: SpawnWorker | undefined;
  /** A worker booted at launch, not yet handed to a process. */
  private prestartedWorker: Worker | undefined;
  private readonly configuration = new ConfigurationWait(CONFIGURATION_QUIET_MS);
  /** Debug Console lines typed before the process started (stopOnEntry): written to stdin once it runs. */
  private stdinBeforeStart: Array<Uint8Array | 'eof'> = [];
  private readonly encoder = new TextEncoder();
  private readonly pump: OutputPump;
  private terminatedSent = false;
  private readonly debuggingEnabled: boolean;
  /** The inspector bridge; holds breakpoints from the first setBreakpoints, attached in a debug launch. */
  private readonly wasm = new WasmDebugger();
  /** This launch runs under the debugger. */
  private debugLaunch = false;
  /** A debug launch's worker title and its claim on the process-wide inspector session. */
  private workerTitle: string | undefined;
  private workerClaim: { attached: Promise<WorkerTarget>; release(): void } | undefined;
  /** A debug launch's worker from the pool (booted and under the debugger), being prepared or taken. */
  private debugWorker: Promise<DebugWorker> | undefined;
  /** The pooled worker was handed to a process (from then on the process ends it). */
  private debugWorkerAdopted = false;
  /**
   * shutdown() ran (disconnect, SIGTERM, the client gone): no worker is prepared for a next launch here — the
   * standalone adapter exits next, and inline the next launch's worker was prepared when this one took its own.
   */
  private shuttingDown = false;

  constructor(options: WasiDebugSessionOptions = {}) {
    super();
    this.options = options;
    this.resolveLaunch = options.resolveLaunch ?? (resolveLaunchConfig as ResolveLaunch);
    this.startProcess = options.startProcess ?? (startWasiProcess as StartProcess);
    this.spawnWorker =
      options.spawnWorker === null ? undefined : options.spawnWorker ?? (options.startProcess ? undefined : spawnRuntimeWorker);
    this.pump = new OutputPump({
      emit: (category, text) => this.sendEvent(new OutputEvent(text, category)),
      backpressure: options.outputBackpressure,
    });
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    this.debuggingEnabled = options.debugging ?? options.startProcess === undefined;
    this.wasm.on('stopped', (info: StoppedInfo) => this.onDebuggerStopped(info));
    this.wasm.on('breakpointChanged', (result: BreakpointResult) => this.sendEvent(new BreakpointEvent('changed', this.toClientBreakpoint(result))));
    this.wasm.on('warning', (text: string) => this.sendEvent(new OutputEvent(`${text}\n`, 'console')));
  }

  /** The running (or finished) process, when there is one. */
  get process(): WasiProcessHandle | undefined {
    return this.state.kind === 'running' ? this.state.process : undefined;
  }

  /** Every request and answer shows the client is still there: a launch waiting for configurationDone waits on. */
  protected override dispatchRequest(request: DebugProtocol.Request): void {
    this.configuration.noteActivity();
    super.dispatchRequest(request);
  }

  override sendResponse(response: DebugProtocol.Response): void {
    this.configuration.noteActivity();
    super.sendResponse(response);
  }

  protected override initializeRequest(
    response: DebugProtocol.InitializeResponse,
    _args: DebugProtocol.InitializeRequestArguments,
  ): void {
    response.body = {
      ...response.body,
      supportsConfigurationDoneRequest: true,
      supportsTerminateRequest: true,
      supportsEvaluateForHovers: this.debuggingEnabled,
      supportsRestartRequest: false,
      // disconnect always ends the module: it runs inside the adapter, so it cannot outlive the session.
      supportTerminateDebuggee: false,
      supportsDelayedStackTraceLoading: true,
      supportsConditionalBreakpoints: this.debuggingEnabled,
      supportsInstructionBreakpoints: this.debuggingEnabled,
      supportsDisassembleRequest: this.debuggingEnabled,
      supportsReadMemoryRequest: this.debuggingEnabled,
      supportsSteppingGranularity: this.debuggingEnabled,
      supportsExceptionInfoRequest: this.debuggingEnabled,
      exceptionBreakpointFilters: this.debuggingEnabled
        ? [{ filter: TRAP_FILTER, label: 'WebAssembly traps', description: 'Stop where a trap happens: unreachable, division by zero, out-of-bounds memory access, …', default: true }]
        : [],
    };
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  protected override configurationDoneRequest(
    response: DebugProtocol.ConfigurationDoneResponse,
    _args: DebugProtocol.ConfigurationDoneArguments,
  ): void {
    this.configuration.markDone();
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
    this.debugLaunch = this.debuggingEnabled && (args as { noDebug?: unknown }).noDebug !== true;
    await this.prestartWorker(args);
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
    if (this.debugLaunch) {
      try {
        this.wasm.useModule(launch.moduleBytes, launch.program);
      } catch (error) {
        this.sendEvent(new OutputEvent(`wasi: the module cannot be debugged (${errorText(error)}); running it without the debugger\n`, 'console'));
        this.wasm.disable(BREAKPOINTS_UNSUPPORTED);
      }
    } else {
      this.wasm.disable(launch.noDebug ? BREAKPOINTS_NO_DEBUG : BREAKPOINTS_UNSUPPORTED);
    }
    await this.configuration.wait();
    if (this.state.kind !== 'idle') {
      // Terminated or disconnected while we were preparing.
      this.sendResponse(response);
      return;
    }
    if (this.debugLaunch && this.debugWorker) {
      await this.launchPreparedWorker(response, launch, module);
      return;
    }
    if (this.debugLaunch && this.workerClaim) {
      // The debugger stops on entry itself (at main's first line when DWARF knows it): the program starts now.
      if (!this.startProgram(launch, module)) {
        this.failRequest(response, ErrorId.StartFailed, `wasi: could not start ${launch.program}`);
        return;
      }
      await this.attachDebugger(launch);
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
        name: this.workerTitle ?? `wasi-debug: ${launch.name}`,
        trace: launch.trace,
        // The Debug Console is interactive: like a terminal, libc then line-buffers stdout, so a prompt shows
        // before the program reads and stdout and stderr lines arrive in the order they were written.
        terminal: { stdin: true, stdout: true, stderr: true },
        ...(this.options.workerPath !== undefined ? { workerPath: this.options.workerPath } : {}),
        ...(prestartedWorker !== undefined ? { prestartedWorker } : {}),
        ...(this.workerClaim !== undefined ? { compileInWorker: launch.moduleBytes } : {}),
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
    this.releaseDebugger();
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

  /**
   * Starts the launch's worker while the configuration is resolved. A debug launch takes one from the pool
   * (debugWorkerPool: titled `wasi-debug: debug worker N`, already under the debugger). Otherwise the worker's name
   * is `wasi-debug: <configuration name or module file name>`; a debug launch without the pool (no spawnWorker)
   * adds ` [debug N]` and announces that title to the inspector before the worker exists, so it waits for the
   * debugger before running anything.
   */
  private async prestartWorker(args: DebugProtocol.LaunchRequestArguments): Promise<void> {
    const config = args as { name?: unknown; program?: unknown };
    const label =
      typeof config.name === 'string' && config.name !== ''
        ? config.name
        : typeof config.program === 'string'
          ? path.basename(config.program)
          : 'module';
    let title = `wasi-debug: ${label}`;
    if (this.debugLaunch && this.spawnWorker !== undefined) {
      // Usually ready and waiting (prepared when the previous debug launch took its own); else it boots while the
      // configuration is resolved and the module compiled.
      this.debugWorker = debugWorkerPool.take(this.spawnWorker, this.options.workerPath, { prepareNext: this.options.prepareNextDebugWorker !== false });
      this.debugWorker.catch(() => undefined);
      return;
    }
    if (this.debugLaunch) {
      title = `${title} [debug ${++debugLaunches}]`;
      try {
        this.workerClaim = await workerInspector.expectWorker(title);
        this.workerTitle = title;
      } catch (error) {
        this.sendEvent(new OutputEvent(`wasi: the V8 inspector is not available (${errorText(error)}); running without the debugger\n`, 'console'));
        this.debugLaunch = false;
        title = `wasi-debug: ${label}`;
      }
    }
    if (this.spawnWorker === undefined) return;
    try {
      const worker = this.spawnWorker({ name: title, ...(this.options.workerPath !== undefined ? { workerPath: this.options.workerPath } : {}) });
      // Until a process adopts it, its failure is reported by the process that would have used it.
      worker.on('error', () => undefined);
      this.prestartedWorker = worker;
    } catch {
      this.prestartedWorker = undefined; // the process starts its own worker and reports any failure
    }
  }

  /**
   * A debug launch on a pooled worker: breakpoints, the entry stop and the trap setting are placed first, then
   * the module starts, so a breakpoint on the first instruction it covers is hit. Without a worker (the inspector
   * is unavailable) the program runs without the debugger.
   */
  private async launchPreparedWorker(response: DebugProtocol.LaunchResponse, launch: LaunchPlan, module: WasmModule): Promise<void> {
    let prepared: DebugWorker | undefined;
    try {
      prepared = await this.debugWorker!;
    } catch (error) {
      this.debugWorker = undefined;
      this.sendEvent(new OutputEvent(`wasi: the debugger could not attach to the module's worker (${errorText(error)}); it runs without breakpoints\n`, 'console'));
      this.debugLaunch = false;
      this.wasm.disable(BREAKPOINTS_UNSUPPORTED);
    }
    if (this.state.kind !== 'idle') {
      // Terminated or disconnected while the worker was being prepared (dispose/endWithoutProcess let it go).
      this.sendResponse(response);
      return;
    }
    if (prepared) {
      const target = prepared.handOver();
      this.workerClaim = { attached: Promise.resolve(target), release: () => prepared!.release() };
      try {
        await this.wasm.attach(target, { stopOnEntry: launch.stopOnEntry, entryFunction: launch.init.entryFunction, prepared: true });
      } catch (error) {
        // The worker is gone or unusable: run the program on a fresh one, without the debugger.
        this.sendEvent(new OutputEvent(`wasi: the debugger could not attach: ${errorText(error)}; running without the debugger\n`, 'console'));
        this.releaseDebugger();
        this.debugLaunch = false;
        this.wasm.disable(BREAKPOINTS_UNSUPPORTED);
      }
      if (this.state.kind !== 'idle') {
        this.sendResponse(response);
        return;
      }
    }
    if (this.workerClaim && prepared) {
      this.prestartedWorker = prepared.worker;
      this.debugWorkerAdopted = true;
    }
    if (this.startProgram(launch, module)) this.sendResponse(response);
    else this.failRequest(response, ErrorId.StartFailed, `wasi: could not start ${launch.program}`);
  }

  private discardPrestartedWorker(): void {
    const worker = this.prestartedWorker;
    this.prestartedWorker = undefined;
    if (worker !== undefined) void worker.terminate().catch(() => undefined);
  }

  /** Waits for the worker in the inspector and hands it to the bridge, which lets it run. */
  private async attachDebugger(launch: LaunchPlan): Promise<void> {
    const claim = this.workerClaim;
    if (!claim) return;
    const target = await Promise.race([claim.attached, delay(ATTACH_TIMEOUT_MS).then(() => undefined)]);
    if (target === undefined) {
      this.sendEvent(new OutputEvent('wasi: the debugger could not attach to the module\'s worker; it runs without breakpoints\n', 'console'));
      this.debugLaunch = false;
      this.wasm.disable(BREAKPOINTS_UNSUPPORTED);
      return;
    }
    try {
      await this.wasm.attach(target, { stopOnEntry: launch.stopOnEntry, entryFunction: launch.init.entryFunction });
    } catch (error) {
      // The worker may already be gone (terminated meanwhile); make sure it is not left waiting.
      void target.send('Runtime.runIfWaitingForDebugger').catch(() => undefined);
      if (this.state.kind === 'running') this.sendEvent(new OutputEvent(`wasi: the debugger could not attach: ${errorText(error)}\n`, 'console'));
    }
  }

  /** Lets go of the inspector: a paused worker is resumed so it can end; the last debug session closes the inspector. */
  private releaseDebugger(): void {
    const pooled = this.debugWorker;
    this.debugWorker = undefined;
    if (pooled) {
      // A worker never handed to a process is ended here; either way the next debug launch's worker is prepared now.
      if (!this.debugWorkerAdopted) void pooled.then((worker) => worker.discard(), () => undefined);
      if (this.spawnWorker !== undefined && !this.shuttingDown && this.options.prepareNextDebugWorker !== false) debugWorkerPool.refill(this.spawnWorker, this.options.workerPath);
    }
    const claim = this.workerClaim;
    this.workerClaim = undefined;
    if (!claim) return;
    this.wasm.releaseForTermination();
    claim.release();
  }

  private onDebuggerStopped(info: StoppedInfo): void {
    // Output written before the stop belongs above it in the Debug Console.
    this.pump.flush();
    const event = new StoppedEvent(info.reason, MAIN_THREAD_ID, info.text) as DebugProtocol.StoppedEvent;
    event.body.allThreadsStopped = true;
    if (info.reason === 'exception') event.body.description = 'Paused on a WebAssembly trap';
    if (info.hitBreakpointIds.length > 0) event.body.hitBreakpointIds = info.hitBreakpointIds;
    this.sendEvent(event);
  }

  private endWithoutProcess(launch: LaunchPlan | undefined): void {
    this.releaseDebugger();
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

  protected override async stackTraceRequest(
    response: DebugProtocol.StackTraceResponse,
    args: DebugProtocol.StackTraceArguments,
  ): Promise<void> {
    if (this.refuseUnknownThread(response, args.threadId)) return;
    if (this.wasm.isPaused) {
      const frames = await this.wasm.frames();
      const start = Math.max(0, args.startFrame ?? 0);
      const end = args.levels ? start + args.levels : frames.length;
      response.body = { stackFrames: frames.slice(start, end).map((frame) => this.toClientFrame(frame)), totalFrames: frames.length };
    } else if (this.state.kind === 'stoppedAtEntry') {
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

  protected override async scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): Promise<void> {
    if (!this.wasm.isPaused) {
      response.body = { scopes: [] };
      this.sendResponse(response);
      return;
    }
    try {
      response.body = {
        scopes: (await this.wasm.scopes(args.frameId - 1)).map((scope) => ({
          name: scope.name,
          variablesReference: scope.variablesReference,
          expensive: scope.expensive,
          ...(scope.name === 'Locals' ? { presentationHint: 'locals' } : {}),
        })),
      };
      this.sendResponse(response);
    } catch (error) {
      this.failRequest(response, ErrorId.NotPaused, `wasi: ${errorText(error)}`, false);
    }
  }

  protected override async variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): Promise<void> {
    try {
      const all = await this.wasm.variables(args.variablesReference);
      // Paging (start/count) and the indexed/named filter, for clients that page large arrays.
      const filtered = args.filter === undefined ? all : all.filter((v) => isIndexName(v.name) === (args.filter === 'indexed'));
      const start = Math.max(0, args.start ?? 0);
      const variables = args.count ? filtered.slice(start, start + args.count) : filtered.slice(start);
      response.body = {
        variables: variables.map((v) => ({
          name: v.name,
          value: v.value,
          variablesReference: v.variablesReference,
          ...(v.type ? { type: v.type } : {}),
          ...(v.memoryReference ? { memoryReference: v.memoryReference } : {}),
        })),
      };
      this.sendResponse(response);
    } catch (error) {
      this.failRequest(response, ErrorId.Debugger, `wasi: ${errorText(error)}`, false);
    }
  }

  /** The request goes to the debugger when this launch runs under it; otherwise undefined (the old behaviour). */
  private debuggerRunning(): boolean {
    return this.debugLaunch && this.state.kind === 'running' && this.wasm.isAttached;
  }

  private async debuggerRequest(response: DebugProtocol.Response, action: () => Promise<void>): Promise<void> {
    try {
      await action();
      this.sendResponse(response);
    } catch (error) {
      this.failRequest(response, ErrorId.NotPaused, `wasi: ${errorText(error)}`, false);
    }
  }

  protected override continueRequest(
    response: DebugProtocol.ContinueResponse,
    args: DebugProtocol.ContinueArguments,
  ): void {
    if (this.refuseUnknownThread(response, args.threadId)) return;
    response.body = { allThreadsContinued: true };
    if (this.debuggerRunning()) void this.debuggerRequest(response, () => this.wasm.continue());
    else this.resumeFromEntry(response, 'continue');
  }

  // Under the debugger a step is a source line when DWARF covers the location (or the client asks for instruction
  // granularity: one wasm instruction). Without it, before the entry function runs, a step starts the program like continue.
  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    if (this.refuseUnknownThread(response, args.threadId)) return;
    if (this.debuggerRunning()) void this.debuggerRequest(response, () => (args.granularity === 'instruction' ? this.wasm.stepInstruction('over') : this.wasm.stepOver()));
    else this.resumeFromEntry(response, 'step');
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    if (this.refuseUnknownThread(response, args.threadId)) return;
    if (this.debuggerRunning()) void this.debuggerRequest(response, () => (args.granularity === 'instruction' ? this.wasm.stepInstruction('in') : this.wasm.stepIn()));
    else this.resumeFromEntry(response, 'step');
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    if (this.refuseUnknownThread(response, args.threadId)) return;
    if (this.debuggerRunning()) void this.debuggerRequest(response, () => this.wasm.stepOut());
    else this.resumeFromEntry(response, 'step');
  }

  /** The module has one thread: a request for another gets an error naming it (never a silent success). */
  private refuseUnknownThread(response: DebugProtocol.Response, threadId: number | undefined): boolean {
    if (threadId === undefined || threadId === MAIN_THREAD_ID) return false;
    this.failRequest(response, ErrorId.NotRunning, `wasi: there is no thread ${threadId} — the module has one thread, id ${MAIN_THREAD_ID}`, false);
    return true;
  }

  /** Why execution requests cannot apply now: nothing launched yet, or the program has ended. */
  private notRunningReason(): string | undefined {
    if (this.state.kind === 'idle') return 'wasi: no program is running yet — send launch first';
    if (this.state.kind === 'ended') return 'wasi: the program has ended — launch it again in a new session';
    return undefined;
  }

  private resumeFromEntry(response: DebugProtocol.Response, what: 'continue' | 'step'): void {
    if (this.state.kind !== 'stoppedAtEntry') {
      const reason = this.notRunningReason();
      if (reason !== undefined) this.failRequest(response, ErrorId.NotRunning, reason, false);
      else if (what === 'step' && !this.debugLaunch) this.failRequest(response, ErrorId.Unsupported, 'wasi: this session runs the module without the debugger (noDebug), so it cannot step — start a debug launch', false);
      else this.sendResponse(response); // running: continuing is a no-op; a step while it runs is refused by the debugger itself
      return;
    }
    const { launch, module } = this.state;
    this.sendResponse(response);
    this.sendEvent(new ContinuedEvent(MAIN_THREAD_ID, true));
    this.startProgram(launch, module);
  }

  // The adapter runs the module and its stdio; it does not map source lines to wasm yet. Breakpoints set in a
  // source another extension contributes breakpoints for are answered honestly instead of silently ignored.
  protected override async setBreakPointsRequest(
    response: DebugProtocol.SetBreakpointsResponse,
    args: DebugProtocol.SetBreakpointsArguments,
  ): Promise<void> {
    const sourcePath = args.source?.path === undefined ? undefined : this.pathFromClient(args.source.path);
    // Old clients send only `lines`.
    const requested: DebugProtocol.SourceBreakpoint[] = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
    if (this.debuggingEnabled && sourcePath !== undefined) {
      // Log points and hit counts are not supported (the capabilities say so): such a breakpoint is refused with the
      // reason rather than stopping every time.
      const unsupported = requested.map((b) => unsupportedBreakpointFeature(b));
      const placed = await this.wasm.setSourceBreakpoints(
        sourcePath,
        requested
          .filter((_, i) => unsupported[i] === undefined)
          .map((b) => ({ line: this.convertClientLineToDebugger(b.line), ...(b.condition ? { condition: b.condition } : {}) })),
      );
      const results = placed.map((result) => this.toClientBreakpoint(result));
      response.body = {
        breakpoints: requested.map((b, i) => {
          const reason = unsupported[i];
          return reason === undefined ? results.shift()! : { verified: false, line: b.line, message: reason };
        }),
      };
      this.sendResponse(response);
      return;
    }
    // A source known only by reference (no path) cannot be matched with the module's DWARF.
    const reason = this.debuggingEnabled ? BREAKPOINTS_NEED_PATH : BREAKPOINTS_UNSUPPORTED;
    response.body = {
      breakpoints: requested.map((breakpoint) => ({
        verified: false,
        line: breakpoint.line,
        message: reason,
      })),
    };
    this.sendResponse(response);
  }

  protected override async setExceptionBreakPointsRequest(
    response: DebugProtocol.SetExceptionBreakpointsResponse,
    args: DebugProtocol.SetExceptionBreakpointsArguments,
  ): Promise<void> {
    // Filters come by name (`filters`) or with options (`filterOptions`); an unknown one is reported, not fatal.
    const ids = [...(args.filters ?? []), ...(args.filterOptions ?? []).map((option) => option.filterId)];
    await this.wasm.setStopOnTraps(ids.includes(TRAP_FILTER)).catch(() => undefined);
    response.body = {
      breakpoints: ids.map((id) =>
        id === TRAP_FILTER && this.debuggingEnabled
          ? { verified: true }
          : { verified: false, message: `unknown exception filter "${id}" — the only filter is "${TRAP_FILTER}" (WebAssembly traps)` },
      ),
    };
    this.sendResponse(response);
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse, _args: DebugProtocol.ExceptionInfoArguments): void {
    const trap = this.wasm.currentTrap;
    if (trap === undefined) {
      this.failRequest(response, ErrorId.NotPaused, 'wasi: the program is not stopped at a trap', false);
      return;
    }
    response.body = { exceptionId: 'trap', description: trap, breakMode: 'always' };
    this.sendResponse(response);
  }

  protected override async setInstructionBreakpointsRequest(
    response: DebugProtocol.SetInstructionBreakpointsResponse,
    args: DebugProtocol.SetInstructionBreakpointsArguments,
  ): Promise<void> {
    const requests = args.breakpoints.map((b) => ({
      offset: (parseAddress(b.instructionReference) ?? -1) + (b.offset ?? 0),
      ...(b.condition ? { condition: b.condition } : {}),
    }));
    const results = await this.wasm.setInstructionBreakpoints(requests);
    response.body = { breakpoints: results.map((result) => this.toClientBreakpoint(result)) };
    this.sendResponse(response);
  }

  protected override async disassembleRequest(response: DebugProtocol.DisassembleResponse, args: DebugProtocol.DisassembleArguments): Promise<void> {
    const address = parseAddress(args.memoryReference);
    if (address === undefined) {
      this.failRequest(response, ErrorId.Debugger, `wasi: "${args.memoryReference}" is not a module offset (expected e.g. 0x1f4)`, false);
      return;
    }
    try {
      const lines = await this.wasm.disassemble(address + (args.offset ?? 0), args.instructionOffset ?? 0, args.instructionCount);
      response.body = {
        instructions: lines.map((line) => ({
          address: line.address,
          instruction: line.instruction,
          ...(line.symbol ? { symbol: line.symbol } : {}),
          ...(line.source ? { location: { name: path.basename(line.source.path), path: this.pathToClient(line.source.path) }, line: this.convertDebuggerLineToClient(line.source.line) } : {}),
          ...(line.invalid ? { presentationHint: 'invalid' as const } : {}),
        })),
      };
      this.sendResponse(response);
    } catch (error) {
      this.failRequest(response, ErrorId.Debugger, `wasi: ${errorText(error)}`, false);
    }
  }

  protected override async readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): Promise<void> {
    const base = parseAddress(args.memoryReference);
    const address = base === undefined ? undefined : base + (args.offset ?? 0);
    if (address === undefined || address < 0) {
      this.failRequest(response, ErrorId.Debugger, `wasi: "${args.memoryReference}" is not a linear-memory address (expected e.g. 0x1000)`, false);
      return;
    }
    try {
      const { data } = await this.wasm.readMemory(address, args.count);
      response.body = { address: hex(address), data: Buffer.from(data).toString('base64'), ...(data.length < args.count ? { unreadableBytes: args.count - data.length } : {}) };
      this.sendResponse(response);
    } catch (error) {
      this.failRequest(response, ErrorId.NotPaused, `wasi: ${errorText(error)}`, false);
    }
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse, args: DebugProtocol.PauseArguments): void {
    if (this.refuseUnknownThread(response, args.threadId)) return;
    if (this.debuggerRunning()) {
      void this.debuggerRequest(response, () => this.wasm.pause());
      return;
    }
    const reason = this.notRunningReason();
    if (reason !== undefined) {
      this.failRequest(response, ErrorId.NotRunning, reason, false);
      return;
    }
    if (this.currentLaunch()?.noDebug) {
      this.failRequest(response, ErrorId.Unsupported, 'wasi: this session runs the module without the debugger (noDebug), so it cannot pause — start a debug launch', false);
      return;
    }
    this.failRequest(
      response,
      ErrorId.Unsupported,
      'wasi: pausing a running module is not supported in this session — use "stopOnEntry": true to stop before the entry function',
    );
  }

  protected override async evaluateRequest(
    response: DebugProtocol.EvaluateResponse,
    args: DebugProtocol.EvaluateArguments,
  ): Promise<void> {
    // While the debugger holds the program, every context evaluates in the frame (the Debug Console too);
    // while it runs, Debug Console input is stdin.
    if (this.debuggerRunning() && this.wasm.isPaused && args.expression !== EOF_REPL_INPUT) {
      try {
        const result = await this.wasm.evaluate(args.expression, (args.frameId ?? 1) - 1);
        response.body = {
          result: result.result,
          variablesReference: result.variablesReference,
          ...(result.type ? { type: result.type } : {}),
          ...(result.memoryReference ? { memoryReference: result.memoryReference } : {}),
        };
        this.sendResponse(response);
      } catch (error) {
        this.failRequest(response, ErrorId.Debugger, errorText(error), false);
      }
      return;
    }
    if (args.context !== 'repl') {
      const notRunning = this.notRunningReason();
      if (notRunning !== undefined) {
        this.failRequest(response, ErrorId.NotRunning, `${notRunning} (expressions are evaluated while it is paused)`, false);
        return;
      }
      if (this.debuggerRunning()) {
        this.failRequest(response, ErrorId.NotPaused, 'wasi: the program is running — pause it or stop at a breakpoint to evaluate expressions', false);
        return;
      }
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
    this.releaseDebugger();
    this.discardPrestartedWorker();
    if (this.state.kind === 'running') void this.state.process.terminate().catch(() => undefined);
    super.dispose();
  }

  /**
   * The standalone adapter exits after this (SIGTERM, disconnect). process.exit() waits for every worker thread and
   * one paused in the debugger never ends (measured: an adapter killed at a breakpoint hung in Worker::JoinThread),
   * so the program is let go and ended first.
   */
  override shutdown(): void {
    this.shuttingDown = true;
    // Ask the worker to end before letting it go, as stopProgram does: resumed first, the program would run on past
    // its breakpoint (and write output or files) until the termination lands.
    if (this.state.kind === 'running') void this.state.process.terminate().catch(() => undefined);
    this.releaseDebugger();
    super.shutdown();
  }

  /** Ends the program (if any) promptly; the 'exit' handler reports it. */
  private async stopProgram(): Promise<void> {
    switch (this.state.kind) {
      case 'running': {
        const child = this.state.process;
        const ended = child.terminate().catch(() => undefined);
        // worker.terminate() waits forever on a worker paused in the debugger: let it run right after asking.
        if (this.workerClaim) this.wasm.releaseForTermination();
        await Promise.race([ended, delay(TERMINATE_TIMEOUT_MS)]);
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

  /** A breakpoint in the client's line numbering (linesStartAt1). */
  private toClientBreakpoint(result: BreakpointResult): DebugProtocol.Breakpoint {
    return {
      id: result.id,
      verified: result.verified,
      ...(result.line !== undefined ? { line: this.convertDebuggerLineToClient(result.line) } : {}),
      ...(result.offset !== undefined ? { instructionReference: hex(result.offset) } : {}),
      ...(result.message !== undefined ? { message: result.message } : {}),
    };
  }

  /** A wasm frame: its C source line when DWARF maps it to a file here, else the function and its module offset. */
  private toClientFrame(frame: FrameInfo): DebugProtocol.StackFrame {
    const base = { id: frame.index + 1, instructionPointerReference: hex(frame.offset) };
    if (frame.source) {
      return {
        ...base,
        name: frame.name,
        source: { name: path.basename(frame.source.path), path: this.pathToClient(frame.source.path) },
        line: this.convertDebuggerLineToClient(frame.source.line),
        column: this.convertDebuggerColumnToClient(frame.source.column),
      };
    }
    // Without a source, line and column are 0 whatever the client's numbering: the spec says to ignore them then.
    const where = frame.position ? ` (${path.basename(frame.position.file)}:${frame.position.line})` : '';
    return { ...base, name: `${frame.name} @ ${hex(frame.offset)}${where}`, line: 0, column: 0, presentationHint: 'subtle' };
  }

  /** An error response with exactly `message` (ProtocolSession.sendError), shown to the user unless told otherwise. */
  private failRequest(response: DebugProtocol.Response, id: ErrorId, message: string, showUser = true): void {
    this.sendError(response, id, message, showUser);
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

/** A child of an array-like value (`[3]`, `3`): what the variables request's "indexed" filter selects. */
function isIndexName(name: string): boolean {
  return /^\[?\d+\]?$/.test(name);
}

/** Why a source breakpoint cannot be honoured as asked, or undefined when it can. */
function unsupportedBreakpointFeature(breakpoint: DebugProtocol.SourceBreakpoint): string | undefined {
  if (breakpoint.logMessage !== undefined) return 'log points are not supported — remove the log message to stop here';
  if (breakpoint.hitCondition !== undefined) return 'hit counts are not supported — use a condition instead';
  return undefined;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
