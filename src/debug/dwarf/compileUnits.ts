// Reads each compile unit's top entry in .debug_info: its name, compilation directory and line program offset.

import { DwarfReader, readForm, type FormContext } from './dwarfReader';

export interface CompileUnitSummary {
  name: string | undefined;
  compDir: string | undefined;
  /** Offset of its line program in .debug_line (DW_AT_stmt_list). */
  stmtList: number | undefined;
}

export interface InfoSections {
  debugInfo: Uint8Array;
  debugAbbrev: Uint8Array;
  debugStr?: Uint8Array;
  debugLineStr?: Uint8Array;
}

const DW_AT_name = 0x03;
const DW_AT_stmt_list = 0x10;
const DW_AT_comp_dir = 0x1b;
const DW_UT_compile = 0x01;
const DW_UT_skeleton = 0x04;
const DW_UT_split_compile = 0x05;

interface AbbrevAttribute {
  name: number;
  form: number;
  implicitConst: number;
}

/** Only the first entry of each unit is decoded; the rest of the tree is skipped by unit length. */
export function readCompileUnits(sections: InfoSections): CompileUnitSummary[] {
  const units: CompileUnitSummary[] = [];
  const reader = new DwarfReader(sections.debugInfo);
  const abbrevCache = new Map<number, Map<number, AbbrevAttribute[]>>();
  while (!reader.atEnd) {
    const { end, offsetSize } = reader.unitLength();
    const version = reader.u16();
    let abbrevOffset: number;
    let addressSize: number;
    if (version >= 5) {
      const unitType = reader.u8();
      addressSize = reader.u8();
      abbrevOffset = reader.sectionOffset(offsetSize);
      if (unitType === DW_UT_skeleton || unitType === DW_UT_split_compile) reader.offset += 8; // dwo id
      else if (unitType !== DW_UT_compile) {
        reader.offset = end;
        continue;
      }
    } else {
      abbrevOffset = reader.sectionOffset(offsetSize);
      addressSize = reader.u8();
    }
    let abbrevs = abbrevCache.get(abbrevOffset);
    if (!abbrevs) {
      abbrevs = readAbbreviations(sections.debugAbbrev, abbrevOffset);
      abbrevCache.set(abbrevOffset, abbrevs);
    }
    const context: FormContext = { offsetSize, addressSize, version, debugStr: sections.debugStr, debugLineStr: sections.debugLineStr };
    const unit: CompileUnitSummary = { name: undefined, compDir: undefined, stmtList: undefined };
    const attributes = abbrevs.get(reader.uleb());
    for (const attribute of attributes ?? []) {
      const value = readForm(reader, attribute.form, context, attribute.implicitConst);
      if (attribute.name === DW_AT_name && value.kind === 'string') unit.name = value.value;
      else if (attribute.name === DW_AT_comp_dir && value.kind === 'string') unit.compDir = value.value;
      else if (attribute.name === DW_AT_stmt_list && value.kind === 'number') unit.stmtList = value.value;
    }
    units.push(unit);
    reader.offset = end;
  }
  return units;
}

function readAbbreviations(section: Uint8Array, offset: number): Map<number, AbbrevAttribute[]> {
  const table = new Map<number, AbbrevAttribute[]>();
  const reader = new DwarfReader(section, offset);
  for (;;) {
    const code = reader.uleb();
    if (code === 0) break;
    reader.uleb(); // tag
    reader.u8(); // has children
    const attributes: AbbrevAttribute[] = [];
    for (;;) {
      const name = reader.uleb();
      const form = reader.uleb();
      if (name === 0 && form === 0) break;
      const implicitConst = form === 0x21 ? reader.sleb() : 0;
      attributes.push({ name, form, implicitConst });
    }
    table.set(code, attributes);
  }
  return table;
}
