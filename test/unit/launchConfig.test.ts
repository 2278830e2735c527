// Unit tests of resolveLaunchConfig: every launch.json field mapped onto the builder, and every error naming its field.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WasiStateCreationError } from '../../src/builder';
import { resolveLaunchConfig, type LaunchContext, type RuntimeFeature } from '../../src/debug/launchConfig';
import { expectLaunchError, makeWorkspace, wasmWithExports } from './launchConfigFixtures';

const ws = makeWorkspace();
after(() => fs.rmSync(ws, { recursive: true, force: true }));
const ctx: LaunchContext = { workspaceFolder: ws, hostEnv: {} };
const base = { type: 'wasi', request: 'launch', name: 'Run hello', program: 'hello.wasm' };
const hello = path.join(ws, 'hello.wasm');
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

function resolve(extra: Record<string, unknown>, context: LaunchContext = ctx) {
  return resolveLaunchConfig({ ...base, ...extra }, context);
}

function subdir(name: string): string {
  const dir = path.join(ws, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function file(name: string, content: string | Uint8Array): string {
  const full = path.join(ws, name);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, content);
  return full;
}

// ── the minimal configuration ─────────────────────────────────────────────

test('a minimal configuration runs the program with every default', () => {
  const launch = resolve({});
  assert.equal(launch.program, hello);
  assert.deepEqual(launch.moduleBytes, new Uint8Array(fs.readFileSync(hello)));
  assert.equal(launch.name, 'Run hello');
  assert.deepEqual([launch.stopOnEntry, launch.trace, launch.noDebug], [false, false, false]);
  assert.deepEqual(launch.init, {
    args: ['hello.wasm'],
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
  });
});

test('the name defaults to the program file name; stopOnEntry, trace and noDebug are carried', () => {
  const launch = resolveLaunchConfig({ program: hello, stopOnEntry: true, trace: true, noDebug: true }, { hostEnv: {} });
  assert.equal(launch.name, 'hello.wasm');
  assert.deepEqual([launch.stopOnEntry, launch.trace, launch.noDebug], [true, true, true]);
  expectLaunchError(() => resolve({ trace: 'yes' }), 'trace', 'launch.json trace: expected true or false, got a string ("yes")');
  expectLaunchError(() => resolve({ stopOnEntry: 1 }), 'stopOnEntry', 'launch.json stopOnEntry: expected true or false, got a number (1)');
});

test('a configuration that is not an object is refused', () => {
  expectLaunchError(() => resolveLaunchConfig(null, ctx), '', 'launch.json: a configuration must be a JSON object, got null');
  expectLaunchError(() => resolveLaunchConfig([], ctx), '', 'launch.json: a configuration must be a JSON object, got an array');
});

// ── fields VS Code owns, unknown fields, platform blocks ──────────────────

test('an unknown field is refused with the closest known name', () => {
  expectLaunchError(() => resolve({ progam: 'x' }), 'progam', 'launch.json progam: unknown field — did you mean "program"?');
  expectLaunchError(() => resolve({ Args: [] }), 'Args', 'launch.json Args: unknown field — did you mean "args"?');
  expectLaunchError(() => resolve({ envfile: '.env' }), 'envfile', 'launch.json envfile: unknown field — did you mean "envFile"?');
  expectLaunchError(() => resolve({ mapDir: {} }), 'mapDir', 'launch.json mapDir: unknown field — did you mean "mapDirs"?');
  expectLaunchError(
    () => resolve({ zzzzzzzzzz: 1 }),
    'zzzzzzzzzz',
    'launch.json zzzzzzzzzz: unknown field — remove it (the fields of a "wasi" configuration are listed in docs/launch-json.md)',
  );
});

test('VS Code\'s own attributes and its "__" internals are accepted', () => {
  const launch = resolve({
    preLaunchTask: 'build',
    postDebugTask: 'clean',
    internalConsoleOptions: 'openOnSessionStart',
    presentation: { hidden: false },
    suppressMultipleSessionWarning: true,
    debugServer: 4711,
    __configurationTarget: 5,
    __sessionId: 'x',
  });
  assert.equal(launch.program, hello);
});

test('type must be "wasi" and request "launch"', () => {
  expectLaunchError(() => resolve({ type: 'node' }), 'type', 'launch.json type: a string ("node") is not this debugger\'s type — set "type": "wasi"');
  expectLaunchError(
    () => resolve({ request: 'attach' }),
    'request',
    'launch.json request: a string ("attach") is not supported — wasi-debug starts the module itself; set "request": "launch"',
  );
});

test('the block of the current platform is merged over the configuration; the others are dropped', () => {
  const config = { ...base, args: ['common'], linux: { args: ['on-linux'] }, windows: { args: ['on-windows'], bogus: 1 } };
  assert.deepEqual(resolveLaunchConfig(config, { ...ctx, platform: 'linux' }).init.args, ['hello.wasm', 'on-linux']);
  assert.deepEqual(resolveLaunchConfig(config, { ...ctx, platform: 'darwin' }).init.args, ['hello.wasm', 'common']);
  expectLaunchError(
    () => resolveLaunchConfig(config, { ...ctx, platform: 'win32' }),
    'bogus',
    'launch.json bogus: unknown field — remove it (the fields of a "wasi" configuration are listed in docs/launch-json.md)',
  );
  expectLaunchError(() => resolve({ osx: 'x' }), 'osx', 'launch.json osx: expected an object of settings for that platform, got a string ("x")');
});

// ── program ───────────────────────────────────────────────────────────────

test('program: missing, empty, not a string, relative without a workspace', () => {
  expectLaunchError(
    () => resolveLaunchConfig({ type: 'wasi' }, ctx),
    'program',
    'launch.json program: missing — set "program" to the path of your .wasm file, e.g. "${workspaceFolder}/build/app.wasm"',
  );
  expectLaunchError(() => resolve({ program: '' }), 'program', 'launch.json program: is empty — expected the path of a .wasm file');
  expectLaunchError(() => resolve({ program: 7 }), 'program', 'launch.json program: expected the path of a .wasm file, got a number (7)');
  expectLaunchError(
    () => resolve({ program: 'hello.wasm' }, { hostEnv: {} }),
    'program',
    'launch.json program: "hello.wasm" is a relative path and there is no workspace folder to resolve it against — use an absolute path',
  );
});

test('program: a path that does not exist, or a directory', () => {
  expectLaunchError(
    () => resolve({ program: 'build/none.wasm' }),
    'program',
    `launch.json program: "build/none.wasm" (${path.join(ws, 'build/none.wasm')}) does not exist — build the module first, or fix the path`,
  );
  const dir = subdir('adir');
  expectLaunchError(() => resolve({ program: dir }), 'program', `launch.json program: "${dir}" is a directory — set "program" to a .wasm file`);
});

test('program: files that are not a runnable core module each get their own message', () => {
  const cases: Array<[string, string | Uint8Array, string]> = [
    ['empty.wasm', '', 'is empty (0 bytes) — rebuild the module'],
    ['text.wat', '(module)', 'is WebAssembly text, not a binary module — compile it first, e.g. `wat2wasm text.wat -o text.wasm`, and set "program" to the .wasm'],
    ['text.wasm', ';; a comment\n  (module (func))', 'holds WebAssembly text, not a binary module — rename it to text.wat and compile it, e.g. `wat2wasm text.wat -o text.wasm`'],
    ['comp.wasm', new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]), 'is a WebAssembly component, not a core module — WASI preview1 runs core modules; build for wasm32-wasip1 (wasm32-wasi)'],
    ['short.wasm', new Uint8Array([0, 0x61, 0x73, 0x6d, 1]), 'is truncated (5 bytes, shorter than the 8-byte header) — rebuild the module'],
    ['v2.wasm', new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]), 'has WebAssembly binary version 2, but only version 1 is supported — rebuild it for core WebAssembly'],
    ['elf.wasm', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), 'is not a WebAssembly module (it does not start with "\\0asm") — set "program" to a .wasm file'],
  ];
  for (const [name, content, problem] of cases) {
    file(name, content);
    expectLaunchError(() => resolve({ program: name }), 'program', `launch.json program: "${name}" (${path.join(ws, name)}) ${problem}`);
  }
});

// ── args, argv0 ───────────────────────────────────────────────────────────

test('args follow argv0, which defaults to the program file name', () => {
  assert.deepEqual(resolve({ args: ['-v', 'in.txt'] }).init.args, ['hello.wasm', '-v', 'in.txt']);
  assert.deepEqual(resolve({ argv0: 'hello', args: [] }).init.args, ['hello']);
  expectLaunchError(() => resolve({ args: ['a', 3] }), 'args[1]', 'launch.json args[1]: expected a string, got a number (3)');
  expectLaunchError(() => resolve({ args: '-v' }), 'args', 'launch.json args: expected an array of strings, got a string ("-v")');
  expectLaunchError(() => resolve({ argv0: false }), 'argv0', 'launch.json argv0: expected the program name the guest sees, got false');
});

test('a NUL in an argument or argv0 is the builder\'s error, attributed to the field', () => {
  const error = expectLaunchError(() => resolve({ args: ['ok', 'a\0b'] }), 'args[1]', 'launch.json args[1]: contains a NUL character ("a\\u0000b") — remove it');
  assert.ok(error.cause instanceof WasiStateCreationError);
  assert.equal(error.cause.kind, 'ArgumentContainsNulByte');
  expectLaunchError(() => resolve({ argv0: 'x\0' }), 'argv0', 'launch.json argv0: contains a NUL character ("x\\u0000") — remove it');
});

// ── env, envFile, inheritEnv ──────────────────────────────────────────────

test('env: inherited first, then the envFile, then env; null removes; order of first appearance is kept', () => {
  file('vars.env', 'FROM_FILE=1\nSHARED=file\nexport QUOTED="a b"\n');
  const launch = resolve(
    { inheritEnv: true, envFile: 'vars.env', env: { SHARED: 'env', HOST_ONLY: null, NEW: 'n' } },
    { ...ctx, hostEnv: { HOST_ONLY: 'h', PATH: '/bin', SHARED: 'host', UNSET: undefined, '=C:': 'C:\\' } },
  );
  assert.deepEqual(launch.init.env, [
    ['PATH', encode('/bin')],
    ['SHARED', encode('env')],
    ['FROM_FILE', encode('1')],
    ['QUOTED', encode('a b')],
    ['NEW', encode('n')],
  ]);
});

test('without inheritEnv the host environment stays out', () => {
  assert.deepEqual(resolve({ env: { A: '1' } }, { ...ctx, hostEnv: { PATH: '/bin' } }).init.env, [['A', encode('1')]]);
  expectLaunchError(() => resolve({ inheritEnv: 'yes' }), 'inheritEnv', 'launch.json inheritEnv: expected true or false, got a string ("yes")');
});

test('env: a key with "=" or NUL, or a value with NUL, is the builder\'s error naming env', () => {
  const error = expectLaunchError(() => resolve({ env: { 'HOM=E': '/home' } }), 'env', 'launch.json env: key "HOM=E" contains "=" — rename the variable');
  assert.ok(error.cause instanceof WasiStateCreationError);
  assert.equal(error.cause.message, 'bad environment variable format: `found equal sign in env var key "HOM=E" (key=value)`');
  expectLaunchError(() => resolve({ env: { 'A\0': 'x' } }), 'env', 'launch.json env: key "A\\u0000" contains a NUL character — rename the variable');
  expectLaunchError(() => resolve({ env: { A: 'x\0' } }), 'env.A', 'launch.json env.A: the value contains a NUL character — remove it');
});

test('env: values must be strings or null; keys may not be empty', () => {
  expectLaunchError(() => resolve({ env: { PORT: 8080 } }), 'env.PORT', 'launch.json env.PORT: expected a string or null, got a number (8080) — quote it: "8080"');
  expectLaunchError(() => resolve({ env: { 'my var': [] } }), 'env["my var"]', 'launch.json env["my var"]: expected a string or null, got an array — use a string, or null to remove the variable');
  expectLaunchError(() => resolve({ env: { '': 'x' } }), 'env', 'launch.json env: a variable has an empty name — name it or remove it');
  expectLaunchError(() => resolve({ env: ['A=1'] }), 'env', 'launch.json env: expected an object of "NAME": "value" pairs, got an array');
});

test('envFile: missing, a directory, a syntax error with its line, a NUL in a value', () => {
  expectLaunchError(
    () => resolve({ envFile: 'none.env' }),
    'envFile',
    `launch.json envFile: "none.env" (${path.join(ws, 'none.env')}) does not exist — create the file or fix the path (the dotenv file)`,
  );
  const bad = file('bad.env', '# ok\nA=1\n\nnot an assignment\n');
  expectLaunchError(
    () => resolve({ envFile: bad }),
    'envFile',
    `launch.json envFile: "${bad}", line 4: expected KEY=VALUE, found "not an assignment" — fix that line (KEY=VALUE, optionally quoted)`,
  );
  const nul = file('nul.env', 'A=x\0y\n');
  expectLaunchError(() => resolve({ envFile: nul }), 'envFile', `launch.json envFile: the value of A contains a NUL character — remove it from "${nul}"`);
});

// ── entry ─────────────────────────────────────────────────────────────────

test('entry names an exported function; a missing export lists the ones there are', () => {
  assert.equal(resolve({ entry: 'main' }).init.entryFunction, 'main');
  expectLaunchError(
    () => resolve({ entry: 'run' }),
    'entry',
    'launch.json entry: the module has no exported function "run" — set "entry" to one of its functions; its exported functions are "_start", "main"',
  );
  file('lib.wasm', wasmWithExports(['add']));
  expectLaunchError(
    () => resolve({ program: 'lib.wasm' }),
    'entry',
    'launch.json entry: the module has no exported function "_start" (the default entry) — set "entry" to one of its functions; its exported functions are "add"',
  );
  file('none.wasm', wasmWithExports([]));
  expectLaunchError(
    () => resolve({ program: 'none.wasm' }),
    'entry',
    'launch.json entry: the module has no exported function "_start" (the default entry) — set "entry" to one of its functions; it exports no functions',
  );
  expectLaunchError(() => resolve({ entry: '' }), 'entry', 'launch.json entry: is empty — expected the name of an exported function');
});

// ── cwd, root ─────────────────────────────────────────────────────────────

test('cwd becomes the guest current directory, normalized', () => {
  assert.equal(resolve({ cwd: '/work/./src/' }).init.currentDir, '/work/src');
  assert.equal(resolve({ cwd: 'work' }).init.currentDir, '/work');
  expectLaunchError(() => resolve({ cwd: 3 }), 'cwd', 'launch.json cwd: expected a guest directory path such as "/work", got a number (3)');
});

test('cwd also sets PWD (read by Go\'s wasip1 and others), unless env or envFile set or remove it; an inherited PWD is replaced', () => {
  assert.deepEqual(resolve({ cwd: '/work/' }).init.env, [['PWD', encode('/work')]]);
  assert.deepEqual(resolve({ cwd: '/work', env: { PWD: '/elsewhere' } }).init.env, [['PWD', encode('/elsewhere')]]);
  assert.deepEqual(
    resolve({ cwd: '/work', inheritEnv: true }, { ...ctx, hostEnv: { PWD: '/home/u/proj', A: '1' } }).init.env,
    [
      ['PWD', encode('/work')],
      ['A', encode('1')],
    ],
  );
  assert.deepEqual(resolve({}).init.env, [], 'no cwd, no PWD');
  assert.deepEqual(resolve({ cwd: '/work', env: { PWD: null } }).init.env, [], 'PWD removed on purpose');
  expectLaunchError(() => resolve({ cwd: '/a\0' }), 'cwd', 'launch.json cwd: contains a NUL character — remove it');
});

test('cwd that is not valid UTF-8 is the builder\'s error, attributed to cwd', () => {
  expectLaunchError(
    () => resolve({ cwd: '/bad\uD800' }),
    'cwd',
    "launch.json cwd: wasi filesystem setup error: `Specified current directory is not valid UTF-8: '/bad\uD800'` — set \"cwd\" to a guest directory that can exist",
  );
});

test('root: "memory" or a host directory; a host root creates a missing cwd', () => {
  assert.deepEqual(resolve({ root: 'memory' }).init.root, { kind: 'memory' });
  const rootDir = subdir('rootfs');
  const launch = resolve({ root: 'rootfs', cwd: '/home' });
  assert.deepEqual(launch.init.root, { kind: 'host', hostPath: rootDir, read: true, write: true, create: true });
  assert.ok(fs.statSync(path.join(rootDir, 'home')).isDirectory());
  expectLaunchError(
    () => resolve({ root: 'nothere' }),
    'root',
    `launch.json root: "nothere" (${path.join(ws, 'nothere')}) does not exist — create the directory or fix the path (the directory backing "/")`,
  );
  expectLaunchError(
    () => resolve({ root: 'hello.wasm' }),
    'root',
    `launch.json root: "hello.wasm" (${hello}) is not a directory — the directory backing "/" must be a directory`,
  );
});

// ── preopens, mapDirs, vfsPreopens ────────────────────────────────────────

test('preopens: objects with permissions; no permission given means all three', () => {
  const data = subdir('data');
  const out = subdir('out');
  const launch = resolve({
    preopens: [
      { host: 'data', guest: '/data', read: true },
      { host: out, guest: 'results', create: true },
      { host: 'data', guest: '/all' },
    ],
  });
  assert.deepEqual(launch.init.preopens, [
    { kind: 'host', hostPath: data, guestPath: '/data', name: '/data', read: true, write: false, create: false },
    { kind: 'host', hostPath: out, guestPath: '/results', name: '/results', read: false, write: true, create: true },
    { kind: 'host', hostPath: data, guestPath: '/all', name: '/all', read: true, write: true, create: true },
  ]);
});

test('preopens: "host" and "host::guest" strings; without a guest path the directory appears where it was written', () => {
  const data = subdir('data');
  const launch = resolve({ preopens: ['data', `${data}::/mnt/d`, '.'] });
  assert.deepEqual(launch.init.preopens, [
    { kind: 'host', hostPath: data, guestPath: '/data', name: '/data', read: true, write: true, create: true },
    { kind: 'host', hostPath: data, guestPath: '/mnt/d', name: '/mnt/d', read: true, write: true, create: true },
    { kind: 'host', hostPath: ws, guestPath: '/', name: '/', read: true, write: true, create: true },
  ]);
  assert.deepEqual(resolve({ preopens: [{ host: data }] }).init.preopens[0]?.guestPath, data);
});

test('preopens: each mistake names the entry', () => {
  subdir('data');
  expectLaunchError(() => resolve({ preopens: [{ hots: 'data' }] }), 'preopens[0].hots', 'launch.json preopens[0].hots: unknown property — did you mean "host"?');
  expectLaunchError(() => resolve({ preopens: [{ guest: '/x' }] }), 'preopens[0]', 'launch.json preopens[0]: missing "host" — set it to the host directory to mount');
  expectLaunchError(() => resolve({ preopens: ['::/x'] }), 'preopens[0]', 'launch.json preopens[0]: "::/x" has an empty host path — write "host" or "host::guest"');
  expectLaunchError(() => resolve({ preopens: ['data::'] }), 'preopens[0]', 'launch.json preopens[0]: "data::" has an empty guest path — write "host::guest", e.g. "data::/data"');
  expectLaunchError(() => resolve({ preopens: [5] }), 'preopens[0]', 'launch.json preopens[0]: expected { "host", "guest", … } or a "host::guest" string, got a number (5)');
  expectLaunchError(() => resolve({ preopens: [{ host: 'data', read: 'yes' }] }), 'preopens[0].read', 'launch.json preopens[0].read: expected true or false, got a string ("yes")');
  expectLaunchError(
    () => resolve({ preopens: ['data', { host: 'missing-dir' }] }),
    'preopens[1].host',
    `launch.json preopens[1].host: "missing-dir" (${path.join(ws, 'missing-dir')}) does not exist — create the directory or fix the path (a preopened directory)`,
  );
  expectLaunchError(
    () => resolve({ preopens: ['hello.wasm::/x'] }),
    'preopens[0]',
    `launch.json preopens[0]: "hello.wasm" (${hello}) is not a directory — a preopened directory must be a directory`,
  );
});

test('preopens: no permission at all and a NUL in the guest path are the builder\'s errors, attributed to the entry', () => {
  subdir('data');
  expectLaunchError(
    () => resolve({ preopens: [{ host: 'data', read: false, write: false, create: false }] }),
    'preopens[0]',
    'launch.json preopens[0]: preopened directory error: `Preopened directories must have at least one of read, write, create permissions set` — fix this entry',
  );
  expectLaunchError(
    () => resolve({ preopens: [{ host: 'data', guest: '/a\0' }] }),
    'preopens[0]',
    'launch.json preopens[0]: mapped dir alias has wrong format: `Alias "a\0" contains a nul byte` — fix this entry',
  );
});

test('mapDirs mount with read, write and create; vfsPreopens add in-memory directories', () => {
  const data = subdir('data');
  const launch = resolve({ mapDirs: { '/data': 'data' }, vfsPreopens: ['/tmp', 'var/log'] });
  assert.deepEqual(launch.init.preopens, [
    { kind: 'host', hostPath: data, guestPath: '/data', name: '/data', read: true, write: true, create: true },
    { kind: 'virtual', guestPath: '/tmp' },
    { kind: 'virtual', guestPath: '/var/log' },
  ]);
  expectLaunchError(() => resolve({ mapDirs: { '/d': 3 } }), 'mapDirs["/d"]', 'launch.json mapDirs["/d"]: expected a host directory path, got a number (3)');
  expectLaunchError(() => resolve({ mapDirs: { '': 'data' } }), 'mapDirs', 'launch.json mapDirs: a guest path is empty — use "/" to mount at the root');
  expectLaunchError(() => resolve({ vfsPreopens: ['/tmp', 1] }), 'vfsPreopens[1]', 'launch.json vfsPreopens[1]: expected a string, got a number (1)');
  expectLaunchError(() => resolve({ vfsPreopens: [''] }), 'vfsPreopens[0]', 'launch.json vfsPreopens[0]: is empty — write a guest directory path such as "/tmp"');
});

test('a guest path can be mounted only once across preopens, mapDirs and vfsPreopens', () => {
  subdir('data');
  expectLaunchError(
    () => resolve({ preopens: ['data::/d'], mapDirs: { '/d/': 'data' } }),
    'mapDirs["/d/"]',
    'launch.json mapDirs["/d/"]: the guest path "/d" is already used by preopens[0] — mount each guest path once',
  );
  expectLaunchError(
    () => resolve({ mapDirs: { '/tmp': 'data' }, vfsPreopens: ['/tmp'] }),
    'vfsPreopens[0]',
    'launch.json vfsPreopens[0]: the guest path "/tmp" is already used by mapDirs["/tmp"] — mount each guest path once',
  );
});

// ── files ─────────────────────────────────────────────────────────────────

test('files: host files and inline text are seeded, parents first', () => {
  const input = file('input.txt', 'in');
  const launch = resolve({ files: { '/data/input.txt': 'input.txt', 'etc/app.conf': { text: 'x=1' } } });
  assert.deepEqual(launch.init.seed, [
    { kind: 'dir', guestPath: '/data' },
    { kind: 'hostFile', guestPath: '/data/input.txt', hostPath: input },
    { kind: 'dir', guestPath: '/etc' },
    { kind: 'file', guestPath: '/etc/app.conf', data: encode('x=1') },
  ]);
});

test('files: mistakes name the entry', () => {
  subdir('data');
  expectLaunchError(
    () => resolve({ files: { '/a': 'data' } }),
    'files["/a"]',
    `launch.json files["/a"]: "data" (${path.join(ws, 'data')}) is a directory — mount directories with "preopens" or "mapDirs" instead`,
  );
  expectLaunchError(() => resolve({ files: { '/a': { txt: 'x' } } }), 'files["/a"].txt', 'launch.json files["/a"].txt: unknown property — did you mean "text"?');
  expectLaunchError(() => resolve({ files: { '/a': 1 } }), 'files["/a"]', 'launch.json files["/a"]: expected a host file path or { "text": "…" }, got a number (1)');
  expectLaunchError(
    () => resolve({ files: { '/a': { text: 'x' }, '/a/b': { text: 'y' } } }),
    'files["/a/b"]',
    'launch.json files["/a/b"]: wasi filesystem setup error: `"/a" is a file, so nothing can be created inside it` — change or remove this entry',
  );
  expectLaunchError(
    () => resolve({ mapDirs: { '/work': 'data' }, files: { '/work/x': { text: '' } } }),
    'files["/work/x"]',
    'launch.json files["/work/x"]: wasi filesystem setup error: `"/work/x" is inside the host directory mounted at "/work"; setup entries go to the in-memory filesystem only` — change or remove this entry',
  );
});

// ── stdin, stdout, stderr ─────────────────────────────────────────────────

test('stdin: console, none, a file or text', () => {
  const input = file('stdin.txt', 'line\n');
  assert.deepEqual(resolve({ stdin: 'console' }).init.stdin, { kind: 'console' });
  assert.deepEqual(resolve({ stdin: 'none' }).init.stdin, { kind: 'none' });
  assert.deepEqual(resolve({ stdin: { file: 'stdin.txt' } }).init.stdin, { kind: 'file', hostPath: input });
  assert.deepEqual(resolve({ stdin: { text: 'héllo\n' } }).init.stdin, { kind: 'bytes', data: encode('héllo\n') });
  expectLaunchError(() => resolve({ stdin: 'keyboard' }), 'stdin', 'launch.json stdin: expected "console", "none", { "file": "…" } or { "text": "…" }, got a string ("keyboard")');
  expectLaunchError(() => resolve({ stdin: { file: 'stdin.txt', text: 'x' } }), 'stdin', 'launch.json stdin: has both "file" and "text" — keep one');
  expectLaunchError(() => resolve({ stdin: {} }), 'stdin', 'launch.json stdin: is an empty object — use { "file": "…" } or { "text": "…" }');
  expectLaunchError(() => resolve({ stdin: { path: 'x' } }), 'stdin.path', 'launch.json stdin.path: unknown property — the properties are "file", "text"');
  expectLaunchError(
    () => resolve({ stdin: { file: 'nope.txt' } }),
    'stdin.file',
    `launch.json stdin.file: "nope.txt" (${path.join(ws, 'nope.txt')}) does not exist — create the file or fix the path (the file read as stdin)`,
  );
});

test('stdout/stderr: console, none, or a file (truncated or appended)', () => {
  subdir('logs');
  const launch = resolve({ stdout: { file: 'logs/out.txt' }, stderr: { file: 'logs/err.txt', append: true } });
  assert.deepEqual(launch.init.stdout, { kind: 'file', hostPath: path.join(ws, 'logs/out.txt'), append: false });
  assert.deepEqual(launch.init.stderr, { kind: 'file', hostPath: path.join(ws, 'logs/err.txt'), append: true });
  assert.deepEqual(resolve({ stdout: 'none', stderr: 'console' }).init.stdout, { kind: 'null' });
  expectLaunchError(
    () => resolve({ stdout: { file: 'nodir/out.txt' } }),
    'stdout.file',
    `launch.json stdout.file: the directory of "nodir/out.txt" (${path.join(ws, 'nodir/out.txt')}) does not exist — create "${path.join(ws, 'nodir')}" first (the file stdout is written to)`,
  );
  expectLaunchError(() => resolve({ stderr: { file: 'logs' } }), 'stderr.file', `launch.json stderr.file: "logs" (${path.join(ws, 'logs')}) is a directory — the file stderr is written to must be a file`);
  expectLaunchError(() => resolve({ stderr: { append: true } }), 'stderr', 'launch.json stderr: missing "file" — set it to the host file to write');
  expectLaunchError(() => resolve({ stdout: { file: 'logs/o', append: 'no' } }), 'stdout.append', 'launch.json stdout.append: expected true or false, got a string ("no")');
  expectLaunchError(() => resolve({ stdout: 'terminal' }), 'stdout', 'launch.json stdout: expected "console", "none" or { "file": "…", "append": false }, got a string ("terminal")');
});

// ── features the runtime does not support yet ─────────────────────────────

test('uses, mapCommands, threads, journal and snapshotOn are refused until the runtime supports them', () => {
  file('tools/ls.wasm', wasmWithExports(['_start']));
  const unsupported: Array<[Record<string, unknown>, string]> = [
    [{ uses: ['sharrattj/coreutils@1'] }, 'uses'],
    [{ mapCommands: { ls: 'tools/ls.wasm' } }, 'mapCommands'],
    [{ threads: true }, 'threads'],
    [{ journal: 'run.journal' }, 'journal'],
    [{ snapshotOn: ['firstStdin'] }, 'snapshotOn'],
  ];
  for (const [extra, field] of unsupported) {
    expectLaunchError(() => resolve(extra), field, `launch.json ${field}: is not supported yet by the runtime — remove it from the configuration`);
  }
  // Asking for nothing is not asking for a feature.
  const launch = resolve({ uses: [], mapCommands: {}, threads: false, snapshotOn: [] });
  assert.deepEqual(launch.init.uses, []);
});

test('with runtime support, the remaining features reach the WasiEnvInit', () => {
  const all: RuntimeFeature[] = ['uses', 'mapCommands', 'threads', 'imports', 'journal', 'snapshotOn'];
  const ls = file('tools/ls.wasm', wasmWithExports(['_start']));
  const webc = file('pkgs/tools.webc', 'webc');
  const host = file('host/env.js', 'module.exports = {};');
  const launch = resolve(
    {
      uses: ['sharrattj/coreutils@1', 'pkgs/tools.webc'],
      mapCommands: { ls: 'tools/ls.wasm' },
      threads: true,
      maxThreads: 4,
      imports: { env: 'host/env.js' },
      journal: ['a.journal', 'b.journal'],
      snapshotOn: ['firstStdin', 'periodicInterval'],
      snapshotInterval: 1000,
    },
    { ...ctx, runtimeFeatures: all },
  );
  assert.deepEqual(launch.init.uses, [{ name: 'sharrattj/coreutils@1' }, { name: 'tools', hostPath: webc }]);
  assert.deepEqual(launch.init.mapCommands, { ls });
  assert.deepEqual(launch.init.capabilities, { threads: true, threading: { maxThreads: 4, enableAsynchronousThreading: false } });
  assert.deepEqual(launch.init.additionalImports, [{ module: 'env', hostPath: host }]);
  assert.deepEqual(launch.init.journals, [path.join(ws, 'a.journal'), path.join(ws, 'b.journal')]);
  assert.deepEqual(launch.init.snapshotOn, ['firstStdin', 'periodicInterval']);
  assert.equal(launch.init.snapshotIntervalMs, 1000);
});

test('imports: a CommonJS file per import module; WASI modules cannot be replaced', () => {
  const host = file('host/env.js', 'module.exports = {};');
  file('host/esm.mjs', 'export {};');
  assert.deepEqual(resolve({ imports: { env: 'host/env.js' } }).init.additionalImports, [{ module: 'env', hostPath: host }]);
  expectLaunchError(
    () => resolve({ imports: { wasi_snapshot_preview1: 'host/env.js' } }),
    'imports.wasi_snapshot_preview1',
    'launch.json imports.wasi_snapshot_preview1: the WASI imports cannot be replaced — use another import module name',
  );
  expectLaunchError(
    () => resolve({ imports: { env: 'host/esm.mjs' } }),
    'imports.env',
    `launch.json imports.env: "${path.join(ws, 'host/esm.mjs')}" is an ES module — imports are loaded with require(); use a CommonJS .js or .cjs file`,
  );
  expectLaunchError(
    () => resolve({ imports: { env: 'host/none.js' } }),
    'imports.env',
    `launch.json imports.env: "host/none.js" (${path.join(ws, 'host/none.js')}) does not exist — create the file or fix the path (the CommonJS file serving the imports)`,
  );
});

test('threads, maxThreads and snapshot settings are checked before support is', () => {
  const all: RuntimeFeature[] = ['threads', 'snapshotOn'];
  expectLaunchError(
    () => resolve({ maxThreads: 4 }),
    'maxThreads',
    'launch.json maxThreads: limits threads, but "threads" is not true — set "threads": true or remove "maxThreads"',
  );
  expectLaunchError(() => resolve({ threads: true, maxThreads: 0 }), 'maxThreads', 'launch.json maxThreads: expected a whole number of at least 1, got a number (0)');
  expectLaunchError(() => resolve({ snapshotOn: ['firstStdn'] }), 'snapshotOn[0]', 'launch.json snapshotOn[0]: "firstStdn" is not a snapshot trigger — did you mean "firstStdin"?');
  expectLaunchError(
    () => resolve({ snapshotOn: ['periodicInterval'] }, { ...ctx, runtimeFeatures: all }),
    'snapshotOn',
    'launch.json snapshotOn: "periodicInterval" needs "snapshotInterval" (milliseconds) — add it',
  );
  expectLaunchError(
    () => resolve({ snapshotInterval: 100 }, { ...ctx, runtimeFeatures: all }),
    'snapshotInterval',
    'launch.json snapshotInterval: is only used by the "periodicInterval" trigger — add it to "snapshotOn" or remove "snapshotInterval"',
  );
  expectLaunchError(() => resolve({ uses: ['two words'] }), 'uses[0]', 'launch.json uses[0]: "two words" is not a package name — write "namespace/name@version" or a .webc path');
  expectLaunchError(() => resolve({ mapCommands: { 'a/b': 'x.wasm' } }), 'mapCommands["a/b"]', 'launch.json mapCommands["a/b"]: is not a command name — use a plain name such as "ls"');
});
