// The conformance suite: every fixture program runs through the real runtime and must print its .expected and exit as described.
//
// Filesystem programs run twice: with "/sandbox" in the in-memory VFS and with "/sandbox" a host directory.
// A failing check prints its own line ("label: got X, want Y FAIL"), so the assertion message is the line diff.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  expectedStdout,
  lineDiff,
  loadPrograms,
  makeTemp,
  removeTemp,
  runInRuntime,
  runtimeMissing,
  wasmBytes,
  type ProgramSpec,
  type RunResult,
} from './harness';

function assertExit(spec: ProgramSpec, result: RunResult): void {
  assert.equal(result.timedOut, false, `${spec.name} did not finish in time`);
  if (spec.exit.kind === 'exit') {
    assert.deepEqual(result.exit, { kind: 'exit', code: spec.exit.code }, `${spec.name} exit\nstderr: ${result.stderr}`);
    return;
  }
  assert.equal(result.exit.kind, 'trap', `${spec.name} must trap, got ${JSON.stringify(result.exit)}`);
  if (result.exit.kind !== 'trap') return;
  const names = result.exit.frames.map((frame) => frame.functionName);
  assert.deepEqual(names.slice(0, spec.exit.frames.length), spec.exit.frames, `${spec.name} trap frames: ${names.join(' < ')}`);
}

for (const spec of loadPrograms()) {
  const modes: Array<'memory' | 'host'> = spec.filesystem ? ['memory', 'host'] : ['memory'];
  for (const mode of modes) {
    const title = spec.filesystem ? `${spec.name} (${mode === 'memory' ? 'in-memory /sandbox' : 'host-mounted /sandbox'})` : spec.name;
    test(`conformance: ${title}`, async (t) => {
      const missing = runtimeMissing();
      if (missing) {
        t.skip(missing);
        return;
      }
      const hostDir = mode === 'host' && spec.filesystem ? makeTemp(spec.name) : undefined;
      try {
        const result = await runInRuntime(spec.name, wasmBytes(spec.wasm), {
          args: spec.args,
          env: spec.env,
          stdin: spec.stdin,
          sandbox: !spec.filesystem ? { kind: 'none' } : hostDir ? { kind: 'host', hostDir } : { kind: 'memory' },
        });
        const expected = expectedStdout(spec);
        assert.ok(result.stdout === expected, `${spec.name} stdout differs (- expected, + got):\n${lineDiff(expected, result.stdout)}`);
        assertExit(spec, result);
      } finally {
        if (hostDir) removeTemp(hostDir);
      }
    });
  }
}

test('conformance: every preview1 function is called by some fixture', () => {
  // The 46 functions of wasi_snapshot_preview1 (legacy/preview1/witx/wasi_snapshot_preview1.witx).
  const all = [
    'args_get', 'args_sizes_get', 'environ_get', 'environ_sizes_get', 'clock_res_get', 'clock_time_get', 'fd_advise',
    'fd_allocate', 'fd_close', 'fd_datasync', 'fd_fdstat_get', 'fd_fdstat_set_flags', 'fd_fdstat_set_rights',
    'fd_filestat_get', 'fd_filestat_set_size', 'fd_filestat_set_times', 'fd_pread', 'fd_prestat_get',
    'fd_prestat_dir_name', 'fd_pwrite', 'fd_read', 'fd_readdir', 'fd_renumber', 'fd_seek', 'fd_sync', 'fd_tell',
    'fd_write', 'path_create_directory', 'path_filestat_get', 'path_filestat_set_times', 'path_link', 'path_open',
    'path_readlink', 'path_remove_directory', 'path_rename', 'path_symlink', 'path_unlink_file', 'poll_oneoff',
    'proc_exit', 'proc_raise', 'sched_yield', 'random_get', 'sock_accept', 'sock_recv', 'sock_send', 'sock_shutdown',
  ];
  assert.equal(all.length, 46);
  // Import names are stored as plain bytes in each module's import section.
  const modules = loadPrograms().map((spec) => Buffer.from(wasmBytes(spec.wasm)).toString('latin1'));
  const missing = all.filter((name) => !modules.some((text) => text.includes(`\u0016wasi_snapshot_preview1${String.fromCharCode(name.length)}${name}`)));
  assert.deepEqual(missing, [], `functions no fixture imports: ${missing.join(', ')}`);
});
