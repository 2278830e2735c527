// In-memory inodes: files whose bytes live in a SharedArrayBuffer (readable by the main-thread mirror), directories, symlinks.

import { nsToMs } from './clock';
import type { HostDir } from './host';

/** Bytes before a file's data in its SharedArrayBuffer: Float64 [size, mtimeMs, ctimeMs, spare]. */
export const FILE_HEADER_BYTES = 32;
const MIN_CAPACITY = 64;
/** The device number reported for in-memory nodes (host nodes report the host's). */
export const MEMORY_DEV = 0x57a51n;

export type MemNode = MemFile | MemDir | MemSymlink;
/** What a directory entry can name: an in-memory node or, at a mount point, a host directory. */
export type MemEntry = MemNode | HostDir;

abstract class MemInode {
  nlink = 1;
  atimeNs: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  constructor(readonly ino: number, timeNs: bigint) {
    this.atimeNs = this.mtimeNs = this.ctimeNs = timeNs;
  }
}

export class MemFile extends MemInode {
  readonly type = 'file' as const;
  buffer: SharedArrayBuffer;
  /** The data region of `buffer` (capacity bytes). */
  bytes: Uint8Array;
  /** The shared header: [0] size, [1] mtime ms, [2] ctime ms. */
  meta: Float64Array;
  /** Set when a write has not yet been announced in the journal (announcements are throttled). */
  unannounced = false;
  lastAnnouncedMs = 0;

  constructor(ino: number, timeNs: bigint, buffer?: SharedArrayBuffer) {
    super(ino, timeNs);
    this.buffer = buffer ?? new SharedArrayBuffer(FILE_HEADER_BYTES);
    this.meta = new Float64Array(this.buffer, 0, 4);
    this.bytes = new Uint8Array(this.buffer, FILE_HEADER_BYTES);
    if (!buffer) this.syncMetaTimes();
  }

  get size(): number {
    return this.meta[0];
  }
  set size(n: number) {
    this.meta[0] = n;
  }

  syncMetaTimes(): void {
    this.meta[1] = nsToMs(this.mtimeNs);
    this.meta[2] = nsToMs(this.ctimeNs);
  }

  /** Makes room for `needed` bytes; returns true when the SharedArrayBuffer was replaced (journal 'data'). */
  ensureCapacity(needed: number): boolean {
    if (needed <= this.bytes.length) return false;
    let capacity = Math.max(MIN_CAPACITY, this.bytes.length * 2);
    while (capacity < needed) capacity *= 2;
    const next = new SharedArrayBuffer(FILE_HEADER_BYTES + capacity);
    const nextBytes = new Uint8Array(next, FILE_HEADER_BYTES);
    nextBytes.set(this.bytes.subarray(0, this.size));
    const nextMeta = new Float64Array(next, 0, 4);
    nextMeta.set(this.meta);
    this.buffer = next;
    this.bytes = nextBytes;
    this.meta = nextMeta;
    return true;
  }

  /** Replaces the buffer with one received from the journal (mirror side). */
  adoptBuffer(buffer: SharedArrayBuffer): void {
    this.buffer = buffer;
    this.meta = new Float64Array(buffer, 0, 4);
    this.bytes = new Uint8Array(buffer, FILE_HEADER_BYTES);
  }
}

export class MemDir extends MemInode {
  readonly type = 'directory' as const;
  readonly entries = new Map<string, MemEntry>();
  /** True once removed: lookups through a stale descriptor then fail with ENOENT. */
  removed = false;
  constructor(ino: number, timeNs: bigint, public parent: MemDir | null) {
    super(ino, timeNs);
    this.nlink = 2;
  }
}

export class MemSymlink extends MemInode {
  readonly type = 'symlink' as const;
  constructor(ino: number, timeNs: bigint, readonly target: string) {
    super(ino, timeNs);
  }
}
