// Unit tests of guest path helpers and the wasi-vfs: URI mapping.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseName, isAtOrBelow, joinGuest, normalizeGuestPath, parentOf, problemWithEntryName, relativeBelow } from '../../src/views/guestPath';
import { fromUriParts, toUriParts, WASI_VFS_SCHEME } from '../../src/views/vfsUri';

test('guest path helpers', () => {
  assert.equal(parentOf('/'), '/');
  assert.equal(parentOf('/a'), '/');
  assert.equal(parentOf('/a/b'), '/a');
  assert.equal(baseName('/'), '/');
  assert.equal(baseName('/a/b.txt'), 'b.txt');
  assert.equal(joinGuest('/', 'a'), '/a');
  assert.equal(joinGuest('/a', 'b'), '/a/b');
  assert.equal(isAtOrBelow('/a/b', '/a'), true);
  assert.equal(isAtOrBelow('/a', '/a'), true);
  assert.equal(isAtOrBelow('/ab', '/a'), false);
  assert.equal(isAtOrBelow('/x', '/'), true);
  assert.equal(relativeBelow('/data/x/y', '/data'), 'x/y');
  assert.equal(relativeBelow('/x/y', '/'), 'x/y');
  assert.equal(relativeBelow('/data', '/data'), '');
});

test('normalizes URI paths and refuses dot segments', () => {
  assert.equal(normalizeGuestPath(''), '/');
  assert.equal(normalizeGuestPath('//tmp///out.txt/'), '/tmp/out.txt');
  assert.throws(() => normalizeGuestPath('/tmp/../etc'), /Guest path "\/tmp\/\.\.\/etc" contains "\.\."/);
  assert.throws(() => normalizeGuestPath('/./x'), /contains "\."/);
});

test('names typed by the user are checked', () => {
  assert.equal(problemWithEntryName('ok.txt'), undefined);
  assert.equal(problemWithEntryName(''), 'Enter a name.');
  assert.match(problemWithEntryName('a/b')!, /cannot contain "\/"/);
  assert.match(problemWithEntryName('..')!, /not a usable name/);
});

test('wasi-vfs: URIs carry the session id as authority and the guest path as path', () => {
  const parts = toUriParts({ sessionId: 'a1b2-c3', guestPath: '/tmp/out file.txt' });
  assert.deepEqual(parts, { scheme: WASI_VFS_SCHEME, authority: 'a1b2-c3', path: '/tmp/out file.txt' });
  assert.deepEqual(fromUriParts(parts), { sessionId: 'a1b2-c3', guestPath: '/tmp/out file.txt' });
  assert.deepEqual(fromUriParts({ scheme: 'wasi-vfs', authority: 's', path: '' }), { sessionId: 's', guestPath: '/' });
  assert.throws(() => fromUriParts({ scheme: 'file', authority: '', path: '/x' }), /Not a wasi-vfs: URI \(scheme "file"\)/);
  assert.throws(() => fromUriParts({ scheme: 'wasi-vfs', authority: '', path: '/x' }), /needs the debug session id as its authority/);
});
