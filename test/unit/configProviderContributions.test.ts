// Checks the debugger contributions in package.json: snippets that really launch, commands that exist and are wired.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { resolveLaunchConfig, substituteVariables } from '../../src/debug/launchConfig';

const root = path.resolve(__dirname, '..', '..', '..');
interface Contributions {
  debuggers: Array<Record<string, unknown>>;
  commands: Array<{ command: string; title: string; category?: string; icon?: string }>;
  menus: Record<string, Array<{ command: string; when?: string; group?: string }>>;
  keybindings: Array<{ command: string; key: string; when?: string }>;
  languages: Array<{ id: string; extensions: string[]; configuration: string }>;
  grammars: Array<{ language: string; scopeName: string; path: string }>;
}
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { icon: string; contributes: Contributions };
const contributes = pkg.contributes;
const debuggerEntry = contributes.debuggers[0]!;
const OWN_COMMANDS = ['wasi-debug.runWasm', 'wasi-debug.debugWasm', 'wasi-debug.sendEOF', 'wasi-debug.pickWasmFile'];

/** A snippet body as VS Code inserts it with every placeholder left at its default. */
function instantiateSnippet(value: unknown): unknown {
  if (typeof value === 'string') {
    // '^"…"' marks a raw JSON string; '\\${…}' is a literal variable; '${1:x}' is a placeholder with default x.
    const raw = value.startsWith('^"') && value.endsWith('"') ? value.slice(2, -1) : value;
    return raw.replace(/(?<!\\)\$\{\d+:([^}]*)\}/g, '$1').replace(/\\\$\{/g, '${');
  }
  if (Array.isArray(value)) return value.map(instantiateSnippet);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, instantiateSnippet(v)]));
  }
  return value;
}

test('the four configuration snippets each resolve to a runnable launch', () => {
  const snippets = debuggerEntry.configurationSnippets as Array<{ label: string; description: string; body: Record<string, unknown> }>;
  assert.deepEqual(
    snippets.map((s) => s.label),
    [
      'WASI: Run a module',
      'WASI: Run a module with the workspace folder mounted',
      'WASI: Run a module with stdin from a file',
      'WASI: Run a module with environment variables from a file',
    ],
  );
  const workspace = mkdtempSync(path.join(tmpdir(), 'wasi-snippets-'));
  try {
    copyFileSync(path.join(root, 'test', 'fixtures', 'dap', 'hello.wasm'), path.join(workspace, 'hello.wasm'));
    writeFileSync(path.join(workspace, 'input.txt'), 'line\n');
    writeFileSync(path.join(workspace, '.env'), 'A=1\n');
    for (const snippet of snippets) {
      assert.ok(snippet.description.length > 10, `${snippet.label} has a description`);
      const config = substituteVariables(instantiateSnippet(snippet.body), { workspaceFolder: workspace, env: {} });
      const launch = resolveLaunchConfig(config, { workspaceFolder: workspace, hostEnv: {} });
      assert.equal(launch.program, path.join(workspace, 'hello.wasm'), snippet.label);
      if (snippet.label.includes('mounted')) {
        assert.equal(launch.init.currentDir, '/workspace');
        assert.deepEqual(
          launch.init.preopens.map((p) => (p.kind === 'host' ? [p.hostPath, p.guestPath, p.read, p.write, p.create] : [])),
          [[workspace, '/workspace', true, true, true]],
        );
      }
      if (snippet.label.includes('stdin')) assert.deepEqual(launch.init.stdin, { kind: 'file', hostPath: path.join(workspace, 'input.txt') });
      if (snippet.label.includes('environment')) {
        assert.deepEqual(launch.init.env.map(([k, v]) => [k, Buffer.from(v).toString()]), [['A', '1']]);
      }
    }
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
});

test('initial configuration asks for the module through the declared variable', () => {
  const variables = debuggerEntry.variables as Record<string, string>;
  assert.deepEqual(variables, { pickWasmFile: 'wasi-debug.pickWasmFile' });
  assert.deepEqual(debuggerEntry.initialConfigurations, [
    { type: 'wasi', request: 'launch', name: 'Run a WASI module', program: '${command:pickWasmFile}' },
  ]);
  assert.equal(debuggerEntry.program, './dist/debugAdapter.js');
});

test('every command in my menus and keybindings is declared, and extension.ts registers it', () => {
  const declared = new Set(contributes.commands.map((c) => c.command));
  const extensionSource = readFileSync(path.join(root, 'src', 'extension.ts'), 'utf8');
  for (const id of OWN_COMMANDS) {
    assert.ok(declared.has(id), `${id} is declared`);
    assert.ok(extensionSource.includes(`registerCommand('${id}'`), `${id} is registered in extension.ts`);
  }
  const used = [
    ...Object.values(contributes.menus).flat().map((m) => m.command),
    ...contributes.keybindings.map((k) => k.command),
  ];
  for (const id of used) assert.ok(declared.has(id), `${id} used in a menu or keybinding is declared`);
});

test('Run / Debug buttons: codicons in the editor title and the Explorer menu, for .wasm only', () => {
  const byId = new Map(contributes.commands.map((c) => [c.command, c]));
  assert.equal(byId.get('wasi-debug.runWasm')!.icon, '$(run)');
  assert.equal(byId.get('wasi-debug.debugWasm')!.icon, '$(debug-alt)');
  assert.equal(byId.get('wasi-debug.sendEOF')!.title, 'Send EOF to Program');
  assert.equal(byId.get('wasi-debug.sendEOF')!.category, 'WASI');
  for (const menu of ['editor/title', 'explorer/context']) {
    const entries = contributes.menus[menu]!.filter((m) => m.command === 'wasi-debug.runWasm' || m.command === 'wasi-debug.debugWasm');
    assert.equal(entries.length, 2, menu);
    for (const entry of entries) assert.equal(entry.when, 'resourceExtname == .wasm', `${menu} ${entry.command}`);
  }
  assert.deepEqual(
    contributes.keybindings.find((k) => k.command === 'wasi-debug.sendEOF'),
    { command: 'wasi-debug.sendEOF', key: 'ctrl+d', when: "inDebugRepl && debugType == 'wasi'" },
  );
});

test('WebAssembly text language: .wat/.wast, its grammar and configuration files exist', () => {
  assert.deepEqual(contributes.languages.find((l) => l.id === 'wat')!.extensions, ['.wat', '.wast']);
  const grammar = contributes.grammars.find((g) => g.language === 'wat')!;
  assert.equal(grammar.scopeName, 'source.wat');
  const grammarJson = JSON.parse(readFileSync(path.join(root, grammar.path), 'utf8')) as { scopeName: string };
  assert.equal(grammarJson.scopeName, 'source.wat');
  const languageConfig = JSON.parse(readFileSync(path.join(root, 'language-configuration.json'), 'utf8')) as {
    comments: { lineComment: string; blockComment: [string, string] };
    brackets: string[][];
  };
  assert.deepEqual(languageConfig.comments, { lineComment: ';;', blockComment: ['(;', ';)'] });
  assert.deepEqual(languageConfig.brackets, [['(', ')']]);
});

test('the extension icon is a 128×128 PNG', () => {
  const png = readFileSync(path.join(root, pkg.icon));
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(png.readUInt32BE(16), 128);
  assert.equal(png.readUInt32BE(20), 128);
});
