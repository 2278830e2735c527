// Unit tests of the configuration provider's decisions: what F5 runs, initial and dynamic configurations, defaults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  decideResolve,
  dynamicConfigurations,
  initialConfigurations,
  isEmptyConfiguration,
  launchConfigurationFor,
  pickItems,
  programReference,
  sortCandidates,
  moduleBuiltFrom,
  withDefaults,
} from '../../src/debug/configurationDecisions';

const ws = path.resolve('/home/user/project');
const inWs = (...parts: string[]) => path.join(ws, ...parts);
const never = async (): Promise<string[]> => {
  throw new Error('the workspace must not be searched when the active editor decides');
};

test('F5 with no launch.json runs the .wasm in the active editor, without searching the workspace', async () => {
  const decision = await decideResolve({}, { activeFile: inWs('build', 'hello.wasm'), workspaceFolder: ws, findWasmFiles: never });
  assert.deepEqual(decision, {
    kind: 'launch',
    config: { type: 'wasi', request: 'launch', name: 'Debug hello.wasm', program: '${workspaceFolder}/build/hello.wasm' },
  });
});

test('Ctrl+F5 with no launch.json keeps noDebug', async () => {
  const decision = await decideResolve({ noDebug: true }, { activeFile: inWs('hello.wasm'), workspaceFolder: ws, findWasmFiles: never });
  assert.deepEqual(decision, {
    kind: 'launch',
    config: { type: 'wasi', request: 'launch', name: 'Run hello.wasm', program: '${workspaceFolder}/hello.wasm', noDebug: true },
  });
});

test('F5 with no launch.json and a non-wasm editor: the only .wasm of the workspace runs', async () => {
  const decision = await decideResolve({}, {
    activeFile: inWs('src', 'main.c'),
    workspaceFolder: ws,
    findWasmFiles: async () => [inWs('out', 'app.wasm')],
  });
  assert.deepEqual(decision, {
    kind: 'launch',
    config: { type: 'wasi', request: 'launch', name: 'Debug app.wasm', program: '${workspaceFolder}/out/app.wasm' },
  });
});

test('F5 with no launch.json on a source file runs the module built from it (same name, same folder)', async () => {
  const files = async () => [inWs('other.wasm'), inWs('src', 'hello.wasm'), inWs('hello.wasm')];
  const fromC = await decideResolve({}, { activeFile: inWs('src', 'hello.c'), workspaceFolder: ws, findWasmFiles: files });
  assert.deepEqual(fromC, {
    kind: 'launch',
    config: { type: 'wasi', request: 'launch', name: 'Debug hello.wasm', program: '${workspaceFolder}/src/hello.wasm' },
  });
  const fromWat = await decideResolve({}, { activeFile: inWs('other.wat'), workspaceFolder: ws, findWasmFiles: files });
  assert.equal(fromWat.kind === 'launch' && fromWat.config.program, '${workspaceFolder}/other.wasm');
  const unrelated = await decideResolve({}, { activeFile: inWs('README.md'), workspaceFolder: ws, findWasmFiles: files });
  assert.equal(unrelated.kind, 'pick');
});

test('F5 with no launch.json and several .wasm files: the user picks, shallow paths first', async () => {
  const decision = await decideResolve({}, {
    workspaceFolder: ws,
    findWasmFiles: async () => [inWs('a', 'b', 'deep.wasm'), inWs('z.wasm'), inWs('a.wasm'), inWs('z.wasm')],
  });
  assert.deepEqual(decision, { kind: 'pick', candidates: [inWs('a.wasm'), inWs('z.wasm'), inWs('a', 'b', 'deep.wasm')] });
});

test('F5 with no launch.json and no .wasm anywhere: cancelled with a message that says what to do', async () => {
  const decision = await decideResolve({}, { workspaceFolder: ws, findWasmFiles: async () => [] });
  assert.equal(decision.kind, 'cancel');
  assert.match((decision as { message: string }).message, /no \.wasm file to run.*Open a \.wasm file.*launch\.json/);
});

test('a launch.json configuration is completed, never replaced', async () => {
  const config = { type: 'wasi', request: 'launch', name: 'mine', program: '${workspaceFolder}/x.wasm', args: ['1'] };
  const decision = await decideResolve(config, { activeFile: inWs('other.wasm'), workspaceFolder: ws, findWasmFiles: never });
  assert.deepEqual(decision, { kind: 'launch', config });
});

test('withDefaults fills type, request and a name from the program', () => {
  assert.deepEqual(withDefaults({ program: '/x/y/app.wasm', stopOnEntry: true }), {
    type: 'wasi',
    request: 'launch',
    name: 'Run app.wasm',
    program: '/x/y/app.wasm',
    stopOnEntry: true,
  });
  assert.deepEqual(withDefaults({ type: 'wasi' }), { type: 'wasi', request: 'launch', name: 'Run WASI module' });
  assert.equal(withDefaults({ type: 'wasi', name: '' , program: 'a.wasm'}).name, 'Run a.wasm');
});

test('isEmptyConfiguration: only the empty object VS Code sends without launch.json', () => {
  assert.equal(isEmptyConfiguration({}), true);
  assert.equal(isEmptyConfiguration({ noDebug: true }), true);
  assert.equal(isEmptyConfiguration({ type: 'wasi' }), false);
  assert.equal(isEmptyConfiguration({ name: 'x' }), false);
});

test('programReference: inside the folder as ${workspaceFolder}/…, outside as the absolute path', () => {
  assert.equal(programReference(inWs('a', 'b.wasm'), ws), '${workspaceFolder}/a/b.wasm');
  assert.equal(programReference('/elsewhere/b.wasm', ws), '/elsewhere/b.wasm');
  assert.equal(programReference(inWs('b.wasm'), undefined), inWs('b.wasm'));
  assert.equal(programReference(path.resolve('/home/user/project-other/b.wasm'), ws), path.resolve('/home/user/project-other/b.wasm'));
});

test('Run WASI Module builds a noDebug configuration', () => {
  assert.deepEqual(launchConfigurationFor(inWs('hello.wasm'), ws, { noDebug: true }), {
    type: 'wasi',
    request: 'launch',
    name: 'Run hello.wasm',
    program: '${workspaceFolder}/hello.wasm',
    noDebug: true,
  });
});

test('dynamic configurations: one per .wasm, named by its workspace-relative path', () => {
  assert.deepEqual(dynamicConfigurations([inWs('b', 'two.wasm'), inWs('one.wasm')], ws), [
    { type: 'wasi', request: 'launch', name: 'Run one.wasm', program: '${workspaceFolder}/one.wasm' },
    { type: 'wasi', request: 'launch', name: 'Run b/two.wasm', program: '${workspaceFolder}/b/two.wasm' },
  ]);
});

test('initial configurations: the workspace modules (at most five), else one that asks for the module', () => {
  const many = Array.from({ length: 8 }, (_, i) => inWs(`m${i}.wasm`));
  assert.equal(initialConfigurations(many, ws).length, 5);
  assert.deepEqual(initialConfigurations([], ws), [
    { type: 'wasi', request: 'launch', name: 'Run a WASI module', program: '${command:wasi-debug.pickWasmFile}' },
  ]);
});

test('quick pick rows: file name as label, folder as description', () => {
  assert.deepEqual(pickItems([inWs('x', 'a.wasm'), inWs('b.wasm')], ws), [
    { label: 'b.wasm', description: '.', filePath: inWs('b.wasm') },
    { label: 'a.wasm', description: 'x', filePath: inWs('x', 'a.wasm') },
  ]);
});

test('sortCandidates removes duplicates', () => {
  assert.deepEqual(sortCandidates(['/a/b.wasm', '/a/b.wasm', '/c.wasm']), ['/c.wasm', '/a/b.wasm']);
});

test('moduleBuiltFrom: only the exact sibling', () => {
  assert.equal(moduleBuiltFrom('/p/a/main.rs', ['/p/main.wasm', '/p/a/main.wasm']), '/p/a/main.wasm');
  assert.equal(moduleBuiltFrom('/p/a/main.rs', ['/p/main.wasm']), undefined);
});
