// Pure presentation of tree nodes: label, description, tooltip, icon, context value — everything a TreeItem shows.

import type { ExitInfo, VfsMountInfo } from '../runtime/api';
import { PAGE_SIZE, type TreeNode } from './vfsTreeModel';
import { isReadOnlyPath, mountContaining } from './sessions';

export interface ItemPresentation {
  /** Stable across refreshes, unique in the view: the session id and the guest path. */
  id: string;
  label: string;
  description: string | undefined;
  /** A codicon id, or 'resource' to let the file icon theme choose from the wasi-vfs: URI. */
  icon: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  /**
   * Space-separated flags the package.json menus match with `viewItem =~ /\bflag\b/`:
   * session, running, ended, container, entry, file, directory, symlink, device, mount, hostBacked, writable,
   * movable (may be renamed or deleted: writable and not a mount point), notice.
   */
  contextValue: string;
  /** Guest path to open in an editor when the item is clicked (files, and symlinks to files). */
  opensPath: string | undefined;
  /** Guest path whose wasi-vfs: URI becomes the item's resourceUri (file icons, drag and drop). */
  resourcePath: string | undefined;
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** "0 B", "999 B", "1.5 KB", "12 MB": binary multiples, one decimal below 10. */
export function formatSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} B`;
  const shown = value < 10 ? Math.floor(value * 10) / 10 : Math.floor(value);
  return `${shown} ${UNITS[unit]}`;
}

/** "rwc", "r--", "rw-": read, write, create, in the order the builder's PreopenDirBuilder names them. */
export function formatPermissions(mount: VfsMountInfo): string {
  return `${mount.read ? 'r' : '-'}${mount.write ? 'w' : '-'}${mount.create ? 'c' : '-'}`;
}

function permissionWords(mount: VfsMountInfo): string {
  const words = [mount.read && 'read', mount.write && 'write', mount.create && 'create'].filter(Boolean);
  return words.length > 0 ? words.join(', ') : 'none';
}

export function describeExit(exit: ExitInfo | undefined): string {
  if (!exit) return 'ended';
  switch (exit.kind) {
    case 'exit':
      return `exited with code ${exit.code}`;
    case 'trap':
      return `trapped: ${exit.message}`;
    case 'error':
      return `failed to start: ${exit.message}`;
    case 'terminated':
      return 'terminated';
  }
}

function formatTime(ms: number): string {
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : 'unknown';
}

function sessionStatus(node: Extract<TreeNode, { kind: 'session' }>): string {
  const s = node.session;
  return s.state.kind === 'running' ? 'running' : describeExit(s.state.exit);
}

/** What a TreeItem shows, without the tooltip (built only on hover, see tooltipOf): cheap for 100,000 items. */
export function present(node: TreeNode): ItemPresentation {
  const sid = node.session.id;
  switch (node.kind) {
    case 'session': {
      const s = node.session;
      const running = s.state.kind === 'running';
      const rootMount = s.mounts.find((m) => m.guestPath === '/');
      const flags = ['session', 'container', running ? 'running' : 'ended'];
      if (!rootMount || rootMount.write) flags.push('writable');
      if (rootMount) flags.push('mount', 'hostBacked');
      return {
        id: `${sid}:/`,
        label: s.label,
        description: sessionStatus(node),
        icon: running ? 'debug-alt' : 'debug-stop',
        collapsible: 'expanded',
        contextValue: flags.join(' '),
        opensPath: undefined,
        resourcePath: undefined,
      };
    }
    case 'more':
      return {
        id: `${sid}:${node.path}:more`,
        label: `${node.remaining.toLocaleString('en')} more…`,
        description: `show the next ${Math.min(PAGE_SIZE, node.remaining).toLocaleString('en')}`,
        icon: 'ellipsis',
        collapsible: 'none',
        contextValue: 'more',
        opensPath: undefined,
        resourcePath: undefined,
      };
    case 'notice':
      return {
        id: `${sid}:${node.path}:notice`,
        label: node.message,
        description: undefined,
        icon: 'warning',
        collapsible: 'none',
        contextValue: 'notice',
        opensPath: undefined,
        resourcePath: undefined,
      };
    case 'entry': {
      const hostMount = node.session.mounts.length > 0 ? mountContaining(node.session, node.path) : undefined;
      const readOnly = hostMount !== undefined && !hostMount.write;
      let flags = hostMount ? (readOnly ? 'entry hostBacked' : 'entry hostBacked writable') : 'entry writable';
      let description: string | undefined;
      let icon = 'resource';
      let collapsible: ItemPresentation['collapsible'] = 'none';
      let opensPath: string | undefined;
      switch (node.entryKind) {
        case 'directory':
          flags += ' directory container';
          collapsible = 'collapsed';
          if (node.mount) {
            flags += ' mount';
            icon = 'folder-library';
            description = `${node.mount.hostPath} · ${formatPermissions(node.mount)}`;
          }
          break;
        case 'file':
          flags += ' file';
          description = node.stat ? formatSize(node.stat.size) : undefined;
          opensPath = node.path;
          break;
        case 'symlink':
          flags += ' symlink';
          description = `→ ${node.stat?.linkTarget ?? '?'}`;
          icon = node.targetKind === 'directory' ? 'file-symlink-directory' : 'file-symlink-file';
          if (node.targetKind === 'file') opensPath = node.path;
          break;
        case 'characterDevice':
          flags += ' device';
          icon = 'terminal';
          description = 'device';
          break;
      }
      if (!readOnly && !node.mount) flags += ' movable';
      return {
        id: `${sid}:${node.path}`,
        label: node.name,
        description,
        icon,
        collapsible,
        contextValue: flags,
        opensPath,
        resourcePath: node.entryKind === 'file' || node.entryKind === 'directory' ? node.path : undefined,
      };
    }
  }
}

/** The hover text of a node: what it is, where it lives, and for host mounts the host path and permissions. */
export function tooltipOf(node: TreeNode): string {
  switch (node.kind) {
    case 'session': {
      const s = node.session;
      const rootMount = s.mounts.find((m) => m.guestPath === '/');
      const lines = [`WASI session "${s.label}" — ${sessionStatus(node)}`, `Guest filesystem root: /`];
      if (rootMount) lines.push(`/ is the host directory ${rootMount.hostPath} (${permissionWords(rootMount)})`);
      for (const m of s.mounts) if (m.guestPath !== '/') lines.push(`Mount ${m.guestPath} → ${m.hostPath} (${permissionWords(m)})`);
      return lines.join('\n');
    }
    case 'notice':
      return node.message;
    case 'more':
      return `${node.path} has ${node.remaining.toLocaleString('en')} more entries than shown; click to show the next ${Math.min(PAGE_SIZE, node.remaining).toLocaleString('en')}.`;
    case 'entry': {
      const hostMount = mountContaining(node.session, node.path);
      const lines = [node.path];
      switch (node.entryKind) {
        case 'directory':
          if (node.mount) lines.push(`Host directory: ${node.mount.hostPath}`, `Permissions: ${permissionWords(node.mount)}`);
          else lines.push(hostMount ? `In host directory ${hostMount.hostPath}` : 'In-memory directory');
          break;
        case 'file':
          if (node.stat) lines.push(`${node.stat.size} bytes`, `Modified ${formatTime(node.stat.mtimeMs)}`);
          lines.push(hostMount ? `In host directory ${hostMount.hostPath}` : 'In memory');
          break;
        case 'symlink': {
          const resolved = node.targetKind === undefined ? 'does not resolve (dangling, a loop, or outside the sandbox)' : `points to a ${node.targetKind}`;
          lines.push(`Symbolic link to ${node.stat?.linkTarget ?? '?'}`, `The target ${resolved}`);
          break;
        }
        case 'characterDevice':
          lines.push('Character device');
          break;
      }
      if (isReadOnlyPath(node.session, node.path)) lines.push('Read-only (host mount without write permission)');
      return lines.join('\n');
    }
  }
}
