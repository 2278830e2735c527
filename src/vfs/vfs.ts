// The guest filesystem: namespace (memory root, host mounts, virtual preopens), the sandboxing path resolver, and every operation.
//
// THE SANDBOX IS ENFORCED HERE, in `walk`: a path is resolved component by component from a directory
// capability; ".." may never climb above that directory, absolute paths and absolute symlink targets are
// refused (EPERM, as wasmtime), symlinks — ours or planted on the host — are read with lstat/readlink and
// resolved by the same rules (at most 40 hops → ELOOP), and host files are opened with O_NOFOLLOW / O_EXCL
// so a symlink swapped in at the last component is never followed by the OS. Mount permissions
// (read / write / create) are checked by every operation that touches a host mount (EPERM).

import * as fs from 'node:fs';
import { VfsError } from '../runtime/api';
import type { PreopenInit, RootInit } from '../builder/envInit';
import type { ChangeSink, FsChange } from './changes';
import { monotonicMs, nowNs } from './clock';
import {
  checkPermission, HostDir, HostFileHandle, HostMount, HostNode, hostNodeType, O_NOFOLLOW,
} from './host';
import { MEMORY_DEV, MemDir, MemEntry, MemFile, MemNode, MemSymlink } from './memory';

export type Dir = MemDir | HostDir;
/** Anything a path can name. */
export type Entry = MemNode | HostDir | HostNode;

export type NodeType = 'file' | 'directory' | 'symlink' | 'characterDevice' | 'blockDevice' | 'socket' | 'fifo' | 'unknown';

export interface NodeStat {
  dev: bigint;
  ino: bigint;
  type: NodeType;
  nlink: bigint;
  size: bigint;
  atimeNs: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
}

/** Result of resolving a path: the directory holding the last component, its name, and what it names (if anything). */
export interface Walk {
  parent: Dir;
  /** '' when the path names `parent` itself ("." or ending in ".."). */
  name: string;
  entry: Entry | undefined;
  trailingSlash: boolean;
  /** Set when the last host component was deliberately not looked up (walk's lookupFinal = false). */
  unknown?: boolean;
}

export interface DirListing {
  name: string;
  type: NodeType;
  /** undefined for host entries until asked (an lstat each). */
  ino: bigint | undefined;
}

/** An in-memory file opened by the guest. */
export class MemFileHandle {
  readonly kind = 'memFile' as const;
  constructor(readonly node: MemFile) {}
}
export type FileHandle = MemFileHandle | HostFileHandle;
export type Opened = { kind: 'dir'; dir: Dir } | { kind: 'file'; handle: FileHandle; type: NodeType };

export interface OpenRequest {
  followFinal: boolean;
  create: boolean;
  exclusive: boolean;
  truncate: boolean;
  directory: boolean;
  read: boolean;
  write: boolean;
}

export interface VfsInit {
  root: RootInit;
  preopens: PreopenInit[];
  /** Most bytes in-memory files may hold together (ENOSPC beyond); 2 GiB by default. */
  memoryLimitBytes?: number;
}

/** So a runaway guest fills its sandbox, not the extension host's memory. */
export const DEFAULT_MEMORY_LIMIT_BYTES = 2 * 1024 * 1024 * 1024;

const MAX_SYMLINK_HOPS = 40;
/**
 * Host file I/O is buffered: sequential small writes are gathered and small reads read ahead, up to this many
 * bytes, on one handle at a time. Anything else that could observe the file (any other syscall, a path lookup,
 * a main-thread edit, blocking on stdin, exit) settles the buffers first, so the guest never sees the difference;
 * it turns a 4 KiB write loop into 64 KiB system calls.
 */
const HOST_BUFFER_BYTES = 64 * 1024;
const ANNOUNCE_INTERVAL_MS = 50;

export function err(code: string, path: string, message?: string): VfsError {
  return new VfsError(code, path, message);
}

function isDir(e: Entry | MemEntry | undefined): e is Dir {
  return e !== undefined && (e.type === 'directory' || e.type === 'hostDir');
}

function hostStat(path: string): fs.BigIntStats | undefined {
  return fs.lstatSync(path, { bigint: true, throwIfNoEntry: false });
}

function isPlainName(part: string): boolean {
  return part !== '' && part !== '.' && part !== '..' && part.length <= 255;
}

/**
 * True when the host's realpath of the absolute path `p` is `p` itself: at that moment every component of `p` existed
 * and none was a symlink — the same guarantee as an lstat of each, in one call. (realpath appends one component at
 * a time and readlinks it; a component of its answer was checked as a non-symlink when appended, so an answer equal
 * to `p` means each prefix of `p` was.) Any error or difference means "look component by component".
 */
function isRealPath(p: string): boolean {
  try {
    return fs.realpathSync.native(p) === p;
  } catch {
    return false;
  }
}

/** Wraps a node:fs error so it carries the guest path; keeps its code. */
function hostError(e: unknown, guestPath: string): VfsError {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (typeof code === 'string') return err(code, guestPath, `${code}: ${guestPath}`);
  throw e;
}

export class Vfs {
  /** The guest's "/". */
  root!: Dir;
  readonly mounts: HostMount[] = [];
  /** Preopened directories in descriptor order ("/" first); `name` is what fd_prestat_dir_name reports. */
  readonly preopens: Array<{ guestPath: string; name: string; dir: Dir }> = [];
  /** In-memory directories that are the root of a guest path (memory root, virtual preopens, overlays). */
  readonly memRoots = new Map<MemDir, string>();
  private nextIno = 1;
  /** ino → node, kept only by a replica (the main-thread mirror) to replay the journal. */
  private index: Map<number, MemNode> | null = null;
  private readonly unannounced = new Set<MemFile>();

  /** Chunk bytes held by in-memory files, against the limit. */
  memoryUsed = 0;
  readonly memoryLimit: number;

  constructor(init: VfsInit, public onChange: ChangeSink | null, options: { replica?: boolean } = {}) {
    if (options.replica) this.index = new Map();
    this.memoryLimit = init.memoryLimitBytes ?? DEFAULT_MEMORY_LIMIT_BYTES;
    this.buildNamespace(init);
  }

  // ---- namespace -------------------------------------------------------------------------------------------------

  private newMemDir(parent: MemDir | null, name: string, t: bigint): MemDir {
    const d = new MemDir(this.nextIno++, t, parent);
    d.pathName = name;
    d.pathParent = parent;
    this.index?.set(d.ino, d);
    return d;
  }

  private makeMount(hostPath: string, guestPath: string, read: boolean, write: boolean, create: boolean): HostMount {
    let real: string;
    try {
      real = fs.realpathSync(hostPath);
    } catch (e) {
      throw err('ENOENT', guestPath, `the host directory ${hostPath} for ${guestPath} does not exist`);
    }
    const mount: HostMount = { hostRoot: real === '/' ? '' : real, guestPath, read, write, create: create && write, overlays: new Map() };
    this.mounts.push(mount);
    return mount;
  }

  /** Deterministic (no journal): the worker and the mirror build the same namespace with the same inode numbers. */
  private buildNamespace(init: VfsInit): void {
    const t = nowNs();
    const rootPreopen = init.preopens.find((p) => p.guestPath === '/');
    if (rootPreopen?.kind === 'host') {
      this.root = new HostDir(this.makeMount(rootPreopen.hostPath, '/', rootPreopen.read, rootPreopen.write, rootPreopen.create), '');
    } else if (!rootPreopen && init.root.kind === 'host') {
      const r = init.root;
      this.root = new HostDir(this.makeMount(r.hostPath, '/', r.read, r.write, r.create), '');
    } else {
      const root = this.newMemDir(null, '', t);
      this.memRoots.set(root, '/');
      this.root = root;
    }
    this.preopens.push({ guestPath: '/', name: '/', dir: this.root });
    const others = init.preopens.filter((p) => p.guestPath !== '/');
    const byDepth = [...others].sort((a, b) => a.guestPath.split('/').length - b.guestPath.split('/').length);
    const attached = new Map<string, Dir>();
    for (const p of byDepth) {
      if (attached.has(p.guestPath)) continue;
      const dir = this.attach(p, t);
      attached.set(p.guestPath, dir);
    }
    for (const p of others) {
      const dir = attached.get(p.guestPath);
      if (dir && !this.preopens.some((q) => q.guestPath === p.guestPath)) {
        // A builder may keep the name the user wrote (e.g. a relative --dir "fs-tests.dir", which test suites
        // look up by that exact name); otherwise the guest path is the name.
        this.preopens.push({ guestPath: p.guestPath, name: p.name !== undefined && p.name.length > 0 ? p.name : p.guestPath, dir });
      }
    }
  }

  /** Places a preopen in the namespace, creating in-memory parents (or overlays inside host mounts) as needed. */
  private attach(p: PreopenInit, t: bigint): Dir {
    const parts = p.guestPath.split('/').filter((s) => s.length > 0);
    let cur: Dir = this.root;
    let curPath = '';
    for (let i = 0; i < parts.length; i++) {
      const name = parts[i];
      const last = i === parts.length - 1;
      curPath += '/' + name;
      if (last && p.kind === 'host') {
        const mountDir = new HostDir(this.makeMount(p.hostPath, p.guestPath, p.read, p.write, p.create), '');
        this.setChild(cur, name, mountDir);
        return mountDir;
      }
      const existing = this.lookupRaw(cur, name);
      if (existing && isDir(existing)) {
        cur = existing;
        continue;
      }
      // A missing (or non-directory) component becomes an in-memory directory.
      const made = this.newMemDir(cur.type === 'directory' ? cur : null, name, t);
      if (cur.type === 'hostDir') this.memRoots.set(made, curPath);
      this.setChild(cur, name, made);
      cur = made;
    }
    return cur;
  }

  private setChild(parent: Dir, name: string, child: MemDir | HostDir): void {
    if (parent.type === 'directory') {
      parent.entries.set(name, child);
      if (child.type === 'directory') parent.nlink++;
    } else {
      parent.mount.overlays.set(parent.childRel(name), child);
    }
  }

  // ---- the resolver ----------------------------------------------------------------------------------------------

  /** Looks up one name without following symlinks. Host lookups lstat the entry. */
  lookupRaw(dir: Dir, name: string): Entry | undefined {
    if (dir.type === 'directory') {
      if (dir.removed) return undefined;
      return dir.entries.get(name);
    }
    const mount = dir.mount;
    if (mount.overlays.size > 0) {
      const o = mount.overlays.get(dir.childRel(name));
      if (o) return o;
    }
    const st = hostStat(dir.childHostPath(name));
    if (!st) return undefined;
    const t = hostNodeType(st);
    if (t === 'directory') return new HostDir(mount, dir.childRel(name), st);
    return new HostNode(dir, name, t, st);
  }

  private readLink(e: MemSymlink | HostNode, guestPath: string): string {
    if (e.type === 'symlink') return e.target;
    try {
      return fs.readlinkSync(e.hostPath);
    } catch (x) {
      throw hostError(x, guestPath);
    }
  }

  /**
   * Resolves `path` relative to the capability `base`. Never leaves `base`: ".." at `base` and absolute paths or
   * symlink targets are EPERM. Intermediate symlinks are always followed; the final one only with `followFinal`
   * (or when the path ends with "/").
   *
   * Every host directory the kernel will pass through is checked for symlinks during this call, never trusted from
   * an earlier one: the components this call looks up are lstat'ed, and a `base` below a mount's root (a directory
   * the guest holds as a descriptor) is re-checked first (see currentDir) — the host may have replaced it, or one
   * of its parents, by a symlink since it was opened. The mount's root itself is the real path taken at mount time.
   * Three or more plain directory names in a row are checked by one realpath instead of an lstat each (see
   * isRealPath for why that is the same guarantee).
   */
  walk(base: Dir, path: string, followFinal: boolean, lookupFinal = true): Walk {
    if (this.buffered !== null) this.settle();
    if (path.length === 0) throw err('ENOENT', path);
    if (path.indexOf('\0') !== -1) throw err('EINVAL', path, 'EINVAL: the path contains a NUL byte');
    if (path.charCodeAt(0) === 47) throw err('EPERM', path, `EPERM: ${path}: absolute paths are not allowed here`);
    let parts = path.split('/');
    let trailingSlash = path.charCodeAt(path.length - 1) === 47;
    const stack: Dir[] = [base];
    // Until checked, nothing below `base` is touched (no lookup, no push), so stack stays [base].
    let baseUnchecked = base.type === 'hostDir' && base.rel !== '';
    let i = 0;
    let hops = 0;
    for (;;) {
      while (i < parts.length && (parts[i] === '' || parts[i] === '.')) {
        i++;
      }
      const top = stack[stack.length - 1];
      if (i >= parts.length) {
        if (baseUnchecked) {
          stack[0] = this.currentDir(base, path);
          baseUnchecked = false;
          continue;
        }
        return { parent: top, name: '', entry: top, trailingSlash };
      }
      const comp = parts[i];
      let lastIndex = parts.length - 1;
      while (parts[lastIndex] === '' || parts[lastIndex] === '.') lastIndex--;
      const isLast = i === lastIndex;
      if (comp === '..') {
        if (stack.length === 1) throw err('EPERM', path, `EPERM: ${path}: ".." leads outside the directory`);
        stack.pop();
        i++;
        continue;
      }
      if (comp.length > 255) throw err('ENAMETOOLONG', path);
      if (top.type === 'hostDir' && (baseUnchecked || !isLast)) {
        // Plain names before the last component: directories the kernel would pass through.
        let run = 0;
        if (top.mount.overlays.size === 0) {
          while (i + run < lastIndex && isPlainName(parts[i + run])) run++;
        }
        if (baseUnchecked && run === 0) {
          stack[0] = this.currentDir(base, path);
          baseUnchecked = false;
          continue;
        }
        if (run >= 3 || baseUnchecked) {
          const names = parts.slice(i, i + run);
          const lexical = names.length === 0 ? top.hostPath : top.hostPath + '/' + names.join('/');
          if (isRealPath(lexical)) {
            baseUnchecked = false;
            let dir: HostDir = top;
            for (const name of names) {
              dir = new HostDir(dir.mount, dir.childRel(name));
              stack.push(dir);
            }
            i += run;
            continue;
          }
          if (baseUnchecked) {
            // Something on the way is a symlink (or missing) now: the component walk below finds what and says so.
            stack[0] = this.currentDir(base, path, true);
            baseUnchecked = false;
            continue;
          }
        }
      }
      if (isLast && !lookupFinal && !trailingSlash && top.type === 'hostDir' && !top.mount.overlays.has(top.childRel(comp))) {
        // The caller lets the host's own system call decide (O_CREAT|O_EXCL|O_NOFOLLOW create — EEXIST for any
        // existing entry, a symlink included, so following does not matter — or unlink): one lstat less.
        return { parent: top, name: comp, entry: undefined, trailingSlash, unknown: true };
      }
      if (!isLast && top.type === 'hostDir' && (top.mount.overlays.size === 0 || !top.mount.overlays.has(top.childRel(comp)))) {
        // A directory to pass through: only its type matters, and the number form of lstat costs less than the
        // BigInt one (no BigInt fields). A symlink goes on to the general lookup below, which reads it.
        const st = fs.lstatSync(top.childHostPath(comp), { throwIfNoEntry: false });
        if (st === undefined) throw err('ENOENT', path);
        if (st.isDirectory()) {
          stack.push(new HostDir(top.mount, top.childRel(comp)));
          i++;
          continue;
        }
        if (!st.isSymbolicLink()) throw err('ENOTDIR', path);
      }
      const entry = this.lookupRaw(top, comp);
      if (entry === undefined) {
        if (isLast) return { parent: top, name: comp, entry: undefined, trailingSlash };
        throw err('ENOENT', path);
      }
      const isLink = entry.type === 'symlink' || (entry.type === 'hostNode' && entry.nodeType === 'symlink');
      if (isLink && (!isLast || followFinal || trailingSlash)) {
        if (++hops > MAX_SYMLINK_HOPS) throw err('ELOOP', path);
        const target = this.readLink(entry as MemSymlink | HostNode, path);
        if (target.length === 0) throw err('ENOENT', path);
        if (target.charCodeAt(0) === 47) {
          throw err('EPERM', path, `EPERM: ${path}: the symlink points to an absolute path (${target}), outside the sandbox`);
        }
        if (isLast && target.charCodeAt(target.length - 1) === 47) trailingSlash = true;
        parts = target.split('/').concat(parts.slice(i + 1));
        i = 0;
        continue;
      }
      if (isLast) {
        if (trailingSlash && !isDir(entry) && !isLink) throw err('ENOTDIR', path);
        return { parent: top, name: comp, entry, trailingSlash };
      }
      if (!isDir(entry)) throw err(isLink ? 'ELOOP' : 'ENOTDIR', path);
      stack.push(entry);
      i++;
    }
  }

  /**
   * The directory a guest descriptor names, checked now: a host directory below its mount's root was a real
   * directory when it was opened, but the host may since have replaced it or a parent by a symlink leading out of
   * the mount. Unchanged (one lstat, or one realpath when deeper) → itself; otherwise its path is resolved again
   * from the mount's root by the sandboxing resolver, which follows symlinks that stay inside and refuses the rest.
   */
  currentDir(d: Dir, path?: string, knownChanged = false): Dir {
    if (d.type !== 'hostDir' || d.rel === '') return d;
    if (!knownChanged) {
      if (d.rel.indexOf('/') === -1) {
        // Its parent is the mount's root: one lstat says whether the name is still a real directory.
        const st = fs.lstatSync(d.hostPath, { throwIfNoEntry: false });
        if (st !== undefined && st.isDirectory()) return d;
      } else if (isRealPath(d.hostPath)) return d;
    }
    const w = this.walk(new HostDir(d.mount, ''), d.rel, true);
    const gp = d.guestPath();
    if (w.entry === undefined) throw err('ENOENT', path ?? gp, `ENOENT: ${gp} no longer exists on the host`);
    if (!isDir(w.entry)) throw err('ENOTDIR', path ?? gp, `ENOTDIR: ${gp} is no longer a directory on the host`);
    return w.entry;
  }

  /** Resolves an absolute guest path from the namespace root (main-thread edits and the mirror). */
  walkAbsolute(path: string, followFinal: boolean): Walk {
    if (!path.startsWith('/')) throw err('EINVAL', path, `EINVAL: ${path}: expected an absolute guest path`);
    const rel = path.replace(/^\/+/, '');
    if (rel === '') return { parent: this.root, name: '', entry: this.root, trailingSlash: false };
    return this.walk(this.root, rel, followFinal);
  }

  // ---- paths for the journal and messages ------------------------------------------------------------------------

  /** Cached directory paths, valid while no directory has moved since (any directory rename bumps the generation). */
  private pathGeneration = 0;
  private readonly dirPaths = new WeakMap<MemDir, { gen: number; path: string }>();

  memDirPath(d: MemDir): string {
    const cached = this.dirPaths.get(d);
    if (cached !== undefined && cached.gen === this.pathGeneration) return cached.path;
    const path = this.computeMemDirPath(d);
    this.dirPaths.set(d, { gen: this.pathGeneration, path });
    return path;
  }

  private computeMemDirPath(d: MemDir): string {
    const parts: string[] = [];
    let cur: MemDir | null = d;
    while (cur) {
      const root = this.memRoots.get(cur);
      if (root !== undefined) return (root === '/' ? '' : root) + (parts.length ? '/' + parts.reverse().join('/') : '') || '/';
      if (cur.pathName === undefined) break;
      parts.push(cur.pathName);
      cur = cur.pathParent;
    }
    return '/' + parts.reverse().join('/');
  }

  dirPath(d: Dir): string {
    return d.type === 'directory' ? this.memDirPath(d) : d.guestPath();
  }

  childPath(d: Dir, name: string): string {
    const p = this.dirPath(d);
    return name === '' ? p : p === '/' ? '/' + name : p + '/' + name;
  }

  // ---- journal ---------------------------------------------------------------------------------------------------

  /** Makes room for `needed` bytes in an in-memory file, within the filesystem's memory limit (ENOSPC). */
  private grow(f: MemFile, needed: number): void {
    const before = f.capacity();
    const after = f.capacityFor(needed);
    if (after === before) return;
    if (this.memoryUsed + (after - before) > this.memoryLimit) {
      const mib = Math.round(this.memoryLimit / 1048576);
      throw err('ENOSPC', this.nodePath(f), `ENOSPC: the in-memory filesystem is full (its files may hold ${mib} MiB together)`);
    }
    f.ensureCapacity(needed, this.chunkSink);
    this.memoryUsed += f.capacity() - before;
  }

  private release(n: MemNode): void {
    if (n.type === 'file' && n.nlink <= 0) {
      this.memoryUsed = Math.max(0, this.memoryUsed - n.capacity());
    }
  }

  /** Journals a new or replaced chunk of an in-memory file. */
  private readonly chunkSink = (file: MemFile, index: number, chunk: SharedArrayBuffer): void => {
    if (this.onChange) this.onChange({ kind: 'data', ino: file.ino, index, chunk });
  };

  private emit(c: FsChange): void {
    if (this.onChange) this.onChange(c);
  }

  private hostChanged(d: HostDir, name: string): void {
    if (this.onChange) this.onChange({ kind: 'hostChanged', guestPath: d.childGuestPath(name) });
  }

  private touchDir(d: MemDir, t: bigint): void {
    d.mtimeNs = d.ctimeNs = t;
  }

  /** Announces writes whose journal entry was held back by the throttle (on close, on exit, on demand). */
  flush(): void {
    this.settle();
    for (const f of this.unannounced) {
      f.unannounced = false;
      this.emit({ kind: 'write', ino: f.ino, size: f.size, mtimeNs: f.mtimeNs });
    }
    this.unannounced.clear();
  }

  flushFile(f: MemFile): void {
    if (!f.unannounced) return;
    f.unannounced = false;
    this.unannounced.delete(f);
    this.emit({ kind: 'write', ino: f.ino, size: f.size, mtimeNs: f.mtimeNs });
  }

  // ---- stat ------------------------------------------------------------------------------------------------------

  /**
   * node:fs sets host times with microsecond resolution only. The exact nanoseconds the guest asked for are
   * remembered per inode together with what landed on disk, and reported while the disk still says the same
   * (anyone else changing the file makes the disk's own times win again).
   */
  private readonly exactHostTimes = new Map<string, { atimeNs: bigint; atimeDisk: bigint; mtimeNs: bigint; mtimeDisk: bigint }>();

  private hostStat(st: fs.BigIntStats): NodeStat {
    const out = hostToNodeStat(st);
    if (this.exactHostTimes.size > 0) {
      const exact = this.exactHostTimes.get(`${st.dev}:${st.ino}`);
      if (exact) {
        if (st.atimeNs === exact.atimeDisk) out.atimeNs = exact.atimeNs;
        if (st.mtimeNs === exact.mtimeDisk) out.mtimeNs = exact.mtimeNs;
      }
    }
    return out;
  }

  private rememberHostTimes(st: fs.BigIntStats, atimeNs: bigint | null, mtimeNs: bigint | null): void {
    const key = `${st.dev}:${st.ino}`;
    const prev = this.exactHostTimes.get(key);
    const keepA = atimeNs === null && prev !== undefined && prev.atimeDisk === st.atimeNs;
    const keepM = mtimeNs === null && prev !== undefined && prev.mtimeDisk === st.mtimeNs;
    this.exactHostTimes.set(key, {
      atimeNs: atimeNs ?? (keepA ? prev!.atimeNs : st.atimeNs),
      atimeDisk: st.atimeNs,
      mtimeNs: mtimeNs ?? (keepM ? prev!.mtimeNs : st.mtimeNs),
      mtimeDisk: st.mtimeNs,
    });
  }

  statEntry(e: Entry, guestPath: string): NodeStat {
    if (e.type === 'hostDir' || e.type === 'hostNode') {
      let st: fs.BigIntStats;
      try {
        st = e.type === 'hostNode' ? fs.lstatSync(e.hostPath, { bigint: true }) : fs.statSync(e.hostPath, { bigint: true });
      } catch (x) {
        throw hostError(x, guestPath);
      }
      return this.hostStat(st);
    }
    return memStat(e);
  }

  statHandle(h: FileHandle): NodeStat {
    if (h.kind === 'memFile') return memStat(h.node);
    this.settle();
    return this.hostStat(fs.fstatSync(h.fd, { bigint: true }));
  }

  // ---- open / create ---------------------------------------------------------------------------------------------

  open(base: Dir, path: string, req: OpenRequest): Opened {
    const w = this.walk(base, path, req.followFinal, !(req.create && req.exclusive && !req.directory));
    let entry = w.entry;
    const gp = () => this.childPath(w.parent, w.name);
    if (entry === undefined) {
      if (!req.create) throw err('ENOENT', gp());
      if (req.directory) throw err('EINVAL', gp(), `EINVAL: ${gp()}: cannot create a directory with path_open (use path_create_directory)`);
      if (w.trailingSlash) throw err('EISDIR', gp());
      return { kind: 'file', handle: this.createFile(w.parent, w.name, req), type: 'file' };
    }
    if (req.create && req.exclusive) throw err('EEXIST', gp());
    if (entry.type === 'symlink' || (entry.type === 'hostNode' && entry.nodeType === 'symlink')) {
      throw err(req.directory ? 'ENOTDIR' : 'ELOOP', gp());
    }
    if (isDir(entry)) {
      if (req.write || req.truncate) throw err('EISDIR', gp());
      if (entry.type === 'hostDir' && req.read) checkPermission(entry.mount, 'read', gp());
      return { kind: 'dir', dir: entry };
    }
    if (req.directory) throw err('ENOTDIR', gp());
    if (entry.type === 'file') {
      if (req.truncate && entry.size !== 0) this.setSize(new MemFileHandle(entry), 0);
      return { kind: 'file', handle: new MemFileHandle(entry), type: 'file' };
    }
    // host non-directory
    const node = entry as HostNode;
    const mount = node.parent.mount;
    if (req.read) checkPermission(mount, 'read', gp());
    if (req.write || req.truncate) checkPermission(mount, 'write', gp());
    if (node.nodeType === 'fifo' || node.nodeType === 'socket') {
      throw err('ENXIO', gp(), `ENXIO: ${gp()}: opening a ${node.nodeType} on the host is not supported`);
    }
    const flags =
      (req.write ? (req.read ? fs.constants.O_RDWR : fs.constants.O_WRONLY) : fs.constants.O_RDONLY) |
      (req.truncate ? fs.constants.O_TRUNC : 0) | O_NOFOLLOW;
    let fd: number;
    try {
      fd = fs.openSync(node.hostPath, flags);
    } catch (x) {
      throw hostError(x, gp());
    }
    if (req.truncate) this.hostChanged(node.parent, node.name);
    return { kind: 'file', handle: new HostFileHandle(fd, node.parent, node.name), type: node.nodeType };
  }

  private createFile(parent: Dir, name: string, req: OpenRequest): FileHandle {
    if (parent.type === 'directory') {
      if (parent.removed) throw err('ENOENT', this.childPath(parent, name));
      const t = nowNs();
      const f = new MemFile(this.nextIno++, t);
      f.pathName = name;
      f.pathParent = parent;
      parent.entries.set(name, f);
      this.touchDir(parent, t);
      this.emit({ kind: 'create', parent: parent.ino, name, ino: f.ino, header: f.headerBuffer, headerOffset: f.headerOffset, timeNs: t });
      return new MemFileHandle(f);
    }
    const gp = parent.childGuestPath(name);
    checkPermission(parent.mount, 'create', gp);
    if (req.read) checkPermission(parent.mount, 'read', gp);
    const flags =
      (req.read ? fs.constants.O_RDWR : fs.constants.O_WRONLY) | fs.constants.O_CREAT | fs.constants.O_EXCL | O_NOFOLLOW;
    let fd: number;
    try {
      fd = fs.openSync(parent.childHostPath(name), flags, 0o666);
    } catch (x) {
      throw hostError(x, gp);
    }
    this.hostChanged(parent, name);
    return new HostFileHandle(fd, parent, name);
  }

  // ---- file contents ---------------------------------------------------------------------------------------------

  read(h: FileHandle, dst: Uint8Array, off: number, len: number, pos: number): number {
    if (h.kind === 'memFile') {
      return h.node.read(dst, off, len, pos);
    }
    return this.hostRead(h, dst, off, len, pos);
  }

  /** The host handle holding write-behind or read-ahead bytes, if any (at most one at a time). */
  buffered: HostFileHandle | null = null;
  /**
   * The write-behind and read-ahead buffers, shared by every host handle: only `buffered` holds bytes in them
   * (settle() empties it before another handle buffers), so a file opened to write 8 bytes allocates nothing.
   */
  private writeBehind: Uint8Array | null = null;
  private readAhead: Uint8Array | null = null;

  /** Puts buffered host writes on disk and forgets read-ahead. Cheap when nothing is buffered. */
  settle(): void {
    const h = this.buffered;
    if (h === null) return;
    this.buffered = null;
    h.rlen = 0;
    this.flushWrites(h);
  }

  private flushWrites(h: HostFileHandle): void {
    let done = 0;
    const len = h.wlen;
    h.wlen = 0;
    while (done < len) done += fs.writeSync(h.fd, h.wbuf!, done, len - done, h.wpos + done);
    this.announceHostWrite(h);
  }

  /** Tells the mirror a host file changed once its bytes are on disk; throttled, and always at close. */
  private announceHostWrite(h: HostFileHandle): void {
    if (this.onChange === null) return;
    const now = monotonicMs();
    if (now - h.announcedMs < ANNOUNCE_INTERVAL_MS) return;
    h.announcedMs = now;
    h.written = false;
    this.hostChanged(h.dir, h.name);
  }

  private hostRead(h: HostFileHandle, dst: Uint8Array, off: number, len: number, pos: number): number {
    if (this.buffered !== h) this.settle();
    if (h.wlen > 0) this.flushWrites(h);
    let done = 0;
    while (done < len) {
      const p = pos + done;
      if (h.rlen > 0 && p >= h.rpos && p < h.rpos + h.rlen) {
        const k = Math.min(len - done, h.rpos + h.rlen - p);
        dst.set(h.rbuf!.subarray(p - h.rpos, p - h.rpos + k), off + done);
        done += k;
        continue;
      }
      if (len - done >= HOST_BUFFER_BYTES) {
        const n = fs.readSync(h.fd, dst, off + done, len - done, p);
        done += n;
        break;
      }
      if (h.rbuf === null) h.rbuf = this.readAhead ??= new Uint8Array(HOST_BUFFER_BYTES);
      h.rpos = p;
      h.rlen = fs.readSync(h.fd, h.rbuf, 0, HOST_BUFFER_BYTES, p);
      this.buffered = h;
      if (h.rlen === 0) break;
    }
    return done;
  }

  private hostWrite(h: HostFileHandle, src: Uint8Array, off: number, len: number, pos: number): number {
    if (this.buffered !== h) this.settle();
    h.rlen = 0;
    h.written = true;
    if (h.wlen > 0 && (pos !== h.wpos + h.wlen || h.wlen + len > HOST_BUFFER_BYTES)) this.flushWrites(h);
    if (len >= HOST_BUFFER_BYTES) {
      let done = 0;
      while (done < len) done += fs.writeSync(h.fd, src, off + done, len - done, pos + done);
      this.announceHostWrite(h);
      return len;
    }
    if (h.wbuf === null) h.wbuf = this.writeBehind ??= new Uint8Array(HOST_BUFFER_BYTES);
    if (h.wlen === 0) h.wpos = pos;
    h.wbuf.set(src.subarray(off, off + len), h.wlen);
    h.wlen += len;
    this.buffered = h;
    return len;
  }

  write(h: FileHandle, src: Uint8Array, off: number, len: number, pos: number): number {
    if (h.kind === 'memFile') {
      const f = h.node;
      const end = pos + len;
      this.grow(f, end);
      const size = f.size;
      // Bytes between the old end and a write past it must read as zeros.
      if (pos > size) f.zero(size, pos);
      f.writeAt(src, off, len, pos);
      if (end > size) f.size = end;
      const t = nowNs();
      f.mtimeNs = f.ctimeNs = t;
      f.syncMetaTimes();
      this.announceWrite(f);
      return len;
    }
    return this.hostWrite(h, src, off, len, pos);
  }

  private announceWrite(f: MemFile): void {
    if (!this.onChange) return;
    const now = monotonicMs();
    if (now - f.lastAnnouncedMs >= ANNOUNCE_INTERVAL_MS) {
      f.lastAnnouncedMs = now;
      if (f.unannounced) {
        f.unannounced = false;
        this.unannounced.delete(f);
      }
      this.emit({ kind: 'write', ino: f.ino, size: f.size, mtimeNs: f.mtimeNs });
    } else if (!f.unannounced) {
      f.unannounced = true;
      this.unannounced.add(f);
    }
  }

  size(h: FileHandle): number {
    if (h.kind === 'memFile') return h.node.size;
    this.settle();
    return fs.fstatSync(h.fd).size;
  }

  setSize(h: FileHandle, size: number): void {
    if (h.kind === 'memFile') {
      const f = h.node;
      const old = f.size;
      if (size > old) {
        this.grow(f, size);
        f.zero(old, size);
      } else {
        f.zero(size, old);
        const before = f.capacity();
        f.dropChunksAfter(size);
        this.memoryUsed = Math.max(0, this.memoryUsed - (before - f.capacity()));
      }
      f.size = size;
      const t = nowNs();
      f.mtimeNs = f.ctimeNs = t;
      f.syncMetaTimes();
      this.emit({ kind: 'truncate', ino: f.ino, size, timeNs: t });
      return;
    }
    this.settle();
    fs.ftruncateSync(h.fd, size);
    this.hostChanged(h.dir, h.name);
  }

  closeHandle(h: FileHandle): void {
    if (h.kind === 'memFile') {
      this.flushFile(h.node);
      return;
    }
    if (this.buffered === h) this.settle();
    fs.closeSync(h.fd);
    if (h.written) this.hostChanged(h.dir, h.name);
  }

  syncHandle(h: FileHandle): void {
    if (h.kind === 'hostFile') {
      this.settle();
      fs.fsyncSync(h.fd);
    }
  }

  setHandleTimes(h: FileHandle, atimeNs: bigint | null, mtimeNs: bigint | null): void {
    if (h.kind === 'memFile') {
      this.setMemTimes(h.node, atimeNs, mtimeNs);
      return;
    }
    this.settle();
    const st = this.hostStat(fs.fstatSync(h.fd, { bigint: true }));
    fs.futimesSync(h.fd, nsToSeconds(atimeNs ?? st.atimeNs), nsToSeconds(mtimeNs ?? st.mtimeNs));
    this.rememberHostTimes(fs.fstatSync(h.fd, { bigint: true }), atimeNs ?? st.atimeNs, mtimeNs ?? st.mtimeNs);
    this.hostChanged(h.dir, h.name);
  }

  private setMemTimes(n: MemNode, atimeNs: bigint | null, mtimeNs: bigint | null): void {
    if (atimeNs !== null) n.atimeNs = atimeNs;
    if (mtimeNs !== null) n.mtimeNs = mtimeNs;
    n.ctimeNs = nowNs();
    if (n.type === 'file') n.syncMetaTimes();
    this.emit({ kind: 'setattr', ino: n.ino, atimeNs: n.atimeNs, mtimeNs: n.mtimeNs, ctimeNs: n.ctimeNs });
  }

  // ---- directories -----------------------------------------------------------------------------------------------

  /** Entries of a directory (without "." and ".."), in a stable order. */
  list(dir: Dir): DirListing[] {
    this.settle();
    const d = this.currentDir(dir);
    if (d.type === 'directory') {
      const out: DirListing[] = [];
      for (const [name, e] of d.entries) {
        out.push({ name, type: e.type === 'hostDir' ? 'directory' : e.type, ino: e.type === 'hostDir' ? undefined : BigInt(e.ino) });
      }
      return out;
    }
    checkPermission(d.mount, 'read', d.guestPath());
    let dirents: fs.Dirent[];
    try {
      dirents = fs.readdirSync(d.hostPath, { withFileTypes: true });
    } catch (x) {
      throw hostError(x, d.guestPath());
    }
    const out: DirListing[] = dirents.map((de) => ({ name: de.name, type: hostNodeType(de) as NodeType, ino: undefined }));
    if (d.mount.overlays.size > 0) {
      const prefix = d.rel === '' ? '' : d.rel + '/';
      for (const [rel, o] of d.mount.overlays) {
        if (!rel.startsWith(prefix)) continue;
        const name = rel.slice(prefix.length);
        if (name.includes('/')) continue;
        const existing = out.find((x) => x.name === name);
        const ino = o.type === 'directory' ? BigInt(o.ino) : undefined;
        if (existing) {
          existing.type = 'directory';
          existing.ino = ino;
        } else out.push({ name, type: 'directory', ino });
      }
    }
    return out;
  }

  /**
   * Inode numbers of the listed entries of one directory (fd_readdir): the directory is checked once (currentDir),
   * then each host entry costs one lstat.
   */
  entryInoReader(dir: Dir): (name: string) => bigint {
    const d = this.currentDir(dir);
    return (name) => {
      if (d.type === 'hostDir' && (d.mount.overlays.size === 0 || !d.mount.overlays.has(d.childRel(name)))) {
        // The number form of lstat is cheaper; its double is exact below 2^53 (a larger inode may have rounded).
        const st = fs.lstatSync(d.childHostPath(name), { throwIfNoEntry: false });
        if (st === undefined) return 0n;
        if (st.ino <= Number.MAX_SAFE_INTEGER) return BigInt(st.ino);
      }
      const e = this.lookupRaw(d, name);
      if (!e) return 0n;
      if (e.type === 'hostNode') return e.st.ino;
      if (e.type === 'hostDir') return e.st !== undefined ? e.st.ino : (hostStat(e.hostPath)?.ino ?? 0n);
      return BigInt(e.ino);
    };
  }

  dirIno(dir: Dir): bigint {
    const d = this.currentDir(dir);
    if (d.type === 'directory') return BigInt(d.ino);
    const st = hostStat(d.hostPath);
    return st ? st.ino : 0n;
  }

  mkdir(base: Dir, path: string): void {
    const w = this.walk(base, path, false);
    const gp = (): string => this.childPath(w.parent, w.name);
    if (w.entry !== undefined || w.name === '') throw err('EEXIST', gp());
    const p = w.parent;
    if (p.type === 'directory') {
      if (p.removed) throw err('ENOENT', gp());
      const t = nowNs();
      const d = this.newMemDir(p, w.name, t);
      p.entries.set(w.name, d);
      p.nlink++;
      this.touchDir(p, t);
      this.emit({ kind: 'mkdir', parent: p.ino, name: w.name, ino: d.ino, timeNs: t });
      return;
    }
    checkPermission(p.mount, 'create', gp());
    try {
      fs.mkdirSync(p.childHostPath(w.name), 0o777);
    } catch (x) {
      throw hostError(x, gp());
    }
    this.hostChanged(p, w.name);
  }

  rmdir(base: Dir, path: string): void {
    const w = this.walk(base, path, false);
    const gp = (): string => this.childPath(w.parent, w.name);
    if (w.name === '') throw err(path.replace(/\/+$/, '').endsWith('..') ? 'ENOTEMPTY' : 'EINVAL', gp());
    const e = w.entry;
    if (e === undefined) throw err('ENOENT', gp());
    if (!isDir(e)) throw err('ENOTDIR', gp());
    const p = w.parent;
    if (p.type === 'directory') {
      if (e.type === 'hostDir' || this.memRoots.has(e as MemDir)) throw err('EBUSY', gp(), `EBUSY: ${gp()} is a mount point`);
      const d = e as MemDir;
      if (d.entries.size > 0) throw err('ENOTEMPTY', gp());
      p.entries.delete(w.name);
      p.nlink--;
      d.removed = true;
      d.nlink = 0;
      const t = nowNs();
      this.touchDir(p, t);
      this.index?.delete(d.ino);
      this.emit({ kind: 'rmdir', parent: p.ino, name: w.name, timeNs: t });
      return;
    }
    if (p.mount.overlays.has(p.childRel(w.name))) throw err('EBUSY', gp(), `EBUSY: ${gp()} is a mount point`);
    checkPermission(p.mount, 'write', gp());
    try {
      fs.rmdirSync(p.childHostPath(w.name));
    } catch (x) {
      throw hostError(x, gp());
    }
    this.hostChanged(p, w.name);
  }

  unlink(base: Dir, path: string): void {
    const w = this.walk(base, path, false, false);
    if (w.unknown) {
      // unlink(2) itself says EISDIR / ENOENT / ENOTDIR; the entry was not looked up.
      const p = w.parent as HostDir;
      checkPermission(p.mount, 'write', p.childGuestPath(w.name));
      try {
        fs.unlinkSync(p.childHostPath(w.name));
      } catch (x) {
        throw hostError(x, p.childGuestPath(w.name));
      }
      this.hostChanged(p, w.name);
      return;
    }
    const gp = (): string => this.childPath(w.parent, w.name);
    const e = w.entry;
    if (w.name === '' || (e !== undefined && isDir(e))) throw err('EISDIR', gp());
    if (e === undefined) throw err('ENOENT', gp());
    const p = w.parent;
    if (p.type === 'directory') {
      const n = e as MemNode;
      p.entries.delete(w.name);
      n.nlink--;
      const t = nowNs();
      n.ctimeNs = t;
      this.touchDir(p, t);
      if (n.nlink === 0) this.index?.delete(n.ino);
      this.release(n);
      this.emit({ kind: 'unlink', parent: p.ino, name: w.name, timeNs: t });
      return;
    }
    checkPermission(p.mount, 'write', gp());
    try {
      fs.unlinkSync(p.childHostPath(w.name));
    } catch (x) {
      throw hostError(x, gp());
    }
    this.hostChanged(p, w.name);
  }

  rename(base1: Dir, path1: string, base2: Dir, path2: string): void {
    const a = this.walk(base1, path1, false);
    const gpa = (): string => this.childPath(a.parent, a.name);
    if (a.entry === undefined) throw err('ENOENT', gpa());
    if (a.name === '') throw err('EBUSY', gpa());
    const b = this.walk(base2, path2, false);
    const gpb = (): string => this.childPath(b.parent, b.name);
    if (b.name === '') throw err(isDir(a.entry) ? 'ENOTEMPTY' : 'EISDIR', gpb());
    const src = a.entry;
    const dst = b.entry;
    const srcIsDir = isDir(src);
    if (!srcIsDir && (b.trailingSlash || a.trailingSlash)) throw err('ENOTDIR', gpb());
    if (dst !== undefined) {
      if (sameEntry(src, dst)) return;
      if (srcIsDir && !isDir(dst)) throw err('ENOTDIR', gpb());
      if (!srcIsDir && isDir(dst)) throw err('EISDIR', gpb());
    }
    const pa = a.parent;
    const pb = b.parent;
    if (pa.type !== pb.type || (pa.type === 'hostDir' && pb.type === 'hostDir' && pa.mount !== pb.mount)) {
      throw err('EXDEV', gpb(), `EXDEV: ${gpa()} and ${gpb()} are on different filesystems`);
    }
    if (pa.type === 'directory' && pb.type === 'directory') {
      if (src.type === 'hostDir' || this.memRoots.has(src as MemDir)) throw err('EBUSY', gpa(), `EBUSY: ${gpa()} is a mount point`);
      if (dst !== undefined && (dst.type === 'hostDir' || this.memRoots.has(dst as MemDir))) throw err('EBUSY', gpb());
      const s = src as MemNode;
      if (s.type === 'directory') {
        // A directory may not move into itself.
        for (let c: MemDir | null = pb; c; c = c.parent) if (c === s) throw err('EINVAL', gpb());
      }
      if (pb.removed) throw err('ENOENT', gpb());
      if (dst !== undefined) {
        const d = dst as MemNode;
        if (d.type === 'directory') {
          if (d.entries.size > 0) throw err('ENOTEMPTY', gpb());
          d.removed = true;
          d.nlink = 0;
          pb.nlink--;
          this.index?.delete(d.ino);
        } else {
          d.nlink--;
          if (d.nlink === 0) this.index?.delete(d.ino);
          this.release(d);
        }
      }
      this.moveMem(pa, a.name, pb, b.name, s, nowNs());
      this.emit({ kind: 'rename', fromParent: pa.ino, fromName: a.name, toParent: pb.ino, toName: b.name, timeNs: s.ctimeNs });
      return;
    }
    const ha = pa as HostDir;
    const hb = pb as HostDir;
    if (ha.mount.overlays.has(ha.childRel(a.name)) || hb.mount.overlays.has(hb.childRel(b.name))) throw err('EBUSY', gpa());
    checkPermission(ha.mount, 'write', gpa());
    checkPermission(hb.mount, dst === undefined ? 'create' : 'write', gpb());
    try {
      fs.renameSync(ha.childHostPath(a.name), hb.childHostPath(b.name));
    } catch (x) {
      throw hostError(x, gpb());
    }
    this.hostChanged(ha, a.name);
    this.hostChanged(hb, b.name);
  }

  private moveMem(pa: MemDir, fromName: string, pb: MemDir, toName: string, s: MemNode, t: bigint): void {
    if (s.type === 'directory') this.pathGeneration++;
    pa.entries.delete(fromName);
    pb.entries.set(toName, s);
    if (s.type === 'directory') {
      if (pa !== pb) {
        pa.nlink--;
        pb.nlink++;
      }
      s.parent = pb;
    }
    s.pathName = toName;
    s.pathParent = pb;
    s.ctimeNs = t;
    this.touchDir(pa, t);
    this.touchDir(pb, t);
  }

  link(base1: Dir, path1: string, followFinal: boolean, base2: Dir, path2: string): void {
    if (followFinal) throw err('EINVAL', path1, 'EINVAL: path_link with LOOKUPFLAGS_SYMLINK_FOLLOW is not supported (as in wasmtime)');
    const a = this.walk(base1, path1, false);
    const gpa = (): string => this.childPath(a.parent, a.name);
    if (a.entry === undefined) throw err('ENOENT', gpa());
    if (isDir(a.entry)) throw err('EPERM', gpa(), `EPERM: ${gpa()}: hard links to directories are not allowed`);
    const b = this.walk(base2, path2, false);
    const gpb = (): string => this.childPath(b.parent, b.name);
    if (b.entry !== undefined || b.name === '') throw err('EEXIST', gpb());
    if (b.trailingSlash) throw err('ENOENT', gpb());
    const pa = a.parent;
    const pb = b.parent;
    if (pa.type !== pb.type || (pa.type === 'hostDir' && pb.type === 'hostDir' && pa.mount !== pb.mount)) {
      throw err('EXDEV', gpb(), `EXDEV: ${gpa()} and ${gpb()} are on different filesystems`);
    }
    if (pb.type === 'directory') {
      if (pb.removed) throw err('ENOENT', gpb());
      const n = a.entry as MemNode;
      const t = nowNs();
      pb.entries.set(b.name, n);
      n.nlink++;
      n.ctimeNs = t;
      this.touchDir(pb, t);
      this.emit({ kind: 'link', parent: pb.ino, name: b.name, ino: n.ino, timeNs: t });
      return;
    }
    checkPermission(pb.mount, 'create', gpb());
    try {
      fs.linkSync((pa as HostDir).childHostPath(a.name), pb.childHostPath(b.name));
    } catch (x) {
      throw hostError(x, gpb());
    }
    this.hostChanged(pb, b.name);
  }

  symlink(target: string, base: Dir, path: string): void {
    if (target.indexOf('\0') !== -1) throw err('EINVAL', target, 'EINVAL: the symlink target contains a NUL byte');
    const w = this.walk(base, path, false);
    const gp = (): string => this.childPath(w.parent, w.name);
    if (w.entry !== undefined || w.name === '') throw err('EEXIST', gp());
    if (w.trailingSlash) throw err('ENOENT', gp());
    const p = w.parent;
    if (p.type === 'directory') {
      if (p.removed) throw err('ENOENT', gp());
      // Refused in memory too, as wasmtime (cap-std) refuses it: the resolver would never follow it, and a
      // guest tested on one filesystem must get the same answer on the other.
      if (target.charCodeAt(0) === 47) throw err('EPERM', gp(), `EPERM: ${gp()}: a symlink may not point to an absolute path (${target})`);
      const t = nowNs();
      const s = new MemSymlink(this.nextIno++, t, target);
      p.entries.set(w.name, s);
      this.touchDir(p, t);
      this.emit({ kind: 'symlink', parent: p.ino, name: w.name, ino: s.ino, target, timeNs: t });
      return;
    }
    checkPermission(p.mount, 'create', gp());
    if (target.charCodeAt(0) === 47) {
      // Our resolver would never follow it, but other programs on the host would: refused, as cap-std does.
      throw err('EPERM', gp(), `EPERM: ${gp()}: a symlink on a host mount may not point to an absolute path (${target})`);
    }
    try {
      fs.symlinkSync(target, p.childHostPath(w.name));
    } catch (x) {
      throw hostError(x, gp());
    }
    this.hostChanged(p, w.name);
  }

  readlink(base: Dir, path: string): string {
    const w = this.walk(base, path, false);
    const gp = (): string => this.childPath(w.parent, w.name);
    const e = w.entry;
    if (e === undefined) throw err('ENOENT', gp());
    if (e.type === 'symlink') return e.target;
    if (e.type === 'hostNode' && e.nodeType === 'symlink') {
      checkPermission(e.parent.mount, 'read', gp());
      return this.readLink(e, gp());
    }
    throw err('EINVAL', gp());
  }

  statPath(base: Dir, path: string, followFinal: boolean): NodeStat {
    const w = this.walk(base, path, followFinal);
    const gp = (): string => this.childPath(w.parent, w.name);
    const e = w.entry;
    if (e === undefined) throw err('ENOENT', gp());
    // The resolver has just lstat'ed a host entry: no second system call.
    if (e.type === 'hostNode') return this.hostStat(e.st);
    if (e.type === 'hostDir' && e.st !== undefined) return this.hostStat(e.st);
    return this.statEntry(e, gp());
  }

  setPathTimes(base: Dir, path: string, followFinal: boolean, atimeNs: bigint | null, mtimeNs: bigint | null): void {
    const w = this.walk(base, path, followFinal);
    const gp = (): string => this.childPath(w.parent, w.name);
    const e = w.entry;
    if (e === undefined) throw err('ENOENT', gp());
    if (e.type === 'hostDir' || e.type === 'hostNode') {
      checkPermission(e.type === 'hostDir' ? e.mount : e.parent.mount, 'write', gp());
      const hp = e.hostPath;
      try {
        const st = this.hostStat(fs.lstatSync(hp, { bigint: true }));
        const at = atimeNs ?? st.atimeNs;
        const mt = mtimeNs ?? st.mtimeNs;
        if (e.type === 'hostNode' && e.nodeType === 'symlink') fs.lutimesSync(hp, nsToSeconds(at), nsToSeconds(mt));
        else fs.utimesSync(hp, nsToSeconds(at), nsToSeconds(mt));
        this.rememberHostTimes(fs.lstatSync(hp, { bigint: true }), at, mt);
      } catch (x) {
        throw hostError(x, gp());
      }
      if (e.type === 'hostNode') this.hostChanged(e.parent, e.name);
      else this.emit({ kind: 'hostChanged', guestPath: e.guestPath() });
      return;
    }
    this.setMemTimes(e, atimeNs, mtimeNs);
  }

  setDirTimes(dir: Dir, atimeNs: bigint | null, mtimeNs: bigint | null): void {
    const d = this.currentDir(dir);
    if (d.type === 'directory') {
      this.setMemTimes(d, atimeNs, mtimeNs);
      return;
    }
    checkPermission(d.mount, 'write', d.guestPath());
    const st = this.hostStat(fs.statSync(d.hostPath, { bigint: true }));
    const at = atimeNs ?? st.atimeNs;
    const mt = mtimeNs ?? st.mtimeNs;
    fs.utimesSync(d.hostPath, nsToSeconds(at), nsToSeconds(mt));
    this.rememberHostTimes(fs.statSync(d.hostPath, { bigint: true }), at, mt);
    this.emit({ kind: 'hostChanged', guestPath: d.guestPath() });
  }

  statDir(dir: Dir): NodeStat {
    const d = this.currentDir(dir);
    return this.statEntry(d, this.dirPath(d));
  }

  // ---- whole-file helpers (seeds, main-thread edits, mirror reads) -----------------------------------------------

  /** Creates every missing directory of an absolute guest path. */
  mkdirp(guestPath: string): void {
    const parts = guestPath.split('/').filter((s) => s.length > 0);
    let sofar = '';
    for (const p of parts) {
      sofar += '/' + p;
      const w = this.walkAbsolute(sofar, true);
      if (w.entry === undefined) this.mkdir(this.root, sofar.slice(1));
      else if (!isDir(w.entry)) throw err('ENOTDIR', sofar);
    }
  }

  writeWholeFile(guestPath: string, data: Uint8Array, options: { create: boolean; overwrite: boolean }): void {
    const w = this.walkAbsolute(guestPath, true);
    if (w.entry !== undefined) {
      if (!options.overwrite) throw err('EEXIST', guestPath);
      if (isDir(w.entry)) throw err('EISDIR', guestPath);
    } else if (!options.create) throw err('ENOENT', guestPath);
    const opened = this.open(this.root, guestPath.replace(/^\/+/, ''), {
      followFinal: true, create: options.create, exclusive: false, truncate: true, directory: false, read: false, write: true,
    });
    if (opened.kind !== 'file') throw err('EISDIR', guestPath);
    try {
      let off = 0;
      while (off < data.length) off += this.write(opened.handle, data, off, data.length - off, off);
    } finally {
      this.closeHandle(opened.handle);
    }
  }

  readWholeFile(guestPath: string): Uint8Array {
    const w = this.walkAbsolute(guestPath, true);
    const e = w.entry;
    if (e === undefined) throw err('ENOENT', guestPath);
    if (isDir(e)) throw err('EISDIR', guestPath);
    if (e.type === 'file') return e.contents();
    if (e.type === 'hostNode') {
      checkPermission(e.parent.mount, 'read', guestPath);
      let fd: number;
      try {
        fd = fs.openSync(e.hostPath, fs.constants.O_RDONLY | O_NOFOLLOW);
      } catch (x) {
        throw hostError(x, guestPath);
      }
      try {
        return fs.readFileSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
    throw err('EINVAL', guestPath);
  }

  /** Deletes a file, symlink or (with `recursive`, non-empty) directory at an absolute guest path. */
  deletePath(guestPath: string, recursive: boolean): void {
    const w = this.walkAbsolute(guestPath, false);
    if (w.entry === undefined) throw err('ENOENT', guestPath);
    if (w.name === '') throw err('EBUSY', guestPath, `EBUSY: ${guestPath} cannot be deleted`);
    const rel = guestPath.replace(/^\/+/, '').replace(/\/+$/, '');
    if (!isDir(w.entry)) {
      this.unlink(this.root, rel);
      return;
    }
    if (recursive) {
      for (const child of this.list(w.entry)) this.deletePath(rel === '' ? '/' + child.name : '/' + rel + '/' + child.name, true);
    }
    this.rmdir(this.root, rel);
  }

  // ---- replica: replaying the journal (main-thread mirror) -------------------------------------------------------

  private indexed(ino: number): MemNode {
    const n = this.index?.get(ino);
    if (!n) throw new Error(`journal refers to unknown inode ${ino}`);
    return n;
  }

  /** Applies one journal record to this replica; returns the guest path that changed. */
  applyChange(c: FsChange): string {
    switch (c.kind) {
      case 'hostChanged':
        return c.guestPath;
      case 'layout':
        return '/';
      case 'create':
      case 'mkdir':
      case 'symlink': {
        const p = this.indexed(c.parent) as MemDir;
        let n: MemNode;
        if (c.kind === 'create') {
          n = new MemFile(c.ino, c.timeNs, { buffer: c.header, offset: c.headerOffset });
        } else if (c.kind === 'mkdir') {
          n = new MemDir(c.ino, c.timeNs, p);
          p.nlink++;
        } else n = new MemSymlink(c.ino, c.timeNs, c.target);
        n.pathName = c.name;
        n.pathParent = p;
        p.entries.set(c.name, n);
        this.touchDir(p, c.timeNs);
        this.index!.set(c.ino, n);
        this.nextIno = Math.max(this.nextIno, c.ino + 1);
        return this.childPath(p, c.name);
      }
      case 'link': {
        const p = this.indexed(c.parent) as MemDir;
        const n = this.indexed(c.ino);
        p.entries.set(c.name, n);
        n.nlink++;
        n.ctimeNs = c.timeNs;
        this.touchDir(p, c.timeNs);
        return this.childPath(p, c.name);
      }
      case 'write': {
        const f = this.indexed(c.ino) as MemFile;
        f.mtimeNs = f.ctimeNs = c.mtimeNs;
        return this.nodePath(f);
      }
      case 'truncate': {
        const f = this.indexed(c.ino) as MemFile;
        f.mtimeNs = f.ctimeNs = c.timeNs;
        f.dropChunksAfter(c.size);
        return this.nodePath(f);
      }
      case 'data': {
        (this.indexed(c.ino) as MemFile).adoptChunk(c.index, c.chunk);
        return this.nodePath(this.indexed(c.ino));
      }
      case 'setattr': {
        const n = this.indexed(c.ino);
        n.atimeNs = c.atimeNs;
        n.mtimeNs = c.mtimeNs;
        n.ctimeNs = c.ctimeNs;
        return this.nodePath(n);
      }
      case 'unlink':
      case 'rmdir': {
        const p = this.indexed(c.parent) as MemDir;
        const path = this.childPath(p, c.name);
        const n = p.entries.get(c.name) as MemNode | undefined;
        p.entries.delete(c.name);
        this.touchDir(p, c.timeNs);
        if (n && n.type === 'directory') {
          n.removed = true;
          n.nlink = 0;
          p.nlink--;
          this.index!.delete(n.ino);
        } else if (n) {
          n.nlink--;
          n.ctimeNs = c.timeNs;
          if (n.nlink === 0) this.index!.delete(n.ino);
        }
        return path;
      }
      case 'rename': {
        const pa = this.indexed(c.fromParent) as MemDir;
        const pb = this.indexed(c.toParent) as MemDir;
        const s = pa.entries.get(c.fromName) as MemNode | undefined;
        if (!s) throw new Error(`journal renames a missing entry ${c.fromName}`);
        const d = pb.entries.get(c.toName) as MemNode | undefined;
        if (d && d !== s) {
          if (d.type === 'directory') {
            d.removed = true;
            pb.nlink--;
            this.index!.delete(d.ino);
          } else if (--d.nlink === 0) this.index!.delete(d.ino);
        }
        this.moveMem(pa, c.fromName, pb, c.toName, s, c.timeNs);
        return this.childPath(pb, c.toName);
      }
      default:
        throw new Error(`unknown journal record ${(c as { kind: string }).kind}`);
    }
  }

  /** A guest path of an in-memory node (its last known name). */
  nodePath(n: MemNode): string {
    if (n.type === 'directory') return this.memDirPath(n);
    if (n.pathName === undefined || n.pathParent === null) return '/';
    return this.childPath(n.pathParent, n.pathName);
  }
}

function sameEntry(a: Entry, b: Entry): boolean {
  if (a === b) return true;
  if (a.type === 'hostNode' && b.type === 'hostNode') return a.st.ino === b.st.ino && a.st.dev === b.st.dev;
  if (a.type === 'hostDir' && b.type === 'hostDir') return a.hostPath === b.hostPath;
  return false;
}

function memStat(n: MemNode): NodeStat {
  const size = n.type === 'file' ? n.size : n.type === 'symlink' ? Buffer.byteLength(n.target) : n.entries.size;
  return {
    dev: MEMORY_DEV,
    ino: BigInt(n.ino),
    type: n.type,
    nlink: BigInt(n.nlink),
    size: BigInt(size),
    atimeNs: n.atimeNs,
    mtimeNs: n.mtimeNs,
    ctimeNs: n.ctimeNs,
  };
}

function hostToNodeStat(st: fs.BigIntStats): NodeStat {
  return {
    dev: st.dev,
    ino: st.ino,
    type: hostNodeType(st),
    nlink: st.nlink,
    size: st.size,
    atimeNs: st.atimeNs,
    mtimeNs: st.mtimeNs,
    ctimeNs: st.ctimeNs,
  };
}

/** Seconds for node:fs utimes, which takes a double and truncates to whole nanoseconds: +0.5 ns rounds instead. */
function nsToSeconds(ns: bigint): number {
  return Number(ns / 1_000_000_000n) + (Number(ns % 1_000_000_000n) + 0.5) / 1e9;
}
