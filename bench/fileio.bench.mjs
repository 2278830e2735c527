// Benchmark group: 256 MiB written in 4 KiB chunks then read back — host-mounted directory and in-memory sandbox vs node:wasi on disk.
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { hostTempDir, interleaved, ratioRow, runInFreshProcess } from './lib/measure.mjs';
import { programsDir } from './lib/bundle.mjs';

export async function runFileIoBenchmarks({ repetitions = 5, mib = 256 } = {}) {
  const wasm = path.join(programsDir, 'fileio.wasm');
  const fastDir = hostTempDir('wasi-bench-io-', 'tmpfs');
  const diskDir = hostTempDir('wasi-bench-io-', 'disk');
  try {
    const args = ['/data/io', String(mib)];
    const variants = [
      { key: 'nodeFast', spec: { engine: 'node', wasm, args, hostDir: fastDir, guestDir: '/data' } },
      { key: 'host', spec: { engine: 'ours', wasm, args, hostDir: fastDir, guestDir: '/data' } },
      { key: 'nodeDisk', spec: { engine: 'node', wasm, args, hostDir: diskDir, guestDir: '/data' } },
      { key: 'memory', spec: { engine: 'ours', wasm, args: ['/io', String(mib)] } },
    ];
    const results = await interleaved(variants, repetitions, (v) => runInFreshProcess(v.spec));
    const outputs = new Set(Object.values(results).flatMap((r) => r.runs.map((run) => run.stdout)));
    if (outputs.size !== 1) throw new Error(`fileio: the engines disagree: ${[...outputs].join(' / ')}`);
    return [
      ratioRow(`${mib} MiB in 4 KiB writes + read back, host-mounted dir (both on ${fastDir.startsWith('/dev/shm') ? 'tmpfs' : 'disk'})`, results.host, results.nodeFast, 1.0, `${repetitions} runs each`),
      ratioRow(`${mib} MiB in 4 KiB writes + read back, in-memory sandbox vs node:wasi on a disk dir`, results.memory, results.nodeDisk, 0.5, `${repetitions} runs each`),
    ];
  } finally {
    rmSync(fastDir, { recursive: true, force: true });
    rmSync(diskDir, { recursive: true, force: true });
  }
}
