// The Storage contract (src/storage/storage.ts) as one suite that every backend runs unchanged.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  type KeyValue,
  type Storage,
  StorageError,
  type StorageErrorCode,
  type WatchEvent,
} from '../../src/storage/storage.ts';
import { seededRandom } from '../support/seeded-random.ts';

/** A backend under test: the Storage contract plus a hook that breaks every open watch stream. */
export type StorageUnderTest = Storage & { cutWatches(): void };

export interface ConformanceOptions {
  /** Multiplies the large counts (10,000 writes, 100,000 keys, property runs); 1 is the scale. */
  readonly scale?: number;
}

const WAIT_MS = 20_000;

/**
 * Registers the conformance tests for one backend. `open` must return an empty store of its own each time;
 * every test closes the store it opened.
 */
export function storageConformance(
  name: string,
  open: () => Promise<StorageUnderTest>,
  options: ConformanceOptions = {},
): void {
  const scale = options.scale ?? 1;
  const scaled = (count: number, minimum: number): number => Math.max(minimum, Math.round(count * scale));
  const timeout = 600_000 * Math.max(1, scale);

  const withStore = async (body: (store: StorageUnderTest) => Promise<void>): Promise<void> => {
    const store = await open();
    try {
      const { items } = await store.list('');
      assert.deepEqual(items.map(showKv), [], 'open() must return an empty store');
      await body(store);
    } finally {
      await store.close();
    }
  };

  describe(`storage conformance: ${name}`, { timeout }, () => {
    test('create, get and update are compare-and-swap on modRevision', () =>
      withStore(async (store) => {
        const before = await store.currentRevision();
        assert.ok(before >= 1, `the current revision is at least 1, got ${before}`);
        assert.equal(await store.get('/crud/a'), undefined);

        const one = await store.create('/crud/a', bytes('one'));
        assert.ok(one.modRevision > before, `a write's revision ${one.modRevision} follows ${before}`);
        assert.equal(showKv(one), showKv(kv('/crud/a', 'one', one.modRevision, one.modRevision)));
        assert.ok(
          (await store.currentRevision()) >= one.modRevision,
          'the current revision includes the write',
        );
        assert.equal(showKv(await store.get('/crud/a')), showKv(one));

        const exists = await failure(store.create('/crud/a', bytes('other')), 'KeyExists');
        assert.equal(showKv(exists.current), showKv(one));

        const two = await store.update('/crud/a', bytes('two'), one.modRevision);
        assert.ok(two.modRevision > one.modRevision, 'an update gets a later revision');
        assert.equal(showKv(two), showKv(kv('/crud/a', 'two', one.modRevision, two.modRevision)));

        const stale = await failure(store.update('/crud/a', bytes('three'), one.modRevision), 'Conflict');
        assert.equal(showKv(stale.current), showKv(two));
        const ahead = await failure(store.update('/crud/a', bytes('three'), two.modRevision + 1), 'Conflict');
        assert.equal(showKv(ahead.current), showKv(two));
        await failure(store.update('/crud/missing', bytes('x'), two.modRevision), 'KeyNotFound');

        assert.equal(showKv(await store.get('/crud/a')), showKv(two));
        assert.equal(showKv(await store.get('/crud/a', { revision: one.modRevision })), showKv(one));
        assert.equal(await store.get('/crud/a', { revision: before }), undefined);
      }));

    test('values are opaque bytes, copied in and out: empty, binary and offset views', () =>
      withStore(async (store) => {
        const input = bytes('hello');
        const created = await store.create('/v/a', input);
        input[0] = 0x4a;
        created.value[1] = 0x45;
        const got = await store.get('/v/a');
        assert.equal(show(got!.value), show(bytes('hello')));
        got!.value[2] = 0;
        (await store.list('/v/'))!.items[0]!.value[3] = 0;
        assert.equal(show((await store.get('/v/a'))!.value), show(bytes('hello')));

        const backing = Buffer.from('xxworldxx');
        await store.create('/v/view', backing.subarray(2, 7));
        assert.equal(show((await store.get('/v/view'))!.value), show(bytes('world')));

        const empty = await store.create('/v/empty', new Uint8Array(0));
        assert.equal((await store.get('/v/empty'))?.value.length, 0);
        const binary = Uint8Array.from({ length: 256 }, (_, i) => i);
        await store.update('/v/empty', binary, empty.modRevision);
        assert.equal(show((await store.get('/v/empty'))!.value), show(binary));
        assert.deepEqual(
          (await store.list('/v/')).items.map((item) => item.key),
          ['/v/a', '/v/empty', '/v/view'],
        );
      }));

    test('delete honours its precondition and returns the last value at the deletion revision', () =>
      withStore(async (store) => {
        const one = await store.create('/del/k', bytes('one'));
        const two = await store.update('/del/k', bytes('two'), one.modRevision);

        const conflict = await failure(store.delete('/del/k', one.modRevision), 'Conflict');
        assert.equal(showKv(conflict.current), showKv(two));
        assert.equal(showKv(await store.get('/del/k')), showKv(two));

        const deleted = await store.delete('/del/k', two.modRevision);
        assert.ok(deleted.modRevision > two.modRevision, 'a delete gets a later revision');
        assert.equal(showKv(deleted), showKv(kv('/del/k', 'two', one.modRevision, deleted.modRevision)));
        assert.equal(await store.get('/del/k'), undefined);
        assert.equal(showKv(await store.get('/del/k', { revision: two.modRevision })), showKv(two));

        await failure(store.delete('/del/k'), 'KeyNotFound');
        await failure(store.delete('/del/k', two.modRevision), 'KeyNotFound');
        await failure(store.update('/del/k', bytes('x'), two.modRevision), 'KeyNotFound');

        const again = await store.create('/del/k', bytes('again'));
        assert.ok(again.createRevision > deleted.modRevision, 'a re-created key starts a new incarnation');
        await failure(store.update('/del/k', bytes('x'), two.modRevision), 'Conflict');
        const unconditional = await store.delete('/del/k');
        assert.equal(
          showKv(unconditional),
          showKv(kv('/del/k', 'again', again.modRevision, unconditional.modRevision)),
        );
      }));

    test('concurrent creates and conditional deletes of one key: exactly one wins', () =>
      withStore(async (store) => {
        const contenders = 12;
        const creates = await Promise.allSettled(
          range(contenders).map((i) => store.create('/race/k', bytes(`c${i}`))),
        );
        const created = fulfilled(creates);
        assert.equal(created.length, 1, 'exactly one create wins');
        for (const error of rejected(creates)) {
          assert.equal(codeOf(error), 'KeyExists');
          assert.equal(showKv((error as StorageError).current), showKv(created[0]));
        }

        const winner = created[0]!;
        const deletes = await Promise.allSettled(
          range(contenders).map(() => store.delete('/race/k', winner.modRevision)),
        );
        assert.equal(fulfilled(deletes).length, 1, 'exactly one conditional delete wins');
        assert.deepEqual(
          rejected(deletes).map(codeOf),
          range(contenders - 1).map(() => 'KeyNotFound'),
        );
        assert.equal(await store.get('/race/k'), undefined);
      }));

    test('concurrent compare-and-swap updaters: exactly one wins per revision, losers see Conflict', () =>
      withStore(async (store) => {
        const workers = 8;
        const perWorker = scaled(25, 3);
        const key = '/cas/counter';
        const start = await store.create(key, bytes('0'));
        const wins: { expected: number; revision: number; value: number }[] = [];
        let conflicts = 0;
        await Promise.all(
          range(workers).map(async () => {
            for (let done = 0; done < perWorker; ) {
              const read = await store.get(key);
              assert.ok(read, 'the counter exists');
              const value = Number(text(read.value)) + 1;
              try {
                const written = await store.update(key, bytes(String(value)), read.modRevision);
                wins.push({ expected: read.modRevision, revision: written.modRevision, value });
                done++;
              } catch (error) {
                assert.equal(codeOf(error), 'Conflict');
                const current = (error as StorageError).current;
                assert.ok(
                  current && current.modRevision > read.modRevision,
                  'Conflict carries a newer value',
                );
                assert.ok(Number(text(current.value)) >= value, 'the newer value includes a newer increment');
                conflicts++;
              }
            }
          }),
        );
        assert.ok(conflicts > 0, 'the updaters never raced, so this run proved nothing');
        wins.sort((a, b) => a.revision - b.revision);
        assert.equal(wins.length, workers * perWorker);
        let previous = start.modRevision;
        for (const [i, win] of wins.entries()) {
          assert.equal(win.expected, previous, `win ${i} was based on the revision the previous win wrote`);
          assert.equal(win.value, i + 1);
          previous = win.revision;
        }
        const final = await store.get(key);
        assert.equal(final && text(final.value), String(workers * perWorker));
        assert.equal(final?.modRevision, previous);
      }));

    test('revisions strictly increase in commit order across concurrent writers and readers', () =>
      withStore(async (store) => {
        const writers = 8;
        const perWriter = scaled(120, 10);
        let clock = 0;
        const writes: Timed[] = [];
        const reads: Timed[] = [];
        const write = async (writer: number): Promise<void> => {
          const revisions = new Map<string, number>();
          for (let i = 0; i < perWriter; i++) {
            const key = `/order/${writer}/${i % 7}`;
            const previous = revisions.get(key);
            const started = clock++;
            const result =
              previous === undefined
                ? await store.create(key, bytes(`${i}`))
                : await store.update(key, bytes(`${i}`), previous);
            writes.push({ started, ended: clock++, revision: result.modRevision });
            revisions.set(key, result.modRevision);
          }
        };
        const read = async (): Promise<void> => {
          for (let i = 0; i < perWriter; i++) {
            const started = clock++;
            const revision = i % 2 ? await store.currentRevision() : (await store.list('/order/')).revision;
            reads.push({ started, ended: clock++, revision });
          }
        };
        await Promise.all([...range(writers).map(write), read(), read()]);

        assert.equal(
          new Set(writes.map((w) => w.revision)).size,
          writes.length,
          'every write has its own revision',
        );
        for (const earlier of writes) {
          for (const later of writes) {
            if (earlier.ended < later.started && later.revision <= earlier.revision) {
              assert.fail(
                `a write started after one acknowledged at ${earlier.revision} got ${later.revision}`,
              );
            }
          }
          for (const later of reads) {
            if (earlier.ended < later.started && later.revision < earlier.revision) {
              assert.fail(
                `a read started after a write acknowledged at ${earlier.revision} saw ${later.revision}`,
              );
            }
          }
        }
      }));

    test('list returns exactly the keys under the prefix, in UTF-8 byte order', () =>
      withStore(async (store) => {
        const keys = [
          '/p/a',
          '/p/a/x',
          '/p/ab',
          '/p/a0',
          '/p/b',
          '/p/_',
          '/p/%',
          '/p/\u007f',
          '/p/\u007fz',
          '/p/\u0080',
          '/p/é',
          '/p/中',
          '/p/😀',
          '/p/\uff61',
          '/p',
          '/pq',
          '/o/a',
          '/q/a',
        ];
        for (const key of shuffle(keys, 7)) await store.create(key, bytes(key));
        const written = await store.currentRevision();
        for (const prefix of [
          '',
          '/p/',
          '/p/a',
          '/p/a/',
          '/p/_',
          '/p/%',
          '/p/\u007f',
          '/p/😀',
          '/p',
          '/none/',
        ]) {
          const listed = await store.list(prefix);
          assert.ok(listed.revision >= written, 'a list reads at or after the last write');
          assert.deepEqual(
            listed.items.map((item) => item.key),
            keys.filter((key) => key.startsWith(prefix)).sort(byUtf8),
            `list ${JSON.stringify(prefix)}`,
          );
          assert.equal(listed.continue, undefined);
          assert.equal(listed.remaining, 0);
          for (const item of listed.items) assert.equal(text(item.value), item.key);
        }
      }));

    test('list pages with continue tokens at one revision and counts the remaining keys', () =>
      withStore(async (store) => {
        const keys = range(10).map((i) => `/page/${i}`);
        for (const key of keys) await store.create(key, bytes(key));
        const snapshot = await store.list('/page/');

        const pages: ListPage[] = [];
        let page = await store.list('/page/', { limit: 3 });
        pages.push(page);
        await store.delete('/page/4');
        await store.update('/page/8', bytes('changed'), snapshot.items[8]!.modRevision);
        await store.create('/page/55', bytes('new'));
        while (page.continue !== undefined) {
          page = await store.list('/page/', { limit: 3, continue: page.continue });
          pages.push(page);
        }
        assert.deepEqual(
          pages.map((p) => [p.items.length, p.remaining, p.continue !== undefined]),
          [
            [3, 7, true],
            [3, 4, true],
            [3, 1, true],
            [1, 0, false],
          ],
        );
        for (const p of pages)
          assert.equal(p.revision, pages[0]!.revision, 'every page is read at one revision');
        assert.deepEqual(
          pages.flatMap((p) => p.items.map(showKv)),
          snapshot.items.map(showKv),
          'the pages add up to the list at their revision',
        );

        const whole = await store.list('/page/', { limit: 10 });
        assert.deepEqual([whole.items.length, whole.remaining, whole.continue], [10, 0, undefined]);
        const past = await store.list('/page/', { limit: 20, revision: snapshot.revision });
        assert.deepEqual(past.items.map(showKv), snapshot.items.map(showKv));
        assert.equal(past.revision, snapshot.revision);
      }));

    test('a continue token is bound to its prefix, and a malformed one is InvalidContinue', () =>
      withStore(async (store) => {
        for (const key of ['/t/a', '/t/b', '/u/a', '/u/b']) await store.create(key, bytes(key));
        const page = await store.list('/t/', { limit: 1 });
        assert.ok(page.continue, 'a first page of a longer list has a continue token');
        await failure(store.list('/u/', { continue: page.continue }), 'InvalidContinue');
        await failure(store.list('/t/', { continue: 'not a token' }), 'InvalidContinue');
        await failure(store.list('/t/', { continue: '' }), 'InvalidContinue');
        const next = await store.list('/t/', { continue: page.continue });
        assert.deepEqual(
          next.items.map((item) => item.key),
          ['/t/b'],
        );
      }));

    test('random histories match a model: every result and error, every past revision, the watch log', async () => {
      const keys = ['/m/a', '/m/ab', '/m/b', '/m/b/c', '/n/a'];
      const key = fc.constantFrom(...keys);
      const value = fc.uint8Array({ maxLength: 6 });
      const skew = fc.constantFrom(0, 0, -1, 1);
      const operation = fc.oneof(
        fc.record({ kind: fc.constant('create' as const), key, value }),
        fc.record({ kind: fc.constant('update' as const), key, value, skew }),
        fc.record({ kind: fc.constant('delete' as const), key, skew: fc.option(skew, { nil: undefined }) }),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 30 }), fc.nat(), (operations, pick) =>
          withStore(async (store) => {
            const start = await store.currentRevision();
            const state = new Map<string, KeyValue>();
            const snapshots = [{ revision: start, state: new Map(state) }];
            const events: { revision: number; key: string; line: string }[] = [];
            let last = start;
            for (const op of operations) {
              const current = state.get(op.key);
              let written: KeyValue;
              let line: string;
              if (op.kind === 'create') {
                if (current) {
                  const error = await failure(store.create(op.key, op.value), 'KeyExists');
                  assert.equal(showKv(error.current), showKv(current));
                  continue;
                }
                const result = await store.create(op.key, op.value);
                written = {
                  key: op.key,
                  value: op.value,
                  createRevision: result.modRevision,
                  modRevision: result.modRevision,
                };
                line = `ADDED ${showKv(written)}`;
                assert.equal(showKv(result), showKv(written));
              } else {
                const base = current?.modRevision ?? last + 1;
                const expected = op.skew === undefined ? undefined : base + op.skew;
                const call = (): Promise<KeyValue> =>
                  op.kind === 'update'
                    ? store.update(op.key, op.value, expected!)
                    : store.delete(op.key, expected);
                if (!current) {
                  await failure(call(), 'KeyNotFound');
                  continue;
                }
                if (op.skew !== undefined && op.skew !== 0) {
                  const error = await failure(call(), 'Conflict');
                  assert.equal(showKv(error.current), showKv(current));
                  continue;
                }
                const result = await call();
                written =
                  op.kind === 'update'
                    ? { ...current, value: op.value, modRevision: result.modRevision }
                    : { ...current, modRevision: result.modRevision };
                line = `${op.kind === 'update' ? 'MODIFIED' : 'DELETED'} ${showKv(written)} prev ${showKv(current)}`;
                assert.equal(showKv(result), showKv(written));
              }
              assert.ok(written.modRevision > last, `revision ${written.modRevision} follows ${last}`);
              last = written.modRevision;
              if (op.kind === 'delete') state.delete(op.key);
              else state.set(op.key, written);
              snapshots.push({ revision: last, state: new Map(state) });
              events.push({ revision: last, key: op.key, line });
            }

            for (const snapshot of snapshots) {
              for (const prefix of ['', '/m/', '/m/a', '/m/b/']) {
                const listed = await store.list(prefix, { revision: snapshot.revision });
                assert.equal(listed.revision, snapshot.revision);
                assert.deepEqual(listed.items.map(showKv), modelList(snapshot.state, prefix));
              }
              for (const k of keys) {
                const got = await store.get(k, { revision: snapshot.revision });
                assert.equal(showKv(got), showKv(snapshot.state.get(k)), `${k} at ${snapshot.revision}`);
              }
            }
            const paged: KeyValue[] = [];
            for (let page = await store.list('', { limit: 2 }); ; ) {
              paged.push(...page.items);
              if (page.continue === undefined) break;
              page = await store.list('', { limit: 2, continue: page.continue });
            }
            assert.deepEqual(paged.map(showKv), modelList(state, ''));

            const from = snapshots[pick % snapshots.length]!.revision;
            for (const prefix of ['/m/', '/m/b']) {
              const expected = events.filter((e) => e.key.startsWith(prefix) && e.revision > from);
              const watched = await new Collector(store, prefix, from).through(
                expected.at(-1)?.revision ?? from,
              );
              assertSameLines(
                watched.map(showEvent),
                expected.map((e) => e.line),
                `watch ${prefix} from ${from}`,
              );
            }
          }),
        ),
        { numRuns: scaled(60, 5) },
      );
    });

    test('watch delivers ADDED, MODIFIED and DELETED with previous values, only under its prefix', () =>
      withStore(async (store) => {
        const from = await store.currentRevision();
        const watcher = new Collector(store, '/ev/', from);
        const a1 = await store.create('/ev/a', bytes('a1'));
        await store.create('/ev', bytes('outside'));
        await store.create('/evx/a', bytes('outside'));
        await failure(store.create('/ev/a', bytes('lost')), 'KeyExists');
        const a2 = await store.update('/ev/a', bytes('a2'), a1.modRevision);
        await failure(store.update('/ev/a', bytes('lost'), a1.modRevision), 'Conflict');
        const gone = await store.delete('/ev/a', a2.modRevision);
        const a3 = await store.create('/ev/a', bytes('a3'));
        const nested = await store.create('/ev/n/b', bytes('b'));

        const expected = [
          `ADDED /ev/a@${a1.modRevision}/${a1.modRevision}="a1"`,
          `MODIFIED /ev/a@${a1.modRevision}/${a2.modRevision}="a2" prev /ev/a@${a1.modRevision}/${a1.modRevision}="a1"`,
          `DELETED /ev/a@${a1.modRevision}/${gone.modRevision}="a2" prev /ev/a@${a1.modRevision}/${a2.modRevision}="a2"`,
          `ADDED /ev/a@${a3.modRevision}/${a3.modRevision}="a3"`,
          `ADDED /ev/n/b@${nested.modRevision}/${nested.modRevision}="b"`,
        ];
        const events = await watcher.through(nested.modRevision);
        assertSameLines(events.map(showEvent), expected, 'watch /ev/');

        const replayed = await new Collector(store, '/ev/', a2.modRevision).through(nested.modRevision);
        assertSameLines(replayed.map(showEvent), expected.slice(2), `watch /ev/ from ${a2.modRevision}`);
        const narrow = await new Collector(store, '/ev/n/', from).through(nested.modRevision);
        assertSameLines(narrow.map(showEvent), expected.slice(4), 'watch /ev/n/');
      }));

    test('a watch from a revision not yet reached delivers only what comes after it', () =>
      withStore(async (store) => {
        const from = (await store.currentRevision()) + 2;
        const watcher = new Collector(store, '/future/', from);
        const acks: Ack[] = [];
        for (const i of range(4)) {
          const value = bytes(`v${i}`);
          acks.push({
            op: 'create',
            key: `/future/${i}`,
            value,
            result: await store.create(`/future/${i}`, value),
          });
        }
        const expected = expectedHistory(acks, '/future/', from);
        assert.ok(expected.events.length >= 2, 'the third and fourth writes come after the watch revision');
        assertSameLines(
          (await watcher.through(expected.last)).map(showEvent),
          expected.events,
          'future watch',
        );
      }));

    test('aborting the signal ends a watch, including one waiting for events', () =>
      withStore(async (store) => {
        const from = await store.currentRevision();
        await store.create('/abort/a', bytes('a'));
        const events: WatchEvent[] = [];
        for await (const event of store.watch('/abort/', from, AbortSignal.abort())) events.push(event);
        assert.deepEqual(events, [], 'an already aborted watch yields nothing');

        const controller = new AbortController();
        const iterator = store
          .watch('/abort/', await store.currentRevision(), controller.signal)
          [Symbol.asyncIterator]();
        const waiting = iterator.next();
        await new Promise((resolve) => setTimeout(resolve, 20));
        controller.abort();
        const result = await within(waiting, 'the aborted watch to end');
        assert.equal(result.done, true);
      }));

    test(`${scaled(10_000, 200)} writes with 5 watchers: ordered, no gap, no duplicate, replay equals a fresh list`, () =>
      withStore(async (store) => {
        const total = scaled(10_000, 200);
        const namespaces = ['/w/a/', '/w/b/', '/w/c/'];
        const keys = namespaces.flatMap((ns) => range(40).map((i) => `${ns}k${i}`));
        const from = await store.currentRevision();
        const watchers = [
          new Collector(store, '/w/', from),
          ...namespaces.map((ns) => new Collector(store, ns, from)),
        ];
        const acks: Ack[] = [];
        const progress = new Progress();
        const budget = { left: total };
        const writing = Promise.all(
          [1, 2, 3, 4].map((seed) => randomWrites(store, keys, seed, budget, acks, progress)),
        );
        await progress.until(() => acks.length >= total / 2, 'half the writes');
        // Opened mid-stream from an older revision: it replays history while writes continue, then goes live.
        watchers.push(new Collector(store, '/w/', acks[Math.floor(total / 4)]!.result.modRevision));
        await writing;
        assert.equal(acks.length, total);

        for (const watcher of watchers) {
          const expected = expectedHistory(acks, watcher.prefix, watcher.from);
          const events = await watcher.through(expected.last);
          assertIncreasing(events);
          assertSameLines(
            events.map(showEvent),
            expected.events,
            `watch ${watcher.prefix} from ${watcher.from}`,
          );
          await assertReplayMatchesList(store, watcher.prefix, watcher.from, events);
        }
      }));

    test('a watch cut 5 times and resumed from the last revision seen has no gap or duplicate', () =>
      withStore(async (store) => {
        const keys = range(20).map((i) => `/resume/k${i}`);
        const from = await store.currentRevision();
        const seen: WatchEvent[] = [];
        const progress = new Progress();
        const controller = new AbortController();
        let cuts = 0;
        const watching = (async () => {
          let last = from;
          for (;;) {
            try {
              for await (const event of store.watch('/resume/', last, controller.signal)) {
                assert.ok(
                  event.kv.modRevision > last,
                  `revision ${event.kv.modRevision} delivered after ${last}`,
                );
                seen.push(event);
                last = event.kv.modRevision;
                progress.notify();
              }
              return;
            } catch (error) {
              if (codeOf(error) !== 'Unreachable' || controller.signal.aborted || cuts === 5) throw error;
              cuts++;
              progress.notify();
            }
          }
        })();
        const acks: Ack[] = [];
        try {
          for (let phase = 0; phase < 5; phase++) {
            const before = seen.length;
            const budget = { left: scaled(400, 20) };
            const writing = Promise.all(
              [0, 1].map((i) => randomWrites(store, keys, 10 + 2 * phase + i, budget, acks)),
            );
            await progress.until(() => seen.length > before, `an event in phase ${phase}`);
            store.cutWatches();
            // An event handed over before the cut must not let the next phase cut between two watches.
            await progress.until(() => cuts > phase, `the cut of phase ${phase} to reach the watcher`);
            await writing;
          }
          const expected = expectedHistory(acks, '/resume/', from);
          await progress.until(
            () => (seen.at(-1)?.kv.modRevision ?? from) >= expected.last,
            'the resumed watch',
          );
        } finally {
          controller.abort();
        }
        await watching;
        const expected = expectedHistory(acks, '/resume/', from);
        assert.equal(cuts, 5, 'every cut ended the stream with Unreachable');
        assertIncreasing(seen);
        assertSameLines(seen.map(showEvent), expected.events, 'events across 5 cuts');
      }));

    test('a watcher that stops reading holds back no writer and later receives every event', () =>
      withStore(async (store) => {
        const keys = range(30).map((i) => `/slow/k${i}`);
        const from = await store.currentRevision();
        const controller = new AbortController();
        const iterator = store.watch('/slow/', from, controller.signal)[Symbol.asyncIterator]();
        const value = bytes('first');
        const acks: Ack[] = [
          { op: 'create', key: '/slow/first', value, result: await store.create('/slow/first', value) },
        ];
        const first = await within(iterator.next(), 'the first event');
        assert.ok(!first.done, 'the watch delivered its first event');

        const budget = { left: scaled(5_000, 100) };
        const writing = Promise.all([1, 2].map((seed) => randomWrites(store, keys, seed, budget, acks)));
        await within(writing, 'writes while a watcher is not reading');

        const expected = expectedHistory(acks, '/slow/', from);
        const events = [first.value];
        await within(
          (async () => {
            while (events.length < expected.events.length) {
              const next = await iterator.next();
              if (next.done) return;
              events.push(next.value);
            }
          })(),
          'the slow watcher to read everything',
        );
        controller.abort();
        await iterator.return?.();
        assertSameLines(events.map(showEvent), expected.events, 'slow watcher');
      }));

    test('below the compaction point get, list, continue and watch are Compacted; at it nothing is lost', () =>
      withStore(async (store) => {
        const a1 = await store.create('/c/a', bytes('a1'));
        const b1 = await store.create('/c/b', bytes('b1'));
        const page = await store.list('/c/', { limit: 1 });
        assert.ok(page.continue, 'a first page of a longer list has a continue token');
        const a2 = await store.update('/c/a', bytes('a2'), a1.modRevision);
        const point = a2.modRevision;
        const bGone = await store.delete('/c/b', b1.modRevision);
        const c1 = await store.create('/c/c', bytes('c1'));
        await store.compact(point);

        const signal = new AbortController().signal;
        const errors = [
          await failure(store.get('/c/a', { revision: point - 1 }), 'Compacted'),
          await failure(store.get('/c/a', { revision: a1.modRevision }), 'Compacted'),
          await failure(store.list('/c/', { revision: point - 1 }), 'Compacted'),
          await failure(store.list('/c/', { continue: page.continue }), 'Compacted'),
          await failure(firstOf(store.watch('/c/', point - 1, signal)), 'Compacted'),
        ];
        for (const error of errors) {
          if (error.compactedRevision !== undefined) assert.equal(error.compactedRevision, point);
        }

        assert.equal(showKv(await store.get('/c/a', { revision: point })), showKv(a2));
        assert.equal(showKv(await store.get('/c/b', { revision: point })), showKv(b1));
        assert.equal(await store.get('/c/c', { revision: point }), undefined);
        const atPoint = await store.list('/c/', { revision: point });
        assert.deepEqual(atPoint.items.map(showKv), [a2, b1].map(showKv));
        assert.deepEqual((await store.list('/c/')).items.map(showKv), [a2, c1].map(showKv));

        const events = await new Collector(store, '/c/', point).through(c1.modRevision);
        assertSameLines(
          events.map(showEvent),
          [`DELETED ${showKv(bGone)} prev ${showKv(b1)}`, `ADDED ${showKv(c1)}`],
          'watch from the compaction point, deletes included',
        );

        await store.compact(c1.modRevision);
        await failure(store.get('/c/b', { revision: bGone.modRevision }), 'Compacted');
        assert.equal(await store.get('/c/b', { revision: c1.modRevision }), undefined);
        assert.deepEqual(
          (await store.list('/c/', { revision: c1.modRevision })).items.map(showKv),
          [a2, c1].map(showKv),
        );
      }));

    test('compact is a no-op at or below the compaction point and refuses a future revision', () =>
      withStore(async (store) => {
        const one = await store.create('/cn/a', bytes('one'));
        const two = await store.update('/cn/a', bytes('two'), one.modRevision);
        await store.compact(two.modRevision);
        await store.compact(two.modRevision);
        await store.compact(one.modRevision);
        await failure(store.get('/cn/a', { revision: one.modRevision }), 'Compacted');
        assert.equal(showKv(await store.get('/cn/a', { revision: two.modRevision })), showKv(two));
        await failure(store.compact((await store.currentRevision()) + 1_000_000), 'FutureRevision');
        assert.equal(showKv(await store.get('/cn/a', { revision: two.modRevision })), showKv(two));
      }));

    test('reads at a revision after the current one fail with FutureRevision', () =>
      withStore(async (store) => {
        await store.create('/fr/a', bytes('a'));
        const future = (await store.currentRevision()) + 1_000_000;
        await failure(store.get('/fr/a', { revision: future }), 'FutureRevision');
        await failure(store.list('/fr/', { revision: future }), 'FutureRevision');
      }));

    test('a watch that is live across a compaction keeps delivering', () =>
      withStore(async (store) => {
        const from = await store.currentRevision();
        const watcher = new Collector(store, '/live/', from);
        const x = await store.create('/live/x', bytes('x'));
        await watcher.reach(x.modRevision);
        await store.compact(x.modRevision);
        const y = await store.create('/live/y', bytes('y'));
        const events = await watcher.through(y.modRevision);
        assertSameLines(events.map(showEvent), [`ADDED ${showKv(x)}`, `ADDED ${showKv(y)}`], 'live watch');
      }));

    test('1 MiB values round-trip through create, get, list, update, watch and delete', () =>
      withStore(async (store) => {
        const from = await store.currentRevision();
        const watcher = new Collector(store, '/big/', from);
        const values = [0, 1, 2].map(mebibyte);
        const created: KeyValue[] = [];
        for (const [i, value] of values.entries()) created.push(await store.create(`/big/${i}`, value));
        for (const [i, value] of values.entries()) {
          assert.ok(sameBytes((await store.get(`/big/${i}`))!.value, value), `/big/${i} reads back intact`);
        }
        const listed = await store.list('/big/');
        assert.deepEqual(
          listed.items.map((item) => item.key),
          ['/big/0', '/big/1', '/big/2'],
        );
        for (const [i, item] of listed.items.entries())
          assert.ok(sameBytes(item.value, values[i]!), `listed /big/${i}`);

        const replacement = mebibyte(10);
        const updated = await store.update('/big/0', replacement, created[0]!.modRevision);
        assert.ok(sameBytes((await store.get('/big/0'))!.value, replacement), 'the updated value');
        const deleted = await store.delete('/big/1');
        assert.ok(sameBytes(deleted.value, values[1]!), 'the deleted value');

        const events = await watcher.through(deleted.modRevision);
        assertSameLines(
          events.map(showEvent),
          [
            ...created.map((c) => `ADDED ${showKv(c)}`),
            `MODIFIED ${showKv(updated)} prev ${showKv(created[0])}`,
            `DELETED ${showKv(deleted)} prev ${showKv(created[1])}`,
          ],
          '1 MiB events',
        );
        assert.ok(sameBytes(events[3]!.kv.value, replacement), 'the MODIFIED value');
        assert.ok(
          events[3]!.type === 'MODIFIED' && sameBytes(events[3]!.prev.value, values[0]!),
          'the MODIFIED prev',
        );
        assert.ok(sameBytes(events[4]!.kv.value, values[1]!), 'the DELETED value');
      }));

    test(`${scaled(100_000, 200)} keys page consistently at one revision while writes continue`, () =>
      withStore(async (store) => {
        const count = scaled(100_000, 200);
        const limit = Math.max(10, Math.round(count / 100));
        await inParallel(shuffle(range(count), 3), 32, async (i) => {
          await store.create(`/many/${i}`, bytes(`v${i}`));
        });
        const written = await store.currentRevision();
        const expectedKeys = range(count)
          .map((i) => `/many/${i}`)
          .sort(byUtf8);

        const seen: KeyValue[] = [];
        let page = await store.list('/many/', { limit });
        const revision = page.revision;
        assert.ok(revision >= written, 'the first page reads at or after the last create');
        let deletes = 0;
        let creates = 0;
        for (;;) {
          seen.push(...page.items);
          assert.equal(page.revision, revision, 'every page is read at the first page revision');
          assert.equal(page.remaining, count - seen.length, `remaining after ${seen.length} keys`);
          assert.equal(page.continue !== undefined, seen.length < count);
          if (page.continue === undefined) break;
          const ahead = expectedKeys.slice(seen.length + Math.floor(limit / 2)).slice(0, 2);
          for (const key of ahead) await store.delete(key);
          if (ahead[0] !== undefined) await store.create(`${ahead[0]}+`, bytes('new'));
          deletes += ahead.length;
          creates += Math.min(1, ahead.length);
          page = await store.list('/many/', { limit, continue: page.continue });
        }
        assert.ok(deletes > 0, 'no write happened between pages');
        assert.equal(seen.length, count);
        const firstMismatch = seen.findIndex(
          (item, i) =>
            item.key !== expectedKeys[i] ||
            text(item.value) !== `v${item.key.slice(6)}` ||
            item.modRevision > revision,
        );
        assert.equal(firstMismatch, -1, `item ${firstMismatch}: ${showKv(seen[firstMismatch])}`);
        const fresh = await store.list('/many/', { limit: 1 });
        assert.equal(fresh.remaining, count - deletes + creates - 1, 'the latest list sees the writes');
        assert.ok(fresh.revision > revision, 'a fresh list reads after the writes between pages');
      }));

    test('arguments outside the contract reject with RangeError and change nothing', () =>
      withStore(async (store) => {
        const a = await store.create('/arg/a', bytes('a'));
        await store.create('/arg/b', bytes('b'));
        const page = await store.list('/arg/', { limit: 1 });
        assert.ok(page.continue, 'a first page of a longer list has a continue token');
        const revision = await store.currentRevision();
        const signal = new AbortController().signal;
        const calls: [string, () => Promise<unknown>][] = [
          ['get of an empty key', () => store.get('')],
          ['create of an empty key', () => store.create('', bytes('x'))],
          ['create of a key with a lone surrogate', () => store.create('/arg/\uD800', bytes('x'))],
          ['get at revision 0', () => store.get('/arg/a', { revision: 0 })],
          ['list at revision 1.5', () => store.list('/arg/', { revision: 1.5 })],
          ['list with limit 0', () => store.list('/arg/', { limit: 0 })],
          [
            'list with continue and revision',
            () => store.list('/arg/', { continue: page.continue!, revision }),
          ],
          ['update expecting revision 0', () => store.update('/arg/a', bytes('x'), 0)],
          ['delete expecting revision -1', () => store.delete('/arg/a', -1)],
          ['watch from revision -1', () => firstOf(store.watch('/arg/', -1, signal))],
          ['compact at revision 0', () => store.compact(0)],
        ];
        for (const [what, call] of calls) await assert.rejects(call(), RangeError, what);
        assert.equal(await store.currentRevision(), revision);
        assert.equal(showKv(await store.get('/arg/a')), showKv(a));
      }));

    test('close ends open watches and later calls with Unreachable, and is idempotent', () =>
      withStore(async (store) => {
        await store.create('/close/a', bytes('a'));
        const iterator = store
          .watch('/close/', await store.currentRevision(), new AbortController().signal)
          [Symbol.asyncIterator]();
        const ended = failure(within(iterator.next(), 'the watch to end on close'), 'Unreachable');
        await store.close();
        await ended;
        await failure(store.get('/close/a'), 'Unreachable');
        await failure(store.list('/close/'), 'Unreachable');
        await failure(store.create('/close/b', bytes('b')), 'Unreachable');
        await failure(store.update('/close/a', bytes('b'), 1), 'Unreachable');
        await failure(store.delete('/close/a'), 'Unreachable');
        await failure(store.currentRevision(), 'Unreachable');
        await failure(store.compact(1), 'Unreachable');
        await failure(firstOf(store.watch('/close/', 0, new AbortController().signal)), 'Unreachable');
        await store.close();
      }));
  });
}

type ListPage = Awaited<ReturnType<Storage['list']>>;

interface Timed {
  readonly started: number;
  readonly ended: number;
  readonly revision: number;
}

/** An acknowledged write: what the test asked for and what the store returned. */
interface Ack {
  readonly op: 'create' | 'update' | 'delete';
  readonly key: string;
  readonly value: Uint8Array;
  readonly result: KeyValue;
}

/**
 * Mixed creates, updates and deletes on `keys` until `budget.left` writes succeed, from stale knowledge on
 * purpose, so concurrent writers conflict; failed writes must leave no trace.
 */
async function randomWrites(
  store: Storage,
  keys: readonly string[],
  seed: number,
  budget: { left: number },
  acks: Ack[],
  progress?: Progress,
): Promise<void> {
  const random = seededRandom(seed);
  const known = new Map<string, number>();
  for (let n = 0; budget.left > 0; n++) {
    budget.left--;
    const key = keys[Math.floor(random() * keys.length)]!;
    const revision = known.get(key);
    const value = bytes(`${key}#${seed}.${n}`);
    const choice = random();
    try {
      if (revision === undefined) {
        const result = await store.create(key, value);
        acks.push({ op: 'create', key, value, result });
        known.set(key, result.modRevision);
      } else if (choice < 0.75) {
        const result = await store.update(key, value, revision);
        acks.push({ op: 'update', key, value, result });
        known.set(key, result.modRevision);
      } else {
        const result = await store.delete(key, choice < 0.9 ? revision : undefined);
        acks.push({ op: 'delete', key, value, result });
        known.delete(key);
      }
      progress?.notify();
    } catch (error) {
      budget.left++;
      if (!(error instanceof StorageError)) throw error;
      if (error.code === 'KeyNotFound') known.delete(key);
      else if (error.code === 'KeyExists' || error.code === 'Conflict') {
        assert.ok(error.current, `${error.code} carries the current value`);
        known.set(key, error.current.modRevision);
      } else throw error;
    }
  }
}

/** The events the contract promises for `acks` under `prefix` after `from`, as showEvent lines. */
function expectedHistory(
  acks: readonly Ack[],
  prefix: string,
  from: number,
): { readonly events: string[]; readonly last: number } {
  const ordered = [...acks].sort((a, b) => a.result.modRevision - b.result.modRevision);
  const state = new Map<string, KeyValue>();
  const events: string[] = [];
  let last = from;
  let previous = Number.NEGATIVE_INFINITY;
  for (const { op, key, value, result } of ordered) {
    const revision = result.modRevision;
    assert.ok(revision > previous, `two writes were acknowledged at revision ${revision}`);
    previous = revision;
    const prev = state.get(key);
    let written: KeyValue;
    let line: string;
    if (op === 'create') {
      assert.equal(prev, undefined, `create of ${key} acknowledged at ${revision} while it existed`);
      written = { key, value, createRevision: revision, modRevision: revision };
      line = `ADDED ${showKv(written)}`;
      state.set(key, written);
    } else {
      assert.ok(prev, `${op} of ${key} acknowledged at ${revision} while it was absent`);
      written =
        op === 'update' ? { ...prev, value, modRevision: revision } : { ...prev, modRevision: revision };
      line = `${op === 'update' ? 'MODIFIED' : 'DELETED'} ${showKv(written)} prev ${showKv(prev)}`;
      if (op === 'update') state.set(key, written);
      else state.delete(key);
    }
    assert.equal(showKv(result), showKv(written), `the ${op} acknowledged at ${revision} returned`);
    if (key.startsWith(prefix) && revision > from) {
      events.push(line);
      last = revision;
    }
  }
  return { events, last };
}

async function assertReplayMatchesList(
  store: Storage,
  prefix: string,
  from: number,
  events: readonly WatchEvent[],
): Promise<void> {
  const state = new Map((await store.list(prefix, { revision: from })).items.map((item) => [item.key, item]));
  for (const event of events) {
    if (event.type === 'DELETED') state.delete(event.kv.key);
    else state.set(event.kv.key, event.kv);
  }
  const fresh = await store.list(prefix);
  assertSameLines(modelList(state, ''), fresh.items.map(showKv), `replaying watch ${prefix} from ${from}`);
}

/** Waits for a condition that watch consumers and writers signal through notify(); fails on a stall. */
class Progress {
  readonly #waiters = new Set<() => void>();

  notify(): void {
    for (const waiter of this.#waiters) waiter();
    this.#waiters.clear();
  }

  async until(condition: () => boolean, what: string, stallMs = WAIT_MS): Promise<void> {
    while (!condition()) {
      const notified = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), stallMs);
        this.#waiters.add(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      if (!notified && !condition()) assert.fail(`no progress for ${stallMs} ms waiting for ${what}`);
    }
  }
}

/** Reads one watch in the background until told which revision to reach. */
class Collector {
  readonly prefix: string;
  readonly from: number;
  readonly events: WatchEvent[] = [];
  readonly #controller = new AbortController();
  readonly #progress = new Progress();
  readonly #done: Promise<void>;
  #ended = false;
  #error: unknown;

  constructor(store: Storage, prefix: string, from: number) {
    this.prefix = prefix;
    this.from = from;
    this.#done = this.#run(store);
  }

  get last(): number {
    return this.events.at(-1)?.kv.modRevision ?? this.from;
  }

  async reach(revision: number): Promise<void> {
    const what = `watch ${this.prefix} from ${this.from} to reach ${revision}`;
    await this.#progress.until(() => this.#ended || this.last >= revision, what);
    if (this.#error !== undefined) throw this.#error;
    assert.ok(this.last >= revision, `${what}: it ended at ${this.last}`);
  }

  async through(revision: number): Promise<WatchEvent[]> {
    try {
      await this.reach(revision);
    } finally {
      this.#controller.abort();
      await this.#done;
    }
    if (this.#error !== undefined) throw this.#error;
    return this.events;
  }

  async #run(store: Storage): Promise<void> {
    try {
      for await (const event of store.watch(this.prefix, this.from, this.#controller.signal)) {
        // Checked as events arrive, so a store that repeats an event forever fails instead of spinning.
        const [revision, last] = [event.kv.modRevision, this.last];
        assert.ok(revision > last, `watch ${this.prefix} delivered revision ${revision} after ${last}`);
        this.events.push(event);
        this.#progress.notify();
      }
    } catch (error) {
      this.#error = error;
    } finally {
      this.#ended = true;
      this.#progress.notify();
    }
  }
}

async function failure(operation: Promise<unknown>, code: StorageErrorCode): Promise<StorageError> {
  let result: unknown;
  try {
    result = await operation;
  } catch (error) {
    if (!(error instanceof StorageError)) assert.fail(`expected StorageError ${code}, got ${String(error)}`);
    assert.equal(error.code, code, `expected ${code}, got ${error.code}: ${error.message}`);
    return error;
  }
  assert.fail(`expected StorageError ${code}, but the call returned ${JSON.stringify(result)}`);
}

async function within<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

function firstOf(watch: AsyncIterable<WatchEvent>): Promise<IteratorResult<WatchEvent>> {
  return within(watch[Symbol.asyncIterator]().next(), 'the first watch result');
}

function codeOf(error: unknown): StorageErrorCode | 'not a StorageError' {
  return error instanceof StorageError ? error.code : 'not a StorageError';
}

function fulfilled<T>(results: readonly PromiseSettledResult<T>[]): T[] {
  return results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
}

function rejected(results: readonly PromiseSettledResult<unknown>[]): unknown[] {
  return results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
}

function assertIncreasing(events: readonly WatchEvent[]): void {
  for (let i = 1; i < events.length; i++) {
    const [before, after] = [events[i - 1]!.kv.modRevision, events[i]!.kv.modRevision];
    assert.ok(after > before, `event ${i} went from revision ${before} to ${after}`);
  }
}

function assertSameLines(actual: readonly string[], expected: readonly string[], what: string): void {
  const length = Math.max(actual.length, expected.length);
  for (let i = 0; i < length; i++) {
    if (actual[i] !== expected[i]) {
      assert.fail(
        `${what}: got ${actual.length} lines, expected ${expected.length}; first difference at #${i}:\n` +
          `  got      ${actual[i] ?? '(nothing)'}\n  expected ${expected[i] ?? '(nothing)'}`,
      );
    }
  }
}

function modelList(state: ReadonlyMap<string, KeyValue>, prefix: string): string[] {
  return [...state.values()]
    .filter((item) => item.key.startsWith(prefix))
    .sort((a, b) => byUtf8(a.key, b.key))
    .map(showKv);
}

function kv(key: string, value: string, createRevision: number, modRevision: number): KeyValue {
  return { key, value: bytes(value), createRevision, modRevision };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function show(value: Uint8Array): string {
  assert.ok(
    value instanceof Uint8Array,
    `a value is a Uint8Array, not ${Object.prototype.toString.call(value)}`,
  );
  if (value.length > 64) {
    return `<${value.length} bytes, sha256 ${createHash('sha256').update(value).digest('hex').slice(0, 16)}>`;
  }
  try {
    return JSON.stringify(utf8.decode(value));
  } catch {
    return `0x${Buffer.from(value).toString('hex')}`;
  }
}

function showKv(kv: KeyValue | undefined): string {
  return kv ? `${kv.key}@${kv.createRevision}/${kv.modRevision}=${show(kv.value)}` : '(absent)';
}

function showEvent(event: WatchEvent): string {
  if (event.type !== 'ADDED') return `${event.type} ${showKv(event.kv)} prev ${showKv(event.prev)}`;
  const extra = (event as { prev?: KeyValue }).prev;
  return extra === undefined ? `ADDED ${showKv(event.kv)}` : `ADDED ${showKv(event.kv)} with a prev`;
}

function bytes(value: string): Uint8Array {
  return new TextEncoder().encode(value);
}

function text(value: Uint8Array): string {
  return new TextDecoder().decode(value);
}

function byUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

function mebibyte(seed: number): Uint8Array {
  const random = seededRandom(seed);
  const words = new Uint32Array(1 << 18);
  for (let i = 0; i < words.length; i++) words[i] = Math.floor(random() * 2 ** 32);
  return new Uint8Array(words.buffer);
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}

function shuffle<T>(items: readonly T[], seed: number): T[] {
  const random = seededRandom(seed);
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}

async function inParallel<T>(
  items: readonly T[],
  concurrency: number,
  each: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    range(concurrency).map(async () => {
      while (next < items.length) await each(items[next++]!);
    }),
  );
}
