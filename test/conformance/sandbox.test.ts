// Sandbox tests: sandbox.wasm tries every escape (.., absolute paths, guest-made and host-planted symlinks, NUL) and every
// forbidden write (read-only mount, mount without create); each is refused with its errno and the host is checked afterwards.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURES, lineDiff, makeTemp, removeTemp, runInRuntime, runtimeMissing, wasmBytes } from './harness';

/** Every path under `root` with its kind, content (files), link text (symlinks) and mtime: a fingerprint of the tree. */
function snapshot(root: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const rel = path.relative(root, full);
      const stat = fs.lstatSync(full);
      if (stat.isSymbolicLink()) found.set(rel, `symlink ${fs.readlinkSync(full)}`);
      else if (stat.isDirectory()) {
        found.set(rel, `dir mtime=${stat.mtimeMs}`);
        walk(full);
      } else found.set(rel, `file mtime=${stat.mtimeMs} ${fs.readFileSync(full, 'utf8')}`);
    }
  };
  walk(root);
  return found;
}

function isLink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

test('sandbox: escapes and forbidden writes are refused, and nothing outside the mounts is touched', async (t) => {
  const missing = runtimeMissing();
  if (missing) {
    t.skip(missing);
    return;
  }
  const base = makeTemp('sandbox');
  try {
    const outside = path.join(base, 'outside');
    const rw = path.join(base, 'rw');
    const ro = path.join(base, 'ro');
    const noCreate = path.join(base, 'nocreate');
    for (const dir of [outside, path.join(outside, 'dir'), rw, ro, path.join(ro, 'sub'), noCreate]) fs.mkdirSync(dir);
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'top secret');
    fs.writeFileSync(path.join(rw, 'existing.txt'), 'rw data');
    fs.writeFileSync(path.join(ro, 'data.txt'), 'read only data');
    fs.writeFileSync(path.join(noCreate, 'file.txt'), 'old');
    // Planted on the host, behind the runtime's back.
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(rw, 'planted_abs'));
    fs.symlinkSync('../outside/secret.txt', path.join(rw, 'planted_rel'));
    fs.symlinkSync('../outside', path.join(rw, 'planted_dir'));
    const outsideBefore = snapshot(outside);
    const roBefore = snapshot(ro);
    const baseNamesBefore = fs.readdirSync(base).sort();

    const result = await runInRuntime('sandbox', wasmBytes('c/sandbox.wasm'), {
      configure: (builder) => {
        builder
          .preopenBuild((p) => p.directory(rw).alias('/rw').read(true).write(true).create(true))
          .preopenBuild((p) => p.directory(ro).alias('/ro').read(true))
          .preopenBuild((p) => p.directory(noCreate).alias('/nocreate').read(true).write(true))
          .preopenVfsDirs(['/mem']);
      },
    });
    // The host first (what matters most), then the guest's own account of each refusal.
    // The host, after: nothing outside the mounts and nothing in the read-only mount changed.
    assert.deepEqual(snapshot(outside), outsideBefore, 'the directory outside every mount changed');
    assert.equal(fs.readFileSync(path.join(outside, 'secret.txt'), 'utf8'), 'top secret');
    assert.deepEqual(snapshot(ro), roBefore, 'the read-only mount changed');
    assert.deepEqual(fs.readdirSync(base).sort(), baseNamesBefore, 'a name appeared beside the mounts');
    // The mount without create: written in place, no new name.
    assert.deepEqual(fs.readdirSync(noCreate).sort(), ['file.txt']);
    assert.equal(fs.readFileSync(path.join(noCreate, 'file.txt'), 'utf8'), 'new');
    // The writable mount: the guest's relative link is a plain symlink holding its text; no absolute one was made; the planted link it removed is gone.
    assert.equal(fs.readlinkSync(path.join(rw, 'guest_rel')), '../outside/secret.txt');
    assert.equal(fs.existsSync(path.join(rw, 'guest_abs')) || isLink(path.join(rw, 'guest_abs')), false, 'an absolute symlink reached the host');
    assert.equal(fs.existsSync(path.join(rw, 'planted_rel')), false);
    assert.equal(fs.existsSync(path.join(rw, 'taken.txt')), false, 'a file of the read-only mount was moved out');
    assert.equal(fs.readFileSync(path.join(rw, 'existing.txt'), 'utf8'), 'rw data');

    const expected = fs.readFileSync(path.join(FIXTURES, 'c/sandbox.expected'), 'utf8');
    assert.ok(result.stdout === expected, `sandbox stdout differs (- expected, + got):\n${lineDiff(expected, result.stdout)}`);
    assert.deepEqual(result.exit, { kind: 'exit', code: 0 });
  } finally {
    removeTemp(base);
  }
});
