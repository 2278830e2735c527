// Reads each compile unit's top entry in .debug_info: its name, compilation directory and line program offset.

import { DW_UT_compile, DW_UT_skeleton, DW_UT_split_compile, DwarfReader, readAbbreviationTable, readForm, readUnitHeader, type Abbreviation, type FormContext } from './dwarfReader';

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

/** Only the first entry of each unit is decoded; the rest of the tree is skipped by unit length. */
export function readCompileUnits(sections: InfoSections): CompileUnitSummary[] {
  const units: CompileUnitSummary[] = [];
  const reader = new DwarfReader(sections.debugInfo);
  const abbrevCache = new Map<number, Map<number, Abbreviation>>();
  while (!reader.atEnd) {
    const { end, offsetSize, version, unitType, addressSize, abbrevOffset } = readUnitHeader(reader);
    // Skeleton and split units carry the same top entry; type units and partial units are not compile units.
    if (unitType !== DW_UT_compile && unitType !== DW_UT_skeleton && unitType !== DW_UT_split_compile) {
      reader.offset = end;
      continue;
    }
    let abbrevs = abbrevCache.get(abbrevOffset);
    if (!abbrevs) {
      abbrevs = readAbbreviationTable(sections.debugAbbrev, abbrevOffset);
      abbrevCache.set(abbrevOffset, abbrevs);
    }
    const context: FormContext = { offsetSize, addressSize, version, debugStr: sections.debugStr, debugLineStr: sections.debugLineStr };
    const unit: CompileUnitSummary = { name: undefined, compDir: undefined, stmtList: undefined };
    const attributes = abbrevs.get(reader.uleb())?.attributes;
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
