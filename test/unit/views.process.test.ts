// The views over a real module: startWasiProcess runs a WAT program that writes 300 files and then blocks on stdin;
// the tree must see them exactly while it runs, a save through wasi-vfs: must reach the module, and the view must
// keep following after exit. Needs dist/worker.js (npm run build; `npm test` builds first).

import './vscodeStub/register';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startWasiProcess } from '../../src/runtime/process';
import type { ExitInfo } from '../../src/runtime/api';
import { SessionRegistry } from '../../src/views/sessions';
import { VfsTreeDataProvider } from '../../src/views/vfsTreeProvider';
import { WasiVfsFileSystemProvider, guestUri } from '../../src/views/vfsFileSystemProvider';
import type { EntryNode, TreeNode } from '../../src/views/vfsTreeModel';
import { testInit, wat } from './runtimeTestSupport';
import { sync } from './viewsSupport/syncChildren';

const WORKER = path.resolve(__dirname, '../../../dist/worker.js');
const FILES = 300;

// Creates (through the "/" preopen, fd 3) /out/f0000 … /out/f0299 ("data!" each), blocks reading stdin, then prints /out/f0000 to stdout and exits 0.
// Any failing syscall exits with 10 + the step number. Rights asked for: every right preview1 defines (29 bits).
const WRITER = `(module
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "out/f0000")
  (data (i32.const 200) "data!")
  (data (i32.const 300) "\\c8\\00\\00\\00\\05\\00\\00\\00")  ;; iov { 200, 5 }
  (data (i32.const 320) "\\f4\\01\\00\\00\\40\\00\\00\\00")  ;; iov { 500, 64 } stdin buffer
  (data (i32.const 340) "\\58\\02\\00\\00\\40\\00\\00\\00")  ;; iov { 600, 64 } file buffer
  (func $check (param $r i32) (param $step i32)
    (if (local.get $r) (then (call $proc_exit (i32.add (i32.const 10) (local.get $step))))))
  (func $digit (param $at i32) (param $v i32)
    (i32.store8 (local.get $at) (i32.add (i32.const 48) (i32.rem_u (local.get $v) (i32.const 10)))))
  (func $name (param $i i32)
    (call $digit (i32.const 105) (i32.div_u (local.get $i) (i32.const 1000)))
    (call $digit (i32.const 106) (i32.div_u (local.get $i) (i32.const 100)))
    (call $digit (i32.const 107) (i32.div_u (local.get $i) (i32.const 10)))
    (call $digit (i32.const 108) (local.get $i)))
  (func (export "_start") (local $i i32) (local $fd i32)
    (loop $files
      (call $name (local.get $i))
      (call $check (call $path_open (i32.const 3) (i32.const 0) (i32.const 100) (i32.const 9) (i32.const 1)
        (i64.const 0x1fffffff) (i64.const 0x1fffffff) (i32.const 0) (i32.const 400)) (i32.const 1))
      (local.set $fd (i32.load (i32.const 400)))
      (call $check (call $fd_write (local.get $fd) (i32.const 300) (i32.const 1) (i32.const 404)) (i32.const 2))
      (call $check (call $fd_close (local.get $fd)) (i32.const 3))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $files (i32.lt_u (local.get $i) (i32.const ${FILES}))))
    (call $check (call $fd_read (i32.const 0) (i32.const 320) (i32.const 1) (i32.const 408)) (i32.const 4))
    (call $name (i32.const 0))
    (call $check (call $path_open (i32.const 3) (i32.const 0) (i32.const 100) (i32.const 9) (i32.const 0)
      (i64.const 0x1fffffff) (i64.const 0x1fffffff) (i32.const 0) (i32.const 400)) (i32.const 5))
    (call $check (call $fd_read (i32.load (i32.const 400)) (i32.const 340) (i32.const 1) (i32.const 344)) (i32.const 6))
    (call $check (call $fd_write (i32.const 1) (i32.const 340) (i32.const 1) (i32.const 408)) (i32.const 7))
    (call $proc_exit (i32.const 0))))`;

async function until(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('the tree follows a real module while it runs, a save reaches the module, and the view follows after exit', async (t) => {
  if (!fs.existsSync(WORKER)) {
    t.skip(`needs ${WORKER}: run npm run build first`);
    return;
  }
  const init = testInit({ preopens: [{ kind: 'virtual', guestPath: '/out' }], stdin: { kind: 'console' } });
  const process = startWasiProcess(init, await wat(WRITER), { workerPath: WORKER, name: 'views-writer' });
  const stdout: Uint8Array[] = [];
  process.on('stdout', (d) => void stdout.push(d.slice()));
  let exit: ExitInfo | undefined;
  void process.exited.then((e) => (exit = e));
  const registry = new SessionRegistry();
  const tree = new VfsTreeDataProvider(registry, { refreshIntervalMs: 20 });
  const files = new WasiVfsFileSystemProvider(registry);
  const refreshed: Array<TreeNode | TreeNode[] | undefined> = [];
  tree.onDidChangeTreeData((e) => refreshed.push(e));
  try {
    registry.add('real', 'writer.wasm', process);
    const [root] = tree.getChildren();
    const names = (n: TreeNode): string[] => sync(tree.getChildren(n)).map((c) => String(tree.getTreeItem(c).label));
    await until('/out in the tree', () => names(root).includes('out'));
    const out = sync(tree.getChildren(root)).find((c) => c.kind === 'entry' && c.name === 'out') as EntryNode;
    sync(tree.getChildren(out)); // expanded: from now on the view follows /out

    await until(`${FILES} files in /out`, () => {
      if (exit) throw new Error(`the module ended before blocking on stdin: ${JSON.stringify(exit)}`);
      return sync(tree.getChildren(out)).length === FILES && tree.settled;
    });
    assert.equal(exit, undefined, 'the module is still running (blocked on stdin)');
    const expected = Array.from({ length: FILES }, (_, i) => `f${String(i).padStart(4, '0')}`);
    assert.deepEqual(names(out), expected);
    for (const node of sync(tree.getChildren(out))) assert.equal(tree.getTreeItem(node).description, '5 B');
    assert.ok(refreshed.some((e) => Array.isArray(e) && e.includes(out)), 'the tree announced /out as changed');
    assert.equal(new TextDecoder().decode(files.readFile(guestUri('real', '/out/f0123'))), 'data!');

    // Save an edit while the module blocks on stdin: it must be applied before the module's next syscall,
    // so the module reads it back after its stdin read returns.
    const saved = files.writeFile(guestUri('real', '/out/f0000'), new TextEncoder().encode('edited'), { create: true, overwrite: true });
    process.writeStdin(new TextEncoder().encode('go\n'));
    await saved;
    const ended = await process.exited;
    // Right after `exited`, before the worker thread is even gone: an edit must still land.
    await files.writeFile(guestUri('real', '/out/after.txt'), new TextEncoder().encode('after exit'), { create: true, overwrite: false });
    assert.deepEqual(ended, { kind: 'exit', code: 0 });
    assert.equal(Buffer.concat(stdout).toString(), 'edited');

    // After exit the session stays readable and editable, and the tree keeps following.
    const f0000 = () => sync(tree.getChildren(out)).find((c) => c.kind === 'entry' && c.name === 'f0000')!;
    await until('f0000 resized in the tree', () => tree.settled && tree.getTreeItem(f0000()).description === '6 B');
    await until('after.txt in the tree', () => tree.settled && names(out).includes('after.txt'));
    assert.deepEqual(names(out), ['after.txt', ...expected]);
    assert.equal(tree.getTreeItem(sync(tree.getChildren(out))[0]).description, '10 B');
  } finally {
    await process.terminate();
    tree.dispose();
    registry.dispose();
  }
});
