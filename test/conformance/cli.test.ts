// Conformance through the CLI, invoked the way the WASI test suite's runner invokes wasmtime:
// `wasi-debug run [--env K=V]… [--dir DIR]… module.wasm [args…]` from the directory holding DIR, judged on exit
// code and stdout. The suite's Rust tests find their scratch dir by comparing prestat names with argv[1].

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURES, REPO, lineDiff, makeTemp, removeTemp } from './harness';

const CLI = path.join(REPO, 'dist/cli.js');

function cli(args: string[], options: { cwd?: string; input?: string } = {}) {
  const result = spawnSync(process.execPath, [CLI, 'run', ...args], {
    cwd: options.cwd,
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 30_000,
    killSignal: 'SIGKILL',
  });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

function expected(relative: string): string {
  return fs.readFileSync(path.join(FIXTURES, relative), 'utf8');
}

function skipWithoutCli(t: { skip(message: string): void }): boolean {
  if (fs.existsSync(CLI)) return false;
  t.skip(`needs ${CLI}: run npm run build first (npm test does)`);
  return true;
}

for (const [title, dirArgs] of [
  ['--dir fs-tests.dir', (base: string) => ['--dir', 'fs-tests.dir']],
  ['--mapdir fs-tests.dir:HOST', (base: string) => ['--mapdir', `fs-tests.dir:${path.join(base, 'fs-tests.dir')}`]],
] as const) {
  test(`cli: ${title} is the preopen named "fs-tests.dir" (WASI test suite scratch dir, as wasmtime names it)`, (t) => {
    if (skipWithoutCli(t)) return;
    const base = makeTemp('cli-scratch');
    try {
      fs.mkdirSync(path.join(base, 'fs-tests.dir'));
      const run = cli([...dirArgs(base), path.join(FIXTURES, 'c/scratch_dir.wasm'), 'fs-tests.dir'], { cwd: base });
      const want = expected('c/scratch_dir.expected');
      assert.ok(run.stdout === want, `stdout differs (- expected, + got):\n${lineDiff(want, run.stdout)}\nstderr: ${run.stderr}`);
      assert.equal(run.status, 0);
      assert.deepEqual(fs.readdirSync(path.join(base, 'fs-tests.dir')), [], 'the program cleans up after itself');
    } finally {
      removeTemp(base);
    }
  });
}

for (const separator of [[], ['--']]) {
  test(`cli: args and an environment made only of --env${separator.length ? ' (with -- before the guest args)' : ''}`, (t) => {
    if (skipWithoutCli(t)) return;
    const run = cli(['--env', 'FOO=bar', '--env', 'EMPTY=', '--env', 'EQUALS=a=b=c', path.join(FIXTURES, 'c/args_env.wasm'), ...separator, 'two words', '', 'héllo']);
    // argv[0] is the module path as given (as in wasmtime), so the lines about argv[0] and sizes are not compared.
    for (const line of [
      'args_sizes_get argc: 4 OK',
      'environ_sizes_get count: 3 OK',
      'environ_sizes_get buf size: 28 OK',
      'environ_get [0]: "FOO=bar" OK',
      'environ_get [1]: "EMPTY=" OK',
      'environ_get [2]: "EQUALS=a=b=c" OK',
      'getenv MISSING: undefined OK',
    ]) {
      assert.ok(run.stdout.split('\n').includes(line), `missing "${line}" in:\n${run.stdout}\n${run.stderr}`);
    }
    // With argc right the program goes on to compare argv[1..3].
    for (const line of ['args_get argv[1]: "two words" OK', 'args_get argv[2]: "" OK', 'args_get argv[3]: "héllo" OK']) {
      assert.ok(run.stdout.split('\n').includes(line), `missing "${line}" in:\n${run.stdout}`);
    }
  });
}

test('cli: proc_exit code is the exit status, output before it delivered', (t) => {
  if (skipWithoutCli(t)) return;
  const run = cli([path.join(FIXTURES, 'wat/exit_code.wasm')]);
  assert.equal(run.stdout, expected('wat/exit_code.expected'));
  assert.equal(run.status, 42);
});

test('cli: a trap exits 134 with the trap and the wasm stack on stderr', (t) => {
  if (skipWithoutCli(t)) return;
  const run = cli([path.join(FIXTURES, 'wat/trap.wasm')]);
  assert.equal(run.stdout, expected('wat/trap.expected'));
  assert.equal(run.status, 134);
  assert.match(run.stderr, /unreachable/);
  assert.match(run.stderr, /inner_crash[\s\S]*outer_caller/);
});

test('cli: Rust std program with piped stdin, --env and a mapped /sandbox', (t) => {
  if (skipWithoutCli(t)) return;
  const base = makeTemp('cli-rust');
  try {
    const run = cli(['--env', 'GREETING=hi', '--mapdir', `/sandbox:${base}`, path.join(FIXTURES, 'rust/std_fs_env.wasm'), 'alpha', 'beta'], {
      input: 'line one\nline two\n',
    });
    const want = expected('rust/std_fs_env.expected');
    assert.ok(run.stdout === want, `stdout differs (- expected, + got):\n${lineDiff(want, run.stdout)}\nstderr: ${run.stderr}`);
    assert.equal(run.status, 0);
  } finally {
    removeTemp(base);
  }
});

test('cli: a host directory mounted as / (--mapdir /:HOST): relative paths, O_APPEND with pwrite, st_dev/st_ino', (t) => {
  if (skipWithoutCli(t)) return;
  const base = makeTemp('cli-root');
  try {
    fs.writeFileSync(path.join(base, 'file'), 'hi\n');
    fs.writeFileSync(path.join(base, 'other'), 'x\n');
    const run = cli(['--mapdir', `/:${base}`, path.join(FIXTURES, 'c/root_mount.wasm')], { cwd: base });
    const want = expected('c/root_mount.expected');
    assert.ok(run.stdout === want, `stdout differs (- expected, + got):\n${lineDiff(want, run.stdout)}\nstderr: ${run.stderr}`);
    assert.equal(run.status, 0);
    assert.deepEqual(fs.readdirSync(base).sort(), ['file', 'other'], 'the program leaves the directory as it found it');
  } finally {
    removeTemp(base);
  }
});

for (const [title, rootArgs] of [
  ['--mapdir /:HOST', (base: string) => ['--mapdir', `/:${base}`]],
  ["wasmtime's --dir HOST::/", (base: string) => ['--dir', `${base}::/`]],
] as const) {
test(`cli: the WASI test suite "root" convention (${title}): preopen "/" is fd 3, closable, stdio writable`, (t) => {
  if (skipWithoutCli(t)) return;
  const base = makeTemp('cli-rootdir');
  try {
    const run = cli([...rootArgs(base), path.join(FIXTURES, 'c/root_dir.wasm')], { cwd: base });
    const want = expected('c/root_dir.expected');
    assert.ok(run.stdout === want, `stdout differs (- expected, + got):\n${lineDiff(want, run.stdout)}\nstderr: ${run.stderr}`);
    assert.equal(run.status, 0);
    assert.deepEqual(fs.readdirSync(base), [], 'the program cleans up after itself');
  } finally {
    removeTemp(base);
  }
});
}

test('cli: with no directory option the module has no preopen (fd 3 closed: EBADF, sock_shutdown EBADF, open ENOTCAPABLE)', (t) => {
  if (skipWithoutCli(t)) return;
  const run = cli([path.join(FIXTURES, 'c/preopens_exact.wasm')]);
  const want = expected('c/preopens_exact.expected');
  assert.ok(run.stdout === want, `stdout differs (- expected, + got):\n${lineDiff(want, run.stdout)}\nstderr: ${run.stderr}`);
  assert.equal(run.status, 0);
});

test('cli: with mounts, the in-memory "/" is fd 3 and the directories named follow in order (--dir NAME, --dir HOST::GUEST)', (t) => {
  if (skipWithoutCli(t)) return;
  const base = makeTemp('cli-preopens');
  try {
    fs.mkdirSync(path.join(base, 'fs-tests.dir'));
    fs.mkdirSync(path.join(base, 'elsewhere'));
    const run = cli(
      ['--dir', 'fs-tests.dir', '--dir', `${path.join(base, 'elsewhere')}::/data`, path.join(FIXTURES, 'c/preopens_exact.wasm'), '/', 'fs-tests.dir', '/data'],
      { cwd: base },
    );
    const want = [
      'preopen 1 name: "/" OK',
      'preopen 2 name: "fs-tests.dir" OK',
      'preopen 3 name: "/data" OK',
      'preopen count: 3 OK',
      'fd_prestat_get after the last preopen: EBADF OK',
      'sock_shutdown after the last preopen: EBADF OK',
      'sock_shutdown stdout (not a socket): ENOTSOCK OK',
      'open outside the mounts fails: -1 OK',
      'open outside the mounts errno: ENOENT OK',
      'summary: 9 checks, 0 failed',
      '',
    ].join('\n');
    assert.ok(run.stdout === want, `stdout differs (- expected, + got):\n${lineDiff(want, run.stdout)}\nstderr: ${run.stderr}`);
    assert.equal(run.status, 0);
  } finally {
    removeTemp(base);
  }
});
