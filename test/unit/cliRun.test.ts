// The CLI as a user runs it: `node dist/cli.js …` — stdio, exit statuses, mounts, env, cwd, traps, errors, launch.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const probe = path.join(root, 'test', 'fixtures', 'cli', 'probe.wasm');
const built = existsSync(cli) && existsSync(path.join(root, 'dist', 'worker.js'));
const SKIP_REASON = 'dist/cli.js is not built (npm run build)';

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cliSync(args: string[], options: { input?: string | Buffer; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Result {
  const result = spawnSync(process.execPath, [cli, ...args], {
    input: options.input ?? '',
    cwd: options.cwd ?? root,
    env: options.env ?? { PATH: process.env.PATH },
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('run: stdout, exit status 0, and guest arguments after the module', (t) => {
  if (!built) return t.skip(SKIP_REASON);
  const result = cliSync(['run', probe, 'args', '--not-an-option', 'two words']);
  assert.equal(result.stderr, '');
  assert.equal(result.stdout, `arg ${probe}\narg args\narg --not-an-option\narg two words\n`);
  assert.equal(result.status, 0);
});

test('run: the guest exit code is the exit status', (t) => {
  if (!built) return t.skip(SKIP_REASON);
  assert.equal(cliSync(['run', probe, 'exit', '3']).status, 3);
  assert.equal(cliSync(['run', probe, 'exit', '0']).status, 0);
  assert.equal(cliSync(['run', probe, 'exit', '255']).status, 255);
});

test('run: a trap prints the trap and the wasm stack with function names, exit status 134', (t) => {
  if (!built) return t.skip(SKIP_REASON);
  const result = cliSync(['run', probe, 'trap']);
  assert.equal(result.status, 134);
  assert.equal(result.stdout, '');
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines[0], 'wasi-debug: the module trapped: unreachable');
  assert.match(lines[1], /^ {4}at explode \(wasm-function\[\d+\]:0x[0-9a-f]+\)$/);
  assert.ok(lines.filter((l) => /^ {4}at explode /.test(l)).length === 3, 'three explode frames (depth 2 → 0)');
  assert.ok(lines.some((l) => /^ {4}at main /.test(l)), 'main is on the stack');
});

test('run: stdin is the process stdin; end of input reaches the guest', (t) => {
  if (!built) return t.skip(SKIP_REASON);
  const result = cliSync(['run', probe, 'echo'], { input: 'first\nsecond\n' });
  assert.equal(result.stdout, 'first\nsecond\n[eof]\n');
  assert.equal(result.status, 0);
  const empty = cliSync(['run', probe, 'echo'], { input: '' });
  assert.equal(empty.stdout, '[eof]\n');
});

test('run: 5 MB of stdin through the ring arrives byte for byte', (t) => {
  if (!built) return t.skip(SKIP_REASON);
  const input = Buffer.alloc(5 << 20);
  for (let i = 0; i < input.length; i++) input[i] = 32 + ((i * 131 + (i >> 11)) % 90);
  const result = spawnSync(process.execPath, [cli, 'run', probe, 'echo'], { input, maxBuffer: 64 << 20, timeout: 60_000 });
  assert.equal(result.status, 0);
  const out = result.stdout as Buffer;
  assert.equal(out.length, input.length + 6);
  const digest = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  assert.equal(digest(out.subarray(0, input.length)), digest(input));
  assert.equal(out.subarray(input.length).toString(), '[eof]\n');
});

test('run: 1,000,000 lines into a slow pipe arrive complete and in order (back-pressure)', async (t) => {
  if (!built) return t.skip(SKIP_REASON);
  const child = spawn(process.execPath, [cli, 'run', probe, 'flood', '1000000'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let paused = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    // Stall the reader now and then so the pipe fills and the CLI must wait instead of buffering.
    if (chunks.length % 50 === 0 && paused < 10) {
      paused++;
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), 30);
    }
  });
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(status, 0);
  const text = Buffer.concat(chunks).toString();
  const lines = text.split('\n');
  assert.equal(lines.length, 1_000_001);
  assert.equal(lines[0], 'line 0');
  assert.equal(lines[999_999], 'line 999999');
  assert.equal(lines[1_000_000], '');
  for (let i = 0; i < 1_000_000; i += 997) assert.equal(lines[i], `line ${i}`);
});

test('run: when the reader closes stdout (| head), the module is stopped and the status is 141', async (t) => {
  if (!built) return t.skip(SKIP_REASON);
  const child = spawn(process.execPath, [cli, 'run', probe, 'flood', '50000000'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  child.stdout.once('data', () => child.stdout.destroy());
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(status, 141);
  assert.equal(stderr, '', 'quietly, like a native program killed by SIGPIPE');
});

test('run: --env, --forward-host-env and --argv0 reach the guest', (t) => {
  if (!built) return t.skip(SKIP_REASON);
  const result = cliSync(['run', '--env', 'GREETING=hi there', '-e', 'EMPTY=', '--argv0', 'probe', probe, 'args'], {
    env: { PATH: process.env.PATH, SECRET: 'host-only' },
  });
  assert.equal(result.stdout, 'arg probe\narg args\nenv GREETING=hi there\nenv EMPTY=\n');
  const forwarded = cliSync(['run', '--forward-host-env', '--env', 'SECRET=override', probe, 'args'], {
    env: { SECRET: 'host-only', OTHER: 'x' },
  });
  const envLines = forwarded.stdout.split('\n').filter((l) => l.startsWith('env '));
  assert.deepEqual(envLines.sort(), ['env OTHER=x', 'env SECRET=override']);
});

test('run: --mapdir, --dir and --volume mount host folders; :ro refuses writes', (t) => {
  if (!built) return t.skip(SKIP_REASON);
  const host = mkdtempSync(path.join(os.tmpdir(), 'cli-mounts-'));
  try {
    writeFileSync(path.join(host, 'in.txt'), 'from the host\n');
    assert.equal(cliSync(['run', '--mapdir', `/data:${host}`, probe, 'cat', '/data/in.txt']).stdout, 'from the host\n');
    const wrote = cliSync(['run', '--volume', `${host}:/rw`, probe, 'write', '/rw/out.txt', 'written by the guest']);
    assert.equal(wrote.stdout, 'wrote /rw/out.txt\n');
    assert.equal(readFileSync(path.join(host, 'out.txt'), 'utf8'), 'written by the guest\n');
    const refused = cliSync(['run', '--volume', `${host}:/ro:ro`, probe, 'write', '/ro/nope.txt', 'x']);
    assert.equal(refused.status, 1);
    assert.match(refused.stdout, /^(EACCES|ENOTCAPABLE|EPERM|EROFS)\n$/);
    assert.equal(existsSync(path.join(host, 'nope.txt')), false);
    mkdirSync(path.join(host, 'sub'));
    writeFileSync(path.join(host, 'sub', 'a.txt'), '');
    const listed = cliSync(['run', '--dir', 'sub', probe, 'ls', '/sub'], { cwd: host });
    assert.equal(listed.stdout, 'a.txt\n');
  } finally {
    rmSync(host, { recursive: true, force: true });
  }
});

test('run: --cwd creates the guest working directory and announces it as PWD; --invoke calls another export', (t) => {
  if (!built) return t.skip(SKIP_REASON);
  assert.equal(cliSync(['run', '--cwd', '/work/here', probe, 'args']).stdout, `arg ${probe}\narg args\nenv PWD=/work/here\n`);
  const created = cliSync(['run', '--cwd', '/work/here', probe, 'ls', '/work']);
  assert.equal(created.stdout, 'here\n');
  const missing = cliSync(['run', '--invoke', 'nothere', probe]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /has no exported function "nothere" to call\. It exports: _start\..*--invoke/);
});

test('run: bad input exits 2 with a clear message', (t) => {
  if (!built) return t.skip(SKIP_REASON);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cli-bad-'));
  try {
    const notWasm = path.join(dir, 'script.wasm');
    writeFileSync(notWasm, '#!/bin/sh\n');
    const truncated = path.join(dir, 'cut.wasm');
    writeFileSync(truncated, readFileSync(probe).subarray(0, 300));
    const cases: Array<[string[], RegExp]> = [
      [['run', path.join(dir, 'missing.wasm')], /^wasi-debug: error: cannot read the module .*missing\.wasm: no such file\n\(see wasi-debug --help\)\n$/],
      [['run', notWasm], /^wasi-debug: error: .*script\.wasm: the file is not a WebAssembly binary: it starts with 23 21 2f 62 instead of 00 61 73 6d/],
      [['run', truncated], /^wasi-debug: error: .*cut\.wasm: the module is truncated or corrupt \(300 bytes\)/],
      [['run', '--dir', path.join(dir, 'nope'), probe], /^wasi-debug: error: preopened directory not found: `.*nope`/],
      [['run', '--bogus', probe], /^wasi-debug: error: unknown option --bogus/],
      [['frobnicate'], /^wasi-debug: error: unknown command "frobnicate"/],
    ];
    for (const [args, message] of cases) {
      const result = cliSync(args);
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('run: --trace prints each WASI call to stderr', (t) => {
  if (!built) return t.skip(SKIP_REASON);
  const result = cliSync(['run', '--trace', probe, 'exit', '4']);
  assert.equal(result.status, 4);
  const traced = result.stderr.split('\n').filter((l) => l.startsWith('[trace] '));
  assert.ok(traced.some((l) => /^\[trace\] args_get\(/.test(l)), result.stderr);
  assert.ok(traced.some((l) => /^\[trace\] proc_exit\(/.test(l)), result.stderr);
});

test('--help documents every option and the exit statuses; --version prints the version', (t) => {
  if (!built) return t.skip(SKIP_REASON);
  const help = cliSync(['run', '--help']);
  assert.equal(help.status, 0);
  for (const option of ['--dir', '--mapdir', '--volume', '--env', '--forward-host-env', '--invoke', '--cwd', '--argv0', '--trace', '134', '130']) {
    assert.ok(help.stdout.includes(option), `run --help mentions ${option}`);
  }
  const launchHelp = cliSync(['launch', '--help']);
  for (const option of ['--config', '--name', '--cwd', '${workspaceFolder}']) assert.ok(launchHelp.stdout.includes(option), option);
  const version = cliSync(['--version']);
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  assert.equal(version.stdout, `wasi-debug ${manifest.version}\n`);
});

test('launch: runs a launch.json configuration as F5 would, picks by --name, lists names otherwise', (t) => {
  if (!built) return t.skip(SKIP_REASON);
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'cli-launch-run-'));
  try {
    mkdirSync(path.join(workspace, '.vscode'));
    mkdirSync(path.join(workspace, 'data'));
    writeFileSync(path.join(workspace, 'data', 'note.txt'), 'mounted\n');
    writeFileSync(path.join(workspace, 'probe.wasm'), readFileSync(probe));
    writeFileSync(
      path.join(workspace, '.vscode', 'launch.json'),
      `{
        // comments and trailing commas, as VS Code writes them
        "version": "0.2.0",
        "configurations": [
          { "type": "wasi", "request": "launch", "name": "Args", "program": "\${workspaceFolder}/probe.wasm",
            "args": ["args", "x"], "env": { "WHO": "\${workspaceFolderBasename}" }, },
          { "type": "wasi", "request": "launch", "name": "Cat", "program": "probe.wasm",
            "args": ["cat", "/data/note.txt"], "preopens": [ { "host": "data", "guest": "/data" } ] },
          { "type": "wasi", "request": "launch", "name": "Exit", "program": "probe.wasm", "args": ["exit", "9"] },
          { "type": "wasi", "request": "launch", "name": "Bad", "program": "probe.wasm", "args": "not-a-list" },
        ],
      }`,
    );
    const first = cliSync(['launch'], { cwd: workspace });
    assert.equal(first.stdout, `arg probe.wasm\narg args\narg x\nenv WHO=${path.basename(workspace)}\n`, first.stderr);
    assert.equal(first.status, 0);
    const cat = cliSync(['launch', '--name', 'Cat'], { cwd: workspace });
    assert.equal(cat.stdout, 'mounted\n', cat.stderr);
    assert.equal(cliSync(['launch', '--name', 'Exit', '--cwd', workspace]).status, 9);
    const bad = cliSync(['launch', '--name', 'Bad'], { cwd: workspace });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^wasi-debug: error: launch\.json args: /);
    const unknown = cliSync(['launch', '--name', 'Nope'], { cwd: workspace });
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /there are: "Args", "Cat", "Exit", "Bad"/);
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
});

test('run: Ctrl+C (SIGINT) ends a module in an infinite loop with status 130', async (t) => {
  if (!built) return t.skip(SKIP_REASON);
  const spin = path.join(root, 'test', 'fixtures', 'dap', 'loop.wasm');
  if (!existsSync(spin)) return t.skip('test/fixtures/dap/loop.wasm is missing');
  const child = spawn(process.execPath, [cli, 'run', spin], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  // The module prints "spinning" once it runs: by then the CLI has its SIGINT handler (a fixed sleep raced it).
  await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('spinning') && resolve()));
  child.kill('SIGINT');
  // Bounded only to turn a hang into a failure (a 3 s limit measured the machine's load, not the CLI).
  const status = await new Promise<number | null | 'still running'>((resolve) => {
    const timer = setTimeout(() => resolve('still running'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  if (status === 'still running') child.kill('SIGKILL');
  assert.equal(status, 130);
  assert.match(stderr, /wasi-debug: interrupted/);
});
