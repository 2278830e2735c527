// VfsMirror: replays the worker's journal exactly, reads host mounts through the sandboxed resolver, and takes edits.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { VfsError } from '../../src/runtime/api';
import type { FsEdit } from '../../src/vfs/changes';
import { nsToMs } from '../../src/vfs/clock';
import { applyEdit } from '../../src/vfs/edits';
import { VfsMirror } from '../../src/vfs/mirror';
import type { Vfs } from '../../src/vfs/vfs';
import { ALL, Guest } from './fixtures/wasiHarness';

const ROOT = 3;
const CREAT = 1;

/** Every path under "/" as the worker's VFS has it: kind, size, mtime, contents. */
function dumpWorker(vfs: Vfs): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    const w = vfs.walkAbsolute(p, false);
    const st = vfs.statEntry(w.entry!, p);
    let line = `${p} ${st.type} ${st.type === 'directory' ? '' : st.size} ${nsToMs(st.mtimeNs)}`;
    if (st.type === 'file') line += ' ' + Buffer.from(vfs.readWholeFile(p)).toString('base64');
    if (st.type === 'symlink') line += ' -> ' + vfs.readlink(w.parent, w.name);
    out.push(line);
    if (st.type === 'directory') for (const e of vfs.list(w.entry as never).map((x) => x.name).sort()) walk(p === '/' ? '/' + e : p + '/' + e);
  };
  walk('/');
  return out;
}

function dumpMirror(m: VfsMirror): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    const st = m.lstat(p);
    const kind = st.kind;
    let line = `${p} ${kind} ${kind === 'directory' ? '' : st.size} ${st.mtimeMs}`;
    if (kind === 'file') line += ' ' + Buffer.from(m.readFile(p)).toString('base64');
    if (kind === 'symlink') line += ' -> ' + st.linkTarget;
    out.push(line);
    if (kind === 'directory') for (const e of m.readDirectory(p).map((x) => x.name).sort()) walk(p === '/' ? '/' + e : p + '/' + e);
  };
  walk('/');
  return out;
}

function mirrorOf(g: Guest, edits: FsEdit[] = []): VfsMirror {
  const m = new VfsMirror(async (edit) => {
    edits.push(edit);
  });
  m.applyChanges(g.host.changes.splice(0));
  return m;
}

test('after a run of mixed operations the mirror equals the worker VFS exactly', () => {
  const g = new Guest({ preopens: [{ kind: 'virtual', guestPath: '/tmp' }] });
  const m = new VfsMirror(async () => {});
  const ops = (): void => {
    assert.equal(g.path('path_create_directory', ROOT, 'a'), 0);
    assert.equal(g.path('path_create_directory', ROOT, 'a/b'), 0);
    const f = g.open(ROOT, 'a/b/file.txt', CREAT);
    assert.equal(g.write(f.fd, 'first version').n, 13);
    const big = g.open(ROOT, 'tmp/big.bin', CREAT);
    const chunk = g.alloc(65536);
    g.u8.fill(7, chunk, chunk + 65536);
    const iov = g.alloc(8);
    g.view.setUint32(iov, chunk, true);
    g.view.setUint32(iov + 4, 65536, true);
    for (let i = 0; i < 40; i++) assert.equal(g.sys.fd_write(big.fd, iov, 1, g.alloc(4)), 0);
    assert.equal(g.sys.fd_filestat_set_size(big.fd, 2_500_000n), 0);
    const [t, tl] = g.str('a/b/file.txt');
    const [l, ll] = g.str('hard.txt');
    assert.equal(g.sys.path_link(ROOT, 0, t, tl, ROOT, l, ll), 0);
    const [s, sl] = g.str('../hard.txt');
    const [sn, snl] = g.str('a/sym');
    assert.equal(g.sys.path_symlink(s, sl, ROOT, sn, snl), 0);
    const [r1, r1l] = g.str('a/b');
    const [r2, r2l] = g.str('tmp/moved');
    assert.equal(g.sys.path_rename(ROOT, r1, r1l, ROOT, r2, r2l), 0);
    assert.equal(g.write(f.fd, ' + more').n, 7);
    const gone = g.open(ROOT, 'gone.txt', CREAT);
    assert.equal(g.sys.fd_close(gone.fd), 0);
    assert.equal(g.path('path_unlink_file', ROOT, 'gone.txt'), 0);
    assert.equal(g.path('path_create_directory', ROOT, 'rmme'), 0);
    assert.equal(g.path('path_remove_directory', ROOT, 'rmme'), 0);
    const [h, hl] = g.str('hard.txt');
    assert.equal(g.sys.path_filestat_set_times(ROOT, 0, h, hl, 5_000_000_000n, 6_000_000_000n, 1 | 4), 0);
    assert.equal(g.sys.fd_close(f.fd), 0);
    assert.equal(g.sys.fd_close(big.fd), 0);
  };
  ops();
  const paths: string[][] = [];
  m.onDidChange((p) => paths.push(p));
  m.applyChanges(g.host.changes.splice(0));
  assert.equal(paths.length, 1, 'one notification per batch');
  assert.ok(paths[0].includes('/tmp/moved/file.txt') && paths[0].includes('/hard.txt'));
  assert.equal(new Set(paths[0]).size, paths[0].length, 'coalesced: each path once');
  assert.deepEqual(dumpMirror(m), dumpWorker(g.vfs));
  assert.equal(Buffer.from(m.readFile('/hard.txt')).toString(), 'first version + more');
  assert.equal(m.stat('/tmp/big.bin').size, 2_500_000);
  assert.equal(m.stat('/hard.txt').mtimeMs, 6000);
  assert.deepEqual(m.lstat('/a/sym'), { kind: 'symlink', size: 11, mtimeMs: m.lstat('/a/sym').mtimeMs, ctimeMs: m.lstat('/a/sym').ctimeMs, linkTarget: '../hard.txt' });
  assert.equal(m.stat('/a/sym').kind, 'file');
});

test('file contents are shared, not copied: the mirror sees writes before any journal record arrives', () => {
  const g = new Guest();
  const m = mirrorOf(g);
  const f = g.open(ROOT, 'live.txt', CREAT);
  assert.equal(g.write(f.fd, 'abc').n, 3);
  m.applyChanges(g.host.changes.splice(0));
  assert.equal(g.write(f.fd, 'def').n, 3);
  // Whatever the journal holds for this write is not applied: size and bytes come from shared memory.
  g.host.changes.length = 0;
  assert.equal(m.stat('/live.txt').size, 6);
  assert.equal(Buffer.from(m.readFile('/live.txt')).toString(), 'abcdef');
});

test('errors from the mirror are VfsErrors with absolute paths', () => {
  const g = new Guest();
  const m = mirrorOf(g);
  assert.throws(() => m.stat('/nope'), (e: unknown) => e instanceof VfsError && e.code === 'ENOENT' && e.path === '/nope');
  assert.throws(() => m.readDirectory('/nope/deeper'), (e: unknown) => e instanceof VfsError && e.code === 'ENOENT');
  g.open(ROOT, 'f', CREAT);
  m.applyChanges(g.host.changes.splice(0));
  assert.throws(() => m.readDirectory('/f'), (e: unknown) => e instanceof VfsError && e.code === 'ENOTDIR');
  assert.throws(() => m.readFile('/'), (e: unknown) => e instanceof VfsError && e.code === 'EISDIR');
});

test('edits: sent to the worker while running; applied by the worker they reach the mirror; authoritative after exit', async () => {
  const g = new Guest({ preopens: [{ kind: 'virtual', guestPath: '/data' }] });
  const sent: FsEdit[] = [];
  const m = mirrorOf(g, sent);
  await m.writeFile('/data/new.txt', Buffer.from('from the editor'), { create: true, overwrite: false });
  assert.deepEqual(sent.map((e) => e.kind), ['writeFile']);
  assert.throws(() => m.stat('/data/new.txt'), /ENOENT/, 'not applied by the mirror while the worker owns the VFS');
  // the worker glue applies it between two syscalls
  applyEdit(g.vfs, sent[0]);
  applyEdit(g.vfs, { kind: 'createDirectory', path: '/data/dir' });
  applyEdit(g.vfs, { kind: 'rename', from: '/data/new.txt', to: '/data/dir/renamed.txt', overwrite: false });
  assert.throws(() => applyEdit(g.vfs, { kind: 'createDirectory', path: '/data/dir' }), (e: unknown) => e instanceof VfsError && e.code === 'EEXIST');
  assert.throws(
    () => applyEdit(g.vfs, { kind: 'writeFile', path: '/data/dir/renamed.txt', data: Buffer.alloc(0), create: false, overwrite: false }),
    (e: unknown) => e instanceof VfsError && e.code === 'EEXIST',
  );
  m.applyChanges(g.host.changes.splice(0));
  assert.equal(Buffer.from(m.readFile('/data/dir/renamed.txt')).toString(), 'from the editor');
  // the guest sees the edit too
  const f = g.open(ROOT, 'data/dir/renamed.txt');
  assert.equal(g.read(f.fd, 100).data.toString(), 'from the editor');
  // after exit
  m.becomeAuthoritative();
  const changed: string[][] = [];
  m.onDidChange((p) => changed.push(p));
  await m.createDirectory('/data/after');
  await m.writeFile('/data/after/x.txt', Buffer.from('x'), { create: true, overwrite: false });
  await assert.rejects(m.writeFile('/data/after/x.txt', Buffer.from('y'), { create: true, overwrite: false }), /EEXIST/);
  await m.writeFile('/data/after/x.txt', Buffer.from('yy'), { create: false, overwrite: true });
  await m.rename('/data/after/x.txt', '/data/after/y.txt', { overwrite: false });
  await assert.rejects(m.delete('/data', { recursive: false }), /ENOTEMPTY/);
  await m.delete('/data/dir', { recursive: true });
  assert.equal(Buffer.from(m.readFile('/data/after/y.txt')).toString(), 'yy');
  assert.deepEqual(m.readDirectory('/data').map((e) => e.name).sort(), ['after']);
  assert.deepEqual(changed, [['/data/after'], ['/data/after/x.txt'], ['/data/after/x.txt'], ['/data/after/x.txt', '/data/after/y.txt'], ['/data/dir']]);
  assert.equal(sent.length, 1, 'nothing more was sent to the (gone) worker');
});

test('host mounts in the mirror: read from disk through the sandboxed resolver; read-only mounts refuse edits', async () => {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'wasi-mirror-')));
  try {
    const work = path.join(base, 'work');
    const ro = path.join(base, 'ro');
    fs.mkdirSync(work);
    fs.mkdirSync(ro);
    fs.writeFileSync(path.join(base, 'secret'), 'secret');
    fs.writeFileSync(path.join(ro, 'r.txt'), 'r');
    fs.symlinkSync('../secret', path.join(work, 'escape'));
    const preopens = [
      { kind: 'host' as const, guestPath: '/work', hostPath: work, read: true, write: true, create: true },
      { kind: 'host' as const, guestPath: '/ro', hostPath: ro, read: true, write: false, create: false },
    ];
    const g = new Guest({ preopens });
    const m = new VfsMirror(async () => {}, { root: { kind: 'memory' }, preopens });
    assert.deepEqual(m.mounts(), [
      { guestPath: '/work', hostPath: work, read: true, write: true, create: true },
      { guestPath: '/ro', hostPath: ro, read: true, write: false, create: false },
    ]);
    const f = g.open(4, 'out.txt', CREAT);
    g.write(f.fd, 'on disk');
    assert.equal(g.sys.fd_close(f.fd), 0);
    const notified: string[][] = [];
    m.onDidChange((p) => notified.push(p));
    m.applyChanges(g.host.changes.splice(0));
    assert.deepEqual(notified, [['/', '/work/out.txt']], 'the layout record announces "/"');
    assert.equal(Buffer.from(m.readFile('/work/out.txt')).toString(), 'on disk');
    assert.deepEqual(m.readDirectory('/').map((e) => e.name).sort(), ['ro', 'work']);
    assert.equal(m.lstat('/work/escape').kind, 'symlink');
    assert.throws(() => m.readFile('/work/escape'), (e: unknown) => e instanceof VfsError && e.code === 'ENOENT', '"..": the guest "/", where there is no "secret"');
    fs.symlinkSync(path.join(base, 'secret'), path.join(work, 'abs'));
    assert.throws(() => m.readFile('/work/abs'), (e: unknown) => e instanceof VfsError && e.code === 'EACCES');
    m.becomeAuthoritative();
    await assert.rejects(m.writeFile('/ro/r.txt', Buffer.from('changed'), { create: false, overwrite: true }), (e: unknown) => e instanceof VfsError && e.code === 'EACCES' && /without "write" permission/.test(e.message));
    await assert.rejects(m.delete('/ro/r.txt', { recursive: false }), (e: unknown) => e instanceof VfsError && e.code === 'EACCES');
    assert.equal(fs.readFileSync(path.join(ro, 'r.txt'), 'utf8'), 'r');
    await m.writeFile('/work/edited.txt', Buffer.from('edited'), { create: true, overwrite: false });
    assert.equal(fs.readFileSync(path.join(work, 'edited.txt'), 'utf8'), 'edited');
    void ALL;
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
});

test('a layout naming a host directory that does not exist gives an empty mirror, not an exception', () => {
  const m = new VfsMirror(async () => {});
  m.applyChanges([{ kind: 'layout', root: { kind: 'memory' }, preopens: [{ kind: 'host', guestPath: '/gone', hostPath: '/nonexistent/dir/for/sure', read: true, write: true, create: true }] }]);
  assert.deepEqual(m.readDirectory('/'), []);
});
