// Benchmark group: create + stat + readdir + unlink of 10,000 files — host-mounted directory and in-memory sandbox vs node:wasi on disk.
import * as path from 'node:path';
import { hostAndMemoryRows } from './lib/measure.mjs';
import { programsDir } from './lib/bundle.mjs';

export async function runFilesBenchmarks({ repetitions = 3, count = 10_000 } = {}) {
  return hostAndMemoryRows({
    group: 'files',
    wasm: path.join(programsDir, 'files.wasm'),
    argsFor: (root) => [`${root}/work`, String(count)],
    label: `${count.toLocaleString('en')} files: create + stat + readdir + unlink`,
    repetitions,
    hostTarget: 1.0,
    memoryTarget: 0.5,
  });
}
