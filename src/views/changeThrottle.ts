// Pure coalescing of filesystem change batches: at most one UI update per interval, applied in time-boxed slices
// so a module that creates files by the thousand never blocks the extension host for long.

export interface ThrottleClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Continue after other queued work (I/O, VS Code's own messages) has had its turn. */
  yieldThen(fn: () => void): unknown;
  cancelYield(handle: unknown): void;
}

export const realClock: ThrottleClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  yieldThen: (fn) => setImmediate(fn),
  cancelYield: (h) => clearImmediate(h as ReturnType<typeof setImmediate>),
};

export interface ThrottleOptions<T> {
  /** Minimum time between the starts of two updates. */
  intervalMs: number;
  /**
   * Optional: the interval to keep after publishing `targets`, when some updates cost more than others (a directory
   * of 100,000 entries re-rendered by VS Code). Defaults to `intervalMs`.
   */
  intervalAfter?(targets: T[]): number;
  /** Longest stretch of work in one turn of the event loop before yielding. */
  sliceBudgetMs: number;
  /** Paths handed to `apply` at a time; the budget is checked between chunks. */
  chunkSize: number;
  /** Applies changed paths of one session; returns what the update must announce. */
  apply(key: string, paths: string[]): Iterable<T>;
  /** Announces the union of everything `apply` returned since the last update (never empty). */
  publish(targets: T[]): void;
  clock?: ThrottleClock;
}

export class ChangeThrottle<T> {
  private pending = new Map<string, Set<string>>();
  /** What the update in progress works through; changes arriving meanwhile wait in `pending` for the next one. */
  private batch = new Map<string, Set<string>>();
  private readonly collected = new Set<T>();
  private readonly clock: ThrottleClock;
  private timer: unknown;
  private yieldHandle: unknown;
  private draining = false;
  private lastStart = Number.NEGATIVE_INFINITY;
  private interval: number;
  private disposed = false;

  constructor(private readonly options: ThrottleOptions<T>) {
    this.clock = options.clock ?? realClock;
    this.interval = options.intervalMs;
  }

  push(key: string, paths: readonly string[]): void {
    if (this.disposed || paths.length === 0) return;
    let set = this.pending.get(key);
    if (!set) this.pending.set(key, (set = new Set()));
    for (const p of paths) set.add(p);
    this.schedule();
  }

  /** Drops what is pending for a key (its session left the view). */
  discard(key: string): void {
    this.pending.delete(key);
    this.batch.delete(key);
  }

  get idle(): boolean {
    return this.pending.size === 0 && !this.draining && this.timer === undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.pending.clear();
    this.batch.clear();
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    if (this.yieldHandle !== undefined) this.clock.cancelYield(this.yieldHandle);
    this.timer = this.yieldHandle = undefined;
  }

  private schedule(): void {
    if (this.draining || this.timer !== undefined) return;
    const wait = Math.max(0, this.lastStart + this.interval - this.clock.now());
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.lastStart = this.clock.now();
      this.draining = true;
      this.batch = this.pending;
      this.pending = new Map();
      this.drainSlice();
    }, wait);
  }

  private drainSlice(): void {
    this.yieldHandle = undefined;
    if (this.disposed) return;
    const sliceStart = this.clock.now();
    while (this.batch.size > 0) {
      const [key, set] = this.batch.entries().next().value as [string, Set<string>];
      const chunk: string[] = [];
      for (const p of set) {
        chunk.push(p);
        if (chunk.length >= this.options.chunkSize) break;
      }
      for (const p of chunk) set.delete(p);
      if (set.size === 0) this.batch.delete(key);
      for (const t of this.options.apply(key, chunk)) this.collected.add(t);
      if (this.batch.size > 0 && this.clock.now() - sliceStart >= this.options.sliceBudgetMs) {
        this.yieldHandle = this.clock.yieldThen(() => this.drainSlice());
        return;
      }
    }
    this.draining = false;
    if (this.collected.size > 0) {
      const targets = [...this.collected];
      this.collected.clear();
      this.interval = this.options.intervalAfter?.(targets) ?? this.options.intervalMs;
      this.options.publish(targets);
    }
    // Changes that arrived while draining wait for the next interval.
    if (this.pending.size > 0) this.schedule();
  }
}
