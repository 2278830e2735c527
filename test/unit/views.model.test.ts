// Unit tests of the pure tree model and presentation: listing, order, labels, mounts, symlinks, errors, incremental updates.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SessionRegistry, type ViewSession } from '../../src/views/sessions';
import { PAGE_SIZE, VfsTreeModel, type EntryNode, type MoreNode, type TreeNode } from '../../src/views/vfsTreeModel';
import { formatPermissions, formatSize, present, describeExit, tooltipOf } from '../../src/views/treePresentation';
import { FakeProcess, MemoryVfs } from './viewsSupport/memoryVfs';

function setup(build?: (vfs: MemoryVfs) => void): { vfs: MemoryVfs; session: ViewSession; model: VfsTreeModel; registry: SessionRegistry; process: FakeProcess } {
  const vfs = new MemoryVfs();
  build?.(vfs);
  vfs.flushChanges();
  const process = new FakeProcess(vfs);
  const registry = new SessionRegistry();
  const session = registry.add('s1', 'files.wasm', process);
  const model = new VfsTreeModel();
  return { vfs, session, model, registry, process };
}

function names(nodes: TreeNode[]): string[] {
  return nodes.map((n) => (n.kind === 'entry' ? n.name : n.kind === 'notice' ? `!${n.message}` : `[${n.session.label}]`));
}

function child(model: VfsTreeModel, parent: TreeNode, name: string): EntryNode {
  const found = model.children(parent).find((n) => n.kind === 'entry' && n.name === name);
  assert.ok(found, `${name} listed`);
  return found as EntryNode;
}

test('lists the guest root under the session node: directories first, then files, each in code-unit order', () => {
  const { model, session } = setup((vfs) => {
    vfs.guestWrite('/b.txt', 'bb');
    vfs.guestWrite('/A.txt', 'a');
    vfs.guestMkdir('/tmp');
    vfs.guestMkdir('/data');
    vfs.guestSymlink('/link', 'b.txt');
    vfs.guestDevice('/dev0');
  });
  const root = model.sessionNode(session);
  assert.deepEqual(names(model.roots([session])), ['[files.wasm]']);
  assert.deepEqual(names(model.children(root)), ['data', 'tmp', 'A.txt', 'b.txt', 'dev0', 'link']);
});

test('presents files with sizes, symlinks with targets, directories collapsed, and an open command for files', () => {
  const { model, session } = setup((vfs) => {
    vfs.guestWrite('/big.bin', new Uint8Array(1536));
    vfs.guestMkdir('/d');
    vfs.guestSymlink('/to-big', 'big.bin');
    vfs.guestSymlink('/to-d', '/d');
    vfs.guestSymlink('/dangling', 'nowhere');
  });
  const root = model.sessionNode(session);
  const file = present(child(model, root, 'big.bin'));
  assert.equal(file.id, 's1:/big.bin');
  assert.equal(file.label, 'big.bin');
  assert.equal(file.description, '1.5 KB');
  assert.equal(file.collapsible, 'none');
  assert.equal(file.opensPath, '/big.bin');
  assert.equal(file.icon, 'resource');
  assert.equal(file.contextValue, 'entry writable file movable');
  assert.match(tooltipOf(child(model, root, 'big.bin')), /^\/big\.bin\n1536 bytes\nModified \d{4}-\d\d-\d\dT.*\nIn memory$/);

  const dir = present(child(model, root, 'd'));
  assert.equal(dir.collapsible, 'collapsed');
  assert.equal(dir.opensPath, undefined);
  assert.equal(dir.contextValue, 'entry writable directory container movable');

  const link = present(child(model, root, 'to-big'));
  assert.equal(link.description, '→ big.bin');
  assert.equal(link.icon, 'file-symlink-file');
  assert.equal(link.opensPath, '/to-big');
  assert.match(tooltipOf(child(model, root, 'to-big')), /Symbolic link to big\.bin\nThe target points to a file/);
  assert.equal(present(child(model, root, 'to-d')).icon, 'file-symlink-directory');
  const dangling = present(child(model, root, 'dangling'));
  assert.equal(dangling.opensPath, undefined);
  assert.match(tooltipOf(child(model, root, 'dangling')), /does not resolve/);
});

test('host mounts show their host path and permissions, and read-only mounts are not writable', () => {
  const { model, session } = setup((vfs) => {
    vfs.mount({ guestPath: '/data', hostPath: '/home/u/data', read: true, write: false, create: false });
    vfs.mount({ guestPath: '/out', hostPath: '/home/u/out', read: true, write: true, create: true });
    vfs.guestWrite('/data/in.txt', 'x');
  });
  const root = model.sessionNode(session);
  const data = present(child(model, root, 'data'));
  assert.equal(data.icon, 'folder-library');
  assert.equal(data.description, '/home/u/data · r--');
  assert.equal(data.contextValue, 'entry hostBacked directory container mount');
  assert.match(tooltipOf(child(model, root, 'data')), /Host directory: \/home\/u\/data\nPermissions: read\nRead-only/);
  const out = present(child(model, root, 'out'));
  assert.equal(out.description, '/home/u/out · rwc');
  assert.equal(out.contextValue, 'entry hostBacked writable directory container mount');
  const inFile = present(child(model, child(model, root, 'data'), 'in.txt'));
  assert.equal(inFile.contextValue, 'entry hostBacked file');
  assert.match(tooltipOf(child(model, child(model, root, 'data'), 'in.txt')), /In host directory \/home\/u\/data\nRead-only/);
  const rootItem = present(root);
  assert.equal(rootItem.description, 'running');
  assert.match(tooltipOf(root), /Mount \/data → \/home\/u\/data \(read\)\nMount \/out → \/home\/u\/out \(read, write, create\)/);
});

test('the session node describes how the run ended', () => {
  assert.equal(describeExit({ kind: 'exit', code: 3 }), 'exited with code 3');
  assert.equal(describeExit({ kind: 'trap', message: 'unreachable', frames: [] }), 'trapped: unreachable');
  assert.equal(describeExit({ kind: 'error', message: 'unknown import env.foo' }), 'failed to start: unknown import env.foo');
  assert.equal(describeExit({ kind: 'terminated' }), 'terminated');
  assert.equal(describeExit(undefined), 'ended');
  const { model, session, process } = setup();
  process.exit({ kind: 'exit', code: 0 });
  const item = present(model.sessionNode(session));
  assert.equal(item.description, 'exited with code 0');
  assert.equal(item.icon, 'debug-stop');
  assert.match(item.contextValue, /\bended\b/);
});

test('a directory that cannot be listed shows a notice instead of looking empty', () => {
  const { model, session, vfs } = setup((v) => v.guestWrite('/f', 'x'));
  const fileNode = child(model, model.sessionNode(session), 'f');
  // Turn the entry into a directory node whose listing fails: list a path that is a file.
  vfs.readDirectory = () => {
    throw new (require('../../src/runtime/api').VfsError)('EACCES', '/f');
  };
  model.forget(model.sessionNode(session));
  const kids = model.children(model.sessionNode(session));
  assert.deepEqual(names(kids), ['!Cannot list /: EACCES']);
  assert.equal(present(kids[0]).icon, 'warning');
  void fileNode;
});

test('formats sizes and permissions', () => {
  assert.equal(formatSize(0), '0 B');
  assert.equal(formatSize(1023), '1023 B');
  assert.equal(formatSize(1024), '1 KB');
  assert.equal(formatSize(10 * 1024 * 1024 + 1), '10 MB');
  assert.equal(formatSize(1024 * 1024 * 1.25), '1.2 MB');
  assert.equal(formatPermissions({ guestPath: '/', hostPath: '/', read: true, write: true, create: false }), 'rw-');
});

test('changes in a listed directory update its cached children incrementally and name only that directory', () => {
  const { model, session, vfs } = setup((v) => {
    v.guestMkdir('/out');
    v.guestWrite('/out/b.txt', 'b');
  });
  const root = model.sessionNode(session);
  const out = child(model, root, 'out');
  assert.deepEqual(names(model.children(out)), ['b.txt']);
  const listings = vfs.calls.readDirectory;

  vfs.guestWrite('/out/a.txt', 'a');
  vfs.guestWrite('/out/c.txt', 'c');
  vfs.guestMkdir('/out/sub');
  const targets = model.applyChanges(session, ['/out/a.txt', '/out/c.txt', '/out/sub']);
  assert.deepEqual(targets, [out]);
  assert.deepEqual(names(model.children(out)), ['sub', 'a.txt', 'b.txt', 'c.txt']);
  assert.equal(vfs.calls.readDirectory, listings, 'no re-listing of /out');

  const b = child(model, out, 'b.txt');
  const revision = b.revision;
  vfs.guestWrite('/out/b.txt', 'bigger');
  assert.deepEqual(model.applyChanges(session, ['/out/b.txt']), [out]);
  assert.equal(child(model, out, 'b.txt'), b, 'the same node object (VS Code keys elements by identity)');
  assert.equal(b.revision, revision + 1);
  assert.equal(present(b).description, '6 B');

  vfs.guestUnlink('/out/a.txt');
  assert.deepEqual(model.applyChanges(session, ['/out/a.txt']), [out]);
  assert.deepEqual(names(model.children(out)), ['sub', 'b.txt', 'c.txt']);

  // Reporting an unchanged path changes nothing.
  assert.deepEqual(model.applyChanges(session, ['/out/c.txt']), []);
});

test('paths in directories the view never listed cost nothing; a new directory appears in its listed parent', () => {
  const { model, session, vfs } = setup((v) => v.guestMkdir('/big'));
  const root = model.sessionNode(session);
  model.children(root);
  const before = { ...vfs.calls };
  vfs.guestWrite('/big/1', 'x');
  vfs.guestWrite('/big/2', 'x');
  assert.deepEqual(model.applyChanges(session, ['/big/1', '/big/2']), []);
  assert.deepEqual(vfs.calls, before, 'no VFS call for an unexpanded directory');

  // A directory created implicitly and reported only through its contents still shows up.
  vfs.guestMkdir('/new/deep');
  vfs.guestWrite('/new/deep/f', 'x');
  assert.deepEqual(model.applyChanges(session, ['/new/deep/f']), [root]);
  assert.deepEqual(names(model.children(root)), ['big', 'new']);
});

test('only the topmost changed directories are announced; deleting a directory forgets its cached subtree', () => {
  const { model, session, vfs } = setup((v) => {
    v.guestMkdir('/a/b');
    v.guestWrite('/a/b/f', 'x');
  });
  const root = model.sessionNode(session);
  const a = child(model, root, 'a');
  const b = child(model, a, 'b');
  model.children(b);
  vfs.guestWrite('/a/g', 'x');
  vfs.guestWrite('/a/b/h', 'x');
  assert.deepEqual(model.applyChanges(session, ['/a/g', '/a/b/h']), [a]);
  assert.deepEqual(names(model.children(b)), ['f', 'h']);

  vfs.guestUnlink('/a/b/f');
  vfs.guestUnlink('/a/b/h');
  vfs.guestUnlink('/a/b');
  assert.deepEqual(model.applyChanges(session, ['/a/b/f', '/a/b/h', '/a/b']), [a]);
  assert.equal(model.isLoaded(session, '/a/b'), false);
  assert.deepEqual(names(model.children(a)), ['g']);
});

test('a listed directory reported alone (replaced by a rename) is listed again', async () => {
  const { model, session, vfs } = setup((v) => {
    v.guestMkdir('/x');
    v.guestWrite('/x/old', '1');
    v.guestMkdir('/y');
    v.guestWrite('/y/new', '2');
  });
  vfs.running = false;
  const root = model.sessionNode(session);
  const x = child(model, root, 'x');
  assert.deepEqual(names(model.children(x)), ['old']);
  await vfs.delete('/x', { recursive: true });
  await vfs.rename('/y', '/x', { overwrite: false });
  const targets = model.applyChanges(session, ['/x', '/y']);
  assert.deepEqual(targets, [root]);
  const newX = child(model, root, 'x');
  assert.deepEqual(names(model.children(newX)), ['new']);
});

test('forget() makes the next children() list afresh (Refresh)', () => {
  const { model, session, vfs } = setup((v) => v.guestWrite('/f', 'x'));
  const root = model.sessionNode(session);
  assert.deepEqual(names(model.children(root)), ['f']);
  vfs.guestWrite('/g', 'y');
  assert.deepEqual(names(model.children(root)), ['f'], 'cached until a change batch or a refresh');
  model.forget(root);
  assert.deepEqual(names(model.children(root)), ['f', 'g']);
});

test('a directory of 10,000 entries lists exactly', () => {
  const { model, session } = setup((v) => {
    v.guestMkdir('/many');
    for (let i = 9999; i >= 0; i--) v.guestWrite(`/many/f${String(i).padStart(5, '0')}`, 'x');
  });
  const many = child(model, model.sessionNode(session), 'many');
  const kids = model.children(many);
  assert.equal(kids.length, 10000);
  assert.equal((kids[0] as EntryNode).name, 'f00000');
  assert.equal((kids[9999] as EntryNode).name, 'f09999');
});

test('a huge directory shows a page of entries and an exact "N more…" node; only the shown page is stat\'ed', () => {
  const count = PAGE_SIZE + 50;
  const { model, session, vfs } = setup((v) => {
    v.guestMkdir('/huge');
    for (let i = 0; i < count; i++) v.guestWrite(`/huge/f${String(i).padStart(6, '0')}`, 'x');
  });
  const huge = child(model, model.sessionNode(session), 'huge');
  const lstatsBefore = vfs.calls.lstat;
  const page = model.children(huge);
  assert.equal(vfs.calls.lstat - lstatsBefore, PAGE_SIZE, 'one lstat per shown entry, none for the rest');
  assert.equal(page.length, PAGE_SIZE + 1);
  const more = page[PAGE_SIZE] as MoreNode;
  assert.equal(more.kind, 'more');
  assert.equal(more.remaining, 50);
  assert.deepEqual({ label: present(more).label, description: present(more).description }, { label: '50 more…', description: 'show the next 50' });
  assert.equal((page[PAGE_SIZE - 1] as EntryNode).name, `f${String(PAGE_SIZE - 1).padStart(6, '0')}`);

  // Files created beyond the page change the count, not the page.
  vfs.guestWrite('/huge/zz-new', 'x');
  assert.deepEqual(model.applyChanges(session, ['/huge/zz-new']), [huge]);
  const again = model.children(huge);
  assert.equal(again[PAGE_SIZE], more, 'the same node object');
  assert.equal(more.remaining, 51);

  assert.equal(model.showMore(more), huge);
  const all = model.children(huge);
  assert.equal(all.length, count + 1);
  assert.equal(all.every((n) => n.kind === 'entry' && n.stat !== undefined), true);
  assert.deepEqual(model.allChildren(huge).map((n) => n.name), [...Array.from({ length: count }, (_, i) => `f${String(i).padStart(6, '0')}`), 'zz-new']);
});

test('a process that ended before the view subscribed is shown as ended with its exit', async () => {
  const vfs = new MemoryVfs();
  const process = new FakeProcess(vfs);
  process.exit({ kind: 'trap', message: 'unreachable', frames: [] });
  const registry = new SessionRegistry();
  const session = registry.add('late', 'late.wasm', process);
  assert.equal(session.state.kind, 'running', 'not known yet: the exit arrives through `exited`');
  await Promise.resolve();
  await Promise.resolve();
  assert.deepEqual(session.state, { kind: 'ended', exit: { kind: 'trap', message: 'unreachable', frames: [] } });
  registry.dispose();
  assert.equal(process.listenerCount('exit'), 0);
  assert.equal(vfs.listenerCount, 0);
});

test('"/" reported by itself (the runtime rebuilt its namespace) lists the root again', () => {
  const { model, session, vfs } = setup((v) => v.guestWrite('/a', 'x'));
  const root = model.sessionNode(session);
  assert.deepEqual(names(model.children(root)), ['a']);
  vfs.guestWrite('/b', 'y');
  assert.deepEqual(model.applyChanges(session, ['/']), [root]);
  assert.deepEqual(names(model.children(root)), ['a', 'b']);
  assert.deepEqual(model.applyChanges(session, ['/']), [root], 'listed again: a rebuilt namespace is not compared entry by entry');
});
