// Wall-clock time in nanoseconds (BigInt) with sub-millisecond resolution, shared by the VFS and the WASI clocks.

const startHr = process.hrtime.bigint();
const startWallNs = BigInt(Date.now()) * 1_000_000n;

/** Nanoseconds since the epoch; monotone within this thread (wall time fixed at start, then the high-resolution clock). */
export function nowNs(): bigint {
  return startWallNs + (process.hrtime.bigint() - startHr);
}

export function nsToMs(ns: bigint): number {
  return Number(ns / 1000n) / 1000;
}

/**
 * Milliseconds on a monotonic clock (throttles and batch ages). Not performance.now(): in a worker thread its first
 * call loads perf_hooks (ten internal modules, ~1 ms) during the module's first syscalls.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint() - startHr) / 1e6;
}
