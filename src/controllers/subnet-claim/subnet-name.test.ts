import assert from 'node:assert/strict';
import { test } from 'node:test';
import { claimNamesFor, subnetNameFor } from './subnet-name.ts';

test('a trailing -claim is dropped, as the specification names web-tier-subnet-claim’s Subnet', () => {
  assert.equal(subnetNameFor('web-tier-subnet-claim'), 'web-tier-subnet', 'the specification’s example');
  assert.equal(subnetNameFor('web-subnet'), 'web-subnet', 'no suffix: the claim’s own name');
  assert.equal(subnetNameFor('claim'), 'claim', 'nothing would be left');
  assert.equal(subnetNameFor('-claim'), '-claim', 'nothing before the suffix');
  assert.equal(subnetNameFor('a-claim-claim'), 'a-claim', 'only one suffix is dropped');
});

test('claimNamesFor lists every claim name that maps to the Subnet', () => {
  for (const subnet of ['web-tier-subnet', 'web-subnet', 'a-claim']) {
    for (const claim of claimNamesFor(subnet)) {
      assert.equal(subnetNameFor(claim), subnet, `${claim} → ${subnet}`);
    }
  }
  assert.deepEqual(claimNamesFor('web-subnet'), ['web-subnet-claim', 'web-subnet'], 'both spellings');
  assert.deepEqual(claimNamesFor('a-claim'), ['a-claim-claim'], 'a-claim itself would name Subnet a');
});
