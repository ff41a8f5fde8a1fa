import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { negotiateDiscovery } from './negotiate-discovery.ts';

const V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

const aggregated = (version: 'v2' | 'v2beta1') =>
  ({ kind: 'aggregated', version, contentType: version === 'v2' ? V2 : V2BETA1 }) as const;
const legacy = { kind: 'legacy' } as const;

describe('negotiateDiscovery', () => {
  const cases: readonly [string, string | undefined, ReturnType<typeof negotiateDiscovery>][] = [
    ['kubectl 1.27–1.29 (v2beta1 only)', `${V2BETA1},application/json`, aggregated('v2beta1')],
    ['kubectl 1.30–1.33 (v2, then v2beta1)', `${V2},${V2BETA1},application/json`, aggregated('v2')],
    ['legacy per-group-version Accept', 'application/json, */*', legacy],
    ['plain application/json', 'application/json', legacy],
    ['*/*', '*/*', legacy],
    ['no Accept header', undefined, legacy],
    ['empty Accept header', '', legacy],
    ['garbage', 'this is not a media type;;;,,', legacy],
    [
      'parameters reordered, spaced and quoted',
      'application/json; as="APIGroupDiscoveryList" ; v=v2;g=apidiscovery.k8s.io',
      aggregated('v2'),
    ],
    ['a q-value puts legacy JSON first', `${V2};q=0.5, application/json`, legacy],
    ['a q-value puts v2beta1 before v2', `${V2};q=0.8, ${V2BETA1};q=0.9`, aggregated('v2beta1')],
    ['q=0 refuses aggregated', `${V2};q=0, application/json`, legacy],
    [
      'an unknown discovery version is skipped',
      `application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList,${V2BETA1}`,
      aggregated('v2beta1'),
    ],
    [
      'a Table conversion is skipped for the next range',
      'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
      legacy,
    ],
    [
      'an incomplete conversion is skipped',
      `application/json;g=apidiscovery.k8s.io;as=APIGroupDiscoveryList,${V2}`,
      aggregated('v2'),
    ],
    ['protobuf first falls through to JSON', `application/vnd.kubernetes.protobuf,${V2}`, aggregated('v2')],
    [
      'a wildcard with the aggregated parameters',
      '*/*;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
      aggregated('v2'),
    ],
  ];
  for (const [name, accept, expected] of cases) {
    test(name, () => {
      assert.deepEqual(negotiateDiscovery(accept), expected, `Accept: ${accept}`);
    });
  }
});
