// Helpers for the runtime tests: WAT → wasm with the npm wabt package, a default WasiEnvInit, a recording mirror, output capture.
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import type { WasiEnvInit } from '../../src/builder/envInit';
import type { FsChange, FsEdit } from '../../src/vfs/changes';
import type { VfsDirEntry, VfsMountInfo, VfsStat, WasiProcessHandle } from '../../src/runtime/api';
import type { RuntimeMirror } from '../../src/runtime/wasiProcess';

type Wabt = { parseWat(name: string, text: string): { toBinary(options: object): { buffer: Uint8Array }; destroy(): void } };
// eslint-disable-next-line @typescript-eslint/no-var-requires
const wabtFactory = require('wabt') as () => Promise<Wabt>;
let wabt: Promise<Wabt> | undefined;

export async function wat(text: string): Promise<Uint8Array> {
  wabt ??= wabtFactory();
  const parsed = (await wabt).parseWat('test.wat', text);
  try {
    return parsed.toBinary({ write_debug_names: true }).buffer;
  } finally {
    parsed.destroy();
  }
}

/** The compiled stand-in worker (tsc puts it beside this file in out/test/unit). */
export const STAND_IN_WORKER = path.join(__dirname, 'runtimeStandInWorker.js');

export function testInit(overrides: Partial<WasiEnvInit> = {}): WasiEnvInit {
  return {
    args: ['test.wasm'],
    env: [],
    entryFunction: '_start',
    root: { kind: 'memory' },
    preopens: [],
    currentDir: '/',
    seed: [],
    stdin: { kind: 'console' },
    stdout: { kind: 'console' },
    stderr: { kind: 'console' },
    uses: [],
    includedPackages: [],
    mapCommands: {},
    capabilities: { threads: false, threading: { enableAsynchronousThreading: false } },
    additionalImports: [],
    journals: [],
    snapshotOn: [],
    attachCtrlC: false,
    ...overrides,
  };
}

/** A mirror that records what the runtime gives it and forwards edits the way the real one does. */
export class RecordingMirror implements RuntimeMirror {
  readonly batches: FsChange[][] = [];
  authoritative = false;
  constructor(private readonly requestEdit: (edit: FsEdit) => Promise<void>) {}
  get changes(): FsChange[] {
    return this.batches.flat();
  }
  applyChanges(changes: FsChange[]): void {
    this.batches.push(changes);
  }
  becomeAuthoritative(): void {
    this.authoritative = true;
  }
  mounts(): VfsMountInfo[] {
    return [];
  }
  stat(): VfsStat {
    throw new Error('not used');
  }
  lstat(): VfsStat {
    throw new Error('not used');
  }
  readDirectory(): VfsDirEntry[] {
    return [];
  }
  readFile(): Uint8Array {
    return new Uint8Array(0);
  }
  writeFile(path: string, data: Uint8Array, options: { create: boolean; overwrite: boolean }): Promise<void> {
    return this.requestEdit({ kind: 'writeFile', path, data, ...options });
  }
  createDirectory(path: string): Promise<void> {
    return this.requestEdit({ kind: 'createDirectory', path });
  }
  delete(path: string, options: { recursive: boolean }): Promise<void> {
    return this.requestEdit({ kind: 'delete', path, recursive: options.recursive });
  }
  rename(from: string, to: string, options: { overwrite: boolean }): Promise<void> {
    return this.requestEdit({ kind: 'rename', from, to, overwrite: options.overwrite });
  }
  onDidChange(): { dispose(): void } {
    return { dispose() {} };
  }
}

export interface CapturedRun {
  /** Consecutive chunks of the same stream merged: the exact interleaving the guest produced. */
  readonly runs: Array<{ stream: 'stdout' | 'stderr'; data: Buffer }>;
  stdout(): string;
  stderr(): string;
}

export function captureOutput(handle: WasiProcessHandle): CapturedRun {
  const pieces: Array<{ stream: 'stdout' | 'stderr'; parts: Uint8Array[] }> = [];
  const add = (stream: 'stdout' | 'stderr') => (data: Uint8Array) => {
    const last = pieces[pieces.length - 1];
    if (last && last.stream === stream) last.parts.push(data);
    else pieces.push({ stream, parts: [data] });
  };
  handle.on('stdout', add('stdout'));
  handle.on('stderr', add('stderr'));
  const runs = () => pieces.map((p) => ({ stream: p.stream, data: Buffer.concat(p.parts) }));
  const joined = (stream: 'stdout' | 'stderr') =>
    Buffer.concat(pieces.filter((p) => p.stream === stream).flatMap((p) => p.parts)).toString('latin1');
  return {
    get runs() {
      return runs();
    },
    stdout: () => joined('stdout'),
    stderr: () => joined('stderr'),
  };
}

/** Polls until `predicate` holds (the machine is shared and slow at times: never a fixed sleep for a result). */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(5);
  }
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The module's imports of our stand-in (a subset of preview1 plus two test hooks). */
export const WAT_IMPORTS = `
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi_snapshot_preview1" "sched_yield" (func $sched_yield (result i32)))
`;

/** Writes memory[ptr, ptr+len) to fd through an iovec at address 0. */
export const WAT_WRITE_HELPER = `
  (func $write (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))
`;

/**
 * The flood program: line i has length (i % 50) + 1, its bytes are 'A' + (i % 26) then '\n', and goes to
 * stderr when i % 7 == 3, else stdout. `expectedFlood` computes the same in JS.
 */
export function floodWat(lines: number): string {
  return `(module ${WAT_IMPORTS}
  (memory (export "memory") 1)
  ${WAT_WRITE_HELPER}
  (func (export "_start") (local $i i32) (local $len i32) (local $k i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (i32.const ${lines})))
      (local.set $len (i32.add (i32.rem_u (local.get $i) (i32.const 50)) (i32.const 1)))
      (local.set $k (i32.const 0))
      (block $filled (loop $fill
        (br_if $filled (i32.ge_u (local.get $k) (i32.sub (local.get $len) (i32.const 1))))
        (i32.store8 (i32.add (i32.const 64) (local.get $k)) (i32.add (i32.const 65) (i32.rem_u (local.get $i) (i32.const 26))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $fill)))
      (i32.store8 (i32.add (i32.const 64) (local.get $k)) (i32.const 10))
      (call $write
        (select (i32.const 2) (i32.const 1) (i32.eq (i32.rem_u (local.get $i) (i32.const 7)) (i32.const 3)))
        (i32.const 64) (local.get $len))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))))`;
}

export function expectedFlood(lines: number): CapturedRun['runs'] {
  const runs: CapturedRun['runs'] = [];
  const pieces: Array<{ stream: 'stdout' | 'stderr'; parts: Buffer[] }> = [];
  for (let i = 0; i < lines; i++) {
    const length = (i % 50) + 1;
    const line = Buffer.alloc(length, 65 + (i % 26));
    line[length - 1] = 10;
    const stream = i % 7 === 3 ? 'stderr' : 'stdout';
    const last = pieces[pieces.length - 1];
    if (last && last.stream === stream) last.parts.push(line);
    else pieces.push({ stream, parts: [line] });
  }
  for (const piece of pieces) runs.push({ stream: piece.stream, data: Buffer.concat(piece.parts) });
  return runs;
}
