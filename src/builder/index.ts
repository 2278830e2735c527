// The builder's public surface: WasiEnvBuilder, PreopenDirBuilder, their error type and the WasiEnvInit contract.
export { WasiEnvBuilder, type SetupFsEntry, type TextOrBytes, type HostRootPermissions, type PairsInput } from './wasiEnvBuilder';
export { PreopenDirBuilder, type PreopenedDir } from './preopenDirBuilder';
export { WasiStateCreationError, type WasiStateCreationErrorKind, type ErrorSubject, type FsErrorKind } from './errors';
export { defaultCapabilities } from './capabilities';
export * from './envInit';
