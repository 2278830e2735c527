// Pure copying between the guest filesystem and the workspace (Save to Workspace, Import from Workspace, drops),
// written against a small host-files interface so tests run it without VS Code.

import { VfsError, type VfsStat, type VfsView } from '../runtime/api';
import { joinGuest } from './guestPath';

export type HostEntryKind = 'file' | 'directory' | 'other';

/** The workspace side of a copy; the extension adapts vscode.workspace.fs, tests use a map. */
export interface HostFiles<L> {
  kind(location: L): Promise<HostEntryKind | undefined>;
  list(location: L): Promise<Array<[string, HostEntryKind]>>;
  read(location: L): Promise<Uint8Array>;
  write(location: L, data: Uint8Array): Promise<void>;
  makeDirectory(location: L): Promise<void>;
  child(location: L, name: string): L;
  name(location: L): string;
  describe(location: L): string;
}

export interface TransferReport {
  files: number;
  directories: number;
  bytes: number;
  /** What was not copied and why, e.g. { what: '/tmp/link', reason: 'symbolic link (not copied)' }. */
  skipped: Array<{ what: string; reason: string }>;
}

export type CancelCheck = () => boolean;

function newReport(): TransferReport {
  return { files: 0, directories: 0, bytes: 0, skipped: [] };
}

function reason(error: unknown): string {
  if (error instanceof VfsError) return error.message === `${error.code}: ${error.path}` ? error.code : `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

export class TransferCancelled extends Error {
  constructor() {
    super('Cancelled.');
    this.name = 'TransferCancelled';
  }
}

/**
 * Copies a guest file or directory tree to `target` on the host (created; an existing file there is replaced).
 * A symlink given as `guestPath` is followed (what the user chose to save is what it leads to, as `cp -H`); links
 * inside the tree are listed as skipped, so a link to an ancestor cannot make the copy endless.
 */
export async function exportFromGuest<L>(vfs: VfsView, guestPath: string, host: HostFiles<L>, target: L, cancelled: CancelCheck = () => false): Promise<TransferReport> {
  const report = newReport();
  const copy = async (path: string, to: L): Promise<void> => {
    if (cancelled()) throw new TransferCancelled();
    const stat = path === guestPath ? followedOrOwnStat(vfs, path) : vfs.lstat(path);
    switch (stat.kind) {
      case 'file': {
        const data = vfs.readFile(path);
        await host.write(to, data);
        report.files++;
        report.bytes += data.byteLength;
        return;
      }
      case 'directory': {
        await host.makeDirectory(to);
        report.directories++;
        const entries = vfs.readDirectory(path).filter((e) => e.name !== '.' && e.name !== '..');
        for (const entry of entries) {
          try {
            await copy(joinGuest(path, entry.name), host.child(to, entry.name));
          } catch (error) {
            if (error instanceof TransferCancelled) throw error;
            report.skipped.push({ what: joinGuest(path, entry.name), reason: reason(error) });
          }
        }
        return;
      }
      case 'symlink':
        report.skipped.push({ what: path, reason: `symbolic link to ${stat.linkTarget ?? '?'} (not copied)` });
        return;
      case 'characterDevice':
        report.skipped.push({ what: path, reason: 'character device (not copied)' });
        return;
    }
  };
  await copy(guestPath, target);
  return report;
}

/** stat, or for a link that leads nowhere the link's own lstat (reported as a skipped link rather than a failure). */
function followedOrOwnStat(vfs: VfsView, path: string): VfsStat {
  try {
    return vfs.stat(path);
  } catch {
    return vfs.lstat(path);
  }
}

/**
 * Copies a host file or folder into the guest directory `guestDir`, under its own name. Existing files are
 * replaced only with `overwrite`; existing directories are merged into.
 */
export async function importIntoGuest<L>(host: HostFiles<L>, source: L, vfs: VfsView, guestDir: string, options: { overwrite: boolean }, cancelled: CancelCheck = () => false): Promise<TransferReport> {
  const report = newReport();
  const copy = async (from: L, path: string): Promise<void> => {
    if (cancelled()) throw new TransferCancelled();
    const kind = await host.kind(from);
    if (kind === 'file') {
      const data = await host.read(from);
      await vfs.writeFile(path, data, { create: true, overwrite: options.overwrite });
      report.files++;
      report.bytes += data.byteLength;
    } else if (kind === 'directory') {
      let existing;
      try {
        existing = vfs.lstat(path);
      } catch {
        existing = undefined;
      }
      if (existing && existing.kind !== 'directory') throw new VfsError('EEXIST', path, `${path} exists and is not a directory`);
      if (!existing) await vfs.createDirectory(path);
      report.directories++;
      for (const [name] of await host.list(from)) {
        try {
          await copy(host.child(from, name), joinGuest(path, name));
        } catch (error) {
          if (error instanceof TransferCancelled) throw error;
          report.skipped.push({ what: host.describe(host.child(from, name)), reason: reason(error) });
        }
      }
    } else {
      report.skipped.push({ what: host.describe(from), reason: kind === undefined ? 'not found' : 'neither a file nor a folder' });
    }
  };
  try {
    await copy(source, joinGuest(guestDir, host.name(source)));
  } catch (error) {
    if (error instanceof TransferCancelled) throw error;
    report.skipped.push({ what: host.describe(source), reason: reason(error) });
  }
  return report;
}

/** "3 files, 1 folder, 12 KB" (+ what was skipped), for the notification after a copy. */
export function summarize(report: TransferReport, formatSize: (n: number) => string): string {
  const parts = [`${report.files} file${report.files === 1 ? '' : 's'}`];
  if (report.directories > 0) parts.push(`${report.directories} folder${report.directories === 1 ? '' : 's'}`);
  parts.push(formatSize(report.bytes));
  let text = parts.join(', ');
  if (report.skipped.length > 0) {
    const shown = report.skipped.slice(0, 3).map((s) => `${s.what} (${s.reason})`).join('; ');
    const more = report.skipped.length > 3 ? ` and ${report.skipped.length - 3} more` : '';
    text += `. Skipped ${report.skipped.length}: ${shown}${more}`;
  }
  return text;
}
