// The "WASI Filesystem" TreeDataProvider and drag-and-drop controller: adapts the pure tree model and presentation
// to VS Code, and keeps the tree live through the change throttle.

import * as vscode from 'vscode';
import { parentOf } from './guestPath';
import { present, tooltipOf } from './treePresentation';
import { ChangeThrottle, type ThrottleClock } from './changeThrottle';
import type { SessionRegistry, ViewSession } from './sessions';
import { VfsTreeModel, isExpandableLink, type MoreNode, type TreeNode } from './vfsTreeModel';
import { guestUri } from './vfsFileSystemProvider';
import { WASI_VFS_SCHEME } from './vfsUri';

export const VFS_VIEW_ID = 'wasiDebug.vfs';
/** Run by the "N more…" node of a huge directory (registered by the commands layer). */
export const SHOW_MORE_COMMAND = 'wasiDebug.vfs.showMore';
/**
 * VS Code's own "focus view" command of the Debug Console (the REPL view): shows the panel and puts the cursor in its
 * input. Unlike workbench.debug.action.toggleRepl it never hides a console that is already open.
 */
export const FOCUS_DEBUG_CONSOLE_COMMAND = 'workbench.panel.repl.view.focus';
/** What VS Code puts in a DataTransfer for items dragged inside this tree. */
export const VFS_TREE_MIME = `application/vnd.code.tree.${VFS_VIEW_ID.toLowerCase()}`;

/** Up to this many children needing a stat or a TreeItem are prepared synchronously. */
const SYNC_PREPARE_LIMIT = 500;
/** Longest stretch of preparing children before yielding to the event loop. */
const PREPARE_SLICE_MS = 8;

function needsPreparation(node: TreeNode): boolean {
  if (node.kind === 'entry' && node.stat === undefined) return true;
  return node.itemCache === undefined || node.itemCache.revision !== node.revision;
}

/** Where a drop of host files lands: a session's guest directory. */
export interface DropTarget {
  session: ViewSession;
  guestDir: string;
}

export interface VfsTreeOptions {
  /** At most one refresh of the tree per this many milliseconds. */
  refreshIntervalMs?: number;
  clock?: ThrottleClock;
}

export interface DropHandlers {
  /** Files or folders dropped from the Explorer (or anywhere giving text/uri-list) onto a directory: import them. */
  importHostFiles(target: DropTarget, uris: vscode.Uri[]): Promise<void>;
  /** Entries of the same session dragged onto a directory of the view: move them there. */
  moveEntries(target: DropTarget, paths: string[]): Promise<void>;
}

export class VfsTreeDataProvider implements vscode.TreeDataProvider<TreeNode>, vscode.TreeDragAndDropController<TreeNode>, vscode.Disposable {
  readonly model = new VfsTreeModel();
  private readonly emitter = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  readonly dropMimeTypes = ['text/uri-list', VFS_TREE_MIME];
  readonly dragMimeTypes = ['text/uri-list'];
  private readonly throttle: ChangeThrottle<TreeNode>;
  private readonly subscription: { dispose(): void };
  private dropHandlers: DropHandlers | undefined;

  constructor(private readonly sessions: SessionRegistry, options: VfsTreeOptions = {}) {
    this.throttle = new ChangeThrottle<TreeNode>({
      intervalMs: options.refreshIntervalMs ?? 150,
      // VS Code re-renders every child of a refreshed directory: refresh huge ones less often
      // (+1 ms per 100 children, at most 1 s: a directory of 100,000 entries refreshes once a second).
      intervalAfter: (targets) => {
        const base = options.refreshIntervalMs ?? 150;
        const largest = targets.reduce((max, t) => Math.max(max, this.model.loadedChildCount(t)), 0);
        return Math.min(Math.max(base, 1000), base + Math.floor(largest / 100));
      },
      sliceBudgetMs: 10,
      chunkSize: 200,
      clock: options.clock,
      apply: (sessionId, paths) => {
        const session = this.sessions.get(sessionId);
        return session ? this.model.applyChanges(session, paths) : [];
      },
      publish: (targets) => this.emitter.fire(targets),
    });
    this.subscription = sessions.onEvent((event) => {
      switch (event.kind) {
        case 'filesChanged':
          this.throttle.push(event.session.id, event.paths);
          break;
        case 'stateChanged': {
          const node = this.model.sessionNode(event.session);
          node.revision++;
          this.emitter.fire(node);
          break;
        }
        case 'added':
          this.model.sessionNode(event.session);
          this.emitter.fire(undefined);
          break;
        case 'removed':
          this.throttle.discard(event.session.id);
          this.model.forgetSession(event.session.id);
          this.emitter.fire(undefined);
          break;
      }
    });
  }

  /** True when no change is waiting to reach the tree (tests and the benchmark wait for this). */
  get settled(): boolean {
    return this.throttle.idle;
  }

  /**
   * Small listings are returned at once. A large one (a page of 10,000 new entries) is prepared in slices — stat,
   * then TreeItem — yielding between them, so VS Code's synchronous getTreeItem calls that follow hit the cache
   * and the extension host never blocks for long.
   */
  getChildren(): TreeNode[];
  getChildren(element: TreeNode | undefined): TreeNode[] | Promise<TreeNode[]>;
  getChildren(element?: TreeNode): TreeNode[] | Promise<TreeNode[]> {
    if (!element) return this.model.roots(this.sessions.list());
    const children = this.model.children(element, { loadStats: false });
    let work = 0;
    for (const c of children) if (needsPreparation(c)) work++;
    if (work <= SYNC_PREPARE_LIMIT) {
      for (const c of children) this.prepare(c);
      return children;
    }
    return this.prepareInSlices(children);
  }

  private prepare(node: TreeNode): void {
    if (node.kind === 'entry' && node.stat === undefined) this.model.loadStat(node);
    this.getTreeItem(node);
  }

  private async prepareInSlices(children: TreeNode[]): Promise<TreeNode[]> {
    let sliceStart = performance.now();
    for (let i = 0; i < children.length; i++) {
      this.prepare(children[i]);
      if ((i & 63) === 63 && performance.now() - sliceStart >= PREPARE_SLICE_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
    return children;
  }

  getParent(element: TreeNode): TreeNode | undefined {
    switch (element.kind) {
      case 'session':
        return undefined;
      case 'streams':
        return this.model.sessionNode(element.session);
      case 'stream':
        return this.model.streamsOf(element.session).group;
      case 'notice':
      case 'more':
        return this.model.nodeFor(element.session, element.path);
      case 'entry':
        return this.model.nodeFor(element.session, parentOf(element.path));
    }
  }

  getTreeItem(element: TreeNode): vscode.TreeItem {
    const cached = element.itemCache;
    if (cached !== undefined && cached.revision === element.revision) return cached.item as vscode.TreeItem;
    const p = present(element);
    const state =
      p.collapsible === 'none'
        ? vscode.TreeItemCollapsibleState.None
        : p.collapsible === 'expanded'
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(p.label, state);
    item.id = p.id;
    item.description = p.description;
    item.contextValue = p.contextValue;
    // Screen readers (and the e2e tests) find rows by guest path: "/tmp/out.txt, 5 B".
    if (element.kind === 'entry') item.accessibilityInformation = { label: p.description ? `${element.path}, ${p.description}` : element.path };
    // Model paths are canonical already: build the URI directly rather than re-normalizing 100,000 paths.
    const uriOf = (path: string): vscode.Uri => vscode.Uri.from({ scheme: WASI_VFS_SCHEME, authority: element.session.id, path });
    if (p.resourcePath !== undefined) item.resourceUri = uriOf(p.resourcePath);
    if (p.icon === 'resource') {
      item.iconPath = element.kind === 'entry' && element.entryKind === 'directory' ? vscode.ThemeIcon.Folder : vscode.ThemeIcon.File;
    } else {
      item.iconPath = new vscode.ThemeIcon(p.icon);
    }
    if (element.kind === 'more') item.command = { command: SHOW_MORE_COMMAND, title: 'Show More', arguments: [element] };
    if (p.opensPath !== undefined) {
      const uri = p.opensPath === p.resourcePath && item.resourceUri ? item.resourceUri : uriOf(p.opensPath);
      item.command = { command: 'vscode.open', title: 'Open', arguments: [uri] };
    }
    if (p.action?.kind === 'openHostFile') item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(p.action.hostPath)] };
    if (p.action?.kind === 'focusDebugConsole') item.command = { command: FOCUS_DEBUG_CONSOLE_COMMAND, title: 'Show Debug Console' };
    element.itemCache = { revision: element.revision, item };
    return item;
  }

  setDropHandlers(handlers: DropHandlers): vscode.Disposable {
    this.dropHandlers = handlers;
    return new vscode.Disposable(() => {
      if (this.dropHandlers === handlers) this.dropHandlers = undefined;
    });
  }

  /** VS Code asks for the tooltip when the user hovers: built then, not for every item of a large directory. */
  resolveTreeItem(item: vscode.TreeItem, element: TreeNode): vscode.TreeItem {
    item.tooltip = tooltipOf(element);
    return item;
  }

  /** The "N more…" node was activated: show the next page of its directory. */
  showMore(more: MoreNode): void {
    const dir = this.model.showMore(more);
    if (dir) this.emitter.fire(dir);
  }

  /** Refresh: list `node` (or everything) afresh from the VFS. */
  refresh(node?: TreeNode): void {
    if (node) {
      this.model.forget(node);
      this.emitter.fire(node);
    } else {
      for (const s of this.sessions.list()) this.model.forget(this.model.sessionNode(s));
      this.emitter.fire(undefined);
    }
  }

  handleDrag(source: readonly TreeNode[], dataTransfer: vscode.DataTransfer): void {
    const uris = source.filter((n) => n.kind === 'entry').map((n) => guestUri(n.session.id, (n as { path: string }).path).toString());
    if (uris.length > 0) dataTransfer.set('text/uri-list', new vscode.DataTransferItem(uris.join('\r\n')));
  }

  async handleDrop(target: TreeNode | undefined, dataTransfer: vscode.DataTransfer, token: vscode.CancellationToken): Promise<void> {
    const dropTarget = this.dropTargetOf(target);
    if (!dropTarget) {
      void vscode.window.showWarningMessage('Drop onto a folder of a WASI session to copy files into its filesystem.');
      return;
    }
    const inTree = dataTransfer.get(VFS_TREE_MIME);
    if (inTree) {
      const nodes = (inTree.value as readonly TreeNode[] | undefined) ?? [];
      const paths = nodes.filter((n) => n.kind === 'entry' && n.session === dropTarget.session).map((n) => (n as { path: string }).path);
      if (paths.length > 0 && !token.isCancellationRequested) await this.dropHandlers?.moveEntries(dropTarget, paths);
      return;
    }
    const list = dataTransfer.get('text/uri-list');
    if (!list) return;
    const text = await list.asString();
    if (token.isCancellationRequested) return;
    const uris = parseUriList(text).map((u) => vscode.Uri.parse(u));
    if (uris.length > 0) await this.dropHandlers?.importHostFiles(dropTarget, uris);
  }

  /** A directory node, or a file's parent directory; undefined when the drop has no single place to land. */
  dropTargetOf(target: TreeNode | undefined): DropTarget | undefined {
    if (!target) {
      const all = this.sessions.list();
      return all.length === 1 ? { session: all[0], guestDir: '/' } : undefined;
    }
    switch (target.kind) {
      case 'session':
        return { session: target.session, guestDir: '/' };
      case 'entry':
        // A folder link takes the drop into the folder it leads to, as a shell's cp would.
        return { session: target.session, guestDir: target.entryKind === 'directory' || isExpandableLink(target) ? target.path : parentOf(target.path) };
      case 'more':
        return { session: target.session, guestDir: target.path };
      case 'notice':
      case 'streams':
      case 'stream':
        return undefined;
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.throttle.dispose();
    this.emitter.dispose();
  }
}

/** text/uri-list (RFC 2483): one URI per line, CRLF or LF, lines starting with "#" are comments. */
export function parseUriList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#'));
}

