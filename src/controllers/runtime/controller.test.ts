// Proves the controller's retry policy (backoff for errors, none for terminal errors, requeueAfter), one run per key at a time, event wiring and graceful stop.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LogBuffer } from '../../log/log-buffer.ts';
import { createLogger } from '../../log/logger.ts';
import { Controller, type Reconcile, type Result } from './controller.ts';
import type { EventHandler, EventSource } from './event-source.ts';
import { byOwner } from './key-mappers.ts';
import { OperatorMetrics } from './metrics.ts';
import type { ObjectLike } from './object-key.ts';
import { ItemExponentialRateLimiter } from './rate-limiter.ts';
import { TerminalError } from './terminal-error.ts';
import { FakeClock, settle } from './testing/fake-clock.ts';

/** A reconcile whose calls are recorded with the fake time they started at. */
function recorder(clock: FakeClock, respond: (key: string, call: number) => Promise<Result | undefined>) {
  const calls: { key: string; at: number }[] = [];
  const reconcile: Reconcile = (key) => {
    calls.push({ key, at: clock.now() });
    return respond(key, calls.filter((c) => c.key === key).length);
  };
  return { calls, reconcile };
}

function controllerWith(
  clock: FakeClock,
  reconcile: Reconcile,
  extra: { workers?: number; metrics?: OperatorMetrics } = {},
) {
  return new Controller({
    name: 'test',
    reconcile,
    clock,
    rateLimiter: new ItemExponentialRateLimiter(5, 1_000_000),
    ...extra,
  });
}

class FakeSource<T> implements EventSource<T> {
  readonly handlers = new Set<EventHandler<T>>();
  addEventHandler(handler: EventHandler<T>): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }
  add(object: T): void {
    for (const h of this.handlers) h.onAdd(object);
  }
  update(oldObject: T, newObject: T): void {
    for (const h of this.handlers) h.onUpdate(oldObject, newObject);
  }
  delete(object: T): void {
    for (const h of this.handlers) h.onDelete(object);
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('Controller', () => {
  test('reconciles an enqueued key and forgets its backoff on success', async () => {
    const clock = new FakeClock();
    const { calls, reconcile } = recorder(clock, async () => undefined);
    const controller = controllerWith(clock, reconcile);
    controller.start();
    controller.enqueue('prod/web');
    await settle();
    assert.deepEqual(
      calls.map((c) => c.key),
      ['prod/web'],
      'reconciled once',
    );
    assert.equal(controller.queue.numRequeues('prod/web'), 0, 'no backoff left');
    await controller.stop();
  });

  test('retries a failing key with exponential backoff, then forgets it once it succeeds', async () => {
    const clock = new FakeClock();
    const start = clock.now();
    const { calls, reconcile } = recorder(clock, async (_key, call) => {
      if (call <= 3) throw new Error('the API is unavailable');
      return undefined;
    });
    const controller = controllerWith(clock, reconcile);
    controller.start();
    controller.enqueue('prod/web');
    await clock.advance(1000);
    assert.deepEqual(
      calls.map((c) => c.at - start),
      [0, 5, 15, 35],
      'retried after 5, 10 and 20 ms',
    );
    assert.equal(controller.queue.numRequeues('prod/web'), 0, 'success forgot the failures');
    await controller.stop();
  });

  test('does not retry a terminal error until the key is added again', async () => {
    const clock = new FakeClock();
    const { calls, reconcile } = recorder(clock, async (_key, call) => {
      if (call === 1) throw new TerminalError('prefixLength 33 is out of range');
      if (call === 2) throw new Error('wrapped', { cause: new TerminalError('network not found') });
      return undefined;
    });
    const controller = controllerWith(clock, reconcile);
    controller.start();
    controller.enqueue('prod/claim');
    await clock.advance(3_600_000);
    assert.equal(calls.length, 1, 'an hour later it has not been retried');
    assert.equal(controller.queue.numRequeues('prod/claim'), 0, 'no backoff kept for it');
    controller.enqueue('prod/claim');
    await clock.advance(3_600_000);
    assert.equal(calls.length, 2, 'the next event ran it again; a terminal cause is terminal too');
    controller.enqueue('prod/claim');
    await settle();
    assert.equal(calls.length, 3, 'and again on the next event');
    await controller.stop();
  });

  test('requeueAfter runs the key again after that long, without backoff', async () => {
    const clock = new FakeClock();
    const start = clock.now();
    const { calls, reconcile } = recorder(clock, async (_key, call) =>
      call < 3 ? { requeueAfter: 30_000 } : undefined,
    );
    const controller = controllerWith(clock, reconcile);
    controller.start();
    controller.enqueue('prod/ctx');
    await clock.advance(29_999);
    assert.equal(calls.length, 1, 'not before 30 s');
    await clock.advance(120_000);
    assert.deepEqual(
      calls.map((c) => c.at - start),
      [0, 30_000, 60_000],
      'every 30 s until it stops asking',
    );
    assert.equal(controller.queue.numRequeues('prod/ctx'), 0, 'no backoff counted');
    await controller.stop();
  });

  test('requeue: true retries with the rate limiter', async () => {
    const clock = new FakeClock();
    const start = clock.now();
    const { calls, reconcile } = recorder(clock, async (_key, call) =>
      call < 3 ? { requeue: true } : undefined,
    );
    const controller = controllerWith(clock, reconcile);
    controller.start();
    controller.enqueue('k');
    await clock.advance(100);
    assert.deepEqual(
      calls.map((c) => c.at - start),
      [0, 5, 15],
      'backoff 5 then 10 ms',
    );
    await controller.stop();
  });

  test('runs different keys in parallel but never one key twice at once', async () => {
    const clock = new FakeClock();
    const gates = new Map<string, { promise: Promise<void>; resolve: () => void }>();
    let running = 0;
    let most = 0;
    const active = new Set<string>();
    const overlaps: string[] = [];
    const { calls, reconcile } = recorder(clock, async (key) => {
      if (active.has(key)) overlaps.push(key);
      active.add(key);
      running++;
      most = Math.max(most, running);
      const gate = deferred();
      gates.set(key, gate);
      await gate.promise;
      running--;
      active.delete(key);
      return undefined;
    });
    const controller = controllerWith(clock, reconcile, { workers: 3 });
    controller.start();
    for (const key of ['a', 'b', 'a', 'a']) controller.enqueue(key);
    await settle();
    assert.equal(running, 2, 'a and b run; the adds of a during its run did not start it again');
    controller.enqueue('a');
    controller.enqueue('c');
    await settle();
    assert.equal(running, 3, 'c took the third worker');
    gates.get('a')?.resolve();
    await settle();
    assert.deepEqual(overlaps, [], 'a never ran twice at once');
    assert.equal(calls.filter((c) => c.key === 'a').length, 2, 'a ran once more for the adds during its run');
    for (const gate of gates.values()) gate.resolve();
    await settle();
    for (const gate of gates.values()) gate.resolve();
    await settle();
    assert.equal(most, 3, 'three workers were used');
    assert.deepEqual(overlaps, [], 'no key ran twice at once');
    await controller.stop();
  });

  test('watch enqueues keys for adds, both sides of updates, and deletes', async () => {
    const clock = new FakeClock();
    const { calls, reconcile } = recorder(clock, async () => undefined);
    const controller = controllerWith(clock, reconcile);
    const claims = new FakeSource<ObjectLike>();
    const subnets = new FakeSource<ObjectLike>();
    controller.watch(claims);
    controller.watch(subnets, byOwner('SubnetClaim'));
    controller.start();
    claims.add({ metadata: { namespace: 'prod', name: 'a' } });
    await settle();
    const owned = (claim: string): ObjectLike => ({
      metadata: {
        namespace: 'prod',
        name: 'subnet',
        ownerReferences: [
          { apiVersion: 'networking.datumapis.com/v1alpha1', kind: 'SubnetClaim', name: claim, uid: claim },
        ],
      },
    });
    subnets.update(owned('b'), owned('c'));
    await settle();
    claims.delete({ metadata: { namespace: 'prod', name: 'd' } });
    await settle();
    assert.deepEqual(
      calls.map((c) => c.key).sort(),
      ['prod/a', 'prod/b', 'prod/c', 'prod/d'],
      'each event mapped to its keys',
    );
    await controller.stop();
    assert.equal(claims.handlers.size + subnets.handlers.size, 0, 'stop removed the handlers');
  });

  test('stop takes no more keys, aborts the running reconcile’s signal and waits for it', async () => {
    const clock = new FakeClock();
    const gate = deferred();
    let aborted = false;
    const { calls, reconcile } = recorder(clock, async () => undefined);
    const controller = controllerWith(clock, async (key, signal) => {
      await reconcile(key, signal);
      if (key !== 'slow') return undefined;
      signal.addEventListener('abort', () => {
        aborted = true;
      });
      await gate.promise;
      return undefined;
    });
    controller.start();
    controller.enqueue('slow');
    await settle();
    let stopped = false;
    const stopping = controller.stop().then(() => {
      stopped = true;
    });
    controller.enqueue('later');
    await settle();
    assert.equal(aborted, true, 'the in-flight reconcile was told to stop');
    assert.equal(stopped, false, 'stop waits for it');
    gate.resolve();
    await stopping;
    assert.equal(stopped, true, 'stopped once it returned');
    assert.deepEqual(
      calls.map((c) => c.key),
      ['slow'],
      'nothing taken after stop',
    );
    assert.throws(() => controller.start(), /was stopped/, 'a stopped controller cannot start again');
  });

  test('a failure during stop is not retried', async () => {
    const clock = new FakeClock();
    const { calls, reconcile } = recorder(clock, async () => undefined);
    const controller = controllerWith(clock, async (key, signal) => {
      await reconcile(key, signal);
      await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      return undefined;
    });
    controller.start();
    controller.enqueue('k');
    await settle();
    await controller.stop();
    await clock.advance(10_000);
    assert.equal(calls.length, 1, 'not retried');
    assert.equal(clock.pending, 0, 'no retry scheduled');
  });

  test('run stops gracefully when its signal aborts', async () => {
    const clock = new FakeClock();
    const { calls, reconcile } = recorder(clock, async () => undefined);
    const controller = controllerWith(clock, reconcile);
    const abort = new AbortController();
    let done = false;
    const running = controller.run(abort.signal).then(() => {
      done = true;
    });
    controller.enqueue('a');
    await settle();
    assert.equal(calls.length, 1, 'reconciled while running');
    assert.equal(done, false, 'still running');
    abort.abort();
    await running;
    assert.equal(controller.queue.shuttingDown, true, 'queue shut down');
  });

  test('records durations by result and queue activity in its metrics, and logs failures with the key', async () => {
    const clock = new FakeClock();
    const metrics = new OperatorMetrics();
    const buffer = new LogBuffer();
    const controller = new Controller({
      name: 'subnet-claim',
      clock,
      metrics,
      logger: createLogger({ component: 'operator', buffer, now: () => clock.now() }),
      rateLimiter: new ItemExponentialRateLimiter(5, 1_000_000),
      reconcile: async (key) => {
        await new Promise<void>((resolve) => clock.after(250, resolve));
        if (key === 'bad') throw new Error('boom');
        if (key === 'user') throw new TerminalError('fix me');
        return undefined;
      },
      workers: 3,
    });
    controller.start();
    for (const key of ['ok', 'bad', 'user']) controller.enqueue(key);
    await clock.advance(252);
    await controller.stop();
    const { text } = await metrics.metricsText();
    const value = (series: string): string | undefined =>
      text
        .split('\n')
        .find((l) => l.startsWith(`${series} `))
        ?.split(' ')[1];
    assert.equal(
      value('nso_reconcile_duration_seconds_count{controller="subnet-claim",result="success"}'),
      '1',
      'one success',
    );
    assert.equal(
      value('nso_reconcile_duration_seconds_sum{controller="subnet-claim",result="success"}'),
      '0.25',
      '250 ms on the fake clock',
    );
    assert.equal(
      value('nso_reconcile_errors_total{controller="subnet-claim",result="error"}'),
      '1',
      'one transient error',
    );
    assert.equal(
      value('nso_reconcile_errors_total{controller="subnet-claim",result="terminal_error"}'),
      '1',
      'one terminal error',
    );
    assert.equal(value('nso_workqueue_adds_total{name="subnet-claim"}'), '3', 'three adds');
    assert.equal(value('nso_workqueue_retries_total{name="subnet-claim"}'), '1', 'one retry scheduled');
    const entries = buffer.lines().map((l) => JSON.parse(l.text) as Record<string, unknown>);
    const failed = entries.find((e) => e.key === 'bad');
    assert.equal(failed?.level, 'error', 'a transient failure is an error entry');
    assert.equal(failed?.controller, 'subnet-claim', 'with the controller');
    assert.equal(failed?.error, 'boom', 'and the error');
    assert.equal(entries.find((e) => e.key === 'user')?.level, 'warn', 'a terminal failure is a warning');
  });
});
