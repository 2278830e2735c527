// Capabilities of a guest (the seed's `Capabilities`): today, threading only.
import type { Capabilities } from './envInit';

export type { Capabilities, ThreadingCapabilities } from './envInit';

/**
 * The capabilities a builder starts with: single-threaded, synchronous threading, no thread limit.
 * (Wasmer allows threads by default; this runtime runs one thread unless asked, so a module that spawns
 * threads fails clearly instead of half-working.)
 */
export function defaultCapabilities(): Capabilities {
  return { threads: false, threading: { enableAsynchronousThreading: false } };
}

/** A deep copy, so a built WasiEnvInit never shares objects with its builder. */
export function cloneCapabilities(capabilities: Capabilities): Capabilities {
  const threading = { ...capabilities.threading };
  if (threading.maxThreads === undefined) delete threading.maxThreads;
  return { threads: capabilities.threads, threading };
}
