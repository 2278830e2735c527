// The view's commands: Refresh, Clear, Save to Workspace, Import from Workspace, New File/Folder, Delete, Rename,
// Copy Guest Path, Reveal in Explorer — each resolving its node from the context menu or the view's selection.

import * as vscode from 'vscode';
import { VfsError } from '../runtime/api';
import { baseName, joinGuest, parentOf, problemWithEntryName, relativeBelow } from './guestPath';
import { formatSize } from './treePresentation';
import { mountContaining, readOnlyMountAt, type SessionRegistry, type ViewSession } from './sessions';
import { exportFromGuest, importIntoGuest, summarize, TransferCancelled, type HostEntryKind, type HostFiles, type TransferReport } from './transfer';
import { isContainer, type TreeNode } from './vfsTreeModel';
import { guestUri } from './vfsFileSystemProvider';
import { SHOW_MORE_COMMAND, type DropTarget, type VfsTreeDataProvider } from './vfsTreeProvider';

export const COMMANDS = {
  refresh: 'wasiDebug.vfs.refresh',
  clear: 'wasiDebug.vfs.clear',
  open: 'wasiDebug.vfs.open',
  saveToWorkspace: 'wasiDebug.vfs.saveToWorkspace',
  importFromWorkspace: 'wasiDebug.vfs.importFromWorkspace',
  newFile: 'wasiDebug.vfs.newFile',
  newFolder: 'wasiDebug.vfs.newFolder',
  delete: 'wasiDebug.vfs.delete',
  rename: 'wasiDebug.vfs.rename',
  copyGuestPath: 'wasiDebug.vfs.copyGuestPath',
  revealInExplorer: 'wasiDebug.vfs.revealInExplorer',
  showMore: SHOW_MORE_COMMAND,
} as const;

/** vscode.workspace.fs as the host side of a copy. */
export const workspaceFiles: HostFiles<vscode.Uri> = {
  async kind(uri) {
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      return stat.type & vscode.FileType.Directory ? 'directory' : stat.type & vscode.FileType.File ? 'file' : 'other';
    } catch {
      return undefined;
    }
  },
  async list(uri) {
    const entries = await vscode.workspace.fs.readDirectory(uri);
    return entries.map(([name, type]): [string, HostEntryKind] => [name, type & vscode.FileType.Directory ? 'directory' : type & vscode.FileType.File ? 'file' : 'other']);
  },
  read: async (uri) => vscode.workspace.fs.readFile(uri),
  write: async (uri, data) => vscode.workspace.fs.writeFile(uri, data),
  makeDirectory: async (uri) => vscode.workspace.fs.createDirectory(uri),
  child: (uri, name) => vscode.Uri.joinPath(uri, name),
  name: (uri) => uri.path.slice(uri.path.lastIndexOf('/') + 1),
  describe: (uri) => (uri.scheme === 'file' ? uri.fsPath : uri.toString()),
};

interface Located {
  session: ViewSession;
  path: string;
  node: TreeNode;
}

function describeError(error: unknown): string {
  if (error instanceof VfsError) return error.message === `${error.code}: ${error.path}` ? `${error.code} (${error.path})` : error.message;
  return error instanceof Error ? error.message : String(error);
}

export function registerVfsCommands(sessions: SessionRegistry, tree: VfsTreeDataProvider, treeView: vscode.TreeView<TreeNode>): vscode.Disposable[] {
  /** The node a command acts on: the one right-clicked, else the selection. */
  const locate = (arg: unknown): Located | undefined => {
    const all = sessions.list();
    // From the view's title bar with nothing selected, a single session's root is the obvious target.
    const node = isTreeNode(arg) ? arg : (treeView.selection[0] ?? (all.length === 1 ? tree.model.sessionNode(all[0]) : undefined));
    if (!node || node.kind === 'notice' || node.kind === 'more' || node.kind === 'streams' || node.kind === 'stream') {
      void vscode.window.showInformationMessage('Select a file or folder in the WASI Filesystem view first.');
      return undefined;
    }
    return { session: node.session, path: node.kind === 'session' ? '/' : node.path, node };
  };
  // A folder link is a container too: what is created in it lands in the folder it leads to.
  const containerOf = (l: Located): string => (isContainer(l.node) ? l.path : parentOf(l.path));
  /** Where an entry really is (below a folder link, the entries live where the link leads). */
  const realPathOf = (l: Located): string => (l.node.kind === 'entry' ? l.node.realPath : l.path);

  /** Runs an edit that waits for the module's next syscall; says so when that takes a moment (the module may be paused). */
  const edit = async <T>(title: string, run: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await vscode.window.withProgress({ location: { viewId: 'wasiDebug.vfs' }, title }, run);
    } catch (error) {
      void vscode.window.showErrorMessage(`${title} failed: ${describeError(error)}`);
      return undefined;
    }
  };

  const importInto = async (target: DropTarget, uris: vscode.Uri[]): Promise<void> => {
    const m = readOnlyMountAt(target.session, target.guestDir, { followFinal: true });
    if (m !== undefined) {
      void vscode.window.showErrorMessage(`Cannot import into ${target.guestDir}: the host mount ${m.guestPath} (${m.hostPath}) has no write permission in the launch configuration.`);
      return;
    }
    const clashes = uris.map((u) => joinGuest(target.guestDir, workspaceFiles.name(u))).filter((p) => exists(target.session, p));
    let overwrite = false;
    if (clashes.length > 0) {
      const choice = await vscode.window.showWarningMessage(
        `${clashes.length === 1 ? clashes[0] : `${clashes.length} entries`} already exist${clashes.length === 1 ? 's' : ''} in the module's filesystem. Replace files with the same name?`,
        { modal: true },
        'Replace',
      );
      if (choice !== 'Replace') return;
      overwrite = true;
    }
    const total: TransferReport = { files: 0, directories: 0, bytes: 0, skipped: [] };
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Importing into ${target.guestDir} (each write lands at the module's next system call)`, cancellable: true },
      async (_progress, token) => {
        try {
          for (const uri of uris) {
            const r = await importIntoGuest(workspaceFiles, uri, target.session.vfs, target.guestDir, { overwrite }, () => token.isCancellationRequested);
            total.files += r.files;
            total.directories += r.directories;
            total.bytes += r.bytes;
            total.skipped.push(...r.skipped);
          }
        } catch (error) {
          if (!(error instanceof TransferCancelled)) throw error;
          total.skipped.push({ what: 'the rest', reason: 'cancelled' });
        }
      },
    );
    const text = `Imported into ${target.guestDir}: ${summarize(total, formatSize)}`;
    if (total.skipped.length > 0) void vscode.window.showWarningMessage(text);
    else void vscode.window.showInformationMessage(text);
  };

  const moveInto = async (target: DropTarget, paths: string[]): Promise<void> => {
    for (const from of paths) {
      const to = joinGuest(target.guestDir, baseName(from));
      if (to === from || target.guestDir === from || target.guestDir.startsWith(`${from}/`)) continue;
      await edit(`Move ${from} to ${to}`, () => target.session.vfs.rename(from, to, { overwrite: false }));
    }
  };

  const register = (id: string, fn: (...args: unknown[]) => unknown): vscode.Disposable => vscode.commands.registerCommand(id, fn);

  return [
    register(COMMANDS.refresh, (arg) => tree.refresh(isTreeNode(arg) ? arg : undefined)),
    register(COMMANDS.showMore, (arg) => {
      if (isTreeNode(arg) && arg.kind === 'more') tree.showMore(arg);
    }),
    register(COMMANDS.clear, () => {
      const removed = sessions.clearEnded();
      if (removed === 0 && sessions.list().length > 0) void vscode.window.showInformationMessage('Only running sessions are shown; they stay until they end.');
    }),
    register(COMMANDS.open, async (arg) => {
      const l = locate(arg);
      if (l && l.node.kind === 'entry' && l.node.entryKind !== 'directory') await vscode.commands.executeCommand('vscode.open', guestUri(l.session.id, l.path));
    }),
    register(COMMANDS.saveToWorkspace, async (arg) => {
      const l = locate(arg);
      if (!l) return;
      const name = l.path === '/' ? `${l.session.label.replace(/[^\w.-]+/g, '_')}-fs` : baseName(l.path);
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const target = await vscode.window.showSaveDialog({
        title: `Save ${l.path} from the module's filesystem`,
        saveLabel: 'Save to Workspace',
        defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      });
      if (!target) return;
      try {
        const report = await exportFromGuest(l.session.vfs, l.path, workspaceFiles, target);
        const text = `Saved ${l.path} to ${workspaceFiles.describe(target)}: ${summarize(report, formatSize)}`;
        if (report.skipped.length > 0) void vscode.window.showWarningMessage(text);
        else void vscode.window.showInformationMessage(text);
      } catch (error) {
        void vscode.window.showErrorMessage(`Save to Workspace failed: ${describeError(error)}`);
      }
    }),
    register(COMMANDS.importFromWorkspace, async (arg) => {
      const l = locate(arg);
      if (!l) return;
      const uris = await vscode.window.showOpenDialog({
        title: `Import into ${containerOf(l)} of the module's filesystem`,
        openLabel: 'Import',
        canSelectFiles: true,
        canSelectFolders: true,
        canSelectMany: true,
        defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      });
      if (uris && uris.length > 0) await importInto({ session: l.session, guestDir: containerOf(l) }, uris);
    }),
    register(COMMANDS.newFile, async (arg) => {
      const l = locate(arg);
      if (!l) return;
      const dir = containerOf(l);
      const name = await vscode.window.showInputBox({ title: `New file in ${dir}`, prompt: 'File name', validateInput: (v) => problemWithEntryName(v) ?? clash(l.session, joinGuest(dir, v)) });
      if (name === undefined) return;
      const path = joinGuest(dir, name);
      const ok = await edit(`Create ${path}`, async () => (await l.session.vfs.writeFile(path, new Uint8Array(0), { create: true, overwrite: false }), true));
      if (ok) await vscode.commands.executeCommand('vscode.open', guestUri(l.session.id, path));
    }),
    register(COMMANDS.newFolder, async (arg) => {
      const l = locate(arg);
      if (!l) return;
      const dir = containerOf(l);
      const name = await vscode.window.showInputBox({ title: `New folder in ${dir}`, prompt: 'Folder name', validateInput: (v) => problemWithEntryName(v) ?? clash(l.session, joinGuest(dir, v)) });
      if (name === undefined) return;
      await edit(`Create ${joinGuest(dir, name)}`, () => l.session.vfs.createDirectory(joinGuest(dir, name)));
    }),
    register(COMMANDS.delete, async (arg, selected) => {
      // With several items selected, VS Code passes the clicked one and the whole selection.
      const targets = (Array.isArray(selected) && selected.length > 1 ? selected.filter(isTreeNode) : [arg])
        .map((a) => locate(a))
        .filter((l): l is Located => l !== undefined && l.path !== '/');
      const mountPoint = targets.find((l) => l.session.mounts.some((m) => m.guestPath === l.path));
      if (mountPoint) {
        void vscode.window.showErrorMessage(`${mountPoint.path} is a host mount point; it cannot be deleted from the guest.`);
        return;
      }
      if (targets.length === 0) return;
      const isDir = (l: Located): boolean => l.node.kind === 'entry' && l.node.entryKind === 'directory';
      const hostNote = targets.some((l) => mountContaining(l.session, realPathOf(l))) ? ' This deletes it on the host disk as well.' : '';
      const what = targets.length === 1 ? `${targets[0].path}${isDir(targets[0]) ? ' and everything in it' : ''}` : `${targets.length} items (${targets.map((l) => l.path).join(', ')})`;
      const choice = await vscode.window.showWarningMessage(`Delete ${what} from the module's filesystem?${hostNote}`, { modal: true }, 'Delete');
      if (choice !== 'Delete') return;
      for (const l of targets) await edit(`Delete ${l.path}`, () => l.session.vfs.delete(l.path, { recursive: isDir(l) }));
    }),
    register(COMMANDS.rename, async (arg) => {
      const l = locate(arg);
      if (!l || l.path === '/') return;
      const dir = parentOf(l.path);
      const old = baseName(l.path);
      const dot = old.lastIndexOf('.');
      const name = await vscode.window.showInputBox({
        title: `Rename ${l.path}`,
        value: old,
        valueSelection: [0, dot > 0 ? dot : old.length],
        validateInput: (v) => (v === old ? undefined : (problemWithEntryName(v) ?? clash(l.session, joinGuest(dir, v)))),
      });
      if (name === undefined || name === old) return;
      await edit(`Rename ${l.path}`, () => l.session.vfs.rename(l.path, joinGuest(dir, name), { overwrite: false }));
    }),
    register(COMMANDS.copyGuestPath, async (arg) => {
      const l = locate(arg);
      if (l) await vscode.env.clipboard.writeText(l.path);
    }),
    register(COMMANDS.revealInExplorer, async (arg) => {
      const l = locate(arg);
      if (!l) return;
      const realPath = realPathOf(l);
      const mount = mountContaining(l.session, realPath);
      if (!mount) {
        void vscode.window.showInformationMessage(`${l.path} lives in the module's memory, not on disk; use Save to Workspace to keep a copy.`);
        return;
      }
      const rel = relativeBelow(realPath, mount.guestPath);
      const hostUri = rel ? vscode.Uri.joinPath(vscode.Uri.file(mount.hostPath), ...rel.split('/')) : vscode.Uri.file(mount.hostPath);
      if (vscode.workspace.getWorkspaceFolder(hostUri)) await vscode.commands.executeCommand('revealInExplorer', hostUri);
      else await vscode.commands.executeCommand('revealFileInOS', hostUri);
    }),
    // The tree's drop handler calls back into this layer, which owns the dialogs and the copying.
    tree.setDropHandlers({ importHostFiles: importInto, moveEntries: moveInto }),
  ];
}

function exists(session: ViewSession, path: string): boolean {
  try {
    session.vfs.lstat(path);
    return true;
  } catch {
    return false;
  }
}

function clash(session: ViewSession, path: string): string | undefined {
  return exists(session, path) ? `${path} already exists.` : undefined;
}

function isTreeNode(value: unknown): value is TreeNode {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  return (kind === 'session' || kind === 'entry' || kind === 'notice' || kind === 'more' || kind === 'streams' || kind === 'stream') && 'session' in value;
}
