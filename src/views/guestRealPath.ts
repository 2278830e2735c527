// Pure resolution of a guest path to the directory it really names (every symlink followed), through the VfsView's
// lstat only: the tree uses it to tell which folder a symlinked folder shows, to stop loops and to route change events.

import type { VfsView } from '../runtime/api';

/** As the VFS resolver: more hops than this is a loop (ELOOP). */
const MAX_SYMLINK_HOPS = 40;

/**
 * The canonical absolute guest path `path` resolves to, or undefined when it does not resolve (dangling, a loop, ".."
 * above "/", a target the view refuses). Follows the VFS's rules: ".." steps back from the directory actually reached,
 * not from the spelled path. The VFS itself refuses absolute link targets; a view that accepts them resolves them from
 * the guest root, as POSIX does. This only places a directory: reading it still goes through the VfsView, which
 * enforces the sandbox.
 */
export function realGuestPath(vfs: Pick<VfsView, 'lstat'>, path: string): string | undefined {
  // Components still to walk, the next one last.
  const pending = path.split('/').filter((s) => s.length > 0).reverse();
  const reached: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const component = pending.pop()!;
    if (component === '.') continue;
    if (component === '..') {
      if (reached.length === 0) return undefined;
      reached.pop();
      continue;
    }
    reached.push(component);
    let kind: string;
    let target: string | undefined;
    try {
      const stat = vfs.lstat(`/${reached.join('/')}`);
      kind = stat.kind;
      target = stat.linkTarget;
    } catch {
      return undefined;
    }
    if (kind !== 'symlink') continue;
    if (++hops > MAX_SYMLINK_HOPS || target === undefined || target.length === 0) return undefined;
    reached.pop();
    if (target.startsWith('/')) reached.length = 0;
    const parts = target.split('/').filter((s) => s.length > 0);
    for (let i = parts.length - 1; i >= 0; i--) pending.push(parts[i]);
  }
  return `/${reached.join('/')}`;
}
