// Unit tests of the VS Code-facing parts over the vscode test double: the wasi-vfs: file system provider (stat, list,
// read, write, rename, delete, watch events, read-only mounts, edits while the module runs) and the tree data
// provider (items, live updates, session lifecycle, drag and drop).

import './vscodeStub/register';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SessionRegistry } from '../../src/views/sessions';
import { WasiVfsFileSystemProvider, guestUri } from '../../src/views/vfsFileSystemProvider';
import { VfsTreeDataProvider, VFS_TREE_MIME, parseUriList } from '../../src/views/vfsTreeProvider';
import type { EntryNode, TreeNode } from '../../src/views/vfsTreeModel';
import { sync } from './viewsSupport/syncChildren';
import { FakeProcess, MemoryVfs } from './viewsSupport/memoryVfs';
import { ManualClock } from './viewsSupport/manualClock';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

function fsSetup() {
  const vfs = new MemoryVfs();
  vfs.mount({ guestPath: '/ro', hostPath: '/host/ro', read: true, write: false, create: false });
  vfs.guestWrite('/ro/fixed.txt', 'fixed');
  vfs.guestMkdir('/tmp');
  vfs.guestWrite('/tmp/out.txt', 'hello');
  vfs.guestSymlink('/tmp/link', 'out.txt');
  vfs.guestSymlink('/tmp/dirlink', '/ro');
  vfs.flushChanges();
  const process = new FakeProcess(vfs);
  const registry = new SessionRegistry();
  const session = registry.add('sess', 'prog.wasm', process);
  const provider = new WasiVfsFileSystemProvider(registry);
  const uri = (p: string): vscode.Uri => guestUri('sess', p);
  return { vfs, process, registry, session, provider, uri };
}

async function rejectsWith(p: Promise<unknown> | (() => unknown), code: string, message?: RegExp): Promise<void> {
  await assert.rejects(async () => (typeof p === 'function' ? p() : p), (e: unknown) => {
    assert.ok(e instanceof vscode.FileSystemError, `a FileSystemError, got ${String(e)}`);
    assert.equal(e.code, code);
    if (message) assert.match(e.message, message);
    return true;
  });
}

test('stat follows symlinks, marks them, and reports read-only mounts', async () => {
  const { provider, uri } = fsSetup();
  const file = provider.stat(uri('/tmp/out.txt'));
  assert.equal(file.type, vscode.FileType.File);
  assert.equal(file.size, 5);
  assert.equal(file.permissions, undefined);
  assert.equal(provider.stat(uri('/tmp')).type, vscode.FileType.Directory);
  assert.equal(provider.stat(uri('/tmp/link')).type, vscode.FileType.File | vscode.FileType.SymbolicLink);
  assert.equal(provider.stat(uri('/tmp/dirlink')).type, vscode.FileType.Directory | vscode.FileType.SymbolicLink);
  assert.equal(provider.stat(uri('/ro/fixed.txt')).permissions, vscode.FilePermission.Readonly);
  await rejectsWith(() => provider.stat(uri('/nope')), 'FileNotFound', /\/nope: ENOENT/);
  await rejectsWith(() => provider.stat(guestUri('gone', '/x')), 'FileNotFound', /No WASI session gone .* \/x/);
  await rejectsWith(() => provider.stat(vscode.Uri.from({ scheme: 'wasi-vfs', authority: 'sess', path: '/tmp/../ro' })), 'FileNotFound', /contains "\.\."/);
});

test('readDirectory lists names with types, links with their target type', () => {
  const { provider, uri } = fsSetup();
  assert.deepEqual(provider.readDirectory(uri('/tmp')), [
    ['out.txt', vscode.FileType.File],
    ['link', vscode.FileType.File | vscode.FileType.SymbolicLink],
    ['dirlink', vscode.FileType.Directory | vscode.FileType.SymbolicLink],
  ]);
  assert.throws(() => provider.readDirectory(uri('/tmp/out.txt')), (e: unknown) => (e as vscode.FileSystemError).code === 'FileNotADirectory');
});

test('readFile returns the exact bytes; directories are refused', () => {
  const { provider, uri, vfs } = fsSetup();
  vfs.guestWrite('/bin.dat', new Uint8Array([0, 255, 1, 128]));
  assert.deepEqual([...provider.readFile(uri('/bin.dat'))], [0, 255, 1, 128]);
  assert.equal(dec(provider.readFile(uri('/tmp/link'))), 'hello');
  assert.throws(() => provider.readFile(uri('/tmp')), (e: unknown) => (e as vscode.FileSystemError).code === 'FileIsADirectory');
});

test('writeFile while the module runs resolves only once the module reached its next syscall, with the exact bytes', async () => {
  const { provider, uri, vfs } = fsSetup();
  let done = false;
  const saving = provider.writeFile(uri('/tmp/out.txt'), enc('edited'), { create: true, overwrite: true }).then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(done, false, 'not applied before the syscall');
  assert.equal(dec(vfs.readFile('/tmp/out.txt')), 'hello');
  vfs.syscall();
  await saving;
  assert.equal(dec(vfs.readFile('/tmp/out.txt')), 'edited');
});

test('an edit waiting long for the module says so in the status bar until it lands', async () => {
  const { provider, uri, vfs } = fsSetup();
  const { testHooks } = await import('./vscodeStub/vscode');
  testHooks.reset();
  const saving = provider.writeFile(uri('/tmp/out.txt'), enc('slow'), { create: true, overwrite: true });
  await new Promise((r) => setTimeout(r, 600));
  assert.deepEqual(testHooks.statusBar, ["$(sync~spin) WASI: saving /tmp/out.txt — waits for the module's next system call (is it paused in the debugger?)"]);
  vfs.syscall();
  await saving;
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(testHooks.statusBar, []);
});

test('writeFile honours create/overwrite, refuses directories and read-only mounts with a clear message', async () => {
  const { provider, uri, process } = fsSetup();
  process.exit({ kind: 'exit', code: 0 });
  await rejectsWith(provider.writeFile(uri('/tmp/new.txt'), enc('x'), { create: false, overwrite: true }), 'FileNotFound');
  await rejectsWith(provider.writeFile(uri('/tmp/out.txt'), enc('x'), { create: true, overwrite: false }), 'FileExists');
  await rejectsWith(provider.writeFile(uri('/tmp'), enc('x'), { create: true, overwrite: true }), 'FileIsADirectory');
  await rejectsWith(provider.writeFile(uri('/ro/fixed.txt'), enc('x'), { create: true, overwrite: true }), 'NoPermissions', /is in the host mount \/ro \(\/host\/ro\), which the launch configuration mounts without write permission/);
  await rejectsWith(provider.writeFile(uri('/missing/dir/f'), enc('x'), { create: true, overwrite: true }), 'FileNotFound', /ENOENT/);
  await provider.writeFile(uri('/tmp/new.txt'), enc('new'), { create: true, overwrite: false });
  assert.equal(dec(provider.readFile(uri('/tmp/new.txt'))), 'new');
});

test('createDirectory, rename and delete reach the VFS; mount points and the root are protected', async () => {
  const { provider, uri, process, vfs } = fsSetup();
  process.exit({ kind: 'exit', code: 0 });
  await provider.createDirectory(uri('/tmp/sub'));
  assert.equal(vfs.lstat('/tmp/sub').kind, 'directory');
  await rejectsWith(provider.createDirectory(uri('/tmp/sub')), 'FileExists');
  await provider.rename(uri('/tmp/out.txt'), uri('/tmp/sub/moved.txt'), { overwrite: false });
  assert.equal(dec(vfs.readFile('/tmp/sub/moved.txt')), 'hello');
  await provider.writeFile(uri('/tmp/other'), enc('o'), { create: true, overwrite: false });
  await rejectsWith(provider.rename(uri('/tmp/other'), uri('/tmp/sub/moved.txt'), { overwrite: false }), 'FileExists');
  await provider.rename(uri('/tmp/other'), uri('/tmp/sub/moved.txt'), { overwrite: true });
  assert.equal(dec(vfs.readFile('/tmp/sub/moved.txt')), 'o');
  await rejectsWith(provider.delete(uri('/tmp/sub'), { recursive: false }), 'Unavailable', /ENOTEMPTY/);
  await provider.delete(uri('/tmp/sub'), { recursive: true });
  assert.throws(() => vfs.lstat('/tmp/sub'), /ENOENT/);
  await rejectsWith(provider.delete(uri('/ro'), { recursive: true }), 'NoPermissions', /mount point of the host directory \/host\/ro/);
  await rejectsWith(provider.delete(uri('/'), { recursive: true }), 'NoPermissions', /root/);
  await rejectsWith(provider.delete(uri('/ro/fixed.txt'), { recursive: false }), 'NoPermissions');
  await rejectsWith(provider.rename(uri('/tmp/link'), guestUri('other', '/x'), { overwrite: false }), 'FileNotFound', /No WASI session other/);
});

test('watch limits change events to watched files; deletions are reported as Deleted', () => {
  const { provider, uri, session, vfs } = fsSetup();
  const events: vscode.FileChangeEvent[][] = [];
  provider.onDidChangeFile((e) => events.push(e));
  const w = provider.watch(uri('/tmp/out.txt'), { recursive: false, excludes: [] });
  provider.watch(uri('/ro'), { recursive: false, excludes: [] });
  vfs.guestWrite('/tmp/out.txt', 'changed');
  vfs.guestUnlink('/tmp/link');
  provider.notifyChanged(session, ['/tmp/out.txt', '/tmp/link', '/elsewhere/x', '/ro/new', '/ro/deep/er']);
  assert.deepEqual(
    events.map((batch) => batch.map((e) => [e.type, e.uri.path])),
    [[[vscode.FileChangeType.Changed, '/tmp/out.txt'], [vscode.FileChangeType.Deleted, '/ro/new']]],
  );
  w.dispose();
  provider.notifyChanged(session, ['/tmp/out.txt']);
  assert.equal(events.length, 1, 'no event once the watch is disposed');
});

function treeSetup() {
  const clock = new ManualClock();
  clock.t = 10_000;
  const registry = new SessionRegistry();
  const tree = new VfsTreeDataProvider(registry, { clock, refreshIntervalMs: 150 });
  const fired: Array<TreeNode | TreeNode[] | undefined> = [];
  tree.onDidChangeTreeData((e) => fired.push(e));
  const start = (id: string, label: string, build?: (vfs: MemoryVfs) => void) => {
    const vfs = new MemoryVfs();
    build?.(vfs);
    vfs.flushChanges();
    const process = new FakeProcess(vfs);
    registry.add(id, label, process);
    return { vfs, process };
  };
  const kids = (n?: TreeNode): string[] => sync(tree.getChildren(n)).map((c) => String(tree.getTreeItem(c).label));
  const find = (parent: TreeNode, name: string): EntryNode => {
    const n = sync(tree.getChildren(parent)).find((c) => c.kind === 'entry' && c.name === name);
    assert.ok(n, `${name} listed`);
    return n as EntryNode;
  };
  return { clock, registry, tree, fired, start, kids, find };
}

test('tree items: ids, descriptions, context values, icons, resource URIs and the open command', () => {
  const { tree, start, find } = treeSetup();
  start('s1', 'files.wasm', (vfs) => {
    vfs.guestWrite('/a.txt', 'abc');
    vfs.guestMkdir('/dir');
  });
  const [root] = tree.getChildren();
  const rootItem = tree.getTreeItem(root);
  assert.equal(rootItem.label, 'files.wasm');
  assert.equal(rootItem.description, 'running');
  assert.equal(rootItem.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
  assert.equal(rootItem.id, 's1:/');
  const item = tree.getTreeItem(find(root, 'a.txt'));
  assert.equal(item.id, 's1:/a.txt');
  assert.equal(item.description, '3 B');
  assert.deepEqual(item.accessibilityInformation, { label: '/a.txt, 3 B' });
  assert.equal(item.iconPath, vscode.ThemeIcon.File);
  assert.equal(item.resourceUri?.toString(), 'wasi-vfs://s1/a.txt');
  assert.equal(item.command?.command, 'vscode.open');
  assert.equal((item.command?.arguments?.[0] as vscode.Uri).toString(), 'wasi-vfs://s1/a.txt');
  const dir = tree.getTreeItem(find(root, 'dir'));
  assert.equal(dir.iconPath, vscode.ThemeIcon.Folder);
  assert.equal(dir.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
  assert.equal(dir.command, undefined);
  assert.equal(item.tooltip, undefined, 'the tooltip waits for a hover');
  assert.match(String(tree.resolveTreeItem(item, find(root, 'a.txt')).tooltip), /^\/a\.txt\n3 bytes\nModified /);
  assert.equal(tree.getTreeItem(find(root, 'a.txt')), item, 'unchanged nodes reuse their item');
  assert.equal(tree.getParent(find(root, 'a.txt')), root);
});

test('live: while the module runs, changes reach the tree as one throttled event naming only the changed directory', async () => {
  const { tree, start, find, fired, clock, kids } = treeSetup();
  const { vfs } = start('s1', 'w.wasm', (v) => v.guestMkdir('/out'));
  const [root] = tree.getChildren();
  const out = find(root, 'out');
  assert.deepEqual(kids(out), []);
  fired.length = 0;
  for (let i = 0; i < 500; i++) vfs.guestWrite(`/out/f${String(i).padStart(3, '0')}`, 'x'.repeat(i));
  vfs.flushChanges();
  for (let i = 500; i < 1000; i++) vfs.guestWrite(`/out/f${String(i).padStart(3, '0')}`, 'y');
  vfs.flushChanges();
  clock.advance(0);
  assert.deepEqual(fired, [[out]]);
  // 1,000 new entries: prepared in slices, so VS Code gets a promise, then every item is ready in the cache.
  const pending = tree.getChildren(out);
  assert.ok(pending instanceof Promise, 'a large listing is prepared asynchronously');
  const listed = await pending;
  assert.equal(listed.length, 1000);
  assert.ok(listed.every((n) => n.itemCache?.revision === n.revision), 'every item prepared');
  assert.equal(kids(out).length, 1000, 'then answered synchronously');
  assert.equal(tree.getTreeItem(find(out, 'f499')).description, '499 B');
  // Nothing else happens until the next change.
  clock.advance(1000);
  assert.equal(fired.length, 1);
  assert.equal(tree.settled, true);
});

test('live after exit: the session stays, marked ended, and main-thread edits still show', async () => {
  const { tree, start, find, fired, clock, kids, registry } = treeSetup();
  const { vfs, process } = start('s1', 'w.wasm', (v) => v.guestWrite('/f', '1'));
  const [root] = tree.getChildren();
  assert.deepEqual(kids(root), ['f']);
  fired.length = 0;
  process.exit({ kind: 'exit', code: 7 });
  assert.deepEqual(fired, [root]);
  assert.equal(tree.getTreeItem(root).description, 'exited with code 7');
  registry.ended('s1');
  assert.equal(tree.getTreeItem(root).description, 'exited with code 7', 'the exit details are kept');
  await vfs.writeFile('/g', enc('2'), { create: true, overwrite: false });
  vfs.flushChanges();
  clock.advance(200);
  assert.deepEqual(kids(root), ['f', 'g']);
  assert.equal(tree.getTreeItem(find(root, 'g')).description, '1 B');
});

test('sessions: one root each while several run; the next launch replaces ended ones; Clear removes ended ones', () => {
  const { tree, start, registry, kids } = treeSetup();
  const a = start('a', 'a.wasm');
  start('b', 'b.wasm');
  assert.deepEqual(kids(), ['a.wasm', 'b.wasm']);
  a.process.exit({ kind: 'exit', code: 0 });
  assert.deepEqual(kids(), ['a.wasm', 'b.wasm'], 'an ended session stays');
  start('c', 'c.wasm');
  assert.deepEqual(kids(), ['b.wasm', 'c.wasm'], 'the next launch replaces the ended session');
  assert.equal(a.vfs.listenerCount, 0, 'its change listener is gone');
  assert.equal(a.process.listenerCount('exit'), 0);
  assert.equal(registry.clearEnded(), 0);
  registry.ended('b');
  assert.equal(registry.clearEnded(), 1);
  assert.deepEqual(kids(), ['c.wasm']);
});

test('Refresh lists afresh what the change stream did not report', () => {
  const { tree, start, fired, kids } = treeSetup();
  const { vfs } = start('s1', 'w.wasm');
  const [root] = tree.getChildren();
  assert.deepEqual(kids(root), []);
  vfs.guestWrite('/silent', 'x'); // not flushed: the tree has not heard of it
  fired.length = 0;
  tree.refresh();
  assert.deepEqual(fired, [undefined]);
  assert.deepEqual(kids(root), ['silent']);
});

test('drag and drop: dropped uri-lists import into the directory; in-tree drags move; drags export wasi-vfs URIs', async () => {
  const { tree, start, find } = treeSetup();
  start('s1', 'w.wasm', (v) => {
    v.guestMkdir('/in');
    v.guestWrite('/in/file.txt', 'x');
    v.guestWrite('/top.txt', 'x');
  });
  const calls: Array<[string, string, string[]]> = [];
  tree.setDropHandlers({
    importHostFiles: async (t, uris) => void calls.push(['import', t.guestDir, uris.map((u) => u.toString())]),
    moveEntries: async (t, paths) => void calls.push(['move', t.guestDir, paths]),
  });
  const [root] = tree.getChildren();
  const dir = find(root, 'in');
  const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) } as unknown as vscode.CancellationToken;
  const fromExplorer = new vscode.DataTransfer();
  fromExplorer.set('text/uri-list', new vscode.DataTransferItem('# comment\r\nfile:///work/a.txt\r\nfile:///work/folder\r\n'));
  await tree.handleDrop(dir, fromExplorer, token);
  await tree.handleDrop(find(dir, 'file.txt'), fromExplorer, token);
  await tree.handleDrop(undefined, fromExplorer, token);
  const inTree = new vscode.DataTransfer();
  inTree.set(VFS_TREE_MIME, new vscode.DataTransferItem([find(root, 'top.txt')]));
  await tree.handleDrop(dir, inTree, token);
  assert.deepEqual(calls, [
    ['import', '/in', ['file:///work/a.txt', 'file:///work/folder']],
    ['import', '/in', ['file:///work/a.txt', 'file:///work/folder']],
    ['import', '/', ['file:///work/a.txt', 'file:///work/folder']],
    ['move', '/in', ['/top.txt']],
  ]);
  const drag = new vscode.DataTransfer();
  tree.handleDrag([find(root, 'top.txt'), find(dir, 'file.txt')], drag);
  assert.equal(await drag.get('text/uri-list')?.asString(), 'wasi-vfs://s1/top.txt\r\nwasi-vfs://s1/in/file.txt');
  assert.deepEqual(parseUriList('a\n#b\n\nc'), ['a', 'c']);
});
