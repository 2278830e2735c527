// Applies an edit requested from the main thread (tree view, wasi-vfs: provider) to a VFS; throws VfsError when refused.

import { VfsError } from '../runtime/api';
import type { FsEdit } from './changes';
import { err, Vfs } from './vfs';

/**
 * Called by the worker glue before a syscall (edits land between two syscalls of the guest), and by the mirror
 * once it is authoritative. Mount permissions apply exactly as for the guest: a read-only mount is never written.
 */
export function applyEdit(vfs: Vfs, edit: FsEdit): void {
  try {
    applyEditUnchecked(vfs, edit);
  } catch (e) {
    // The main-thread API speaks of EACCES for what the mount's permissions forbid (the guest sees EPERM).
    if (e instanceof VfsError) throw toViewError(e);
    throw e;
  }
}

function applyEditUnchecked(vfs: Vfs, edit: FsEdit): void {
  switch (edit.kind) {
    case 'writeFile':
      vfs.writeWholeFile(edit.path, edit.data, { create: edit.create, overwrite: edit.overwrite });
      return;
    case 'createDirectory': {
      const w = vfs.walkAbsolute(edit.path, true);
      if (w.entry !== undefined) throw err('EEXIST', edit.path);
      vfs.mkdir(vfs.root, edit.path.replace(/^\/+/, ''));
      return;
    }
    case 'delete':
      vfs.deletePath(edit.path, edit.recursive);
      return;
    case 'rename': {
      const to = vfs.walkAbsolute(edit.to, false);
      if (to.entry !== undefined && !edit.overwrite) throw err('EEXIST', edit.to);
      const from = vfs.walkAbsolute(edit.from, false);
      if (from.entry === undefined) throw err('ENOENT', edit.from);
      if (to.entry !== undefined && edit.overwrite && to.entry.type !== from.entry.type) {
        // Replacing a directory by a file (or the reverse) means deleting the old one first, as editors expect.
        vfs.deletePath(edit.to, true);
      }
      vfs.rename(vfs.root, edit.from.replace(/^\/+/, ''), vfs.root, edit.to.replace(/^\/+/, ''));
      return;
    }
  }
}

/** A VfsError as the main thread reports it: absolute path, EACCES for mount permissions. */
export function toViewError(e: VfsError): VfsError {
  const path = e.path.startsWith('/') ? e.path : '/' + e.path;
  let message = e.message;
  if (!e.path.startsWith('/') && message.includes(e.path)) message = message.replace(e.path, path);
  if (e.code === 'EPERM') return new VfsError('EACCES', path, message.replace(/^EPERM/, 'EACCES'));
  return path === e.path && message === e.message ? e : new VfsError(e.code, path, message);
}
