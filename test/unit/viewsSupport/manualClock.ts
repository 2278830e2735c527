// A manual ThrottleClock for the views' tests: timers and yields run only when the test advances time or runs yields.

import type { ThrottleClock } from '../../../src/views/changeThrottle';

export class ManualClock implements ThrottleClock {
  t = 0;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private yields: Array<{ fn: () => void; id: number }> = [];
  private nextId = 1;
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== h);
  }
  yieldThen(fn: () => void): unknown {
    const id = this.nextId++;
    this.yields.push({ fn, id });
    return id;
  }
  cancelYield(h: unknown): void {
    this.yields = this.yields.filter((y) => y.id !== h);
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
    }
    this.t = end;
  }
  /** Runs the yields queued so far (one turn of the event loop); returns how many ran. */
  runYields(): number {
    const now = this.yields;
    this.yields = [];
    for (const y of now) y.fn();
    return now.length;
  }
  get pendingTimers(): number {
    return this.timers.length;
  }
}

