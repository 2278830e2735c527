// A first look at the bytes of `program`: is it a core WebAssembly module, and which functions does it export?

const MAGIC = [0x00, 0x61, 0x73, 0x6d]; // "\0asm"
const CORE_VERSION = 1;
/** The component model's layer 1 header: version 0x0d, layer 1. */
const COMPONENT_VERSION_LAYER = [0x0d, 0x00, 0x01, 0x00];

/** Why bytes are not a core module we can run. */
export type WasmBinaryProblem =
  | { kind: 'empty' }
  | { kind: 'text' } // WebAssembly text (.wat), to be compiled first
  | { kind: 'component' } // a component-model binary, not a core module
  | { kind: 'truncated'; length: number } // the magic, but no complete header
  | { kind: 'version'; version: number }
  | { kind: 'notWasm' };

/** Looks like WebAssembly text: after blanks and comments, a "(" (as in "(module"). */
function looksLikeWat(bytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 4096));
  const stripped = head.replace(/^(?:\s+|;;[^\n]*\n?|\(;[\s\S]*?;\))*/, '');
  return /^\((module|component)\b/.test(stripped);
}

/** undefined when `bytes` start with a core module header (magic + version 1); else the problem. */
export function checkWasmBinary(bytes: Uint8Array, fileName: string): WasmBinaryProblem | undefined {
  if (bytes.length === 0) return { kind: 'empty' };
  const hasMagic = MAGIC.every((byte, index) => bytes[index] === byte);
  if (!hasMagic) {
    if (/\.(wat|wast)$/i.test(fileName) || looksLikeWat(bytes)) return { kind: 'text' };
    return { kind: 'notWasm' };
  }
  if (bytes.length < 8) return { kind: 'truncated', length: bytes.length };
  if (COMPONENT_VERSION_LAYER.every((byte, index) => bytes[4 + index] === byte)) return { kind: 'component' };
  const version = (bytes[4]! | (bytes[5]! << 8) | (bytes[6]! << 16) | (bytes[7]! << 24)) >>> 0;
  if (version !== CORE_VERSION) return { kind: 'version', version };
  return undefined;
}

/** Reads an unsigned LEB128 at `offset`; undefined when it runs off the end or past 35 bits. */
function readU32(bytes: Uint8Array, offset: number): { value: number; next: number } | undefined {
  let value = 0;
  let shift = 0;
  for (let position = offset; position < bytes.length && shift < 35; position++) {
    const byte = bytes[position]!;
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return { value, next: position + 1 };
    shift += 7;
  }
  return undefined;
}

const EXPORT_SECTION = 7;
const FUNCTION_EXPORT = 0;

/**
 * Names of the functions a core module exports, in order; undefined when the sections cannot be read
 * (a corrupt module is the compiler's to report, with its own message).
 */
export function exportedFunctionNames(bytes: Uint8Array): string[] | undefined {
  const names: string[] = [];
  let position = 8;
  while (position < bytes.length) {
    const id = bytes[position]!;
    const size = readU32(bytes, position + 1);
    if (size === undefined || size.next + size.value > bytes.length) return undefined;
    const end = size.next + size.value;
    if (id === EXPORT_SECTION) {
      const count = readU32(bytes, size.next);
      if (count === undefined) return undefined;
      let cursor = count.next;
      for (let i = 0; i < count.value; i++) {
        const length = readU32(bytes, cursor);
        if (length === undefined || length.next + length.value + 1 > end) return undefined;
        const name = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(length.next, length.next + length.value));
        const kind = bytes[length.next + length.value]!;
        const index = readU32(bytes, length.next + length.value + 1);
        if (index === undefined || index.next > end) return undefined;
        if (kind === FUNCTION_EXPORT) names.push(name);
        cursor = index.next;
      }
      return names;
    }
    position = end;
  }
  return names;
}
