// Parses .debug_line (DWARF 2–5): each line-number program's file table and its rows (address → file, line, column).

import { DwarfFormatError, DwarfReader, readForm, type FormContext } from './dwarfReader';

export interface LineRow {
  /** Offset relative to the start of the code section's contents (DWARF for wasm). */
  address: number;
  /** Index into the program's `files`. */
  file: number;
  /** 1-based; 0 means "no source line" (compiler-generated code). */
  line: number;
  column: number;
  isStmt: boolean;
  prologueEnd: boolean;
  endSequence: boolean;
}

export interface LineProgram {
  /** Offset of the program in .debug_line (what a compile unit's DW_AT_stmt_list names). */
  offset: number;
  version: number;
  /** File paths as written (directory joined to the name, not yet made absolute): index → path. */
  files: Map<number, string>;
  rows: LineRow[];
}

export interface LineSections {
  debugLine: Uint8Array;
  debugStr?: Uint8Array;
  debugLineStr?: Uint8Array;
}

/** Every line-number program in the section; a damaged program ends the parse with the programs before it. */
export function readLinePrograms(sections: LineSections): LineProgram[] {
  const programs: LineProgram[] = [];
  const reader = new DwarfReader(sections.debugLine);
  while (!reader.atEnd) {
    const offset = reader.offset;
    const { end, offsetSize } = reader.unitLength();
    if (end > sections.debugLine.length) throw new DwarfFormatError(`.debug_line program at ${offset} runs past the section`);
    try {
      programs.push(readProgram(new DwarfReader(sections.debugLine.subarray(0, end), reader.offset), offset, offsetSize, sections));
    } catch (error) {
      if (programs.length === 0) throw error;
      break;
    }
    reader.offset = end;
  }
  return programs;
}

const DW_LNCT_path = 1;
const DW_LNCT_directory_index = 2;

function readProgram(reader: DwarfReader, offset: number, offsetSize: 4 | 8, sections: LineSections): LineProgram {
  const version = reader.u16();
  if (version < 2 || version > 5) throw new DwarfFormatError(`.debug_line version ${version} is not supported`);
  let addressSize = 4;
  if (version >= 5) {
    addressSize = reader.u8();
    reader.u8(); // segment selector size
  }
  const headerLength = reader.sectionOffset(offsetSize);
  const programStart = reader.offset + headerLength;
  const minimumInstructionLength = reader.u8();
  if (version >= 4) reader.u8(); // maximum operations per instruction (VLIW only)
  const defaultIsStmt = reader.u8() !== 0;
  const lineBase = (reader.u8() << 24) >> 24;
  const lineRange = reader.u8();
  const opcodeBase = reader.u8();
  const standardLengths: number[] = [0];
  for (let i = 1; i < opcodeBase; i++) standardLengths.push(reader.u8());
  const context: FormContext = { offsetSize, addressSize, version, debugStr: sections.debugStr, debugLineStr: sections.debugLineStr };
  const directories: string[] = [];
  const files = new Map<number, string>();
  const join = (directory: string | undefined, name: string): string =>
    directory === undefined || directory === '' || name.startsWith('/') ? name : `${directory.replace(/\/+$/, '')}/${name}`;
  if (version >= 5) {
    const readEntries = (): Array<{ path: string; directory: number }> => {
      const formats: Array<[number, number]> = [];
      const formatCount = reader.u8();
      for (let i = 0; i < formatCount; i++) formats.push([reader.uleb(), reader.uleb()]);
      const entries: Array<{ path: string; directory: number }> = [];
      const count = reader.uleb();
      for (let i = 0; i < count; i++) {
        const entry = { path: '', directory: 0 };
        for (const [contentType, form] of formats) {
          const value = readForm(reader, form, context);
          if (contentType === DW_LNCT_path && value.kind === 'string') entry.path = value.value;
          if (contentType === DW_LNCT_directory_index && value.kind === 'number') entry.directory = value.value;
        }
        entries.push(entry);
      }
      return entries;
    };
    for (const directory of readEntries()) directories.push(directory.path);
    // DWARF 5 numbers files from 0 (file 0 is the compile unit's primary file).
    readEntries().forEach((file, index) => files.set(index, join(directories[file.directory], file.path)));
  } else {
    directories.push(''); // index 0: the compilation directory, known to the compile unit, not to the line table
    for (;;) {
      const directory = reader.cstring();
      if (directory === '') break;
      directories.push(directory);
    }
    let index = 1;
    for (;;) {
      const name = reader.cstring();
      if (name === '') break;
      const directory = reader.uleb();
      reader.uleb(); // modification time
      reader.uleb(); // length
      files.set(index++, join(directories[directory], name));
    }
  }
  reader.offset = programStart;
  const rows: LineRow[] = [];
  const initial = (): LineRow => ({ address: 0, file: 1, line: 1, column: 0, isStmt: defaultIsStmt, prologueEnd: false, endSequence: false });
  let state = initial();
  const emit = (): void => {
    rows.push({ ...state });
    state.prologueEnd = false;
  };
  while (!reader.atEnd) {
    const opcode = reader.u8();
    if (opcode >= opcodeBase) {
      const adjusted = opcode - opcodeBase;
      state.address += Math.floor(adjusted / lineRange) * minimumInstructionLength;
      state.line += lineBase + (adjusted % lineRange);
      emit();
      continue;
    }
    switch (opcode) {
      case 0: {
        const length = reader.uleb();
        const end = reader.offset + length;
        const extended = reader.u8();
        if (extended === 1) {
          state.endSequence = true;
          emit();
          state = initial();
        } else if (extended === 2) {
          state.address = length - 1 === 8 ? reader.u64() : reader.u32();
        } else if (extended === 3) {
          const name = reader.cstring();
          const directory = reader.uleb();
          files.set(files.size + (version >= 5 ? 0 : 1), join(directories[directory], name));
        }
        reader.offset = end;
        break;
      }
      case 1: // copy
        emit();
        break;
      case 2: // advance_pc
        state.address += reader.uleb() * minimumInstructionLength;
        break;
      case 3: // advance_line
        state.line += reader.sleb();
        break;
      case 4: // set_file
        state.file = reader.uleb();
        break;
      case 5: // set_column
        state.column = reader.uleb();
        break;
      case 6: // negate_stmt
        state.isStmt = !state.isStmt;
        break;
      case 7: // set_basic_block
        break;
      case 8: // const_add_pc
        state.address += Math.floor((255 - opcodeBase) / lineRange) * minimumInstructionLength;
        break;
      case 9: // fixed_advance_pc
        state.address += reader.u16();
        break;
      case 10: // set_prologue_end
        state.prologueEnd = true;
        break;
      case 11: // set_epilogue_begin
        break;
      case 12: // set_isa
        reader.uleb();
        break;
      default:
        for (let i = 0; i < (standardLengths[opcode] ?? 0); i++) reader.uleb();
    }
  }
  return { offset, version, files, rows };
}
