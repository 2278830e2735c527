// WasiStateCreationError: the builder's error type, one `kind` per variant of the seed's enum, with the seed's messages.

/** The seed's `FsError` variants we can meet while checking host paths, with the seed's display text. */
export type FsErrorKind =
  | 'EntryNotFound'
  | 'AlreadyExists'
  | 'PermissionDenied'
  | 'BaseNotDirectory'
  | 'NotAFile'
  | 'DirectoryNotEmpty'
  | 'StorageFull'
  | 'InvalidInput'
  | 'IOError'
  | 'UnknownError';

const FS_ERROR_TEXT: Record<FsErrorKind, string> = {
  EntryNotFound: 'entry not found',
  AlreadyExists: 'file exists',
  PermissionDenied: 'permission denied',
  BaseNotDirectory: 'fd not a directory',
  NotAFile: 'fd not a file',
  DirectoryNotEmpty: 'directory not empty',
  StorageFull: 'storage full',
  InvalidInput: 'invalid input',
  IOError: 'io error',
  UnknownError: 'unknown error found',
};

/** The text the seed prints for an `FsError`. */
export function fsErrorText(kind: FsErrorKind): string {
  return FS_ERROR_TEXT[kind];
}

/** Maps a Node.js fs error (its `code`) onto the seed's FsError, as `From<io::Error> for FsError` does. */
export function fsErrorKindOf(error: unknown): FsErrorKind {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  switch (code) {
    case 'ENOENT':
      return 'EntryNotFound';
    case 'EEXIST':
      return 'AlreadyExists';
    case 'EACCES':
    case 'EPERM':
      return 'PermissionDenied';
    case 'ENOTDIR':
      return 'BaseNotDirectory';
    case 'EISDIR':
      return 'NotAFile';
    case 'ENOTEMPTY':
      return 'DirectoryNotEmpty';
    case 'ENOSPC':
      return 'StorageFull';
    case 'EINVAL':
      return 'InvalidInput';
    case 'EIO':
      return 'IOError';
    default:
      return 'UnknownError';
  }
}

export type WasiStateCreationErrorKind =
  | 'EnvironmentVariableFormatError'
  | 'ArgumentContainsNulByte'
  | 'PreopenedDirectoryNotFound'
  | 'PreopenedDirectoryError'
  | 'MappedDirAliasFormattingError'
  | 'WasiFsCreationError'
  | 'WasiFsSetupError'
  | 'FileSystemError'
  | 'WasiInheritError'
  | 'WasiIncludePackageError'
  | 'ControlPlane';

/**
 * What an error is about, so a caller (the launch.json mapper) can name the setting that caused it
 * without parsing the message. Not part of the seed; additive.
 */
export type ErrorSubject =
  | { kind: 'arg'; index: number }
  | { kind: 'envKey'; key: string }
  | { kind: 'envValue'; key: string }
  | { kind: 'preopen'; hostPath?: string; alias?: string }
  | { kind: 'vfsPreopen'; guestPath: string }
  | { kind: 'root'; hostPath: string }
  | { kind: 'currentDir'; path: string }
  | { kind: 'stdio'; stream: 'stdin' | 'stdout' | 'stderr'; hostPath: string }
  | { kind: 'seed'; guestPath: string }
  | { kind: 'package'; name: string }
  | { kind: 'capabilities' };

function messageFor(kind: WasiStateCreationErrorKind, detail: string): string {
  switch (kind) {
    case 'EnvironmentVariableFormatError':
      return `bad environment variable format: \`${detail}\``;
    case 'ArgumentContainsNulByte':
      return `argument contains null byte: \`${detail}\``;
    case 'PreopenedDirectoryNotFound':
      return `preopened directory not found: \`${detail}\``;
    case 'PreopenedDirectoryError':
      return `preopened directory error: \`${detail}\``;
    case 'MappedDirAliasFormattingError':
      return `mapped dir alias has wrong format: \`${detail}\``;
    case 'WasiFsCreationError':
      return `wasi filesystem creation error: \`${detail}\``;
    case 'WasiFsSetupError':
      return `wasi filesystem setup error: \`${detail}\``;
    case 'FileSystemError':
      // `#[error(transparent)]` in the seed: the FsError's own text.
      return detail;
    case 'WasiInheritError':
      return `wasi inherit error: \`${detail}\``;
    case 'WasiIncludePackageError':
      return `wasi include package: \`${detail}\``;
    case 'ControlPlane':
      // The seed prints only this; the cause stays available in `detail`.
      return 'control plane error';
  }
}

/** Bad data given to WasiEnvBuilder (the seed's `WasiStateCreationError`). */
export class WasiStateCreationError extends Error {
  override readonly name = 'WasiStateCreationError';
  /** The seed's variant. */
  readonly kind: WasiStateCreationErrorKind;
  /** The variant's payload (`{0}` in the seed's message); for ControlPlane, the cause the seed does not print. */
  readonly detail: string;
  /** What the error is about, when known. */
  readonly subject?: ErrorSubject;

  constructor(kind: WasiStateCreationErrorKind, detail: string, subject?: ErrorSubject) {
    super(messageFor(kind, detail));
    this.kind = kind;
    this.detail = detail;
    this.subject = subject;
  }
}
