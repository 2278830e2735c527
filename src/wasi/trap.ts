// Turns a wasm trap into ExitInfo frames: parses V8 stack lines and names functions from the module's name section.

import type { WasmFrame } from '../runtime/api';
import { Wasm, WasmModule } from './wasm';

/** Function index → name, from the "name" custom section (subsection 1); empty when absent or malformed. */
export function functionNames(module: WasmModule): Map<number, string> {
  const names = new Map<number, string>();
  let sections: ArrayBuffer[];
  try {
    sections = Wasm.Module.customSections(module, 'name');
  } catch {
    return names;
  }
  if (sections.length === 0) return names;
  const bytes = new Uint8Array(sections[0]);
  let pos = 0;
  const leb = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (pos >= bytes.length) throw new Error('truncated');
      const b = bytes[pos++];
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
  };
  const decoder = new TextDecoder();
  try {
    while (pos < bytes.length) {
      const id = bytes[pos++];
      const size = leb();
      const end = pos + size;
      if (id === 1) {
        const count = leb();
        for (let i = 0; i < count && pos < end; i++) {
          const index = leb();
          const len = leb();
          names.set(index, decoder.decode(bytes.subarray(pos, pos + len)));
          pos += len;
        }
      }
      pos = end;
    }
  } catch {
    // a malformed name section only costs us names
  }
  return names;
}

const WASM_FRAME = /wasm-function\[(\d+)\](?::(0x[0-9a-fA-F]+))?/;

/** Wasm frames of a V8 stack, innermost first; JavaScript frames (our syscalls) are skipped. */
export function parseWasmFrames(stack: string | undefined, names: Map<number, string>): WasmFrame[] {
  if (!stack) return [];
  const frames: WasmFrame[] = [];
  for (const rawLine of stack.split('\n')) {
    const line = rawLine.trim();
    if (!line.startsWith('at ')) continue;
    const m = WASM_FRAME.exec(line);
    if (!m) continue;
    const functionIndex = Number(m[1]);
    const moduleOffset = m[2] !== undefined ? parseInt(m[2], 16) : undefined;
    const named = names.get(functionIndex);
    let functionName = named;
    if (functionName === undefined) {
      // "at name (wasm://…)" when V8 knows a name; else the index form.
      const nm = /^at (?:\$)?(.+?) \(wasm:/.exec(line);
      functionName = nm ? nm[1] : `wasm-function[${functionIndex}]`;
    }
    frames.push({ functionName, functionIndex, moduleOffset, raw: line });
  }
  return frames;
}
