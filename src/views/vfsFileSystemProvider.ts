// The wasi-vfs: FileSystemProvider: opens, saves, lists, renames and deletes guest files of a session's VFS, and
// reports changes to the files VS Code watches.

import * as vscode from 'vscode';
import { VfsError, type VfsNodeKind, type VfsStat } from '../runtime/api';
import { isAtOrBelow, joinGuest, parentOf, relativeBelow } from './guestPath';
import { realGuestPath } from './guestRealPath';
import { readOnlyMountAt, type SessionRegistry, type ViewSession } from './sessions';
import { WASI_VFS_SCHEME, fromUriParts, toUriParts, type GuestLocation } from './vfsUri';

export function guestUri(sessionId: string, guestPath: string): vscode.Uri {
  return vscode.Uri.from(toUriParts({ sessionId, guestPath }));
}

/** Throws FileNotFound (the URI names nothing we can show) for a URI of another scheme or with dot segments. */
export function locate(uri: vscode.Uri): GuestLocation {
  try {
    return fromUriParts(uri);
  } catch (error) {
    throw vscode.FileSystemError.FileNotFound(error instanceof Error ? error.message : String(error));
  }
}

/** Translates the VFS's POSIX-style error into the FileSystemError VS Code understands, keeping the reason. */
export function toFileSystemError(error: unknown, uri: vscode.Uri): Error {
  if (error instanceof vscode.FileSystemError) return error;
  if (!(error instanceof VfsError)) return vscode.FileSystemError.Unavailable(error instanceof Error ? error.message : String(error));
  const text = `${uri.path}: ${error.message}`;
  switch (error.code) {
    case 'ENOENT':
      return vscode.FileSystemError.FileNotFound(text);
    case 'EEXIST':
      return vscode.FileSystemError.FileExists(text);
    case 'ENOTDIR':
      return vscode.FileSystemError.FileNotADirectory(text);
    case 'EISDIR':
      return vscode.FileSystemError.FileIsADirectory(text);
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
    case 'ENOTCAPABLE':
      return vscode.FileSystemError.NoPermissions(text);
    default:
      return vscode.FileSystemError.Unavailable(text);
  }
}

function fileType(kind: VfsNodeKind | undefined): vscode.FileType {
  switch (kind) {
    case 'file':
      return vscode.FileType.File;
    case 'directory':
      return vscode.FileType.Directory;
    default:
      return vscode.FileType.Unknown;
  }
}

/** How long an edit may wait for the module's next syscall before the status bar says what it waits for. */
export const SLOW_EDIT_NOTICE_MS = 500;

/**
 * A running module takes an edit at its next syscall; paused in the debugger or computing, that can take a while.
 * Rather than a silent "Saving…", the status bar says why until the edit lands (or is refused).
 */
async function whileWaitingForModule<T>(what: string, applying: Promise<T>): Promise<T> {
  const timer = setTimeout(() => {
    vscode.window.setStatusBarMessage(
      `$(sync~spin) WASI: ${what} — waits for the module's next system call (is it paused in the debugger?)`,
      applying.then(() => undefined, () => undefined),
    );
  }, SLOW_EDIT_NOTICE_MS);
  try {
    return await applying;
  } finally {
    clearTimeout(timer);
  }
}

interface Watch {
  sessionId: string;
  path: string;
  recursive: boolean;
  /**
   * Where `path` really is when symlinks are on the way (an editor opened below a folder link): the VFS reports
   * changes there. Undefined when it is `path` itself or does not resolve.
   */
  realPath: string | undefined;
}

/** A watch of `watched` sees that path, its direct children, and with `recursive` everything below. */
function covers(watched: string, recursive: boolean, path: string): boolean {
  if (path === watched) return true;
  return recursive ? isAtOrBelow(path, watched) : parentOf(path) === watched;
}

function realPathIfElsewhere(session: ViewSession | undefined, path: string): string | undefined {
  const real = session === undefined ? undefined : realGuestPath(session.vfs, path);
  return real === path ? undefined : real;
}

export class WasiVfsFileSystemProvider implements vscode.FileSystemProvider {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  private readonly watches = new Set<Watch>();

  constructor(private readonly sessions: SessionRegistry) {}

  watch(uri: vscode.Uri, options: { readonly recursive: boolean; readonly excludes: readonly string[] }): vscode.Disposable {
    const { sessionId, guestPath } = locate(uri);
    const watch: Watch = { sessionId, path: guestPath, recursive: options.recursive, realPath: realPathIfElsewhere(this.sessions.get(sessionId), guestPath) };
    this.watches.add(watch);
    return new vscode.Disposable(() => this.watches.delete(watch));
  }

  /** Number of active watches (for tests and diagnostics). */
  get watchCount(): number {
    return this.watches.size;
  }

  /**
   * Reports changed guest paths of a session to VS Code, limited to what is watched: an open editor watches its
   * file, so a module writing 100,000 other files sends nothing here.
   */
  notifyChanged(session: ViewSession, paths: Iterable<string>): void {
    const watches = [...this.watches].filter((w) => w.sessionId === session.id);
    if (watches.length === 0) return;
    const changed = [...paths];
    for (const w of watches) {
      // A change on the way to a watched path (a link retargeted, a folder renamed) may move where it really is.
      if (changed.some((p) => isAtOrBelow(w.path, p) || (w.realPath !== undefined && isAtOrBelow(w.realPath, p)))) w.realPath = realPathIfElsewhere(session, w.path);
    }
    // Guest paths to report, in the order they changed: each as spelled, and as seen through the watched links.
    const reported = new Set<string>();
    for (const path of changed) {
      for (const w of watches) {
        if (covers(w.path, w.recursive, path)) reported.add(path);
        if (w.realPath !== undefined && covers(w.realPath, w.recursive, path)) {
          const rest = relativeBelow(path, w.realPath);
          reported.add(rest === '' ? w.path : joinGuest(w.path, rest));
        }
      }
    }
    const events: vscode.FileChangeEvent[] = [];
    for (const path of reported) {
      let exists = true;
      try {
        session.vfs.lstat(path);
      } catch {
        exists = false;
      }
      events.push({ type: exists ? vscode.FileChangeType.Changed : vscode.FileChangeType.Deleted, uri: guestUri(session.id, path) });
    }
    if (events.length > 0) this.emitter.fire(events);
  }

  /** The session is gone from the view: its open editors see their files deleted. */
  notifySessionRemoved(session: ViewSession): void {
    const events = [...this.watches]
      .filter((w) => w.sessionId === session.id)
      .map((w) => ({ type: vscode.FileChangeType.Deleted, uri: guestUri(session.id, w.path) }));
    if (events.length > 0) this.emitter.fire(events);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const { session, guestPath } = this.resolve(uri);
    let link: VfsStat | undefined;
    let target: VfsStat;
    try {
      link = session.vfs.lstat(guestPath);
      target = link.kind === 'symlink' ? session.vfs.stat(guestPath) : link;
    } catch (error) {
      throw toFileSystemError(error, uri);
    }
    const type = fileType(target.kind) | (link.kind === 'symlink' ? vscode.FileType.SymbolicLink : 0);
    const stat: vscode.FileStat = { type, ctime: target.ctimeMs, mtime: target.mtimeMs, size: target.size };
    if (readOnlyMountAt(session, guestPath, { followFinal: true })) stat.permissions = vscode.FilePermission.Readonly;
    return stat;
  }

  readDirectory(uri: vscode.Uri): [string, vscode.FileType][] {
    const { session, guestPath } = this.resolve(uri);
    try {
      const result: [string, vscode.FileType][] = [];
      for (const entry of session.vfs.readDirectory(guestPath)) {
        if (entry.name === '.' || entry.name === '..') continue;
        let type = fileType(entry.kind);
        if (entry.kind === 'symlink') {
          const childPath = joinGuest(guestPath, entry.name);
          let targetKind: VfsNodeKind | undefined;
          try {
            targetKind = session.vfs.stat(childPath).kind;
          } catch {
            targetKind = undefined;
          }
          type = fileType(targetKind) | vscode.FileType.SymbolicLink;
        }
        result.push([entry.name, type]);
      }
      return result;
    } catch (error) {
      throw toFileSystemError(error, uri);
    }
  }

  readFile(uri: vscode.Uri): Uint8Array {
    const { session, guestPath } = this.resolve(uri);
    try {
      return session.vfs.readFile(guestPath);
    } catch (error) {
      throw toFileSystemError(error, uri);
    }
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array, options: { readonly create: boolean; readonly overwrite: boolean }): Promise<void> {
    const { session, guestPath } = this.resolve(uri);
    this.refuseReadOnly(session, guestPath, uri, true);
    let existing: VfsStat | undefined;
    try {
      existing = session.vfs.stat(guestPath);
    } catch {
      existing = undefined;
    }
    if (existing?.kind === 'directory') throw vscode.FileSystemError.FileIsADirectory(uri);
    if (!existing && !options.create) throw vscode.FileSystemError.FileNotFound(uri);
    if (existing && options.create && !options.overwrite) throw vscode.FileSystemError.FileExists(uri);
    try {
      await whileWaitingForModule(`saving ${guestPath}`, session.vfs.writeFile(guestPath, content, { create: options.create, overwrite: options.overwrite }));
    } catch (error) {
      throw toFileSystemError(error, uri);
    }
  }

  async createDirectory(uri: vscode.Uri): Promise<void> {
    const { session, guestPath } = this.resolve(uri);
    this.refuseReadOnly(session, guestPath, uri, false);
    try {
      await whileWaitingForModule(`creating ${guestPath}`, session.vfs.createDirectory(guestPath));
    } catch (error) {
      throw toFileSystemError(error, uri);
    }
  }

  async delete(uri: vscode.Uri, options: { readonly recursive: boolean }): Promise<void> {
    const { session, guestPath } = this.resolve(uri);
    if (guestPath === '/') throw vscode.FileSystemError.NoPermissions('The guest root "/" cannot be deleted.');
    const mountPoint = session.mounts.find((m) => m.guestPath === guestPath);
    if (mountPoint) throw vscode.FileSystemError.NoPermissions(`${guestPath} is the mount point of the host directory ${mountPoint.hostPath}; it cannot be deleted from the guest.`);
    this.refuseReadOnly(session, guestPath, uri, false);
    try {
      await whileWaitingForModule(`deleting ${guestPath}`, session.vfs.delete(guestPath, { recursive: options.recursive }));
    } catch (error) {
      throw toFileSystemError(error, uri);
    }
  }

  async rename(oldUri: vscode.Uri, newUri: vscode.Uri, options: { readonly overwrite: boolean }): Promise<void> {
    const from = this.resolve(oldUri);
    const to = this.resolve(newUri);
    if (from.session !== to.session) throw vscode.FileSystemError.NoPermissions('Files can only be moved within one WASI session; use Save to Workspace and Import from Workspace to copy between sessions.');
    this.refuseReadOnly(from.session, from.guestPath, oldUri, false);
    this.refuseReadOnly(to.session, to.guestPath, newUri, false);
    try {
      await whileWaitingForModule(`renaming ${from.guestPath}`, from.session.vfs.rename(from.guestPath, to.guestPath, { overwrite: options.overwrite }));
    } catch (error) {
      throw toFileSystemError(error, newUri);
    }
  }

  private resolve(uri: vscode.Uri): { session: ViewSession; guestPath: string } {
    const { sessionId, guestPath } = locate(uri);
    const session = this.sessions.get(sessionId);
    if (!session) throw vscode.FileSystemError.FileNotFound(`No WASI session ${sessionId} in the WASI Filesystem view (it was cleared or replaced by a newer launch): ${uri.path}`);
    return { session, guestPath };
  }

  /** `followFinal`: the edit acts on what a link at `guestPath` leads to (writing a file), not on the link itself. */
  private refuseReadOnly(session: ViewSession, guestPath: string, uri: vscode.Uri, followFinal: boolean): void {
    const mount = readOnlyMountAt(session, guestPath, { followFinal });
    if (mount === undefined) return;
    throw vscode.FileSystemError.NoPermissions(
      `${uri.path} is in the host mount ${mount.guestPath} (${mount.hostPath}), which the launch configuration mounts without write permission.`,
    );
  }
}

export { WASI_VFS_SCHEME };
