// The guest's descriptor table: what each fd refers to, its rights, flags and position.

import type { Dir, DirListing, FileHandle, NodeType } from '../vfs/vfs';
import { Filetype } from './constants';
import type { Stream } from './stdio';

interface FdCommon {
  rightsBase: number;
  rightsInheriting: number;
  /** fdflags (APPEND, DSYNC, NONBLOCK, RSYNC, SYNC). */
  flags: number;
}

export interface FileFd extends FdCommon {
  kind: 'file';
  handle: FileHandle;
  filetype: Filetype;
  pos: number;
}

export interface DirFd extends FdCommon {
  kind: 'dir';
  dir: Dir;
  /** Set for preopened directories: the name fd_prestat_dir_name reports. */
  preopenName: string | undefined;
  /** Listing snapshot taken at cookie 0, so cookies stay meaningful across calls. */
  listing: DirListing[] | undefined;
}

export interface StreamFd extends FdCommon {
  kind: 'stream';
  stream: Stream;
  filetype: Filetype;
}

export type FdEntry = FileFd | DirFd | StreamFd;

export function filetypeOf(type: NodeType): Filetype {
  switch (type) {
    case 'file':
      return Filetype.REGULAR_FILE;
    case 'directory':
      return Filetype.DIRECTORY;
    case 'symlink':
      return Filetype.SYMBOLIC_LINK;
    case 'characterDevice':
      return Filetype.CHARACTER_DEVICE;
    case 'blockDevice':
      return Filetype.BLOCK_DEVICE;
    case 'socket':
      return Filetype.SOCKET_STREAM;
    default:
      return Filetype.UNKNOWN;
  }
}

export class FdTable {
  readonly entries: Array<FdEntry | undefined> = [];
  private lowestFree = 0;

  get(fd: number): FdEntry | undefined {
    return this.entries[fd];
  }

  /** Places an entry at the lowest free descriptor. */
  add(entry: FdEntry): number {
    let fd = this.lowestFree;
    while (this.entries[fd] !== undefined) fd++;
    this.entries[fd] = entry;
    this.lowestFree = fd + 1;
    return fd;
  }

  set(fd: number, entry: FdEntry): void {
    this.entries[fd] = entry;
  }

  remove(fd: number): FdEntry | undefined {
    const e = this.entries[fd];
    if (e === undefined) return undefined;
    this.entries[fd] = undefined;
    if (fd < this.lowestFree) this.lowestFree = fd;
    // Keep the array short so 'add' stays cheap.
    while (this.entries.length > 0 && this.entries[this.entries.length - 1] === undefined) this.entries.pop();
    return e;
  }
}
