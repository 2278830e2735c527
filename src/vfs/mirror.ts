// VfsMirror: the main thread's exact replica of the worker's filesystem, readable at any moment, fed by the change journal.
//
// In-memory files share their SharedArrayBuffer with the worker (no copies; the size lives in the shared
// header), host mounts are read from the disk through the same sandboxed resolver, and edits go to the worker
// (requestEdit) while it runs, then straight to the replica once becomeAuthoritative() is called.

import type { PreopenInit, RootInit } from '../builder/envInit';
import { VfsDirEntry, VfsError, VfsMountInfo, VfsNodeKind, VfsStat, VfsView } from '../runtime/api';
import type { FsChange, FsEdit } from './changes';
import { nsToMs } from './clock';
import { applyEdit, toViewError } from './edits';
import type { Entry, NodeType } from './vfs';
import { Vfs } from './vfs';

export type RequestEdit = (edit: FsEdit) => Promise<void>;

function viewKind(t: NodeType): VfsNodeKind {
  return t === 'directory' || t === 'symlink' || t === 'characterDevice' ? t : 'file';
}

/** The replica of a layout; a layout the worker could not build either (a missing host directory) gives an empty "/". */
function buildReplica(layout: { root: RootInit; preopens: PreopenInit[] }): Vfs {
  try {
    return new Vfs({ root: layout.root, preopens: layout.preopens }, null, { replica: true });
  } catch {
    return new Vfs({ root: { kind: 'memory' }, preopens: [] }, null, { replica: true });
  }
}

export class VfsMirror implements VfsView {
  private vfs: Vfs | undefined;
  private authoritative = false;
  private readonly listeners = new Set<(paths: string[]) => void>();

  /**
   * `layout` (the init's root and preopens) builds the replica at once; without it the replica is built from the
   * journal's first record ('layout'). Until then the filesystem looks like an empty in-memory "/".
   */
  constructor(
    private readonly requestEdit: RequestEdit,
    layout?: { root: RootInit; preopens: PreopenInit[] },
  ) {
    if (layout) this.vfs = buildReplica(layout);
  }

  private get replica(): Vfs {
    if (!this.vfs) this.vfs = new Vfs({ root: { kind: 'memory' }, preopens: [] }, null, { replica: true });
    return this.vfs;
  }

  /** Replays a batch of journal records; fires onDidChange once with the affected paths. */
  applyChanges(batch: FsChange[]): void {
    const paths = new Set<string>();
    for (const c of batch) {
      if (c.kind === 'layout') {
        this.vfs = buildReplica(c);
        paths.add('/');
        continue;
      }
      paths.add(this.replica.applyChange(c));
    }
    this.fire([...paths]);
  }

  /** The module has exited: edits now apply to the replica directly. */
  becomeAuthoritative(): void {
    this.authoritative = true;
  }

  mounts(): VfsMountInfo[] {
    return this.replica.mounts.map((m) => ({
      guestPath: m.guestPath,
      hostPath: m.hostRoot || '/',
      read: m.read,
      write: m.write,
      create: m.create,
    }));
  }

  stat(path: string): VfsStat {
    return this.statAt(path, true);
  }

  lstat(path: string): VfsStat {
    return this.statAt(path, false);
  }

  private statAt(path: string, follow: boolean): VfsStat {
    return this.guard(() => {
      const vfs = this.replica;
      const w = vfs.walkAbsolute(path, follow);
      const e: Entry | undefined = w.entry;
      if (e === undefined) throw new VfsError('ENOENT', path);
      const st = vfs.statEntry(e, path);
      const out: VfsStat = {
        kind: viewKind(st.type),
        size: Number(st.size),
        mtimeMs: nsToMs(st.mtimeNs),
        ctimeMs: nsToMs(st.ctimeNs),
      };
      if (e.type === 'file') {
        // The shared header is always current; the journal's times may lag behind by the write throttle.
        out.mtimeMs = e.meta[1];
        out.ctimeMs = e.meta[2];
      }
      if (st.type === 'symlink') out.linkTarget = vfs.readlink(w.parent, w.name);
      return out;
    });
  }

  readDirectory(path: string): VfsDirEntry[] {
    return this.guard(() => {
      const vfs = this.replica;
      const w = vfs.walkAbsolute(path, true);
      const e = w.entry;
      if (e === undefined) throw new VfsError('ENOENT', path);
      if (e.type !== 'directory' && e.type !== 'hostDir') throw new VfsError('ENOTDIR', path);
      return vfs.list(e).map((x) => ({ name: x.name, kind: viewKind(x.type) }));
    });
  }

  readFile(path: string): Uint8Array {
    return this.guard(() => this.replica.readWholeFile(path));
  }

  writeFile(path: string, data: Uint8Array, options: { create: boolean; overwrite: boolean }): Promise<void> {
    return this.edit({ kind: 'writeFile', path, data, create: options.create, overwrite: options.overwrite });
  }

  createDirectory(path: string): Promise<void> {
    return this.edit({ kind: 'createDirectory', path });
  }

  delete(path: string, options: { recursive: boolean }): Promise<void> {
    return this.edit({ kind: 'delete', path, recursive: options.recursive });
  }

  rename(from: string, to: string, options: { overwrite: boolean }): Promise<void> {
    return this.edit({ kind: 'rename', from, to, overwrite: options.overwrite });
  }

  onDidChange(listener: (paths: string[]) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private edit(edit: FsEdit): Promise<void> {
    if (!this.authoritative) return this.requestEdit(edit);
    try {
      applyEdit(this.replica, edit);
    } catch (e) {
      return Promise.reject(e);
    }
    this.fire(edit.kind === 'rename' ? [edit.from, edit.to] : [edit.path]);
    return Promise.resolve();
  }

  private fire(paths: string[]): void {
    if (paths.length === 0) return;
    for (const l of [...this.listeners]) {
      try {
        l(paths);
      } catch {
        // a listener's failure must not stop the others
      }
    }
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof VfsError) throw toViewError(e);
      throw e;
    }
  }
}
