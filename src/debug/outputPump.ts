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

  /** Adds bytes written by the guest to one stream. */
  push(category: OutputStream, bytes: Uint8Array): void {
    if (this.ended || bytes.byteLength === 0) return;
    // stream: true keeps an incomplete trailing UTF-8 sequence inside the decoder until its next bytes arrive.
    this.appendText(category, this.decoders[category].decode(bytes, { stream: true }));
  }

  /** Emits everything pending now (synchronously), in order. */
  flush(): void {
    const chunks = this.pending;
    this.pending = [];
    this.pendingChars = 0;
    for (const chunk of chunks) this.options.emit(chunk.category, chunk.text);
  }

  /** The streams are closed: decode what the decoders still hold (an incomplete sequence becomes U+FFFD), emit all. */
  end(): void {
    if (this.ended) return;
    this.appendText('stdout', this.decoders.stdout.decode());
    this.appendText('stderr', this.decoders.stderr.decode());
    this.ended = true;
    this.flush();
  }

  private appendText(category: OutputStream, text: string): void {
    if (text.length === 0) return;
    const last = this.pending[this.pending.length - 1];
    if (last !== undefined && last.category === category) last.text += text;
    else this.pending.push({ category, text });
    this.pendingChars += text.length;
    if (this.pendingChars >= this.maxPendingChars) {
      this.flush();
    } else if (!this.flushScheduled) {
      this.flushScheduled = true;
      this.schedule(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
  }
}
