import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressObjectName } from './address-name.ts';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

test('an IPv4 address is named as written, after its network', () => {
  assert.equal(addressObjectName('prod', '10.0.1.2'), 'prod.10.0.1.2', 'network, then the address');
});

test('IPv6 names are DNS subdomains and distinct', () => {
  const addresses = ['::1', 'fd00::', 'fd00::1', 'fd00:db8::5', 'fd00:0:0:1:1::', '2001:db8::ff00:42:8329'];
  const names = addresses.map((address) => addressObjectName('prod', address));
  for (const [i, name] of names.entries()) {
    assert.match(name, DNS_SUBDOMAIN, `${addresses[i]} gives a DNS subdomain`);
  }
  assert.equal(new Set(names).size, names.length, 'no two addresses share a name');
  assert.equal(addressObjectName('prod', 'fd00:db8::5'), 'prod.fd00-db8--5', "':' is written '-'");
});

test('the same address in two networks has two names', () => {
  assert.notEqual(
    addressObjectName('a', '10.0.0.5'),
    addressObjectName('b', '10.0.0.5'),
    'network is part of the name',
  );
});
