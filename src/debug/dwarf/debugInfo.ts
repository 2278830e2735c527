// Reads .debug_info for C/C++/Rust variables: functions with their frame base and scoped variables, globals, and types.
//
// Covers what clang emits at -O0 for wasm: locations DW_OP_fbreg (frame base = a wasm local or global via
// DW_OP_WASM_location) and DW_OP_addr. Location lists (optimized code) are reported as unavailable.

import { DW_UT_compile, DwarfReader, Form, readAbbreviationTable, readForm, readUnitHeader, type FormContext, type FormValue } from './dwarfReader';

export type TypeInfo =
  | { kind: 'base'; name: string; size: number; encoding: number }
  | { kind: 'pointer'; name: string; size: number; target: TypeInfo | undefined }
  | { kind: 'array'; name: string; element: TypeInfo | undefined; count: number | undefined }
  | { kind: 'struct'; name: string; size: number; members: Array<{ name: string; offset: number; type: TypeInfo | undefined }> }
  | { kind: 'enum'; name: string; size: number; values: Map<number, string> }
  | { kind: 'unknown'; name: string; size: number };

/** Where a variable lives. */
export type VariableLocation =
  | { kind: 'frame'; offset: number } // frame base + offset, in linear memory
  | { kind: 'address'; address: number } // a fixed linear-memory address
  | { kind: 'unavailable'; why: string };

/** Where the frame base comes from: a wasm local, global or operand-stack slot (DW_OP_WASM_location). */
export interface FrameBase {
  space: 'local' | 'global' | 'stack';
  index: number;
}

export interface VariableInfo {
  name: string;
  type: TypeInfo | undefined;
  location: VariableLocation;
  /** Code-relative ranges this variable is in scope for (lexical blocks); undefined = the whole function. */
  scope?: Array<[number, number]>;
  parameter: boolean;
  /** Index of the compile unit that declares it. */
  unit: number;
}

export interface FunctionInfo {
  name: string;
  /** Code-section-relative [low, high). */
  low: number;
  high: number;
  frameBase: FrameBase | undefined;
  variables: VariableInfo[];
  unit: number;
}

export interface DebugInfo {
  functions: FunctionInfo[];
  globals: VariableInfo[];
}

const enum Tag {
  arrayType = 0x01, enumerationType = 0x04, formalParameter = 0x05, lexicalBlock = 0x0b, member = 0x0d,
  pointerType = 0x0f, referenceType = 0x10, compileUnit = 0x11, structureType = 0x13, typedef = 0x16, unionType = 0x17,
  subrangeType = 0x21, baseType = 0x24, constType = 0x26, enumerator = 0x28, subprogram = 0x2e, variable = 0x34,
  volatileType = 0x35, restrictType = 0x37, atomicType = 0x47,
}

const enum At {
  location = 0x02, name = 0x03, byteSize = 0x0b, lowPc = 0x11, highPc = 0x12, upperBound = 0x2f, abstractOrigin = 0x31,
  count = 0x37, dataMemberLocation = 0x38, declaration = 0x3c, encoding = 0x3e, frameBase = 0x40, specification = 0x47,
  type = 0x49, ranges = 0x55, constValue = 0x1c,
}

interface Die {
  offset: number;
  tag: number;
  attributes: Map<number, FormValue & { form: number }>;
  children: Die[];
  parent: Die | undefined;
}

export interface DebugInfoSections {
  debugInfo: Uint8Array;
  debugAbbrev: Uint8Array;
  debugStr?: Uint8Array;
  debugLineStr?: Uint8Array;
}

export function readDebugInfo(sections: DebugInfoSections): DebugInfo {
  const steps = readDebugInfoSteps(sections);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * The same read in slices: the main thread of the extension host must not block on a large module (the .debug_info
 * of a Rust program with its std is ~1 s of parsing); it yields to the event loop every `sliceMs`.
 */
export async function readDebugInfoInSlices(sections: DebugInfoSections, sliceMs = 8): Promise<DebugInfo> {
  const steps = readDebugInfoSteps(sections);
  let sliceStart = performance.now();
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
}

/** Yields after each compile unit (and while building), returns the result. */
function* readDebugInfoSteps(sections: DebugInfoSections): Generator<void, DebugInfo> {
  const dies = new Map<number, Die>();
  const units: Die[] = [];
  const reader = new DwarfReader(sections.debugInfo);
  while (!reader.atEnd) {
    const unitStart = reader.offset;
    const { end, offsetSize, version, unitType, addressSize, abbrevOffset } = readUnitHeader(reader);
    if (unitType !== DW_UT_compile) {
      reader.offset = end;
      continue;
    }
    const abbrevs = readAbbreviationTable(sections.debugAbbrev, abbrevOffset);
    const context: FormContext = { offsetSize, addressSize, version, debugStr: sections.debugStr, debugLineStr: sections.debugLineStr };
    const stack: Die[] = [];
    while (reader.offset < end) {
      const offset = reader.offset;
      const code = reader.uleb();
      if (code === 0) {
        stack.pop();
        continue;
      }
      const abbrev = abbrevs.get(code);
      if (!abbrev) break; // damaged unit: keep what was read
      const attributes = new Map<number, FormValue & { form: number }>();
      for (const attribute of abbrev.attributes) {
        let value = readForm(reader, attribute.form, context, attribute.implicitConst);
        if (isUnitReference(attribute.form) && value.kind === 'number') value = { kind: 'number', value: value.value + unitStart };
        attributes.set(attribute.name, { ...value, form: attribute.form });
      }
      const parent = stack[stack.length - 1];
      const die: Die = { offset, tag: abbrev.tag, attributes, children: [], parent };
      dies.set(offset, die);
      if (parent) parent.children.push(die);
      else units.push(die);
      if (abbrev.hasChildren) stack.push(die);
      if ((dies.size & 1023) === 0) yield;
    }
    reader.offset = end;
    yield;
  }
  return new DebugInfoBuilder(dies).build(units);
}

function isUnitReference(form: number): boolean {
  return form === Form.ref1 || form === Form.ref2 || form === Form.ref4 || form === Form.ref8 || form === Form.refUdata;
}

class DebugInfoBuilder {
  private readonly types = new Map<number, TypeInfo>();

  constructor(private readonly dies: Map<number, Die>) {}

  build(units: Die[]): DebugInfo {
    const functions: FunctionInfo[] = [];
    const globals: VariableInfo[] = [];
    const visit = (die: Die, unit: number): void => {
      for (const child of die.children) {
        if (child.tag === Tag.subprogram) {
          const fn = this.function(child, unit);
          if (fn) functions.push(fn);
        } else if (child.tag === Tag.variable) {
          const variable = this.variable(child, undefined, false, unit);
          if (variable && variable.location.kind === 'address') globals.push(variable);
        } else if (child.tag === 0x39 /* namespace */) visit(child, unit);
      }
    };
    units.forEach((unit, index) => visit(unit, index));
    functions.sort((a, b) => a.low - b.low);
    return { functions, globals };
  }

  private function(die: Die, unit: number): FunctionInfo | undefined {
    const low = numberOf(die, At.lowPc);
    if (low === undefined || low === 0) return undefined; // a declaration, or code the linker dropped
    const highAttr = die.attributes.get(At.highPc);
    if (!highAttr || highAttr.kind !== 'number') return undefined;
    const high = highAttr.form === Form.addr ? highAttr.value : low + highAttr.value;
    const origin = this.origin(die);
    const name = stringOf(die, At.name) ?? (origin ? stringOf(origin, At.name) : undefined) ?? `function@${low}`;
    const variables: VariableInfo[] = [];
    const collect = (parent: Die, scope: Array<[number, number]> | undefined): void => {
      for (const child of parent.children) {
        if (child.tag === Tag.variable || child.tag === Tag.formalParameter) {
          const variable = this.variable(child, scope, child.tag === Tag.formalParameter, unit);
          if (variable) variables.push(variable);
        } else if (child.tag === Tag.lexicalBlock) {
          const blockLow = numberOf(child, At.lowPc);
          const blockHighAttr = child.attributes.get(At.highPc);
          let blockScope = scope;
          if (blockLow !== undefined && blockHighAttr?.kind === 'number') {
            blockScope = [[blockLow, blockHighAttr.form === Form.addr ? blockHighAttr.value : blockLow + blockHighAttr.value]];
          }
          collect(child, blockScope);
        }
      }
    };
    collect(die, undefined);
    return { name, low, high, frameBase: frameBaseOf(die.attributes.get(At.frameBase)), variables, unit };
  }

  private origin(die: Die): Die | undefined {
    const reference = numberOf(die, At.abstractOrigin) ?? numberOf(die, At.specification);
    return reference === undefined ? undefined : this.dies.get(reference);
  }

  private variable(die: Die, scope: Array<[number, number]> | undefined, parameter: boolean, unit: number): VariableInfo | undefined {
    const origin = this.origin(die);
    const name = stringOf(die, At.name) ?? (origin ? stringOf(origin, At.name) : undefined);
    if (name === undefined) return undefined;
    const typeRef = numberOf(die, At.type) ?? (origin ? numberOf(origin, At.type) : undefined);
    const type = typeRef === undefined ? undefined : this.type(typeRef);
    const location = locationOf(die.attributes.get(At.location));
    return { name, type, location, parameter, unit, ...(scope ? { scope } : {}) };
  }

  type(offset: number, depth = 0): TypeInfo | undefined {
    const known = this.types.get(offset);
    if (known) return known;
    const die = this.dies.get(offset);
    if (!die || depth > 16) return undefined;
    const name = stringOf(die, At.name);
    const size = numberOf(die, At.byteSize) ?? 0;
    const inner = (): TypeInfo | undefined => {
      const target = numberOf(die, At.type);
      return target === undefined ? undefined : this.type(target, depth + 1);
    };
    let type: TypeInfo;
    switch (die.tag) {
      case Tag.baseType:
        type = { kind: 'base', name: name ?? '?', size, encoding: numberOf(die, At.encoding) ?? 0 };
        break;
      case Tag.pointerType:
      case Tag.referenceType: {
        // Placeholder first: a struct may point to itself.
        const pointer: TypeInfo = { kind: 'pointer', name: 'void *', size: size || 4, target: undefined };
        this.types.set(offset, pointer);
        const target = inner();
        pointer.target = target;
        pointer.name = target?.name.endsWith('*') ? `${target.name}*` : `${target?.name ?? 'void'} *`;
        return pointer;
      }
      case Tag.typedef:
      case Tag.constType:
      case Tag.volatileType:
      case Tag.restrictType:
      case Tag.atomicType: {
        const target = inner();
        const prefix = die.tag === Tag.constType ? 'const ' : die.tag === Tag.volatileType ? 'volatile ' : '';
        if (!target) return { kind: 'unknown', name: name ?? `${prefix}void`, size: 0 };
        type = { ...target, name: die.tag === Tag.typedef ? name ?? target.name : `${prefix}${target.name}` } as TypeInfo;
        break;
      }
      case Tag.arrayType: {
        const element = inner();
        const range = die.children.find((child) => child.tag === Tag.subrangeType);
        const count = range ? numberOf(range, At.count) ?? plusOne(numberOf(range, At.upperBound)) : undefined;
        type = { kind: 'array', name: `${element?.name ?? '?'}[${count ?? ''}]`, element, count };
        break;
      }
      case Tag.structureType:
      case Tag.unionType: {
        const struct: TypeInfo = { kind: 'struct', name: `${die.tag === Tag.unionType ? 'union' : 'struct'} ${name ?? '(anonymous)'}`, size, members: [] };
        this.types.set(offset, struct);
        for (const child of die.children) {
          if (child.tag !== Tag.member) continue;
          const memberType = numberOf(child, At.type);
          struct.members.push({
            name: stringOf(child, At.name) ?? '(anonymous)',
            offset: numberOf(child, At.dataMemberLocation) ?? 0,
            type: memberType === undefined ? undefined : this.type(memberType, depth + 1),
          });
        }
        return struct;
      }
      case Tag.enumerationType: {
        const values = new Map<number, string>();
        for (const child of die.children) {
          if (child.tag === Tag.enumerator) values.set(numberOf(child, At.constValue) ?? 0, stringOf(child, At.name) ?? '?');
        }
        type = { kind: 'enum', name: `enum ${name ?? '(anonymous)'}`, size: size || 4, values };
        break;
      }
      default:
        type = { kind: 'unknown', name: name ?? '?', size };
    }
    this.types.set(offset, type);
    return type;
  }
}

function plusOne(value: number | undefined): number | undefined {
  return value === undefined ? undefined : value + 1;
}

function numberOf(die: Die, attribute: number): number | undefined {
  const value = die.attributes.get(attribute);
  return value?.kind === 'number' ? value.value : undefined;
}

function stringOf(die: Die, attribute: number): string | undefined {
  const value = die.attributes.get(attribute);
  return value?.kind === 'string' ? value.value : undefined;
}

const DW_OP_addr = 0x03;
const DW_OP_fbreg = 0x91;
const DW_OP_WASM_location = 0xed;

function locationOf(value: (FormValue & { form: number }) | undefined): VariableLocation {
  if (!value) return { kind: 'unavailable', why: 'optimized out' };
  if (value.kind !== 'bytes') return { kind: 'unavailable', why: 'its location changes within the function (optimized code)' };
  const expression = new DwarfReader(value.value);
  if (value.value.length === 0) return { kind: 'unavailable', why: 'optimized out' };
  const op = expression.u8();
  if (op === DW_OP_fbreg) return { kind: 'frame', offset: expression.sleb() };
  if (op === DW_OP_addr) return { kind: 'address', address: expression.u32() };
  return { kind: 'unavailable', why: `location expression 0x${op.toString(16)} is not supported` };
}

function frameBaseOf(value: (FormValue & { form: number }) | undefined): FrameBase | undefined {
  if (!value || value.kind !== 'bytes' || value.value.length < 3) return undefined;
  const expression = new DwarfReader(value.value);
  if (expression.u8() !== DW_OP_WASM_location) return undefined;
  const space = expression.u8();
  const index = space === 3 ? expression.u32() : expression.uleb();
  if (space === 0) return { space: 'local', index };
  if (space === 1 || space === 3) return { space: 'global', index };
  if (space === 2) return { space: 'stack', index };
  return undefined;
}

/** The function whose code-relative range contains `address`. */
export function functionContaining(info: DebugInfo, address: number): FunctionInfo | undefined {
  let low = 0;
  let high = info.functions.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const fn = info.functions[mid]!;
    if (address < fn.low) high = mid - 1;
    else if (address >= fn.high) low = mid + 1;
    else return fn;
  }
  return undefined;
}

/** The variables visible at `address` in `fn` (block-scoped ones only inside their block); inner shadows outer. */
export function variablesInScope(fn: FunctionInfo, address: number): VariableInfo[] {
  const visible = fn.variables.filter((v) => !v.scope || v.scope.some(([start, end]) => address >= start && address < end));
  const byName = new Map<string, VariableInfo>();
  for (const variable of visible) {
    const known = byName.get(variable.name);
    // A block-scoped variable is declared after (deeper than) the outer one of the same name.
    if (!known || variable.scope) byName.set(variable.name, variable);
  }
  return [...byName.values()];
}
