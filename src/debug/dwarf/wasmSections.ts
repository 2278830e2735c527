// Reads the parts of a WebAssembly binary a debugger needs: section boundaries, custom sections, function bodies and names.

/** One function body in the code section; offsets are absolute byte offsets in the module. */
export interface WasmFunctionBody {
  /** Index in the function index space (imports first). */
  index: number;
  name: string | undefined;
  /** Offset of the body's size field. */
  start: number;
  /** Offset of the first instruction (after the local declarations). */
  codeStart: number;
  /** One past the body's last byte (its final `end`). */
  end: number;
}

export interface WasmModuleLayout {
  /** Offset of the code section's contents (what V8 reports as `codeOffset`; DWARF addresses are relative to it). */
  codeSectionStart: number;
  functions: WasmFunctionBody[];
  /** Custom sections by name (the first of each name), as views into the module bytes. */
  customSections: Map<string, Uint8Array>;
}

export class WasmFormatError extends Error {}

class Reader {
  constructor(readonly bytes: Uint8Array, public offset = 0) {}
  byte(): number {
    if (this.offset >= this.bytes.length) throw new WasmFormatError(`unexpected end of the module at offset ${this.offset}`);
    return this.bytes[this.offset++]!;
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 35) throw new WasmFormatError(`LEB128 too long at offset ${this.offset}`);
    }
  }
  name(): string {
    const length = this.u32();
    const text = new TextDecoder().decode(this.bytes.subarray(this.offset, this.offset + length));
    this.offset += length;
    return text;
  }
}

const SECTION_CUSTOM = 0;
const SECTION_IMPORT = 2;
const SECTION_CODE = 10;
const IMPORT_KIND_FUNCTION = 0;

/** Parses the section structure; throws WasmFormatError for a binary that is not a module. */
export function readModuleLayout(bytes: Uint8Array): WasmModuleLayout {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new WasmFormatError('not a WebAssembly module (no \\0asm header)');
  }
  const reader = new Reader(bytes, 8);
  const customSections = new Map<string, Uint8Array>();
  let importedFunctions = 0;
  let codeSectionStart = -1;
  const bodies: Array<Omit<WasmFunctionBody, 'index' | 'name'>> = [];
  while (reader.offset < bytes.length) {
    const id = reader.byte();
    const size = reader.u32();
    const start = reader.offset;
    const end = start + size;
    if (end > bytes.length) throw new WasmFormatError(`section ${id} at offset ${start} runs past the end of the module`);
    if (id === SECTION_CUSTOM) {
      const name = reader.name();
      if (!customSections.has(name)) customSections.set(name, bytes.subarray(reader.offset, end));
    } else if (id === SECTION_IMPORT) {
      importedFunctions = countImportedFunctions(new Reader(bytes.subarray(0, end), start));
    } else if (id === SECTION_CODE) {
      codeSectionStart = start;
      const body = new Reader(bytes.subarray(0, end), start);
      const count = body.u32();
      for (let i = 0; i < count; i++) {
        const bodyStart = body.offset;
        const bodySize = body.u32();
        const bodyEnd = body.offset + bodySize;
        const groups = body.u32();
        for (let g = 0; g < groups; g++) {
          body.u32();
          body.byte();
        }
        bodies.push({ start: bodyStart, codeStart: body.offset, end: bodyEnd });
        body.offset = bodyEnd;
      }
    }
    reader.offset = end;
  }
  const names = readFunctionNames(customSections.get('name'));
  const functions = bodies.map((body, i) => ({ ...body, index: importedFunctions + i, name: names.get(importedFunctions + i) }));
  return { codeSectionStart, functions, customSections };
}

function countImportedFunctions(reader: Reader): number {
  let functions = 0;
  const count = reader.u32();
  for (let i = 0; i < count; i++) {
    reader.name();
    reader.name();
    const kind = reader.byte();
    switch (kind) {
      case IMPORT_KIND_FUNCTION:
        reader.u32();
        functions++;
        break;
      case 1: // table: reftype + limits
        reader.byte();
        skipLimits(reader);
        break;
      case 2: // memory
        skipLimits(reader);
        break;
      case 3: // global: valtype + mutability
        reader.byte();
        reader.byte();
        break;
      case 4: // tag
        reader.byte();
        reader.u32();
        break;
      default:
        throw new WasmFormatError(`unknown import kind ${kind}`);
    }
  }
  return functions;
}

function skipLimits(reader: Reader): void {
  const flags = reader.byte();
  reader.u32();
  if (flags & 1) reader.u32();
}

/** The name section's function names (subsection 1); a malformed name section yields what was read so far. */
function readFunctionNames(section: Uint8Array | undefined): Map<number, string> {
  const names = new Map<number, string>();
  if (!section) return names;
  const reader = new Reader(section);
  try {
    while (reader.offset < section.length) {
      const id = reader.byte();
      const size = reader.u32();
      const end = reader.offset + size;
      if (id === 1) {
        const count = reader.u32();
        for (let i = 0; i < count; i++) {
          const index = reader.u32();
          names.set(index, reader.name());
        }
      }
      reader.offset = end;
    }
  } catch {
    // keep the names read before the damage
  }
  return names;
}

/** The function whose body contains `offset` (binary search over the sorted bodies). */
export function functionAt(layout: WasmModuleLayout, offset: number): WasmFunctionBody | undefined {
  const functions = layout.functions;
  let low = 0;
  let high = functions.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const f = functions[mid]!;
    if (offset < f.start) high = mid - 1;
    else if (offset >= f.end) low = mid + 1;
    else return f;
  }
  return undefined;
}
