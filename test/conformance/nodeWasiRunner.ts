// Child-process entry that runs one module under Node's own node:wasi, for the differential tests.
//
// A separate process because node:wasi runs in the calling thread: a guest that hangs it (or a node:wasi bug
// that blocks) must be killable by a time limit. Input: one JSON argument; stdout/stdin are the guest's.

import * as fs from 'node:fs';
import { WASI } from 'node:wasi';

interface NodeWasiJob {
  wasmPath: string;
  args: string[];
  env: Array<[string, string]>;
  /** Host directory preopened as "/sandbox", if any. */
  sandboxDir?: string;
}

const webAssembly = (globalThis as unknown as {
  WebAssembly: { compile(bytes: Uint8Array): Promise<object>; instantiate(module: object, imports: object): Promise<object> };
}).WebAssembly;

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as NodeWasiJob;
  const wasi = new WASI({
    version: 'preview1',
    args: job.args,
    env: Object.fromEntries(job.env),
    preopens: job.sandboxDir === undefined ? {} : { '/sandbox': job.sandboxDir },
    returnOnExit: true,
  });
  const compiled = await webAssembly.compile(fs.readFileSync(job.wasmPath));
  const instance = await webAssembly.instantiate(compiled, wasi.getImportObject());
  process.exitCode = wasi.start(instance);
}

void main();
