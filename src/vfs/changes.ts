// The filesystem change journal (worker → main-thread mirror) and the edits the main thread sends back.
//
// Changes describe the in-memory tree by inode number, so the mirror replays them onto its replica exactly;
// file bytes are not copied: each chunk's SharedArrayBuffer travels once ('data') and both sides read it.
// Under host mounts the disk itself is shared, so only 'hostChanged' notifications are sent.

import type { PreopenInit, RootInit } from '../builder/envInit';

/** Times are nanoseconds since the epoch. */
export type FsChange =
  /**
   * Always the first record: the namespace layout, from which the mirror builds the same mount table and the
   * same initial inode numbers as the worker (the build is deterministic and not journaled itself).
   */
  | { kind: 'layout'; root: RootInit; preopens: PreopenInit[] }
  /** A new regular file; its shared header (size, times) is the 32-byte slot at `headerOffset` of `header`. */
  | { kind: 'create'; parent: number; name: string; ino: number; header: SharedArrayBuffer; headerOffset: number; timeNs: bigint }
  | { kind: 'mkdir'; parent: number; name: string; ino: number; timeNs: bigint }
  | { kind: 'symlink'; parent: number; name: string; ino: number; target: string; timeNs: bigint }
  /** A new name for an existing inode (hard link). */
  | { kind: 'link'; parent: number; name: string; ino: number; timeNs: bigint }
  /** File contents changed (size is also kept in the shared header; this throttled record is the notification). */
  | { kind: 'write'; ino: number; size: number; mtimeNs: bigint }
  /** Size set by truncation / fd_filestat_set_size / fd_allocate; chunks past it are dropped (MemFile.dropChunksAfter). */
  | { kind: 'truncate'; ino: number; size: number; timeNs: bigint }
  /** Chunk `index` of the file's contents was created or replaced (it grew); see CHUNK_SIZE. */
  | { kind: 'data'; ino: number; index: number; chunk: SharedArrayBuffer }
  | { kind: 'rename'; fromParent: number; fromName: string; toParent: number; toName: string; timeNs: bigint }
  | { kind: 'unlink'; parent: number; name: string; timeNs: bigint }
  | { kind: 'rmdir'; parent: number; name: string; timeNs: bigint }
  | { kind: 'setattr'; ino: number; atimeNs: bigint; mtimeNs: bigint; ctimeNs: bigint }
  /** Something changed on the host disk under a mount, at this guest path. */
  | { kind: 'hostChanged'; guestPath: string };

/** An edit requested from the main thread (tree view, wasi-vfs: provider). Paths are absolute guest paths. */
export type FsEdit =
  | { kind: 'writeFile'; path: string; data: Uint8Array; create: boolean; overwrite: boolean }
  | { kind: 'createDirectory'; path: string }
  | { kind: 'delete'; path: string; recursive: boolean }
  | { kind: 'rename'; from: string; to: string; overwrite: boolean };

/** Receives the journal. */
export type ChangeSink = (change: FsChange) => void;
export { applyEdit } from './edits';
