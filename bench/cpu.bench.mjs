// Benchmark group: a CPU-bound -O2 program (sieve, hashing, mandelbrot), this runtime vs node:wasi, both in a worker thread.
import * as path from 'node:path';
import { interleaved, ratioRow, runInFreshProcess } from './lib/measure.mjs';
import { programsDir } from './lib/bundle.mjs';

export async function runCpuBenchmarks({ repetitions = 7 } = {}) {
  const wasm = path.join(programsDir, 'cpu.wasm');
  const variants = [
    { key: 'node', spec: { engine: 'node', wasm, args: [] } },
    { key: 'ours', spec: { engine: 'ours', wasm, args: [] } },
  ];
  const results = await interleaved(variants, repetitions, (v) => runInFreshProcess(v.spec));
  const outputs = new Set(Object.values(results).flatMap((r) => r.runs.map((run) => run.stdout)));
  if (outputs.size !== 1) throw new Error(`cpu: the engines disagree: ${[...outputs].join(' / ')}`);
  return [ratioRow('CPU-bound program (-O2)', results.ours, results.node, 1.05, `${repetitions} runs each`)];
}
