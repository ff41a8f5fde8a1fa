import assert from 'node:assert/strict';
import { test } from 'node:test';
import { orderSubnets } from './subnet-choice.ts';

const a = { name: 'a', location: { region: 'us-east1', zone: 'us-east1-b' }, available: 500n };
const b = { name: 'b', location: { region: 'us-central1', zone: 'us-central1-b' }, available: 100n };
const c = { name: 'c', location: { region: 'us-central1', zone: 'us-central1-a' }, available: 10n };
const d = { name: 'd', location: undefined, available: 1000n };

test("the workload's zone first, then its region, then the rest by free addresses", () => {
  const order = orderSubnets([a, b, c, d], { region: 'us-central1', zone: 'us-central1-a' });
  assert.deepEqual(
    order.map((s) => s.name),
    ['c', 'b', 'd', 'a'],
    'zone match, region match, then most free',
  );
});

test('without a workload location, most free addresses first', () => {
  assert.deepEqual(
    orderSubnets([a, b, c, d], undefined).map((s) => s.name),
    ['d', 'a', 'b', 'c'],
    'by free addresses, descending',
  );
});
