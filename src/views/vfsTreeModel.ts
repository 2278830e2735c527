// Pure tree model of the view: which nodes a session's filesystem shows, cached per loaded directory and updated
// incrementally from change batches, so a directory of 100,000 entries is listed once, not once per batch.
//
// Paths of nodes are *view* paths: below an expanded symlinked folder they spell the way through the link
// ("/data-link/a.txt"), which the VFS resolves like the module would. Each listed folder also knows the *real* path it
// shows, so that changes the VFS reports at real paths reach every place the folder is shown, and so that a link
// to a folder containing itself is not expanded into an endless tree.

import { VfsError, type VfsMountInfo, type VfsNodeKind, type VfsStat } from '../runtime/api';
import { baseName, isAtOrBelow, joinGuest, parentOf, relativeBelow } from './guestPath';
import { realGuestPath } from './guestRealPath';
import type { ViewSession } from './sessions';
import { STREAM_NAMES, type StreamName } from './stdioSetup';

export interface SessionNode {
  readonly kind: 'session';
  readonly session: ViewSession;
  /** The provider's cached TreeItem for `revision` (opaque here: the model stays free of vscode types). */
  itemCache?: { revision: number; item: unknown };
  /** Bumped whenever what the node shows changes (its state); lets the presentation cache its item. */
  revision: number;
}

export interface EntryNode {
  readonly kind: 'entry';
  readonly session: ViewSession;
  /** The provider's cached TreeItem for `revision` (opaque here: the model stays free of vscode types). */
  itemCache?: { revision: number; item: unknown };
  readonly path: string;
  readonly name: string;
  readonly entryKind: VfsNodeKind;
  /**
   * lstat of the entry when last shown or changed; undefined until the entry is first shown (a directory of
   * 100,000 entries is sorted from its listing alone, and only the page the view shows is stat'ed).
   */
  stat: VfsStat | undefined;
  /** For a symlink: what its target is, when it resolves (kept in step with `link`). */
  targetKind: VfsNodeKind | undefined;
  /** For a symlink, once stat'ed: where it leads, or why it leads nowhere. */
  link: LinkState | undefined;
  /** Where the entry really is: `path` with every symlinked folder on the way replaced by its target. */
  readonly realPath: string;
  /** Set when this directory is the mount point of a host directory. */
  readonly mount: VfsMountInfo | undefined;
  revision: number;
}

/** What a symlink leads to, as far as the view is concerned. */
export type LinkState =
  | {
      kind: 'resolves';
      targetKind: VfsNodeKind;
      /** For a folder: the real guest path it shows (undefined if it cannot be placed; it is then not expanded). */
      realTarget: string | undefined;
      /** The target folder contains the link (a link to ".", "..", "/" or a folder above): expanding it never ends. */
      containsItself: boolean;
    }
  | {
      kind: 'broken';
      /** dangling: the target does not exist; loop: links lead round in a circle; outside: it leaves the sandbox. */
      reason: 'dangling' | 'loop' | 'outside' | 'unreadable';
      /** The VFS's error code (ENOENT, ELOOP, EACCES, …) and message. */
      code: string;
      message: string;
    };

/** The "Standard streams" group under a session node, shown when the launcher described the session's stdio. */
export interface StreamsNode {
  readonly kind: 'streams';
  readonly session: ViewSession;
  itemCache?: { revision: number; item: unknown };
  revision: number;
}

/** One of stdin, stdout, stderr: where it comes from or goes to. */
export interface StreamNode {
  readonly kind: 'stream';
  readonly session: ViewSession;
  readonly stream: StreamName;
  itemCache?: { revision: number; item: unknown };
  revision: number;
}

/** Shown in place of children that could not be listed, so a failure is visible rather than an empty folder. */
export interface NoticeNode {
  readonly kind: 'notice';
  readonly session: ViewSession;
  /** The provider's cached TreeItem for `revision` (opaque here: the model stays free of vscode types). */
  itemCache?: { revision: number; item: unknown };
  readonly path: string;
  readonly message: string;
  revision: number;
}

/** The last child of a directory with more entries than the view shows: activating it shows the next page. */
export interface MoreNode {
  readonly kind: 'more';
  readonly session: ViewSession;
  /** The directory it belongs to. */
  readonly path: string;
  /** Entries not shown yet. */
  remaining: number;
  itemCache?: { revision: number; item: unknown };
  revision: number;
}

export type TreeNode = SessionNode | EntryNode | NoticeNode | MoreNode | StreamsNode | StreamNode;

/**
 * Where a listed folder really is. `outer` holds the real folders the view passed through before the last symlink on
 * the way (the link-free stretch of the path is covered by `realPath` itself): a link whose target contains any of
 * them, or `realPath`, would lead back into its own ancestry.
 */
interface Place {
  readonly realPath: string;
  readonly outer: readonly string[];
}

const ROOT_PLACE: Place = { realPath: '/', outer: [] };

/** Entries a directory shows at first and per "show more": keeps every refresh of a huge directory cheap for VS Code. */
export const PAGE_SIZE = 10_000;

interface LoadedDirectory {
  readonly place: Place;
  /** Set by a re-listing: whether anything differs from the listing it replaced. */
  differsFromPrevious: boolean;
  /** Sorted: directories (and mount points) first, then everything else, each by name (code-unit order, as `ls` in the C locale). */
  children: EntryNode[];
  byName: Map<string, EntryNode>;
  notice: NoticeNode | undefined;
  /**
   * Changes not yet folded into `children`: applied when the view next asks for the children, so a burst of
   * batches into a huge directory costs one merge per refresh instead of one per batch.
   */
  pendingAdded: Set<EntryNode>;
  pendingRemoved: Set<EntryNode>;
  /** How many children the view shows (PAGE_SIZE, grown by "show more"). */
  limit: number;
  /** Present while children.length > limit. */
  more: MoreNode | undefined;
}

/** A symlink to a folder that the view expands: it resolves, can be placed, and does not contain itself. */
export function isExpandableLink(node: EntryNode): boolean {
  const link = node.link;
  return node.entryKind === 'symlink' && link?.kind === 'resolves' && link.targetKind === 'directory' && link.realTarget !== undefined && !link.containsItself;
}

/** A node whose children are guest directory entries: the session ("/"), a folder, or an expandable folder link. */
export function isContainer(node: TreeNode): node is SessionNode | EntryNode {
  return node.kind === 'session' || (node.kind === 'entry' && (node.entryKind === 'directory' || isExpandableLink(node)));
}

function rank(node: EntryNode): number {
  return node.entryKind === 'directory' ? 0 : 1;
}

export function compareEntries(a: EntryNode, b: EntryNode): number {
  const r = rank(a) - rank(b);
  if (r !== 0) return r;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function errorText(error: unknown): string {
  if (error instanceof VfsError) return error.code;
  return error instanceof Error ? error.message : String(error);
}

function brokenLink(error: unknown): LinkState {
  const code = error instanceof VfsError ? error.code : 'EIO';
  const message = error instanceof Error ? error.message : String(error);
  // The sandbox refuses absolute targets and ".." above "/" with EPERM, which the mirror reports as EACCES (as it
  // does mount permissions): its message says "outside" then.
  const outside = code === 'EPERM' || (code === 'EACCES' && /\boutside\b/.test(message));
  const reason = code === 'ENOENT' || code === 'ENOTDIR' ? 'dangling' : code === 'ELOOP' ? 'loop' : outside ? 'outside' : 'unreadable';
  return { kind: 'broken', reason, code, message };
}

function sameLink(a: LinkState | undefined, b: LinkState): boolean {
  if (a === undefined || a.kind !== b.kind) return false;
  if (a.kind === 'broken') return b.kind === 'broken' && a.code === b.code;
  return b.kind === 'resolves' && a.targetKind === b.targetKind && a.realTarget === b.realTarget && a.containsItself === b.containsItself;
}

export class VfsTreeModel {
  private readonly sessionNodes = new Map<string, SessionNode>();
  /** Per session: guest directory path → its listing, for every directory whose children the view asked for. */
  private readonly loaded = new Map<string, Map<string, LoadedDirectory>>();
  /**
   * Per session: view path → real path of every listed folder shown through a symlink. Changes arrive at real paths;
   * these route them to the view paths too. Empty unless the user expanded a folder link, so it costs nothing then.
   */
  private readonly aliases = new Map<string, Map<string, string>>();
  /** Per session: the "Standard streams" group and its three streams, created once so VS Code keeps their identity. */
  private readonly streamNodes = new Map<string, { group: StreamsNode; streams: StreamNode[] }>();

  roots(sessions: readonly ViewSession[]): SessionNode[] {
    return sessions.map((s) => this.sessionNode(s));
  }

  sessionNode(session: ViewSession): SessionNode {
    let node = this.sessionNodes.get(session.id);
    if (!node || node.session !== session) {
      node = { kind: 'session', session, revision: 0 };
      this.sessionNodes.set(session.id, node);
      this.loaded.set(session.id, new Map());
      this.aliases.delete(session.id);
      this.streamNodes.delete(session.id);
    }
    return node;
  }

  forgetSession(sessionId: string): void {
    this.sessionNodes.delete(sessionId);
    this.loaded.delete(sessionId);
    this.aliases.delete(sessionId);
    this.streamNodes.delete(sessionId);
  }

  /** The "Standard streams" group of a session and its stdin, stdout and stderr nodes. */
  streamsOf(session: ViewSession): { group: StreamsNode; streams: StreamNode[] } {
    let nodes = this.streamNodes.get(session.id);
    if (!nodes || nodes.group.session !== session) {
      nodes = {
        group: { kind: 'streams', session, revision: 0 },
        streams: STREAM_NAMES.map((stream): StreamNode => ({ kind: 'stream', session, stream, revision: 0 })),
      };
      this.streamNodes.set(session.id, nodes);
    }
    return nodes;
  }

  /** The node showing `path`, if the view has it (the session node for "/"). */
  nodeFor(session: ViewSession, path: string): SessionNode | EntryNode | undefined {
    if (path === '/') return this.sessionNodes.get(session.id);
    const dir = this.loaded.get(session.id)?.get(parentOf(path));
    return dir?.byName.get(baseName(path));
  }

  isLoaded(session: ViewSession, dirPath: string): boolean {
    return this.loaded.get(session.id)?.has(dirPath) ?? false;
  }

  /**
   * Children of a node, listed from the VFS the first time and served from the cache afterwards. The shown page is
   * stat'ed unless `loadStats` is false (the provider then stats them itself, in slices; see loadStat).
   */
  children(node: TreeNode, options: { loadStats?: boolean } = {}): TreeNode[] {
    if (node.kind === 'streams') return this.streamsOf(node.session).streams;
    if (!isContainer(node)) return [];
    const entries = this.entriesOf(node, options);
    // The streams come first: under a "/" of 100,000 entries they would otherwise be out of reach.
    if (node.kind === 'session' && node.session.stdio !== undefined) return [this.streamsOf(node.session).group, ...entries];
    return entries;
  }

  private entriesOf(node: SessionNode | EntryNode, options: { loadStats?: boolean }): TreeNode[] {
    const path = node.kind === 'session' ? '/' : node.path;
    const dirs = this.dirsOf(node.session);
    let dir = dirs.get(path);
    if (!dir) {
      const place = this.placeOf(node);
      dir = this.list(node.session, path, undefined, place);
      dirs.set(path, dir);
      if (place.realPath !== path) this.aliasesOf(node.session).set(path, place.realPath);
    }
    if (dir.notice) return [dir.notice];
    foldPending(dir);
    const shown = dir.children.length > dir.limit ? dir.children.slice(0, dir.limit) : dir.children;
    if (options.loadStats !== false) for (const child of shown) if (child.stat === undefined) this.loadStat(child);
    if (dir.children.length <= dir.limit) return shown;
    const remaining = dir.children.length - dir.limit;
    if (!dir.more) dir.more = { kind: 'more', session: node.session, path, remaining, revision: 0 };
    else if (dir.more.remaining !== remaining) {
      dir.more.remaining = remaining;
      dir.more.revision++;
    }
    return [...shown, dir.more];
  }

  /** Where the folder a container node shows really is, and which real folders lie on the view's way to it. */
  private placeOf(node: SessionNode | EntryNode): Place {
    if (node.kind === 'session') return ROOT_PLACE;
    const parent = this.parentPlace(node);
    if (node.entryKind === 'symlink' && node.link?.kind === 'resolves' && node.link.realTarget !== undefined) {
      return { realPath: node.link.realTarget, outer: [...parent.outer, parent.realPath] };
    }
    return { realPath: node.realPath, outer: parent.outer };
  }

  /**
   * The place of a view path whose parent listing is gone (a refresh raced an expansion): every folder on the way is
   * resolved afresh. Listing each as `outer` is more than needed but never less, so loops are still caught.
   */
  private placeFromScratch(session: ViewSession, viewPath: string): Place {
    const outer: string[] = [];
    let prefix = '/';
    for (const segment of viewPath.split('/').filter((s) => s.length > 0)) {
      outer.push(realGuestPath(session.vfs, prefix) ?? prefix);
      prefix = joinGuest(prefix, segment);
    }
    return { realPath: realGuestPath(session.vfs, viewPath) ?? viewPath, outer };
  }

  /** The place of the listed folder `node` is in (resolved afresh when that listing is gone). */
  private parentPlace(node: EntryNode): Place {
    return this.loaded.get(node.session.id)?.get(parentOf(node.path))?.place ?? this.placeFromScratch(node.session, parentOf(node.path));
  }

  private aliasesOf(session: ViewSession): Map<string, string> {
    let aliases = this.aliases.get(session.id);
    if (!aliases) this.aliases.set(session.id, (aliases = new Map()));
    return aliases;
  }

  /** "Show more": the directory of `more` shows PAGE_SIZE more entries. Returns the directory's node to refresh. */
  showMore(more: MoreNode): SessionNode | EntryNode | undefined {
    const dir = this.loaded.get(more.session.id)?.get(more.path);
    if (!dir) return undefined;
    dir.limit += PAGE_SIZE;
    return this.nodeFor(more.session, more.path);
  }

  /** Every entry of a listed directory in view order, shown or not (tests and the benchmark check exactness). */
  allChildren(node: SessionNode | EntryNode): EntryNode[] {
    const dir = this.loaded.get(node.session.id)?.get(node.kind === 'session' ? '/' : node.path);
    if (!dir) return [];
    foldPending(dir);
    return dir.children;
  }

  /** How many children the view has loaded for a node (0 when never expanded). */
  loadedChildCount(node: TreeNode): number {
    if (node.kind === 'streams' || node.kind === 'stream') return 0;
    const path = node.kind === 'session' ? '/' : node.path;
    return this.loaded.get(node.session.id)?.get(path)?.byName.size ?? 0;
  }

  /** Refresh: forget the cached listings at and below `node`, so the next children() lists afresh. */
  forget(node: TreeNode): void {
    const dirs = this.loaded.get(node.session.id);
    if (!dirs) return;
    if (node.kind === 'session') {
      dirs.clear();
      this.aliases.delete(node.session.id);
      node.revision++;
      return;
    }
    if (node.kind === 'entry' || node.kind === 'more') this.dropBelow(node.session, node.path);
    // A link is asked afresh where it leads (retargeted, or its target appeared or vanished).
    if (node.kind === 'entry' && node.entryKind === 'symlink') this.loadStat(node);
  }

  /**
   * Applies a batch of changed guest paths to the cached listings. Returns the nodes whose children changed,
   * reduced to the topmost ones (refreshing a node refreshes what is expanded below it). Paths in directories
   * the view never listed cost nothing.
   */
  applyChanges(session: ViewSession, paths: Iterable<string>): TreeNode[] {
    const dirs = this.loaded.get(session.id);
    if (!dirs || this.sessionNodes.get(session.id)?.session !== session) return [];
    const byParent = new Map<string, Set<string>>();
    const touched = new Set<string>();
    const note = (path: string): void => {
      touched.add(path);
      // "/" itself (the runtime rebuilt its namespace, or the root's attributes changed) has no parent to group in;
      // it is listed again below, like any listed directory reported alone.
      if (path !== '/') this.addToGroup(dirs, byParent, path);
    };
    const aliases = this.aliases.get(session.id);
    for (const path of paths) {
      if (path.length === 0) continue;
      note(path);
      if (aliases === undefined || aliases.size === 0) continue;
      // The VFS names real paths; a folder shown through a link hears of changes in it under its view path too,
      // and of a change to a folder on the way to its target (renamed, removed) as a change of the link.
      for (const [viewPath, realPath] of aliases) {
        if (isAtOrBelow(path, realPath)) {
          const rest = relativeBelow(path, realPath);
          note(rest === '' ? viewPath : joinGuest(viewPath, rest));
        } else if (isAtOrBelow(realPath, path)) {
          note(viewPath);
        }
      }
    }
    const changedDirs = new Set<string>();
    for (const [parent, names] of byParent) {
      const dir = dirs.get(parent);
      if (!dir) continue;
      if (this.updateNames(session, dirs, parent, dir, names)) changedDirs.add(parent);
    }
    // A loaded directory reported by itself, with none of its children, may have been replaced wholesale
    // (renamed over, re-created): list it again and keep what did not change.
    for (const path of touched) {
      if (!dirs.has(path) || byParent.has(path)) continue;
      const before = dirs.get(path)!;
      const after = this.list(session, path, before, before.place);
      dirs.set(path, after);
      if (after.differsFromPrevious) changedDirs.add(path);
    }
    return this.topmost(session, changedDirs);
  }

  private addToGroup(dirs: Map<string, LoadedDirectory>, byParent: Map<string, Set<string>>, path: string): void {
    const group = (parent: string, name: string): void => {
      let names = byParent.get(parent);
      if (!names) byParent.set(parent, (names = new Set()));
      names.add(name);
    };
    const parent = parentOf(path);
    if (dirs.has(parent)) {
      group(parent, baseName(path));
      return;
    }
    // The parent is not listed. If the nearest listed ancestor does not know the branch leading here, that branch
    // is new (a directory created implicitly, reported only through its contents): report it there.
    let branch = parent;
    while (branch !== '/' && !dirs.has(parentOf(branch))) branch = parentOf(branch);
    if (branch === '/') return;
    const ancestor = dirs.get(parentOf(branch))!;
    if (!ancestor.byName.has(baseName(branch))) group(parentOf(branch), baseName(branch));
  }

  private updateNames(session: ViewSession, dirs: Map<string, LoadedDirectory>, parent: string, dir: LoadedDirectory, names: Set<string>): boolean {
    let changed = false;
    const remove = (node: EntryNode): void => {
      // A node added since the last fold is simply dropped from the pending list.
      if (!dir.pendingAdded.delete(node)) dir.pendingRemoved.add(node);
      if (node.entryKind === 'directory' || node.entryKind === 'symlink') this.dropBelow(session, node.path);
    };
    for (const name of names) {
      const path = joinGuest(parent, name);
      const existing = dir.byName.get(name);
      let stat: VfsStat | undefined;
      try {
        stat = session.vfs.lstat(path);
      } catch {
        stat = undefined;
      }
      if (!stat) {
        if (existing) {
          dir.byName.delete(name);
          remove(existing);
          changed = true;
        }
        continue;
      }
      if (existing && existing.entryKind === stat.kind) {
        let differs = existing.stat === undefined || !sameStat(existing.stat, stat);
        existing.stat = stat;
        // A link's own stat may stay the same while what it leads to changes.
        if (stat.kind === 'symlink' && this.updateLink(existing, dir.place)) differs = true;
        if (differs) {
          existing.revision++;
          changed = true;
        }
        continue;
      }
      if (existing) remove(existing);
      const node = this.entryNode(session, parent, dir.place, name, stat.kind, stat);
      dir.byName.set(name, node);
      dir.pendingAdded.add(node);
      changed = true;
    }
    if (dir.notice && changed) {
      // The directory was unreadable and something changed in it: try listing it again.
      dirs.set(parent, this.list(session, parent, undefined, dir.place));
    }
    return changed;
  }

  private topmost(session: ViewSession, changedDirs: Set<string>): TreeNode[] {
    const result: TreeNode[] = [];
    for (const path of changedDirs) {
      let covered = false;
      for (let p = path; p !== '/'; ) {
        p = parentOf(p);
        if (changedDirs.has(p)) {
          covered = true;
          break;
        }
      }
      if (covered) continue;
      const node = this.nodeFor(session, path);
      if (node) result.push(node);
    }
    return result;
  }

  private list(session: ViewSession, path: string, previous: LoadedDirectory | undefined, place: Place): LoadedDirectory {
    if (previous) foldPending(previous);
    const limit = previous?.limit ?? PAGE_SIZE;
    let entries;
    try {
      entries = session.vfs.readDirectory(path);
    } catch (error) {
      const message = `Cannot list ${path}: ${errorText(error)}`;
      const notice: NoticeNode = { kind: 'notice', session, path, message, revision: 0 };
      return { place, children: [], byName: new Map(), notice, differsFromPrevious: previous?.notice?.message !== message, pendingAdded: new Set(), pendingRemoved: new Set(), limit, more: undefined };
    }
    const children: EntryNode[] = [];
    const byName = new Map<string, EntryNode>();
    for (const entry of entries) {
      if (entry.name === '.' || entry.name === '..') continue;
      const old = previous?.byName.get(entry.name);
      let node: EntryNode;
      if (old && old.entryKind === entry.kind) {
        // Kept (VS Code knows elements by identity); stat'ed again when next shown.
        node = old;
        if (old.stat !== undefined) {
          old.stat = undefined;
          old.revision++;
        }
      } else {
        node = this.entryNode(session, path, place, entry.name, entry.kind, undefined);
      }
      children.push(node);
      byName.set(entry.name, node);
    }
    children.sort(compareEntries);
    return { place, children, byName, notice: undefined, differsFromPrevious: true, pendingAdded: new Set(), pendingRemoved: new Set(), limit, more: previous?.more };
  }

  /** Stats an entry listed but not yet shown. */
  loadStat(node: EntryNode): void {
    try {
      node.stat = node.session.vfs.lstat(node.path);
    } catch {
      return; // removed since the listing: the next change batch removes it
    }
    if (node.stat.kind === 'symlink') this.updateLink(node, this.parentPlace(node));
    node.revision++;
  }

  /** A new entry `name` of the listed folder at view path `dirPath`, which really is `place`. */
  private entryNode(session: ViewSession, dirPath: string, place: Place, name: string, kind: VfsNodeKind, stat: VfsStat | undefined): EntryNode {
    const path = joinGuest(dirPath, name);
    // Outside folder links both are the same: one string, not two, for each of 100,000 entries.
    const realPath = place.realPath === dirPath ? path : joinGuest(place.realPath, name);
    const mount = kind === 'directory' && session.mounts.length > 0 ? session.mounts.find((m) => m.guestPath === realPath) : undefined;
    const node: EntryNode = { kind: 'entry', session, path, name, entryKind: kind, stat, targetKind: undefined, link: undefined, realPath, mount, revision: 0 };
    if (stat?.kind === 'symlink') this.updateLink(node, place);
    return node;
  }

  /**
   * Asks where a symlink leads now. Returns whether that changed; if so, what the view listed through the link is
   * dropped (it is listed afresh, from the new target, when VS Code asks).
   */
  private updateLink(node: EntryNode, parent: Place): boolean {
    let next: LinkState;
    try {
      const target = node.session.vfs.stat(node.path);
      if (target.kind !== 'directory') {
        next = { kind: 'resolves', targetKind: target.kind, realTarget: undefined, containsItself: false };
      } else {
        const realTarget = realGuestPath(node.session.vfs, node.path);
        const ancestry = [...parent.outer, parent.realPath];
        const containsItself = realTarget !== undefined && ancestry.some((folder) => isAtOrBelow(folder, realTarget));
        next = { kind: 'resolves', targetKind: 'directory', realTarget, containsItself };
      }
    } catch (error) {
      next = brokenLink(error);
    }
    if (sameLink(node.link, next)) return false;
    const hadLink = node.link !== undefined;
    node.link = next;
    node.targetKind = next.kind === 'resolves' ? next.targetKind : undefined;
    if (hadLink) this.dropBelow(node.session, node.path);
    return true;
  }

  private dirsOf(session: ViewSession): Map<string, LoadedDirectory> {
    this.sessionNode(session);
    return this.loaded.get(session.id)!;
  }

  private dropBelow(session: ViewSession, path: string): void {
    const dirs = this.loaded.get(session.id);
    if (dirs) for (const key of [...dirs.keys()]) if (isAtOrBelow(key, path)) dirs.delete(key);
    const aliases = this.aliases.get(session.id);
    if (aliases) for (const key of [...aliases.keys()]) if (isAtOrBelow(key, path)) aliases.delete(key);
  }
}

/** Folds pending additions and removals into the sorted children: O(n + k log k). */
function foldPending(dir: LoadedDirectory): void {
  if (dir.pendingAdded.size === 0 && dir.pendingRemoved.size === 0) return;
  const removed = dir.pendingRemoved;
  const kept = removed.size > 0 ? dir.children.filter((c) => !removed.has(c)) : dir.children;
  dir.children = dir.pendingAdded.size > 0 ? mergeSorted(kept, [...dir.pendingAdded].sort(compareEntries)) : kept;
  dir.pendingAdded = new Set();
  dir.pendingRemoved = new Set();
}

function sameStat(a: VfsStat, b: VfsStat): boolean {
  return a.kind === b.kind && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.linkTarget === b.linkTarget;
}

/** Merges two sorted lists in O(n + k): cheaper than re-sorting a large directory for each batch of new entries. */
function mergeSorted(a: EntryNode[], b: EntryNode[]): EntryNode[] {
  const out: EntryNode[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = compareEntries(a[i], b[j]) <= 0 ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}
