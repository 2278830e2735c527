// Shared helpers of the launch configuration tests: a temporary workspace and tiny wasm modules built byte by byte.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { LaunchConfigError } from '../../src/debug/launchConfig';

function uleb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

/** A valid core module exporting one empty `() -> ()` function under each name. */
export function wasmWithExports(names: readonly string[]): Uint8Array {
  const encoder = new TextEncoder();
  const types = section(1, [1, 0x60, 0, 0]);
  const functions = section(3, [...uleb(names.length), ...names.map(() => 0)]);
  const exports = section(7, [
    ...uleb(names.length),
    ...names.flatMap((name, index) => {
      const bytes = [...encoder.encode(name)];
      return [...uleb(bytes.length), ...bytes, 0, ...uleb(index)];
    }),
  ]);
  const code = section(10, [...uleb(names.length), ...names.flatMap(() => [2, 0, 0x0b])]);
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...types, ...functions, ...exports, ...code]);
}

/** A fresh workspace folder (real path) holding hello.wasm, which exports `_start` and `main`. */
export function makeWorkspace(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'wasi-launch-')));
  fs.writeFileSync(path.join(dir, 'hello.wasm'), wasmWithExports(['_start', 'main']));
  return dir;
}

/** Asserts that `run` throws a LaunchConfigError for `field` with exactly `message`; returns it. */
export function expectLaunchError(run: () => unknown, field: string, message: string): LaunchConfigError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof LaunchConfigError, `expected a LaunchConfigError, got ${caught instanceof Error ? caught.stack : String(caught)}`);
  assert.equal(caught.message, message);
  assert.equal(caught.field, field);
  return caught;
}
