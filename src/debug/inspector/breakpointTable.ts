// Breakpoints the editor asked for (source lines, instruction offsets), placed on module offsets and bound to V8 breakpoints.
//
// Requests may come before the module is known (DAP sends setBreakpoints while launch is resolved): they are
// kept and answered as pending, then resolved when the module's DWARF is read and bound once V8 is attached.

import { EventEmitter } from 'node:events';
import { functionAt, type WasmModuleLayout } from '../dwarf/wasmSections';
import type { SourceLineMap } from '../dwarf/sourceLines';
import type { SourceFiles } from './sourceFiles';
import type { CdpConnection } from './cdpTypes';
import { hex } from './wasmValues';

export interface BreakpointResult {
  id: number;
  verified: boolean;
  /** Source breakpoints: the line it really sits on. */
  line?: number;
  /** Instruction breakpoints: the absolute offset it sits on. */
  offset?: number;
  message?: string;
}

export interface SourceBreakpointRequest {
  line: number;
  condition?: string;
}

export interface InstructionBreakpointRequest {
  offset: number;
  condition?: string;
}

interface Entry {
  result: BreakpointResult;
  /** Module offsets to break at (empty while unresolved). */
  offsets: number[];
  condition?: string;
  cdpIds: string[];
}

interface ModuleInfo {
  layout: WasmModuleLayout;
  lines: SourceLineMap | undefined;
  files: SourceFiles;
}

export const PENDING_MESSAGE = 'pending: the module is not loaded yet';

export class BreakpointTable extends EventEmitter {
  private nextId = 1;
  private readonly sources = new Map<string, { requests: SourceBreakpointRequest[]; entries: Entry[] }>();
  private instructions: { requests: InstructionBreakpointRequest[]; entries: Entry[] } = { requests: [], entries: [] };
  private module: ModuleInfo | undefined;
  private connection: CdpConnection | undefined;
  private readonly byCdpId = new Map<string, number>();
  private disabledReason: string | undefined;

  /** Replaces the breakpoints of one source file. */
  async setSource(editorPath: string, requests: SourceBreakpointRequest[]): Promise<BreakpointResult[]> {
    const previous = this.sources.get(editorPath);
    if (previous) await this.unbind(previous.entries);
    const entries = requests.map((request) => this.resolveSource(editorPath, request));
    this.sources.set(editorPath, { requests, entries });
    await this.bind(entries);
    return entries.map((entry) => ({ ...entry.result }));
  }

  async setInstructions(requests: InstructionBreakpointRequest[]): Promise<BreakpointResult[]> {
    await this.unbind(this.instructions.entries);
    const entries = requests.map((request) => this.resolveInstruction(request));
    this.instructions = { requests, entries };
    await this.bind(entries);
    return entries.map((entry) => ({ ...entry.result }));
  }

  /** The module became known: pending breakpoints are resolved; 'changed' fires for each. */
  useModule(module: ModuleInfo): void {
    this.module = module;
    for (const [editorPath, source] of this.sources) {
      source.entries = source.requests.map((request, i) => this.resolveSource(editorPath, request, source.entries[i]?.result.id));
      for (const entry of source.entries) this.emit('changed', { ...entry.result });
    }
    this.instructions.entries = this.instructions.requests.map((request, i) =>
      this.resolveInstruction(request, this.instructions.entries[i]?.result.id),
    );
    for (const entry of this.instructions.entries) this.emit('changed', { ...entry.result });
  }

  /** No debugger will come (Run Without Debugging): every breakpoint becomes unverified with `reason`. */
  disable(reason: string): void {
    this.disabledReason = reason;
    for (const entry of this.allEntries()) {
      entry.result = { id: entry.result.id, verified: false, ...(entry.result.line !== undefined ? { line: entry.result.line } : {}), ...(entry.result.offset !== undefined ? { offset: entry.result.offset } : {}), message: reason };
      entry.offsets = [];
      this.emit('changed', { ...entry.result });
    }
  }

  private allEntries(): Entry[] {
    return [...[...this.sources.values()].flatMap((source) => source.entries), ...this.instructions.entries];
  }

  /** V8 is attached: every resolved breakpoint is placed (before the module loads, by URL pattern). */
  async attach(connection: CdpConnection): Promise<void> {
    this.connection = connection;
    await this.bind(this.allEntries());
  }

  isInstructionBreakpoint(id: number): boolean {
    return this.instructions.entries.some((entry) => entry.result.id === id);
  }

  /** The editor ids of the breakpoints behind V8's hit breakpoint ids. */
  editorIds(cdpIds: string[] | undefined): number[] {
    const ids = new Set<number>();
    for (const cdpId of cdpIds ?? []) {
      const id = this.byCdpId.get(cdpId);
      if (id !== undefined) ids.add(id);
    }
    return [...ids];
  }

  private resolveSource(editorPath: string, request: SourceBreakpointRequest, id = this.nextId++): Entry {
    const base = { id, verified: false, line: request.line };
    if (this.disabledReason !== undefined) return { result: { ...base, message: this.disabledReason }, offsets: [], cdpIds: [] };
    const module = this.module;
    if (!module) return { result: { ...base, message: PENDING_MESSAGE }, offsets: [], cdpIds: [], condition: request.condition };
    if (!module.lines) {
      return {
        result: { ...base, message: 'the module has no DWARF line information: rebuild it with -g (clang) or debug = true (Rust), or set breakpoints in the Disassembly view' },
        offsets: [], cdpIds: [],
      };
    }
    const file = module.files.matchEditorPath(editorPath);
    if (file === undefined) {
      return { result: { ...base, message: `the module was not built from ${editorPath} (no DWARF line information names it)` }, offsets: [], cdpIds: [] };
    }
    const placed = module.lines.resolveLine(file, request.line);
    if (!placed) return { result: { ...base, message: `no code at or after line ${request.line} of ${editorPath}` }, offsets: [], cdpIds: [] };
    return { result: { id, verified: true, line: placed.line }, offsets: placed.offsets, cdpIds: [], condition: request.condition };
  }

  private resolveInstruction(request: InstructionBreakpointRequest, id = this.nextId++): Entry {
    if (this.disabledReason !== undefined) return { result: { id, verified: false, offset: request.offset, message: this.disabledReason }, offsets: [], cdpIds: [] };
    const module = this.module;
    if (!module) return { result: { id, verified: false, offset: request.offset, message: PENDING_MESSAGE }, offsets: [], cdpIds: [], condition: request.condition };
    const fn = functionAt(module.layout, request.offset);
    if (!fn) {
      return { result: { id, verified: false, offset: request.offset, message: `${hex(request.offset)} is not inside a function body of the module` }, offsets: [], cdpIds: [] };
    }
    // An offset inside the local declarations means the function's first instruction.
    const offset = Math.max(request.offset, fn.codeStart);
    return { result: { id, verified: true, offset }, offsets: [offset], cdpIds: [], condition: request.condition };
  }

  private async bind(entries: Entry[]): Promise<void> {
    const connection = this.connection;
    if (!connection) return;
    for (const entry of entries) {
      for (const offset of entry.offsets) {
        try {
          const placed = await connection.send<{ breakpointId: string }>('Debugger.setBreakpointByUrl', {
            urlRegex: '^wasm://',
            lineNumber: 0,
            columnNumber: offset,
            ...(entry.condition ? { condition: entry.condition } : {}),
          });
          entry.cdpIds.push(placed.breakpointId);
          this.byCdpId.set(placed.breakpointId, entry.result.id);
        } catch (error) {
          // Two editor breakpoints on one offset: V8 refuses the second; the first one stops there anyway.
          entry.result.message = error instanceof Error ? error.message : String(error);
        }
      }
    }
  }

  private async unbind(entries: Entry[]): Promise<void> {
    const connection = this.connection;
    for (const entry of entries) {
      for (const cdpId of entry.cdpIds.splice(0)) {
        this.byCdpId.delete(cdpId);
        if (connection) await connection.send('Debugger.removeBreakpoint', { breakpointId: cdpId }).catch(() => undefined);
      }
    }
  }
}
