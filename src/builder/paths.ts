// Path helpers of the builder: host paths made absolute, guest paths made absolute and normalized.
import * as path from 'node:path';

/** A host path made absolute against `base` (default: the process's working directory). */
export function resolveHostPath(hostPath: string, base?: string): string {
  return base === undefined ? path.resolve(hostPath) : path.resolve(base, hostPath);
}

/**
 * A guest path made absolute (relative paths are taken from `/`) and normalized: no `.`/`..` segments,
 * no repeated or trailing `/` (except for `/` itself). `..` cannot climb above `/`.
 */
export function normalizeGuestPath(guestPath: string): string {
  const absolute = guestPath.startsWith('/') ? guestPath : `/${guestPath}`;
  const normalized = path.posix.normalize(absolute);
  return normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
}

/**
 * Where a preopen without an alias appears in the guest: at the path it was given with, as wasmtime's
 * `--dir` and Wasmer's `--dir` do ("data" → "/data", "/srv/data" → "/srv/data", "." → "/").
 * Windows separators become `/` and a drive letter is dropped.
 */
export function guestPathForHostPath(hostPath: string): string {
  return normalizeGuestPath(hostPath.replace(/\\/g, '/').replace(/^[A-Za-z]:/, ''));
}

/** The ancestors of an absolute normalized guest path, outermost first, without `/` and without itself. */
export function guestAncestors(guestPath: string): string[] {
  const parts = guestPath.split('/').filter((part) => part.length > 0);
  const ancestors: string[] = [];
  for (let i = 1; i < parts.length; i++) ancestors.push(`/${parts.slice(0, i).join('/')}`);
  return ancestors;
}

/** Whether `inner` is `outer` or lies below it (both absolute, normalized guest paths). */
export function isGuestPathWithin(inner: string, outer: string): boolean {
  if (outer === '/') return true;
  return inner === outer || inner.startsWith(`${outer}/`);
}
