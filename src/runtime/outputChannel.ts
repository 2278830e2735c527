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

/** Records at most this long are copied byte by byte: cheaper than creating a subarray for TypedArray.set. */
const SMALL_COPY = 48;

/** Worker side: appends records, waits for room, wakes the host when it is idle. */
export class OutputRingWriter {
  private readonly bytes: Uint8Array;
  /** The ring as 32-bit words, for the 4-aligned record headers (same-machine endianness on both sides). */
  private readonly words: Uint32Array;
  private readonly capacity: number;
  /** The largest record payload; bigger writes are split so a record always fits in an empty ring. */
  private readonly maxRecord: number;
  /** OutputWrite as last published: only this writer changes it, so it is never re-read from shared memory. */
  private writeCounter: number;
  /** OutputRead as last seen: the host only advances it, so a stale value under-estimates the room (safe). */
  private knownRead: number;

  constructor(
    private readonly control: Int32Array,
    ring: SharedArrayBuffer,
    private readonly wakeHost: () => void,
  ) {
    this.bytes = new Uint8Array(ring);
    this.words = new Uint32Array(ring, 0, ring.byteLength >>> 2);
    this.capacity = ring.byteLength;
    this.maxRecord = this.capacity / 2 - HEADER_BYTES;
    this.writeCounter = Atomics.load(control, Control.OutputWrite);
    this.knownRead = Atomics.load(control, Control.OutputRead);
  }

  write(stream: OutputStream, data: Uint8Array): void {
    this.writeFrom(stream, data, 0, data.length);
  }

  /** Appends src[off, off+len) — the per-line path of a line-buffered guest: no allocation for short lines. */
  writeFrom(stream: OutputStream, src: Uint8Array, off: number, len: number): void {
    if (len <= 0) return;
    const streamBit = stream === 'stderr' ? STDERR_BIT : 0;
    const end = off + len;
    let offset = off;
    do {
      const length = Math.min(end - offset, this.maxRecord);
      this.append(streamBit, src, offset, length);
      offset += length;
    } while (offset < end);
    this.notify();
  }

  /** Wakes the host if it is idle; a busy host re-checks the ring before it goes idle, so no wake-up is lost. */
  notify(): void {
    if (Atomics.load(this.control, Control.OutputArmed) === 1 && Atomics.exchange(this.control, Control.OutputArmed, 0) === 1) {
      this.wakeHost();
    }
  }

  private append(streamBit: number, src: Uint8Array, offset: number, length: number): void {
    const recordBytes = HEADER_BYTES + padded(length);
    const write = this.writeCounter;
    if (this.capacity - distance(this.knownRead, write) < recordBytes) this.waitForRoom(write, recordBytes);
    const capacity = this.capacity;
    const position = (write >>> 0) % capacity;
    this.words[position >>> 2] = (streamBit | length) >>> 0;
    const bytes = this.bytes;
    const dataStart = (position + HEADER_BYTES) % capacity;
    const firstPart = Math.min(length, capacity - dataStart);
    if (firstPart <= SMALL_COPY) {
      for (let k = 0; k < firstPart; k++) bytes[dataStart + k] = src[offset + k];
    } else {
      bytes.set(src.subarray(offset, offset + firstPart), dataStart);
    }
    if (firstPart < length) bytes.set(src.subarray(offset + firstPart, offset + length), 0);
    // Publishing the write counter is what makes the record visible to the host.
    const next = (write + recordBytes) | 0;
    this.writeCounter = next;
    Atomics.store(this.control, Control.OutputWrite, next);
  }

  private waitForRoom(write: number, recordBytes: number): void {
    for (;;) {
      const read = Atomics.load(this.control, Control.OutputRead);
      this.knownRead = read;
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
  private readonly words: Uint32Array;
  private readonly capacity: number;

  constructor(private readonly control: Int32Array, ring: SharedArrayBuffer) {
    this.bytes = new Uint8Array(ring);
    this.words = new Uint32Array(ring, 0, ring.byteLength >>> 2);
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
    const capacity = this.capacity;
    const words = this.words;
    const bytes = this.bytes;
    // First pass: sizes of the merged chunks, so each is copied exactly once.
    const streams: OutputStream[] = [];
    const sizes: number[] = [];
    let cursor = (read >>> 0) % capacity;
    let consumed = 0;
    let lastBit = -1;
    while (consumed < total) {
      const header = words[cursor >>> 2];
      const bit = header & STDERR_BIT ? 1 : 0;
      const length = header & ~STDERR_BIT;
      if (bit === lastBit) sizes[sizes.length - 1] += length;
      else {
        streams.push(bit === 1 ? 'stderr' : 'stdout');
        sizes.push(length);
        lastBit = bit;
      }
      const recordBytes = HEADER_BYTES + padded(length);
      cursor = (cursor + recordBytes) % capacity;
      consumed += recordBytes;
    }
    const chunks: OutputChunk[] = [];
    for (let r = 0; r < sizes.length; r++) chunks.push({ stream: streams[r], data: new Uint8Array(sizes[r]) });
    let runIndex = 0;
    let target = chunks[0].data;
    let filled = 0;
    cursor = (read >>> 0) % capacity;
    consumed = 0;
    while (consumed < total) {
      const length = words[cursor >>> 2] & ~STDERR_BIT;
      while (filled === target.length && runIndex + 1 < chunks.length) {
        target = chunks[++runIndex].data;
        filled = 0;
      }
      const dataStart = (cursor + HEADER_BYTES) % capacity;
      const firstPart = Math.min(length, capacity - dataStart);
      if (firstPart <= SMALL_COPY) {
        for (let k = 0; k < firstPart; k++) target[filled + k] = bytes[dataStart + k];
      } else {
        target.set(bytes.subarray(dataStart, dataStart + firstPart), filled);
      }
      if (firstPart < length) target.set(bytes.subarray(0, length - firstPart), filled + firstPart);
      filled += length;
      const recordBytes = HEADER_BYTES + padded(length);
      cursor = (cursor + recordBytes) % capacity;
      consumed += recordBytes;
    }
    Atomics.store(this.control, Control.OutputRead, write);
    Atomics.notify(this.control, Control.OutputRead);
    return chunks.filter((chunk) => chunk.data.length > 0);
  }
}
