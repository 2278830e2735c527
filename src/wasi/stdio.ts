// The guest's stdin/stdout/stderr as streams: the console (via GuestHost), bytes, a host file, or nothing.

import * as fs from 'node:fs';
import type { OutputInit, StdinInit } from '../builder/envInit';
import type { GuestHost } from '../runtime/guestHost';
import { Filetype } from './constants';

export interface Stream {
  readonly filetype: Filetype;
  /** Reads up to `len` bytes into dst[off…]; 0 = end of input. */
  read(dst: Uint8Array, off: number, len: number): number;
  /** Writes src[off…off+len); returns bytes written. */
  write(src: Uint8Array, off: number, len: number): number;
  /** true when a read would not block; waits up to timeoutMs (-1 = for ever). */
  readable(timeoutMs: number): boolean;
  close(): void;
}

abstract class BaseStream implements Stream {
  abstract readonly filetype: Filetype;
  read(_dst: Uint8Array, _off: number, _len: number): number {
    throw Object.assign(new Error('stream is not readable'), { code: 'EBADF' });
  }
  write(_src: Uint8Array, _off: number, _len: number): number {
    throw Object.assign(new Error('stream is not writable'), { code: 'EBADF' });
  }
  readable(_timeoutMs: number): boolean {
    return true;
  }
  close(): void {}
}

class ConsoleInput extends BaseStream {
  constructor(private readonly host: GuestHost, readonly filetype: Filetype) {
    super();
  }
  override read(dst: Uint8Array, off: number, len: number): number {
    if (len === 0) return 0;
    const data = this.host.readStdin(len);
    const n = Math.min(data.length, len);
    dst.set(n === data.length ? data : data.subarray(0, n), off);
    return n;
  }
  override readable(timeoutMs: number): boolean {
    return this.host.pollStdin(timeoutMs);
  }
}

class BytesInput extends BaseStream {
  readonly filetype = Filetype.UNKNOWN;
  private pos = 0;
  constructor(private readonly data: Uint8Array) {
    super();
  }
  override read(dst: Uint8Array, off: number, len: number): number {
    const n = Math.min(len, this.data.length - this.pos);
    if (n <= 0) return 0;
    dst.set(this.data.subarray(this.pos, this.pos + n), off);
    this.pos += n;
    return n;
  }
}

class EmptyInput extends BaseStream {
  readonly filetype = Filetype.CHARACTER_DEVICE;
  override read(): number {
    return 0;
  }
}

class HostFileStream extends BaseStream {
  readonly filetype = Filetype.REGULAR_FILE;
  constructor(private readonly fd: number) {
    super();
  }
  override read(dst: Uint8Array, off: number, len: number): number {
    return fs.readSync(this.fd, dst, off, len, null);
  }
  override write(src: Uint8Array, off: number, len: number): number {
    return fs.writeSync(this.fd, src, off, len);
  }
  override close(): void {
    fs.closeSync(this.fd);
  }
}

class ConsoleOutput extends BaseStream {
  constructor(private readonly sink: (src: Uint8Array, off: number, len: number) => void, readonly filetype: Filetype) {
    super();
  }
  override write(src: Uint8Array, off: number, len: number): number {
    if (len > 0) this.sink(src, off, len);
    return len;
  }
}

class NullOutput extends BaseStream {
  readonly filetype = Filetype.CHARACTER_DEVICE;
  override write(_src: Uint8Array, _off: number, len: number): number {
    return len;
  }
}

/** Why a stdio file could not be opened, naming the launch.json field. */
export class StdioError extends Error {}

export function makeStdin(init: StdinInit, host: GuestHost): Stream {
  switch (init.kind) {
    case 'console':
      return new ConsoleInput(host, host.isTerminal?.(0) ? Filetype.CHARACTER_DEVICE : Filetype.UNKNOWN);
    case 'none':
      return new EmptyInput();
    case 'bytes':
      return new BytesInput(init.data);
    case 'file':
      try {
        return new HostFileStream(fs.openSync(init.hostPath, 'r'));
      } catch (e) {
        throw new StdioError(`stdin: cannot open ${init.hostPath}: ${(e as Error).message}`);
      }
  }
}

export function makeOutput(init: OutputInit, which: 1 | 2, host: GuestHost): Stream {
  switch (init.kind) {
    case 'console': {
      // A line-buffered guest writes once per line: the host's writeOutputFrom, when it has one, takes the range
      // without a subarray per call.
      const writeFrom = host.writeOutputFrom?.bind(host);
      const sink =
        writeFrom !== undefined
          ? (src: Uint8Array, off: number, len: number) => writeFrom(which, src, off, len)
          : which === 1
            ? (src: Uint8Array, off: number, len: number) => host.writeStdout(src.subarray(off, off + len))
            : (src: Uint8Array, off: number, len: number) => host.writeStderr(src.subarray(off, off + len));
      return new ConsoleOutput(sink, host.isTerminal?.(which) ? Filetype.CHARACTER_DEVICE : Filetype.UNKNOWN);
    }
    case 'null':
      return new NullOutput();
    case 'file':
      try {
        return new HostFileStream(fs.openSync(init.hostPath, init.append ? 'a' : 'w'));
      } catch (e) {
        throw new StdioError(`${which === 1 ? 'stdout' : 'stderr'}: cannot open ${init.hostPath}: ${(e as Error).message}`);
      }
  }
}
