// Benchmark group: `wasi-debug run hello.wasm`, the whole process, vs `node` running the same module with node:wasi.
import * as path from 'node:path';
import { interleaved, ratioRow, runWholeProcess } from './lib/measure.mjs';
import { cliPath, programsDir, root } from './lib/bundle.mjs';

export async function runStartupBenchmarks({ repetitions = 15 } = {}) {
  const wasm = path.join(programsDir, 'hello.wasm');
  const baselineMain = path.join(root, 'bench', 'lib', 'nodeWasiMain.cjs');
  const variants = [
    { key: 'node', argv: [baselineMain, wasm] },
    { key: 'ours', argv: [cliPath, 'run', wasm] },
  ];
  await runWholeProcess(process.execPath, variants[1].argv); // warm the file cache
  const results = await interleaved(variants, repetitions, (v) => runWholeProcess(process.execPath, v.argv));
  return [ratioRow('`wasi-debug run hello.wasm`, whole process', results.ours, results.node, 1.3, `${repetitions} runs each`)];
}
