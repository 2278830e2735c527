// Benchmark group: create + stat + readdir + unlink of 10,000 files — host-mounted directory and in-memory sandbox vs node:wasi on disk.
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { hostTempDir, interleaved, ratioRow, runInFreshProcess } from './lib/measure.mjs';
import { programsDir } from './lib/bundle.mjs';

export async function runFilesBenchmarks({ repetitions = 3, count = 10_000 } = {}) {
  const wasm = path.join(programsDir, 'files.wasm');
  const fastDir = hostTempDir('wasi-bench-files-', 'tmpfs');
  const diskDir = hostTempDir('wasi-bench-files-', 'disk');
  try {
    const args = ['/data/work', String(count)];
    const variants = [
      { key: 'nodeFast', spec: { engine: 'node', wasm, args, hostDir: fastDir, guestDir: '/data' } },
      { key: 'host', spec: { engine: 'ours', wasm, args, hostDir: fastDir, guestDir: '/data' } },
      { key: 'nodeDisk', spec: { engine: 'node', wasm, args, hostDir: diskDir, guestDir: '/data' } },
      { key: 'memory', spec: { engine: 'ours', wasm, args: ['/work', String(count)] } },
    ];
    const results = await interleaved(variants, repetitions, (v) => runInFreshProcess(v.spec));
    const outputs = new Set(Object.values(results).flatMap((r) => r.runs.map((run) => run.stdout)));
    if (outputs.size !== 1) throw new Error(`files: the engines disagree: ${[...outputs].join(' / ')}`);
    const label = `${count.toLocaleString('en')} files: create + stat + readdir + unlink`;
    return [
      ratioRow(`${label}, host-mounted dir (both on ${fastDir.startsWith('/dev/shm') ? 'tmpfs' : 'disk'})`, results.host, results.nodeFast, 1.0, `${repetitions} runs each`),
      ratioRow(`${label}, in-memory sandbox vs node:wasi on a disk dir`, results.memory, results.nodeDisk, 0.5, `${repetitions} runs each`),
    ];
  } finally {
    rmSync(fastDir, { recursive: true, force: true });
    rmSync(diskDir, { recursive: true, force: true });
  }
}
