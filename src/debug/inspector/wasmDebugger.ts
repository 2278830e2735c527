// The inspector bridge: drives V8's debugger in the runtime worker and reports pauses, frames, variables and memory.
//
// An event emitter the DAP session translates ('stopped', 'continued', 'breakpointChanged'). Source-level
// behaviour (line breakpoints, line stepping, frame locations) comes from the module's DWARF line table; without
// it everything still works per instruction.

import { EventEmitter } from 'node:events';
import * as path from 'node:path';
import { SourceLineMap, type SourcePosition } from '../dwarf/sourceLines';
import { functionAt, readModuleLayout, type WasmModuleLayout } from '../dwarf/wasmSections';
import { BreakpointTable, type BreakpointResult, type InstructionBreakpointRequest, type SourceBreakpointRequest } from './breakpointTable';
import type { CdpCallFrame, CdpConnection, CdpEvaluateResult, CdpLocationRange, CdpPausedEvent, CdpRemoteObject, CdpScriptParsedEvent } from './cdpTypes';
import { WasmDisassembly } from './disassembly';
import { CVariables, type CValueRow } from './cVariables';
import { readDebugInfoInSlices, type TypeInfo } from '../dwarf/debugInfo';
import { SourceFiles } from './sourceFiles';
import { readableFunctionName } from './symbolNames';
import { describeRemote, hex, LIST_PROPERTIES_FUNCTION, WASM_VALUE_FUNCTION } from './wasmValues';

export type StopReason = 'entry' | 'breakpoint' | 'step' | 'pause' | 'instruction breakpoint' | 'exception';

export interface StoppedInfo {
  reason: StopReason;
  hitBreakpointIds: number[];
  /** For a trap: V8's message, e.g. "RuntimeError: divide by zero". */
  text?: string;
}

export interface FrameInfo {
  /** Index in the current pause's frame list (0 = innermost). */
  index: number;
  /** The function name without V8's `$` (from the name section, else `wasm-function[i]`). */
  name: string;
  /** Absolute byte offset of the current instruction in the module. */
  offset: number;
  /** Present when DWARF maps the offset to a file on this machine. */
  source?: { path: string; line: number; column: number };
  /** The DWARF position even when its file is not on this machine (libc). */
  position?: SourcePosition;
}

export interface ScopeInfo {
  /** 'Locals'/'Globals' are C variables when DWARF describes the function, else the wasm ones; then 'Wasm …'. */
  name: string;
  variablesReference: number;
  expensive: boolean;
}

export interface VariableInfo {
  name: string;
  value: string;
  type?: string;
  variablesReference: number;
  /** Linear-memory address of a C value (`0x…`), for memory views. */
  memoryReference?: string;
}

export interface EvaluationInfo {
  result: string;
  type?: string;
  variablesReference: number;
  memoryReference?: string;
}

export interface DisassembledLine {
  address: string;
  instruction: string;
  symbol?: string;
  source?: { path: string; line: number };
  invalid?: boolean;
}

export interface WasmDebuggerOptions {
  /** Stop before the program's own code: `main`'s first line with DWARF, else main's (or the entry function's) first instruction. */
  stopOnEntry: boolean;
  /** The export the runtime calls (`_start` for commands). */
  entryFunction: string;
  /**
   * The target comes from the debug worker pool: V8's debugger is already enabled there, pauses are skipped and
   * the worker already runs (waiting for its start message), so attach places breakpoints and the pause settings,
   * then lets pauses happen.
   */
  prepared?: boolean;
}

type StepKind = 'over' | 'in' | 'out';

interface StepState {
  kind: StepKind;
  byLine: boolean;
  /** Wasm frames on the stack when the step began. */
  depth: number;
  /** The source line the step started on (line steps). */
  from?: SourcePosition;
  remaining: number;
}

interface PauseState {
  event: CdpPausedEvent;
  /** Wasm frames only (host JavaScript frames of an import are hidden). */
  frames: CdpCallFrame[];
}

/** A variables reference: a remote object, or a property of one fetched when expanded (`globals`, `stack`). */
type Handle =
  | { kind: 'object'; objectId: string }
  | { kind: 'property'; objectId: string; property: string }
  | { kind: 'cScope'; frameIndex: number; scope: 'locals' | 'globals' }
  | { kind: 'cValue'; frameIndex: number; type: TypeInfo | undefined; address: number; pointerValue?: number };

/** Steps that land nowhere new (line 0, the same line, a prologue) continue; this bounds a runaway step. */
const MAX_STEP_HOPS = 500;
const WASM_OPCODE_CALL = 0x10;
const STEP_METHODS: Record<StepKind, string> = { over: 'Debugger.stepOver', in: 'Debugger.stepInto', out: 'Debugger.stepOut' };

export class NotPausedError extends Error {
  constructor(what: string) {
    super(`${what} needs the program to be paused (set a breakpoint or press Pause)`);
    this.name = 'NotPausedError';
  }
}

export class WasmDebugger extends EventEmitter {
  readonly breakpoints = new BreakpointTable();
  private layout: WasmModuleLayout | undefined;
  private lines: SourceLineMap | undefined;
  private files = new SourceFiles(undefined, undefined);
  private connection: CdpConnection | undefined;
  private wasmScriptId: string | undefined;
  private readonly scripts = new Map<string, CdpScriptParsedEvent>();
  private paused: PauseState | undefined;
  /**
   * A resume or step was sent and V8 answered it, but its Debugger.resumed has not arrived yet. For the client the
   * stop is over from then on (its continue may already be answered): the old stop must not answer a Debug
   * Console line as an expression instead of stdin, nor swallow the next pause as "already paused".
   */
  private resumeSent = false;
  private step: StepState | undefined;
  private pauseRequested = false;
  private entryBreakpointId: string | undefined;
  /** One-shot breakpoints on callees of a step in (see breakAtCallee). */
  private readonly calleeBreakpointIds: string[] = [];
  private moduleBytes: Uint8Array | undefined;
  /** Off until the client says (VS Code sends the filter's default, on; a client that never asks gets no surprise stops). */
  private stopOnTraps = false;
  /** The trap the program is stopped at, if any. */
  private trap: string | undefined;
  private readonly handles = new Map<number, Handle>();
  private nextHandle = 1;
  private disassembly: Promise<WasmDisassembly> | undefined;
  /** C variables from .debug_info, read on first use; null when the module has none or it cannot be read. */
  private cVariables: Promise<CVariables | undefined> | undefined;
  private cVariablesReady: CVariables | undefined;
  private ended = false;

  private options: WasmDebuggerOptions = { stopOnEntry: false, entryFunction: '_start' };

  constructor() {
    super();
    this.breakpoints.on('changed', (result: BreakpointResult) => this.emit('breakpointChanged', result));
  }

  /** The module's bytes (for DWARF and the function table) and the program path (sources beside it are found). */
  useModule(bytes: Uint8Array, programPath: string | undefined): void {
    this.moduleBytes = bytes;
    this.layout = readModuleLayout(bytes);
    try {
      this.lines = SourceLineMap.fromModule(this.layout);
    } catch (error) {
      this.lines = undefined;
      this.emit('warning', `wasi: the module's DWARF line information could not be read (${error instanceof Error ? error.message : String(error)}); debugging per instruction`);
    }
    this.files = new SourceFiles(this.lines, programPath === undefined ? undefined : path.dirname(programPath));
    this.breakpoints.useModule({ layout: this.layout, lines: this.lines, files: this.files });
  }

  get hasSourceLines(): boolean {
    return this.lines !== undefined;
  }

  /** The launch runs without the debugger (Run Without Debugging): requested breakpoints say so. */
  disable(reason: string): void {
    this.breakpoints.disable(reason);
  }

  get isAttached(): boolean {
    return this.connection !== undefined && !this.ended;
  }

  get isPaused(): boolean {
    return this.paused !== undefined && !this.resumeSent;
  }

  /**
   * Takes over a worker target that waits for the debugger: enables V8's debugger, places breakpoints and
   * lets the worker run (a prepared target: places breakpoints only). Call once, before the worker is given
   * the module: everything placed here is in force when the module's first instruction runs.
   */
  async attach(connection: CdpConnection, options: WasmDebuggerOptions): Promise<void> {
    this.options = options;
    this.connection = connection;
    connection.on('Debugger.scriptParsed', (event: CdpScriptParsedEvent) => {
      this.scripts.set(event.scriptId, event);
      if (event.scriptLanguage === 'WebAssembly' && this.wasmScriptId === undefined) this.wasmScriptId = event.scriptId;
    });
    connection.on('Debugger.paused', (event: CdpPausedEvent) => void this.onPaused(event).catch((error) => this.emit('warning', `wasi: ${String(error)}`)));
    connection.on('Debugger.resumed', () => {
      const wasPaused = this.paused !== undefined;
      this.paused = undefined;
      this.resumeSent = false;
      this.handles.clear();
      if (wasPaused && !this.step) this.emit('continued');
    });
    connection.on('detached', () => this.end());
    if (!options.prepared) await connection.send('Debugger.enable', { maxScriptsCacheSize: 0 });
    // Node's internals are blackboxed. Blackboxing the runtime's own scripts too would hide wasm traps from
    // 'pause on exceptions' (measured: the trap is caught there), so its internal exceptions stop and are resumed.
    if (!options.prepared) await connection.send('Debugger.setBlackboxPatterns', { patterns: ['^node:'] }).catch(() => undefined);
    await this.breakpoints.attach(connection);
    if (this.options.stopOnEntry) await this.placeEntryBreakpoint();
    await this.applyTrapSetting();
    // A prepared worker skipped every pause while it waited (see debugWorkerPool); from now on they are ours.
    if (options.prepared) await connection.send('Debugger.setSkipAllPauses', { skip: false });
    if (!options.prepared) await connection.send('Runtime.runIfWaitingForDebugger');
    // Variables are read from .debug_info at the first stop; parse it now, in slices, while the program runs.
    if (this.lines) void this.loadCVariables();
  }

  /**
   * The worker is going away: let a paused worker run so that terminate() can end it (it hangs while paused).
   * A worker that is not paused gets no message at all: Node 20 crashes (SIGSEGV, measured) when inspector
   * messages reach a worker thread that is shutting down while the next debug launch attaches.
   */
  releaseForTermination(): void {
    this.step = undefined;
    const connection = this.connection;
    const paused = this.paused !== undefined;
    this.end();
    if (connection && paused) {
      // No breakpoint may catch the worker again between this resume and its end.
      void connection.send('Debugger.setSkipAllPauses', { skip: true }).catch(() => undefined);
      void connection.send('Debugger.resume').catch(() => undefined);
    }
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.paused = undefined;
    this.resumeSent = false;
    this.handles.clear();
  }

  // ---- breakpoints ----

  setSourceBreakpoints(editorPath: string, requests: SourceBreakpointRequest[]): Promise<BreakpointResult[]> {
    return this.breakpoints.setSource(editorPath, requests);
  }

  setInstructionBreakpoints(requests: InstructionBreakpointRequest[]): Promise<BreakpointResult[]> {
    return this.breakpoints.setInstructions(requests);
  }

  /**
   * Stop where a wasm trap happens (unreachable, division by zero, out-of-bounds access…). The runtime catches
   * traps to report them, so V8 sees them as caught exceptions: exceptions are watched and only those thrown by a
   * wasm frame stop; the runtime's own JavaScript exceptions (proc_exit unwinding) are passed over.
   */
  async setStopOnTraps(enabled: boolean): Promise<void> {
    this.stopOnTraps = enabled;
    if (this.connection && !this.ended) await this.applyTrapSetting();
  }

  /** The trap the program is stopped at (for the exception widget). */
  get currentTrap(): string | undefined {
    return this.isPaused ? this.trap : undefined;
  }

  private async applyTrapSetting(): Promise<void> {
    await this.send('Debugger.setPauseOnExceptions', { state: this.stopOnTraps ? 'all' : 'none' });
  }

  private async placeEntryBreakpoint(): Promise<void> {
    const offset = this.entryOffset();
    if (offset === undefined || !this.connection) return;
    const placed = await this.connection.send<{ breakpointId: string }>('Debugger.setBreakpointByUrl', { urlRegex: '^wasm://', lineNumber: 0, columnNumber: offset });
    this.entryBreakpointId = placed.breakpointId;
  }

  /** `main`'s first statement when DWARF knows it (what users expect), else the entry function's first instruction. */
  private entryOffset(): number | undefined {
    const layout = this.layout;
    if (!layout) return undefined;
    if (this.lines) {
      for (const name of ['main', '__original_main', '__main_argc_argv']) {
        const fn = layout.functions.find((f) => f.name === name);
        const first = fn ? this.lines.firstStatementOf(fn.start, fn.end) : undefined;
        if (first !== undefined && this.hasUserSource(first)) return first;
      }
    }
    // Without DWARF for the program: main's first instruction, else the entry function's.
    // (At -O2 wasi-libc's __original_main absorbs main.)
    const main = ['main', '__main_argc_argv', '__original_main'].map((name) => layout.functions.find((f) => f.name === name)).find((f) => f !== undefined);
    const entry = main ?? layout.functions.find((f) => f.name === this.options.entryFunction);
    return entry?.codeStart;
  }

  // ---- execution control ----

  async continue(): Promise<void> {
    this.step = undefined;
    await this.resume(() => this.send('Debugger.resume'));
  }

  async pause(): Promise<void> {
    if (this.isPaused) return;
    this.pauseRequested = true;
    await this.send('Debugger.pause');
  }

  /** One source line when DWARF covers the current location, else one instruction. */
  async stepOver(): Promise<void> {
    await this.startStep('over');
  }

  async stepIn(): Promise<void> {
    await this.startStep('in');
  }

  async stepOut(): Promise<void> {
    await this.startStep('out');
  }

  /** Instruction-level step regardless of DWARF (the Disassembly view's stepping granularity). */
  async stepInstruction(kind: StepKind): Promise<void> {
    await this.startStep(kind, false);
  }

  private async startStep(kind: StepKind, preferLines = true): Promise<void> {
    const paused = this.requirePaused('stepping');
    const top = paused.frames[0];
    const from = top ? this.userPosition(top.location.columnNumber ?? 0) : undefined;
    this.step = { kind, byLine: preferLines && from !== undefined, depth: paused.frames.length, from, remaining: MAX_STEP_HOPS };
    this.emit('continued');
    await this.resume(() => this.issueStep(kind, top));
  }

  /** Sends what resumes the stopped program; once V8 has taken it, the stop is over (see resumeSent). */
  private async resume(send: () => Promise<unknown>): Promise<void> {
    const stop = this.paused;
    await send();
    // Debugger.resumed may not have come yet (it had not, on a loaded machine), and the client is answered next.
    // Still the same stop: it is over. (A new stop already reported, or none, is left as it is.)
    if (stop !== undefined && this.paused === stop) this.resumeSent = true;
  }

  private async issueStep(kind: StepKind, top: CdpCallFrame | undefined): Promise<void> {
    const params: Record<string, unknown> = {};
    if (kind === 'in' && top && this.isWasmFrame(top)) await this.breakAtCallee(top);
    // V8 never enters a call while a skipList is given (measured: stepInto with one steps over square()), so a
    // line-level step in goes instruction by instruction and continueStepping() decides where the line ends.
    if (this.step?.byLine && kind === 'over' && top && this.isWasmFrame(top)) {
      const skipList = this.skipListAt(top);
      if (skipList.length > 0) params['skipList'] = skipList;
    }
    await this.send(STEP_METHODS[kind], params);
  }

  /**
   * V8 steps into a callee only when that function has debugging code; a module compiled on another thread
   * (the runtime compiles on the main thread) has none until a breakpoint lands in it. So a step in at a
   * `call` puts a one-shot breakpoint on the callee's first instruction.
   */
  private async breakAtCallee(frame: CdpCallFrame): Promise<void> {
    const offset = frame.location.columnNumber ?? 0;
    const bytes = this.moduleBytes;
    if (!bytes || bytes[offset] !== WASM_OPCODE_CALL || !this.layout) return;
    let index = 0;
    let shift = 0;
    for (let at = offset + 1; at < bytes.length && shift < 35; at++) {
      const byte = bytes[at]!;
      index += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if ((byte & 0x80) === 0) break;
    }
    const callee = this.layout.functions.find((fn) => fn.index === index);
    if (!callee) return; // an import: the step goes into host JavaScript and out again
    try {
      const placed = await this.send<{ breakpointId: string }>('Debugger.setBreakpoint', {
        location: { scriptId: frame.location.scriptId, lineNumber: 0, columnNumber: callee.codeStart },
      });
      this.calleeBreakpointIds.push(placed.breakpointId);
    } catch {
      // a breakpoint is already there (the user's): it stops the step just the same
    }
  }

  private clearCalleeBreakpoints(): void {
    for (const breakpointId of this.calleeBreakpointIds.splice(0)) {
      void this.send('Debugger.removeBreakpoint', { breakpointId }).catch(() => undefined);
    }
  }

  private skipListAt(frame: CdpCallFrame): CdpLocationRange[] {
    const offset = frame.location.columnNumber ?? 0;
    return (this.lines?.stepRanges(offset) ?? []).map((range) => ({
      scriptId: frame.location.scriptId,
      start: { lineNumber: 0, columnNumber: range.start },
      end: { lineNumber: 0, columnNumber: range.end },
    }));
  }

  private async onPaused(event: CdpPausedEvent): Promise<void> {
    if (this.ended) {
      await this.connection?.send('Debugger.resume').catch(() => undefined);
      return;
    }
    const frames = event.callFrames.filter((frame) => this.isWasmFrame(frame));
    const hitIds = this.breakpoints.editorIds(event.hitBreakpoints);
    const atEntry = this.entryBreakpointId !== undefined && (event.hitBreakpoints ?? []).includes(this.entryBreakpointId);
    if (atEntry) {
      const id = this.entryBreakpointId!;
      this.entryBreakpointId = undefined;
      void this.send('Debugger.removeBreakpoint', { breakpointId: id }).catch(() => undefined);
    }
    this.clearCalleeBreakpoints();
    if (event.reason === 'exception' || event.reason === 'promiseRejection') {
      const top = event.callFrames[0];
      if (!this.stopOnTraps || !top || !this.isWasmFrame(top)) {
        await this.send('Debugger.resume').catch(() => undefined);
        return;
      }
      this.step = undefined;
      this.pauseRequested = false;
      this.paused = { event, frames };
      this.resumeSent = false;
      const data = event.data as { description?: string } | undefined;
      this.trap = data?.description?.split('\n')[0] ?? 'RuntimeError';
      this.emit('stopped', { reason: 'exception', hitBreakpointIds: [], text: this.trap } satisfies StoppedInfo);
      return;
    }
    this.trap = undefined;
    // The worker's first stop ("Break on start", line 1 of worker.js) and any JavaScript-only stop are not the user's.
    if (frames.length === 0 && !this.pauseRequested && !this.step) {
      await this.send('Debugger.resume').catch(() => undefined);
      return;
    }
    if (this.step && hitIds.length === 0 && !atEntry && !this.pauseRequested) {
      if (await this.continueStepping(event, frames)) return;
    }
    const step = this.step;
    this.step = undefined;
    this.paused = { event, frames };
    this.resumeSent = false;
    let reason: StopReason;
    if (atEntry) reason = 'entry';
    else if (hitIds.length > 0) reason = this.isInstructionHit(hitIds) ? 'instruction breakpoint' : 'breakpoint';
    else if (this.pauseRequested) reason = 'pause';
    else if (step) reason = 'step';
    else reason = 'pause';
    this.pauseRequested = false;
    const info: StoppedInfo = { reason, hitBreakpointIds: hitIds };
    this.emit('stopped', info);
  }

  /** Decides whether a step's pause is where the user should stop; returns true when it stepped on instead. */
  private async continueStepping(event: CdpPausedEvent, frames: CdpCallFrame[]): Promise<boolean> {
    const step = this.step!;
    if (--step.remaining <= 0) return false;
    const top = event.callFrames[0];
    if (!top) return false;
    if (!this.isWasmFrame(top)) {
      // Stepped into (or paused inside) a host import: finish it and come back to the wasm caller.
      await this.send('Debugger.stepOut');
      return true;
    }
    if (!step.byLine) return false;
    const offset = top.location.columnNumber ?? 0;
    const depth = frames.length;
    const here = this.userPosition(offset);
    if (here === undefined) {
      // Code without source here (libc, runtime glue): leave it when the step went into it, stop when we
      // returned into it (e.g. main returned to _start).
      if (depth > step.depth) {
        await this.send('Debugger.stepOut');
        return true;
      }
      return false;
    }
    const position = this.lines!.positionAt(offset)!;
    if (position.line === 0 || this.inPrologue(offset)) {
      await this.issueStep('over', top);
      return true;
    }
    if (step.kind !== 'out' && depth === step.depth && step.from && position.file === step.from.file && position.line === step.from.line) {
      await this.issueStep(step.kind, top);
      return true;
    }
    return false;
  }

  private inPrologue(offset: number): boolean {
    const fn = this.layout ? functionAt(this.layout, offset) : undefined;
    if (!fn || !this.lines) return false;
    const first = this.lines.firstStatementOf(fn.start, fn.end);
    return first !== undefined && offset < first;
  }

  private isInstructionHit(ids: number[]): boolean {
    return ids.every((id) => this.breakpoints.isInstructionBreakpoint(id));
  }

  // ---- inspection ----

  /** The stopped program's wasm frames (waits for .debug_info, whose function names C frames use). */
  async frames(): Promise<FrameInfo[]> {
    if (this.lines) await this.loadCVariables();
    const paused = this.paused;
    if (!paused || this.resumeSent) return [];
    return paused.frames.map((frame, index) => {
      const offset = frame.location.columnNumber ?? 0;
      const position = this.lines?.positionAt(offset);
      const local = position && position.line > 0 ? this.files.localPath(position.file) : undefined;
      const name = this.functionName(frame.functionName.replace(/^\$/, '') || functionAt(this.layout!, offset)?.name || 'wasm-function', offset);
      const info: FrameInfo = { index, name, offset };
      if (position && position.line > 0) info.position = position;
      if (local !== undefined && position) info.source = { path: local, line: position.line, column: Math.max(position.column, 1) };
      return info;
    });
  }

  async scopes(frameIndex: number): Promise<ScopeInfo[]> {
    const frame = this.frameAt(frameIndex);
    const scopes: ScopeInfo[] = [];
    const c = await this.cVariablesAt(frame.location.columnNumber ?? 0);
    if (c) {
      scopes.push({ name: 'Locals', variablesReference: this.addHandle({ kind: 'cScope', frameIndex, scope: 'locals' }), expensive: false });
      scopes.push({ name: 'Globals', variablesReference: this.addHandle({ kind: 'cScope', frameIndex, scope: 'globals' }), expensive: false });
    }
    const prefix = c ? 'Wasm ' : '';
    const find = (type: string): CdpRemoteObject | undefined => frame.scopeChain.find((scope) => scope.type === type)?.object;
    const locals = find('local');
    if (locals?.objectId) scopes.push({ name: `${prefix}Locals`, variablesReference: this.handle(locals.objectId), expensive: false });
    const moduleScope = find('module');
    if (moduleScope?.objectId) scopes.push({ name: `${prefix}Globals`, variablesReference: this.handle(moduleScope.objectId, 'globals'), expensive: false });
    const stack = find('wasm-expression-stack');
    if (stack?.objectId) scopes.push({ name: `${prefix}Stack`, variablesReference: this.handle(stack.objectId, 'stack'), expensive: false });
    return scopes;
  }

  /** The C variable reader when DWARF describes the function at `offset`. */
  private async cVariablesAt(offset: number): Promise<CVariables | undefined> {
    const reader = await this.loadCVariables();
    return reader && this.userPosition(offset) !== undefined && reader.functionAt(offset) ? reader : undefined;
  }

  /** Reads .debug_info once, in slices (started at attach, so it is usually ready by the first stop). */
  private loadCVariables(): Promise<CVariables | undefined> {
    if (this.cVariables === undefined) {
      const layout = this.layout;
      const debugInfo = layout?.customSections.get('.debug_info');
      const debugAbbrev = layout?.customSections.get('.debug_abbrev');
      if (!layout || !debugInfo || !debugAbbrev) {
        this.cVariables = Promise.resolve(undefined);
      } else {
        this.cVariables = readDebugInfoInSlices({ debugInfo, debugAbbrev, debugStr: layout.customSections.get('.debug_str'), debugLineStr: layout.customSections.get('.debug_line_str') }).then(
          (info) => {
            this.cVariablesReady = new CVariables(info, layout.codeSectionStart, {
              readMemory: async (frameIndex, address, count) => (await this.readMemoryIn(frameIndex, address, count)).data,
              wasmValue: (frameIndex, space, index) => this.wasmValue(frameIndex, space, index),
            });
            return this.cVariablesReady;
          },
          (error: unknown) => {
            this.emit('warning', `wasi: the module's DWARF variables could not be read (${error instanceof Error ? error.message : String(error)}); showing wasm locals`);
            return undefined;
          },
        );
      }
    }
    return this.cVariables;
  }

  private async wasmValue(frameIndex: number, space: 'local' | 'global' | 'stack', index: number): Promise<number | undefined> {
    const container = space === 'local' ? 'locals' : space === 'global' ? 'globals' : 'stack';
    try {
      const value = await this.evaluateV8(`${container}[${index}]`, frameIndex);
      const number = Number(value.result);
      return Number.isFinite(number) ? number >>> 0 : undefined;
    } catch {
      return undefined;
    }
  }

  private cRowToVariable(row: CValueRow, frameIndex: number): VariableInfo {
    const variablesReference = row.expandable ? this.addHandle({ kind: 'cValue', frameIndex, ...row.expandable }) : 0;
    return { name: row.name, value: row.value, type: row.type, variablesReference, ...(row.address !== undefined ? { memoryReference: hex(row.address) } : {}) };
  }

  async variables(reference: number): Promise<VariableInfo[]> {
    const handle = this.handles.get(reference);
    if (!handle) return [];
    if (handle.kind === 'cScope' || handle.kind === 'cValue') {
      const frame = this.frameAt(handle.frameIndex);
      const c = await this.cVariablesAt(frame.location.columnNumber ?? 0);
      if (!c) return [];
      const offset = frame.location.columnNumber ?? 0;
      const rows =
        handle.kind === 'cValue' ? await c.children(handle.frameIndex, handle.type, handle.address, handle.pointerValue)
        : handle.scope === 'locals' ? await c.locals(handle.frameIndex, offset)
        : await c.globals(handle.frameIndex, offset);
      return rows.map((row) => this.cRowToVariable(row, handle.frameIndex));
    }
    const objectId = handle.kind === 'object' ? handle.objectId : await this.propertyObject(handle.objectId, handle.property);
    if (objectId === undefined) return [];
    const listed = await this.send<{ result: CdpRemoteObject; exceptionDetails?: unknown }>('Runtime.callFunctionOn', {
      objectId,
      functionDeclaration: LIST_PROPERTIES_FUNCTION,
      returnByValue: true,
    });
    const rows = (listed.result.value ?? []) as Array<[string, string, string, boolean]>;
    const variables: VariableInfo[] = [];
    for (const [name, type, value, isObject] of rows) {
      let variablesReference = 0;
      if (isObject) {
        const child = await this.propertyObject(objectId, name);
        if (child !== undefined) variablesReference = this.handle(child);
      }
      variables.push({ name, value, ...(type ? { type } : {}), variablesReference });
    }
    return variables;
  }

  /**
   * Evaluates in a wasm frame: a C access path (`sum`, `buf[1]`, `p->next`, `*argv`) when DWARF describes the
   * frame's function, else V8's wasm evaluation: `$var0`, `locals[0]`, `globals.$__stack_pointer`, `memories[0]`, JavaScript.
   */
  async evaluate(expression: string, frameIndex: number): Promise<EvaluationInfo> {
    const frame = this.frameAt(frameIndex);
    const c = await this.cVariablesAt(frame.location.columnNumber ?? 0);
    if (c) {
      const row = await c.evaluate(frameIndex, frame.location.columnNumber ?? 0, expression);
      if (row) {
        const variable = this.cRowToVariable(row, frameIndex);
        return { result: variable.value, type: row.type, variablesReference: variable.variablesReference, ...(variable.memoryReference ? { memoryReference: variable.memoryReference } : {}) };
      }
    }
    return this.evaluateV8(expression, frameIndex);
  }

  private async evaluateV8(expression: string, frameIndex: number): Promise<EvaluationInfo> {
    const frame = this.frameAt(frameIndex);
    const evaluated = await this.send<CdpEvaluateResult>('Debugger.evaluateOnCallFrame', {
      callFrameId: frame.callFrameId,
      expression,
      silent: true,
      throwOnSideEffect: false,
    });
    if (evaluated.exceptionDetails) {
      const text = evaluated.exceptionDetails.exception?.description?.split('\n')[0] ?? evaluated.exceptionDetails.text;
      throw new Error(text);
    }
    const result = evaluated.result;
    if (result.subtype === 'wasmvalue' && result.objectId) {
      const value = await this.send<{ result: CdpRemoteObject }>('Runtime.callFunctionOn', { objectId: result.objectId, functionDeclaration: WASM_VALUE_FUNCTION, returnByValue: true });
      const [type, text] = value.result.value as [string, string];
      return { result: text, type, variablesReference: 0 };
    }
    if (result.objectId && (result.type === 'object' || result.type === 'function')) {
      return { result: describeRemote(result), type: result.className ?? result.type, variablesReference: this.handle(result.objectId) };
    }
    return { result: describeRemote(result), type: result.type, variablesReference: 0 };
  }

  /** Bytes of linear memory 0 from `address`; fewer than `count` when the memory ends first. */
  readMemory(address: number, count: number): Promise<{ data: Uint8Array; memorySize: number }> {
    return this.readMemoryIn(0, address, count);
  }

  private async readMemoryIn(frameIndex: number, address: number, count: number): Promise<{ data: Uint8Array; memorySize: number }> {
    const frame = this.frameAt(frameIndex, 'reading memory');
    const expression = `(() => { const b = memories[0].buffer; const s = Math.min(${address}, b.byteLength); const e = Math.min(${address + count}, b.byteLength); return [Buffer.from(b, s, e - s).toString('base64'), b.byteLength]; })()`;
    const evaluated = await this.send<CdpEvaluateResult>('Debugger.evaluateOnCallFrame', { callFrameId: frame.callFrameId, expression, returnByValue: true, silent: true });
    if (evaluated.exceptionDetails) throw new Error(`the module's memory cannot be read here: ${evaluated.exceptionDetails.exception?.description ?? evaluated.exceptionDetails.text}`);
    const [base64, memorySize] = evaluated.result.value as [string, number];
    return { data: new Uint8Array(Buffer.from(base64, 'base64')), memorySize };
  }

  /** `count` disassembly lines starting `instructionOffset` lines away from the line at `address`. */
  async disassemble(address: number, instructionOffset: number, count: number): Promise<DisassembledLine[]> {
    const listing = await this.loadDisassembly();
    const first = listing.indexAt(address) + instructionOffset;
    const out: DisassembledLine[] = [];
    for (let i = first; i < first + count; i++) {
      const line = listing.lines[i];
      if (!line) {
        out.push({ address: hex(Math.max(0, i < 0 ? 0 : (listing.lines[listing.lines.length - 1]?.offset ?? 0))), instruction: '', invalid: true });
        continue;
      }
      const entry: DisassembledLine = { address: hex(line.offset), instruction: line.text.trim() };
      const fn = this.layout ? functionAt(this.layout, line.offset) : undefined;
      if (fn?.name) entry.symbol = readableFunctionName(fn.name);
      const position = this.lines?.positionAt(line.offset);
      const local = position && position.line > 0 ? this.files.localPath(position.file) : undefined;
      if (local !== undefined && position) entry.source = { path: local, line: position.line };
      out.push(entry);
    }
    return out;
  }

  private loadDisassembly(): Promise<WasmDisassembly> {
    if (!this.disassembly) {
      const scriptId = this.wasmScriptId;
      if (scriptId === undefined || !this.connection) return Promise.reject(new Error('the module is not loaded yet'));
      this.disassembly = WasmDisassembly.load(this.connection, scriptId);
      this.disassembly.catch(() => (this.disassembly = undefined));
    }
    return this.disassembly;
  }

  // ---- helpers ----

  /**
   * The source's name for a function when DWARF has been read (C's `int main(void)` is `__original_main` in the
   * name section), else the name section's, demangled (Rust's qualified path beats DWARF's bare name).
   */
  private functionName(raw: string, offset: number): string {
    const readable = readableFunctionName(raw);
    if (readable !== raw) return readable;
    return this.cVariablesReady?.functionAt(offset)?.name ?? raw;
  }

  /** The DWARF position of an offset when its file is on this machine (the user's code, not libc). */
  private userPosition(offset: number): SourcePosition | undefined {
    if (!this.hasUserSource(offset)) return undefined;
    return this.lines!.positionAt(offset);
  }

  private hasUserSource(offset: number): boolean {
    const position = this.lines?.positionAt(offset);
    if (!position) return false;
    if (position.line === 0) {
      // Compiler-generated code inside a user function still belongs to it.
      const fn = this.layout ? functionAt(this.layout, offset) : undefined;
      const first = fn ? this.lines!.firstStatementOf(fn.start, fn.end) : undefined;
      const anchor = first !== undefined ? this.lines!.positionAt(first) : undefined;
      return anchor !== undefined && this.files.localPath(anchor.file) !== undefined;
    }
    return this.files.localPath(position.file) !== undefined;
  }

  private isWasmFrame(frame: CdpCallFrame): boolean {
    return this.scripts.get(frame.location.scriptId)?.scriptLanguage === 'WebAssembly';
  }

  private requirePaused(what: string): PauseState {
    if (!this.paused || this.resumeSent) throw new NotPausedError(what);
    return this.paused;
  }

  private frameAt(index: number, what = 'inspecting a frame'): CdpCallFrame {
    const frame = this.requirePaused(what).frames[index];
    if (!frame) throw new Error(`there is no stack frame #${index}`);
    return frame;
  }

  /** Module-scope and stack scope objects hold their values one level down (`globals`, `stack`): fetched on expansion. */
  private handle(objectId: string, property?: 'globals' | 'stack'): number {
    return this.addHandle(property === undefined ? { kind: 'object', objectId } : { kind: 'property', objectId, property });
  }

  private addHandle(handle: Handle): number {
    const reference = this.nextHandle++;
    this.handles.set(reference, handle);
    return reference;
  }

  private async propertyObject(objectId: string, property: string): Promise<string | undefined> {
    const child = await this.send<{ result: CdpRemoteObject }>('Runtime.callFunctionOn', {
      objectId,
      functionDeclaration: `function () { return this[${JSON.stringify(property)}]; }`,
    });
    return child.result.objectId;
  }

  private send<T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    if (!this.connection || this.ended) return Promise.reject(new Error('the module is not running under the debugger'));
    return this.connection.send<T>(method, params);
  }
}
