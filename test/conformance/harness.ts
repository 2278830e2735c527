// Runs conformance fixtures through the real runtime (WasiEnvBuilder → startWasiProcess → worker) and through node:wasi.
//
// Shared by the conformance, differential, sandbox and bad-input tests. Programs and their expected results are
// described by test/fixtures/conformance/programs.json; expected stdout lives in <program>.expected beside the .wasm.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { WasiEnvBuilder } from '../../src/builder';
import type { ExitInfo } from '../../src/runtime/api';
import { startWasiProcess } from '../../src/runtime/process';

/** Source tree paths: tests run from out/test/conformance, fixtures stay in test/fixtures. */
export const REPO = path.resolve(__dirname, '../../..');
export const FIXTURES = path.join(REPO, 'test/fixtures/conformance');
export const WORKER = path.join(REPO, 'dist/worker.js');

export type ExpectedExit = { kind: 'exit'; code: number } | { kind: 'trap'; frames: string[] };

export interface ProgramSpec {
  name: string;
  /** Relative to test/fixtures/conformance. */
  wasm: string;
  args?: string[];
  env?: Array<[string, string]>;
  stdin?: string;
  /** Gets a writable preopen "/sandbox" and runs once in memory and once on a host directory. */
  filesystem: boolean;
  exit: ExpectedExit;
  node: { skip: string } | { deviations: string[] };
}

export function loadPrograms(): ProgramSpec[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'programs.json'), 'utf8')) as { programs: ProgramSpec[] };
  return manifest.programs;
}

export function expectedStdout(spec: ProgramSpec): string {
  return fs.readFileSync(path.join(FIXTURES, spec.wasm.replace(/\.wasm$/, '.expected')), 'utf8');
}

export function wasmBytes(relative: string): Uint8Array {
  return fs.readFileSync(path.join(FIXTURES, relative));
}

/** Why the real-runtime tests cannot run here, or undefined when they can. */
export function runtimeMissing(): string | undefined {
  return fs.existsSync(WORKER) ? undefined : `needs ${WORKER}: run npm run build first (npm test does)`;
}

/** A fresh host directory under the OS temp dir; removed by the caller with removeTemp(). */
export function makeTemp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `wasi-debug-conformance-${prefix}-`));
}

export function removeTemp(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exit: ExitInfo;
  /** True when the run was stopped by the harness's time limit. */
  timedOut: boolean;
}

export interface RunOptions {
  args?: string[];
  env?: Array<[string, string]>;
  stdin?: string;
  /** How "/sandbox" is provided: an in-memory preopen, a host directory mounted read/write/create, or none. */
  sandbox?: { kind: 'memory' } | { kind: 'host'; hostDir: string } | { kind: 'none' };
  /** Further builder configuration (extra mounts, entry function…), applied after the above. */
  configure?: (builder: WasiEnvBuilder) => void;
  timeoutMs?: number;
}

/** Builds the init the way the debug adapter and the CLI do: through WasiEnvBuilder. */
export function buildInit(programName: string, options: RunOptions) {
  const builder = new WasiEnvBuilder(programName).args(options.args ?? []);
  for (const [key, value] of options.env ?? []) builder.env(key, value);
  const sandbox = options.sandbox ?? { kind: 'none' };
  if (sandbox.kind === 'memory') builder.preopenVfsDirs(['/sandbox']);
  if (sandbox.kind === 'host') builder.mapDir('/sandbox', sandbox.hostDir);
  builder.stdin(options.stdin === undefined ? { kind: 'none' } : { kind: 'bytes', data: new TextEncoder().encode(options.stdin) });
  builder.stdout({ kind: 'console' }).stderr({ kind: 'console' });
  options.configure?.(builder);
  return builder.build();
}

/** Runs `module` in a runtime worker and collects its output; terminates it after the time limit. */
export async function runInRuntime(programName: string, module: Uint8Array, options: RunOptions = {}): Promise<RunResult> {
  const init = buildInit(programName, options);
  const handle = startWasiProcess(init, module, { workerPath: WORKER, name: `conformance: ${programName}` });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  handle.on('stdout', (data) => void stdout.push(Buffer.from(data)));
  handle.on('stderr', (data) => void stderr.push(Buffer.from(data)));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void handle.terminate();
  }, options.timeoutMs ?? 20_000);
  const exit = await handle.exited;
  clearTimeout(timer);
  return { stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), exit, timedOut };
}

export interface NodeRunResult {
  stdout: string;
  /** The guest's exit code, or undefined when node:wasi did not finish within the time limit. */
  exitCode: number | undefined;
  timedOut: boolean;
}

/**
 * Runs the same module under node:wasi in a child process (nodeWasiRunner.ts) with a time limit.
 * `/sandbox` is a host directory: node:wasi has no virtual filesystem.
 */
export function runInNodeWasi(programName: string, wasmRelative: string, options: { args?: string[]; env?: Array<[string, string]>; stdin?: string; sandboxDir?: string; timeoutMs?: number }): NodeRunResult {
  const job = {
    wasmPath: path.join(FIXTURES, wasmRelative),
    args: [programName, ...(options.args ?? [])],
    env: options.env ?? [],
    sandboxDir: options.sandboxDir,
  };
  const child = spawnSync(process.execPath, ['--no-warnings', path.join(__dirname, 'nodeWasiRunner.js'), JSON.stringify(job)], {
    input: options.stdin ?? '',
    timeout: options.timeoutMs ?? 20_000,
    killSignal: 'SIGKILL',
    maxBuffer: 16 * 1024 * 1024,
  });
  const timedOut = child.error !== undefined && (child.error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
  return { stdout: child.stdout.toString('utf8'), exitCode: timedOut ? undefined : child.status ?? undefined, timedOut };
}

/** Lines of `actual` that differ from `expected`, as "-want / +got" pairs: the failure message a reader needs. */
export function lineDiff(expected: string, actual: string): string {
  const want = expected.split('\n');
  const got = actual.split('\n');
  const out: string[] = [];
  const gotSet = new Set(got);
  const wantSet = new Set(want);
  for (const line of want) if (!gotSet.has(line)) out.push(`- ${line}`);
  for (const line of got) if (!wantSet.has(line)) out.push(`+ ${line}`);
  return out.join('\n');
}

/** The label of a check line ("path_open EXCL: EEXIST OK" → "path_open EXCL"). */
export function lineLabel(line: string): string {
  const at = line.indexOf(': ');
  return at < 0 ? line : line.slice(0, at);
}
