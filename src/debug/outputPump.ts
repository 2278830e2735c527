// Turns the guest's stdout/stderr byte batches into few, ordered, UTF-8-safe text chunks for DAP OutputEvents.
//
// Why a pump: the runtime delivers bytes in whatever batches the worker produced. A DAP client wants text
// (a multi-byte character split across two batches must not become two U+FFFD), in the order it was written
// across both streams, and in few large events rather than one per write (a flood of a million lines must
// not become a million events, nor one huge event that blocks the event loop while it is serialized).

import { TextDecoder } from 'node:util';

export type OutputStream = 'stdout' | 'stderr';

export interface OutputPumpOptions {
  /** Receives each text chunk, in order. */
  emit: (category: OutputStream, text: string) => void;
  /** Flush as soon as this many characters are pending (keeps each event's JSON small). */
  maxPendingChars?: number;
  /** While the transport is full, a promise that resolves when it has room (see push). */
  backpressure?: () => Promise<void> | undefined;
  /** Schedules a deferred flush; defaults to setImmediate so bursts from one event-loop turn coalesce. */
  schedule?: (flush: () => void) => void;
}

interface PendingChunk {
  category: OutputStream;
  text: string;
}

const DEFAULT_MAX_PENDING_CHARS = 64 * 1024;

export class OutputPump {
  private readonly decoders: Record<OutputStream, TextDecoder> = {
    stdout: new TextDecoder('utf-8', { fatal: false }),
    stderr: new TextDecoder('utf-8', { fatal: false }),
  };
  private pending: PendingChunk[] = [];
  private pendingChars = 0;
  private flushScheduled = false;
  private ended = false;
  private readonly maxPendingChars: number;
  private readonly schedule: (flush: () => void) => void;

  constructor(private readonly options: OutputPumpOptions) {
    this.maxPendingChars = options.maxPendingChars ?? DEFAULT_MAX_PENDING_CHARS;
    this.schedule = options.schedule ?? ((flush) => setImmediate(flush));
  }

  /**
   * Adds bytes written by the guest to one stream. Returns a promise when the producer should wait before
   * pushing more: after a size-triggered flush it yields one event-loop turn (so a flood never blocks the
   * event loop for long) and then waits for the transport to have room.
   */
  push(category: OutputStream, bytes: Uint8Array): Promise<void> | undefined {
    if (this.ended || bytes.byteLength === 0) return undefined;
    // stream: true keeps an incomplete trailing UTF-8 sequence inside the decoder until its next bytes arrive.
    const flushed = this.appendText(category, this.decoders[category].decode(bytes, { stream: true }));
    if (!flushed) return undefined;
    return new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.options.backpressure?.());
  }

  /** Emits everything pending now (synchronously), in order, in events of at most about maxPendingChars each. */
  flush(): void {
    const chunks = this.pending;
    this.pending = [];
    this.pendingChars = 0;
    for (const chunk of chunks) {
      for (const piece of splitText(chunk.text, this.maxPendingChars)) this.options.emit(chunk.category, piece);
    }
  }

  /** The streams are closed: decode what the decoders still hold (an incomplete sequence becomes U+FFFD), emit all. */
  end(): void {
    if (this.ended) return;
    this.appendText('stdout', this.decoders.stdout.decode());
    this.appendText('stderr', this.decoders.stderr.decode());
    this.ended = true;
    this.flush();
  }

  /** Returns true when the text filled the pending buffer and was flushed at once. */
  private appendText(category: OutputStream, text: string): boolean {
    if (text.length === 0) return false;
    const last = this.pending[this.pending.length - 1];
    if (last !== undefined && last.category === category) last.text += text;
    else this.pending.push({ category, text });
    this.pendingChars += text.length;
    if (this.pendingChars >= this.maxPendingChars) {
      this.flush();
      return true;
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      this.schedule(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
    return false;
  }
}

/**
 * Splits text into pieces of at most `limit` characters, preferably just after a newline, never inside a
 * surrogate pair. A client concatenates consecutive output events, so the split is invisible to the user.
 */
export function splitText(text: string, limit: number): string[] {
  if (text.length <= limit) return [text];
  const pieces: string[] = [];
  let start = 0;
  while (text.length - start > limit) {
    let end = text.lastIndexOf('\n', start + limit - 1) + 1;
    if (end <= start) {
      end = start + limit;
      const code = text.charCodeAt(end - 1);
      if (code >= 0xd800 && code <= 0xdbff) end -= 1; // keep a surrogate pair together
    }
    pieces.push(text.slice(start, end));
    start = end;
  }
  pieces.push(text.slice(start));
  return pieces;
}
