// Proves leader election on a Lease with client-go's rules: one leader at a time, renewal, release, failover by local observation, never by remote clocks.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  LeaderElector,
  type LeaseRecord,
  type LeaseSpec,
  type LeaseStore,
  microTime,
} from './leader-election.ts';
import { FakeClock } from './testing/fake-clock.ts';
import { MemoryLeaseStore } from './testing/memory-lease-store.ts';

/** The store as one candidate sees it: `cut` makes every call fail, as a network partition would. */
class Link implements LeaseStore {
  cut = false;
  constructor(private readonly store: LeaseStore) {}
  get(): Promise<LeaseRecord | undefined> {
    return this.cut ? Promise.reject(new Error('connection refused')) : this.store.get();
  }
  create(spec: LeaseSpec): Promise<LeaseRecord> {
    return this.cut ? Promise.reject(new Error('connection refused')) : this.store.create(spec);
  }
  update(spec: LeaseSpec, resourceVersion: string): Promise<LeaseRecord> {
    return this.cut
      ? Promise.reject(new Error('connection refused'))
      : this.store.update(spec, resourceVersion);
  }
}

interface Candidate {
  readonly elector: LeaderElector;
  readonly link: Link;
  readonly abort: AbortController;
  readonly run: Promise<void>;
  readonly events: string[];
  ended: boolean;
}

/** Candidates on one store and clock; `leaders` is who leads now, `overlaps` every moment two led at once. */
function cluster(clock: FakeClock, store: LeaseStore) {
  const leaders = new Set<string>();
  const overlaps: string[] = [];
  const history: { identity: string; started: number; stopped?: number }[] = [];
  const start = (identity: string): Candidate => {
    const link = new Link(store);
    const abort = new AbortController();
    const events: string[] = [];
    const elector = new LeaderElector({
      store: link,
      identity,
      clock,
      random: () => 0,
      callbacks: {
        onStartedLeading: (signal) => {
          if (leaders.size > 0) overlaps.push(`${identity} started while ${[...leaders].join(',')} led`);
          leaders.add(identity);
          const term: { identity: string; started: number; stopped?: number } = {
            identity,
            started: clock.now(),
          };
          history.push(term);
          events.push('started');
          signal.addEventListener('abort', () => {
            leaders.delete(identity);
            term.stopped = clock.now();
          });
        },
        onStoppedLeading: () => events.push('stopped'),
        onNewLeader: (leader) => events.push(`leader ${leader}`),
      },
    });
    const candidate: Candidate = {
      elector,
      link,
      abort,
      run: elector.run(abort.signal),
      events,
      ended: false,
    };
    void candidate.run.then(() => {
      candidate.ended = true;
    });
    return candidate;
  };
  return { leaders, overlaps, history, start };
}

describe('LeaderElector', () => {
  test('acquires an absent lease and writes client-go’s record', async () => {
    const clock = new FakeClock(Date.UTC(2025, 0, 1, 12, 0, 0, 123));
    const store = new MemoryLeaseStore();
    const { leaders, start } = cluster(clock, store);
    const a = start('operator-a');
    await clock.advance(0);
    assert.deepEqual([...leaders], ['operator-a'], 'a leads');
    assert.equal(a.elector.leading, true, 'a knows it leads');
    assert.deepEqual(
      store.current?.spec,
      {
        holderIdentity: 'operator-a',
        leaseDurationSeconds: 15,
        acquireTime: '2025-01-01T12:00:00.123000Z',
        renewTime: '2025-01-01T12:00:00.123000Z',
        leaseTransitions: 0,
      },
      'holder, duration, microsecond times, no transitions',
    );
    assert.deepEqual(a.events, ['leader operator-a', 'started'], 'a heard of itself as leader, then started');
    a.abort.abort();
    await a.run;
  });

  test('renews every retry period, keeping acquireTime and advancing renewTime', async () => {
    const clock = new FakeClock();
    const store = new MemoryLeaseStore();
    const { start } = cluster(clock, store);
    const a = start('a');
    await clock.advance(0);
    const acquired = store.current?.spec.acquireTime;
    await clock.advance(10_000);
    assert.equal(store.writes.length, 6, 'created, then renewed at 2, 4, 6, 8 and 10 s');
    assert.equal(store.current?.spec.acquireTime, acquired, 'acquireTime kept');
    assert.equal(store.current?.spec.renewTime, microTime(clock.now()), 'renewTime is now');
    assert.equal(store.current?.spec.leaseTransitions, 0, 'no transitions while a holds it');
    a.abort.abort();
    await a.run;
  });

  test('two candidates: exactly one leads, and the other takes over only after the leader stops renewing', async () => {
    const clock = new FakeClock();
    const store = new MemoryLeaseStore();
    const { leaders, overlaps, history, start } = cluster(clock, store);
    const a = start('a');
    const b = start('b');
    await clock.advance(60_000);
    assert.deepEqual([...leaders], ['a'], 'a, first to create, leads; b waits');
    assert.equal(b.elector.leader, 'a', 'b sees a as the holder');
    assert.ok(store.conflicts >= 1, 'b’s create lost to a’s');
    const lastRenewal = clock.now();
    a.link.cut = true;
    const took = await clock.advanceUntil(() => leaders.has('b'), 60_000);
    assert.equal(took, true, 'b took over');
    assert.deepEqual(overlaps, [], 'never two leaders at once');
    const [aTerm, bTerm] = history;
    assert.equal(aTerm?.identity, 'a', 'a led first');
    const aStopped = aTerm?.stopped ?? Number.POSITIVE_INFINITY;
    assert.ok(
      aStopped - lastRenewal <= 12_000,
      'a stopped within a retry period plus the renew deadline of its last renewal',
    );
    assert.ok(aStopped < (bTerm?.started ?? 0), 'a stopped before b started');
    assert.ok(
      (bTerm?.started ?? 0) - lastRenewal >= 15_000,
      'b waited a full lease duration after the last change',
    );
    assert.equal(store.current?.spec.holderIdentity, 'b', 'b holds the lease');
    assert.equal(store.current?.spec.leaseTransitions, 1, 'one transition');
    await clock.advance(0);
    assert.equal(a.ended, true, 'a’s run ended when it lost the lease');
    assert.deepEqual(a.events, ['leader a', 'started', 'stopped'], 'a started and stopped once');
    assert.deepEqual(b.events, ['leader a', 'leader b', 'started'], 'b heard of a, then of itself');
    b.abort.abort();
    await b.run;
  });

  test('failover round after round: a fresh candidate joins each time, and leaders never overlap', async () => {
    const clock = new FakeClock();
    const store = new MemoryLeaseStore();
    const { overlaps, history, start } = cluster(clock, store);
    const candidates = [start('c0'), start('c1')];
    for (let round = 2; round < 6; round++) {
      await clock.advance(30_000);
      const leader = candidates.find((c) => c.elector.leading);
      assert.ok(leader, `someone leads before round ${round}`);
      leader.link.cut = true;
      await clock.advanceUntil(() => leader.ended, 60_000);
      candidates.push(start(`c${round}`));
    }
    await clock.advance(30_000);
    assert.deepEqual(overlaps, [], 'never two leaders at once');
    assert.equal(history.length, 5, 'leadership changed hands four times');
    assert.equal(new Set(history.map((h) => h.identity)).size, 5, 'each time to a different candidate');
    assert.equal(store.current?.spec.leaseTransitions, 4, 'four transitions recorded');
    for (const c of candidates) c.abort.abort();
    await Promise.all(candidates.map((c) => c.run));
  });

  test('stopping releases the lease so the other candidate takes it at its next attempt', async () => {
    const clock = new FakeClock();
    const store = new MemoryLeaseStore();
    const { leaders, overlaps, start } = cluster(clock, store);
    const a = start('a');
    await clock.advance(0);
    const b = start('b');
    await clock.advance(10_000);
    a.abort.abort();
    await a.run;
    assert.equal(store.current?.spec.holderIdentity, '', 'holderIdentity cleared');
    assert.equal(
      store.current?.spec.leaseDurationSeconds,
      1,
      'a one-second lease left behind, as client-go does',
    );
    assert.deepEqual(a.events.slice(-1), ['stopped'], 'a was told it stopped');
    await clock.advance(2_000);
    assert.deepEqual([...leaders], ['b'], 'b leads within one retry period, not a lease duration');
    assert.equal(store.current?.spec.leaseTransitions, 1, 'one transition');
    assert.deepEqual(overlaps, [], 'never two leaders at once');
    b.abort.abort();
    await b.run;
  });

  test('judges expiry by when it saw the record change, not by the holder’s renewTime', async () => {
    const clock = new FakeClock();
    const store = new MemoryLeaseStore();
    const ahead = microTime(clock.now() + 3_600_000);
    await store.create({
      holderIdentity: 'ghost',
      leaseDurationSeconds: 15,
      renewTime: ahead,
      acquireTime: ahead,
    });
    const { leaders, start } = cluster(clock, store);
    const b = start('b');
    await clock.advance(14_000);
    assert.equal(leaders.size, 0, 'not before 15 s of no change');
    await clock.advance(2_000);
    assert.deepEqual(
      [...leaders],
      ['b'],
      'taken once unchanged for the lease duration, despite a renewTime an hour ahead',
    );
    assert.equal(store.current?.spec.leaseTransitions, 1, 'a transition from ghost');
    b.abort.abort();
    await b.run;
  });

  test('a holder that keeps renewing keeps the lease even if its renewTime looks stale', async () => {
    const clock = new FakeClock();
    const store = new MemoryLeaseStore();
    const behind = microTime(clock.now() - 3_600_000);
    let record = await store.create({ holderIdentity: 'ghost', leaseDurationSeconds: 15, renewTime: behind });
    const { leaders, start } = cluster(clock, store);
    const b = start('b');
    for (let i = 0; i < 30; i++) {
      await clock.advance(5_000);
      record = await store.update({ ...record.spec, renewTime: behind }, record.resourceVersion);
    }
    assert.equal(leaders.size, 0, 'b never took a lease whose record kept changing');
    assert.equal(store.current?.spec.holderIdentity, 'ghost', 'ghost still holds it');
    b.abort.abort();
    await b.run;
    assert.equal(b.events.includes('leader ghost'), true, 'b reported ghost as the leader');
  });

  test('a leader whose renewals hang stops leading at the renew deadline', async () => {
    const clock = new FakeClock();
    const store = new MemoryLeaseStore();
    let hang = false;
    const hanging: LeaseStore = {
      get: () => (hang ? new Promise(() => {}) : store.get()),
      create: (spec) => store.create(spec),
      update: (spec, rv) => (hang ? new Promise(() => {}) : store.update(spec, rv)),
    };
    const { leaders, history } = cluster(clock, store);
    const abort = new AbortController();
    const elector = new LeaderElector({
      store: hanging,
      identity: 'a',
      clock,
      random: () => 0,
      callbacks: {
        onStartedLeading: (signal) => {
          leaders.add('a');
          history.push({ identity: 'a', started: clock.now() });
          signal.addEventListener('abort', () => leaders.delete('a'));
        },
      },
    });
    const run = elector.run(abort.signal);
    await clock.advance(4_000);
    const lastRenewal = clock.now();
    hang = true;
    await clock.advance(9_000);
    assert.equal(leaders.has('a'), true, 'still leading before the deadline');
    await clock.advance(4_000);
    assert.equal(leaders.has('a'), false, 'stopped by 10 s after the first hanging renewal');
    assert.ok(clock.now() - lastRenewal <= 14_000, 'well before another candidate could take over at 15 s');
    await clock.advance(2_000);
    await run;
  });

  test('a leader that sees another holder stops at once rather than waiting for the deadline', async () => {
    const clock = new FakeClock();
    const store = new MemoryLeaseStore();
    const { leaders, start } = cluster(clock, store);
    const a = start('a');
    await clock.advance(0);
    const current = store.current;
    assert.ok(current, 'a created the lease');
    await store.update({ ...current.spec, holderIdentity: 'intruder' }, current.resourceVersion);
    await clock.advance(2_000);
    assert.equal(leaders.size, 0, 'a stopped leading at its next renewal');
    assert.equal(
      store.current?.spec.holderIdentity,
      'intruder',
      'a did not release a lease it no longer holds',
    );
    assert.deepEqual(
      a.events.slice(-2),
      ['leader intruder', 'stopped'],
      'a reported the new holder and stopped',
    );
  });

  test('stopping before it ever led ends the campaign without leading', async () => {
    const clock = new FakeClock();
    const store = new MemoryLeaseStore();
    await store.create({ holderIdentity: 'other', leaseDurationSeconds: 15 });
    const { start } = cluster(clock, store);
    const b = start('b');
    await clock.advance(3_000);
    b.abort.abort();
    await b.run;
    assert.deepEqual(b.events, ['leader other'], 'never started or stopped leading');
    assert.equal(store.current?.spec.holderIdentity, 'other', 'the lease untouched');
  });

  test('refuses timings client-go refuses', () => {
    const base = {
      store: new MemoryLeaseStore(),
      identity: 'a',
      callbacks: { onStartedLeading: () => undefined },
    };
    assert.throws(
      () => new LeaderElector({ ...base, leaseDurationMs: 10_000, renewDeadlineMs: 10_000 }),
      /leaseDuration must be greater than renewDeadline/,
      'lease not longer than the deadline',
    );
    assert.throws(
      () => new LeaderElector({ ...base, renewDeadlineMs: 2_000, retryPeriodMs: 2_000 }),
      /renewDeadline must be greater than retryPeriod/,
      'deadline too short for the jittered retry',
    );
    assert.throws(
      () => new LeaderElector({ ...base, identity: '' }),
      /non-empty identity/,
      'an identity is needed',
    );
  });
});
