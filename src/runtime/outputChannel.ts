// The stdout/stderr record ring in a SharedArrayBuffer: the worker appends records, the host drains them in order.
//
// Why a ring and not batched messages: the host can drain it at any moment, so output written just
// before a long computation or a pause in the debugger shows at once, with no timer in the worker and
// no per-batch allocation or structured clone. The worker wakes an idle host with one message; while
// output flows the host polls (see WasiProcess.drainCycle), so a flood costs no message per write. The ring's size bounds memory: when the host falls behind
// (a slow pipe, a busy Debug Console) the worker waits on `OutputRead` with Atomics.wait.
//
// Record layout: a 4-byte little-endian header (bit 31 = stderr, bits 0–30 = length) followed by the
// bytes, padded to a multiple of 4 so a header never wraps around the end of the ring.

import { Control } from './protocol';

export type OutputStream = 'stdout' | 'stderr';

export interface OutputChunk {
  stream: OutputStream;
  data: Uint8Array;
}

const STDERR_BIT = 0x80000000;
const HEADER_BYTES = 4;

const padded = (length: number): number => (length + 3) & ~3;

/** Bytes between two wrapping int32 counters. */
const distance = (from: number, to: number): number => (to - from) | 0;

/** Worker side: appends records, waits for room, wakes the host when it is idle. */
export class OutputRingWriter {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private readonly capacity: number;
  /** The largest record payload; bigger writes are split so a record always fits in an empty ring. */
  private readonly maxRecord: number;

  constructor(
    private readonly control: Int32Array,
    ring: SharedArrayBuffer,
    private readonly wakeHost: () => void,
  ) {
    this.bytes = new Uint8Array(ring);
    this.view = new DataView(ring);
    this.capacity = ring.byteLength;
    this.maxRecord = this.capacity / 2 - HEADER_BYTES;
  }

  write(stream: OutputStream, data: Uint8Array): void {
    if (data.length === 0) return;
    let offset = 0;
    do {
      const length = Math.min(data.length - offset, this.maxRecord);
      this.append(stream, data, offset, length);
      offset += length;
    } while (offset < data.length);
    this.notify();
  }

  /** Wakes the host if it is idle; a busy host re-checks the ring before it goes idle, so no wake-up is lost. */
  notify(): void {
    if (Atomics.load(this.control, Control.OutputArmed) === 1 && Atomics.exchange(this.control, Control.OutputArmed, 0) === 1) {
      this.wakeHost();
    }
  }

  private append(stream: OutputStream, data: Uint8Array, offset: number, length: number): void {
    const recordBytes = HEADER_BYTES + padded(length);
    const write = Atomics.load(this.control, Control.OutputWrite);
    this.waitForRoom(write, recordBytes);
    const position = (write >>> 0) % this.capacity;
    this.view.setUint32(position, (stream === 'stderr' ? STDERR_BIT : 0) | length, true);
    const dataStart = (position + HEADER_BYTES) % this.capacity;
    const firstPart = Math.min(length, this.capacity - dataStart);
    this.bytes.set(data.subarray(offset, offset + firstPart), dataStart);
    if (firstPart < length) this.bytes.set(data.subarray(offset + firstPart, offset + length), 0);
    // Publishing the write counter is what makes the record visible to the host.
    Atomics.store(this.control, Control.OutputWrite, (write + recordBytes) | 0);
  }

  private waitForRoom(write: number, recordBytes: number): void {
    for (;;) {
      const read = Atomics.load(this.control, Control.OutputRead);
      if (this.capacity - distance(read, write) >= recordBytes) return;
      // The ring is full: the host must be told (it may be idle), then we sleep until it releases bytes.
      this.notify();
      Atomics.wait(this.control, Control.OutputRead, read);
    }
  }
}

/** Host side: takes every complete record, merging neighbours of the same stream into one chunk. */
export class OutputRingReader {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private readonly capacity: number;

  constructor(private readonly control: Int32Array, ring: SharedArrayBuffer) {
    this.bytes = new Uint8Array(ring);
    this.view = new DataView(ring);
    this.capacity = ring.byteLength;
  }

  hasData(): boolean {
    return Atomics.load(this.control, Control.OutputRead) !== Atomics.load(this.control, Control.OutputWrite);
  }

  /** Copies out everything written so far, releases the room to the worker, and returns the chunks in order. */
  take(): OutputChunk[] {
    const read = Atomics.load(this.control, Control.OutputRead);
    const write = Atomics.load(this.control, Control.OutputWrite);
    const total = distance(read, write);
    if (total === 0) return [];
    // First pass: sizes of the merged chunks, so each is copied exactly once.
    const runs: Array<{ stream: OutputStream; size: number }> = [];
    let cursor = read >>> 0;
    let consumed = 0;
    while (consumed < total) {
      const header = this.view.getUint32(cursor % this.capacity, true);
      const stream: OutputStream = header & STDERR_BIT ? 'stderr' : 'stdout';
      const length = header & ~STDERR_BIT;
      const last = runs[runs.length - 1];
      if (last && last.stream === stream) last.size += length;
      else runs.push({ stream, size: length });
      const recordBytes = HEADER_BYTES + padded(length);
      cursor += recordBytes;
      consumed += recordBytes;
    }
    const chunks: OutputChunk[] = runs.map((run) => ({ stream: run.stream, data: new Uint8Array(run.size) }));
    let runIndex = 0;
    let filled = 0;
    cursor = read >>> 0;
    consumed = 0;
    while (consumed < total) {
      const position = cursor % this.capacity;
      const header = this.view.getUint32(position, true);
      const length = header & ~STDERR_BIT;
      if (filled === chunks[runIndex].data.length) {
        runIndex++;
        filled = 0;
      }
      const target = chunks[runIndex].data;
      const dataStart = (position + HEADER_BYTES) % this.capacity;
      const firstPart = Math.min(length, this.capacity - dataStart);
      target.set(this.bytes.subarray(dataStart, dataStart + firstPart), filled);
      if (firstPart < length) target.set(this.bytes.subarray(0, length - firstPart), filled + firstPart);
      filled += length;
      const recordBytes = HEADER_BYTES + padded(length);
      cursor += recordBytes;
      consumed += recordBytes;
    }
    Atomics.store(this.control, Control.OutputRead, write);
    Atomics.notify(this.control, Control.OutputRead);
    return chunks.filter((chunk) => chunk.data.length > 0);
  }
}
