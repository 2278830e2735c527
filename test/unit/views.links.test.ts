// Unit tests of symlinked folders in the WASI Filesystem view: they expand into their target, stay links, never expand
// into themselves (no endless tree, even when everything is expanded), follow live changes, and broken links stay leaves.

import './vscodeStub/register';
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { hostFiles, testHooks } from './vscodeStub/vscode';
import { VfsMirror } from '../../src/vfs/mirror';
import { realGuestPath } from '../../src/views/guestRealPath';
import { SessionRegistry, type ViewSession } from '../../src/views/sessions';
import { present, tooltipOf } from '../../src/views/treePresentation';
import { COMMANDS, registerVfsCommands } from '../../src/views/vfsCommands';
import { WasiVfsFileSystemProvider, guestUri } from '../../src/views/vfsFileSystemProvider';
import { VfsTreeModel, type EntryNode, type TreeNode } from '../../src/views/vfsTreeModel';
import { VfsTreeDataProvider } from '../../src/views/vfsTreeProvider';
import { FakeProcess, MemoryVfs } from './viewsSupport/memoryVfs';
import { ManualClock } from './viewsSupport/manualClock';
import { sync } from './viewsSupport/syncChildren';
import { finishedProcess } from './viewsSupport/finishedProcess';

beforeEach(() => {
  testHooks.reset();
  hostFiles.clear();
});

function setup(build: (vfs: MemoryVfs) => void): { vfs: MemoryVfs; session: ViewSession; model: VfsTreeModel; registry: SessionRegistry; process: FakeProcess } {
  const vfs = new MemoryVfs();
  build(vfs);
  vfs.flushChanges();
  const process = new FakeProcess(vfs);
  const registry = new SessionRegistry();
  const session = registry.add('s1', 'links.wasm', process);
  return { vfs, session, model: new VfsTreeModel(), registry, process };
}

function names(nodes: TreeNode[]): string[] {
  return nodes.map((n) => (n.kind === 'entry' ? n.name : n.kind === 'notice' ? `!${n.message}` : `[${n.kind}]`));
}

/** The node at a view path, expanding every folder on the way as the user would. */
function at(model: VfsTreeModel, session: ViewSession, viewPath: string): EntryNode {
  let node: TreeNode = model.sessionNode(session);
  for (const name of viewPath.split('/').filter(Boolean)) {
    const next: TreeNode | undefined = model.children(node).find((c) => c.kind === 'entry' && c.name === name);
    assert.ok(next, `${name} listed under ${node.kind === 'entry' ? node.path : '/'}; have ${names(model.children(node))}`);
    node = next;
  }
  return node as EntryNode;
}

/** "Expand All": every container, depth first, through the provider as VS Code asks; returns the expanded paths. */
function expandAll(tree: VfsTreeDataProvider, limit = 1000): string[] {
  const expanded: string[] = [];
  const walk = (node: TreeNode): void => {
    const item = tree.getTreeItem(node);
    if (item.collapsibleState === vscode.TreeItemCollapsibleState.None) return;
    expanded.push(node.kind === 'entry' ? node.path : node.kind === 'session' ? '/' : node.kind);
    assert.ok(expanded.length <= limit, `Expand All stops (expanded so far: ${expanded.slice(0, 20).join(', ')}, …)`);
    for (const child of sync(tree.getChildren(node))) walk(child);
  };
  for (const root of tree.getChildren()) walk(root);
  return expanded;
}

test('a link to a folder expands into the folder it leads to, and still shows as a link with its target', () => {
  const { model, session } = setup((vfs) => {
    vfs.guestMkdir('/data/sub');
    vfs.guestWrite('/data/a.txt', 'alpha');
    vfs.guestSymlink('/link', 'data');
  });
  const root = model.sessionNode(session);
  assert.deepEqual(names(model.children(root)), ['data', 'link']);
  const link = at(model, session, '/link');
  const p = present(link);
  assert.equal(p.id, 's1:/link');
  assert.equal(p.label, 'link');
  assert.equal(p.description, '→ data');
  assert.equal(p.icon, 'file-symlink-directory');
  assert.equal(p.collapsible, 'collapsed');
  assert.equal(p.contextValue, 'entry writable symlink container movable');
  assert.equal(p.opensPath, undefined);
  assert.equal(tooltipOf(link), '/link\nSymbolic link to data\nThe target points to a directory, /data: expand the link to see its contents');

  assert.deepEqual(names(model.children(link)), ['sub', 'a.txt']);
  const a = at(model, session, '/link/a.txt');
  assert.equal(a.realPath, '/data/a.txt');
  const pa = present(a);
  assert.equal(pa.id, 's1:/link/a.txt', 'the view path keeps the item apart from /data/a.txt');
  assert.equal(pa.description, '5 B');
  assert.equal(pa.opensPath, '/link/a.txt');
  assert.equal(pa.contextValue, 'entry writable file movable');
  assert.match(tooltipOf(a), /^\/link\/a\.txt\nReally \/data\/a\.txt \(shown through a symbolic link\)\n5 bytes\n/);
  assert.equal(present(at(model, session, '/link/sub')).collapsible, 'collapsed');
});

test('the provider opens a file below a folder link through the link, and knows every parent', async () => {
  const { registry, vfs } = setup((v) => {
    v.guestMkdir('/data');
    v.guestWrite('/data/a.txt', 'alpha');
    v.guestSymlink('/link', 'data');
  });
  const tree = new VfsTreeDataProvider(registry, { clock: new ManualClock() });
  const files = new WasiVfsFileSystemProvider(registry);
  const [root] = tree.getChildren();
  const link = sync(tree.getChildren(root)).find((n) => n.kind === 'entry' && n.name === 'link')!;
  const [a] = sync(tree.getChildren(link));
  const item = tree.getTreeItem(a);
  assert.equal(item.id, 's1:/link/a.txt');
  assert.deepEqual(item.command, { command: 'vscode.open', title: 'Open', arguments: [guestUri('s1', '/link/a.txt')] });
  assert.equal(new TextDecoder().decode(files.readFile(guestUri('s1', '/link/a.txt'))), 'alpha');
  assert.equal(tree.getParent(a), link);
  assert.equal(tree.getParent(link), root);
  assert.deepEqual(tree.dropTargetOf(link), { session: registry.get('s1'), guestDir: '/link' }, 'a drop onto a folder link lands in it');
  void vfs;
  tree.dispose();
});

test('a link to a folder that contains it is shown as recursive and not expanded', () => {
  const { model, session } = setup((vfs) => {
    vfs.guestMkdir('/a/b');
    vfs.guestSymlink('/a/b/up', '..');
    vfs.guestSymlink('/a/b/here', '.');
    vfs.guestSymlink('/top', '/');
  });
  const up = at(model, session, '/a/b/up');
  const p = present(up);
  assert.equal(p.description, '→ .. · recursive');
  assert.equal(p.icon, 'file-symlink-directory');
  assert.equal(p.collapsible, 'none');
  assert.equal(p.contextValue, 'entry writable symlink movable');
  assert.deepEqual(model.children(up), []);
  assert.equal(
    tooltipOf(up),
    '/a/b/up\nSymbolic link to ..\nThe target points to a directory, /a, which contains this link\nNot expanded: it would repeat itself without end. Open the folder itself instead.',
  );
  assert.equal(present(at(model, session, '/a/b/here')).description, '→ . · recursive');
  assert.equal(present(at(model, session, '/top')).description, '→ / · recursive');
});

test('Expand All ends: links that lead round through each other stop where they would come back', () => {
  const { registry } = setup((vfs) => {
    vfs.guestMkdir('/x');
    vfs.guestMkdir('/y');
    vfs.guestWrite('/x/fx.txt', 'x');
    vfs.guestWrite('/y/fy.txt', 'y');
    vfs.guestSymlink('/x/to-y', '../y');
    vfs.guestSymlink('/y/to-x', '../x');
    vfs.guestSymlink('/y/deeper', '../x/to-y'); // a link to a link: /y again
    vfs.guestSymlink('/self', '.');
  });
  const tree = new VfsTreeDataProvider(registry, { clock: new ManualClock() });
  // /x/to-y shows /y, and inside it /y/to-x would show /x again (a folder already on the way), so it is a leaf;
  // /y/to-x shows /x, inside which /x/to-y would show /y again. /y/deeper leads to /y itself.
  assert.deepEqual(expandAll(tree), ['/', '/x', '/x/to-y', '/y', '/y/to-x']);
  const model = tree.model;
  const session = registry.get('s1')!;
  assert.equal(present(at(model, session, '/x/to-y/to-x')).description, '→ ../x · recursive');
  assert.equal(present(at(model, session, '/x/to-y/deeper')).description, '→ ../x/to-y · recursive');
  assert.equal(present(at(model, session, '/y/to-x/to-y')).description, '→ ../y · recursive');
  tree.dispose();
});

test('broken links stay leaves and say why: dangling, a loop', () => {
  const { model, session } = setup((vfs) => {
    vfs.guestSymlink('/gone', 'missing');
    vfs.guestSymlink('/l1', 'l2');
    vfs.guestSymlink('/l2', 'l1');
    vfs.guestWrite('/f', 'x');
    vfs.guestSymlink('/through-file', 'f/x');
  });
  const gone = at(model, session, '/gone');
  const p = present(gone);
  assert.equal(p.description, '→ missing · dangling');
  assert.equal(p.icon, 'file-symlink-file');
  assert.equal(p.collapsible, 'none');
  assert.equal(p.contextValue, 'entry writable symlink movable');
  assert.equal(tooltipOf(gone), '/gone\nSymbolic link to missing\nThe target does not resolve: nothing exists there (a dangling link, ENOENT)');
  assert.equal(present(at(model, session, '/l1')).description, '→ l2 · loop');
  assert.match(tooltipOf(at(model, session, '/l1')), /the links lead round in a circle \(ELOOP\)$/);
  assert.equal(present(at(model, session, '/through-file')).description, '→ f/x · dangling');
});

test('changes inside a link\'s target reach the link\'s listing; retargeting and removing the target update the link', () => {
  const { model, session, vfs } = setup((v) => {
    v.guestMkdir('/data');
    v.guestMkdir('/other');
    v.guestWrite('/data/a.txt', 'alpha');
    v.guestWrite('/other/o.txt', 'o');
    v.guestSymlink('/link', 'data');
  });
  const root = model.sessionNode(session);
  const link = at(model, session, '/link');
  assert.deepEqual(names(model.children(link)), ['a.txt']);

  // The module writes /data/new.txt: the VFS reports the real path; the view hears it at /link/new.txt as well.
  vfs.guestWrite('/data/new.txt', 'n');
  vfs.flushChanges();
  const changed = model.applyChanges(session, ['/data/new.txt']);
  assert.deepEqual(changed, [link], 'only the link is refreshed (/data was never expanded)');
  assert.deepEqual(names(model.children(link)), ['a.txt', 'new.txt']);
  assert.equal(at(model, session, '/link/new.txt').realPath, '/data/new.txt');

  // Retargeted: the same link now leads to /other.
  vfs.guestUnlink('/link');
  vfs.guestSymlink('/link', 'other');
  assert.deepEqual(model.applyChanges(session, ['/link']), [root]);
  assert.equal(at(model, session, '/link'), link, 'the node keeps its identity');
  assert.equal(present(link).description, '→ other');
  assert.deepEqual(names(model.children(link)), ['o.txt']);

  // The target goes away: the link turns into a dangling leaf.
  vfs.guestUnlink('/other');
  assert.deepEqual(model.applyChanges(session, ['/other']), [root]);
  assert.equal(present(link).description, '→ other · dangling');
  assert.equal(present(link).collapsible, 'none');
  assert.deepEqual(model.children(link), []);
});

test('a folder on the way to a link\'s target that disappears turns the link dangling', () => {
  const { model, session, vfs } = setup((v) => {
    v.guestMkdir('/p/q');
    v.guestWrite('/p/q/r.txt', 'r');
    v.guestSymlink('/deep', 'p/q');
  });
  const root = model.sessionNode(session);
  const deep = at(model, session, '/deep');
  assert.deepEqual(names(model.children(deep)), ['r.txt']);
  vfs.guestUnlink('/p');
  // Only "/p" is reported, not /p/q: the link hears of it because /p lies on the way to its target.
  assert.deepEqual(model.applyChanges(session, ['/p']), [root]);
  assert.equal(present(deep).description, '→ p/q · dangling');
  assert.deepEqual(names(model.children(root)), ['deep']);
});

test('commands on a folder link: New File lands in the target, Delete removes only the link, Save to Workspace copies the target', async () => {
  const { vfs, registry, process } = setup((v) => {
    v.guestMkdir('/data');
    v.guestWrite('/data/a.txt', 'alpha');
    v.guestSymlink('/link', 'data');
  });
  process.exit({ kind: 'exit', code: 0 });
  const tree = new VfsTreeDataProvider(registry, { clock: new ManualClock() });
  const treeView = vscode.window.createTreeView<TreeNode>('wasiDebug.vfs', { treeDataProvider: tree });
  const disposables = registerVfsCommands(registry, tree, treeView);
  try {
    const [root] = tree.getChildren();
    const link = () => sync(tree.getChildren(root)).find((n) => n.kind === 'entry' && n.name === 'link')!;

    testHooks.inputs.push('made.txt');
    await vscode.commands.executeCommand(COMMANDS.newFile, link());
    assert.deepEqual([...vfs.readFile('/data/made.txt')], [], 'created empty in the folder the link leads to');
    assert.deepEqual(testHooks.executed.at(-1), { command: 'vscode.open', args: [guestUri('s1', '/link/made.txt')] });

    testHooks.saveDialogs.push(vscode.Uri.file('/ws/copy'));
    await vscode.commands.executeCommand(COMMANDS.saveToWorkspace, link());
    assert.equal(new TextDecoder().decode(hostFiles.get('/ws/copy/a.txt') as Uint8Array), 'alpha');
    assert.deepEqual(testHooks.messages.at(-1), { level: 'info', text: 'Saved /link to /ws/copy: 2 files, 1 folder, 5 B' });

    testHooks.answers.push('Delete');
    await vscode.commands.executeCommand(COMMANDS.delete, link());
    assert.deepEqual(testHooks.messages.at(-1), { level: 'warning', text: "Delete /link from the module's filesystem?" });
    assert.throws(() => vfs.lstat('/link'), /ENOENT/);
    assert.equal(new TextDecoder().decode(vfs.readFile('/data/a.txt')), 'alpha', 'the target folder is untouched');
  } finally {
    disposables.forEach((d) => d.dispose());
    tree.dispose();
  }
});

test('realGuestPath resolves links physically (".." from where a link leads), and gives up on loops and dangling links', () => {
  const { vfs } = setup((v) => {
    v.guestMkdir('/a/b/c');
    v.guestSymlink('/jump', 'a/b/c');
    v.guestSymlink('/a/b/c/back', '../..');
    v.guestSymlink('/loop', 'loop');
    v.guestSymlink('/gone', 'nothing');
  });
  assert.equal(realGuestPath(vfs, '/'), '/');
  assert.equal(realGuestPath(vfs, '/jump'), '/a/b/c');
  assert.equal(realGuestPath(vfs, '/jump/..'), '/a/b', '".." after a link steps back from where it leads');
  assert.equal(realGuestPath(vfs, '/jump/back'), '/a');
  assert.equal(realGuestPath(vfs, '/jump/back/b/./c'), '/a/b/c');
  assert.equal(realGuestPath(vfs, '/loop'), undefined);
  assert.equal(realGuestPath(vfs, '/gone'), undefined);
  assert.equal(realGuestPath(vfs, '/..'), undefined, 'nothing is above "/"');
});

test('over the real mirror: host symlinks in a mount expand, loops stop, links out of the sandbox and dangling ones stay leaves', async (t) => {
  const host = fs.mkdtempSync(path.join(os.tmpdir(), 'wasi-links-'));
  t.after(() => fs.rmSync(host, { recursive: true, force: true }));
  const data = path.join(host, 'data');
  fs.mkdirSync(path.join(data, 'sub'), { recursive: true });
  fs.writeFileSync(path.join(data, 'sub', 'inner.txt'), 'inner');
  fs.symlinkSync('sub', path.join(data, 'alias'));
  fs.symlinkSync('..', path.join(data, 'sub', 'up'));
  fs.symlinkSync(host, path.join(data, 'abs'));
  fs.symlinkSync('nothing', path.join(data, 'gone'));
  fs.symlinkSync('loop-b', path.join(data, 'loop-a'));
  fs.symlinkSync('loop-a', path.join(data, 'loop-b'));
  const mirror = new VfsMirror(() => Promise.reject(new Error('not running')), {
    root: { kind: 'memory' },
    preopens: [{ kind: 'host', hostPath: data, guestPath: '/data', read: true, write: false, create: false }],
  });
  const registry = new SessionRegistry();
  registry.add('m', 'links.wasm', finishedProcess(mirror));
  const tree = new VfsTreeDataProvider(registry, { clock: new ManualClock() });
  const [root] = tree.getChildren();
  const item = (n: TreeNode) => tree.getTreeItem(n);
  const find = (parent: TreeNode, name: string): EntryNode => {
    const n = sync(tree.getChildren(parent)).find((c) => c.kind === 'entry' && c.name === name);
    assert.ok(n, `${name} listed`);
    return n as EntryNode;
  };
  const dataNode = find(root, 'data');
  assert.deepEqual(sync(tree.getChildren(dataNode)).map((c) => String(item(c).label)), ['sub', 'abs', 'alias', 'gone', 'loop-a', 'loop-b']);

  const alias = find(dataNode, 'alias');
  assert.equal(item(alias).description, '→ sub');
  assert.equal(item(alias).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
  assert.equal(item(alias).contextValue, 'entry hostBacked symlink container', 'read-only mount: neither writable nor movable');
  assert.deepEqual(sync(tree.getChildren(alias)).map((c) => String(item(c).label)), ['inner.txt', 'up']);
  const inner = find(alias, 'inner.txt');
  assert.equal(inner.realPath, '/data/sub/inner.txt');
  assert.equal(item(inner).contextValue, 'entry hostBacked file');
  assert.equal(item(find(alias, 'up')).description, '→ .. · recursive');
  assert.equal(item(find(alias, 'up')).collapsibleState, vscode.TreeItemCollapsibleState.None);

  assert.equal(item(find(dataNode, 'abs')).description, `→ ${host} · outside the sandbox`);
  assert.equal(
    tooltipOf(find(dataNode, 'abs')),
    `/data/abs\nSymbolic link to ${host}\nThe target does not resolve: it leads outside the sandbox, which the module cannot reach either (EACCES)\nRead-only (host mount without write permission)`,
  );
  assert.equal(item(find(dataNode, 'gone')).description, '→ nothing · dangling');
  assert.equal(item(find(dataNode, 'loop-a')).description, '→ loop-b · loop');
  assert.deepEqual(expandAll(tree), ['/', '/data', '/data/sub', '/data/alias']);
  tree.dispose();
  registry.dispose();
});

test('an editor opened through a folder link hears of the module\'s writes at the real path, and follows a retargeted link', () => {
  const { vfs, registry, session } = setup((v) => {
    v.guestMkdir('/data');
    v.guestMkdir('/other');
    v.guestWrite('/data/a.txt', 'alpha');
    v.guestWrite('/other/a.txt', 'other');
    v.guestSymlink('/link', 'data');
  });
  const files = new WasiVfsFileSystemProvider(registry);
  const events: vscode.FileChangeEvent[][] = [];
  files.onDidChangeFile((e) => events.push(e));
  files.watch(guestUri('s1', '/link/a.txt'), { recursive: false, excludes: [] });
  const uris = () => events.flat().map((e) => `${e.type}:${e.uri.path}`);

  vfs.guestWrite('/data/a.txt', 'alpha 2');
  files.notifyChanged(session, ['/data/a.txt']);
  assert.deepEqual(uris(), [`${vscode.FileChangeType.Changed}:/link/a.txt`]);

  // The link now leads to /other: writes there reach the editor, writes to /data no longer do.
  events.length = 0;
  vfs.guestUnlink('/link');
  vfs.guestSymlink('/link', 'other');
  files.notifyChanged(session, ['/link']);
  vfs.guestWrite('/data/a.txt', 'alpha 3');
  vfs.guestWrite('/other/a.txt', 'other 2');
  files.notifyChanged(session, ['/data/a.txt', '/other/a.txt']);
  assert.deepEqual(uris(), [`${vscode.FileChangeType.Changed}:/link/a.txt`]);
  assert.equal(new TextDecoder().decode(files.readFile(guestUri('s1', '/link/a.txt'))), 'other 2');
});

test('files reached through a link into a read-only mount open read-only and refuse saves naming the mount', async () => {
  const { registry } = setup((v) => {
    v.mount({ guestPath: '/ro', hostPath: '/host/ro', read: true, write: false, create: false });
    v.guestWrite('/ro/fixed.txt', 'fixed');
    v.guestMkdir('/tmp');
    v.guestSymlink('/tmp/into-ro', '../ro');
  });
  const files = new WasiVfsFileSystemProvider(registry);
  assert.equal(files.stat(guestUri('s1', '/tmp/into-ro/fixed.txt')).permissions, vscode.FilePermission.Readonly);
  await assert.rejects(
    Promise.resolve(files.writeFile(guestUri('s1', '/tmp/into-ro/fixed.txt'), new Uint8Array([1]), { create: true, overwrite: true })),
    (e: unknown) =>
      (e as vscode.FileSystemError).code === 'NoPermissions' &&
      /^\/tmp\/into-ro\/fixed\.txt is in the host mount \/ro \(\/host\/ro\), which the launch configuration mounts without write permission\.$/.test((e as Error).message),
  );
});

test('over the real mirror: a link inside a read-only mount that leads out of it is writable where it leads', async (t) => {
  const host = fs.mkdtempSync(path.join(os.tmpdir(), 'wasi-links-'));
  t.after(() => fs.rmSync(host, { recursive: true, force: true }));
  fs.symlinkSync('../tmp', path.join(host, 'out'));
  const mirror = new VfsMirror(() => Promise.reject(new Error('not running')), {
    root: { kind: 'memory' },
    preopens: [
      { kind: 'host', hostPath: host, guestPath: '/ro', read: true, write: false, create: false },
      { kind: 'virtual', guestPath: '/tmp' },
    ],
  });
  const registry = new SessionRegistry();
  registry.add('m', 'links.wasm', finishedProcess(mirror));
  const files = new WasiVfsFileSystemProvider(registry);
  const model = new VfsTreeModel();
  const session = registry.get('m')!;
  const out = at(model, session, '/ro/out');
  assert.equal(present(out).contextValue, 'entry hostBacked writable symlink container', 'New File inside it is offered; the link itself is not movable');
  await files.writeFile(guestUri('m', '/ro/out/new.txt'), new TextEncoder().encode('ok'), { create: true, overwrite: false });
  assert.equal(new TextDecoder().decode(mirror.readFile('/tmp/new.txt')), 'ok');
  assert.equal(files.stat(guestUri('m', '/ro/out/new.txt')).permissions, undefined);
  assert.deepEqual(fs.readdirSync(host), ['out'], 'nothing was written into the read-only host folder');
  registry.dispose();
});
