import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Network } from '../../api/network.ts';
import { regionClaims } from './region-claims.ts';

const network = (regions: NonNullable<Network['spec']['regions']>): Network => ({
  apiVersion: 'networking.datumapis.com/v1alpha1',
  kind: 'Network',
  metadata: { name: 'global-network', namespace: 'default' },
  spec: { ipv4Blocks: ['10.0.0.0/8'], regions },
});

test('one claim per region claim, named by network and region', () => {
  const claims = regionClaims(
    network([
      { name: 'us-central1', subnetClaims: [{ prefixLength: 16 }] },
      {
        name: 'europe-west1',
        subnetClaims: [{ prefixLength: 16 }, { prefixLength: 64, ipFamily: 'IPv6', zone: 'europe-west1-b' }],
      },
      { name: 'asia-southeast1' },
    ]),
  );
  assert.deepEqual(
    claims,
    [
      {
        name: 'global-network-us-central1',
        spec: {
          networkRef: { name: 'global-network' },
          prefixLength: 16,
          ipFamily: 'IPv4',
          location: { region: 'us-central1' },
        },
      },
      {
        name: 'global-network-europe-west1',
        spec: {
          networkRef: { name: 'global-network' },
          prefixLength: 16,
          ipFamily: 'IPv4',
          location: { region: 'europe-west1' },
        },
      },
      {
        name: 'global-network-europe-west1-2',
        spec: {
          networkRef: { name: 'global-network' },
          prefixLength: 64,
          ipFamily: 'IPv6',
          location: { region: 'europe-west1', zone: 'europe-west1-b' },
        },
      },
    ],
    'a region without claims asks for none; the second claim of a region is numbered',
  );
});

test('a network without regions asks for no claims', () => {
  assert.deepEqual(regionClaims(network([])), [], 'no claims');
});
