// The module's text disassembly from V8 (Debugger.disassembleWasmModule), indexed by byte offset for the Disassembly view.

import type { CdpConnection } from './cdpTypes';

interface DisassemblyChunk {
  lines: string[];
  bytecodeOffsets: number[];
}

export interface DisassemblyLine {
  offset: number;
  text: string;
}

export class WasmDisassembly {
  private constructor(readonly lines: DisassemblyLine[]) {}

  static async load(connection: CdpConnection, scriptId: string): Promise<WasmDisassembly> {
    const first = await connection.send<{ streamId?: string; chunk: DisassemblyChunk }>('Debugger.disassembleWasmModule', { scriptId });
    const lines: DisassemblyLine[] = [];
    const add = (chunk: DisassemblyChunk): void => {
      chunk.lines.forEach((text, i) => lines.push({ offset: chunk.bytecodeOffsets[i] ?? 0, text }));
    };
    add(first.chunk);
    if (first.streamId !== undefined) {
      for (;;) {
        const next = await connection.send<{ chunk: DisassemblyChunk }>('Debugger.nextWasmDisassemblyChunk', { streamId: first.streamId });
        if (next.chunk.lines.length === 0) break;
        add(next.chunk);
      }
    }
    return new WasmDisassembly(lines);
  }

  /** Index of the line at `offset`, or of the last line before it. */
  indexAt(offset: number): number {
    let low = 0;
    let high = this.lines.length - 1;
    let best = 0;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (this.lines[mid]!.offset <= offset) {
        best = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    // Several lines (a function header and its first instruction) can share an offset: take the first.
    while (best > 0 && this.lines[best - 1]!.offset === this.lines[best]!.offset) best--;
    return best;
  }
}
