// Plain description of where a session's standard streams come from and go to, as the "Standard streams" nodes show it.
//
// The shapes match the builder's StdinInit / OutputInit (src/builder/envInit.ts) on purpose: extension.ts passes the
// launch's resolved streams straight through, and the views need not import the builder or the debug adapter.

import type { VfsMountInfo } from '../runtime/api';
import { isAtOrBelow, joinGuest, relativeBelow } from './guestPath';

export type StdinSource =
  | { kind: 'console' } // Debug Console input
  | { kind: 'none' } // immediate end of input
  | { kind: 'file'; hostPath: string }
  | { kind: 'bytes'; data: Uint8Array }; // launch.json "stdin": { "text": … }

export type OutputTarget =
  | { kind: 'console' } // the Debug Console
  | { kind: 'file'; hostPath: string; append: boolean }
  | { kind: 'null' }; // discarded ("none" in launch.json)

export interface StdioSetup {
  readonly stdin: StdinSource;
  readonly stdout: OutputTarget;
  readonly stderr: OutputTarget;
}

export type StreamName = 'stdin' | 'stdout' | 'stderr';

export const STREAM_NAMES: readonly StreamName[] = ['stdin', 'stdout', 'stderr'];

/**
 * Where the module itself sees a host file, when it lies under a host mount: "/out/log.txt" for the host file
 * <mount host path>/log.txt of the mount /out. Host paths are compared as given (the launch resolved them to absolute).
 */
export function guestPathOfHostFile(mounts: readonly VfsMountInfo[], hostPath: string): string | undefined {
  const normalized = hostPath.replace(/\\/g, '/');
  const candidates = mounts
    .map((m) => ({ m, root: m.hostPath.replace(/\\/g, '/').replace(/\/+$/, '') || '/' }))
    .filter((c) => isAtOrBelow(normalized, c.root))
    // The innermost mount wins when host directories nest.
    .sort((a, b) => b.root.length - a.root.length);
  const innermost = candidates[0];
  if (!innermost) return undefined;
  const rest = relativeBelow(normalized, innermost.root);
  return rest === '' ? innermost.m.guestPath : joinGuest(innermost.m.guestPath, rest);
}
