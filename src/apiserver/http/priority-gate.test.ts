import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PriorityGate } from './priority-gate.ts';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('PriorityGate', () => {
  test('serves up to its seats at once, then queues', async () => {
    const gate = new PriorityGate(2);
    const a = await gate.enter(1);
    await gate.enter(1);
    let third = false;
    void gate.enter(1).then(() => {
      third = true;
    });
    await tick();
    assert.equal(third, false, 'the third waits for a seat');
    assert.deepEqual(gate.waiting, [0, 1], 'one waiting at level 1');
    a();
    await tick();
    assert.equal(third, true, 'a freed seat goes to the waiting request');
    assert.equal(gate.busy, 2, 'still two seats taken');
  });

  test('a freed seat goes to the highest level first, oldest first within a level', async () => {
    const gate = new PriorityGate(1);
    const first = await gate.enter(1);
    const order: string[] = [];
    const wait = (name: string, level: number) =>
      gate.enter(level).then((leave) => {
        order.push(name);
        leave();
      });
    const all = [wait('low-1', 1), wait('low-2', 1), wait('high-1', 0), wait('high-2', 0)];
    await tick();
    first();
    await Promise.all(all);
    assert.deepEqual(order, ['high-1', 'high-2', 'low-1', 'low-2'], 'high before low, in arrival order');
    assert.equal(gate.busy, 0, 'every seat given back');
  });

  test('leaving twice gives back one seat', async () => {
    const gate = new PriorityGate(1);
    const leave = await gate.enter(0);
    leave();
    leave();
    assert.equal(gate.busy, 0, 'not negative');
    await gate.enter(0);
    assert.equal(gate.busy, 1, 'the seat is there once');
  });

  test('a newcomer does not overtake requests already waiting', async () => {
    const gate = new PriorityGate(1);
    const leave = await gate.enter(1);
    const order: string[] = [];
    const queued = gate.enter(1).then((l) => {
      order.push('queued');
      l();
    });
    await tick();
    leave();
    const late = gate.enter(1).then((l) => {
      order.push('late');
      l();
    });
    await Promise.all([queued, late]);
    assert.deepEqual(order, ['queued', 'late'], 'first come, first served');
  });
});

describe('PriorityGate with per-level shares', () => {
  test('a level never holds more than its share, even with seats free', async () => {
    const gate = new PriorityGate(4, [4, 1]);
    await gate.enter(1);
    let second = false;
    void gate.enter(1).then(() => {
      second = true;
    });
    await tick();
    assert.equal(second, false, 'the default level waits beyond its one seat');
    await gate.enter(0);
    await gate.enter(0);
    assert.equal(gate.busy, 3, 'the high level takes the free seats');
  });

  test('a seat freed at a capped level goes to its next request once the share allows', async () => {
    const gate = new PriorityGate(2, [2, 1]);
    const low = await gate.enter(1);
    const order: string[] = [];
    const next = gate.enter(1).then((leave) => {
      order.push('low-2');
      leave();
    });
    await tick();
    assert.deepEqual(order, [], 'capped');
    low();
    await next;
    assert.deepEqual(order, ['low-2'], 'served once the first left');
    assert.equal(gate.busy, 0, 'every seat given back');
  });
});
