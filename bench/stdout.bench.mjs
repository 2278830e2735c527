// Benchmark group: 1,000,000 short lines to stdout, whole process into a pipe — `wasi-debug run` vs node running node:wasi.
import * as path from 'node:path';
import { interleaved, ratioRow, runWholeProcess } from './lib/measure.mjs';
import { cliPath, programsDir, root } from './lib/bundle.mjs';

export async function runStdoutBenchmarks({ repetitions = 7, lines = 1_000_000 } = {}) {
  const wasm = path.join(programsDir, 'lines.wasm');
  const baselineMain = path.join(root, 'bench', 'lib', 'nodeWasiMain.cjs');
  const variants = [
    { key: 'node', argv: [baselineMain, wasm, String(lines)] },
    { key: 'ours', argv: [cliPath, 'run', wasm, String(lines)] },
  ];
  const results = await interleaved(variants, repetitions, (v) => runWholeProcess(process.execPath, v.argv));
  const sizes = new Set(Object.values(results).flatMap((r) => r.runs.map((run) => run.bytes)));
  if (sizes.size !== 1) throw new Error(`stdout: the engines wrote different amounts: ${[...sizes].join(' / ')}`);
  return [ratioRow(`${lines.toLocaleString('en')} lines to stdout through the CLI into a pipe`, results.ours, results.node, 1.2, `${[...sizes][0]} bytes, ${repetitions} runs each`)];
}
