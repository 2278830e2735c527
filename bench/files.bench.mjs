// Benchmark group: create + stat + readdir + unlink of 10,000 files — host-mounted directory and in-memory sandbox vs node:wasi on disk.
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { hostTempDir, interleaved, ratioRow, runInFreshProcess } from './lib/measure.mjs';
import { programsDir } from './lib/bundle.mjs';

export async function runFilesBenchmarks({ repetitions = 5, count = 10_000 } = {}) {
  const wasm = path.join(programsDir, 'files.wasm');
  const hostDir = hostTempDir('wasi-bench-files-');
  try {
    const variants = [
      { key: 'node', spec: { engine: 'node', wasm, args: ['/data/work', String(count)], hostDir, guestDir: '/data' } },
      { key: 'host', spec: { engine: 'ours', wasm, args: ['/data/work', String(count)], hostDir, guestDir: '/data' } },
      { key: 'memory', spec: { engine: 'ours', wasm, args: ['/work', String(count)] } },
    ];
    const results = await interleaved(variants, repetitions, (v) => runInFreshProcess(v.spec));
    const outputs = new Set(Object.values(results).flatMap((r) => r.runs.map((run) => run.stdout)));
    if (outputs.size !== 1) throw new Error(`files: the engines disagree: ${[...outputs].join(' / ')}`);
    const label = `${count.toLocaleString('en')} files: create + stat + readdir + unlink`;
    return [
      ratioRow(`${label}, host-mounted dir`, results.host, results.node, 1.0, `${repetitions} runs each`),
      ratioRow(`${label}, in-memory sandbox (vs node:wasi on the host dir)`, results.memory, results.node, 0.5, `${repetitions} runs each`),
    ];
  } finally {
    rmSync(hostDir, { recursive: true, force: true });
  }
}
