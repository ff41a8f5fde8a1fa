// Proves events are written as Kubernetes writes core/v1 Events, and that repeats within ten minutes bump one Event's count instead of piling up.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StatusError } from '../../api/status-error.ts';
import { LogBuffer } from '../../log/log-buffer.ts';
import { createLogger } from '../../log/logger.ts';
import { type CoreEvent, type EventPatch, EventRecorder, type EventSink } from './event-recorder.ts';
import { FakeClock } from './testing/fake-clock.ts';

class MemorySink implements EventSink {
  readonly events = new Map<string, CoreEvent>();
  readonly calls: string[] = [];
  failNext: unknown;

  async create(event: CoreEvent): Promise<CoreEvent> {
    this.calls.push(`create ${event.metadata.name}`);
    this.#maybeFail();
    const key = `${event.metadata.namespace}/${event.metadata.name}`;
    if (this.events.has(key))
      throw new StatusError(409, 'AlreadyExists', `events "${event.metadata.name}" already exists`);
    this.events.set(key, event);
    return event;
  }

  async patch(namespace: string, name: string, patch: EventPatch): Promise<CoreEvent> {
    this.calls.push(`patch ${name} count=${patch.count}`);
    this.#maybeFail();
    const existing = this.events.get(`${namespace}/${name}`);
    if (existing === undefined) throw new StatusError(404, 'NotFound', `events "${name}" not found`);
    const patched = { ...existing, ...patch };
    this.events.set(`${namespace}/${name}`, patched);
    return patched;
  }

  #maybeFail(): void {
    const error = this.failNext;
    this.failNext = undefined;
    if (error !== undefined) throw error;
  }
}

const claim = {
  apiVersion: 'networking.datumapis.com/v1alpha1',
  kind: 'SubnetClaim',
  metadata: { namespace: 'prod', name: 'web-tier-subnet-claim', uid: 'uid-1', resourceVersion: '42' },
};

function setup(start = Date.UTC(2025, 5, 1, 8, 30, 15, 250)) {
  const clock = new FakeClock(start);
  const sink = new MemorySink();
  let n = 0;
  const buffer = new LogBuffer();
  const recorder = new EventRecorder({
    sink,
    component: 'network-services-operator',
    instance: 'operator-7f9c',
    clock,
    suffix: () => (++n).toString(16).padStart(16, '0'),
    logger: createLogger({ component: 'operator', buffer }),
  });
  return { clock, sink, recorder, buffer, events: () => [...sink.events.values()] };
}

describe('EventRecorder', () => {
  test('creates a core/v1 Event named after the object with a hex suffix', async () => {
    const { recorder, events } = setup();
    await recorder.record(
      claim,
      'Warning',
      'InsufficientCapacity',
      'no free /24 in app-network: largest free is /25',
    );
    assert.deepEqual(
      events(),
      [
        {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name: 'web-tier-subnet-claim.0000000000000001', namespace: 'prod' },
          involvedObject: {
            apiVersion: 'networking.datumapis.com/v1alpha1',
            kind: 'SubnetClaim',
            namespace: 'prod',
            name: 'web-tier-subnet-claim',
            uid: 'uid-1',
            resourceVersion: '42',
          },
          reason: 'InsufficientCapacity',
          message: 'no free /24 in app-network: largest free is /25',
          type: 'Warning',
          source: { component: 'network-services-operator', host: 'operator-7f9c' },
          firstTimestamp: '2025-06-01T08:30:15Z',
          lastTimestamp: '2025-06-01T08:30:15Z',
          count: 1,
          reportingComponent: 'network-services-operator',
          reportingInstance: 'operator-7f9c',
        },
      ],
      'every field as Kubernetes writes it; timestamps to the second',
    );
  });

  test('a repeat within ten minutes of the last one patches the count and lastTimestamp', async () => {
    const { clock, sink, recorder, events } = setup();
    await recorder.record(claim, 'Warning', 'InsufficientCapacity', 'no room');
    await clock.advance(9 * 60_000);
    await recorder.record(claim, 'Warning', 'InsufficientCapacity', 'no room');
    await clock.advance(9 * 60_000);
    await recorder.record(claim, 'Warning', 'InsufficientCapacity', 'no room');
    const [event] = events();
    assert.equal(events().length, 1, 'one Event');
    assert.equal(event?.count, 3, 'seen three times');
    assert.equal(event?.firstTimestamp, '2025-06-01T08:30:15Z', 'first time kept');
    assert.equal(event?.lastTimestamp, '2025-06-01T08:48:15Z', 'last time moved on');
    assert.deepEqual(
      sink.calls,
      [
        'create web-tier-subnet-claim.0000000000000001',
        'patch web-tier-subnet-claim.0000000000000001 count=2',
        'patch web-tier-subnet-claim.0000000000000001 count=3',
      ],
      'one create, then patches',
    );
  });

  test('after ten quiet minutes, or with another reason, message, type or object, a new Event is created', async () => {
    const { clock, recorder, events } = setup();
    await recorder.record(claim, 'Warning', 'InsufficientCapacity', 'no room');
    await clock.advance(10 * 60_000 + 1);
    await recorder.record(claim, 'Warning', 'InsufficientCapacity', 'no room');
    await recorder.record(claim, 'Warning', 'InsufficientCapacity', 'still no room');
    await recorder.record(claim, 'Normal', 'InsufficientCapacity', 'still no room');
    await recorder.record(claim, 'Normal', 'Allocated', 'still no room');
    await recorder.record(
      { ...claim, metadata: { ...claim.metadata, uid: 'uid-2' } },
      'Normal',
      'Allocated',
      'still no room',
    );
    assert.equal(events().length, 6, 'six distinct Events');
    assert.ok(
      events().every((e) => e.count === 1),
      'none aggregated',
    );
  });

  test('repeats recorded at once are written one after another: one create, then patches', async () => {
    const { sink, recorder, events } = setup();
    await Promise.all(
      Array.from({ length: 4 }, () => recorder.record(claim, 'Normal', 'Allocated', 'allocated')),
    );
    assert.equal(events().length, 1, 'one Event');
    assert.equal(events()[0]?.count, 4, 'counted four times');
    assert.equal(sink.calls.filter((c) => c.startsWith('create')).length, 1, 'created once');
  });

  test('if the Event expired from the API, the next repeat creates a fresh one', async () => {
    const { clock, sink, recorder, events } = setup();
    await recorder.record(claim, 'Normal', 'Allocated', 'allocated');
    sink.events.clear();
    await clock.advance(60_000);
    await recorder.record(claim, 'Normal', 'Allocated', 'allocated');
    assert.equal(events().length, 1, 'a new Event');
    assert.equal(events()[0]?.metadata.name, 'web-tier-subnet-claim.0000000000000002', 'with a new name');
    assert.equal(events()[0]?.count, 1, 'counting from one');
  });

  test('a failing sink is logged, never thrown, and the next repeat still aggregates', async () => {
    const { sink, recorder, buffer, events } = setup();
    sink.failNext = new StatusError(503, 'ServiceUnavailable', 'etcd is down');
    await recorder.record(claim, 'Normal', 'Allocated', 'allocated');
    assert.equal(events().length, 0, 'nothing written');
    const logged = buffer.lines().map((l) => JSON.parse(l.text) as { msg: string; error: string });
    assert.deepEqual(
      logged.map((l) => [l.msg, l.error]),
      [['could not create event', 'etcd is down']],
      'the failure is logged',
    );
    await recorder.record(claim, 'Normal', 'Allocated', 'allocated');
    sink.failNext = new StatusError(503, 'ServiceUnavailable', 'etcd is down');
    await recorder.record(claim, 'Normal', 'Allocated', 'allocated');
    await recorder.record(claim, 'Normal', 'Allocated', 'allocated');
    assert.equal(events().length, 1, 'a failed patch did not create another Event');
    assert.equal(events()[0]?.count, 2, 'the failed repeat was dropped, the next one counted');
  });

  test('cuts messages to 1024 bytes without splitting a character', async () => {
    const { recorder, events } = setup();
    await recorder.record(claim, 'Warning', 'Overlaps', `${'a'.repeat(1022)}€€`);
    const message = events()[0]?.message ?? '';
    assert.equal(Buffer.byteLength(message), 1022, 'the euro sign that would cross 1024 bytes is left out');
    assert.equal(message, 'a'.repeat(1022), 'whole characters only');
  });

  test('an event about a cluster-scoped object lives in the default namespace', async () => {
    const { recorder, events } = setup();
    await recorder.record(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod' } },
      'Normal',
      'Ready',
      'ok',
    );
    assert.equal(events()[0]?.metadata.namespace, 'default', 'default namespace');
    assert.equal(events()[0]?.involvedObject.namespace, undefined, 'the reference has no namespace');
  });

  test('forgets the least recently seen event past the cache size', async () => {
    const sink = new MemorySink();
    const recorder = new EventRecorder({ sink, component: 'nso', cacheSize: 2 });
    for (const reason of ['A', 'B', 'A', 'C', 'A', 'B']) await recorder.record(claim, 'Normal', reason, 'm');
    const counts = [...sink.events.values()].map((e) => `${e.reason}=${e.count}`).sort();
    assert.deepEqual(
      counts,
      ['A=3', 'B=1', 'B=1', 'C=1'],
      'A stayed cached by use; B was forgotten when C came',
    );
  });

  test('by default names carry a random 16-digit hex suffix', async () => {
    const sink = new MemorySink();
    const recorder = new EventRecorder({ sink, component: 'nso' });
    await recorder.record(claim, 'Normal', 'A', 'one');
    await recorder.record(claim, 'Normal', 'B', 'two');
    const names = [...sink.events.values()].map((e) => e.metadata.name);
    for (const name of names)
      assert.match(name, /^web-tier-subnet-claim\.[0-9a-f]{16}$/, `${name} is <object>.<hex>`);
    assert.notEqual(names[0], names[1], 'distinct names');
  });
});
