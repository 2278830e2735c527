// Unit tests of the view's commands and of the copy logic behind Save to Workspace / Import from Workspace,
// with the vscode test double answering dialogs the way a user would.

import './vscodeStub/register';
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { hostFiles, testHooks } from './vscodeStub/vscode';
import { SessionRegistry } from '../../src/views/sessions';
import { VfsTreeDataProvider } from '../../src/views/vfsTreeProvider';
import { COMMANDS, registerVfsCommands } from '../../src/views/vfsCommands';
import type { EntryNode, TreeNode } from '../../src/views/vfsTreeModel';
import { exportFromGuest, importIntoGuest, summarize, type HostFiles } from '../../src/views/transfer';
import { formatSize } from '../../src/views/treePresentation';
import { sync } from './viewsSupport/syncChildren';
import { FakeProcess, MemoryVfs } from './viewsSupport/memoryVfs';
import { ManualClock } from './viewsSupport/manualClock';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

beforeEach(() => {
  testHooks.reset();
  hostFiles.clear();
});

function setup(options: { running?: boolean } = {}) {
  const vfs = new MemoryVfs();
  vfs.mount({ guestPath: '/ro', hostPath: '/host/ro', read: true, write: false, create: false });
  vfs.guestWrite('/ro/fixed.txt', 'fixed');
  vfs.guestMkdir('/tmp');
  vfs.guestWrite('/tmp/out.txt', 'hello');
  vfs.guestMkdir('/tmp/sub');
  vfs.guestWrite('/tmp/sub/deep.bin', new Uint8Array([1, 2, 3]));
  vfs.guestSymlink('/tmp/link', 'out.txt');
  vfs.flushChanges();
  const process = new FakeProcess(vfs);
  if (!options.running) process.exit({ kind: 'exit', code: 0 });
  const registry = new SessionRegistry();
  registry.add('s', 'prog.wasm', process);
  const tree = new VfsTreeDataProvider(registry, { clock: new ManualClock() });
  const treeView = vscode.window.createTreeView<TreeNode>('wasiDebug.vfs', { treeDataProvider: tree });
  const disposables = registerVfsCommands(registry, tree, treeView);
  const [root] = tree.getChildren();
  const node = (path: string): EntryNode => {
    let at: TreeNode = root;
    for (const seg of path.split('/').filter(Boolean)) {
      const next = sync(tree.getChildren(at)).find((c) => c.kind === 'entry' && c.name === seg);
      assert.ok(next, `${path} in the tree`);
      at = next;
    }
    return at as EntryNode;
  };
  const run = (id: string, arg?: unknown) => vscode.commands.executeCommand(id, arg);
  const done = () => disposables.forEach((d) => d.dispose());
  return { vfs, process, registry, tree, root, node, run, done };
}

test('New File creates an empty file in the directory and opens it; New Folder creates a folder', async () => {
  const { vfs, node, run, done, root } = setup();
  try {
    testHooks.inputs.push('notes.txt');
    await run(COMMANDS.newFile, node('/tmp'));
    assert.equal(vfs.readFile('/tmp/notes.txt').byteLength, 0);
    const opened = testHooks.executed.find((e) => e.command === 'vscode.open');
    assert.equal((opened?.args[0] as vscode.Uri).toString(), 'wasi-vfs://s/tmp/notes.txt');
    testHooks.inputs.push('made');
    await run(COMMANDS.newFolder, node('/tmp/out.txt')); // on a file: next to it
    assert.equal(vfs.lstat('/tmp/made').kind, 'directory');
    testHooks.inputs.push('top');
    await run(COMMANDS.newFolder, root);
    assert.equal(vfs.lstat('/top').kind, 'directory');
    testHooks.inputs.push(undefined); // the user pressed Escape
    await run(COMMANDS.newFile, root);
    assert.deepEqual(testHooks.messages, []);
  } finally {
    done();
  }
});

test('an edit while the module runs waits for its next syscall; a refused edit says why', async () => {
  const { vfs, node, run, done } = setup({ running: true });
  try {
    testHooks.inputs.push('late.txt');
    const pending = run(COMMANDS.newFile, node('/tmp'));
    await new Promise((r) => setImmediate(r));
    assert.equal(vfs.pendingEdits, 1);
    assert.throws(() => vfs.lstat('/tmp/late.txt'), /ENOENT/);
    vfs.syscall();
    await pending;
    assert.equal(vfs.lstat('/tmp/late.txt').kind, 'file');

    // A guest-side file appears between the dialog and the edit: the edit is refused, the user told why.
    testHooks.inputs.push('race.txt');
    const racing = run(COMMANDS.newFile, node('/tmp'));
    await new Promise((r) => setImmediate(r));
    vfs.guestWrite('/tmp/race.txt', 'guest wrote first');
    vfs.syscall();
    await racing;
    assert.deepEqual(testHooks.messages, [{ level: 'error', text: 'Create /tmp/race.txt failed: EEXIST (/tmp/race.txt)' }]);
    assert.equal(dec(vfs.readFile('/tmp/race.txt')), 'guest wrote first', 'nothing lost');
  } finally {
    done();
  }
});

test('Rename and Delete (confirmed, cancelled, several at once)', async () => {
  const { vfs, node, run, done, tree } = setup();
  try {
    testHooks.inputs.push('renamed.txt');
    await run(COMMANDS.rename, node('/tmp/out.txt'));
    assert.equal(dec(vfs.readFile('/tmp/renamed.txt')), 'hello');
    assert.throws(() => vfs.lstat('/tmp/out.txt'), /ENOENT/);

    testHooks.answers.push(undefined);
    await run(COMMANDS.delete, node('/tmp/sub'));
    assert.equal(vfs.lstat('/tmp/sub').kind, 'directory', 'kept when the dialog is dismissed');
    assert.equal(testHooks.messages.at(-1)?.text, "Delete /tmp/sub and everything in it from the module's filesystem?");
    testHooks.answers.push('Delete');
    await run(COMMANDS.delete, node('/tmp/sub'));
    assert.throws(() => vfs.lstat('/tmp/sub'), /ENOENT/);

    // Several selected: one question naming them all, then each deleted.
    tree.refresh(); // this test's clock never runs the throttle: list afresh to see the rename
    testHooks.answers.push('Delete');
    await vscode.commands.executeCommand(COMMANDS.delete, node('/tmp/renamed.txt'), [node('/tmp/renamed.txt'), node('/tmp/link')]);
    assert.equal(testHooks.messages.at(-1)?.text, "Delete 2 items (/tmp/renamed.txt, /tmp/link) from the module's filesystem?");
    assert.throws(() => vfs.lstat('/tmp/renamed.txt'), /ENOENT/);
    assert.throws(() => vfs.lstat('/tmp/link'), /ENOENT/);
  } finally {
    done();
  }
});

test('Copy Guest Path and Reveal in Explorer', async () => {
  const { node, run, done, root } = setup();
  try {
    await run(COMMANDS.copyGuestPath, node('/tmp/sub/deep.bin'));
    assert.equal(testHooks.clipboard, '/tmp/sub/deep.bin');
    await run(COMMANDS.copyGuestPath, root);
    assert.equal(testHooks.clipboard, '/');
    await run(COMMANDS.revealInExplorer, node('/ro/fixed.txt'));
    const reveal = testHooks.executed.find((e) => e.command === 'revealFileInOS');
    assert.equal((reveal?.args[0] as vscode.Uri).path, '/host/ro/fixed.txt');
    await run(COMMANDS.revealInExplorer, node('/tmp/out.txt'));
    assert.match(testHooks.messages.at(-1)!.text, /\/tmp\/out\.txt lives in the module's memory, not on disk/);
  } finally {
    done();
  }
});

test('Save to Workspace copies a directory tree with exact bytes and names what it skipped', async () => {
  const { run, done, node } = setup();
  try {
    testHooks.saveDialogs.push(vscode.Uri.file('/ws/saved'));
    await run(COMMANDS.saveToWorkspace, node('/tmp'));
    assert.equal(hostFiles.get('/ws/saved'), 'directory');
    assert.equal(dec(hostFiles.get('/ws/saved/out.txt') as Uint8Array), 'hello');
    assert.deepEqual([...(hostFiles.get('/ws/saved/sub/deep.bin') as Uint8Array)], [1, 2, 3]);
    assert.equal(hostFiles.has('/ws/saved/link'), false);
    assert.deepEqual(testHooks.messages, [
      { level: 'warning', text: 'Saved /tmp to /ws/saved: 2 files, 2 folders, 8 B. Skipped 1: /tmp/link (symbolic link to out.txt (not copied))' },
    ]);
  } finally {
    done();
  }
});

test('Import from Workspace copies files and folders in, asks before replacing, refuses read-only mounts', async () => {
  const { vfs, run, done, node, root } = setup();
  try {
    hostFiles.set('/ws/src', 'directory');
    hostFiles.set('/ws/src/a.txt', enc('A'));
    hostFiles.set('/ws/src/inner', 'directory');
    hostFiles.set('/ws/src/inner/b.txt', enc('BB'));
    hostFiles.set('/ws/out.txt', enc('from host'));
    testHooks.openDialogs.push([vscode.Uri.file('/ws/src')]);
    await run(COMMANDS.importFromWorkspace, root);
    assert.equal(dec(vfs.readFile('/src/a.txt')), 'A');
    assert.equal(dec(vfs.readFile('/src/inner/b.txt')), 'BB');
    assert.deepEqual(testHooks.messages.at(-1), { level: 'info', text: 'Imported into /: 2 files, 2 folders, 3 B' });

    testHooks.openDialogs.push([vscode.Uri.file('/ws/out.txt')]);
    testHooks.answers.push(undefined); // "Replace?" dismissed
    await run(COMMANDS.importFromWorkspace, node('/tmp'));
    assert.equal(dec(vfs.readFile('/tmp/out.txt')), 'hello');
    testHooks.openDialogs.push([vscode.Uri.file('/ws/out.txt')]);
    testHooks.answers.push('Replace');
    await run(COMMANDS.importFromWorkspace, node('/tmp'));
    assert.equal(dec(vfs.readFile('/tmp/out.txt')), 'from host');

    testHooks.openDialogs.push([vscode.Uri.file('/ws/out.txt')]);
    await run(COMMANDS.importFromWorkspace, node('/ro'));
    assert.equal(testHooks.messages.at(-1)?.text, 'Cannot import into /ro: the host mount /ro (/host/ro) has no write permission in the launch configuration.');
  } finally {
    done();
  }
});

test('drops: Explorer files are imported into the folder; items dragged inside the view are moved', async () => {
  const { vfs, done, node, tree } = setup();
  try {
    hostFiles.set('/ws/dropped.txt', enc('dropped'));
    const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) } as unknown as vscode.CancellationToken;
    const fromExplorer = new vscode.DataTransfer();
    fromExplorer.set('text/uri-list', new vscode.DataTransferItem('file:///ws/dropped.txt\r\n'));
    await tree.handleDrop(node('/tmp/sub'), fromExplorer, token);
    assert.equal(dec(vfs.readFile('/tmp/sub/dropped.txt')), 'dropped');

    const inside = new vscode.DataTransfer();
    inside.set('application/vnd.code.tree.wasidebug.vfs', new vscode.DataTransferItem([node('/tmp/out.txt'), node('/tmp/sub')]));
    await tree.handleDrop(node('/tmp/sub'), inside, token);
    assert.equal(dec(vfs.readFile('/tmp/sub/out.txt')), 'hello', 'moved');
    assert.throws(() => vfs.lstat('/tmp/out.txt'), /ENOENT/);
    assert.equal(vfs.lstat('/tmp/sub').kind, 'directory', 'a folder is not moved into itself');
  } finally {
    done();
  }
});

test('transfer: export and import round-trip exact bytes; errors are reported per entry', async () => {
  const vfs = new MemoryVfs();
  vfs.guestMkdir('/d/e');
  vfs.guestWrite('/d/x.bin', new Uint8Array([0, 1, 254, 255]));
  vfs.guestWrite('/d/e/y.txt', 'why');
  vfs.guestDevice('/d/tty');
  const store = new Map<string, Uint8Array | 'dir'>();
  const host: HostFiles<string> = {
    kind: async (l) => (store.get(l) === 'dir' ? 'directory' : store.has(l) ? 'file' : undefined),
    list: async (l) => [...store.keys()].filter((k) => k.startsWith(`${l}/`) && !k.slice(l.length + 1).includes('/')).map((k) => [k.slice(l.length + 1), store.get(k) === 'dir' ? 'directory' : 'file']),
    read: async (l) => store.get(l) as Uint8Array,
    write: async (l, d) => void store.set(l, d),
    makeDirectory: async (l) => void store.set(l, 'dir'),
    child: (l, n) => `${l}/${n}`,
    name: (l) => l.slice(l.lastIndexOf('/') + 1),
    describe: (l) => l,
  };
  const out = await exportFromGuest(vfs, '/d', host, '/h/d');
  assert.deepEqual(out, { files: 2, directories: 2, bytes: 7, skipped: [{ what: '/d/tty', reason: 'character device (not copied)' }] });
  const back = new MemoryVfs();
  back.guestMkdir('/into');
  back.guestWrite('/into/d', 'a file in the way');
  const blocked = await importIntoGuest(host, '/h/d', back, '/into', { overwrite: false });
  assert.deepEqual(blocked.skipped, [{ what: '/h/d', reason: 'EEXIST: /into/d exists and is not a directory' }]);
  back.guestUnlink('/into/d');
  const fine = await importIntoGuest(host, '/h/d', back, '/into', { overwrite: false });
  assert.deepEqual(fine, { files: 2, directories: 2, bytes: 7, skipped: [] });
  assert.deepEqual([...back.readFile('/into/d/x.bin')], [0, 1, 254, 255]);
  const again = await importIntoGuest(host, '/h/d', back, '/into', { overwrite: false });
  assert.deepEqual(again.skipped.map((s) => s.reason), ['EEXIST', 'EEXIST']);
  assert.equal(summarize(again, formatSize), '0 files, 2 folders, 0 B. Skipped 2: /h/d/e/y.txt (EEXIST); /h/d/x.bin (EEXIST)');
});
