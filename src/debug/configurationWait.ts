// How `launch` waits for `configurationDone`: until it comes, or until the client has been silent for a while.
//
// DAP clients send their breakpoints and exception filters between `initialized` and `configurationDone`, and
// those must be in place before the module runs. A few clients never send `configurationDone`, so the launch
// cannot wait for ever — but a fixed limit counted from the launch let a slow client (a loaded machine, a remote
// UI, many breakpoints) lose its breakpoints: the program started while it was still configuring. So the limit
// counts from the client's last request or the adapter's last answer: a client still talking keeps it waiting.

export type ConfigurationOutcome = 'configured' | 'silent';

export class ConfigurationWait {
  private lastActivity: number;
  private done = false;
  private wake: (() => void) | undefined;

  /**
   * @param quietMs how long the client may be silent before the launch starts without `configurationDone`
   * @param now the clock (tests pass their own)
   */
  constructor(
    private readonly quietMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.lastActivity = now();
  }

  /** The client sent a request or was answered: it is still configuring (or at least still there). */
  noteActivity(): void {
    this.lastActivity = this.now();
  }

  /** `configurationDone` arrived (before or during the wait). */
  markDone(): void {
    this.done = true;
    this.wake?.();
  }

  get configured(): boolean {
    return this.done;
  }

  /** Resolves once `configurationDone` has come, or once the client has been silent for `quietMs`. */
  async wait(): Promise<ConfigurationOutcome> {
    for (;;) {
      if (this.done) return 'configured';
      const left = this.lastActivity + this.quietMs - this.now();
      if (left <= 0) return 'silent';
      await new Promise<void>((resolve) => {
        // unref: a client that went away must not keep the adapter process alive through this timer.
        const timer = setTimeout(finish, left);
        timer.unref?.();
        this.wake = finish;
        function finish(): void {
          clearTimeout(timer);
          resolve();
        }
      });
      this.wake = undefined;
    }
  }
}
