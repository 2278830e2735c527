// The stdin byte ring in a SharedArrayBuffer: the host fills it from Debug Console / terminal input, the worker blocks on it.
//
// The worker never spins: it sleeps in Atomics.wait on `WakeSequence`, which the host bumps for new
// bytes, for end of input and for filesystem edits (so an edit from the tree view is applied while the
// guest waits for a line). End of input is its own flag, set only once every queued byte is in the ring.

import { Control } from './protocol';
import { monotonicMs } from '../vfs/clock';

const distance = (from: number, to: number): number => (to - from) | 0;

/** Host side: an unbounded queue in front of the bounded ring; `queuedBytes` lets callers apply flow control. */
export class StdinRingWriter {
  private readonly bytes: Uint8Array;
  private readonly capacity: number;
  private readonly queue: Uint8Array[] = [];
  private queueOffset = 0;
  private queued = 0;
  private eofRequested = false;

  constructor(private readonly control: Int32Array, ring: SharedArrayBuffer) {
    this.bytes = new Uint8Array(ring);
    this.capacity = ring.byteLength;
  }

  /** Bytes accepted but not yet in the ring. */
  get queuedBytes(): number {
    return this.queued;
  }

  get closed(): boolean {
    return this.eofRequested;
  }

  write(data: Uint8Array): void {
    if (this.eofRequested || data.length === 0) return;
    this.queue.push(data.slice());
    this.queued += data.length;
    this.pump();
  }

  close(): void {
    if (this.eofRequested) return;
    this.eofRequested = true;
    this.pump();
  }

  /** Moves queued bytes into the ring as room allows; call again on 'stdinSpace'. */
  pump(): void {
    let moved = false;
    for (;;) {
      moved = this.fill() || moved;
      if (this.queue.length === 0) break;
      // No room: ask the worker to tell us when it reads. Re-check after raising the flag, because the
      // worker may have read between our look and the flag (it would then not have seen the flag).
      Atomics.store(this.control, Control.StdinHostWaiting, 1);
      if (!this.hasRoom()) break;
      Atomics.store(this.control, Control.StdinHostWaiting, 0);
    }
    if (this.queue.length === 0 && this.eofRequested && Atomics.load(this.control, Control.StdinEof) === 0) {
      Atomics.store(this.control, Control.StdinEof, 1);
      moved = true;
    }
    if (moved) wakeWorker(this.control);
  }

  private hasRoom(): boolean {
    const read = Atomics.load(this.control, Control.StdinRead);
    const write = Atomics.load(this.control, Control.StdinWrite);
    return distance(read, write) < this.capacity;
  }

  private fill(): boolean {
    const read = Atomics.load(this.control, Control.StdinRead);
    let write = Atomics.load(this.control, Control.StdinWrite);
    let room = this.capacity - distance(read, write);
    let moved = false;
    while (room > 0 && this.queue.length > 0) {
      const head = this.queue[0];
      const count = Math.min(room, head.length - this.queueOffset, this.capacity - ((write >>> 0) % this.capacity));
      const position = (write >>> 0) % this.capacity;
      this.bytes.set(head.subarray(this.queueOffset, this.queueOffset + count), position);
      this.queueOffset += count;
      this.queued -= count;
      write = (write + count) | 0;
      room -= count;
      moved = true;
      if (this.queueOffset === head.length) {
        this.queue.shift();
        this.queueOffset = 0;
      }
    }
    if (moved) Atomics.store(this.control, Control.StdinWrite, write);
    return moved;
  }
}

/** Wakes a worker blocked in stdin or poll: it re-checks data, end of input and pending edits. */
export function wakeWorker(control: Int32Array): void {
  Atomics.add(control, Control.WakeSequence, 1);
  Atomics.notify(control, Control.WakeSequence);
}

export interface StdinWaitHooks {
  /** Called before the worker sleeps: flush what the host should see while we wait. */
  beforeBlocking(): void;
  /** Called on every look at the ring, before sleeping: apply filesystem edits that arrived meanwhile. */
  serviceEdits(): void;
  /** The host has bytes waiting for room in the ring. */
  tellHostThereIsRoom(): void;
}

/** Worker side. */
export class StdinRingReader {
  private readonly bytes: Uint8Array;
  private readonly capacity: number;

  constructor(private readonly control: Int32Array, ring: SharedArrayBuffer, private readonly hooks: StdinWaitHooks) {
    this.bytes = new Uint8Array(ring);
    this.capacity = ring.byteLength;
  }

  /** Blocks until at least one byte or end of input; an empty result means end of input. */
  read(maxBytes: number): Uint8Array {
    for (;;) {
      // Load the sequence first: anything the host does after this (data, EOF, an edit) makes the wait return.
      const sequence = Atomics.load(this.control, Control.WakeSequence);
      this.hooks.serviceEdits();
      if (this.available() > 0) return this.take(maxBytes);
      if (this.atEnd()) return this.available() > 0 ? this.take(maxBytes) : new Uint8Array(0);
      if (maxBytes === 0) return new Uint8Array(0);
      this.hooks.beforeBlocking();
      Atomics.wait(this.control, Control.WakeSequence, sequence);
    }
  }

  /** True when a read would not block. Waits at most timeoutMs (0 = look only, negative = for ever). */
  poll(timeoutMs: number): boolean {
    const deadline = timeoutMs > 0 ? monotonicMs() + timeoutMs : 0;
    let blockedOnce = false;
    for (;;) {
      const sequence = Atomics.load(this.control, Control.WakeSequence);
      this.hooks.serviceEdits();
      if (this.available() > 0 || this.atEnd()) return true;
      if (timeoutMs === 0) return false;
      let wait = Infinity;
      if (timeoutMs > 0) {
        wait = deadline - monotonicMs();
        if (wait <= 0) return false;
      }
      if (!blockedOnce) {
        this.hooks.beforeBlocking();
        blockedOnce = true;
      }
      Atomics.wait(this.control, Control.WakeSequence, sequence, wait);
    }
  }

  private available(): number {
    return distance(Atomics.load(this.control, Control.StdinRead), Atomics.load(this.control, Control.StdinWrite));
  }

  private atEnd(): boolean {
    return Atomics.load(this.control, Control.StdinEof) === 1;
  }

  private take(maxBytes: number): Uint8Array {
    const read = Atomics.load(this.control, Control.StdinRead);
    const count = Math.min(maxBytes, this.available());
    const out = new Uint8Array(count);
    const position = (read >>> 0) % this.capacity;
    const firstPart = Math.min(count, this.capacity - position);
    out.set(this.bytes.subarray(position, position + firstPart));
    if (firstPart < count) out.set(this.bytes.subarray(0, count - firstPart), firstPart);
    Atomics.store(this.control, Control.StdinRead, (read + count) | 0);
    if (Atomics.load(this.control, Control.StdinHostWaiting) === 1 && Atomics.exchange(this.control, Control.StdinHostWaiting, 0) === 1) {
      this.hooks.tellHostThereIsRoom();
    }
    return out;
  }
}
