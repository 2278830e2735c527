// extension.ts and configurationProvider.ts against a recording `vscode` double: activation, the inline adapter running a
// real module, trace output channel, commands, and F5 without launch.json.
import Module = require('node:module');
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');
const fixtures = path.join(root, 'test', 'fixtures', 'dap');

// ---- the double ----

type Listener<T> = (event: T) => unknown;
class Emitter<T> {
  private readonly listeners: Array<Listener<T>> = [];
  readonly event = (listener: Listener<T>) => {
    this.listeners.push(listener);
    return { dispose: () => undefined };
  };
  fire(event: T): void {
    for (const listener of this.listeners) listener(event);
  }
}

class Uri {
  private constructor(readonly scheme: string, readonly fsPath: string) {}
  static file(fsPath: string): Uri {
    return new Uri('file', fsPath);
  }
  toString(): string {
    return `${this.scheme}://${this.fsPath}`;
  }
}
class TabInputText {
  constructor(readonly uri: Uri) {}
}
class TabInputCustom {
  constructor(readonly uri: Uri, readonly viewType: string) {}
}
class TabInputNotebook {
  constructor(readonly uri: Uri) {}
}
class RelativePattern {
  constructor(readonly base: unknown, readonly pattern: string) {}
}
class DebugAdapterInlineImplementation {
  constructor(readonly implementation: unknown) {}
}

interface FakeSession {
  id: string;
  type: string;
  name: string;
  configuration: Record<string, unknown>;
  workspaceFolder?: { uri: Uri };
  customRequest(command: string, args?: unknown): Promise<unknown>;
}

const record = {
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  factories: new Map<string, { createDebugAdapterDescriptor(session: FakeSession): unknown }>(),
  providers: [] as Array<{ type: string; provider: Record<string, (...args: unknown[]) => unknown>; trigger?: number }>,
  channels: new Map<string, { text: string; shown: number }>(),
  started: [] as Array<{ folder: unknown; config: Record<string, unknown>; options: unknown }>,
  messages: [] as Array<[string, string]>,
  quickPicks: [] as Array<{ items: Array<{ label: string; description: string }>; answer: number | undefined }>,
  wasmFiles: [] as string[],
  activeTab: undefined as unknown,
  activeDebugSession: undefined as FakeSession | undefined,
  views: { added: [] as Array<[string, string, unknown]>, ended: [] as string[] },
};
const customEvents = new Emitter<{ session: FakeSession; event: string; body: unknown }>();
const startedSessions = new Emitter<FakeSession>();
const terminatedSessions = new Emitter<FakeSession>();
const workspaceFolder = { uri: Uri.file(fixtures), name: 'dap', index: 0 };

const vscodeDouble = {
  Uri,
  TabInputText,
  TabInputCustom,
  TabInputNotebook,
  RelativePattern,
  DebugAdapterInlineImplementation,
  DebugConfigurationProviderTriggerKind: { Initial: 1, Dynamic: 2 },
  window: {
    createOutputChannel(name: string) {
      const channel = { text: '', shown: 0 };
      record.channels.set(name, channel);
      return {
        append: (text: string) => (channel.text += text),
        appendLine: (text: string) => (channel.text += text + '\n'),
        show: () => (channel.shown += 1),
        dispose: () => undefined,
      };
    },
    tabGroups: {
      get activeTabGroup() {
        return { activeTab: record.activeTab === undefined ? undefined : { input: record.activeTab } };
      },
    },
    activeTextEditor: undefined,
    async showQuickPick(items: Array<{ label: string; description: string }>) {
      const script = record.quickPicks.find((q) => q.items.length === 0);
      if (script === undefined) throw new Error('unexpected quick pick');
      script.items = items;
      return script.answer === undefined ? undefined : items[script.answer];
    },
    showErrorMessage: async (message: string) => record.messages.push(['error', message]),
    showWarningMessage: async (message: string) => record.messages.push(['warning', message]),
    showInformationMessage: async (message: string) => record.messages.push(['info', message]),
  },
  commands: {
    registerCommand(id: string, handler: (...args: unknown[]) => unknown) {
      record.commands.set(id, handler);
      return { dispose: () => undefined };
    },
  },
  workspace: {
    workspaceFolders: [workspaceFolder],
    getWorkspaceFolder: (uri: Uri) => (uri.fsPath.startsWith(fixtures) ? workspaceFolder : undefined),
    findFiles: async () => record.wasmFiles.map((file) => Uri.file(file)),
  },
  debug: {
    registerDebugAdapterDescriptorFactory(type: string, factory: { createDebugAdapterDescriptor(session: FakeSession): unknown }) {
      record.factories.set(type, factory);
      return { dispose: () => undefined };
    },
    registerDebugConfigurationProvider(type: string, provider: Record<string, (...args: unknown[]) => unknown>, trigger?: number) {
      record.providers.push({ type, provider, trigger });
      return { dispose: () => undefined };
    },
    onDidReceiveDebugSessionCustomEvent: customEvents.event,
    onDidStartDebugSession: startedSessions.event,
    onDidTerminateDebugSession: terminatedSessions.event,
    async startDebugging(folder: unknown, config: Record<string, unknown>, options: unknown) {
      record.started.push({ folder, config, options });
      return true;
    },
    get activeDebugSession() {
      return record.activeDebugSession;
    },
  },
};

const viewsDouble = {
  registerVfsViews: () => ({
    addSession: (id: string, label: string, process: unknown) => record.views.added.push([id, label, process]),
    sessionEnded: (id: string) => record.views.ended.push(id),
  }),
};

// `require('vscode')` and the views module resolve to the doubles, as the extension host provides `vscode`.
const doubles = new Map<string, unknown>([
  ['vscode', vscodeDouble],
  [path.join(root, 'out', 'src', 'views', 'index.js'), viewsDouble],
]);
type Resolve = (request: string, parent: unknown, ...rest: unknown[]) => string;
const moduleInternals = Module as unknown as { _resolveFilename: Resolve; _cache: Record<string, unknown> };
const originalResolve = moduleInternals._resolveFilename;
moduleInternals._resolveFilename = function (request: string, parent: unknown, ...rest: unknown[]): string {
  if (request === 'vscode') return 'vscode-double';
  return originalResolve.call(this, request, parent, ...rest);
};
for (const [key, double] of doubles) {
  const id = key === 'vscode' ? 'vscode-double' : key;
  moduleInternals._cache[id] = { id, filename: id, loaded: true, exports: double };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const extension = require('../../src/extension') as typeof import('../../src/extension');
const context = { subscriptions: [] as unknown[], extensionPath: root };
extension.activate(context as unknown as import('vscode').ExtensionContext);

function fakeSession(id: string, configuration: Record<string, unknown> = {}): FakeSession {
  return { id, type: 'wasi', name: `session ${id}`, configuration, workspaceFolder, customRequest: async () => undefined };
}

// ---- tests ----

test('activation registers the inline adapter factory, both configuration providers, commands and the trace channel', () => {
  assert.ok(record.factories.has('wasi'));
  assert.deepEqual(
    record.providers.map((p) => [p.type, p.trigger]),
    [
      ['wasi', undefined],
      ['wasi', 2],
    ],
  );
  for (const id of ['wasi-debug.runWasm', 'wasi-debug.debugWasm', 'wasi-debug.pickWasmFile', 'wasi-debug.sendEOF']) {
    assert.ok(record.commands.has(id), id);
  }
  assert.ok(record.channels.has('WASI Trace'));
});

test('the inline adapter runs a real module in a worker of this process and hands its process to the views', async () => {
  const descriptor = record.factories.get('wasi')!.createDebugAdapterDescriptor(fakeSession('s1')) as DebugAdapterInlineImplementation;
  assert.ok(descriptor instanceof DebugAdapterInlineImplementation);
  const adapter = descriptor.implementation as {
    handleMessage(message: unknown): void;
    onDidSendMessage(listener: (message: { type: string; event?: string; body?: { category?: string; output?: string } }) => void): unknown;
  };
  let stdout = '';
  const terminated = new Promise<void>((resolve) => {
    adapter.onDidSendMessage((message) => {
      if (message.type === 'event' && message.event === 'output' && message.body?.category === 'stdout') stdout += message.body.output;
      if (message.type === 'event' && message.event === 'terminated') resolve();
    });
  });
  adapter.handleMessage({ seq: 1, type: 'request', command: 'initialize', arguments: { adapterID: 'wasi', pathFormat: 'path' } });
  // A relative program resolves against the session's workspace folder.
  adapter.handleMessage({ seq: 2, type: 'request', command: 'launch', arguments: { type: 'wasi', request: 'launch', name: 'hello run', program: 'hello.wasm' } });
  adapter.handleMessage({ seq: 3, type: 'request', command: 'configurationDone', arguments: {} });
  await terminated;
  assert.match(stdout, /^hello from wasi\n/);
  assert.equal(record.views.added.length, 1);
  assert.equal(record.views.added[0]![0], 's1');
  assert.equal(record.views.added[0]![1], 'hello run');
  terminatedSessions.fire(fakeSession('s1'));
  assert.deepEqual(record.views.ended, ['s1']);
});

test('wasiTrace events go to the WASI Trace channel, with the session name while several sessions run', () => {
  const channel = record.channels.get('WASI Trace')!;
  channel.text = '';
  // Read through a function: assert.equal narrows a property it has compared to a literal.
  const text = (): string => channel.text;
  const a = fakeSession('a', { trace: true });
  startedSessions.fire(a);
  assert.equal(text(), '--- session a: syscall trace ---\n');
  assert.equal(channel.shown, 1);
  const records = [{ name: 'fd_write', args: 'fd=1', result: '0 (success)', durationUs: 3 }];
  customEvents.fire({ session: a, event: 'wasiTrace', body: { records } });
  assert.equal(text(), '--- session a: syscall trace ---\nfd_write(fd=1) → 0 (success) 3µs\n');
  const b = fakeSession('b');
  startedSessions.fire(b);
  customEvents.fire({ session: a, event: 'wasiTrace', body: { records } });
  assert.match(text(), /\n\[session a\] fd_write\(fd=1\) → 0 \(success\) 3µs\n$/);
  customEvents.fire({ session: a, event: 'somethingElse', body: { records } });
  customEvents.fire({ session: a, event: 'wasiTrace', body: { records: [] } });
  assert.equal(text().split('\n').filter(Boolean).length, 3, 'other events and empty batches add nothing');
  terminatedSessions.fire(a);
  terminatedSessions.fire(b);
});

test('Send EOF: custom request to the active wasi session; a warning when there is none', async () => {
  const requests: string[] = [];
  record.activeDebugSession = { ...fakeSession('e'), customRequest: async (command: string) => requests.push(command) };
  await record.commands.get('wasi-debug.sendEOF')!();
  assert.deepEqual(requests, ['sendEOF']);
  record.activeDebugSession = { ...fakeSession('n'), type: 'node' };
  record.messages.length = 0;
  await record.commands.get('wasi-debug.sendEOF')!();
  assert.deepEqual(record.messages, [['warning', 'WASI: no WASI debug session is active, so there is no stdin to close.']]);
  record.activeDebugSession = {
    ...fakeSession('x'),
    customRequest: async () => {
      throw new Error('wasi: the program is not running, so there is no stdin to close');
    },
  };
  record.messages.length = 0;
  await record.commands.get('wasi-debug.sendEOF')!();
  assert.deepEqual(record.messages, [['warning', 'wasi: the program is not running, so there is no stdin to close']]);
  record.activeDebugSession = undefined;
});

test('Run / Debug WASI Module on an Explorer resource start it with and without debugging', async () => {
  record.started.length = 0;
  await record.commands.get('wasi-debug.runWasm')!(Uri.file(path.join(fixtures, 'hello.wasm')));
  await record.commands.get('wasi-debug.debugWasm')!(Uri.file(path.join(fixtures, 'echo.wasm')));
  assert.deepEqual(
    record.started.map((s) => [s.folder, s.config, s.options]),
    [
      [workspaceFolder, { type: 'wasi', request: 'launch', name: 'Run hello.wasm', program: '${workspaceFolder}/hello.wasm', noDebug: true }, { noDebug: true }],
      [workspaceFolder, { type: 'wasi', request: 'launch', name: 'Debug echo.wasm', program: '${workspaceFolder}/echo.wasm' }, { noDebug: false }],
    ],
  );
});

test('F5 without launch.json: the active .wasm tab runs; otherwise the user picks, and dismissing cancels', async () => {
  const provider = record.providers.find((p) => p.trigger === undefined)!.provider;
  record.activeTab = new TabInputCustom(Uri.file(path.join(fixtures, 'trap.wasm')), 'hexEditor.hexedit');
  assert.deepEqual(await provider.resolveDebugConfiguration!(workspaceFolder, {}), {
    type: 'wasi',
    request: 'launch',
    name: 'Debug trap.wasm',
    program: '${workspaceFolder}/trap.wasm',
  });

  record.activeTab = new TabInputText(Uri.file(path.join(fixtures, 'notes.md')));
  record.wasmFiles = [path.join(fixtures, 'loop.wasm'), path.join(fixtures, 'echo.wasm')];
  record.quickPicks.push({ items: [], answer: 1 });
  assert.deepEqual(await provider.resolveDebugConfiguration!(workspaceFolder, { noDebug: true }), {
    type: 'wasi',
    request: 'launch',
    name: 'Run loop.wasm',
    program: '${workspaceFolder}/loop.wasm',
    noDebug: true,
  });
  assert.deepEqual(record.quickPicks[0]!.items.map((i) => i.label), ['echo.wasm', 'loop.wasm']);

  record.quickPicks.length = 0;
  record.quickPicks.push({ items: [], answer: undefined });
  assert.equal(await provider.resolveDebugConfiguration!(workspaceFolder, {}), undefined);

  record.wasmFiles = [];
  record.messages.length = 0;
  assert.equal(await provider.resolveDebugConfiguration!(workspaceFolder, {}), undefined);
  assert.equal(record.messages[0]![0], 'info');
  assert.match(record.messages[0]![1], /no \.wasm file to run/);
  record.activeTab = undefined;
});

test('initial and dynamic configurations list the workspace modules', async () => {
  record.wasmFiles = [path.join(fixtures, 'hello.wasm')];
  const initial = record.providers.find((p) => p.trigger === undefined)!.provider;
  const dynamic = record.providers.find((p) => p.trigger === 2)!.provider;
  const expected = [{ type: 'wasi', request: 'launch', name: 'Run hello.wasm', program: '${workspaceFolder}/hello.wasm' }];
  assert.deepEqual(await initial.provideDebugConfigurations!(workspaceFolder), expected);
  assert.deepEqual(await dynamic.provideDebugConfigurations!(workspaceFolder), expected);
});
