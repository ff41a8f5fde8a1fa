// Gates the etcd tests on an etcd binary: a loud skip on a developer's machine, a failure in CI.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { etcdBinary } from './etcd-harness.ts';

/** True when etcd is installed. Otherwise registers a failing test under CI=true (never a skip), else a skipped one. */
export function etcdAvailable(what: string): boolean {
  if (etcdBinary) return true;
  const message = `etcd is not installed (apt-get install etcd-server, or set ETCD_BIN): ${what} cannot run`;
  if (process.env.CI === 'true') {
    test(what, () => assert.fail(`${message}; CI must run these tests, so this is a failure`));
  } else {
    console.error(`\n${'!'.repeat(100)}\n!! SKIPPED: ${message}\n${'!'.repeat(100)}\n`);
    test(what, { skip: message }, () => {});
  }
  return false;
}
