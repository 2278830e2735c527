// Measuring helpers shared by the benchmark groups: one run per fresh process, interleaved repetitions, medians.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const runOne = path.join(path.dirname(fileURLToPath(import.meta.url)), 'runOne.mjs');
const TIME = '/usr/bin/time';
const haveTime = existsSync(TIME) && spawnSync(TIME, ['-f', '%M', 'true']).status === 0;

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** One in-process run (runOne.mjs in a fresh node): { ms, exit, stdout, maxRssKb }. */
export function runInFreshProcess(spec) {
  const result = spawnSync(process.execPath, [runOne, JSON.stringify(spec)], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const line = result.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`benchmark run failed (${spec.engine} ${path.basename(spec.wasm)}): ${result.stderr || result.stdout}`);
  const parsed = JSON.parse(line.slice('RESULT '.length));
  if (parsed.exit !== 0) throw new Error(`${spec.engine} ${path.basename(spec.wasm)} exited with ${parsed.exit}: ${result.stderr}`);
  return parsed;
}

/**
 * A whole process, stdout piped into this process and counted: { ms, bytes, maxRssKb }.
 * Peak memory comes from /usr/bin/time when it exists (its own cost is the same for every command).
 */
export function runWholeProcess(command, args, { cwd } = {}) {
  return new Promise((resolve, reject) => {
    const argv = haveTime ? [TIME, '-f', 'MAXRSS %M', command, ...args] : [command, ...args];
    const t0 = performance.now();
    const child = spawn(argv[0], argv.slice(1), { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let bytes = 0;
    let stderr = '';
    child.stdout.on('data', (chunk) => (bytes += chunk.length));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      const rss = /MAXRSS (\d+)/.exec(stderr);
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr}`));
      else resolve({ ms, bytes, maxRssKb: rss ? Number(rss[1]) : undefined });
    });
  });
}

/**
 * Runs each variant `repetitions` times, interleaved (a, b, c, a, b, c, …) so that a noisy moment hurts all
 * alike; `run(variant)` returns { ms, maxRssKb, … }. Returns per-variant { medianMs, peakRssKb, runs }.
 */
export async function interleaved(variants, repetitions, run) {
  const results = new Map(variants.map((v) => [v.key, []]));
  for (let i = 0; i < repetitions; i++) {
    for (const variant of variants) results.get(variant.key).push(await run(variant));
  }
  const summary = {};
  for (const [key, runs] of results) {
    summary[key] = {
      medianMs: median(runs.map((r) => r.ms)),
      peakRssKb: Math.max(...runs.map((r) => r.maxRssKb ?? 0)),
      runs,
    };
  }
  return summary;
}

export const mb = (kb) => (kb ? `${(kb / 1024).toFixed(0)} MB` : 'n/a');

/** "812 ms (760–990), peak 72 MB": the median, the spread of the runs and the peak memory. */
function describeRuns(summary) {
  const times = summary.runs.map((r) => r.ms);
  return `${summary.medianMs.toFixed(0)} ms (${Math.min(...times).toFixed(0)}–${Math.max(...times).toFixed(0)}), peak ${mb(summary.peakRssKb)}`;
}

/** A comparison row: ratio of medians against a target. */
export function ratioRow(name, ours, baseline, target, detail) {
  const ratio = ours.medianMs / baseline.medianMs;
  return {
    name,
    value: ratio,
    unit: '× (time ratio, medians)',
    target: `≤ ${target}`,
    ok: ratio <= target,
    detail: `ours ${describeRuns(ours)}; node:wasi ${describeRuns(baseline)}${detail ? `; ${detail}` : ''}`,
  };
}

/**
 * Host directories for the file workloads. `tmpfs`: /dev/shm when there is one — host-mounted runs of both
 * runtimes use it, because the disk of a shared machine adds noise larger than the difference being measured
 * (10,000 files took 7 to 12 s per run on /tmp here) and tmpfs leaves the runtimes' own costs in view.
 * `disk`: the system temporary directory — node:wasi's baseline for the in-memory sandbox, as a user has it.
 */
export function hostTempDir(prefix, kind) {
  const base = kind === 'tmpfs' && existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  return mkdtempSync(path.join(base, prefix));
}

/**
 * The file workloads' two comparisons, measured in one interleaved sitting: ours on a host mount against node:wasi on
 * the same tmpfs directory (target `hostTarget`), and ours in the in-memory sandbox against node:wasi on a disk
 * directory (target `memoryTarget`). `argsFor(root)` gives the guest arguments for a guest directory root ("/data"
 * mounted, "" in memory). Every run must print the same stdout, or the engines disagree and the group fails.
 */
export async function hostAndMemoryRows({ group, wasm, argsFor, label, repetitions, hostTarget, memoryTarget }) {
  const fastDir = hostTempDir(`wasi-bench-${group}-`, 'tmpfs');
  const diskDir = hostTempDir(`wasi-bench-${group}-`, 'disk');
  try {
    const mounted = { wasm, args: argsFor('/data'), guestDir: '/data' };
    const variants = [
      { key: 'nodeFast', spec: { engine: 'node', ...mounted, hostDir: fastDir } },
      { key: 'host', spec: { engine: 'ours', ...mounted, hostDir: fastDir } },
      { key: 'nodeDisk', spec: { engine: 'node', ...mounted, hostDir: diskDir } },
      { key: 'memory', spec: { engine: 'ours', wasm, args: argsFor('') } },
    ];
    const results = await interleaved(variants, repetitions, (v) => runInFreshProcess(v.spec));
    const outputs = new Set(Object.values(results).flatMap((r) => r.runs.map((run) => run.stdout)));
    if (outputs.size !== 1) throw new Error(`${group}: the engines disagree: ${[...outputs].join(' / ')}`);
    return [
      ratioRow(`${label}, host-mounted dir (both on ${fastDir.startsWith('/dev/shm') ? 'tmpfs' : 'disk'})`, results.host, results.nodeFast, hostTarget, `${repetitions} runs each`),
      ratioRow(`${label}, in-memory sandbox vs node:wasi on a disk dir`, results.memory, results.nodeDisk, memoryTarget, `${repetitions} runs each`),
    ];
  } finally {
    rmSync(fastDir, { recursive: true, force: true });
    rmSync(diskDir, { recursive: true, force: true });
  }
}
