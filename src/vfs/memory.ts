// In-memory inodes: files whose bytes live in a SharedArrayBuffer (readable by the main-thread mirror), directories, symlinks.

import { nsToMs } from './clock';
import type { HostDir } from './host';

/** Chunk size of file contents: large files grow by whole chunks (no copying); chunk 0 grows by doubling up to it. */
export const CHUNK_SIZE = 1 << 20;
const MIN_FIRST_CHUNK = 64;
/** The device number reported for in-memory nodes (host nodes report the host's). */
export const MEMORY_DEV = 0x57a51n;

export type MemNode = MemFile | MemDir | MemSymlink;
/** What a directory entry can name: an in-memory node or, at a mount point, a host directory. */
export type MemEntry = MemNode | HostDir;

/**
 * Each file's shared header is a slot of 4 Float64 (size, mtime ms, ctime ms, spare) in a pooled
 * SharedArrayBuffer, so the mirror always sees the current size without a journal record per write.
 */
const HEADER_SLOTS_PER_POOL = 2048;
const HEADER_SLOT_BYTES = 32;
let headerPool: SharedArrayBuffer | undefined;
let headerPoolNext = HEADER_SLOTS_PER_POOL;
function allocHeader(): { buffer: SharedArrayBuffer; offset: number } {
  if (headerPoolNext >= HEADER_SLOTS_PER_POOL) {
    headerPool = new SharedArrayBuffer(HEADER_SLOTS_PER_POOL * HEADER_SLOT_BYTES);
    headerPoolNext = 0;
  }
  return { buffer: headerPool!, offset: headerPoolNext++ * HEADER_SLOT_BYTES };
}

abstract class MemInode {
  nlink = 1;
  /**
   * Last known name and parent directory, for journal paths and messages (a hard-linked file keeps one of its
   * names). Plain fields rather than a WeakMap: a mirror replaying 100,000 creates paid for the ephemeron table.
   */
  pathName: string | undefined = undefined;
  pathParent: MemDir | null = null;
  atimeNs: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  constructor(readonly ino: number, timeNs: bigint) {
    this.atimeNs = this.mtimeNs = this.ctimeNs = timeNs;
  }
}

export class MemFile extends MemInode {
  readonly type = 'file' as const;
  readonly headerBuffer: SharedArrayBuffer;
  readonly headerOffset: number;
  /** The shared header: [0] size, [1] mtime ms, [2] ctime ms. */
  readonly meta: Float64Array;
  /** Contents: chunk i holds bytes [i*CHUNK_SIZE, …); each over its own SharedArrayBuffer. */
  chunks: Uint8Array[] = [];
  /** Set when a write has not yet been announced in the journal (announcements are throttled). */
  unannounced = false;
  lastAnnouncedMs = 0;

  constructor(ino: number, timeNs: bigint, header?: { buffer: SharedArrayBuffer; offset: number }) {
    super(ino, timeNs);
    const h = header ?? allocHeader();
    this.headerBuffer = h.buffer;
    this.headerOffset = h.offset;
    this.meta = new Float64Array(h.buffer, h.offset, 4);
    if (!header) {
      this.meta[0] = 0;
      this.syncMetaTimes();
    }
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

  /**
   * Makes room for `needed` bytes. Calls `onChunk(index, buffer)` for every chunk created or replaced
   * (the journal's 'data' record), so the mirror can share it.
   */
  ensureCapacity(needed: number, onChunk: ((file: MemFile, index: number, chunk: SharedArrayBuffer) => void) | null): void {
    const chunks = this.chunks;
    if (needed <= 0) return;
    const first = chunks[0];
    const firstCap = first === undefined ? 0 : first.length;
    if (firstCap < CHUNK_SIZE && needed > firstCap) {
      let cap = Math.max(MIN_FIRST_CHUNK, firstCap * 2);
      while (cap < needed && cap < CHUNK_SIZE) cap *= 2;
      if (cap > CHUNK_SIZE) cap = CHUNK_SIZE;
      const sab = new SharedArrayBuffer(cap);
      const next = new Uint8Array(sab);
      if (first !== undefined) next.set(first.subarray(0, Math.min(firstCap, this.size)));
      chunks[0] = next;
      onChunk?.(this, 0, sab);
    }
    const count = Math.ceil(needed / CHUNK_SIZE);
    for (let i = chunks.length; i < count; i++) {
      const sab = new SharedArrayBuffer(CHUNK_SIZE);
      chunks[i] = new Uint8Array(sab);
      onChunk?.(this, i, sab);
    }
  }

  /** Bytes of chunk memory held now. */
  capacity(): number {
    const n = this.chunks.length;
    return n === 0 ? 0 : this.chunks[0].length + (n - 1) * CHUNK_SIZE;
  }

  /** Bytes of chunk memory that holding `needed` bytes takes (ensureCapacity's growth rule). */
  capacityFor(needed: number): number {
    const current = this.capacity();
    if (needed <= current) return current;
    if (needed <= CHUNK_SIZE) {
      let cap = Math.max(MIN_FIRST_CHUNK, this.chunks.length > 0 ? this.chunks[0].length * 2 : 0);
      while (cap < needed) cap *= 2;
      return Math.min(cap, CHUNK_SIZE);
    }
    return Math.ceil(needed / CHUNK_SIZE) * CHUNK_SIZE;
  }

  /** Drops whole chunks past `size` (after a shrink); the same rule runs on both sides. */
  dropChunksAfter(size: number): void {
    const keep = Math.max(1, Math.ceil(size / CHUNK_SIZE));
    if (this.chunks.length > keep) this.chunks.length = keep;
  }

  /** Installs a chunk received from the journal (mirror side). */
  adoptChunk(index: number, buffer: SharedArrayBuffer): void {
    this.chunks[index] = new Uint8Array(buffer);
  }

  read(dst: Uint8Array, off: number, len: number, pos: number): number {
    const size = this.size;
    if (pos >= size) return 0;
    const n = Math.min(len, size - pos);
    let done = 0;
    while (done < n) {
      const p = pos + done;
      const ci = Math.floor(p / CHUNK_SIZE);
      const within = p - ci * CHUNK_SIZE;
      const k = Math.min(n - done, CHUNK_SIZE - within);
      const chunk = this.chunks[ci];
      if (chunk === undefined || within >= chunk.length) dst.fill(0, off + done, off + done + k);
      else dst.set(chunk.subarray(within, within + k), off + done);
      done += k;
    }
    return n;
  }

  /** Copies src[off…off+len) to position `pos`; capacity must have been ensured. */
  writeAt(src: Uint8Array, off: number, len: number, pos: number): void {
    let done = 0;
    while (done < len) {
      const p = pos + done;
      const ci = Math.floor(p / CHUNK_SIZE);
      const within = p - ci * CHUNK_SIZE;
      const k = Math.min(len - done, CHUNK_SIZE - within);
      this.chunks[ci].set(k === len ? src.subarray(off, off + len) : src.subarray(off + done, off + done + k), within);
      done += k;
    }
  }

  /** Zeroes [from, to) (contents past the size must read as zeros when the file grows again). */
  zero(from: number, to: number): void {
    for (let p = from; p < to; ) {
      const ci = Math.floor(p / CHUNK_SIZE);
      const within = p - ci * CHUNK_SIZE;
      const k = Math.min(to - p, CHUNK_SIZE - within);
      const chunk = this.chunks[ci];
      if (chunk !== undefined) chunk.fill(0, within, Math.min(chunk.length, within + k));
      p += k;
    }
  }

  /** A copy of the whole contents. */
  contents(): Uint8Array {
    const out = new Uint8Array(this.size);
    this.read(out, 0, out.length, 0);
    return out;
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
