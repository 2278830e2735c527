// PreopenDirBuilder: configures one host directory preopened for the guest (the seed's PreopenDirBuilder).
import * as fs from 'node:fs';
import { WasiStateCreationError, fsErrorKindOf, fsErrorText } from './errors';
import { resolveHostPath } from './paths';

/** The built form of PreopenDirBuilder: a host directory, its optional guest alias and its permissions. */
export interface PreopenedDir {
  /** Absolute host path. */
  path: string;
  /** Guest name without leading `/` (the seed's alias); undefined = appear at the path as given. */
  alias?: string;
  /** The alias exactly as given, leading `/` kept: the name fd_prestat_dir_name reports. */
  aliasAsGiven?: string;
  /** The host path exactly as given, before it was made absolute (names the guest path when there is no alias). */
  givenPath: string;
  read: boolean;
  write: boolean;
  create: boolean;
}

/** The seed's check on aliases: the only forbidden byte is NUL. */
export function validateMappedDirAlias(alias: string): void {
  if (alias.includes('\0')) {
    throw new WasiStateCreationError('MappedDirAliasFormattingError', `Alias "${alias}" contains a nul byte`, {
      kind: 'preopen',
      alias,
    });
  }
}

export class PreopenDirBuilder {
  private directoryPath?: string;
  private aliasName?: string;
  private aliasAsGiven?: string;
  private readPermission = false;
  private writePermission = false;
  private createPermission = false;

  /** Point the preopened directory at a host path (relative paths are taken from the process's cwd). */
  directory(hostPath: string): this {
    this.directoryPath = hostPath;
    return this;
  }

  /**
   * Make the directory appear to the guest as `alias`. Leading `/` are trimmed, as in the seed: mounts
   * live under `/` and repeated `/` mean one.
   */
  alias(alias: string): this {
    this.aliasName = alias.replace(/^\/+/, '');
    this.aliasAsGiven = alias;
    return this;
  }

  /** Read permission on the files in the directory. */
  read(toggle: boolean): this {
    this.readPermission = toggle;
    return this;
  }

  /** Write permission on the files in the directory. */
  write(toggle: boolean): this {
    this.writePermission = toggle;
    return this;
  }

  /** Create permission in the directory. Create implies write. */
  create(toggle: boolean): this {
    this.createPermission = toggle;
    if (toggle) this.writePermission = true;
    return this;
  }

  /** Validates as the seed does (permissions, then directory, then alias) and checks the directory exists. */
  build(): PreopenedDir {
    if (!(this.readPermission || this.writePermission || this.createPermission)) {
      throw new WasiStateCreationError(
        'PreopenedDirectoryError',
        'Preopened directories must have at least one of read, write, create permissions set',
        { kind: 'preopen', alias: this.aliasName, hostPath: this.directoryPath },
      );
    }
    if (this.directoryPath === undefined) {
      throw new WasiStateCreationError('PreopenedDirectoryError', 'Preopened directories must point to a host directory', {
        kind: 'preopen',
        alias: this.aliasName,
      });
    }
    const absolute = resolveHostPath(this.directoryPath);
    // The seed has this check commented out and lets WasiFs creation fail later; failing here names the
    // directory at the call that introduced it.
    try {
      fs.statSync(absolute);
    } catch (error) {
      const fsKind = fsErrorKindOf(error);
      if (fsKind === 'EntryNotFound' || fsKind === 'BaseNotDirectory') {
        throw new WasiStateCreationError('PreopenedDirectoryNotFound', absolute, { kind: 'preopen', hostPath: absolute, alias: this.aliasName });
      }
      throw new WasiStateCreationError('PreopenedDirectoryError', `Could not get metadata for file "${absolute}": ${fsErrorText(fsKind)}`, {
        kind: 'preopen',
        hostPath: absolute,
        alias: this.aliasName,
      });
    }
    if (this.aliasName !== undefined) validateMappedDirAlias(this.aliasName);
    return {
      path: absolute,
      alias: this.aliasName,
      ...(this.aliasAsGiven !== undefined ? { aliasAsGiven: this.aliasAsGiven } : {}),
      givenPath: this.directoryPath,
      read: this.readPermission,
      write: this.writePermission,
      create: this.createPermission,
    };
  }
}
