// Test helper: a finished process around a real VfsMirror, which then applies edits itself as after a real exit.

import type { ExitInfo, WasiProcessEvents, WasiProcessHandle } from '../../../src/runtime/api';
import type { VfsMirror } from '../../../src/vfs/mirror';

export function finishedProcess(vfs: VfsMirror): WasiProcessHandle {
  vfs.becomeAuthoritative();
  const exit: ExitInfo = { kind: 'exit', code: 0 };
  return {
    vfs,
    exited: Promise.resolve(exit),
    on<E extends keyof WasiProcessEvents>(_e: E, _l: WasiProcessEvents[E]) {
      return this;
    },
    off<E extends keyof WasiProcessEvents>(_e: E, _l: WasiProcessEvents[E]) {
      return this;
    },
    writeStdin: () => undefined,
    closeStdin: () => undefined,
    terminate: async () => undefined,
  };
}
