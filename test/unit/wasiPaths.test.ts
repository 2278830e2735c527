// WASI preview1 path syscalls on the in-memory filesystem: exact errnos for the edge cases (wasi-testsuite semantics).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL, Guest } from './fixtures/wasiHarness';

const E = { NOENT: 44, PERM: 63, INVAL: 28, NOTDIR: 54, ISDIR: 31, EXIST: 20, NOTEMPTY: 55, LOOP: 32, BADF: 8, NOTCAPABLE: 76, NAMETOOLONG: 37 };
const OFLAGS = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 };
const ROOT = 3;

function withFile(g: Guest, path: string, content = ''): void {
  const o = g.open(ROOT, path, OFLAGS.CREAT);
  assert.equal(o.errno, 0, `create ${path}`);
  if (content) assert.equal(g.write(o.fd, content).errno, 0);
  assert.equal(g.sys.fd_close(o.fd), 0);
}

test('"/" is preopened as fd 3 and reports its name', () => {
  const g = new Guest();
  const p = g.alloc(8);
  assert.equal(g.sys.fd_prestat_get(3, p), 0);
  assert.equal(g.u32(p), 0);
  assert.equal(g.u32(p + 4), 1);
  const name = g.alloc(4);
  assert.equal(g.sys.fd_prestat_dir_name(3, name, 0), E.NAMETOOLONG);
  assert.equal(g.sys.fd_prestat_dir_name(3, name, 4), 0);
  assert.equal(g.bytes(name, 1).toString(), '/');
  assert.equal(g.sys.fd_prestat_get(4, p), E.BADF);
  assert.equal(g.sys.fd_prestat_get(0, p), E.BADF);
});

test('virtual preopens follow "/" in init order and exist as directories', () => {
  const g = new Guest({ preopens: [{ kind: 'virtual', guestPath: '/tmp' }, { kind: 'virtual', guestPath: '/data/in' }] });
  const p = g.alloc(8);
  const names: string[] = [];
  for (let fd = 3; g.sys.fd_prestat_get(fd, p) === 0; fd++) {
    const n = g.alloc(g.u32(p + 4));
    assert.equal(g.sys.fd_prestat_dir_name(fd, n, g.u32(p + 4)), 0);
    names.push(g.bytes(n, g.u32(p + 4)).toString());
  }
  assert.deepEqual(names, ['/', '/tmp', '/data/in']);
  assert.equal(g.pathFilestat(ROOT, 'data/in').filetype, 3);
});

test('interesting paths: absolute → EPERM, ".." escape → EPERM, NUL → EINVAL, trailing slash on a file → ENOTDIR', () => {
  const g = new Guest();
  assert.equal(g.path('path_create_directory', ROOT, 'dir'), 0);
  assert.equal(g.path('path_create_directory', ROOT, 'dir/nested'), 0);
  withFile(g, 'dir/nested/file', 'x');
  const d = g.openDir(ROOT, 'dir');
  assert.equal(d.errno, 0);
  assert.equal(g.open(d.fd, '/dir/nested/file').errno, E.PERM);
  const ok = g.open(d.fd, './/nested/../../dir/nested/../nested///./file');
  assert.equal(ok.errno, E.PERM, 'climbing above the directory descriptor is refused even when it comes back');
  assert.equal(g.open(ROOT, 'dir/.//nested/../../dir/nested/../nested///./file').errno, 0);
  assert.equal(g.open(d.fd, 'nested/../../dir/nested/file').errno, E.PERM);
  assert.equal(g.open(ROOT, '..').errno, E.PERM);
  assert.equal(g.open(ROOT, 'dir/nested/file\0').errno, E.INVAL);
  assert.equal(g.open(ROOT, 'dir/nested/file/').errno, E.NOTDIR);
  assert.equal(g.open(ROOT, 'dir/nested/file///').errno, E.NOTDIR);
  assert.equal(g.open(ROOT, 'dir/nested/', 0, 0n, 0n).errno, 0);
  assert.equal(g.open(ROOT, 'dir/nested///', 0, 0n, 0n).errno, 0);
  assert.equal(g.open(ROOT, 'dir/nested/', 0, ALL, ALL).errno, E.ISDIR, 'all rights include fd_write');
  assert.equal(g.open(ROOT, '').errno, E.NOENT);
  assert.equal(g.open(ROOT, 'dir/nested/file/more').errno, E.NOTDIR);
  assert.equal(g.open(ROOT, 'missing/file').errno, E.NOENT);
});

test('path_open: CREAT|EXCL, DIRECTORY on a file, write on a directory, TRUNC', () => {
  const g = new Guest();
  withFile(g, 'f', 'hello');
  assert.equal(g.open(ROOT, 'f', OFLAGS.CREAT | OFLAGS.EXCL).errno, E.EXIST);
  assert.equal(g.open(ROOT, 'f', OFLAGS.DIRECTORY).errno, E.NOTDIR);
  assert.equal(g.path('path_create_directory', ROOT, 'd'), 0);
  assert.equal(g.open(ROOT, 'd', OFLAGS.DIRECTORY, 2n | 64n).errno, E.ISDIR, 'read+write on a directory');
  assert.equal(g.open(ROOT, 'd', OFLAGS.DIRECTORY, 2n).errno, 0, 'read only is fine');
  assert.equal(g.open(ROOT, 'new/', OFLAGS.CREAT).errno, E.ISDIR);
  const t = g.open(ROOT, 'f', OFLAGS.TRUNC);
  assert.equal(t.errno, 0);
  assert.equal(g.filestat(t.fd).size, 0n);
});

test('rights: a directory never gets seek/read/write rights; rights can only be dropped; dropped read → EBADF', () => {
  const g = new Guest();
  assert.equal(g.path('path_create_directory', ROOT, 'd'), 0);
  const d = g.open(ROOT, 'd', OFLAGS.DIRECTORY, 4n /* FD_SEEK */, 0n);
  assert.equal(d.errno, 0);
  const seekOut = g.alloc(8);
  assert.equal(g.sys.fd_seek(d.fd, 0n, 1, seekOut), E.BADF);
  assert.equal(g.fdstat(d.fd).base & 4n, 0n);
  assert.equal(g.fdstat(d.fd).filetype, 3);
  // Preopen rights include everything a libc expects.
  const pre = g.fdstat(ROOT);
  const required = [9, 10, 11, 12, 13, 14, 15, 16, 17, 24, 25, 26, 18, 20, 21, 23];
  for (const bit of required) assert.notEqual(pre.base & (1n << BigInt(bit)), 0n, `preopen base right bit ${bit}`);
  assert.equal(pre.base & 64n, 0n, 'no fd_write on a directory');
  // set_rights can only drop.
  withFile(g, 'file', 'abc');
  assert.equal(g.sys.fd_fdstat_set_rights(ROOT, pre.base, pre.inheriting & ~2n), 0);
  assert.equal(g.sys.fd_fdstat_set_rights(ROOT, pre.base, pre.inheriting), E.NOTCAPABLE);
  assert.equal(g.open(ROOT, 'file', 0, 2n, 0n).errno, E.NOTCAPABLE, 'asking for a right the directory does not pass on');
  const f = g.open(ROOT, 'file', 0, 0n, 0n);
  assert.equal(f.errno, 0);
  assert.equal(g.fdstat(f.fd).base & 2n, 0n);
  assert.equal(g.read(f.fd, 4).errno, E.BADF);
  // Files never carry path_* rights, even when asked.
  const f2 = g.open(ROOT, 'file', 0, ALL & ~2n, ALL & ~2n);
  assert.equal(g.fdstat(f2.fd).base & (1n << 18n), 0n);
  assert.equal(g.fdstat(f2.fd).inheriting & (1n << 18n), 0n);
});

test('truncation rights: TRUNC without path_filestat_set_size → EPERM', () => {
  const g = new Guest();
  withFile(g, 'file', 'abc');
  const st = g.fdstat(ROOT);
  assert.equal(g.sys.fd_fdstat_set_rights(ROOT, st.base & ~(1n << 19n), st.inheriting & ~(1n << 22n)), 0);
  assert.equal(g.open(ROOT, 'file', OFLAGS.TRUNC, 0n, 0n).errno, 63);
  assert.equal(g.open(ROOT, 'file', 0, 0n, 0n).errno, 0);
});

test('path_rename: dir onto empty dir, onto non-empty dir, dir onto file, file onto dir, file onto file', () => {
  const g = new Guest();
  const mk = (p: string) => assert.equal(g.path('path_create_directory', ROOT, p), 0, `mkdir ${p}`);
  const ren = (a: string, b: string) => {
    const [ap, al] = g.str(a);
    const [bp, bl] = g.str(b);
    return g.sys.path_rename(ROOT, ap, al, ROOT, bp, bl);
  };
  mk('source');
  assert.equal(ren('source', 'target'), 0);
  assert.equal(g.open(ROOT, 'source', OFLAGS.DIRECTORY).errno, E.NOENT);
  assert.equal(g.openDir(ROOT, 'target').errno, 0);
  mk('source');
  assert.equal(ren('source', 'target'), 0, 'dir onto an empty dir');
  mk('source');
  withFile(g, 'target/file');
  assert.equal(ren('source', 'target'), E.NOTEMPTY);
  assert.equal(ren('source', 'target/file'), E.NOTDIR);
  assert.equal(ren('target', 'target/sub'), E.INVAL, 'a directory cannot move into itself');
  withFile(g, 'a', 'A');
  withFile(g, 'b', 'B');
  assert.equal(ren('a', 'b'), 0);
  const f = g.open(ROOT, 'b');
  assert.equal(g.read(f.fd, 10).data.toString(), 'A');
  assert.equal(ren('b', 'source'), E.ISDIR);
  assert.equal(ren('b', 'c/'), E.NOTDIR);
  assert.equal(ren('b/', 'c'), E.NOTDIR);
  assert.equal(ren('missing', 'c'), E.NOENT);
  assert.equal(ren('b', 'b'), 0, 'renaming onto itself is a no-op');
  assert.equal(ren('source/', 'moved/'), 0, 'trailing slashes are fine on directories');
  assert.equal(g.openDir(ROOT, 'moved').errno, 0);
});

test('unlink and rmdir: EISDIR, ENOTDIR with trailing slash, ENOTEMPTY, ENOENT', () => {
  const g = new Guest();
  assert.equal(g.path('path_create_directory', ROOT, 'dir'), 0);
  assert.equal(g.path('path_create_directory', ROOT, 'dir'), E.EXIST);
  assert.equal(g.path('path_unlink_file', ROOT, 'dir'), E.ISDIR);
  assert.equal(g.path('path_unlink_file', ROOT, 'dir/'), E.ISDIR);
  assert.equal(g.path('path_create_directory', ROOT, 'dir/nested'), 0);
  assert.equal(g.path('path_remove_directory', ROOT, 'dir'), E.NOTEMPTY);
  assert.equal(g.path('path_remove_directory', ROOT, 'dir/nested/'), 0);
  assert.equal(g.path('path_remove_directory', ROOT, 'dir'), 0);
  withFile(g, 'file');
  assert.equal(g.path('path_unlink_file', ROOT, 'file/'), E.NOTDIR);
  assert.equal(g.path('path_remove_directory', ROOT, 'file'), E.NOTDIR);
  assert.equal(g.path('path_unlink_file', ROOT, 'file'), 0);
  assert.equal(g.path('path_unlink_file', ROOT, 'file'), E.NOENT);
  assert.equal(g.path('path_remove_directory', ROOT, '.'), E.INVAL);
});

test('symlinks: trailing slashes, readlink truncation, dangling, loops, nofollow', () => {
  const g = new Guest();
  const sym = (target: string, path: string) => {
    const [tp, tl] = g.str(target);
    const [pp, pl] = g.str(path);
    return g.sys.path_symlink(tp, tl, ROOT, pp, pl);
  };
  assert.equal(sym('source', 'target/'), E.NOENT);
  assert.equal(sym('source', 'target'), 0, 'dangling symlinks can be created');
  assert.equal(g.path('path_unlink_file', ROOT, 'target'), 0);
  assert.equal(g.path('path_create_directory', ROOT, 'target'), 0);
  assert.equal(sym('source', 'target/'), E.EXIST);
  assert.equal(sym('source', 'target'), E.EXIST);
  assert.equal(g.path('path_remove_directory', ROOT, 'target'), 0);
  withFile(g, 'target', 'data');
  assert.equal(sym('source', 'target/'), E.NOTDIR);
  assert.equal(sym('source', 'target'), E.EXIST);
  assert.equal(sym('target', 'link'), 0);
  // readlink: exact, then truncated into a short buffer, the rest untouched.
  const buf = g.alloc(10);
  const used = g.alloc(4);
  const [lp, ll] = g.str('link');
  assert.equal(g.sys.path_readlink(ROOT, lp, ll, buf, 10, used), 0);
  assert.equal(g.u32(used), 6);
  assert.deepEqual([...g.bytes(buf, 10)], [...Buffer.from('target'), 0, 0, 0, 0]);
  const small = g.alloc(4);
  assert.equal(g.sys.path_readlink(ROOT, lp, ll, small, 4, used), 0);
  assert.equal(g.u32(used), 4);
  assert.equal(g.bytes(small, 4).toString(), 'targ');
  const [tp, tl] = g.str('target');
  assert.equal(g.sys.path_readlink(ROOT, tp, tl, buf, 10, used), E.INVAL, 'not a symlink');
  // follow / nofollow
  const viaLink = g.open(ROOT, 'link', 0, ALL, ALL, 0, 1);
  assert.equal(viaLink.errno, 0);
  assert.equal(g.read(viaLink.fd, 10).data.toString(), 'data');
  assert.equal(g.open(ROOT, 'link', 0, ALL, ALL, 0, 0).errno, E.LOOP);
  assert.equal(g.pathFilestat(ROOT, 'link', 0).filetype, 7);
  assert.equal(g.pathFilestat(ROOT, 'link', 1).filetype, 4);
  // dangling
  assert.equal(sym('nowhere', 'dangling'), 0);
  assert.equal(g.open(ROOT, 'dangling', OFLAGS.DIRECTORY, ALL, ALL, 0, 0).errno, E.NOTDIR);
  assert.equal(g.open(ROOT, 'dangling', 0, ALL, ALL, 0, 0).errno, E.LOOP);
  assert.equal(g.open(ROOT, 'dangling', 0, ALL, ALL, 0, 1).errno, E.NOENT);
  // loops
  assert.equal(sym('loop2', 'loop1'), 0);
  assert.equal(sym('loop1', 'loop2'), 0);
  assert.equal(g.open(ROOT, 'loop1', 0, ALL, ALL, 0, 1).errno, E.LOOP);
  assert.equal(g.open(ROOT, 'loop1/x', 0, ALL, ALL, 0, 0).errno, E.LOOP);
  // escapes through symlinks
  assert.equal(sym('/etc/passwd', 'abs'), E.PERM, 'absolute targets are refused at creation, as wasmtime does');
  assert.equal(g.open(ROOT, 'abs', 0, ALL, ALL, 0, 1).errno, E.NOENT, 'and nothing was created');
  assert.equal(sym('../../etc', 'up'), 0);
  assert.equal(g.open(ROOT, 'up/passwd', 0, ALL, ALL, 0, 1).errno, E.PERM);
  // a symlink into a subdirectory with ".." that stays inside works
  assert.equal(g.path('path_create_directory', ROOT, 'sub'), 0);
  assert.equal(sym('../target', 'sub/back'), 0);
  const back = g.open(ROOT, 'sub/back', 0, ALL, ALL, 0, 1);
  assert.equal(back.errno, 0);
  assert.equal(g.read(back.fd, 10).data.toString(), 'data');
  // unlinking a symlink removes the link, not the target
  assert.equal(g.path('path_unlink_file', ROOT, 'link'), 0);
  assert.equal(g.pathFilestat(ROOT, 'target').errno, 0);
});

test('path_link: same dir, other dir, existing target, directory source, trailing slash, symlinks, follow flag', () => {
  const g = new Guest();
  const link = (a: string, b: string, flags = 0, from = ROOT, to = ROOT) => {
    const [ap, al] = g.str(a);
    const [bp, bl] = g.str(b);
    return g.sys.path_link(from, flags, ap, al, to, bp, bl);
  };
  withFile(g, 'file', 'content');
  assert.equal(link('file', 'link'), 0);
  const a = g.open(ROOT, 'file');
  const b = g.open(ROOT, 'link');
  const sa = g.filestat(a.fd);
  const sb = g.filestat(b.fd);
  assert.deepEqual(sa, sb);
  assert.equal(sa.nlink, 2n);
  assert.equal(link('file', 'link'), E.EXIST);
  assert.equal(link('file', 'file'), E.EXIST);
  assert.equal(g.path('path_create_directory', ROOT, 'dir'), 0);
  assert.equal(link('file', 'dir'), E.EXIST);
  assert.equal(link('dir', 'dirlink'), E.PERM);
  assert.equal(link('file', 'nolink/'), E.NOENT);
  const [tp, tl] = g.str('target');
  const [sp, sl] = g.str('symlink');
  assert.equal(g.sys.path_symlink(tp, tl, ROOT, sp, sl), 0);
  assert.equal(link('symlink', 'hard-to-symlink'), 0, 'links the dangling symlink itself');
  assert.equal(link('file', 'symlink'), E.EXIST);
  assert.equal(link('symlink', 'x', 1), E.INVAL);
  assert.equal(g.path('path_unlink_file', ROOT, 'file'), 0);
  assert.equal(g.filestat(b.fd).nlink, 1n);
  assert.equal(g.read(b.fd, 20).data.toString(), 'content');
});

test('fd_readdir: "." and "..", inode numbers, cookies, truncated buffers, 1000 entries', () => {
  const g = new Guest();
  assert.equal(g.path('path_create_directory', ROOT, 'd'), 0);
  const d = g.openDir(ROOT, 'd');
  const dirStat = g.filestat(d.fd);
  let r = g.readdir(d.fd, 0n, 256);
  assert.deepEqual(r.entries.map((e) => [e.name, e.type]), [['.', 3], ['..', 3]]);
  assert.equal(r.entries[0].ino, dirStat.ino);
  assert.ok(r.used < 256);
  const f = g.open(d.fd, 'file', OFLAGS.CREAT);
  const fst = g.filestat(f.fd);
  r = g.readdir(d.fd, 0n, 256);
  assert.deepEqual(r.entries.map((e) => e.name), ['.', '..', 'file']);
  assert.equal(r.entries[2].ino, fst.ino);
  assert.equal(r.entries[2].type, 4);
  const fromCookie = g.readdir(d.fd, r.entries[1].next, 256);
  assert.deepEqual(fromCookie.entries.map((e) => e.name), ['file']);
  // A buffer too small for the next entry is filled completely (truncated entry): bufused == buf_len.
  const tiny = g.readdir(d.fd, 0n, 30);
  assert.equal(tiny.used, 30);
  assert.deepEqual(tiny.entries.map((e) => e.name), ['.']);
  for (let i = 0; i < 1000; i++) assert.equal(g.sys.fd_close(g.open(d.fd, `file.${i}`, OFLAGS.CREAT).fd), 0);
  let total = 0;
  let cookie = 0n;
  const seen = new Set<string>();
  for (;;) {
    const page = g.readdir(d.fd, cookie, 256);
    for (const e of page.entries) seen.add(e.name);
    total += page.entries.length;
    if (page.used < 256) break;
    cookie = page.entries[page.entries.length - 1].next;
  }
  assert.equal(total, 1003);
  assert.equal(seen.size, 1003);
  assert.equal(g.readdir(f.fd, 0n).errno, E.NOTDIR, 'readdir on a file');
});

test('timestamps: set_times with explicit values and NOW, invalid flag combinations', () => {
  const g = new Guest();
  const f = g.open(ROOT, 'file', OFLAGS.CREAT);
  const st = g.pathFilestat(ROOT, 'file');
  const newM = st.mtim - 100n;
  const [pp, pl] = g.str('file');
  assert.equal(g.sys.path_filestat_set_times(ROOT, 0, pp, pl, 0n, newM, 4), 0);
  assert.equal(g.pathFilestat(ROOT, 'file').mtim, newM);
  assert.equal(g.pathFilestat(ROOT, 'file').atim, st.atim, 'atime untouched');
  assert.equal(g.sys.path_filestat_set_times(ROOT, 0, pp, pl, 0n, newM, 4 | 8), E.INVAL);
  assert.equal(g.sys.path_filestat_set_times(ROOT, 0, pp, pl, 0n, 0n, 1 | 2), E.INVAL);
  assert.equal(g.sys.fd_filestat_set_times(f.fd, 100n, 200n, 4 | 8), E.INVAL);
  assert.equal(g.sys.fd_filestat_set_times(f.fd, 100n, 200n, 1 | 2), E.INVAL);
  assert.equal(g.sys.fd_filestat_set_times(f.fd, 123456789n, 987654321n, 1 | 4), 0);
  const s2 = g.filestat(f.fd);
  assert.equal(s2.atim, 123456789n);
  assert.equal(s2.mtim, 987654321n);
  const before = BigInt(Date.now()) * 1_000_000n - 1_000_000_000n;
  assert.equal(g.sys.fd_filestat_set_times(f.fd, 0n, 0n, 2 | 8), 0);
  const s3 = g.filestat(f.fd);
  assert.ok(s3.atim > before && s3.mtim === s3.atim, 'NOW sets both to the current time');
});

test('non-ASCII names round-trip; invalid UTF-8 in a path → EILSEQ', () => {
  const g = new Guest();
  withFile(g, 'grüße-日本.txt', 'x');
  const d = g.openDir(ROOT, '.');
  assert.ok(g.readdir(d.fd, 0n).entries.some((e) => e.name === 'grüße-日本.txt'));
  assert.equal(g.pathFilestat(ROOT, 'grüße-日本.txt').size, 1n);
  const [p, l] = g.str(Buffer.from([0x61, 0xff, 0x62]));
  const out = g.alloc(4);
  assert.equal(g.sys.path_open(ROOT, 0, p, l, 0, 0n, 0n, 0, out), 25);
});

test('a preopen may carry the name the user wrote (fd_prestat_dir_name), e.g. a relative "fs-tests.dir"', () => {
  const g = new Guest({ preopens: [{ kind: 'virtual', guestPath: '/fs-tests.dir', name: 'fs-tests.dir' }] });
  const p = g.alloc(8);
  assert.equal(g.sys.fd_prestat_get(4, p), 0);
  assert.equal(g.u32(p + 4), 12);
  const n = g.alloc(12);
  assert.equal(g.sys.fd_prestat_dir_name(4, n, 12), 0);
  assert.equal(g.bytes(n, 12).toString(), 'fs-tests.dir');
  assert.equal(g.open(4, 'x', 1).errno, 0);
  assert.equal(g.pathFilestat(ROOT, 'fs-tests.dir/x').filetype, 4, 'the same directory is /fs-tests.dir in the namespace');
});
