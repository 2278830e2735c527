// The launch's wait for configurationDone: it ends at configurationDone, or after the client's silence — on a mocked clock, so no test depends on the machine's speed.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigurationWait, type ConfigurationOutcome } from '../../src/debug/configurationWait';

/** A ConfigurationWait on a clock the test moves by hand (Date-like value and setTimeout together). */
function onMockedClock(t: TestContext, quietMs: number) {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let clock = 1_000_000;
  const wait = new ConfigurationWait(quietMs, () => clock);
  let outcome: ConfigurationOutcome | undefined;
  const waiting = wait.wait().then((result) => (outcome = result));
  /** Lets every promise continuation run (setImmediate is not mocked). */
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    wait,
    waiting,
    outcome: () => outcome,
    settle,
    async advance(ms: number): Promise<void> {
      clock += ms;
      t.mock.timers.tick(ms);
      await settle();
    },
  };
}

test('configurationDone ends the wait at once, however long the client took', async (t) => {
  const c = onMockedClock(t, 2000);
  await c.settle();
  await c.advance(1999);
  assert.equal(c.outcome(), undefined, 'still waiting before the quiet time has passed');
  c.wait.markDone();
  await c.settle();
  assert.equal(c.outcome(), 'configured');
  assert.equal(c.wait.configured, true);
});

test('a client that never sends configurationDone and stays silent gets its launch after the quiet time', async (t) => {
  const c = onMockedClock(t, 2000);
  await c.settle();
  await c.advance(1999);
  assert.equal(c.outcome(), undefined);
  await c.advance(1);
  assert.equal(c.outcome(), 'silent');
  assert.equal(c.wait.configured, false);
});

test('a client still sending requests keeps the launch waiting past the quiet time; its silence then ends it', async (t) => {
  const c = onMockedClock(t, 2000);
  await c.settle();
  for (let i = 0; i < 5; i++) {
    await c.advance(1500);
    assert.equal(c.outcome(), undefined, `still configuring after ${(i + 1) * 1500} ms`);
    c.wait.noteActivity();
  }
  await c.advance(1999);
  assert.equal(c.outcome(), undefined, 'silent for less than the quiet time');
  await c.advance(1);
  assert.equal(c.outcome(), 'silent');
});

test('configurationDone before the wait starts: the wait ends at once', async () => {
  const wait = new ConfigurationWait(2000, () => 0);
  wait.markDone();
  assert.equal(await wait.wait(), 'configured');
});
