// An in-worker pipe pair for WASIX fd_pipe: two connected Streams, each end reads what the other end wrote.
//
// Wasmer's fd_pipe gives two ends that both read and write (a duplex channel); so do these. The guest is single-
// threaded here (threads are refused), so nothing can refill an empty pipe while a read waits for it: a blocking read
// of an empty pipe whose other end is still open is a deadlock and fails with EDEADLK instead of hanging the worker;
// NONBLOCK reads get EAGAIN first (fd_read checks readable(0)). A read after the other end closed sees end of file, a
// write then fails with EPIPE (no SIGPIPE).

import { Filetype } from './constants';
import type { Stream } from './stdio';

/** Bytes one direction holds before a write is cut short (no other thread could ever drain more). */
const PIPE_CAPACITY = 16 * 1024 * 1024;

function fail(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** One direction: a queue of byte chunks. */
class Channel {
  private readonly chunks: Uint8Array[] = [];
  private head = 0;
  size = 0;
  push(src: Uint8Array, off: number, len: number): void {
    // Copy: `src` is guest memory, which the guest overwrites after fd_write returns.
    this.chunks.push(src.slice(off, off + len));
    this.size += len;
  }
  take(dst: Uint8Array, off: number, len: number): number {
    let done = 0;
    while (done < len && this.chunks.length > 0) {
      const chunk = this.chunks[0];
      const n = Math.min(len - done, chunk.length - this.head);
      dst.set(chunk.subarray(this.head, this.head + n), off + done);
      done += n;
      this.head += n;
      if (this.head === chunk.length) {
        this.chunks.shift();
        this.head = 0;
      }
    }
    this.size -= done;
    return done;
  }
}

class PipeEnd implements Stream {
  readonly filetype = Filetype.UNKNOWN;
  peer!: PipeEnd;
  closed = false;
  constructor(
    private readonly incoming: Channel,
    private readonly outgoing: Channel,
    private readonly idle: (ms: number) => void,
  ) {}

  read(dst: Uint8Array, off: number, len: number): number {
    if (len === 0) return 0;
    if (this.incoming.size > 0) return this.incoming.take(dst, off, len);
    if (this.peer.closed) return 0;
    throw fail('EDEADLK', 'the pipe is empty and only this thread could write to it');
  }

  write(src: Uint8Array, off: number, len: number): number {
    if (this.peer.closed) throw fail('EPIPE', 'the other end of the pipe is closed');
    const room = PIPE_CAPACITY - this.outgoing.size;
    if (len > 0 && room <= 0) throw fail('EAGAIN', 'the pipe is full and no other thread can drain it');
    const n = Math.min(len, room);
    if (n > 0) this.outgoing.push(src, off, n);
    return n;
  }

  readable(timeoutMs: number): boolean {
    if (this.incoming.size > 0 || this.peer.closed) return true;
    // Nothing can arrive while this thread waits: sleep like the guest asked instead of spinning in poll_oneoff.
    if (timeoutMs !== 0) this.idle(timeoutMs < 0 ? 1000 : timeoutMs);
    return false;
  }

  close(): void {
    this.closed = true;
  }
}

/**
 * Makes a connected pair. `idle(ms)` is how a poll on an empty pipe waits (Atomics.wait in the worker), so a guest
 * that polls a pipe nobody can fill sleeps instead of burning a core.
 */
export function makePipe(idle: (ms: number) => void): [Stream, Stream] {
  const ab = new Channel();
  const ba = new Channel();
  const a = new PipeEnd(ba, ab, idle);
  const b = new PipeEnd(ab, ba, idle);
  a.peer = b;
  b.peer = a;
  return [a, b];
}
