// Proves the reachability matrix: sorted workloads, one verdict reason a cell, namespace filter, and its grid text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compilePolicies } from './compile.ts';
import { formatMatrix, type Matrix, reachabilityMatrix } from './matrix.ts';
import { inputs, network, policy, workload } from './testing/builders.ts';

const compiled = compilePolicies(
  inputs({
    networks: [network('b/net', ['10.2.0.0/16']), network('a/net', ['10.1.0.0/16'])],
    workloads: [
      workload('b/two', {}, [{ network: 'net' }]),
      workload('a/one', { role: 'one' }, [{ network: 'net' }]),
      workload('a/zero', {}, [{ network: 'net' }]),
    ],
    policies: [
      policy('a/one-closed', {
        podSelector: { matchLabels: { role: 'one' } },
        ingress: [{ ports: [{ port: 443 }] }],
      }),
    ],
  }),
);

function matrix(options: Parameters<typeof reachabilityMatrix>[1]): Matrix {
  const result = reachabilityMatrix(compiled, options);
  assert.ok(result.ok, `matrix: ${JSON.stringify(result)}`);
  return result.matrix;
}

test('rows and columns are the workloads sorted by namespace, then name; each cell a verdict reason', () => {
  const m = matrix({ port: 80 });
  assert.deepEqual(m.workloads, ['a/one', 'a/zero', 'b/two'], 'sorted');
  assert.deepEqual(
    m.reasons,
    [
      ['Self', 'NotIsolated', 'Unreachable'],
      ['Denied', 'Self', 'Unreachable'],
      ['Unreachable', 'Unreachable', 'Self'],
    ],
    'a/one admits only 443; a and b are not peered',
  );
  assert.equal(m.protocol, 'TCP', 'TCP by default');
  assert.deepEqual(matrix({ port: 443 }).reasons[1], ['Allowed', 'Self', 'Unreachable'], 'on 443');
});

test('a namespace filter keeps only its workloads; unknown namespaces, ports and protocols are refused', () => {
  assert.deepEqual(matrix({ port: 80, namespaces: ['b'] }).workloads, ['b/two'], 'b only');
  const refused = (options: Parameters<typeof reachabilityMatrix>[1], pattern: RegExp) => {
    const result = reachabilityMatrix(compiled, options);
    assert.ok(!result.ok && pattern.test(result.message), `refused: ${JSON.stringify(result)}`);
  };
  refused({ port: 80, namespaces: ['c'] }, /no such namespace: c/);
  refused({ port: 0 }, /port 0 is out of range/);
  refused({ port: 80, protocol: 'GRE' as 'TCP' }, /protocol "GRE" is not supported/);
});

test('the grid marks allowed, denied and unroutable apart', () => {
  const lines = formatMatrix(matrix({ port: 80, protocol: 'UDP' })).split('\n');
  assert.deepEqual(lines[0]!.split(/\s+/), ['UDP/80', 'a/one', 'a/zero', 'b/two'], 'header');
  assert.deepEqual(lines[2]!.split(/\s+/), ['a/zero', 'X', '.', '-'], 'denied, self, no route');
  assert.match(lines.at(-1)!, /'\.' allowed, 'X' denied by policy, '-' no route/, 'legend');
});
