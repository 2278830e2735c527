// Instantiates a module that imports its memory ("env"."memory", as threaded WASIX and wasi-threads builds do) by creating that memory.
//
// A compiled WebAssembly.Module does not reveal an imported memory's limits (minimum, maximum, shared) without V8's
// type-reflection flag, and the worker may only have the compiled module. So the memory is found the way the engine
// checks it: an instantiation attempt whose memory does not fit fails at link time — before any data segment or start
// function runs, so a failed attempt has no effect — and V8's LinkError names the declared number it wanted ("is
// smaller than initial 17", "the module's declared maximum 16384", "mismatch in shared state … declared = 0"). Each
// attempt fixes one limit; a message that names none ends the search with that message, so a different engine wording
// costs a clear error, never a wrong memory. A memory smaller than the declared maximum is valid (it can grow to it).

import { Wasm, WasmInstance, WasmMemory, WasmModule } from './wasm';

/** wasm32's largest memory, in 64 KiB pages. */
const MAX_PAGES = 65536;
const MAX_ATTEMPTS = 6;

export interface MemoryImport {
  module: string;
  name: string;
}

export type CreatedMemoryResult =
  | { kind: 'ok'; instance: WasmInstance; memory: WasmMemory }
  | { kind: 'error'; message: string };

interface Guess {
  initial: number;
  maximum: number | undefined;
  shared: boolean;
}

/** The memory import this runtime has to create: one the launch's "imports" do not provide. */
export function memoryToCreate(module: WasmModule, provided: Record<string, Record<string, unknown>>): MemoryImport | undefined {
  for (const imp of Wasm.Module.imports(module)) {
    if (imp.kind !== 'memory') continue;
    const ns = provided[imp.module];
    if (ns === undefined || !(imp.name in ns)) return { module: imp.module, name: imp.name };
  }
  return undefined;
}

/** What the LinkError says the module declared, applied to the guess; false when it names nothing we can use. */
function learn(message: string, guess: Guess): boolean {
  const initial = /smaller than initial (\d+)/.exec(message);
  if (initial) {
    guess.initial = Number(initial[1]);
    return true;
  }
  const declaredMax = /declared maximum (\d+)/.exec(message) ?? /expected at most (\d+)/.exec(message);
  if (declaredMax && guess.maximum !== Number(declaredMax[1])) {
    guess.maximum = Number(declaredMax[1]);
    return true;
  }
  const shared = /mismatch in shared state[^]*?declared = (\d)/.exec(message);
  if (shared && guess.shared !== (shared[1] === '1')) {
    guess.shared = shared[1] === '1';
    return true;
  }
  return false;
}

/**
 * Instantiates `module`, creating the imported memory `imp` inside `imports`. Throws what instantiation throws for any
 * other reason (a start function's trap, a RangeError for memory the process cannot get).
 */
export function instantiateCreatingMemory(module: WasmModule, imports: Record<string, Record<string, unknown>>, imp: MemoryImport): CreatedMemoryResult {
  // First guess: a threaded WASIX build (shared, up to 4 GiB); each LinkError corrects one limit.
  const guess: Guess = { initial: 0, maximum: MAX_PAGES, shared: true };
  let last = '';
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (guess.shared && guess.maximum === undefined) guess.maximum = MAX_PAGES;
    if (guess.maximum !== undefined && guess.maximum < guess.initial) guess.maximum = guess.initial;
    const memory = new Wasm.Memory({
      initial: guess.initial,
      ...(guess.maximum !== undefined ? { maximum: guess.maximum } : {}),
      ...(guess.shared ? { shared: true } : {}),
    });
    imports[imp.module] = { ...(imports[imp.module] ?? {}), [imp.name]: memory };
    try {
      return { kind: 'ok', instance: new Wasm.Instance(module, imports), memory };
    } catch (e) {
      if (!(e instanceof Wasm.LinkError)) throw e;
      last = e.message;
      if (!learn(last, guess)) break;
    }
  }
  return {
    kind: 'error',
    message:
      `the module imports its memory ("${imp.module}"."${imp.name}") and the runtime could not create a matching one ` +
      `(${last.replace(/^WebAssembly\.Instance\(\): /, '')}); link it with an exported memory instead (no --import-memory)`,
  };
}
