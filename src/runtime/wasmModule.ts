// Compiling a module on the main thread before any worker starts, with errors a user can act on.
//
// The project compiles against ES2022 without the DOM library, so TypeScript has no `WebAssembly`
// namespace; this file types the few entry points the runtime needs.

/** A compiled WebAssembly.Module (opaque; it can be posted to a worker). */
export type WasmModule = object;

interface WasmApi {
  Module: (new (bytes: Uint8Array) => WasmModule) & { imports(module: WasmModule): Array<{ module: string; name: string; kind: string }> };
  compile(bytes: Uint8Array): Promise<WasmModule>;
}

export const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export function isWasmModule(value: unknown): value is WasmModule {
  return value instanceof wasmApi.Module;
}

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

/** Compiles asynchronously (large modules must not freeze the extension host) and explains why bytes are not a module. */
export async function compileModule(bytes: Uint8Array): Promise<WasmModule> {
  const problem = describeNonModule(bytes);
  if (problem) throw new Error(problem);
  try {
    return await wasmApi.compile(bytes);
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/^WebAssembly\.compile\(\): /, '') : String(error);
    if (/end of|beyond|length out of bounds|expected \d+ bytes?/i.test(detail)) {
      throw new Error(`the module is truncated or corrupt (${bytes.length} bytes): ${detail}`);
    }
    throw new Error(`the module is not valid WebAssembly: ${detail}`);
  }
}

/** A precise reason when the bytes are not even the start of a WebAssembly binary; undefined otherwise. */
export function describeNonModule(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0) return 'the module file is empty (0 bytes), not WebAssembly';
  const hasMagic = WASM_MAGIC.every((byte, index) => bytes[index] === byte);
  if (!hasMagic) {
    const head = Array.from(bytes.subarray(0, 4), (byte) => byte.toString(16).padStart(2, '0')).join(' ');
    const hint = looksLikeText(bytes)
      ? ' It looks like text: if it is WebAssembly text format (.wat), compile it first (e.g. `wat2wasm x.wat`).'
      : '';
    return `the file is not a WebAssembly binary: it starts with ${head} instead of 00 61 73 6d ("\\0asm").${hint}`;
  }
  if (bytes.length < 8) return `the module is truncated: ${bytes.length} bytes, shorter than the 8-byte WebAssembly header`;
  const version = bytes[4] | (bytes[5] << 8) | (bytes[6] << 16) | (bytes[7] << 24);
  if (version !== 1) {
    return (version & 0xffff) === 0x000d
      ? 'the file is a WebAssembly component (component model), not a core module: WASI preview1 runs core modules only'
      : `unsupported WebAssembly binary version ${version} (expected 1)`;
  }
  return undefined;
}

function looksLikeText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 64);
  return sample.every((byte) => byte === 9 || byte === 10 || byte === 13 || (byte >= 32 && byte < 127));
}
