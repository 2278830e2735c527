// Unit tests of WasiEnvBuilder: the seed's own tests, one test per validation rule, and the shape of WasiEnvInit.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WasiEnvBuilder, WasiStateCreationError, type WasiStateCreationErrorKind } from '../../src/builder';

const tempDirs: string[] = [];
after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'wasi-builder-')));
  tempDirs.push(dir);
  return dir;
}

/** Asserts that `run` throws a WasiStateCreationError of `kind` with exactly `message`; returns it. */
function expectError(run: () => unknown, kind: WasiStateCreationErrorKind, message: string): WasiStateCreationError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof WasiStateCreationError, `expected a WasiStateCreationError, got ${String(caught)}`);
  assert.equal(caught.kind, kind);
  assert.equal(caught.message, message);
  return caught;
}

// ── the seed's tests ──────────────────────────────────────────────────────

test('seed env_var_errors: "=" or NUL in a key and NUL in a value are refused; "=" in a value is fine', () => {
  expectError(
    () => new WasiEnvBuilder('test_prog').env('HOM=E', '/home/home').build(),
    'EnvironmentVariableFormatError',
    'bad environment variable format: `found equal sign in env var key "HOM=E" (key=value)`',
  );
  expectError(
    () => new WasiEnvBuilder('test_prog').env('HOME\0', '/home/home').build(),
    'EnvironmentVariableFormatError',
    'bad environment variable format: `found nul byte in env var key "HOME\0" (key=value)`',
  );
  const init = new WasiEnvBuilder('test_prog').env('HOME', '/home/home=home').build();
  assert.deepEqual(init.env, [['HOME', new TextEncoder().encode('/home/home=home')]]);
  expectError(
    () => new WasiEnvBuilder('test_prog').env('HOME', '/home/home\0').build(),
    'EnvironmentVariableFormatError',
    'bad environment variable format: `found nul byte in env var value "/home/home\0" (key=value)`',
  );
});

test('seed nul_character_in_args: an argument with NUL is refused, also inside args()', () => {
  const first = expectError(
    () => new WasiEnvBuilder('test_prog').arg('--h\0elp').build(),
    'ArgumentContainsNulByte',
    'argument contains null byte: `--h\0elp`',
  );
  assert.deepEqual(first.subject, { kind: 'arg', index: 1 });
  const second = expectError(
    () => new WasiEnvBuilder('test_prog').args(['--help', '--wat\0']).build(),
    'ArgumentContainsNulByte',
    'argument contains null byte: `--wat\0`',
  );
  assert.deepEqual(second.subject, { kind: 'arg', index: 2 });
});

// ── arguments and environment ─────────────────────────────────────────────

test('the program name is args[0] and is checked for NUL like any argument', () => {
  assert.deepEqual(new WasiEnvBuilder('prog').build().args, ['prog']);
  const error = expectError(() => new WasiEnvBuilder('pr\0og').build(), 'ArgumentContainsNulByte', 'argument contains null byte: `pr\0og`');
  assert.deepEqual(error.subject, { kind: 'arg', index: 0 });
});

test('arg/args/addArg/addArgs append in order; getArgs and getArgsMut see the live list', () => {
  const builder = new WasiEnvBuilder('prog').arg('a').args(['b', 'c']);
  builder.addArg('d');
  builder.addArgs(new Set(['e']));
  assert.deepEqual(builder.getArgs(), ['prog', 'a', 'b', 'c', 'd', 'e']);
  builder.getArgsMut().splice(1, 1);
  assert.deepEqual(builder.build().args, ['prog', 'b', 'c', 'd', 'e']);
});

test('byte arguments are decoded as UTF-8, invalid bytes becoming U+FFFD (from_utf8_lossy)', () => {
  const init = new WasiEnvBuilder(new Uint8Array([0x70, 0xff])).arg(new Uint8Array([0xc3, 0xa9])).build();
  assert.deepEqual(init.args, ['p\uFFFD', 'é']);
});

test('env/envs/addEnv/addEnvs keep order and bytes; getEnv and getEnvMut see the live list', () => {
  const builder = new WasiEnvBuilder('prog').env('A', '1').envs({ B: '2' }).envs([['C', new Uint8Array([0xff, 0x00 + 0x41])]]);
  builder.addEnv(new TextEncoder().encode('D'), '4');
  builder.addEnvs([['A', 'again']]);
  assert.deepEqual(
    builder.getEnv().map(([key]) => key),
    ['A', 'B', 'C', 'D', 'A'],
  );
  builder.getEnvMut().pop();
  const init = builder.build();
  assert.deepEqual(init.env, [
    ['A', new Uint8Array([0x31])],
    ['B', new Uint8Array([0x32])],
    ['C', new Uint8Array([0xff, 0x41])],
    ['D', new Uint8Array([0x34])],
  ]);
});

test('the first offending character of an env key decides the message', () => {
  expectError(
    () => new WasiEnvBuilder('p').env('A\0=B', 'v').build(),
    'EnvironmentVariableFormatError',
    'bad environment variable format: `found nul byte in env var key "A\0=B" (key=value)`',
  );
  const error = expectError(
    () => new WasiEnvBuilder('p').env('A=\0B', 'v').build(),
    'EnvironmentVariableFormatError',
    'bad environment variable format: `found equal sign in env var key "A=\0B" (key=value)`',
  );
  assert.deepEqual(error.subject, { kind: 'envKey', key: 'A=\0B' });
});

test('a NUL in an env value names the value, lossily decoded, and the subject names the key', () => {
  const error = expectError(
    () => new WasiEnvBuilder('p').env('K', new Uint8Array([0x61, 0x00, 0xff])).build(),
    'EnvironmentVariableFormatError',
    'bad environment variable format: `found nul byte in env var value "a\0\uFFFD" (key=value)`',
  );
  assert.deepEqual(error.subject, { kind: 'envValue', key: 'K' });
});

test('arguments are checked before the environment (seed order)', () => {
  expectError(() => new WasiEnvBuilder('p').env('A=B', 'v').arg('x\0').build(), 'ArgumentContainsNulByte', 'argument contains null byte: `x\0`');
});

// ── entry function ────────────────────────────────────────────────────────

test('the entry function is _start unless set', () => {
  assert.equal(new WasiEnvBuilder('p').build().entryFunction, '_start');
  const builder = new WasiEnvBuilder('p').entryFunction('main');
  assert.equal(builder.getEntryFunction(), 'main');
  builder.setEntryFunction('run');
  assert.equal(builder.build().entryFunction, 'run');
});

// ── preopens ──────────────────────────────────────────────────────────────

test('preopenDir mounts with read, write and create at the path it was given with', () => {
  const dir = tempDir();
  const init = new WasiEnvBuilder('p').preopenDir(dir).build();
  assert.deepEqual(init.preopens, [{ kind: 'host', hostPath: dir, guestPath: dir, name: dir, read: true, write: true, create: true }]);
});

test('a relative preopen resolves against the process cwd on the host and appears under / in the guest', () => {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'data'));
  const saved = process.cwd();
  process.chdir(dir);
  try {
    const init = new WasiEnvBuilder('p').preopenDirs(['data', '.']).build();
    assert.deepEqual(
      init.preopens.map((preopen) => (preopen.kind === 'host' ? [preopen.hostPath, preopen.guestPath] : [])),
      [
        [path.join(dir, 'data'), '/data'],
        [dir, '/'],
      ],
    );
  } finally {
    process.chdir(saved);
  }
});

test('the name the guest sees (fd_prestat_dir_name) is the preopen as written: relative stays relative', () => {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'fs-tests.dir'));
  const saved = process.cwd();
  process.chdir(dir);
  try {
    const init = new WasiEnvBuilder('p').preopenDir('fs-tests.dir').mapDir('//data/', dir).preopenDir('.').build();
    assert.deepEqual(
      init.preopens.map((preopen) => [preopen.guestPath, preopen.name]),
      [
        ['/fs-tests.dir', 'fs-tests.dir'],
        ['/data', '/data'],
        ['/', '.'],
      ],
    );
  } finally {
    process.chdir(saved);
  }
});

test('preopenBuild: alias loses its leading "/", create implies write, permissions are kept', () => {
  const dir = tempDir();
  const init = new WasiEnvBuilder('p')
    .preopenBuild((p) => p.directory(dir).alias('///src').read(true))
    .preopenBuild((p) => p.directory(dir).alias('out/').create(true))
    .build();
  assert.deepEqual(init.preopens, [
    { kind: 'host', hostPath: dir, guestPath: '/src', name: '/src', read: true, write: false, create: false },
    { kind: 'host', hostPath: dir, guestPath: '/out', name: 'out', read: false, write: true, create: true },
  ]);
});

test('an alias of "/" mounts at the guest root', () => {
  const dir = tempDir();
  const init = new WasiEnvBuilder('p').mapDir('/', dir).build();
  assert.equal(init.preopens[0]?.guestPath, '/');
});

test('preopenBuild refuses a preopen without any permission', () => {
  const dir = tempDir();
  expectError(
    () => new WasiEnvBuilder('p').preopenBuild((p) => p.directory(dir).read(false)),
    'PreopenedDirectoryError',
    'preopened directory error: `Preopened directories must have at least one of read, write, create permissions set`',
  );
});

test('preopenBuild refuses a preopen without a directory, after the permission check', () => {
  expectError(
    () => new WasiEnvBuilder('p').preopenBuild((p) => p.alias('x').read(true)),
    'PreopenedDirectoryError',
    'preopened directory error: `Preopened directories must point to a host directory`',
  );
  expectError(
    () => new WasiEnvBuilder('p').preopenBuild((p) => p.alias('x')),
    'PreopenedDirectoryError',
    'preopened directory error: `Preopened directories must have at least one of read, write, create permissions set`',
  );
});

test('a preopen of a missing directory fails at once with its absolute path', () => {
  const dir = tempDir();
  const missing = path.join(dir, 'nope');
  const error = expectError(() => new WasiEnvBuilder('p').preopenDir(missing), 'PreopenedDirectoryNotFound', `preopened directory not found: \`${missing}\``);
  assert.deepEqual(error.subject, { kind: 'preopen', hostPath: missing, alias: undefined });
  expectError(() => new WasiEnvBuilder('p').mapDir('/x', missing), 'PreopenedDirectoryNotFound', `preopened directory not found: \`${missing}\``);
});

test('an alias containing NUL is refused', () => {
  const dir = tempDir();
  expectError(
    () => new WasiEnvBuilder('p').mapDir('/a\0b', dir),
    'MappedDirAliasFormattingError',
    'mapped dir alias has wrong format: `Alias "a\0b" contains a nul byte`',
  );
});

test('mapDir/mapDirs mount under the alias with read, write and create', () => {
  const dir = tempDir();
  const init = new WasiEnvBuilder('p').mapDirs({ '/work': dir }).mapDirs([['data/', dir]]).build();
  assert.deepEqual(init.preopens, [
    { kind: 'host', hostPath: dir, guestPath: '/work', name: '/work', read: true, write: true, create: true },
    { kind: 'host', hostPath: dir, guestPath: '/data', name: 'data', read: true, write: true, create: true },
  ]);
});

test('build refuses a preopen that is a file, with Wasmer\'s message', () => {
  const dir = tempDir();
  const file = path.join(dir, 'f.txt');
  fs.writeFileSync(file, 'x');
  expectError(
    () => new WasiEnvBuilder('p').preopenDir(file).build(),
    'WasiFsCreationError',
    `wasi filesystem creation error: \`WASI only supports pre-opened directories right now; found "${file}"\``,
  );
});

test('build refuses a preopen whose directory vanished after it was added', () => {
  const dir = tempDir();
  const sub = path.join(dir, 'gone');
  fs.mkdirSync(sub);
  const builder = new WasiEnvBuilder('p').preopenDir(sub);
  fs.rmdirSync(sub);
  expectError(
    () => builder.build(),
    'WasiFsCreationError',
    `wasi filesystem creation error: \`Could not get metadata for file "${sub}": entry not found\``,
  );
});

test('preopenVfsDirs preopens normalized in-memory directories after the host preopens', () => {
  const dir = tempDir();
  const builder = new WasiEnvBuilder('p').preopenVfsDirs(['tmp', '/var//log/']).mapDir('/h', dir);
  assert.deepEqual(builder.build().preopens, [
    { kind: 'host', hostPath: dir, guestPath: '/h', name: '/h', read: true, write: true, create: true },
    { kind: 'virtual', guestPath: '/tmp' },
    { kind: 'virtual', guestPath: '/var/log' },
  ]);
  expectError(
    () => new WasiEnvBuilder('p').preopenVfsDirs(['a\0']).build(),
    'WasiFsCreationError',
    'wasi filesystem creation error: `Could not create virtual preopen "a\0": invalid input`',
  );
});

// ── current directory ─────────────────────────────────────────────────────

test('the current directory is / by default and is made absolute and normalized', () => {
  assert.equal(new WasiEnvBuilder('p').build().currentDir, '/');
  assert.equal(new WasiEnvBuilder('p').currentDir('work/./sub/').build().currentDir, '/work/sub');
  const builder = new WasiEnvBuilder('p');
  builder.setCurrentDir('/a/../b');
  assert.equal(builder.build().currentDir, '/b');
});

test('a current directory that is not valid UTF-8 is refused (bytes, or a string with a lone surrogate)', () => {
  expectError(
    () => new WasiEnvBuilder('p').currentDir(new Uint8Array([0x2f, 0x61, 0xff])).build(),
    'WasiFsSetupError',
    "wasi filesystem setup error: `Specified current directory is not valid UTF-8: '/a\uFFFD'`",
  );
  expectError(
    () => new WasiEnvBuilder('p').currentDir('/x\uD800').build(),
    'WasiFsSetupError',
    "wasi filesystem setup error: `Specified current directory is not valid UTF-8: '/x\uD800'`",
  );
  assert.equal(new WasiEnvBuilder('p').currentDir(new Uint8Array([0x2f, 0xc3, 0xa9])).build().currentDir, '/é');
});

test('a current directory with NUL cannot be created', () => {
  expectError(
    () => new WasiEnvBuilder('p').currentDir('/a\0').build(),
    'WasiFsSetupError',
    "wasi filesystem setup error: `Could not create specified current directory at '/a\0': invalid input`",
  );
});

test('on a host root, a missing current directory is created, as the seed does', () => {
  const dir = tempDir();
  const init = new WasiEnvBuilder('p').fs(dir).currentDir('/work').build();
  assert.equal(init.currentDir, '/work');
  assert.ok(fs.statSync(path.join(dir, 'work')).isDirectory());
});

test('on a host root, a current directory that cannot be created or is a file is refused', () => {
  const dir = tempDir();
  expectError(
    () => new WasiEnvBuilder('p').fs(dir).currentDir('/a/b').build(),
    'WasiFsSetupError',
    "wasi filesystem setup error: `Could not create specified current directory at '/a/b': entry not found`",
  );
  fs.writeFileSync(path.join(dir, 'file'), '');
  expectError(
    () => new WasiEnvBuilder('p').fs(dir).currentDir('/file').build(),
    'WasiFsSetupError',
    "wasi filesystem setup error: `Could check specified current directory at '/file': fd not a directory`",
  );
  expectError(
    () => new WasiEnvBuilder('p').fs(dir, { read: true, write: false, create: false }).currentDir('/new').build(),
    'WasiFsSetupError',
    "wasi filesystem setup error: `Could not create specified current directory at '/new': permission denied`",
  );
  assert.equal(fs.existsSync(path.join(dir, 'new')), false);
});

// ── root filesystem ───────────────────────────────────────────────────────

test('the root is in memory by default; fs() backs it with a host directory; sandboxFs() goes back', () => {
  const dir = tempDir();
  assert.deepEqual(new WasiEnvBuilder('p').build().root, { kind: 'memory' });
  assert.deepEqual(new WasiEnvBuilder('p').fs(dir).build().root, { kind: 'host', hostPath: dir, read: true, write: true, create: true });
  const builder = new WasiEnvBuilder('p');
  builder.setFs(dir, { read: true, write: false, create: true });
  assert.deepEqual(builder.build().root, { kind: 'host', hostPath: dir, read: true, write: true, create: true });
  assert.deepEqual(builder.sandboxFs().build().root, { kind: 'memory' });
});

test('a host root that is missing or a file is refused', () => {
  const dir = tempDir();
  const missing = path.join(dir, 'none');
  expectError(
    () => new WasiEnvBuilder('p').fs(missing).build(),
    'WasiFsCreationError',
    `wasi filesystem creation error: \`Could not get metadata for file "${missing}": entry not found\``,
  );
  const file = path.join(dir, 'f');
  fs.writeFileSync(file, '');
  const error = expectError(
    () => new WasiEnvBuilder('p').fs(file).build(),
    'WasiFsCreationError',
    `wasi filesystem creation error: \`WASI only supports pre-opened directories right now; found "${file}"\``,
  );
  assert.deepEqual(error.subject, { kind: 'root', hostPath: file });
});

// ── stdio ─────────────────────────────────────────────────────────────────

test('stdio defaults to the console; overrides are kept and host paths made absolute', () => {
  const dir = tempDir();
  const input = path.join(dir, 'in.txt');
  fs.writeFileSync(input, 'hello');
  const defaults = new WasiEnvBuilder('p').build();
  assert.deepEqual([defaults.stdin, defaults.stdout, defaults.stderr], [{ kind: 'console' }, { kind: 'console' }, { kind: 'console' }]);
  const init = new WasiEnvBuilder('p')
    .stdin({ kind: 'file', hostPath: input })
    .stdout({ kind: 'file', hostPath: path.join(dir, 'out.txt'), append: true })
    .stderr({ kind: 'null' })
    .build();
  assert.deepEqual(init.stdin, { kind: 'file', hostPath: input });
  assert.deepEqual(init.stdout, { kind: 'file', hostPath: path.join(dir, 'out.txt'), append: true });
  assert.deepEqual(init.stderr, { kind: 'null' });
  const bytes = new WasiEnvBuilder('p');
  bytes.setStdin({ kind: 'bytes', data: new Uint8Array([1, 2]) });
  bytes.setStdout({ kind: 'console' });
  bytes.setStderr({ kind: 'file', hostPath: path.join(dir, 'err.txt'), append: false });
  assert.deepEqual(bytes.build().stdin, { kind: 'bytes', data: new Uint8Array([1, 2]) });
  assert.deepEqual(new WasiEnvBuilder('p').stdin({ kind: 'none' }).build().stdin, { kind: 'none' });
});

test('a stdin file that is missing or a directory is a FileSystemError with the FsError text', () => {
  const dir = tempDir();
  const missing = path.join(dir, 'missing.txt');
  const error = expectError(() => new WasiEnvBuilder('p').stdin({ kind: 'file', hostPath: missing }).build(), 'FileSystemError', 'entry not found');
  assert.deepEqual(error.subject, { kind: 'stdio', stream: 'stdin', hostPath: missing });
  expectError(() => new WasiEnvBuilder('p').stdin({ kind: 'file', hostPath: dir }).build(), 'FileSystemError', 'fd not a file');
});

test('a stdout/stderr file needs an existing parent directory and may not be a directory', () => {
  const dir = tempDir();
  const error = expectError(
    () => new WasiEnvBuilder('p').stdout({ kind: 'file', hostPath: path.join(dir, 'no', 'out.txt'), append: false }).build(),
    'FileSystemError',
    'entry not found',
  );
  assert.deepEqual(error.subject, { kind: 'stdio', stream: 'stdout', hostPath: path.join(dir, 'no', 'out.txt') });
  expectError(() => new WasiEnvBuilder('p').stderr({ kind: 'file', hostPath: dir, append: false }).build(), 'FileSystemError', 'fd not a file');
  fs.writeFileSync(path.join(dir, 'plain'), '');
  expectError(
    () => new WasiEnvBuilder('p').stderr({ kind: 'file', hostPath: path.join(dir, 'plain', 'x'), append: false }).build(),
    'FileSystemError',
    'fd not a directory',
  );
});

// ── setup entries ─────────────────────────────────────────────────────────

test('setupFs entries become seed entries with every parent directory first', () => {
  const dir = tempDir();
  const host = path.join(dir, 'input.txt');
  fs.writeFileSync(host, 'data');
  const init = new WasiEnvBuilder('p')
    .setupFs([
      { kind: 'file', guestPath: '/etc/app/config.txt', data: 'a=1' },
      { kind: 'hostFile', guestPath: 'data/input.txt', hostPath: host },
      { kind: 'dir', guestPath: '/etc/empty/' },
      { kind: 'file', guestPath: '/etc/bin', data: new Uint8Array([0, 1]) },
    ])
    .build();
  assert.deepEqual(init.seed, [
    { kind: 'dir', guestPath: '/etc' },
    { kind: 'dir', guestPath: '/etc/app' },
    { kind: 'file', guestPath: '/etc/app/config.txt', data: new TextEncoder().encode('a=1') },
    { kind: 'dir', guestPath: '/data' },
    { kind: 'hostFile', guestPath: '/data/input.txt', hostPath: host },
    { kind: 'dir', guestPath: '/etc/empty' },
    { kind: 'file', guestPath: '/etc/bin', data: new Uint8Array([0, 1]) },
  ]);
});

test('setupFs replaces earlier entries, like the seed\'s single setup closure', () => {
  const init = new WasiEnvBuilder('p').setupFs([{ kind: 'dir', guestPath: '/a' }]).setupFs([{ kind: 'dir', guestPath: '/b' }]).build();
  assert.deepEqual(init.seed, [{ kind: 'dir', guestPath: '/b' }]);
});

test('setup entries that contradict each other are refused', () => {
  expectError(
    () =>
      new WasiEnvBuilder('p')
        .setupFs([
          { kind: 'file', guestPath: '/a', data: '' },
          { kind: 'file', guestPath: '/a', data: '' },
        ])
        .build(),
    'WasiFsSetupError',
    'wasi filesystem setup error: `"/a" is set up twice`',
  );
  expectError(
    () =>
      new WasiEnvBuilder('p')
        .setupFs([
          { kind: 'file', guestPath: '/a', data: '' },
          { kind: 'file', guestPath: '/a/b', data: '' },
        ])
        .build(),
    'WasiFsSetupError',
    'wasi filesystem setup error: `"/a" is a file, so nothing can be created inside it`',
  );
  expectError(
    () =>
      new WasiEnvBuilder('p')
        .setupFs([
          { kind: 'dir', guestPath: '/a' },
          { kind: 'file', guestPath: '/a', data: '' },
        ])
        .build(),
    'WasiFsSetupError',
    'wasi filesystem setup error: `"/a" is a directory and cannot also be a file`',
  );
  expectError(
    () => new WasiEnvBuilder('p').currentDir('/work').setupFs([{ kind: 'file', guestPath: '/work', data: '' }]).build(),
    'WasiFsSetupError',
    'wasi filesystem setup error: `"/work" is a directory and cannot also be a file`',
  );
  expectError(
    () => new WasiEnvBuilder('p').setupFs([{ kind: 'file', guestPath: '/', data: '' }]).build(),
    'WasiFsSetupError',
    'wasi filesystem setup error: `"/" is a directory and cannot be a file`',
  );
  expectError(
    () => new WasiEnvBuilder('p').setupFs([{ kind: 'dir', guestPath: '/x\0' }]).build(),
    'WasiFsSetupError',
    'wasi filesystem setup error: `guest path "/x\0" contains a nul byte`',
  );
});

test('setup entries never write through a host mount or a host root', () => {
  const dir = tempDir();
  const error = expectError(
    () => new WasiEnvBuilder('p').mapDir('/work', dir).setupFs([{ kind: 'file', guestPath: '/work/a.txt', data: 'x' }]).build(),
    'WasiFsSetupError',
    'wasi filesystem setup error: `"/work/a.txt" is inside the host directory mounted at "/work"; setup entries go to the in-memory filesystem only`',
  );
  assert.deepEqual(error.subject, { kind: 'seed', guestPath: '/work/a.txt' });
  expectError(
    () => new WasiEnvBuilder('p').fs(dir).setupFs([{ kind: 'dir', guestPath: '/x' }]).build(),
    'WasiFsSetupError',
    `wasi filesystem setup error: \`"/x" cannot be set up: "/" is the host directory "${dir}"; setup entries go to the in-memory filesystem only\``,
  );
  assert.equal(fs.readdirSync(dir).length, 0);
});

test('a hostFile entry must be an existing file', () => {
  const dir = tempDir();
  const missing = path.join(dir, 'none.txt');
  expectError(
    () => new WasiEnvBuilder('p').setupFs([{ kind: 'hostFile', guestPath: '/a', hostPath: missing }]).build(),
    'WasiFsSetupError',
    `wasi filesystem setup error: \`Could not read "${missing}" for "/a": entry not found\``,
  );
  expectError(
    () => new WasiEnvBuilder('p').setupFs([{ kind: 'hostFile', guestPath: '/a', hostPath: dir }]).build(),
    'WasiFsSetupError',
    `wasi filesystem setup error: \`Could not read "${dir}" for "/a": fd not a file\``,
  );
});

// ── packages, commands, capabilities, imports, journals ───────────────────

test('uses/useWebc/addWebc collect packages; includePackage(s) dedupe; local packages must exist', () => {
  const dir = tempDir();
  const webc = path.join(dir, 'tools.webc');
  fs.writeFileSync(webc, '');
  const builder = new WasiEnvBuilder('p').useWebc('sharrattj/coreutils@1').uses([{ name: 'tools', hostPath: webc }]);
  builder.addWebc({ name: 'x/y' });
  builder.includePackage('a/b@1').includePackages(['c/d@2', 'a/b@1']);
  const init = builder.build();
  assert.deepEqual(init.uses, [{ name: 'sharrattj/coreutils@1' }, { name: 'tools', hostPath: webc }, { name: 'x/y' }]);
  assert.deepEqual(init.includedPackages, ['a/b@1', 'c/d@2']);
  const missing = path.join(dir, 'missing.webc');
  expectError(
    () => new WasiEnvBuilder('p').useWebc({ name: 'm', hostPath: missing }).build(),
    'WasiIncludePackageError',
    `wasi include package: \`Could not read package "m" from "${missing}": entry not found\``,
  );
  expectError(() => new WasiEnvBuilder('p').useWebc('').build(), 'WasiIncludePackageError', 'wasi include package: `package name is empty`');
});

test('mapCommand(s) map names to absolute host paths; a later mapping of a name wins', () => {
  const dir = tempDir();
  const builder = new WasiEnvBuilder('p').mapCommand('ls', path.join(dir, 'ls.wasm')).mapCommands({ cat: path.join(dir, 'cat.wasm') });
  builder.addMappedCommand('ls', path.join(dir, 'ls2.wasm'));
  builder.addMappedCommands([['sh', 'sh.wasm']]);
  assert.deepEqual(builder.build().mapCommands, {
    ls: path.join(dir, 'ls2.wasm'),
    cat: path.join(dir, 'cat.wasm'),
    sh: path.resolve('sh.wasm'),
  });
});

test('capabilities default to single-threaded and can be replaced or edited in place', () => {
  assert.deepEqual(new WasiEnvBuilder('p').build().capabilities, { threads: false, threading: { enableAsynchronousThreading: false } });
  const builder = new WasiEnvBuilder('p').capabilities({ threads: true, threading: { maxThreads: 4, enableAsynchronousThreading: false } });
  builder.capabilitiesMut().threading.enableAsynchronousThreading = true;
  assert.deepEqual(builder.build().capabilities, { threads: true, threading: { maxThreads: 4, enableAsynchronousThreading: true } });
  const given = { threads: true, threading: { enableAsynchronousThreading: false } };
  const other = new WasiEnvBuilder('p');
  other.setCapabilities(given);
  given.threads = false;
  assert.equal(other.build().capabilities.threads, true);
});

test('a thread limit that is not a positive integer is a ControlPlane error', () => {
  const error = expectError(
    () => new WasiEnvBuilder('p').capabilities({ threads: true, threading: { maxThreads: 0, enableAsynchronousThreading: false } }).build(),
    'ControlPlane',
    'control plane error',
  );
  assert.equal(error.detail, 'maxThreads must be a positive integer, got 0');
});

test('import/addImport/addImports/imports register host modules; the same module name is replaced', () => {
  const builder = new WasiEnvBuilder('p').import('env', '/h/env.js').imports({ math: '/h/math.js' });
  builder.addImport('env', '/h/env2.js');
  builder.addImports([['rel', 'rel.js']]);
  assert.deepEqual(builder.build().additionalImports, [
    { module: 'env', hostPath: path.resolve('/h/env2.js') },
    { module: 'math', hostPath: path.resolve('/h/math.js') },
    { module: 'rel', hostPath: path.resolve('rel.js') },
  ]);
});

test('module hash, journals, snapshot triggers and interval, ctrl-c are carried through', () => {
  const init = new WasiEnvBuilder('p')
    .setModuleHash('0123456789abcdef')
    .addJournal('/j/one.journal')
    .addJournal('two.journal')
    .addSnapshotTrigger('firstStdin')
    .addSnapshotTrigger('periodicInterval')
    .withSnapshotInterval(500)
    .attachCtrlC()
    .build();
  assert.equal(init.moduleHash, '0123456789abcdef');
  assert.deepEqual(init.journals, [path.resolve('/j/one.journal'), path.resolve('two.journal')]);
  assert.deepEqual(init.snapshotOn, ['firstStdin', 'periodicInterval']);
  assert.equal(init.snapshotIntervalMs, 500);
  assert.equal(init.attachCtrlC, true);
  const plain = new WasiEnvBuilder('p').build();
  assert.equal('moduleHash' in plain, false);
  assert.equal('snapshotIntervalMs' in plain, false);
  assert.equal(plain.attachCtrlC, false);
  assert.throws(() => new WasiEnvBuilder('p').withSnapshotInterval(0), {
    name: 'RangeError',
    message: 'snapshot interval must be a positive number of milliseconds, got 0',
  });
});

// ── the result ────────────────────────────────────────────────────────────

test('the built WasiEnvInit is plain data: it survives structuredClone unchanged', () => {
  const dir = tempDir();
  const init = new WasiEnvBuilder('p')
    .arg('x')
    .env('K', 'V')
    .mapDir('/w', dir)
    .preopenVfsDirs(['/tmp'])
    .setupFs([{ kind: 'file', guestPath: '/a/b', data: 'hi' }])
    .stdin({ kind: 'bytes', data: new Uint8Array([7]) })
    .import('env', '/x.js')
    .build();
  assert.deepEqual(structuredClone(init), init);
  assert.deepEqual(Object.keys(init).sort(), [
    'additionalImports',
    'args',
    'attachCtrlC',
    'capabilities',
    'currentDir',
    'entryFunction',
    'env',
    'includedPackages',
    'journals',
    'mapCommands',
    'preopens',
    'root',
    'seed',
    'snapshotOn',
    'stderr',
    'stdin',
    'stdout',
    'uses',
  ]);
});

test('a built WasiEnvInit shares nothing with its builder', () => {
  const value = new Uint8Array([0x41]);
  const builder = new WasiEnvBuilder('p').env('K', value).arg('a');
  const init = builder.build();
  value[0] = 0x42;
  builder.getEnvMut()[0]![1][0] = 0x43;
  builder.arg('b');
  builder.capabilitiesMut().threads = true;
  assert.deepEqual(init.env, [['K', new Uint8Array([0x41])]]);
  assert.deepEqual(init.args, ['p', 'a']);
  assert.equal(init.capabilities.threads, false);
  assert.deepEqual(builder.build().args, ['p', 'a', 'b']);
});

test('every error kind prints the seed\'s message', () => {
  const cases: Array<[WasiStateCreationErrorKind, string]> = [
    ['EnvironmentVariableFormatError', 'bad environment variable format: `d`'],
    ['ArgumentContainsNulByte', 'argument contains null byte: `d`'],
    ['PreopenedDirectoryNotFound', 'preopened directory not found: `d`'],
    ['PreopenedDirectoryError', 'preopened directory error: `d`'],
    ['MappedDirAliasFormattingError', 'mapped dir alias has wrong format: `d`'],
    ['WasiFsCreationError', 'wasi filesystem creation error: `d`'],
    ['WasiFsSetupError', 'wasi filesystem setup error: `d`'],
    ['FileSystemError', 'd'],
    ['WasiInheritError', 'wasi inherit error: `d`'],
    ['WasiIncludePackageError', 'wasi include package: `d`'],
    ['ControlPlane', 'control plane error'],
  ];
  for (const [kind, message] of cases) {
    const error = new WasiStateCreationError(kind, 'd');
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'WasiStateCreationError');
    assert.equal(error.kind, kind);
    assert.equal(error.detail, 'd');
    assert.equal(error.message, message);
  }
});

test('the add… mutators do what their fluent twins do', () => {
  const dir = tempDir();
  const builder = new WasiEnvBuilder('p');
  builder.addPreopenDir(dir);
  builder.addPreopenBuild((p) => p.directory(dir).alias('ro').read(true));
  builder.addMapDir('/rw', dir);
  assert.deepEqual(builder.build().preopens, [
    { kind: 'host', hostPath: dir, guestPath: dir, name: dir, read: true, write: true, create: true },
    { kind: 'host', hostPath: dir, guestPath: '/ro', name: 'ro', read: true, write: false, create: false },
    { kind: 'host', hostPath: dir, guestPath: '/rw', name: '/rw', read: true, write: true, create: true },
  ]);
  expectError(() => builder.addPreopenBuild((p) => p.directory(dir)), 'PreopenedDirectoryError', 'preopened directory error: `Preopened directories must have at least one of read, write, create permissions set`');
  assert.equal(builder.build().preopens.length, 3, 'a refused preopen is not added');
});
