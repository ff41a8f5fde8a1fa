import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Sightings } from './sightings.ts';

test('a finding counts the passes it was seen in without a break', () => {
  const sightings = new Sightings();
  assert.deepEqual(
    [...sightings.pass(['a', 'b'])],
    [
      ['a', 1],
      ['b', 1],
    ],
    'first pass',
  );
  assert.deepEqual(
    [...sightings.pass(['a', 'b'])],
    [
      ['a', 2],
      ['b', 2],
    ],
    'second pass',
  );
  assert.deepEqual([...sightings.pass(['a'])], [['a', 3]], 'b was not seen');
  assert.deepEqual(
    [...sightings.pass(['a', 'b'])],
    [
      ['a', 4],
      ['b', 1],
    ],
    'b starts over',
  );
});

test('a forgotten finding starts over, and the counts handed out do not change with it', () => {
  const sightings = new Sightings();
  sightings.pass(['a']);
  const counts = sightings.pass(['a']);
  sightings.forget('a');
  assert.equal(counts.get('a'), 2, 'the pass result stays as it was');
  assert.equal(sightings.count('a'), 0, 'forgotten');
  assert.equal(sightings.pass(['a']).get('a'), 1, 'seen again from one');
});
