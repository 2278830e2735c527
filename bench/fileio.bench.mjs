// Benchmark group: 256 MiB written in 4 KiB chunks then read back — host-mounted directory and in-memory sandbox vs node:wasi on disk.
import * as path from 'node:path';
import { hostAndMemoryRows } from './lib/measure.mjs';
import { programsDir } from './lib/bundle.mjs';

export async function runFileIoBenchmarks({ repetitions = 5, mib = 256 } = {}) {
  return hostAndMemoryRows({
    group: 'io',
    wasm: path.join(programsDir, 'fileio.wasm'),
    argsFor: (root) => [`${root}/io`, String(mib)],
    label: `${mib} MiB in 4 KiB writes + read back`,
    repetitions,
    hostTarget: 1.0,
    memoryTarget: 0.5,
  });
}
