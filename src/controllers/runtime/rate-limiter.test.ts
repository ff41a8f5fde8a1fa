// Proves the retry delays match client-go's default controller rate limiter: per-key doubling from 5 ms to 1000 s, and a 10 qps bucket of 100.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialRateLimiter,
  MaxOfRateLimiter,
} from './rate-limiter.ts';
import { FakeClock } from './testing/fake-clock.ts';

describe('ItemExponentialRateLimiter', () => {
  test('doubles from 5 ms per failure of a key, up to 1000 s', () => {
    const limiter = new ItemExponentialRateLimiter();
    const delays = Array.from({ length: 20 }, () => limiter.when('a'));
    assert.deepEqual(
      delays.slice(0, 5),
      [5, 10, 20, 40, 80],
      'the first five retries wait 5, 10, 20, 40 and 80 ms',
    );
    assert.equal(delays[17], 655_360, 'the 18th retry waits 5·2^17 ms');
    assert.equal(delays[18], 1_000_000, 'the 19th retry reaches the 1000 s cap');
    assert.equal(delays[19], 1_000_000, 'later retries stay at the cap');
    assert.equal(limiter.numRequeues('a'), 20, 'every call counts as a requeue');
  });

  test('keeps keys apart and starts over after forget', () => {
    const limiter = new ItemExponentialRateLimiter();
    limiter.when('a');
    limiter.when('a');
    assert.equal(limiter.when('b'), 5, 'b has its own count');
    limiter.forget('a');
    assert.equal(limiter.numRequeues('a'), 0, 'forget clears the count');
    assert.equal(limiter.when('a'), 5, 'a starts over at 5 ms');
  });

  test('never overflows: a thousand failures still wait the cap', () => {
    const limiter = new ItemExponentialRateLimiter();
    let last = 0;
    for (let i = 0; i < 1000; i++) last = limiter.when('a');
    assert.equal(last, 1_000_000, 'capped, finite');
  });

  test('the n-th retry of a key waits min(cap, base·2^n) whatever other keys do', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 60 }), (keys) => {
        const limiter = new ItemExponentialRateLimiter(5, 1_000_000);
        const counts = new Map<string, number>();
        for (const key of keys) {
          const n = counts.get(key) ?? 0;
          counts.set(key, n + 1);
          assert.equal(limiter.when(key), Math.min(1_000_000, 5 * 2 ** n), `retry ${n} of ${key}`);
        }
      }),
    );
  });
});

describe('BucketRateLimiter', () => {
  test('lets a burst through at once, then spaces retries at the rate', () => {
    const clock = new FakeClock();
    const limiter = new BucketRateLimiter(clock, 10, 100);
    const burst = Array.from({ length: 100 }, (_, i) => limiter.when(`k${i}`));
    assert.ok(
      burst.every((delay) => delay === 0),
      'the first 100 retries are not delayed',
    );
    assert.equal(limiter.when('x'), 100, 'the 101st waits for the next token, 100 ms at 10 qps');
    assert.equal(limiter.when('y'), 200, 'the 102nd reserves the token after that');
  });

  test('refills at the rate, paying back reserved tokens first', async () => {
    const clock = new FakeClock();
    const limiter = new BucketRateLimiter(clock, 10, 100);
    for (let i = 0; i < 102; i++) limiter.when('k');
    await clock.advance(1000);
    const delays = Array.from({ length: 9 }, () => limiter.when('k'));
    assert.deepEqual(delays, [0, 0, 0, 0, 0, 0, 0, 0, 100], 'ten tokens came, two were owed');
  });

  test('never holds more than the burst', async () => {
    const clock = new FakeClock();
    const limiter = new BucketRateLimiter(clock, 10, 5);
    await clock.advance(3_600_000);
    const delays = Array.from({ length: 6 }, () => limiter.when('k'));
    assert.deepEqual(delays, [0, 0, 0, 0, 0, 100], 'an hour idle still allows only five at once');
  });
});

describe('default controller rate limiter', () => {
  test('takes the longer of the key backoff and the global bucket', () => {
    const clock = new FakeClock();
    const limiter = defaultControllerRateLimiter(clock);
    for (let i = 0; i < 100; i++) {
      assert.equal(limiter.when(`k${i}`), 5, `first failure of k${i} waits the 5 ms backoff`);
    }
    assert.equal(limiter.when('k100'), 100, 'the bucket is empty: a first failure waits 100 ms');
    assert.equal(limiter.numRequeues('k0'), 1, 'the key backoff counted k0');
    limiter.forget('k0');
    assert.equal(limiter.numRequeues('k0'), 0, 'forget reaches the key backoff');
  });

  test('a key failing often is held back by its own backoff', async () => {
    const clock = new FakeClock();
    const limiter = new MaxOfRateLimiter(
      new ItemExponentialRateLimiter(5, 1_000_000),
      new BucketRateLimiter(clock),
    );
    let delay = 0;
    for (let i = 0; i < 12; i++) {
      delay = limiter.when('hot');
      await clock.advance(delay);
    }
    assert.equal(delay, 5 * 2 ** 11, 'the twelfth retry waits 5·2^11 ms, longer than the bucket would');
  });
});
