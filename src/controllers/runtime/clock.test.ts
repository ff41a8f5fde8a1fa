// Proves sleep follows the injected clock and gives up its timer when aborted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sleep } from './clock.ts';
import { FakeClock } from './testing/fake-clock.ts';

test('sleep resolves true once the clock has moved on by the delay', async () => {
  const clock = new FakeClock();
  let woke: boolean | undefined;
  void sleep(clock, 1000).then((value) => {
    woke = value;
  });
  await clock.advance(999);
  assert.equal(woke, undefined, 'still asleep at 999 ms');
  await clock.advance(1);
  assert.equal(woke, true, 'awake at 1000 ms');
});

test('sleep resolves false on abort, or at once if already aborted, and leaves no timer', async () => {
  const clock = new FakeClock();
  const abort = new AbortController();
  const sleeping = sleep(clock, 1000, abort.signal);
  abort.abort();
  assert.equal(await sleeping, false, 'aborted');
  assert.equal(clock.pending, 0, 'its timer was cancelled');
  assert.equal(await sleep(clock, 1000, abort.signal), false, 'an aborted signal does not sleep');
  assert.equal(clock.pending, 0, 'and schedules nothing');
});
