// Pure registry of the WASI sessions the view shows: running ones, and ended ones kept until the next launch or Clear.

import type { ExitInfo, VfsMountInfo, VfsView, WasiProcessHandle } from '../runtime/api';
import { baseName, isAtOrBelow, joinGuest, parentOf } from './guestPath';
import { realGuestPath } from './guestRealPath';
import type { StdioSetup } from './stdioSetup';

export type SessionState = { kind: 'running' } | { kind: 'ended'; exit: ExitInfo | undefined };

export interface ViewSession {
  readonly id: string;
  readonly label: string;
  readonly vfs: VfsView;
  /** Host mounts, read once: the mount table is fixed for the life of a process. Longest guest path first. */
  readonly mounts: readonly VfsMountInfo[];
  /** Where stdin comes from and stdout/stderr go, when the launcher said (the "Standard streams" nodes). */
  readonly stdio: StdioSetup | undefined;
  state: SessionState;
}

export type SessionEvent =
  | { kind: 'added'; session: ViewSession }
  | { kind: 'removed'; session: ViewSession }
  | { kind: 'stateChanged'; session: ViewSession }
  | { kind: 'filesChanged'; session: ViewSession; paths: string[] };

/** The innermost host mount containing `path`, if any. */
export function mountContaining(session: ViewSession, path: string): VfsMountInfo | undefined {
  return session.mounts.find((m) => isAtOrBelow(path, m.guestPath));
}

/** True when edits to `path` cannot succeed because it lies in a host mount without write permission. */
export function isReadOnlyPath(session: ViewSession, path: string): boolean {
  const mount = mountContaining(session, path);
  return mount !== undefined && !mount.write;
}

/**
 * The read-only host mount an edit of `path` would land in, if any — where it really lands, when symlinked folders
 * are on the way (and with `followFinal`, a link at `path` itself, as writing a file does; renaming or deleting a
 * link acts on the link). Falls back to the path as spelled when it cannot be placed; the VFS refuses such edits
 * anyway, this only lets the editor say so early.
 */
export function readOnlyMountAt(session: ViewSession, path: string, options: { followFinal: boolean }): VfsMountInfo | undefined {
  if (!session.mounts.some((m) => !m.write)) return undefined;
  let landing: string | undefined;
  if (options.followFinal || path === '/') landing = realGuestPath(session.vfs, path);
  if (landing === undefined && path !== '/') {
    const parent = realGuestPath(session.vfs, parentOf(path));
    if (parent !== undefined) landing = joinGuest(parent, baseName(path));
  }
  const mount = mountContaining(session, landing ?? path);
  return mount !== undefined && !mount.write ? mount : undefined;
}

export class SessionRegistry {
  private readonly sessions = new Map<string, ViewSession>();
  private readonly subscriptions = new Map<string, () => void>();
  private readonly listeners = new Set<(event: SessionEvent) => void>();

  list(): ViewSession[] {
    return [...this.sessions.values()];
  }

  get(id: string): ViewSession | undefined {
    return this.sessions.get(id);
  }

  onEvent(listener: (event: SessionEvent) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * A new launch: sessions that already ended make room for it (the view keeps a finished run only until the
   * next one starts); sessions still running stay beside it.
   */
  add(id: string, label: string, process: WasiProcessHandle, stdio?: StdioSetup): ViewSession {
    for (const old of this.list()) if (old.state.kind === 'ended' || old.id === id) this.remove(old.id);
    const mounts = [...process.vfs.mounts()].sort((a, b) => b.guestPath.length - a.guestPath.length);
    const session: ViewSession = { id, label, vfs: process.vfs, mounts, stdio, state: { kind: 'running' } };
    this.sessions.set(id, session);
    const changes = process.vfs.onDidChange((paths) => {
      if (this.sessions.get(id) === session) this.emit({ kind: 'filesChanged', session, paths });
    });
    const onExit = (exit: ExitInfo): void => this.markEnded(session, exit);
    process.on('exit', onExit);
    // `exited` covers a process that ended before we subscribed.
    process.exited.then(onExit, () => undefined);
    this.subscriptions.set(id, () => {
      changes.dispose();
      process.off('exit', onExit);
    });
    this.emit({ kind: 'added', session });
    return session;
  }

  /** The debug session is over; the exit details arrive from the process if they have not already. */
  ended(id: string): void {
    const session = this.sessions.get(id);
    if (session && session.state.kind === 'running') {
      session.state = { kind: 'ended', exit: undefined };
      this.emit({ kind: 'stateChanged', session });
    }
  }

  /** Clear: forget every session that has ended. Running sessions stay, they are still live. */
  clearEnded(): number {
    let removed = 0;
    for (const s of this.list()) {
      if (s.state.kind === 'ended') {
        this.remove(s.id);
        removed++;
      }
    }
    return removed;
  }

  dispose(): void {
    for (const s of this.list()) this.remove(s.id);
    this.listeners.clear();
  }

  private markEnded(session: ViewSession, exit: ExitInfo): void {
    if (this.sessions.get(session.id) !== session) return;
    if (session.state.kind === 'ended' && session.state.exit !== undefined) return;
    session.state = { kind: 'ended', exit };
    this.emit({ kind: 'stateChanged', session });
  }

  private remove(id: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    this.subscriptions.get(id)?.();
    this.subscriptions.delete(id);
    this.sessions.delete(id);
    this.emit({ kind: 'removed', session });
  }

  private emit(event: SessionEvent): void {
    for (const l of [...this.listeners]) l(event);
  }
}
