// Little-endian cursor over a DWARF section: fixed-size integers, LEB128, strings and the skipping of attribute forms.

export class DwarfFormatError extends Error {}

export class DwarfReader {
  constructor(readonly bytes: Uint8Array, public offset = 0) {}

  get atEnd(): boolean {
    return this.offset >= this.bytes.length;
  }

  u8(): number {
    if (this.offset >= this.bytes.length) throw new DwarfFormatError(`DWARF data ends early (offset ${this.offset})`);
    return this.bytes[this.offset++]!;
  }
  u16(): number {
    return this.u8() | (this.u8() << 8);
  }
  u32(): number {
    return (this.u16() + this.u16() * 0x10000) >>> 0;
  }
  u64(): number {
    const low = this.u32();
    const high = this.u32();
    return high * 2 ** 32 + low;
  }
  uleb(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.u8();
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) return result;
    }
  }
  sleb(): number {
    let result = 0;
    let shift = 0;
    let b: number;
    do {
      b = this.u8();
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    if (b & 0x40) result -= 2 ** shift;
    return result;
  }
  cstring(): string {
    const start = this.offset;
    while (this.u8() !== 0) {
      // scan to the terminating NUL
    }
    return new TextDecoder().decode(this.bytes.subarray(start, this.offset - 1));
  }
  /** A length-prefixed unit: returns its end and whether it uses 64-bit offsets. */
  unitLength(): { end: number; offsetSize: 4 | 8 } {
    const first = this.u32();
    if (first === 0xffffffff) {
      const length = this.u64();
      return { end: this.offset + length, offsetSize: 8 };
    }
    return { end: this.offset + first, offsetSize: 4 };
  }
  sectionOffset(size: 4 | 8): number {
    return size === 8 ? this.u64() : this.u32();
  }
}

export const DW_UT_compile = 0x01;
export const DW_UT_skeleton = 0x04;
export const DW_UT_split_compile = 0x05;

/** A .debug_info unit header (DWARF 2–5). The reader is left at the unit's first entry. */
export interface UnitHeader {
  /** Offset just past the unit. */
  end: number;
  offsetSize: 4 | 8;
  version: number;
  /** DW_UT_* (DWARF 5); a compile unit for older versions. */
  unitType: number;
  addressSize: number;
  abbrevOffset: number;
}

export function readUnitHeader(reader: DwarfReader): UnitHeader {
  const { end, offsetSize } = reader.unitLength();
  const version = reader.u16();
  if (version < 5) {
    const abbrevOffset = reader.sectionOffset(offsetSize);
    return { end, offsetSize, version, unitType: DW_UT_compile, addressSize: reader.u8(), abbrevOffset };
  }
  const unitType = reader.u8();
  const addressSize = reader.u8();
  const abbrevOffset = reader.sectionOffset(offsetSize);
  if (unitType === DW_UT_skeleton || unitType === DW_UT_split_compile) reader.offset += 8; // dwo id
  return { end, offsetSize, version, unitType, addressSize, abbrevOffset };
}

/** One entry of a .debug_abbrev table. */
export interface Abbreviation {
  tag: number;
  hasChildren: boolean;
  attributes: Array<{ name: number; form: number; implicitConst: number }>;
}

/** The abbreviation table at `offset` in .debug_abbrev, by code. */
export function readAbbreviationTable(section: Uint8Array, offset: number): Map<number, Abbreviation> {
  const table = new Map<number, Abbreviation>();
  const reader = new DwarfReader(section, offset);
  for (;;) {
    const code = reader.uleb();
    if (code === 0) break;
    const tag = reader.uleb();
    const hasChildren = reader.u8() !== 0;
    const attributes: Abbreviation['attributes'] = [];
    for (;;) {
      const name = reader.uleb();
      const form = reader.uleb();
      if (name === 0 && form === 0) break;
      attributes.push({ name, form, implicitConst: form === Form.implicitConst ? reader.sleb() : 0 });
    }
    table.set(code, { tag, hasChildren, attributes });
  }
  return table;
}

/** Reads a NUL-terminated string at `offset` in a string section (.debug_str / .debug_line_str). */
export function stringAt(section: Uint8Array | undefined, offset: number): string {
  if (!section || offset >= section.length) return '';
  return new DwarfReader(section, offset).cstring();
}

/** DW_FORM_* codes this reader understands. */
export const enum Form {
  addr = 0x01, block2 = 0x03, block4 = 0x04, data2 = 0x05, data4 = 0x06, data8 = 0x07, string = 0x08, block = 0x09,
  block1 = 0x0a, data1 = 0x0b, flag = 0x0c, sdata = 0x0d, strp = 0x0e, udata = 0x0f, refAddr = 0x10, ref1 = 0x11,
  ref2 = 0x12, ref4 = 0x13, ref8 = 0x14, refUdata = 0x15, indirect = 0x16, secOffset = 0x17, exprloc = 0x18,
  flagPresent = 0x19, strx = 0x1a, addrx = 0x1b, refSup4 = 0x1c, strpSup = 0x1d, data16 = 0x1e, lineStrp = 0x1f,
  refSig8 = 0x20, implicitConst = 0x21, loclistx = 0x22, rnglistx = 0x23, strx1 = 0x25, strx2 = 0x26, strx3 = 0x27,
  strx4 = 0x28, addrx1 = 0x29, addrx2 = 0x2a, addrx3 = 0x2b, addrx4 = 0x2c,
}

export type FormValue = { kind: 'number'; value: number } | { kind: 'string'; value: string } | { kind: 'bytes'; value: Uint8Array };

export interface FormContext {
  offsetSize: 4 | 8;
  addressSize: number;
  version: number;
  debugStr?: Uint8Array;
  debugLineStr?: Uint8Array;
}

/** Reads one attribute value of `form`; string forms are resolved when their section is at hand. */
export function readForm(reader: DwarfReader, form: number, context: FormContext, implicitConst = 0): FormValue {
  const number = (value: number): FormValue => ({ kind: 'number', value });
  const block = (length: number): FormValue => {
    const value = reader.bytes.subarray(reader.offset, reader.offset + length);
    reader.offset += length;
    return { kind: 'bytes', value };
  };
  switch (form) {
    case Form.addr:
      return number(context.addressSize === 8 ? reader.u64() : reader.u32());
    case Form.data1: case Form.ref1: case Form.flag: case Form.strx1: case Form.addrx1:
      return number(reader.u8());
    case Form.data2: case Form.ref2: case Form.strx2: case Form.addrx2:
      return number(reader.u16());
    case Form.strx3: case Form.addrx3:
      return number(reader.u16() + reader.u8() * 0x10000);
    case Form.data4: case Form.ref4: case Form.refSup4: case Form.strx4: case Form.addrx4:
      return number(reader.u32());
    case Form.data8: case Form.ref8: case Form.refSig8:
      return number(reader.u64());
    case Form.data16:
      return block(16);
    case Form.sdata:
      return number(reader.sleb());
    case Form.udata: case Form.refUdata: case Form.strx: case Form.addrx: case Form.loclistx: case Form.rnglistx:
      return number(reader.uleb());
    case Form.string:
      return { kind: 'string', value: reader.cstring() };
    case Form.strp:
      return { kind: 'string', value: stringAt(context.debugStr, reader.sectionOffset(context.offsetSize)) };
    case Form.lineStrp:
      return { kind: 'string', value: stringAt(context.debugLineStr, reader.sectionOffset(context.offsetSize)) };
    case Form.strpSup: case Form.secOffset:
      return number(reader.sectionOffset(context.offsetSize));
    case Form.refAddr:
      return number(context.version <= 2 ? reader.u32() : reader.sectionOffset(context.offsetSize));
    case Form.block1:
      return block(reader.u8());
    case Form.block2:
      return block(reader.u16());
    case Form.block4:
      return block(reader.u32());
    case Form.block: case Form.exprloc:
      return block(reader.uleb());
    case Form.flagPresent:
      return number(1);
    case Form.implicitConst:
      return number(implicitConst);
    case Form.indirect:
      return readForm(reader, reader.uleb(), context, implicitConst);
    default:
      throw new DwarfFormatError(`unsupported DWARF form 0x${form.toString(16)}`);
  }
}
