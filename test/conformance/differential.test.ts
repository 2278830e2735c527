// Differential tests against Node's node:wasi: the same fixtures, the same expected output, line by line.
//
// node:wasi must print every expected line except those whose labels programs.json lists as its deviations
// (places where node:wasi is wrong by the spec / wasmtime, e.g. no "." and ".." in fd_readdir, timestamps
// rounded to microseconds, ENOBUFS instead of readlink truncation). Each listed deviation must still differ,
// so the list stays true; where node:wasi hangs (hangsAfter) only the lines before the hang are compared.
// Our runtime is held to every line by programs.test.ts, so together they compare the two runtimes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectedStdout, lineLabel, loadPrograms, makeTemp, removeTemp, runInNodeWasi } from './harness';

interface NodeExpectation {
  deviations: string[];
  hangsAfter?: string;
}

for (const spec of loadPrograms()) {
  test(`differential vs node:wasi: ${spec.name}`, (t) => {
    if ('skip' in spec.node) {
      t.skip(spec.node.skip);
      return;
    }
    const node = spec.node as NodeExpectation;
    const sandboxDir = spec.filesystem ? makeTemp(`node-${spec.name}`) : undefined;
    try {
      const result = runInNodeWasi(spec.name, spec.wasm, {
        args: spec.args,
        env: spec.env,
        stdin: spec.stdin,
        sandboxDir,
        timeoutMs: node.hangsAfter === undefined ? 20_000 : 5_000,
      });
      const expected = expectedStdout(spec).split('\n').filter((line) => line !== '');
      let compared = expected;
      if (node.hangsAfter !== undefined) {
        assert.equal(result.timedOut, true, `node:wasi no longer hangs after "${node.hangsAfter}": update programs.json`);
        const hangIndex = expected.findIndex((line) => lineLabel(line) === node.hangsAfter);
        assert.ok(hangIndex >= 0, `hangsAfter "${node.hangsAfter}" is not a line of ${spec.name}.expected`);
        compared = expected.slice(0, hangIndex + 1);
      } else {
        assert.equal(result.timedOut, false, `node:wasi did not finish ${spec.name}`);
      }
      const printed = new Set(result.stdout.split('\n'));
      const deviations = new Set(node.deviations);
      const wrong = compared.filter((line) => !deviations.has(lineLabel(line)) && !printed.has(line));
      assert.deepEqual(wrong, [], `node:wasi differs from the expected output on lines not listed as its deviations:\n${result.stdout}`);
      const stale = compared.filter((line) => deviations.has(lineLabel(line)) && printed.has(line)).map(lineLabel);
      assert.deepEqual(stale, [], 'node:wasi now agrees on lines listed as its deviations: remove them from programs.json');
      if (node.deviations.length === 0 && node.hangsAfter === undefined && spec.exit.kind === 'exit') {
        assert.equal(result.exitCode, spec.exit.code, `${spec.name} exit code under node:wasi`);
      }
    } finally {
      if (sandboxDir) removeTemp(sandboxDir);
    }
  });
}
