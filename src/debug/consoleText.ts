// Text forms of what the session reports outside the guest's own output: syscall trace lines and end-of-run lines.
import type { ExitInfo, SyscallTrace, WasmFrame } from '../runtime/api';

/** Exit code reported for a trap, as the CLI does (128 + SIGABRT). */
export const TRAP_EXIT_CODE = 134;
/** Exit code reported when the module could not start (bad module, unknown import, missing entry). */
export const START_ERROR_EXIT_CODE = 1;
/** Exit code reported when the user stopped the program (128 + SIGKILL). */
export const TERMINATED_EXIT_CODE = 137;

/** The body of the custom DAP event `wasiTrace`. */
export interface WasiTraceEventBody {
  records: SyscallTrace[];
}

/** One syscall as a line: `fd_write(fd=1, …) → 0 (success) 12µs`. */
export function formatTraceRecord(record: SyscallTrace): string {
  return `${record.name}(${record.args}) → ${record.result} ${formatMicros(record.durationUs)}`;
}

function formatMicros(us: number): string {
  if (us < 1000) return `${Math.round(us)}µs`;
  return `${(us / 1000).toFixed(us < 10_000 ? 2 : 1)}ms`;
}

export function formatWasmFrame(frame: WasmFrame): string {
  const where: string[] = [];
  if (frame.functionIndex !== undefined) where.push(`wasm-function[${frame.functionIndex}]`);
  if (frame.moduleOffset !== undefined) where.push(`0x${frame.moduleOffset.toString(16)}`);
  return where.length > 0 ? `    at ${frame.functionName} (${where.join(':')})` : `    at ${frame.functionName}`;
}

/** The exit code the session reports for each way a run can end. */
export function exitCodeOf(info: ExitInfo): number {
  switch (info.kind) {
    case 'exit':
      return info.code;
    case 'trap':
      return TRAP_EXIT_CODE;
    case 'error':
      return START_ERROR_EXIT_CODE;
    case 'terminated':
      return TERMINATED_EXIT_CODE;
  }
}

/**
 * What the Debug Console shows when the run ends, one or more lines each ending in "\n", and the category
 * (a trap and a start failure are errors, so they go to stderr and show red).
 */
export function describeExit(info: ExitInfo): { category: 'console' | 'stderr'; text: string } {
  switch (info.kind) {
    case 'exit':
      return { category: 'console', text: `wasi: program exited with code ${info.code}\n` };
    case 'trap': {
      const lines = [`wasi: program trapped: ${info.message}`, ...info.frames.map(formatWasmFrame)];
      lines.push(`wasi: program exited with code ${TRAP_EXIT_CODE} (trap)`);
      return { category: 'stderr', text: lines.join('\n') + '\n' };
    }
    case 'error':
      return {
        category: 'stderr',
        text: `wasi: program could not start: ${info.message}\nwasi: program exited with code ${START_ERROR_EXIT_CODE}\n`,
      };
    case 'terminated':
      return { category: 'console', text: `wasi: program terminated\n` };
  }
}
