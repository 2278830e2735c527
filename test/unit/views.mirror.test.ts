// The views over the runtime's real VfsMirror (B's main-thread replica): host mounts with permissions and real files
// on disk, symlinks, a virtual preopen, and edits after exit — what the tree and the wasi-vfs: provider show and do.

import './vscodeStub/register';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { VfsMirror } from '../../src/vfs/mirror';
import { SessionRegistry } from '../../src/views/sessions';
import { VfsTreeDataProvider } from '../../src/views/vfsTreeProvider';
import { WasiVfsFileSystemProvider, guestUri } from '../../src/views/vfsFileSystemProvider';
import type { EntryNode, TreeNode } from '../../src/views/vfsTreeModel';
import { ManualClock } from './viewsSupport/manualClock';
import { sync } from './viewsSupport/syncChildren';
import { finishedProcess } from './viewsSupport/finishedProcess';

test('host mounts from the real mirror: host path, permissions, real files and links; read-only is enforced', async (t) => {
  const host = fs.mkdtempSync(path.join(os.tmpdir(), 'wasi-views-'));
  t.after(() => fs.rmSync(host, { recursive: true, force: true }));
  const ro = path.join(host, 'ro');
  const rw = path.join(host, 'rw');
  fs.mkdirSync(path.join(ro, 'sub'), { recursive: true });
  fs.mkdirSync(rw);
  fs.writeFileSync(path.join(ro, 'input.txt'), 'twelve bytes');
  fs.symlinkSync('input.txt', path.join(ro, 'link'));
  const mirror = new VfsMirror(() => Promise.reject(new Error('not running')), {
    root: { kind: 'memory' },
    preopens: [
      { kind: 'host', hostPath: ro, guestPath: '/data', read: true, write: false, create: false },
      { kind: 'host', hostPath: rw, guestPath: '/out', read: true, write: true, create: true },
      { kind: 'virtual', guestPath: '/tmp' },
    ],
  });
  const registry = new SessionRegistry();
  registry.add('m', 'mounts.wasm', finishedProcess(mirror));
  await Promise.resolve();
  const tree = new VfsTreeDataProvider(registry, { clock: new ManualClock() });
  const files = new WasiVfsFileSystemProvider(registry);
  const [root] = tree.getChildren();
  const item = (n: TreeNode) => tree.getTreeItem(n);
  const find = (parent: TreeNode, name: string): EntryNode => {
    const n = sync(tree.getChildren(parent)).find((c) => c.kind === 'entry' && c.name === name);
    assert.ok(n, `${name} listed; have ${sync(tree.getChildren(parent)).map((c) => String(item(c).label))}`);
    return n as EntryNode;
  };

  assert.deepEqual(sync(tree.getChildren(root)).map((c) => String(item(c).label)), ['data', 'out', 'tmp']);
  assert.equal(item(root).description, 'exited with code 0');
  const data = find(root, 'data');
  assert.equal(item(data).description, `${ro} · r--`);
  assert.equal(item(data).contextValue, 'entry hostBacked directory container mount');
  assert.equal(item(find(root, 'out')).description, `${rw} · rwc`);
  assert.equal(item(find(root, 'tmp')).iconPath, vscode.ThemeIcon.Folder);

  assert.deepEqual(sync(tree.getChildren(data)).map((c) => String(item(c).label)), ['sub', 'input.txt', 'link']);
  assert.equal(item(find(data, 'input.txt')).description, '12 B');
  assert.equal(item(find(data, 'input.txt')).contextValue, 'entry hostBacked file');
  assert.equal(item(find(data, 'link')).description, '→ input.txt');
  assert.equal((item(find(data, 'link')).iconPath as vscode.ThemeIcon).id, 'file-symlink-file');

  assert.equal(new TextDecoder().decode(files.readFile(guestUri('m', '/data/link'))), 'twelve bytes');
  assert.equal(files.stat(guestUri('m', '/data/input.txt')).permissions, vscode.FilePermission.Readonly);
  await assert.rejects(
    Promise.resolve(files.writeFile(guestUri('m', '/data/input.txt'), new Uint8Array([1]), { create: true, overwrite: true })),
    (e: unknown) => (e as vscode.FileSystemError).code === 'NoPermissions',
  );
  assert.equal(fs.readFileSync(path.join(ro, 'input.txt'), 'utf8'), 'twelve bytes', 'the host file is untouched');

  // A save into the writable mount lands on the host disk; the mirror's change event updates the tree.
  await files.writeFile(guestUri('m', '/out/result.txt'), new TextEncoder().encode('saved'), { create: true, overwrite: false });
  assert.equal(fs.readFileSync(path.join(rw, 'result.txt'), 'utf8'), 'saved');
  await files.writeFile(guestUri('m', '/tmp/note.txt'), new TextEncoder().encode('in memory'), { create: true, overwrite: false });
  assert.equal(new TextDecoder().decode(mirror.readFile('/tmp/note.txt')), 'in memory');
  tree.dispose();
  registry.dispose();
});
