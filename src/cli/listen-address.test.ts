import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clientUrl, isLoopback, parseListenAddress } from './listen-address.ts';

describe('parseListenAddress', () => {
  test('host and port, IPv6 in brackets, port 0', () => {
    assert.deepEqual(parseListenAddress('127.0.0.1:6443'), { host: '127.0.0.1', port: 6443 }, 'IPv4');
    assert.deepEqual(parseListenAddress('[::1]:0'), { host: '::1', port: 0 }, 'IPv6');
    assert.deepEqual(parseListenAddress('localhost:8080'), { host: 'localhost', port: 8080 }, 'name');
  });
  test('mistakes say what is expected', () => {
    for (const bad of ['6443', '127.0.0.1', '127.0.0.1:99999', '::1:6443', '[nope]:1', '']) {
      assert.throws(() => parseListenAddress(bad), /is not|not an IPv6/, bad);
    }
  });
});

describe('isLoopback and clientUrl', () => {
  test('only loopback addresses are loopback', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost'])
      assert.equal(isLoopback(host), true, host);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'example.com', '::2'])
      assert.equal(isLoopback(host), false, host);
  });
  test('wildcards are reached through loopback; IPv6 is bracketed', () => {
    assert.equal(clientUrl('https', '0.0.0.0', 6443), 'https://127.0.0.1:6443', 'IPv4 wildcard');
    assert.equal(clientUrl('https', '::', 1), 'https://[::1]:1', 'IPv6 wildcard');
    assert.equal(clientUrl('http', '127.0.0.1', 2), 'http://127.0.0.1:2', 'plain');
  });
});
