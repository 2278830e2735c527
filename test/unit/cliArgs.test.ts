// The CLI's parsing: subcommands and options, mount syntaxes, launch.json with comments, picking a configuration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCommandLine, parseEnv, parseMapDir, parseVolume, UsageError, type RunOptions } from '../../src/cli/args';
import { JsoncError, parseJsonc } from '../../src/cli/jsonc';
import { pickConfiguration } from '../../src/cli/launchCommand';
import { buildRunInit } from '../../src/cli/runCommand';

test('run: options before the module, guest arguments after it (also after --)', () => {
  assert.deepEqual(parseCommandLine(['run', '--env', 'A=1', '-e', 'B=x=y', '--invoke=main', 'app.wasm', '--help', '-x', 'file']), {
    command: 'run',
    module: 'app.wasm',
    guestArgs: ['--help', '-x', 'file'],
    dirs: [],
    mapDirs: [],
    volumes: [],
    env: [['A', '1'], ['B', 'x=y']],
    forwardHostEnv: false,
    invoke: 'main',
    trace: false,
  });
  const withDashes = parseCommandLine(['run', '--trace', '--forward-host-env', '--', '--weird.wasm', 'a']);
  assert.equal(withDashes.command, 'run');
  if (withDashes.command !== 'run') return;
  assert.equal(withDashes.module, '--weird.wasm');
  assert.deepEqual(withDashes.guestArgs, ['a']);
  assert.equal(withDashes.trace, true);
  assert.equal(withDashes.forwardHostEnv, true);
  // wasmer's form: a `--` right after the module separates; a later one belongs to the guest.
  const afterModule = parseCommandLine(['run', 'x.wasm', '--', 'a', '--', 'b']);
  assert.deepEqual(afterModule.command === 'run' && afterModule.guestArgs, ['a', '--', 'b']);
});

test('run: every mount option and --cwd/--argv0 are collected in order', () => {
  const parsed = parseCommandLine([
    'run', '--dir', 'data', '--mapdir', '/src:./source', '--volume', './out:/out', '-v', '/etc:/config:ro', '--cwd', '/src', '--argv0', 'tool', 'x.wasm',
  ]);
  assert.equal(parsed.command, 'run');
  if (parsed.command !== 'run') return;
  assert.deepEqual(parsed.dirs, ['data']);
  assert.deepEqual(parsed.mapDirs, [{ guestPath: '/src', hostPath: './source' }]);
  assert.deepEqual(parsed.volumes, [
    { hostPath: './out', guestPath: '/out', readOnly: false },
    { hostPath: '/etc', guestPath: '/config', readOnly: true },
  ]);
  assert.equal(parsed.cwd, '/src');
  assert.equal(parsed.argv0, 'tool');
});

test("run: --dir HOST::GUEST is wasmtime's spelling of --mapdir GUEST:HOST, kept in command-line order with --mapdir", () => {
  const parsed = parseCommandLine(['run', '--dir', 'fs-tests.dir::/', '--dir', 'data', '--mapdir', '/src:./source', '--dir', 'C:\\work::/w', 'x.wasm']);
  assert.equal(parsed.command, 'run');
  if (parsed.command !== 'run') return;
  assert.deepEqual(parsed.dirs, ['data']);
  assert.deepEqual(parsed.mapDirs, [
    { guestPath: '/', hostPath: 'fs-tests.dir' },
    { guestPath: '/src', hostPath: './source' },
    { guestPath: '/w', hostPath: 'C:\\work' },
  ]);
});

test('run: with no directory option and no --cwd the module has no preopen (wasmtime); any mount brings the in-memory /', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cli-preopens-'));
  try {
    const none: RunOptions = { command: 'run', module: 'm.wasm', guestArgs: [], dirs: [], mapDirs: [], volumes: [], env: [], forwardHostEnv: false, trace: false };
    const rootOf = (options: RunOptions) => buildRunInit(options, {}).preopenRoot;
    assert.equal(rootOf(none), false, 'no directory option: no preopen at all (fd 3 closed)');
    assert.equal(rootOf({ ...none, mapDirs: [{ guestPath: '/data', hostPath: dir }] }), undefined, '--mapdir /data:HOST');
    assert.equal(rootOf({ ...none, dirs: [dir] }), undefined, '--dir HOST');
    assert.equal(rootOf({ ...none, mapDirs: [{ guestPath: '/', hostPath: dir }] }), undefined, '--mapdir /:HOST');
    assert.equal(rootOf({ ...none, volumes: [{ hostPath: dir, guestPath: '/', readOnly: true }] }), undefined, '--volume HOST:/');
    assert.equal(rootOf({ ...none, cwd: '/work' }), undefined, '--cwd needs / to resolve relative paths');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('usage errors say what is wrong and what to write', () => {
  const cases: Array<[string[], RegExp]> = [
    [['run'], /run needs a module: wasi-debug run \[options\] module\.wasm/],
    [['run', '--env'], /--env needs a value/],
    [['run', '--env', 'NOVALUE', 'x.wasm'], /--env "NOVALUE": expected KEY=VALUE/],
    [['run', '--mapdir', 'nocolon', 'x.wasm'], /--mapdir "nocolon": expected GUEST:HOST/],
    [['run', '--dir', '::/data', 'x.wasm'], /--dir "::\/data": expected HOSTDIR or HOSTDIR::GUEST/],
    [['run', '--dir', './data::', 'x.wasm'], /--dir "\.\/data::": expected HOSTDIR or HOSTDIR::GUEST/],
    [['run', '--volume', './a:relative', 'x.wasm'], /--volume "\.\/a:relative": expected HOST:GUEST\[:ro\], with an absolute guest path/],
    [['run', '--frobnicate', 'x.wasm'], /unknown option --frobnicate \(options: .*--dir.*\)/],
    [['run', '--trace=yes', 'x.wasm'], /--trace takes no value/],
    [['app.wasm'], /missing subcommand: to run a module, use `wasi-debug run app\.wasm`/],
    [['start'], /unknown command "start" — the commands are `run` and `launch`/],
    [['launch', 'extra'], /launch takes no arguments \(got "extra"\)/],
  ];
  for (const [argv, message] of cases) {
    assert.throws(() => parseCommandLine(argv), (error: unknown) => {
      assert.ok(error instanceof UsageError, `${argv.join(' ')} → UsageError`);
      assert.match(error.message, message);
      return true;
    });
  }
});

test('help and version', () => {
  assert.deepEqual(parseCommandLine([]), { command: 'help', topic: undefined });
  assert.deepEqual(parseCommandLine(['--help']), { command: 'help', topic: undefined });
  assert.deepEqual(parseCommandLine(['help', 'launch']), { command: 'help', topic: 'launch' });
  assert.deepEqual(parseCommandLine(['run', '--help']), { command: 'help', topic: 'run' });
  assert.deepEqual(parseCommandLine(['--version']), { command: 'version' });
});

test('mount and env syntaxes', () => {
  assert.deepEqual(parseMapDir('/data:C:\\Users\\me'), { guestPath: '/data', hostPath: 'C:\\Users\\me' });
  assert.deepEqual(parseVolume('C:\\data:/data:rw'), { hostPath: 'C:\\data', guestPath: '/data', readOnly: false });
  assert.deepEqual(parseVolume('/a/b:/c'), { hostPath: '/a/b', guestPath: '/c', readOnly: false });
  assert.deepEqual(parseEnv('EMPTY='), ['EMPTY', '']);
});

test('run options become the builder init: mounts with permissions, env order, --env over forwarded', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cli-args-'));
  try {
    const init = buildRunInit(
      {
        command: 'run', module: 'm.wasm', guestArgs: ['x'], dirs: [], mapDirs: [{ guestPath: '/src', hostPath: dir }],
        volumes: [{ hostPath: dir, guestPath: '/ro', readOnly: true }], env: [['HOME', '/guest']], forwardHostEnv: true,
        invoke: 'run', cwd: '/src', argv0: 'tool', trace: false,
      },
      { HOME: '/host', LANG: 'C' },
    );
    assert.deepEqual(init.args, ['tool', 'x']);
    assert.deepEqual(init.env.map(([k, v]) => `${k}=${Buffer.from(v).toString()}`), ['LANG=C', 'HOME=/guest', 'PWD=/src']);
    assert.equal(init.entryFunction, 'run');
    assert.equal(init.currentDir, '/src');
    assert.deepEqual(init.preopens.map(({ name: _name, ...mount }) => mount), [
      { kind: 'host', hostPath: dir, guestPath: '/src', read: true, write: true, create: true },
      { kind: 'host', hostPath: dir, guestPath: '/ro', read: true, write: false, create: false },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('JSON with comments: comments, trailing commas, strings that look like comments', () => {
  const text = `// VS Code launch configurations
{
  /* block
     comment */
  "version": "0.2.0",
  "configurations": [
    { "name": "a // not a comment", "url": "http://x/*y*/", }, // trailing comma above
    { "name": "b", "args": ["1", "2",], },
  ],
}`;
  assert.deepEqual(parseJsonc(text), {
    version: '0.2.0',
    configurations: [
      { name: 'a // not a comment', url: 'http://x/*y*/' },
      { name: 'b', args: ['1', '2'] },
    ],
  });
  assert.deepEqual(parseJsonc('\ufeff{"a": [1, -2.5e3, true, false, null]}'), { a: [1, -2500, true, false, null] });
});

test('JSON with comments: mistakes are reported at their line and column', () => {
  const expectError = (text: string, line: number, column: number, message: RegExp) =>
    assert.throws(() => parseJsonc(text), (error: unknown) => {
      assert.ok(error instanceof JsoncError);
      assert.equal(error.line, line, `line for ${JSON.stringify(text)}`);
      assert.equal(error.column, column, `column for ${JSON.stringify(text)}`);
      assert.match(error.message, message);
      return true;
    });
  expectError('{\n  "a": 1\n  "b": 2\n}', 3, 3, /expected ',' or '}' after the value of "a", found "\\"b\\": 2"/);
  expectError('{ "a": }', 1, 8, /expected a value, found "}"/);
  expectError('[1,,2]', 1, 4, /expected a value/);
  expectError('{ name: 1 }', 1, 3, /expected a property name in double quotes/);
  expectError('{ "a": "open\n}', 1, 8, /unterminated string/);
  expectError('{ /* never closed', 1, 3, /unterminated \/\* comment/);
  expectError('{} x', 1, 4, /after the end of the document/);
});

test('launch: picks the first wasi configuration, or one by name; lists the names when missing', () => {
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'cli-launch-'));
  try {
    mkdirSync(path.join(workspace, '.vscode'));
    const configPath = path.join(workspace, '.vscode', 'launch.json');
    writeFileSync(
      configPath,
      `{ "configurations": [
          { "type": "node", "name": "Node thing" }, // not ours
          { "type": "wasi", "request": "launch", "name": "Hello", "program": "\${workspaceFolder}/hello.wasm" },
          { "type": "wasi", "request": "launch", "name": "Echo", "program": "echo.wasm", },
        ] }`,
    );
    const first = pickConfiguration({ command: 'launch', trace: false }, workspace);
    assert.equal(first.configuration.name, 'Hello');
    assert.equal(first.workspaceFolder, workspace);
    assert.equal(first.configPath, configPath);
    const byName = pickConfiguration({ command: 'launch', name: 'Echo', trace: false }, workspace);
    assert.equal(byName.configuration.program, 'echo.wasm');
    // --config pointing into another workspace's .vscode: that workspace is the folder.
    const elsewhere = pickConfiguration({ command: 'launch', config: configPath, trace: false }, os.tmpdir());
    assert.equal(elsewhere.workspaceFolder, workspace);
    assert.throws(
      () => pickConfiguration({ command: 'launch', name: 'Nope', trace: false }, workspace),
      /no "wasi" configuration named "Nope" in .*launch\.json; there are: "Hello", "Echo"/,
    );
    assert.throws(
      () => pickConfiguration({ command: 'launch', trace: false }, os.tmpdir()),
      /no launch configuration file at .*\.vscode\/launch\.json — run from the workspace folder, or pass --config/,
    );
    writeFileSync(configPath, '{ "configurations": [ { "type": "node" } ] }');
    assert.throws(() => pickConfiguration({ command: 'launch', trace: false }, workspace), /has no configuration of "type": "wasi" \(it has 1 other\)/);
    writeFileSync(configPath, '{ "configurations": [ }');
    assert.throws(() => pickConfiguration({ command: 'launch', trace: false }, workspace), /is not valid JSON: line 1, column 23: expected a value, found "}"/);
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
});
