// Pure mapping between wasi-vfs: URIs and (session id, guest path): wasi-vfs://<session id>/<guest path>.

import { normalizeGuestPath } from './guestPath';

export const WASI_VFS_SCHEME = 'wasi-vfs';

/** The parts of a URI this module reads and writes; vscode.Uri has them, tests build them by hand. */
export interface UriParts {
  scheme: string;
  authority: string;
  path: string;
}

export interface GuestLocation {
  sessionId: string;
  guestPath: string;
}

export function toUriParts(location: GuestLocation): UriParts {
  return { scheme: WASI_VFS_SCHEME, authority: location.sessionId, path: normalizeGuestPath(location.guestPath) };
}

/** Throws with a message naming what is wrong when the URI is not a wasi-vfs: URI of a session. */
export function fromUriParts(uri: UriParts): GuestLocation {
  if (uri.scheme !== WASI_VFS_SCHEME) throw new Error(`Not a ${WASI_VFS_SCHEME}: URI (scheme "${uri.scheme}").`);
  if (uri.authority.length === 0) throw new Error(`A ${WASI_VFS_SCHEME}: URI needs the debug session id as its authority: ${WASI_VFS_SCHEME}://<session id>/<guest path>.`);
  return { sessionId: uri.authority, guestPath: normalizeGuestPath(uri.path) };
}
