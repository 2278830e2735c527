// Entry point of the views: registers the "WASI Filesystem" tree, the wasi-vfs: file system provider and their commands.

import * as vscode from 'vscode';
import type { WasiProcessHandle } from '../runtime/api';
import { ChangeThrottle } from './changeThrottle';
import { SessionRegistry } from './sessions';
import type { StdioSetup } from './stdioSetup';
import { registerVfsCommands } from './vfsCommands';
import { WasiVfsFileSystemProvider } from './vfsFileSystemProvider';
import { VFS_VIEW_ID, VfsTreeDataProvider } from './vfsTreeProvider';
import { WASI_VFS_SCHEME } from './vfsUri';

/** Context key the view's `when` clause reads: true once a wasi session has shown its filesystem in this window. */
export const VIEW_CONTEXT_KEY = 'wasiDebug.vfs.sessionSeen';

export interface VfsViews {
  /**
   * A wasi debug session started its process: show its filesystem (ended sessions make room for it), and, when
   * `stdio` is given, where its standard streams come from and go to.
   */
  addSession(sessionId: string, label: string, process: WasiProcessHandle, stdio?: StdioSetup): void;
  /** The debug session terminated: keep its filesystem visible, marked as ended, until the next launch or Clear. */
  sessionEnded(sessionId: string): void;
}

export function registerVfsViews(context: vscode.ExtensionContext): VfsViews {
  const sessions = new SessionRegistry();
  const tree = new VfsTreeDataProvider(sessions);
  const files = new WasiVfsFileSystemProvider(sessions);
  // Open editors follow the module's writes at the tree's pace; only watched files cost anything.
  const fileEvents = new ChangeThrottle<never>({
    intervalMs: 150,
    sliceBudgetMs: 15,
    chunkSize: 1000,
    apply: (sessionId, paths) => {
      const session = sessions.get(sessionId);
      if (session) files.notifyChanged(session, paths);
      return [];
    },
    publish: () => undefined,
  });
  const sessionEvents = sessions.onEvent((event) => {
    if (event.kind === 'filesChanged') fileEvents.push(event.session.id, event.paths);
    if (event.kind === 'removed') {
      fileEvents.discard(event.session.id);
      files.notifySessionRemoved(event.session);
    }
  });
  const treeView = vscode.window.createTreeView(VFS_VIEW_ID, {
    treeDataProvider: tree,
    dragAndDropController: tree,
    showCollapseAll: true,
    canSelectMany: true,
  });
  context.subscriptions.push(
    vscode.workspace.registerFileSystemProvider(WASI_VFS_SCHEME, files, { isCaseSensitive: true }),
    treeView,
    tree,
    ...registerVfsCommands(sessions, tree, treeView),
    { dispose: () => sessionEvents.dispose() },
    { dispose: () => fileEvents.dispose() },
    { dispose: () => sessions.dispose() },
  );
  return {
    addSession: (sessionId, label, process, stdio) => {
      sessions.add(sessionId, label, process, stdio);
      void vscode.commands.executeCommand('setContext', VIEW_CONTEXT_KEY, true);
    },
    sessionEnded: (sessionId) => sessions.ended(sessionId),
  };
}
