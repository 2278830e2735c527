// Unit tests of the output pump: UTF-8 never split, order across stdout/stderr kept, batching by size and by turn.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OutputPump, splitText, type OutputStream } from '../../src/debug/outputPump';

function collectingPump(maxPendingChars?: number) {
  const emitted: Array<[OutputStream, string]> = [];
  const scheduled: Array<() => void> = [];
  const pump = new OutputPump({
    emit: (category, text) => emitted.push([category, text]),
    maxPendingChars,
    schedule: (flush) => scheduled.push(flush),
  });
  const runScheduled = () => scheduled.splice(0).forEach((f) => f());
  return { pump, emitted, runScheduled };
}

const bytes = (...values: number[]) => Uint8Array.from(values);

test('a multi-byte character split across batches is emitted whole', () => {
  const { pump, emitted } = collectingPump();
  const smile = Buffer.from('😀é✓', 'utf8'); // 4 + 2 + 3 bytes
  for (const byte of smile) pump.push('stdout', bytes(byte));
  pump.flush();
  assert.deepEqual(emitted, [['stdout', '😀é✓']]);
});

test('stdout and stderr keep their interleaving and consecutive writes merge', () => {
  const { pump, emitted, runScheduled } = collectingPump();
  const enc = new TextEncoder();
  pump.push('stdout', enc.encode('a'));
  pump.push('stdout', enc.encode('b\n'));
  pump.push('stderr', enc.encode('E1\n'));
  pump.push('stdout', enc.encode('c\n'));
  assert.deepEqual(emitted, [], 'nothing is emitted before the scheduled flush');
  runScheduled();
  assert.deepEqual(emitted, [
    ['stdout', 'ab\n'],
    ['stderr', 'E1\n'],
    ['stdout', 'c\n'],
  ]);
});

test('a half character on stdout does not swallow the stderr text that follows', () => {
  const { pump, emitted } = collectingPump();
  const euro = Buffer.from('€', 'utf8');
  pump.push('stdout', euro.subarray(0, 1));
  pump.push('stderr', Buffer.from('err'));
  pump.push('stdout', euro.subarray(1));
  pump.flush();
  assert.deepEqual(emitted, [
    ['stderr', 'err'],
    ['stdout', '€'],
  ]);
});

test('ANSI colour sequences pass through untouched', () => {
  const { pump, emitted } = collectingPump();
  pump.push('stdout', Buffer.from('\x1b[31mred\x1b[0m\n'));
  pump.flush();
  assert.deepEqual(emitted, [['stdout', '\x1b[31mred\x1b[0m\n']]);
});

test('reaching the size limit flushes at once and asks the producer to wait one turn', async () => {
  const { pump, emitted } = collectingPump(10);
  assert.equal(pump.push('stdout', Buffer.from('12345')), undefined);
  const hold = pump.push('stdout', Buffer.from('67890ab'));
  assert.ok(hold instanceof Promise, 'a flush by size returns a hold');
  assert.deepEqual(emitted, [['stdout', '1234567890'], ['stdout', 'ab']]);
  await hold;
});

test('a large batch becomes events no larger than the limit, cut after newlines', () => {
  const { pump, emitted } = collectingPump(10);
  pump.push('stdout', Buffer.from('aaa\nbbbbbb\ncccccccccccccc\nd'));
  assert.deepEqual(emitted, [
    ['stdout', 'aaa\n'],
    ['stdout', 'bbbbbb\n'],
    ['stdout', 'cccccccccc'],
    ['stdout', 'cccc\nd'],
  ]);
});

test('splitText never separates a surrogate pair', () => {
  assert.deepEqual(splitText('ab😀cd', 3), ['ab', '😀c', 'd']);
  assert.deepEqual(splitText('short', 10), ['short']);
  assert.equal(splitText('x'.repeat(100), 7).join(''), 'x'.repeat(100));
});

test('the hold also waits for the transport to have room', async () => {
  const emitted: string[] = [];
  let release!: () => void;
  const room = new Promise<void>((resolve) => (release = resolve));
  let waited = false;
  const pump = new OutputPump({
    emit: (_c, text) => emitted.push(text),
    maxPendingChars: 1,
    schedule: () => undefined,
    backpressure: () => room,
  });
  const hold = pump.push('stdout', Buffer.from('x'))!;
  void hold.then(() => (waited = true));
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(waited, false, 'still waiting while the transport is full');
  release();
  await hold;
  assert.equal(waited, true);
});

test('end() emits an incomplete trailing sequence as U+FFFD and ignores later pushes', () => {
  const { pump, emitted } = collectingPump();
  pump.push('stdout', Buffer.from('ok '));
  pump.push('stdout', bytes(0xe2, 0x82)); // first two bytes of "€"
  pump.end();
  pump.push('stdout', Buffer.from('late'));
  pump.flush();
  assert.deepEqual(emitted, [['stdout', 'ok \ufffd']]);
});

test('a million lines come out complete and in order', () => {
  const { pump, emitted, runScheduled } = collectingPump();
  let expected = '';
  for (let i = 0; i < 1_000_000; i += 1000) {
    let batch = '';
    for (let j = i; j < i + 1000; j++) batch += `line ${j}\n`;
    expected += batch;
    pump.push('stdout', Buffer.from(batch));
  }
  runScheduled();
  pump.end();
  assert.ok(emitted.length > 1 && emitted.length < 400, `batched into ${emitted.length} events`);
  assert.equal(emitted.map(([, text]) => text).join(''), expected);
});
