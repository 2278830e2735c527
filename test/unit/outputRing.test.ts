// The stdout/stderr record ring on one thread: records of every size, wrapping around the end, merged in order by stream.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OutputRingReader, OutputRingWriter } from '../../src/runtime/outputChannel';

const CONTROL_SLOTS = 16;
/** Control indexes used by the ring (src/runtime/protocol.ts: OutputWrite 0, OutputRead 1, OutputArmed 2). */
const OUTPUT_ARMED = 2;

function ring(bytes: number) {
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
  const buffer = new SharedArrayBuffer(bytes);
  let wakeUps = 0;
  const writer = new OutputRingWriter(control, buffer, () => wakeUps++);
  const reader = new OutputRingReader(control, buffer);
  return { control, writer, reader, wakeUps: () => wakeUps };
}

const text = (d: Uint8Array): string => Buffer.from(d).toString('latin1');

test('records wrap around the ring end, short and long, from any offset of the source; the reader merges runs per stream', () => {
  const { writer, reader } = ring(256);
  const source = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'.repeat(2), 'latin1');
  let expected = '';
  let got = '';
  // Lengths straddle the byte-by-byte / TypedArray.set threshold; the 256-byte ring wraps many times.
  for (let round = 0; round < 40; round++) {
    const off = (round * 7) % 50;
    const len = 1 + ((round * 13) % 70);
    writer.writeFrom('stdout', source, off, len);
    expected += source.toString('latin1', off, off + len);
    const chunks = reader.take();
    for (const c of chunks) {
      assert.equal(c.stream, 'stdout');
      got += text(c.data);
    }
  }
  assert.equal(got, expected);
});

test('neighbouring records of one stream become one chunk; a stream change starts a new chunk; empty writes add nothing', () => {
  const { writer, reader } = ring(1024);
  writer.write('stdout', Buffer.from('a1\n'));
  writer.writeFrom('stdout', Buffer.from('xxb2\nyy'), 2, 3);
  writer.writeFrom('stderr', Buffer.from('E'), 0, 0);
  writer.write('stderr', Buffer.from('e1\n'));
  writer.write('stdout', Buffer.from('c3\n'));
  const chunks = reader.take().map((c) => [c.stream, text(c.data)]);
  assert.deepEqual(chunks, [
    ['stdout', 'a1\nb2\n'],
    ['stderr', 'e1\n'],
    ['stdout', 'c3\n'],
  ]);
  assert.deepEqual(reader.take(), []);
});

test('a write larger than half the ring is split into records that each fit; an armed idle host is woken once', () => {
  const { control, writer, reader, wakeUps } = ring(64);
  Atomics.store(control, OUTPUT_ARMED, 1);
  const big = Buffer.from('abcdefghijklmnopqrstuvwxyz0123', 'latin1'); // 30 bytes; at most 28 per record in a 64-byte ring
  writer.write('stdout', big.subarray(0, 20));
  assert.equal(wakeUps(), 1);
  assert.equal(text(reader.take()[0].data), 'abcdefghijklmnopqrst');
  writer.write('stdout', big);
  assert.equal(wakeUps(), 1, 'not re-armed: no second wake-up');
  assert.equal(reader.take().map((c) => text(c.data)).join(''), big.toString('latin1'));
});
