// The sandbox: every escape attempt through host mounts is refused with the exact errno, and nothing outside is touched.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ALL, Guest } from './fixtures/wasiHarness';

const E = { PERM: 63, NOENT: 44, LOOP: 32, NOTDIR: 54, XDEV: 75, EXIST: 20 };
const CREAT = 1;
const TRUNC = 8;

interface Fixture {
  base: string;
  work: string;
  ro: string;
  nocreate: string;
  outside: string;
  snapshot(): string;
  cleanup(): void;
}

/** work/ (read-write mount), ro/ (read-only), nocreate/ (write but no create), outside/ (never reachable). */
function fixture(): Fixture {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'wasi-sandbox-')));
  const work = path.join(base, 'work');
  const ro = path.join(base, 'ro');
  const nocreate = path.join(base, 'nocreate');
  const outside = path.join(base, 'outside');
  for (const d of [work, ro, nocreate, outside]) fs.mkdirSync(d);
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret');
  fs.writeFileSync(path.join(ro, 'readme.txt'), 'read only');
  fs.mkdirSync(path.join(ro, 'sub'));
  fs.writeFileSync(path.join(nocreate, 'existing.txt'), 'old');
  fs.mkdirSync(path.join(work, 'deep', 'er'), { recursive: true });
  fs.writeFileSync(path.join(work, 'inside.txt'), 'inside');
  // Symlinks planted on the host, pointing outside the mount in every way.
  fs.symlinkSync('../outside', path.join(work, 'escape'));
  fs.symlinkSync(outside, path.join(work, 'abs'));
  fs.symlinkSync('../../../outside/secret.txt', path.join(work, 'deep', 'er', 'link'));
  fs.symlinkSync('../inside.txt', path.join(work, 'deep', 'ok'));
  const snapshot = (): string => {
    const lines: string[] = [];
    const walk = (dir: string): void => {
      for (const name of fs.readdirSync(dir).sort()) {
        const p = path.join(dir, name);
        const st = fs.lstatSync(p);
        if (st.isSymbolicLink()) lines.push(`${p} -> ${fs.readlinkSync(p)}`);
        else if (st.isDirectory()) {
          lines.push(`${p}/ ${st.mtimeMs}`);
          walk(p);
        } else lines.push(`${p} ${st.size} ${st.mtimeMs} ${fs.readFileSync(p, 'utf8')}`);
      }
    };
    walk(outside);
    walk(ro);
    return lines.join('\n');
  };
  return { base, work, ro, nocreate, outside, snapshot, cleanup: () => fs.rmSync(base, { recursive: true, force: true }) };
}

function guestFor(fx: Fixture): Guest {
  return new Guest({
    preopens: [
      { kind: 'host', guestPath: '/work', hostPath: fx.work, read: true, write: true, create: true },
      { kind: 'host', guestPath: '/ro', hostPath: fx.ro, read: true, write: false, create: false },
      { kind: 'host', guestPath: '/nocreate', hostPath: fx.nocreate, read: true, write: true, create: false },
    ],
  });
}
const WORK = 4;
const RO = 5;
const NOCREATE = 6;

test('host mount: ordinary reads, writes, readdir with inode numbers, rename, hard link, inside symlinks', () => {
  const fx = fixture();
  try {
    const g = guestFor(fx);
    const f = g.open(WORK, 'inside.txt');
    assert.equal(f.errno, 0);
    assert.equal(g.read(f.fd, 100).data.toString(), 'inside');
    const n = g.open(WORK, 'new.txt', CREAT);
    assert.equal(n.errno, 0);
    assert.equal(g.write(n.fd, 'written by the guest').n, 20);
    assert.equal(g.sys.fd_close(n.fd), 0);
    assert.equal(fs.readFileSync(path.join(fx.work, 'new.txt'), 'utf8'), 'written by the guest');
    const st = g.pathFilestat(WORK, 'new.txt');
    assert.equal(st.ino, BigInt(fs.statSync(path.join(fx.work, 'new.txt'), { bigint: true }).ino));
    assert.equal(st.size, 20n);
    const d = g.openDir(WORK, '.');
    const names = g.readdir(d.fd, 0n).entries;
    assert.deepEqual(names.map((e) => e.name).sort(), ['.', '..', 'abs', 'deep', 'escape', 'inside.txt', 'new.txt'].sort());
    const entry = names.find((e) => e.name === 'new.txt')!;
    assert.equal(entry.ino, st.ino);
    assert.equal(entry.type, 4);
    assert.equal(names.find((e) => e.name === 'escape')!.type, 7);
    const [a, al] = g.str('new.txt');
    const [b, bl] = g.str('renamed.txt');
    assert.equal(g.sys.path_rename(WORK, a, al, WORK, b, bl), 0);
    assert.ok(fs.existsSync(path.join(fx.work, 'renamed.txt')));
    const [c, cl] = g.str('hard.txt');
    assert.equal(g.sys.path_link(WORK, 0, b, bl, WORK, c, cl), 0);
    assert.equal(fs.statSync(path.join(fx.work, 'hard.txt')).nlink, 2);
    const ok = g.open(WORK, 'deep/ok', 0, ALL, ALL, 0, 1);
    assert.equal(ok.errno, 0, 'a relative host symlink that stays inside is followed');
    assert.equal(g.read(ok.fd, 100).data.toString(), 'inside');
    assert.equal(g.path('path_create_directory', WORK, 'made'), 0);
    assert.ok(fs.statSync(path.join(fx.work, 'made')).isDirectory());
    assert.equal(g.path('path_remove_directory', WORK, 'made'), 0);
    // nanosecond times survive on the host although node:fs writes microseconds
    const [tp, tl] = g.str('renamed.txt');
    assert.equal(g.sys.path_filestat_set_times(WORK, 0, tp, tl, 1_000_000_000_123_456_789n, 1_200_000_000_987_654_321n, 1 | 4), 0);
    const times = g.pathFilestat(WORK, 'renamed.txt');
    assert.equal(times.atim, 1_000_000_000_123_456_789n);
    assert.equal(times.mtim, 1_200_000_000_987_654_321n);
    assert.equal(fs.statSync(path.join(fx.work, 'renamed.txt'), { bigint: true }).mtimeNs, 1_200_000_000_987_654_000n, 'the disk has microseconds');
    fs.utimesSync(path.join(fx.work, 'renamed.txt'), 5, 6);
    assert.equal(g.pathFilestat(WORK, 'renamed.txt').mtim, 6_000_000_000n, 'a change behind our back wins');
    // the same mount reached from "/" (fd 3)
    assert.equal(g.pathFilestat(3, 'work/inside.txt').size, 6n);
    const [p1, l1] = g.str('work/renamed.txt');
    const [p2, l2] = g.str('tmp.txt');
    assert.equal(g.sys.path_rename(3, p1, l1, 3, p2, l2), E.XDEV, 'host mount → memory is another filesystem');
  } finally {
    fx.cleanup();
  }
});

test('escapes through "..", absolute paths and host symlinks (planted before and behind our back) are refused; nothing outside is touched', () => {
  const fx = fixture();
  try {
    const before = fx.snapshot();
    const g = guestFor(fx);
    const follow = (fd: number, p: string, oflags = 0) => g.open(fd, p, oflags, ALL, ALL, 0, 1).errno;
    assert.equal(follow(WORK, '../outside/secret.txt'), E.PERM);
    assert.equal(follow(WORK, 'deep/../../outside/secret.txt'), E.PERM);
    assert.equal(follow(WORK, fx.outside + '/secret.txt'), E.PERM);
    assert.equal(follow(WORK, 'escape/secret.txt'), E.PERM, 'relative symlink climbing out of the mount');
    assert.equal(follow(WORK, 'abs/secret.txt'), E.PERM, 'absolute host symlink');
    assert.equal(follow(WORK, 'deep/er/link'), E.PERM);
    assert.equal(follow(WORK, 'escape/new.txt', CREAT), E.PERM, 'no file is created outside');
    assert.equal(g.path('path_create_directory', WORK, 'escape/newdir'), E.PERM);
    assert.equal(g.path('path_unlink_file', WORK, 'escape/secret.txt'), E.PERM);
    assert.equal(g.pathFilestat(WORK, 'abs/secret.txt').errno, E.PERM);
    // Through the namespace root, ".." of /work is the guest's "/", not the host's parent: not found.
    assert.equal(follow(3, 'work/escape/secret.txt'), E.NOENT);
    // nofollow on a symlink itself → ELOOP; unlinking the symlink removes only the link
    assert.equal(g.open(WORK, 'abs', 0, ALL, ALL, 0, 0).errno, E.LOOP);
    // A symlink planted after the directory was opened (behind our back).
    const d = g.openDir(WORK, 'deep');
    fs.writeFileSync(path.join(fx.work, 'deep', 'swap'), 'harmless');
    const held = g.open(d.fd, 'swap');
    assert.equal(held.errno, 0);
    fs.unlinkSync(path.join(fx.work, 'deep', 'swap'));
    fs.symlinkSync(path.join(fx.outside, 'secret.txt'), path.join(fx.work, 'deep', 'swap'));
    assert.equal(g.open(d.fd, 'swap', 0, ALL, ALL, 0, 1).errno, E.PERM);
    assert.equal(g.open(d.fd, 'swap', TRUNC, ALL, ALL, 0, 0).errno, E.LOOP);
    const [st, stl] = g.str(fx.outside);
    const [sn, snl] = g.str('planted-by-guest');
    assert.equal(g.sys.path_symlink(st, stl, WORK, sn, snl), E.PERM, 'the guest may not plant an absolute symlink on the host');
    assert.ok(!fs.existsSync(path.join(fx.work, 'planted-by-guest')));
    assert.equal(g.path('path_unlink_file', WORK, 'abs'), 0);
    assert.ok(fs.existsSync(fx.outside), 'the target of the removed link is intact');
    assert.equal(fx.snapshot(), before, 'nothing outside the mounts (nor the read-only mount) changed');
    assert.equal(fs.readFileSync(path.join(fx.outside, 'secret.txt'), 'utf8'), 'secret');
  } finally {
    fx.cleanup();
  }
});

test('a read-only mount is never written: every mutation is EPERM and the disk is unchanged', () => {
  const fx = fixture();
  try {
    const before = fx.snapshot();
    const g = guestFor(fx);
    const r = g.open(RO, 'readme.txt', 0, 2n, 0n);
    assert.equal(r.errno, 0);
    assert.equal(g.read(r.fd, 100).data.toString(), 'read only');
    assert.equal(g.open(RO, 'readme.txt', 0, 64n, 0n).errno, E.PERM, 'open for write');
    assert.equal(g.open(RO, 'readme.txt', TRUNC, 2n, 0n).errno, E.PERM, 'truncate');
    assert.equal(g.open(RO, 'new.txt', CREAT, 2n, 0n).errno, E.PERM, 'create');
    assert.equal(g.path('path_create_directory', RO, 'newdir'), E.PERM);
    assert.equal(g.path('path_unlink_file', RO, 'readme.txt'), E.PERM);
    assert.equal(g.path('path_remove_directory', RO, 'sub'), E.PERM);
    const [a, al] = g.str('readme.txt');
    const [b, bl] = g.str('moved.txt');
    assert.equal(g.sys.path_rename(RO, a, al, RO, b, bl), E.PERM);
    assert.equal(g.sys.path_symlink(a, al, RO, b, bl), E.PERM);
    assert.equal(g.sys.path_link(RO, 0, a, al, RO, b, bl), E.PERM);
    assert.equal(g.sys.path_filestat_set_times(RO, 0, a, al, 0n, 0n, 2 | 8), E.PERM);
    assert.equal(g.sys.path_rename(RO, a, al, WORK, b, bl), E.XDEV, 'two mounts are two filesystems');
    assert.equal(fx.snapshot(), before);
    // create without write on an existing file is fine; new names are refused
    const w = g.open(NOCREATE, 'existing.txt', TRUNC, 64n, 0n);
    assert.equal(w.errno, 0);
    assert.equal(g.write(w.fd, 'new content').n, 11);
    assert.equal(g.sys.fd_close(w.fd), 0);
    assert.equal(fs.readFileSync(path.join(fx.nocreate, 'existing.txt'), 'utf8'), 'new content');
    assert.equal(g.open(NOCREATE, 'fresh.txt', CREAT, 64n, 0n).errno, E.PERM);
    assert.equal(g.path('path_create_directory', NOCREATE, 'd'), E.PERM);
    assert.ok(!fs.existsSync(path.join(fx.nocreate, 'fresh.txt')));
  } finally {
    fx.cleanup();
  }
});

test('in-memory escapes: ".." above a descriptor and symlinks to absolute paths', () => {
  const g = new Guest({ preopens: [{ kind: 'virtual', guestPath: '/sandbox' }] });
  const SANDBOX = 4;
  const [t, tl] = g.str('../../etc');
  const [s, sl] = g.str('up');
  assert.equal(g.sys.path_symlink(t, tl, SANDBOX, s, sl), 0);
  assert.equal(g.open(SANDBOX, 'up/passwd', 0, ALL, ALL, 0, 1).errno, E.PERM);
  assert.equal(g.open(SANDBOX, '../sandbox', 0, 0n, 0n).errno, E.PERM);
  assert.equal(g.open(SANDBOX, 'a\0b').errno, 28);
});

test('host file I/O buffering is invisible to the guest: other descriptors, path lookups and exit see every byte', () => {
  const fx = fixture();
  try {
    const g = guestFor(fx);
    const hostFile = path.join(fx.work, 'log.txt');
    const w = g.open(WORK, 'log.txt', CREAT, 2n | 64n | 4n, 0n);
    for (let i = 0; i < 100; i++) assert.equal(g.write(w.fd, `line ${i}\n`).n, `line ${i}\n`.length);
    const expected = Array.from({ length: 100 }, (_, i) => `line ${i}\n`).join('');
    // another descriptor on the same file reads what was written
    const r = g.open(WORK, 'log.txt', 0, 2n, 0n);
    assert.equal(g.read(r.fd, 100_000).data.toString(), expected);
    // a path stat sees the full size
    for (let i = 0; i < 10; i++) g.write(w.fd, 'more\n');
    assert.equal(g.pathFilestat(WORK, 'log.txt').size, BigInt(expected.length + 50));
    assert.equal(fs.readFileSync(hostFile, 'utf8').length, expected.length + 50);
    // read-ahead is dropped when the file changes through another descriptor
    const r2 = g.open(WORK, 'log.txt', 0, 2n, 0n);
    assert.equal(g.read(r2.fd, 5).data.toString(), 'line ');
    const out = g.alloc(8);
    assert.equal(g.sys.fd_seek(w.fd, 5n, 0, out), 0);
    assert.equal(g.write(w.fd, 'X').n, 1);
    assert.equal(g.read(r2.fd, 3).data.toString(), 'X\nl');
    // the last bytes reach the disk when the module ends (closeAll) even without fd_close
    assert.equal(g.sys.fd_seek(w.fd, 0n, 2, out), 0);
    g.write(w.fd, 'tail');
    g.wasi.closeAll();
    g.vfs.flush();
    assert.ok(fs.readFileSync(hostFile, 'utf8').endsWith('more\ntail'));
    assert.equal(fs.readFileSync(hostFile, 'utf8').slice(0, 8), 'line X\nl');
  } finally {
    fx.cleanup();
  }
});

test('a host-backed root with a virtual preopen and a host mount on top of it', () => {
  const fx = fixture();
  try {
    const g = new Guest({
      root: { kind: 'host', hostPath: fx.work, read: true, write: true, create: true },
      preopens: [
        { kind: 'virtual', guestPath: '/tmp' },
        { kind: 'host', guestPath: '/deep/mnt', hostPath: fx.ro, read: true, write: false, create: false },
      ],
    });
    // fd 3 is the host root; absolute paths through it are relative to it.
    assert.equal(g.pathFilestat(3, 'inside.txt').size, 6n);
    const d = g.openDir(3, '.');
    const names = g.readdir(d.fd, 0n).entries.map((e) => e.name).sort();
    assert.ok(names.includes('tmp'), `the virtual /tmp is listed in the host root: ${names}`);
    // /tmp is in memory: nothing appears on the host disk
    const f = g.open(3, 'tmp/scratch.txt', CREAT);
    assert.equal(f.errno, 0);
    assert.equal(g.write(f.fd, 'memory only').n, 11);
    assert.ok(!fs.existsSync(path.join(fx.work, 'tmp')), 'no tmp/ created on the host');
    assert.equal(Buffer.from(g.vfs.readWholeFile('/tmp/scratch.txt')).toString(), 'memory only');
    // /deep/mnt is the read-only mount, reached through the host root's deep/ directory
    assert.equal(g.pathFilestat(3, 'deep/mnt/readme.txt').size, 9n);
    assert.equal(g.open(3, 'deep/mnt/new.txt', CREAT).errno, E.PERM);
    assert.equal(g.path('path_remove_directory', 3, 'deep/mnt'), 10, 'a mount point is busy');
    // ".." above the host root is still refused
    assert.equal(g.open(3, '../outside/secret.txt').errno, E.PERM);
    assert.equal(g.open(3, 'escape/secret.txt', 0, ALL, ALL, 0, 1).errno, E.PERM);
  } finally {
    fx.cleanup();
  }
});

test('host write-behind and read-ahead buffers are shared by descriptors: interleaved writes and reads of two files stay exact', () => {
  const fx = fixture();
  try {
    const g = guestFor(fx);
    const a = g.open(WORK, 'a.txt', CREAT, 2n | 64n | 4n, 0n);
    const b = g.open(WORK, 'b.txt', CREAT, 2n | 64n | 4n, 0n);
    let expectA = '';
    let expectB = '';
    for (let i = 0; i < 50; i++) {
      g.write(a.fd, `a${i};`);
      expectA += `a${i};`;
      g.write(b.fd, `b${i}|`);
      expectB += `b${i}|`;
    }
    const ra = g.open(WORK, 'a.txt', 0, 2n, 0n);
    const rb = g.open(WORK, 'b.txt', 0, 2n, 0n);
    // alternate small reads so each read-ahead replaces the other's
    let gotA = '';
    let gotB = '';
    for (;;) {
      const x = g.read(ra.fd, 7).data.toString();
      const y = g.read(rb.fd, 5).data.toString();
      gotA += x;
      gotB += y;
      if (x === '' && y === '') break;
    }
    assert.equal(gotA, expectA);
    assert.equal(gotB, expectB);
    assert.equal(fs.readFileSync(path.join(fx.work, 'a.txt'), 'utf8'), expectA);
    assert.equal(fs.readFileSync(path.join(fx.work, 'b.txt'), 'utf8'), expectB);
  } finally {
    fx.cleanup();
  }
});

test('O_CREAT|O_EXCL onto a host symlink (followed or not) is EEXIST and creates nothing at its target', () => {
  const fx = fixture();
  try {
    const before = fx.snapshot();
    const g = guestFor(fx);
    const EXCL = 4;
    fs.symlinkSync('nowhere.txt', path.join(fx.work, 'dangling'));
    assert.equal(g.open(WORK, 'dangling', CREAT | EXCL, ALL, ALL, 0, 1).errno, E.EXIST);
    assert.equal(g.open(WORK, 'dangling', CREAT | EXCL, ALL, ALL, 0, 0).errno, E.EXIST);
    assert.equal(g.open(WORK, 'deep/ok', CREAT | EXCL, ALL, ALL, 0, 1).errno, E.EXIST);
    assert.equal(g.open(WORK, 'escape/new.txt', CREAT | EXCL, ALL, ALL, 0, 1).errno, E.PERM);
    assert.ok(!fs.existsSync(path.join(fx.work, 'nowhere.txt')));
    assert.equal(fx.snapshot(), before);
  } finally {
    fx.cleanup();
  }
});

test('opening existing host entries (open with O_NOFOLLOW, then fstat): files, symlinks, directories, FIFOs and misses keep their errnos', () => {
  const fx = fixture();
  try {
    const before = fx.snapshot();
    const g = guestFor(fx);
    const READ = 2n;
    const WRITE = 64n;
    const E2 = { ...E, ISDIR: 31, NXIO: 60 };
    const r = g.open(WORK, 'inside.txt', 0, READ, 0n);
    assert.equal(r.errno, 0);
    assert.equal(g.read(r.fd, 100).data.toString(), 'inside');
    // a symlink inside the mount: followed on request, ELOOP without follow; one pointing outside stays EPERM
    const viaLink = g.open(WORK, 'deep/ok', 0, READ, 0n, 0, 1);
    assert.equal(viaLink.errno, 0);
    assert.equal(g.read(viaLink.fd, 100).data.toString(), 'inside');
    assert.equal(g.open(WORK, 'deep/ok', 0, READ, 0n, 0, 0).errno, E.LOOP);
    assert.equal(g.open(WORK, 'abs', 0, READ, 0n, 0, 1).errno, E.PERM);
    assert.equal(g.open(WORK, 'deep/er/link', 0, READ, 0n, 0, 1).errno, E.PERM);
    assert.equal(g.open(WORK, 'missing.txt', 0, READ, 0n).errno, E.NOENT);
    // a directory without O_DIRECTORY: readable as a directory, EISDIR for writing
    const dir = g.open(WORK, 'deep', 0, READ | 0x4000n, 0n);
    assert.equal(dir.errno, 0);
    assert.equal(g.open(WORK, 'deep', 0, WRITE, 0n).errno, E2.ISDIR);
    // a read-only mount refuses writing before anything is opened; reading works
    assert.equal(g.open(RO, 'readme.txt', 0, WRITE, 0n).errno, E.PERM);
    const ro = g.open(RO, 'readme.txt', 0, READ, 0n);
    assert.equal(g.read(ro.fd, 100).data.toString(), 'read only');
    // a FIFO is refused at once (the open never blocks waiting for a writer)
    execFileSync('mkfifo', [path.join(fx.work, 'pipe')]);
    assert.equal(g.open(WORK, 'pipe', 0, READ, 0n).errno, E2.NXIO);
    // a file replaced by a symlink after an earlier open is not followed out of the mount
    fs.rmSync(path.join(fx.work, 'inside.txt'));
    fs.symlinkSync(path.join(fx.outside, 'secret.txt'), path.join(fx.work, 'inside.txt'));
    assert.equal(g.open(WORK, 'inside.txt', 0, READ, 0n, 0, 0).errno, E.LOOP);
    assert.equal(g.open(WORK, 'inside.txt', 0, READ, 0n, 0, 1).errno, E.PERM);
    assert.equal(fx.snapshot(), before);
  } finally {
    fx.cleanup();
  }
});

test('a directory held as a descriptor and then replaced on the host by a symlink leading out is not followed; a replacement inside the mount is', () => {
  const fx = fixture();
  try {
    const before = fx.snapshot();
    const g = guestFor(fx);
    const E2 = { ...E, NOTDIR: 54 };
    fs.writeFileSync(path.join(fx.outside, 'note.txt'), 'outside note');
    const beforeWithNote = fx.snapshot();
    // A descriptor one level below the mount's root (checked by an lstat) and one three levels below (a realpath).
    fs.mkdirSync(path.join(fx.work, 'a', 'b', 'c'), { recursive: true });
    fs.writeFileSync(path.join(fx.work, 'a', 'b', 'c', 'f.txt'), 'deep file');
    const deep = g.openDir(WORK, 'deep');
    const c = g.openDir(WORK, 'a/b/c');
    assert.equal(deep.errno, 0);
    assert.equal(c.errno, 0);
    assert.equal(g.pathFilestat(c.fd, 'f.txt').size, 9n);
    // The host moves them away and plants symlinks to outside/ at their names (or at a parent's).
    fs.renameSync(path.join(fx.work, 'deep'), path.join(fx.work, 'deep-moved'));
    fs.symlinkSync(fx.outside, path.join(fx.work, 'deep'));
    fs.renameSync(path.join(fx.work, 'a', 'b'), path.join(fx.work, 'a', 'b-moved'));
    fs.mkdirSync(path.join(fx.outside, 'c'));
    fs.writeFileSync(path.join(fx.outside, 'c', 'f.txt'), 'outside, 21 bytes....');
    fs.symlinkSync(fx.outside, path.join(fx.work, 'a', 'b'));
    const beforeGuest = fx.snapshot();
    for (const fd of [deep.fd, c.fd]) {
      const name = fd === deep.fd ? 'note.txt' : 'f.txt';
      assert.equal(g.open(fd, name, 0, ALL, ALL, 0, 1).errno, E.PERM, `open ${name} through the swapped descriptor`);
      assert.equal(g.open(fd, 'planted.txt', CREAT, ALL, ALL, 0, 0).errno, E.PERM, 'no file is created outside');
      assert.equal(g.pathFilestat(fd, name).errno, E.PERM);
      assert.equal(g.path('path_create_directory', fd, 'newdir'), E.PERM);
      assert.equal(g.path('path_unlink_file', fd, name), E.PERM);
      assert.equal(g.readdir(fd, 0n).errno, E.PERM, 'the outside directory is not listed');
      assert.equal(g.filestat(fd).errno, E.PERM);
      assert.equal(g.sys.fd_filestat_set_times(fd, 0n, 0n, 2 | 8), E.PERM, 'the outside directory keeps its times');
      assert.equal(g.open(fd, '.', 0, ALL, ALL, 0, 1).errno, E.PERM);
    }
    assert.equal(fx.snapshot(), beforeGuest, 'nothing outside changed');
    // A path through the namespace, two plain directories deep (one realpath), sees the swap too.
    assert.equal(g.pathFilestat(WORK, 'a/b/c/f.txt').errno, E.PERM);
    // Replaced by a symlink that stays inside the mount: the descriptor's path leads there, as a fresh lookup would.
    fs.unlinkSync(path.join(fx.work, 'deep'));
    fs.symlinkSync('deep-moved', path.join(fx.work, 'deep'));
    fs.writeFileSync(path.join(fx.work, 'deep-moved', 'plain.txt'), 'moved');
    const viaInside = g.open(deep.fd, 'plain.txt', 0, 2n, 0n, 0, 1);
    assert.equal(viaInside.errno, 0);
    assert.equal(g.read(viaInside.fd, 100).data.toString(), 'moved');
    // ".." still stops at the descriptor: deep/ok (-> ../inside.txt) climbs above it.
    assert.equal(g.open(deep.fd, 'ok', 0, 2n, 0n, 0, 1).errno, E.PERM);
    // Gone, or a file now: ENOENT / ENOTDIR, never a lookup elsewhere.
    fs.unlinkSync(path.join(fx.work, 'a', 'b'));
    assert.equal(g.pathFilestat(c.fd, 'f.txt').errno, E.NOENT);
    fs.writeFileSync(path.join(fx.work, 'a', 'b'), 'now a file');
    assert.equal(g.pathFilestat(c.fd, 'f.txt').errno, E2.NOTDIR);
    // Put back: the descriptor works again.
    fs.unlinkSync(path.join(fx.work, 'a', 'b'));
    fs.renameSync(path.join(fx.work, 'a', 'b-moved'), path.join(fx.work, 'a', 'b'));
    assert.equal(g.pathFilestat(c.fd, 'f.txt').size, 9n);
    assert.equal(g.readdir(c.fd, 0n).entries.map((x) => x.name).join(' '), '. .. f.txt');
    fs.rmSync(path.join(fx.outside, 'c'), { recursive: true });
    assert.equal(fx.snapshot(), beforeWithNote);
    fs.rmSync(path.join(fx.outside, 'note.txt'));
    assert.equal(fx.snapshot(), before);
  } finally {
    fx.cleanup();
  }
});
