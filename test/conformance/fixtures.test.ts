// The committed conformance .wasm files are exactly what their sources build to (test/fixtures/build.sh --check).
//
// Needs the toolchains (Debian clang + wasi-libc, wat2wasm or npm wabt, Debian rustc + wasm32 std); skipped, with
// the missing tool named, where they are absent (CI runs the committed binaries and needs no compiler).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from './harness';

function missingTool(): string | undefined {
  if (spawnSync('clang', ['--version']).status !== 0) return 'clang (apt-get install -y clang lld wasi-libc libclang-rt-dev-wasm32)';
  if (!fs.existsSync('/usr/include/wasm32-wasi/wasi/api.h')) return 'wasi-libc (apt-get install -y wasi-libc)';
  if (!fs.existsSync('/usr/bin/rustc') || !fs.existsSync('/usr/lib/rustlib/wasm32-wasi')) {
    return 'Debian rustc with the wasm32-wasi std (apt-get install -y --no-install-recommends rustc libstd-rust-dev-wasm32)';
  }
  return undefined;
}

test('fixtures: every committed conformance .wasm is rebuilt byte for byte from its source', (t) => {
  const missing = missingTool();
  if (missing) {
    t.skip(`needs ${missing}`);
    return;
  }
  const result = spawnSync('bash', [path.join(REPO, 'test/fixtures/build.sh'), '--check'], { encoding: 'utf8', timeout: 300_000 });
  assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
  assert.match(result.stdout, /every committed conformance \.wasm matches its source/);
});
