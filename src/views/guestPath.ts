// Pure helpers for absolute guest paths ("/", "/tmp/out.txt") as the tree view and the wasi-vfs: provider use them.

/** Parent of an absolute guest path; the parent of "/" is "/". */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

/** Last segment of an absolute guest path; "/" for the root. */
export function baseName(path: string): string {
  if (path === '/') return '/';
  return path.slice(path.lastIndexOf('/') + 1);
}

export function joinGuest(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

/** True when `path` is `ancestor` itself or lies below it. */
export function isAtOrBelow(path: string, ancestor: string): boolean {
  if (ancestor === '/') return path.startsWith('/');
  return path === ancestor || path.startsWith(`${ancestor}/`);
}

/**
 * Turns a URI path into a clean absolute guest path: collapses repeated and trailing slashes.
 * Refuses "." and ".." segments rather than resolving them, so a URI can never name something
 * other than what it spells (the VFS enforces the sandbox as well; this keeps URIs canonical).
 */
export function normalizeGuestPath(raw: string): string {
  const segments = raw.split('/').filter((s) => s.length > 0);
  for (const s of segments) {
    if (s === '.' || s === '..') throw new Error(`Guest path "${raw}" contains "${s}"; use an absolute path without dot segments.`);
  }
  return `/${segments.join('/')}`;
}

/**
 * Checks a single name a user typed (New File, New Folder, Rename). Returns the problem, or undefined when the name is usable.
 */
export function problemWithEntryName(name: string): string | undefined {
  if (name.length === 0) return 'Enter a name.';
  if (name.includes('/')) return 'A name cannot contain "/". Create the folders one at a time.';
  if (name === '.' || name === '..') return `"${name}" is not a usable name.`;
  if (name.includes('\0')) return 'A name cannot contain a NUL character.';
  return undefined;
}

/** Relative path of `path` below `ancestor` ("" when equal). Requires isAtOrBelow(path, ancestor). */
export function relativeBelow(path: string, ancestor: string): string {
  if (path === ancestor) return '';
  return ancestor === '/' ? path.slice(1) : path.slice(ancestor.length + 1);
}
