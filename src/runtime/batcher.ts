// Worker side: collects structured records (filesystem changes, syscall traces) into batches posted to the host, bounded in memory.
//
// A batch goes out when it is big enough or old enough (checked at each syscall), before the worker
// blocks, and at exit; and a record that comes after a quiet spell goes out at once (leading edge), so a
// single change followed by a long computation without syscalls is not held back. Only records that
// follow another post within `maxAgeMs` wait — for the next syscall, at most. At most `maxInFlight` batches may be unprocessed by the host: beyond that the
// worker waits on the in-flight counter (the host decrements it and notifies), so a host that falls
// behind slows the guest down instead of letting memory grow.

import { Control } from './protocol';
import { monotonicMs } from '../vfs/clock';

export interface BatcherLimits {
  /** Post when this many records are pending. */
  maxRecords: number;
  /** Post when the pending records weigh this many bytes (see `weigh`). */
  maxBytes: number;
  /** Post when the oldest pending record is this old (milliseconds). */
  maxAgeMs: number;
  /** Batches posted and not yet processed by the host before the worker waits. */
  maxInFlight: number;
}

export class RecordBatcher<T> {
  private pending: T[] = [];
  private pendingBytes = 0;
  private oldestAt = 0;
  private lastPostAt = -Infinity;

  constructor(
    private readonly control: Int32Array,
    private readonly inFlightIndex: Control,
    private readonly limits: BatcherLimits,
    private readonly post: (records: T[]) => void,
    private readonly weigh: (record: T) => number,
  ) {}

  /** Increments with every post, so callers can keep per-batch state (e.g. to drop duplicates). */
  batchNumber = 0;

  get hasPending(): boolean {
    return this.pending.length !== 0;
  }

  add(record: T): void {
    const now = monotonicMs();
    if (this.pending.length === 0) this.oldestAt = now;
    this.pending.push(record);
    this.pendingBytes += this.weigh(record);
    if (
      this.pending.length >= this.limits.maxRecords ||
      this.pendingBytes >= this.limits.maxBytes ||
      now - this.lastPostAt >= this.limits.maxAgeMs
    ) {
      this.flush();
    }
  }

  /** Cheap enough for every syscall: one clock read, and only when something is pending. */
  flushIfOld(): void {
    if (this.pending.length !== 0 && monotonicMs() - this.oldestAt >= this.limits.maxAgeMs) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0) return;
    for (;;) {
      const inFlight = Atomics.load(this.control, this.inFlightIndex);
      if (inFlight < this.limits.maxInFlight) break;
      Atomics.wait(this.control, this.inFlightIndex, inFlight);
    }
    const batch = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    Atomics.add(this.control, this.inFlightIndex, 1);
    this.post(batch);
    this.batchNumber++;
    this.lastPostAt = monotonicMs();
  }
}

/** Host side: a batch has been processed; wakes a worker waiting for room. */
export function acknowledgeBatch(control: Int32Array, inFlightIndex: Control): void {
  Atomics.sub(control, inFlightIndex, 1);
  Atomics.notify(control, inFlightIndex);
}

/** Rough size of a record for the memory bound: payload bytes found in it plus a fixed overhead. */
export function weighRecord(record: unknown): number {
  let bytes = 64;
  if (record && typeof record === 'object') {
    for (const value of Object.values(record as Record<string, unknown>)) {
      if (value instanceof Uint8Array) bytes += value.byteLength;
      else if (typeof value === 'string') bytes += value.length * 2;
    }
  }
  return bytes;
}
