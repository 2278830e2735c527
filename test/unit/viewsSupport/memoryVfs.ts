// A small in-memory VfsView for the views' tests, honouring src/runtime/api.ts: POSIX-like errors, symlinks,
// read-only mounts, edits that wait for the module's "next syscall" while it runs, and batched change events.

import { VfsError, type ExitInfo, type VfsDirEntry, type VfsMountInfo, type VfsStat, type VfsView, type WasiProcessEvents, type WasiProcessHandle } from '../../../src/runtime/api';

type Node =
  | { kind: 'file'; data: Uint8Array; mtimeMs: number; ctimeMs: number }
  | { kind: 'directory'; children: Map<string, Node>; mtimeMs: number; ctimeMs: number }
  | { kind: 'symlink'; target: string; mtimeMs: number; ctimeMs: number }
  | { kind: 'characterDevice'; mtimeMs: number; ctimeMs: number };

function split(path: string): string[] {
  if (!path.startsWith('/')) throw new VfsError('EINVAL', path, `not an absolute guest path: ${path}`);
  return path.split('/').filter((s) => s.length > 0);
}

export class MemoryVfs implements VfsView {
  private readonly root: Node = { kind: 'directory', children: new Map(), mtimeMs: 1, ctimeMs: 1 };
  private readonly mountTable: VfsMountInfo[] = [];
  private readonly listeners = new Set<(paths: string[]) => void>();
  private changed: string[] = [];
  private now = 1_700_000_000_000;
  /** While true (the module runs), main-thread edits wait for `syscall()`; after exit they apply at once. */
  running = false;
  private queuedEdits: Array<() => void> = [];
  /** Counts calls, so tests can show the tree does not re-list what it cached. */
  calls = { readDirectory: 0, lstat: 0, stat: 0 };

  /** Adds a host mount (modelled in memory: the view only needs its description and permissions). */
  mount(info: VfsMountInfo): void {
    this.mountTable.push(info);
    this.mkdirp(info.guestPath);
  }

  // ---- the module's side: synchronous changes, journalled like the worker's change stream ----

  guestWrite(path: string, data: Uint8Array | string): void {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    const { dir, name } = this.parentOf(path);
    const existing = dir.children.get(name);
    if (existing && existing.kind !== 'file') throw new VfsError('EISDIR', path);
    dir.children.set(name, { kind: 'file', data: bytes.slice(), mtimeMs: this.tick(), ctimeMs: existing?.ctimeMs ?? this.now });
    this.note(path);
  }

  guestMkdir(path: string): void {
    this.mkdirp(path);
  }

  guestSymlink(path: string, target: string): void {
    const { dir, name } = this.parentOf(path);
    if (dir.children.has(name)) throw new VfsError('EEXIST', path);
    dir.children.set(name, { kind: 'symlink', target, mtimeMs: this.tick(), ctimeMs: this.now });
    this.note(path);
  }

  guestDevice(path: string): void {
    const { dir, name } = this.parentOf(path);
    dir.children.set(name, { kind: 'characterDevice', mtimeMs: this.tick(), ctimeMs: this.now });
    this.note(path);
  }

  guestUnlink(path: string): void {
    const { dir, name } = this.parentOf(path);
    if (!dir.children.delete(name)) throw new VfsError('ENOENT', path);
    this.note(path);
  }

  /** The module makes a syscall: queued main-thread edits apply now, in order. */
  syscall(): void {
    const edits = this.queuedEdits;
    this.queuedEdits = [];
    for (const e of edits) e();
  }

  get pendingEdits(): number {
    return this.queuedEdits.length;
  }

  /** Delivers the batched change journal to listeners (the worker's batch timer firing). */
  flushChanges(): void {
    if (this.changed.length === 0) return;
    const paths = this.changed;
    this.changed = [];
    for (const l of [...this.listeners]) l(paths);
  }

  // ---- VfsView ----

  mounts(): VfsMountInfo[] {
    return this.mountTable.map((m) => ({ ...m }));
  }

  stat(path: string): VfsStat {
    this.calls.stat++;
    return this.describe(this.resolve(path, true, 0), path);
  }

  lstat(path: string): VfsStat {
    this.calls.lstat++;
    return this.describe(this.resolve(path, false, 0), path);
  }

  readDirectory(path: string): VfsDirEntry[] {
    this.calls.readDirectory++;
    const node = this.resolve(path, true, 0);
    if (node.kind !== 'directory') throw new VfsError('ENOTDIR', path);
    return [...node.children].map(([name, child]) => ({ name, kind: child.kind }));
  }

  readFile(path: string): Uint8Array {
    const node = this.resolve(path, true, 0);
    if (node.kind === 'directory') throw new VfsError('EISDIR', path);
    if (node.kind !== 'file') return new Uint8Array(0);
    return node.data.slice();
  }

  writeFile(path: string, data: Uint8Array, options: { create: boolean; overwrite: boolean }): Promise<void> {
    const copy = data.slice();
    return this.edit(path, () => {
      this.checkWritable(path);
      const { dir, name } = this.parentOf(path);
      const existing = dir.children.get(name);
      if (existing?.kind === 'directory') throw new VfsError('EISDIR', path);
      if (!existing && !options.create) throw new VfsError('ENOENT', path);
      if (existing && !options.overwrite) throw new VfsError('EEXIST', path);
      dir.children.set(name, { kind: 'file', data: copy, mtimeMs: this.tick(), ctimeMs: existing?.ctimeMs ?? this.now });
      this.note(path);
    });
  }

  createDirectory(path: string): Promise<void> {
    return this.edit(path, () => {
      this.checkWritable(path);
      const { dir, name } = this.parentOf(path);
      if (dir.children.has(name)) throw new VfsError('EEXIST', path);
      dir.children.set(name, { kind: 'directory', children: new Map(), mtimeMs: this.tick(), ctimeMs: this.now });
      this.note(path);
    });
  }

  delete(path: string, options: { recursive: boolean }): Promise<void> {
    return this.edit(path, () => {
      this.checkWritable(path);
      const { dir, name } = this.parentOf(path);
      const node = dir.children.get(name);
      if (!node) throw new VfsError('ENOENT', path);
      if (node.kind === 'directory' && node.children.size > 0 && !options.recursive) throw new VfsError('ENOTEMPTY', path);
      dir.children.delete(name);
      this.note(path);
    });
  }

  rename(from: string, to: string, options: { overwrite: boolean }): Promise<void> {
    return this.edit(from, () => {
      this.checkWritable(from);
      this.checkWritable(to);
      const src = this.parentOf(from);
      const node = src.dir.children.get(src.name);
      if (!node) throw new VfsError('ENOENT', from);
      const dst = this.parentOf(to);
      if (dst.dir.children.has(dst.name) && !options.overwrite) throw new VfsError('EEXIST', to);
      src.dir.children.delete(src.name);
      dst.dir.children.set(dst.name, node);
      this.note(from);
      this.note(to);
    });
  }

  onDidChange(listener: (paths: string[]) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  // ---- internals ----

  private edit(path: string, apply: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const run = (): void => {
        try {
          apply();
          resolve();
        } catch (error) {
          reject(error);
        }
      };
      if (this.running) this.queuedEdits.push(run);
      else run();
    });
  }

  private checkWritable(path: string): void {
    const mount = [...this.mountTable].sort((a, b) => b.guestPath.length - a.guestPath.length).find((m) => path === m.guestPath || path.startsWith(`${m.guestPath}/`));
    if (mount && !mount.write) throw new VfsError('EPERM', path, `${path}: the mount ${mount.guestPath} is read-only`);
  }

  private note(path: string): void {
    this.changed.push(path);
  }

  private tick(): number {
    return ++this.now;
  }

  private mkdirp(path: string): void {
    let node = this.root;
    let at = '';
    for (const seg of split(path)) {
      at += `/${seg}`;
      if (node.kind !== 'directory') throw new VfsError('ENOTDIR', at);
      let next = node.children.get(seg);
      if (!next) {
        next = { kind: 'directory', children: new Map(), mtimeMs: this.tick(), ctimeMs: this.now };
        node.children.set(seg, next);
        this.note(at);
      }
      node = next;
    }
  }

  private parentOf(path: string): { dir: Extract<Node, { kind: 'directory' }>; name: string } {
    const segs = split(path);
    if (segs.length === 0) throw new VfsError('EBUSY', path, 'the root cannot be replaced');
    const name = segs.pop()!;
    const dir = this.resolve(`/${segs.join('/')}`, true, 0);
    if (dir.kind !== 'directory') throw new VfsError('ENOTDIR', path);
    return { dir, name };
  }

  private resolve(path: string, followLast: boolean, depth: number): Node {
    if (depth > 40) throw new VfsError('ELOOP', path);
    const segs = split(path);
    let node = this.root;
    for (let i = 0; i < segs.length; i++) {
      if (node.kind !== 'directory') throw new VfsError('ENOTDIR', path);
      const next = node.children.get(segs[i]);
      if (!next) throw new VfsError('ENOENT', path);
      if (next.kind === 'symlink' && (followLast || i < segs.length - 1)) {
        const base = `/${segs.slice(0, i).join('/')}`;
        const target = next.target.startsWith('/') ? next.target : `${base === '/' ? '' : base}/${next.target}`;
        const rest = segs.slice(i + 1).join('/');
        return this.resolve(normalize(rest ? `${target}/${rest}` : target), followLast, depth + 1);
      }
      node = next;
    }
    return node;
  }

  private describe(node: Node, path: string): VfsStat {
    void path;
    const base = { mtimeMs: node.mtimeMs, ctimeMs: node.ctimeMs };
    switch (node.kind) {
      case 'file':
        return { kind: 'file', size: node.data.byteLength, ...base };
      case 'directory':
        return { kind: 'directory', size: 0, ...base };
      case 'symlink':
        return { kind: 'symlink', size: node.target.length, linkTarget: node.target, ...base };
      case 'characterDevice':
        return { kind: 'characterDevice', size: 0, ...base };
    }
  }
}

function normalize(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return `/${out.join('/')}`;
}

/** A WasiProcessHandle stand-in around a MemoryVfs: the test decides when and how it exits. */
export class FakeProcess implements WasiProcessHandle {
  private readonly listeners = new Map<keyof WasiProcessEvents, Set<(...args: never[]) => void>>();
  private resolveExit!: (info: ExitInfo) => void;
  readonly exited: Promise<ExitInfo>;
  constructor(readonly vfs: MemoryVfs) {
    this.exited = new Promise((r) => (this.resolveExit = r));
    vfs.running = true;
  }
  on<E extends keyof WasiProcessEvents>(event: E, listener: WasiProcessEvents[E]): this {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)!.add(listener);
    return this;
  }
  off<E extends keyof WasiProcessEvents>(event: E, listener: WasiProcessEvents[E]): this {
    this.listeners.get(event)?.delete(listener);
    return this;
  }
  listenerCount(event: keyof WasiProcessEvents): number {
    return this.listeners.get(event)?.size ?? 0;
  }
  exit(info: ExitInfo): void {
    this.vfs.running = false;
    this.vfs.syscall();
    for (const l of [...(this.listeners.get('exit') ?? [])]) (l as (i: ExitInfo) => void)(info);
    this.resolveExit(info);
  }
  writeStdin(): void {}
  closeStdin(): void {}
  async terminate(): Promise<void> {
    this.exit({ kind: 'terminated' });
  }
}
