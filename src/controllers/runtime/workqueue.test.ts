// Proves the work queue's contract: a key waits once, runs on one worker at a time, comes back when dirty, and delays follow the injected clock.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ItemExponentialRateLimiter } from './rate-limiter.ts';
import { FakeClock, settle } from './testing/fake-clock.ts';
import { WorkQueue, type WorkQueueMetrics } from './workqueue.ts';

function queue(clock = new FakeClock()): { clock: FakeClock; q: WorkQueue } {
  return { clock, q: new WorkQueue({ clock, rateLimiter: new ItemExponentialRateLimiter(5, 1_000_000) }) };
}

/** Records which value a promise settled with, so a test can look without waiting. */
function track<T>(promise: Promise<T>): { settled: boolean; value: T | undefined } {
  const state: { settled: boolean; value: T | undefined } = { settled: false, value: undefined };
  void promise.then((value) => {
    state.settled = true;
    state.value = value;
  });
  return state;
}

describe('WorkQueue', () => {
  test('holds a key added twice while waiting once, and hands keys out first in first out', async () => {
    const { q } = queue();
    q.add('a');
    q.add('b');
    q.add('a');
    assert.equal(q.len(), 2, 'a is stored once');
    assert.equal(await q.get(), 'a', 'first added first');
    assert.equal(await q.get(), 'b', 'then b');
    assert.equal(q.len(), 0, 'nothing left');
  });

  test('a key added while being processed comes back once, after done', async () => {
    const { q } = queue();
    q.add('a');
    assert.equal(await q.get(), 'a', 'a handed out');
    q.add('a');
    q.add('a');
    assert.equal(q.len(), 0, 'a is not handed out while it is processed');
    const second = track(q.get());
    await settle();
    assert.equal(second.settled, false, 'a second worker does not get a');
    q.done('a');
    await settle();
    assert.equal(second.value, 'a', 'a comes back once processing is done');
    q.done('a');
    assert.equal(q.len(), 0, 'the two adds during processing gave one more run, not two');
  });

  test('a waiting worker gets the next key added', async () => {
    const { q } = queue();
    const waiting = track(q.get());
    await settle();
    assert.equal(waiting.settled, false, 'nothing to take yet');
    q.add('x');
    await settle();
    assert.equal(waiting.value, 'x', 'woken by the add');
  });

  test('addAfter adds the key when its delay has passed on the clock', async () => {
    const { clock, q } = queue();
    q.addAfter('a', 100);
    assert.equal(q.len(), 0, 'not yet');
    await clock.advance(99);
    assert.equal(q.len(), 0, 'not at 99 ms');
    await clock.advance(1);
    assert.equal(q.len(), 1, 'added at 100 ms');
    q.addAfter('b', 0);
    assert.equal(q.len(), 2, 'no delay adds at once');
  });

  test('of two pending delays for a key the earlier wins and the key is added once', async () => {
    const { clock, q } = queue();
    q.addAfter('a', 500);
    q.addAfter('a', 100);
    q.addAfter('a', 300);
    await clock.advance(100);
    assert.equal(q.len(), 1, 'added at the earliest delay');
    assert.equal(await q.get(), 'a', 'a handed out');
    q.done('a');
    await clock.advance(1000);
    assert.equal(q.len(), 0, 'the later delays were dropped');
    assert.equal(clock.pending, 0, 'no timer left behind');
  });

  test('addRateLimited backs a key off exponentially until forget', async () => {
    const { clock, q } = queue();
    const readyAfter = async (): Promise<number> => {
      let waited = 0;
      while (q.len() === 0) {
        await clock.advance(1);
        waited++;
      }
      const key = await q.get();
      if (key !== undefined) q.done(key);
      return waited;
    };
    q.addRateLimited('a');
    assert.equal(await readyAfter(), 5, 'first retry after 5 ms');
    q.addRateLimited('a');
    assert.equal(await readyAfter(), 10, 'second after 10 ms');
    q.addRateLimited('a');
    assert.equal(await readyAfter(), 20, 'third after 20 ms');
    assert.equal(q.numRequeues('a'), 3, 'three requeues counted');
    q.forget('a');
    assert.equal(q.numRequeues('a'), 0, 'forget clears them');
    q.addRateLimited('a');
    assert.equal(await readyAfter(), 5, 'back to 5 ms');
  });

  test('after shutDown, get resolves undefined, adds are ignored and delays are cancelled', async () => {
    const { clock, q } = queue();
    const waiting = track(q.get());
    await settle();
    q.addAfter('late', 50);
    q.shutDown();
    await settle();
    assert.equal(waiting.settled, true, 'a waiting worker is released');
    assert.equal(waiting.value, undefined, 'with undefined');
    q.add('a');
    assert.equal(q.len(), 0, 'adds are ignored');
    assert.equal(await q.get(), undefined, 'later gets resolve undefined');
    assert.equal(clock.pending, 0, 'the delayed add was cancelled');
    assert.equal(q.shuttingDown, true, 'reports shutting down');
  });

  test('shutDown drops keys still queued', async () => {
    const { q } = queue();
    q.add('a');
    q.add('b');
    q.shutDown();
    assert.equal(q.len(), 0, 'queued keys dropped');
    assert.equal(await q.get(), undefined, 'nothing handed out');
  });

  test('shutDownWithDrain resolves once every handed-out key is done', async () => {
    const { q } = queue();
    q.add('a');
    q.add('b');
    const a = await q.get();
    const b = await q.get();
    const drained = track(q.shutDownWithDrain());
    q.add('a');
    q.done(a ?? '');
    await settle();
    assert.equal(drained.settled, false, 'b is still being processed');
    q.done(b ?? '');
    await settle();
    assert.equal(drained.settled, true, 'drained after the last done');
    assert.equal(q.len(), 0, 'the add during shutdown did not come back');
  });

  test('shutDownWithDrain with nothing in flight resolves at once', async () => {
    const { q } = queue();
    const drained = track(q.shutDownWithDrain());
    await settle();
    assert.equal(drained.settled, true, 'nothing to wait for');
  });

  test('reports adds, retries and depth to its metrics', async () => {
    const clock = new FakeClock();
    const seen = { added: 0, retried: 0, depth: [] as number[] };
    const metrics: WorkQueueMetrics = {
      added: () => seen.added++,
      retried: () => seen.retried++,
      depth: (keys) => seen.depth.push(keys),
    };
    const q = new WorkQueue({ clock, metrics });
    q.add('a');
    q.add('a');
    q.add('b');
    assert.equal(seen.added, 2, 'a deduplicated add is not counted');
    assert.equal(seen.depth.at(-1), 2, 'two keys waiting');
    const key = await q.get();
    assert.equal(seen.depth.at(-1), 1, 'one left after a get');
    q.add(key ?? '');
    assert.equal(seen.depth.at(-1), 2, 'a dirty key in processing counts as waiting');
    q.addRateLimited('c');
    assert.equal(seen.retried, 1, 'a rate-limited add is a retry');
    await clock.advance(5);
    assert.equal(seen.added, 4, 'the retry became an add when due');
    q.shutDown();
    assert.equal(seen.depth.at(-1), 0, 'nothing waits after shutdown');
  });
});
