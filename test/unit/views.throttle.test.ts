// Unit tests of the change throttle: coalescing into one update per interval, time-boxed slices, no starvation.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChangeThrottle } from '../../src/views/changeThrottle';
import { ManualClock } from './viewsSupport/manualClock';

function make(clock: ManualClock, opts: { costPerPath?: number; chunkSize?: number } = {}) {
  const applied: Array<[string, string[]]> = [];
  const published: string[][] = [];
  const throttle = new ChangeThrottle<string>({
    intervalMs: 150,
    sliceBudgetMs: 15,
    chunkSize: opts.chunkSize ?? 1000,
    clock,
    apply: (key, paths) => {
      applied.push([key, paths]);
      clock.t += (opts.costPerPath ?? 0) * paths.length;
      return paths.map((p) => `${key}:${p.slice(0, p.lastIndexOf('/')) || '/'}`);
    },
    publish: (targets) => published.push(targets.sort()),
  });
  return { throttle, applied, published };
}

test('the first change is applied at once; later ones within the interval are coalesced into one update', () => {
  const clock = new ManualClock();
  clock.t = 1000;
  const { throttle, applied, published } = make(clock);
  throttle.push('s', ['/a/1']);
  clock.advance(0);
  assert.deepEqual(published, [['s:/a']]);
  throttle.push('s', ['/a/2', '/b/1']);
  clock.advance(50);
  throttle.push('s', ['/a/2', '/a/3']);
  assert.equal(published.length, 1, 'nothing before the interval has passed');
  clock.advance(99);
  assert.equal(published.length, 1);
  clock.advance(1);
  assert.deepEqual(published[1], ['s:/a', 's:/b']);
  assert.deepEqual(applied[1], ['s', ['/a/2', '/b/1', '/a/3']], 'duplicates merged, order kept');
  assert.equal(throttle.idle, true);
});

test('a large batch is applied in slices that yield to the event loop, then published once', () => {
  const clock = new ManualClock();
  const { throttle, applied, published } = make(clock, { costPerPath: 0.01, chunkSize: 500 });
  const paths = Array.from({ length: 10_000 }, (_, i) => `/d/${i}`);
  throttle.push('s', paths);
  clock.advance(0);
  // Each chunk of 500 costs 5 ms: three chunks reach the 15 ms budget, then the throttle yields.
  assert.equal(applied.length, 3);
  assert.equal(published.length, 0);
  let slices = 1;
  while (clock.runYields() > 0) slices++;
  assert.equal(applied.length, 20);
  assert.equal(slices, 7);
  assert.deepEqual(published, [['s:/d']]);
  assert.equal(applied.flatMap(([, p]) => p).length, 10_000);
});

test('changes arriving during a sliced update wait for the next interval instead of starving the publish', () => {
  const clock = new ManualClock();
  const { throttle, published } = make(clock, { costPerPath: 0.01, chunkSize: 500 });
  throttle.push('s', Array.from({ length: 2000 }, (_, i) => `/d/${i}`));
  clock.advance(0);
  throttle.push('s', ['/e/1']);
  while (clock.runYields() > 0);
  assert.deepEqual(published, [['s:/d']]);
  assert.equal(clock.pendingTimers, 1);
  clock.advance(150);
  assert.deepEqual(published[1], ['s:/e']);
});

test('discard drops what a removed session had pending; dispose cancels the timer', () => {
  const clock = new ManualClock();
  const { throttle, published, applied } = make(clock);
  clock.t = 500;
  throttle.push('a', ['/x']);
  throttle.push('b', ['/y']);
  throttle.discard('a');
  clock.advance(0);
  assert.deepEqual(applied, [['b', ['/y']]]);
  assert.deepEqual(published, [['b:/']]);
  throttle.push('b', ['/z']);
  throttle.dispose();
  clock.advance(1000);
  assert.equal(published.length, 1);
  assert.equal(clock.pendingTimers, 0);
});

test('intervalAfter stretches the wait after a costly update, then returns to normal', () => {
  const clock = new ManualClock();
  clock.t = 1000;
  const published: string[][] = [];
  const throttle = new ChangeThrottle<string>({
    intervalMs: 150,
    intervalAfter: (targets) => (targets.includes('huge') ? 1000 : 150),
    sliceBudgetMs: 15,
    chunkSize: 100,
    clock,
    apply: (_key, paths) => paths,
    publish: (targets) => published.push(targets),
  });
  throttle.push('s', ['huge']);
  clock.advance(0);
  throttle.push('s', ['small']);
  clock.advance(999);
  assert.deepEqual(published, [['huge']]);
  clock.advance(1);
  assert.deepEqual(published, [['huge'], ['small']]);
  throttle.push('s', ['next']);
  clock.advance(149);
  assert.equal(published.length, 2);
  clock.advance(1);
  assert.deepEqual(published[2], ['next']);
});
