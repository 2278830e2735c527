// WASIX (wasix_32v1) programs through the real runtime: exact stdout and exit, launch.json "cwd" seen by getcwd, files landing in the directory chdir chose.
//
// The fixtures are WAT (no WASIX toolchain offline): test/fixtures/conformance/wat/wasix_*.wat, built by build.sh.
// They call the WASIX functions the way wasix-libc does (an absolute path goes to the "/" preopen with its leading "/",
// a relative one as it is) and print one "<label>: OK" line per check.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURES, lineDiff, makeTemp, removeTemp, runInRuntime, runtimeMissing, wasmBytes } from './harness';

function expected(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, 'wat', `${name}.expected`), 'utf8');
}

for (const mode of ['memory', 'host'] as const) {
  test(`wasix: getcwd/chdir with "cwd": "/sandbox/work" (${mode === 'memory' ? 'in-memory' : 'host-mounted'} /sandbox)`, async (t) => {
    const missing = runtimeMissing();
    if (missing) {
      t.skip(missing);
      return;
    }
    const hostDir = mode === 'host' ? makeTemp('wasix-cwd') : undefined;
    try {
      const result = await runInRuntime('wasix_cwd', wasmBytes('wat/wasix_cwd.wasm'), {
        sandbox: hostDir ? { kind: 'host', hostDir } : { kind: 'memory' },
        configure: (builder) => void builder.currentDir('/sandbox/work'),
      });
      const want = expected('wasix_cwd');
      assert.ok(result.stdout === want, `wasix_cwd stdout differs (- expected, + got):\n${lineDiff(want, result.stdout)}\nstderr: ${result.stderr}`);
      assert.deepEqual(result.exit, { kind: 'exit', code: 0 });
      if (hostDir) {
        // The relative name the program created after chdir("sub"), then renamed to a relative name after chdir(".."),
        // is on the disk under the directory it chose.
        assert.equal(fs.readFileSync(path.join(hostDir, 'work', 'moved.txt'), 'utf8'), 'written in sub\n');
        assert.deepEqual(fs.readdirSync(path.join(hostDir, 'work')).sort(), ['moved.txt', 'sub']);
        assert.deepEqual(fs.readdirSync(path.join(hostDir, 'work', 'sub')), []);
      }
    } finally {
      if (hostDir) removeTemp(hostDir);
    }
  });
}

test('wasix: descriptors, pipes, tty, identity and ENOTSUP from a module importing both namespaces', async (t) => {
  const missing = runtimeMissing();
  if (missing) {
    t.skip(missing);
    return;
  }
  const result = await runInRuntime('wasix_fds', wasmBytes('wat/wasix_fds.wasm'), { sandbox: { kind: 'none' } });
  const want = expected('wasix_fds');
  assert.ok(result.stdout === want, `wasix_fds stdout differs (- expected, + got):\n${lineDiff(want, result.stdout)}\nstderr: ${result.stderr}`);
  assert.equal(result.stderr, 'stderr still open\n');
  assert.deepEqual(result.exit, { kind: 'exit', code: 0 });
});
