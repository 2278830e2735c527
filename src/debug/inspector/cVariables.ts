// C/C++/Rust variables of a paused wasm frame: DWARF locations resolved against the frame's wasm locals and linear memory.

import { functionContaining, variablesInScope, type DebugInfo, type FunctionInfo, type TypeInfo, type VariableInfo } from '../dwarf/debugInfo';
import { childrenOf, formatValue, hasChildren, sizeOf } from '../dwarf/cValues';

/** How the reader reaches the paused frame (the bridge answers with inspector evaluations). */
export interface FrameAccess {
  readMemory(frameIndex: number, address: number, count: number): Promise<Uint8Array>;
  /** A wasm local/global of the frame as a number (the frame base); undefined when it cannot be read. */
  wasmValue(frameIndex: number, space: 'local' | 'global' | 'stack', index: number): Promise<number | undefined>;
}

/** One C value: text to show, and where to find its parts when it has any. */
export interface CValueRow {
  name: string;
  value: string;
  type: string;
  /** Where the value lives in linear memory (the editor's memory view opens there). */
  address?: number;
  expandable?: { type: TypeInfo | undefined; address: number; pointerValue?: number };
}

/** Values larger than this are not read whole (their parts are read when expanded). */
const MAX_VALUE_BYTES = 4096;

export class CVariables {
  constructor(
    private readonly info: DebugInfo,
    /** Start of the code section: DWARF addresses are relative to it. */
    private readonly codeSectionStart: number,
    private readonly access: FrameAccess,
  ) {}

  functionAt(offset: number): FunctionInfo | undefined {
    return functionContaining(this.info, offset - this.codeSectionStart);
  }

  async locals(frameIndex: number, offset: number): Promise<CValueRow[]> {
    const fn = this.functionAt(offset);
    if (!fn) return [];
    const visible = variablesInScope(fn, offset - this.codeSectionStart);
    // Parameters first, then locals in declaration order (as C debuggers list them).
    visible.sort((a, b) => Number(b.parameter) - Number(a.parameter));
    const frameBase = await this.frameBase(frameIndex, fn);
    return Promise.all(visible.map((variable) => this.row(frameIndex, variable, frameBase)));
  }

  async globals(frameIndex: number, offset: number): Promise<CValueRow[]> {
    const fn = this.functionAt(offset);
    if (!fn) return [];
    const inUnit = this.info.globals.filter((variable) => variable.unit === fn.unit);
    return Promise.all(inUnit.map((variable) => this.row(frameIndex, variable, undefined)));
  }

  async children(frameIndex: number, type: TypeInfo | undefined, address: number, pointerValue: number | undefined): Promise<CValueRow[]> {
    return Promise.all(childrenOf(type, address, pointerValue).map((child) => this.valueAt(frameIndex, child.name, child.type, child.address)));
  }

  /**
   * Evaluates a C access path in the frame: `name`, `name[3]`, `name.field`, `name->field`, `*name`.
   * Returns undefined when the expression is not such a path or names no variable here.
   */
  async evaluate(frameIndex: number, offset: number, expression: string): Promise<CValueRow | undefined> {
    const parsed = /^\s*(\*?)\s*([A-Za-z_]\w*)((?:\s*(?:\[\s*\d+\s*\]|\.\s*[A-Za-z_]\w*|->\s*[A-Za-z_]\w*))*)\s*$/.exec(expression);
    if (!parsed) return undefined;
    const fn = this.functionAt(offset);
    if (!fn) return undefined;
    const name = parsed[2]!;
    const variable =
      variablesInScope(fn, offset - this.codeSectionStart).find((v) => v.name === name) ??
      this.info.globals.find((v) => v.name === name && v.unit === fn.unit) ??
      this.info.globals.find((v) => v.name === name);
    if (!variable) return undefined;
    let address = await this.addressOf(frameIndex, variable, fn);
    if (address === undefined) return { name: expression, value: `<${unavailableWhy(variable)}>`, type: variable.type?.name ?? '?' };
    let type = variable.type;
    const steps = [...(parsed[3] ?? '').matchAll(/\[\s*(\d+)\s*\]|\.\s*([A-Za-z_]\w*)|->\s*([A-Za-z_]\w*)/g)];
    for (const step of steps) {
      if (step[1] !== undefined) {
        const index = Number(step[1]);
        if (type?.kind === 'array') {
          address += index * sizeOf(type.element);
          type = type.element;
        } else if (type?.kind === 'pointer') {
          address = (await this.pointerAt(frameIndex, address)) + index * sizeOf(type.target);
          type = type.target;
        } else throw new Error(`${expression}: [${index}] needs an array or a pointer`);
      } else {
        if (step[3] !== undefined) {
          if (type?.kind !== 'pointer') throw new Error(`${expression}: -> needs a pointer`);
          address = await this.pointerAt(frameIndex, address);
          type = type.target;
        }
        const field = step[2] ?? step[3]!;
        const member = type?.kind === 'struct' ? type.members.find((m) => m.name === field) : undefined;
        if (!member) throw new Error(`${expression}: ${type?.name ?? 'the value'} has no member ${field}`);
        address += member.offset;
        type = member.type;
      }
    }
    if (parsed[1] === '*') {
      if (type?.kind !== 'pointer') throw new Error(`${expression}: * needs a pointer`);
      address = await this.pointerAt(frameIndex, address);
      type = type.target;
    }
    return this.valueAt(frameIndex, expression, type, address);
  }

  private async row(frameIndex: number, variable: VariableInfo, frameBase: number | undefined): Promise<CValueRow> {
    const address =
      variable.location.kind === 'address' ? variable.location.address
      : variable.location.kind === 'frame' && frameBase !== undefined ? frameBase + variable.location.offset
      : undefined;
    if (address === undefined) return { name: variable.name, value: `<${unavailableWhy(variable)}>`, type: variable.type?.name ?? '?' };
    return this.valueAt(frameIndex, variable.name, variable.type, address);
  }

  private async valueAt(frameIndex: number, name: string, type: TypeInfo | undefined, address: number): Promise<CValueRow> {
    const size = Math.min(sizeOf(type), MAX_VALUE_BYTES);
    let value: string;
    let pointerValue: number | undefined;
    try {
      const bytes = await this.access.readMemory(frameIndex, address, Math.max(size, 1));
      value = size === 0 ? `<${type?.name ?? 'void'}>` : formatValue(type, bytes);
      if (type?.kind === 'pointer' && bytes.length >= 4) pointerValue = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
    } catch (error) {
      value = `<unreadable: ${error instanceof Error ? error.message : String(error)}>`;
    }
    const row: CValueRow = { name, value, type: type?.name ?? '?', address };
    if (hasChildren(type) && (type?.kind !== 'pointer' || (pointerValue ?? 0) !== 0)) row.expandable = { type, address, ...(pointerValue !== undefined ? { pointerValue } : {}) };
    return row;
  }

  private async addressOf(frameIndex: number, variable: VariableInfo, fn: FunctionInfo): Promise<number | undefined> {
    if (variable.location.kind === 'address') return variable.location.address;
    if (variable.location.kind !== 'frame') return undefined;
    const base = await this.frameBase(frameIndex, fn);
    return base === undefined ? undefined : base + variable.location.offset;
  }

  private async frameBase(frameIndex: number, fn: FunctionInfo): Promise<number | undefined> {
    if (!fn.frameBase) return undefined;
    return this.access.wasmValue(frameIndex, fn.frameBase.space, fn.frameBase.index);
  }

  private async pointerAt(frameIndex: number, address: number): Promise<number> {
    const bytes = await this.access.readMemory(frameIndex, address, 4);
    if (bytes.length < 4) throw new Error(`address 0x${address.toString(16)} is outside the memory`);
    return new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  }
}

function unavailableWhy(variable: VariableInfo): string {
  return variable.location.kind === 'unavailable' ? variable.location.why : 'frame base unknown';
}
