// Unit tests of the "Standard streams" nodes of the WASI Filesystem view: where stdin comes from and stdout/stderr go
// (Debug Console, host files, text, nothing), what clicking them does, and that the stdio setup reaches the view.

import './vscodeStub/register';
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { testHooks } from './vscodeStub/vscode';
import { registerVfsViews } from '../../src/views/index';
import { SessionRegistry } from '../../src/views/sessions';
import { guestPathOfHostFile, type StdioSetup } from '../../src/views/stdioSetup';
import { present, tooltipOf } from '../../src/views/treePresentation';
import { COMMANDS, registerVfsCommands } from '../../src/views/vfsCommands';
import type { StreamNode, TreeNode } from '../../src/views/vfsTreeModel';
import { FOCUS_DEBUG_CONSOLE_COMMAND, VfsTreeDataProvider } from '../../src/views/vfsTreeProvider';
import { FakeProcess, MemoryVfs } from './viewsSupport/memoryVfs';
import { ManualClock } from './viewsSupport/manualClock';
import { sync } from './viewsSupport/syncChildren';

beforeEach(() => testHooks.reset());

const CONSOLE: StdioSetup = { stdin: { kind: 'console' }, stdout: { kind: 'console' }, stderr: { kind: 'console' } };

function setup(stdio: StdioSetup | undefined) {
  const vfs = new MemoryVfs();
  vfs.mount({ guestPath: '/out', hostPath: '/ws/out', read: true, write: true, create: true });
  vfs.guestWrite('/hello.txt', 'hi');
  vfs.flushChanges();
  const process = new FakeProcess(vfs);
  const registry = new SessionRegistry();
  registry.add('s1', 'streams.wasm', process, stdio);
  const tree = new VfsTreeDataProvider(registry, { clock: new ManualClock() });
  const [root] = tree.getChildren();
  const kids = sync(tree.getChildren(root));
  const group = kids[0];
  const streams = group.kind === 'streams' ? (sync(tree.getChildren(group)) as StreamNode[]) : [];
  return { vfs, process, registry, tree, root, kids, group, streams };
}

function labels(tree: VfsTreeDataProvider, nodes: TreeNode[]): string[] {
  return nodes.map((n) => String(tree.getTreeItem(n).label));
}

test('a session launched from the Debug Console shows its streams first, each connected to the Debug Console', () => {
  const { tree, root, kids, group, streams } = setup(CONSOLE);
  assert.deepEqual(labels(tree, kids), ['Standard streams', 'out', 'hello.txt'], 'the streams come before the guest\'s "/"');
  const g = tree.getTreeItem(group);
  assert.equal(g.id, 's1:streams');
  assert.equal(g.description, 'Debug Console');
  assert.equal((g.iconPath as vscode.ThemeIcon).id, 'arrow-swap');
  assert.equal(g.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
  assert.equal(g.contextValue, 'streams');
  assert.equal(g.command, undefined);
  assert.equal(
    tooltipOf(group),
    'Standard streams of "streams.wasm"\nstdin: what you type in the Debug Console\nstdout: shown in the Debug Console\nstderr: shown in the Debug Console\n' +
      'Set them with "stdin", "stdout" and "stderr" in the launch configuration.',
  );

  assert.deepEqual(labels(tree, streams), ['stdin', 'stdout', 'stderr']);
  const items = streams.map((s) => tree.getTreeItem(s));
  assert.deepEqual(items.map((i) => i.id), ['s1:streams:stdin', 's1:streams:stdout', 's1:streams:stderr']);
  assert.deepEqual(items.map((i) => i.description), ['Debug Console input', 'Debug Console', 'Debug Console']);
  assert.deepEqual(items.map((i) => (i.iconPath as vscode.ThemeIcon).id), ['debug-console', 'debug-console', 'debug-console']);
  assert.deepEqual(items.map((i) => i.contextValue), ['stream stdin console', 'stream stdout console', 'stream stderr console']);
  assert.deepEqual(items.map((i) => i.collapsibleState), [0, 0, 0]);
  for (const item of items) assert.deepEqual(item.command, { command: FOCUS_DEBUG_CONSOLE_COMMAND, title: 'Show Debug Console' });
  assert.equal(FOCUS_DEBUG_CONSOLE_COMMAND, 'workbench.panel.repl.view.focus');
  assert.equal(
    tooltipOf(streams[0]),
    'stdin: what you type in the Debug Console\nSet by launch.json "stdin"\nClick to show the Debug Console.\nEnd the input with "WASI: Send EOF to Program" (Ctrl+D in the Debug Console).',
  );
  assert.equal(tooltipOf(streams[2]), 'stderr: shown in the Debug Console\nSet by launch.json "stderr"\nClick to show the Debug Console.');

  assert.equal(tree.getParent(streams[1]), group);
  assert.equal(tree.getParent(group), root);
  assert.equal(tree.dropTargetOf(group), undefined, 'nothing can be dropped onto a stream');
  assert.equal(tree.dropTargetOf(streams[0]), undefined);
  tree.dispose();
});

test('streams from and to host files show the file, open it on click, and say where the module sees it', () => {
  const { tree, group, streams } = setup({
    stdin: { kind: 'file', hostPath: '/ws/input.txt' },
    stdout: { kind: 'file', hostPath: '/ws/out/log.txt', append: false },
    stderr: { kind: 'file', hostPath: '/ws/out/errors.txt', append: true },
  });
  assert.equal(tree.getTreeItem(group).description, 'stdin: input.txt · stdout: log.txt · stderr: errors.txt');
  const [stdin, stdout, stderr] = streams.map((s) => tree.getTreeItem(s));
  assert.equal(stdin.description, '← /ws/input.txt');
  assert.equal(stdout.description, '→ /ws/out/log.txt');
  assert.equal(stderr.description, '→ /ws/out/errors.txt · append');
  assert.deepEqual([stdin, stdout, stderr].map((i) => (i.iconPath as vscode.ThemeIcon).id), ['file', 'file', 'file']);
  assert.deepEqual([stdin, stdout, stderr].map((i) => i.contextValue), ['stream stdin hostFile', 'stream stdout hostFile', 'stream stderr hostFile']);
  assert.deepEqual(stdout.command, { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file('/ws/out/log.txt')] });
  assert.deepEqual(stdin.command, { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file('/ws/input.txt')] });
  assert.equal(tooltipOf(streams[0]), 'stdin: read from /ws/input.txt\nSet by launch.json "stdin"\nClick to open the file.');
  assert.equal(tooltipOf(streams[1]), 'stdout: written to /ws/out/log.txt (the module sees it as /out/log.txt)\nSet by launch.json "stdout"\nClick to open the file.');
  assert.equal(tooltipOf(streams[2]), 'stderr: appended to /ws/out/errors.txt (the module sees it as /out/errors.txt)\nSet by launch.json "stderr"\nClick to open the file.');
  tree.dispose();
});

test('stdin from launch.json text and discarded output: described, nothing to click', () => {
  const text = new TextEncoder().encode('first line\nsecond line\n');
  const { tree, group, streams } = setup({ stdin: { kind: 'bytes', data: text }, stdout: { kind: 'null' }, stderr: { kind: 'console' } });
  assert.equal(tree.getTreeItem(group).description, 'stdin: text · stdout: none · stderr: console');
  const [stdin, stdout] = streams.map((s) => tree.getTreeItem(s));
  assert.equal(stdin.description, 'text · 23 B');
  assert.equal((stdin.iconPath as vscode.ThemeIcon).id, 'quote');
  assert.equal(stdin.contextValue, 'stream stdin text');
  assert.equal(stdin.command, undefined);
  assert.equal(tooltipOf(streams[0]), 'stdin: the text given in the launch configuration (23 bytes)\nSet by launch.json "stdin"\nText:\n  first line\n  second line');
  assert.equal(stdout.description, 'discarded');
  assert.equal((stdout.iconPath as vscode.ThemeIcon).id, 'circle-slash');
  assert.equal(stdout.contextValue, 'stream stdout none');
  assert.equal(stdout.command, undefined);
  assert.equal(tooltipOf(streams[1]), 'stdout: discarded\nSet by launch.json "stdout"');
  tree.dispose();
});

test('stdin "none", and a long text shortened in the hover', () => {
  const none = setup({ stdin: { kind: 'none' }, stdout: { kind: 'console' }, stderr: { kind: 'console' } });
  const item = none.tree.getTreeItem(none.streams[0]);
  assert.equal(item.description, 'none · end of input at once');
  assert.equal((item.iconPath as vscode.ThemeIcon).id, 'circle-slash');
  assert.equal(item.contextValue, 'stream stdin none');
  assert.equal(tooltipOf(none.streams[0]), 'stdin: empty (the module reads end of input at once)\nSet by launch.json "stdin"');
  none.tree.dispose();

  const lines = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`);
  lines[0] = 'x'.repeat(130);
  const long = setup({ stdin: { kind: 'bytes', data: new TextEncoder().encode(lines.join('\n')) }, stdout: { kind: 'console' }, stderr: { kind: 'console' } });
  const hover = tooltipOf(long.streams[0]).split('\n');
  assert.deepEqual(hover.slice(3), [`  ${'x'.repeat(120)}…`, '  line 2', '  line 3', '  line 4', '  line 5', '  line 6', '  line 7', '  line 8', '  … 2 more lines']);
  long.tree.dispose();
});

test('without a stdio description (another launcher) the session shows only its filesystem', () => {
  const { tree, kids } = setup(undefined);
  assert.deepEqual(labels(tree, kids), ['out', 'hello.txt']);
  tree.dispose();
});

test('the streams keep their identity across refreshes and live updates; a refresh of the root keeps them first', () => {
  const { tree, root, group, streams, vfs } = setup(CONSOLE);
  vfs.guestWrite('/new.txt', 'n');
  vfs.flushChanges();
  tree.refresh();
  const again = sync(tree.getChildren(root));
  assert.equal(again[0], group);
  assert.deepEqual(labels(tree, again), ['Standard streams', 'out', 'hello.txt', 'new.txt']);
  assert.deepEqual(sync(tree.getChildren(group)), streams);
  tree.dispose();
});

test('file commands refuse stream nodes with a clear message instead of acting on a wrong path', async () => {
  const { tree, registry, streams } = setup(CONSOLE);
  const treeView = vscode.window.createTreeView<TreeNode>('wasiDebug.vfs', { treeDataProvider: tree });
  const disposables = registerVfsCommands(registry, tree, treeView);
  try {
    await vscode.commands.executeCommand(COMMANDS.copyGuestPath, streams[1]);
    assert.equal(testHooks.clipboard, '');
    assert.deepEqual(testHooks.messages, [{ level: 'info', text: 'Select a file or folder in the WASI Filesystem view first.' }]);
  } finally {
    disposables.forEach((d) => d.dispose());
    tree.dispose();
  }
});

test('registerVfsViews passes the stdio setup of addSession through to the tree', () => {
  const subscriptions: { dispose(): unknown }[] = [];
  const views = registerVfsViews({ subscriptions } as unknown as vscode.ExtensionContext);
  try {
    const vfs = new MemoryVfs();
    views.addSession('s9', 'piped.wasm', new FakeProcess(vfs), { stdin: { kind: 'none' }, stdout: { kind: 'file', hostPath: '/tmp/o.txt', append: false }, stderr: { kind: 'console' } });
    const view = subscriptions.find((s): s is { options: { treeDataProvider: VfsTreeDataProvider } } & { dispose(): unknown } => 'options' in s);
    assert.ok(view, 'the tree view is among the subscriptions');
    const tree = view.options.treeDataProvider;
    const [root] = tree.getChildren();
    const [group] = sync(tree.getChildren(root));
    assert.equal(present(group).description, 'stdin: none · stdout: o.txt · stderr: console');
  } finally {
    for (const s of subscriptions) s.dispose();
  }
});

test('guestPathOfHostFile finds the innermost mount holding a host file', () => {
  const mounts = [
    { guestPath: '/', hostPath: '/srv/root', read: true, write: true, create: true },
    { guestPath: '/data', hostPath: '/srv/root/data-host', read: true, write: false, create: false },
    { guestPath: '/cache', hostPath: 'C:\\cache\\', read: true, write: true, create: true },
  ];
  assert.equal(guestPathOfHostFile(mounts, '/srv/root/a/b.txt'), '/a/b.txt');
  assert.equal(guestPathOfHostFile(mounts, '/srv/root/data-host/x.csv'), '/data/x.csv');
  assert.equal(guestPathOfHostFile(mounts, '/srv/root'), '/');
  assert.equal(guestPathOfHostFile(mounts, '/srv/rooted/a.txt'), undefined, 'a sibling with a longer name is not inside');
  assert.equal(guestPathOfHostFile(mounts, 'C:\\cache\\log.txt'), '/cache/log.txt');
  assert.equal(guestPathOfHostFile([], '/x'), undefined);
});
