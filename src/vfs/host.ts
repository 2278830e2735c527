// Host-backed directories and files: a mount of a host directory, with its read/write/create permissions, via synchronous node:fs.

import * as fs from 'node:fs';
import { VfsError } from '../runtime/api';
import type { MemDir } from './memory';

export interface HostMount {
  /** Real path of the mounted host directory (no trailing slash). */
  readonly hostRoot: string;
  /** Where it appears in the guest namespace. */
  readonly guestPath: string;
  readonly read: boolean;
  readonly write: boolean;
  readonly create: boolean;
  /** Directories mounted on top of paths inside this mount (rel path → directory). */
  readonly overlays: Map<string, MemDir | HostDir>;
}

export class HostDir {
  readonly type = 'hostDir' as const;
  readonly hostPath: string;
  /** `st`: the lstat taken when this directory was just looked up (fresh only during that lookup). */
  constructor(readonly mount: HostMount, readonly rel: string, readonly st?: fs.BigIntStats) {
    // hostRoot is '' when the host's own "/" is mounted.
    this.hostPath = rel === '' ? mount.hostRoot || '/' : mount.hostRoot + '/' + rel;
  }
  childRel(name: string): string {
    return this.rel === '' ? name : this.rel + '/' + name;
  }
  childHostPath(name: string): string {
    return this.rel === '' ? this.mount.hostRoot + '/' + name : this.hostPath + '/' + name;
  }
  guestPath(): string {
    const base = this.mount.guestPath === '/' ? '' : this.mount.guestPath;
    return this.rel === '' ? this.mount.guestPath : base + '/' + this.rel;
  }
  childGuestPath(name: string): string {
    const p = this.guestPath();
    return p === '/' ? '/' + name : p + '/' + name;
  }
}

export type HostNodeType = 'file' | 'symlink' | 'characterDevice' | 'blockDevice' | 'socket' | 'fifo' | 'unknown';

/** A non-directory entry found on the host while resolving a path. */
export class HostNode {
  readonly type = 'hostNode' as const;
  constructor(
    readonly parent: HostDir,
    readonly name: string,
    readonly nodeType: HostNodeType,
    readonly st: fs.BigIntStats,
  ) {}
  get hostPath(): string {
    return this.parent.childHostPath(this.name);
  }
}

const S_IFMT = fs.constants.S_IFMT;
const TYPE_BY_MODE = new Map<number, HostNodeType | 'directory'>([
  [fs.constants.S_IFREG, 'file'],
  [fs.constants.S_IFDIR, 'directory'],
  [fs.constants.S_IFLNK, 'symlink'],
  [fs.constants.S_IFCHR, 'characterDevice'],
  [fs.constants.S_IFBLK, 'blockDevice'],
  [fs.constants.S_IFSOCK, 'socket'],
  [fs.constants.S_IFIFO, 'fifo'],
]);

export function hostNodeType(st: fs.BigIntStats | fs.Stats | fs.Dirent): HostNodeType | 'directory' {
  // From the mode bits when there are some: each is*() of a BigIntStats converts constants to BigInt again.
  if (S_IFMT !== undefined && 'mode' in st) return TYPE_BY_MODE.get(Number(st.mode) & S_IFMT) ?? 'unknown';
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isCharacterDevice()) return 'characterDevice';
  if (st.isBlockDevice()) return 'blockDevice';
  if (st.isSocket()) return 'socket';
  if (st.isFIFO()) return 'fifo';
  return 'unknown';
}

/** The guest-facing error for an operation the mount's permissions forbid. */
export function permissionError(mount: HostMount, what: 'read' | 'write' | 'create', guestPath: string): VfsError {
  return new VfsError(
    'EPERM',
    guestPath,
    `EPERM: ${guestPath}: the host mount ${mount.guestPath} (${mount.hostRoot}) is mounted without "${what}" permission`,
  );
}

export function checkPermission(mount: HostMount, what: 'read' | 'write' | 'create', guestPath: string): void {
  if (!mount[what]) throw permissionError(mount, what, guestPath);
}

/** An open host file. Positions are kept by the descriptor table; every access is positional. */
export class HostFileHandle {
  readonly kind = 'hostFile' as const;
  written = false;
  /** Write-behind: bytes written at [wpos, wpos+wlen) not yet on disk (see Vfs.settle); wbuf/rbuf are the Vfs's shared buffers. */
  wbuf: Uint8Array | null = null;
  wpos = 0;
  wlen = 0;
  /** When the journal last announced a change to this file (writes are announced at most every 50 ms). */
  announcedMs = 0;
  /** Read-ahead: disk bytes [rpos, rpos+rlen). */
  rbuf: Uint8Array | null = null;
  rpos = 0;
  rlen = 0;
  constructor(
    readonly fd: number,
    readonly dir: HostDir,
    readonly name: string,
  ) {}
  guestPath(): string {
    return this.dir.childGuestPath(this.name);
  }
}

export const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;
export const O_DIRECTORY = fs.constants.O_DIRECTORY ?? 0;
