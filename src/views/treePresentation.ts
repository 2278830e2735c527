// Pure presentation of tree nodes: label, description, tooltip, icon, context value — everything a TreeItem shows.

import type { ExitInfo, VfsMountInfo } from '../runtime/api';
import { PAGE_SIZE, isExpandableLink, type EntryNode, type LinkState, type StreamNode, type TreeNode } from './vfsTreeModel';
import { isReadOnlyPath, mountContaining, type ViewSession } from './sessions';
import { guestPathOfHostFile, STREAM_NAMES, type OutputTarget, type StdioSetup, type StdinSource, type StreamName } from './stdioSetup';

/** What clicking an item does besides opening a guest file (see opensPath). */
export type ItemAction =
  | { kind: 'openHostFile'; hostPath: string } // a stream read from or written to a host file
  | { kind: 'focusDebugConsole' }; // a stream connected to the Debug Console

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
  /** For the standard streams: open the host file, or show the Debug Console. */
  action?: ItemAction;
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

const BROKEN_LINK_WORDS: Record<Extract<LinkState, { kind: 'broken' }>['reason'], string> = {
  dangling: 'dangling',
  loop: 'loop',
  outside: 'outside the sandbox',
  unreadable: 'unreadable',
};

/** What a TreeItem shows, without the tooltip (built only on hover, see tooltipOf): cheap for 100,000 items. */
export function present(node: TreeNode): ItemPresentation {
  const sid = node.session.id;
  switch (node.kind) {
    case 'streams':
      return {
        id: `${sid}:streams`,
        label: 'Standard streams',
        description: node.session.stdio ? streamsSummary(node.session.stdio) : undefined,
        icon: 'arrow-swap',
        collapsible: 'collapsed',
        contextValue: 'streams',
        opensPath: undefined,
        resourcePath: undefined,
      };
    case 'stream':
      return presentStream(node);
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
      // Mounts are matched on the real path: below a folder link, the entries are where the link leads.
      const hostMount = node.session.mounts.length > 0 ? mountContaining(node.session, node.realPath) : undefined;
      const readOnly = hostMount !== undefined && !hostMount.write;
      // For a folder link, "writable" (New File, Import) is about the folder it leads to; renaming and deleting the
      // link itself ("movable") about where the link is.
      const linkTarget = node.link?.kind === 'resolves' ? node.link.realTarget : undefined;
      const contentsWritable = linkTarget !== undefined ? !isReadOnlyPath(node.session, linkTarget) : !readOnly;
      let flags = hostMount ? 'entry hostBacked' : 'entry';
      if (contentsWritable) flags += ' writable';
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
        case 'symlink': {
          flags += ' symlink';
          description = `→ ${node.stat?.linkTarget ?? '?'}`;
          icon = node.targetKind === 'directory' ? 'file-symlink-directory' : 'file-symlink-file';
          const link = node.link;
          if (link?.kind === 'broken') description += ` · ${BROKEN_LINK_WORDS[link.reason]}`;
          else if (isExpandableLink(node)) {
            flags += ' container';
            collapsible = 'collapsed';
          } else if (link?.kind === 'resolves' && link.containsItself) description += ' · recursive';
          if (node.targetKind === 'file') opensPath = node.path;
          break;
        }
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
    case 'streams':
      return streamsTooltip(node.session);
    case 'stream':
      return streamTooltip(node);
    case 'entry': {
      const hostMount = mountContaining(node.session, node.realPath);
      const lines = [node.path];
      if (node.realPath !== node.path) lines.push(`Really ${node.realPath} (shown through a symbolic link)`);
      switch (node.entryKind) {
        case 'directory':
          if (node.mount) lines.push(`Host directory: ${node.mount.hostPath}`, `Permissions: ${permissionWords(node.mount)}`);
          else lines.push(hostMount ? `In host directory ${hostMount.hostPath}` : 'In-memory directory');
          break;
        case 'file':
          if (node.stat) lines.push(`${node.stat.size} bytes`, `Modified ${formatTime(node.stat.mtimeMs)}`);
          lines.push(hostMount ? `In host directory ${hostMount.hostPath}` : 'In memory');
          break;
        case 'symlink':
          lines.push(`Symbolic link to ${node.stat?.linkTarget ?? '?'}`, ...linkLines(node));
          break;
        case 'characterDevice':
          lines.push('Character device');
          break;
      }
      if (isReadOnlyPath(node.session, node.realPath)) lines.push('Read-only (host mount without write permission)');
      return lines.join('\n');
    }
  }
}

function linkLines(node: EntryNode): string[] {
  const link = node.link;
  if (link === undefined) return [];
  if (link.kind === 'broken') {
    switch (link.reason) {
      case 'dangling':
        return [`The target does not resolve: nothing exists there (a dangling link, ${link.code})`];
      case 'loop':
        return [`The target does not resolve: the links lead round in a circle (${link.code})`];
      case 'outside':
        return [`The target does not resolve: it leads outside the sandbox, which the module cannot reach either (${link.code})`];
      case 'unreadable':
        return [`The target does not resolve: ${link.message}`];
    }
  }
  if (link.targetKind !== 'directory') return [`The target points to a ${link.targetKind}`];
  if (link.realTarget === undefined) return ['The target points to a directory'];
  if (link.containsItself) {
    return [
      `The target points to a directory, ${link.realTarget}, which contains this link`,
      'Not expanded: it would repeat itself without end. Open the folder itself instead.',
    ];
  }
  return [`The target points to a directory, ${link.realTarget}: expand the link to see its contents`];
}

// ---- the standard streams -----------------------------------------------------------------------------------------

function hostBaseName(hostPath: string): string {
  const parts = hostPath.split(/[\\/]/).filter((p) => p.length > 0);
  return parts[parts.length - 1] ?? hostPath;
}

function shortStream(source: StdinSource | OutputTarget): string {
  switch (source.kind) {
    case 'console':
      return 'console';
    case 'none':
    case 'null':
      return 'none';
    case 'file':
      return hostBaseName(source.hostPath);
    case 'bytes':
      return 'text';
  }
}

/** "Debug Console" when all three use it, else each stream in a word: "stdin: text · stdout: out.log · stderr: console". */
function streamsSummary(setup: StdioSetup): string {
  if (STREAM_NAMES.every((name) => setup[name].kind === 'console')) return 'Debug Console';
  return STREAM_NAMES.map((name) => `${name}: ${shortStream(setup[name])}`).join(' · ');
}

function presentStream(node: StreamNode): ItemPresentation {
  const base = {
    id: `${node.session.id}:streams:${node.stream}`,
    label: node.stream,
    collapsible: 'none' as const,
    opensPath: undefined,
    resourcePath: undefined,
  };
  const setup = node.session.stdio;
  if (setup === undefined) return { ...base, description: undefined, icon: 'question', contextValue: `stream ${node.stream}` };
  const flags = `stream ${node.stream}`;
  if (node.stream === 'stdin') {
    const source = setup.stdin;
    switch (source.kind) {
      case 'console':
        return { ...base, description: 'Debug Console input', icon: 'debug-console', contextValue: `${flags} console`, action: { kind: 'focusDebugConsole' } };
      case 'none':
        return { ...base, description: 'none · end of input at once', icon: 'circle-slash', contextValue: `${flags} none` };
      case 'file':
        return { ...base, description: `← ${source.hostPath}`, icon: 'file', contextValue: `${flags} hostFile`, action: { kind: 'openHostFile', hostPath: source.hostPath } };
      case 'bytes':
        return { ...base, description: `text · ${formatSize(source.data.byteLength)}`, icon: 'quote', contextValue: `${flags} text` };
    }
  }
  const target = setup[node.stream];
  switch (target.kind) {
    case 'console':
      return { ...base, description: 'Debug Console', icon: 'debug-console', contextValue: `${flags} console`, action: { kind: 'focusDebugConsole' } };
    case 'null':
      return { ...base, description: 'discarded', icon: 'circle-slash', contextValue: `${flags} none` };
    case 'file':
      return {
        ...base,
        description: `→ ${target.hostPath}${target.append ? ' · append' : ''}`,
        icon: 'file',
        contextValue: `${flags} hostFile`,
        action: { kind: 'openHostFile', hostPath: target.hostPath },
      };
  }
}

const STREAM_FIELD_HINT: Record<StreamName, string> = {
  stdin: 'launch.json "stdin"',
  stdout: 'launch.json "stdout"',
  stderr: 'launch.json "stderr"',
};

function streamsTooltip(session: ViewSession): string {
  const setup = session.stdio;
  if (setup === undefined) return 'Standard streams';
  return [
    `Standard streams of "${session.label}"`,
    ...STREAM_NAMES.map((name) => `${name}: ${streamWords(session, name, setup)}`),
    'Set them with "stdin", "stdout" and "stderr" in the launch configuration.',
  ].join('\n');
}

function streamWords(session: ViewSession, name: StreamName, setup: StdioSetup): string {
  if (name === 'stdin') {
    const source = setup.stdin;
    switch (source.kind) {
      case 'console':
        return 'what you type in the Debug Console';
      case 'none':
        return 'empty (the module reads end of input at once)';
      case 'file':
        return `read from ${source.hostPath}${guestNote(session, source.hostPath)}`;
      case 'bytes':
        return `the text given in the launch configuration (${source.data.byteLength} bytes)`;
    }
  }
  const target = setup[name];
  switch (target.kind) {
    case 'console':
      return 'shown in the Debug Console';
    case 'null':
      return 'discarded';
    case 'file':
      return `${target.append ? 'appended to' : 'written to'} ${target.hostPath}${guestNote(session, target.hostPath)}`;
  }
}

/** " (the module sees it as /out/log.txt)" when the host file lies under a host mount. */
function guestNote(session: ViewSession, hostPath: string): string {
  const guestPath = guestPathOfHostFile(session.mounts, hostPath);
  return guestPath === undefined ? '' : ` (the module sees it as ${guestPath})`;
}

/** At most this much of a stdin text shows in its hover. */
const TEXT_PREVIEW_LINES = 8;
const TEXT_PREVIEW_LINE_CHARS = 120;

function textPreview(data: Uint8Array): string[] {
  const lines = new TextDecoder().decode(data).split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const shown = lines.slice(0, TEXT_PREVIEW_LINES).map((l) => (l.length > TEXT_PREVIEW_LINE_CHARS ? `${l.slice(0, TEXT_PREVIEW_LINE_CHARS)}…` : l));
  if (lines.length > TEXT_PREVIEW_LINES) shown.push(`… ${lines.length - TEXT_PREVIEW_LINES} more line${lines.length - TEXT_PREVIEW_LINES === 1 ? '' : 's'}`);
  return shown.map((l) => `  ${l}`);
}

function streamTooltip(node: StreamNode): string {
  const setup = node.session.stdio;
  if (setup === undefined) return node.stream;
  const lines = [`${node.stream}: ${streamWords(node.session, node.stream, setup)}`, `Set by ${STREAM_FIELD_HINT[node.stream]}`];
  const source = setup[node.stream];
  if (source.kind === 'console') {
    lines.push('Click to show the Debug Console.');
    if (node.stream === 'stdin') lines.push('End the input with "WASI: Send EOF to Program" (Ctrl+D in the Debug Console).');
  } else if (source.kind === 'file') {
    lines.push('Click to open the file.');
  } else if (source.kind === 'bytes') {
    lines.push('Text:', ...textPreview(source.data));
  }
  return lines.join('\n');
}
