// Proves Pod rows print as kubectl's printPod in wide mode: READY, STATUS and RESTARTS from container states.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { POD_ROWS } from './pod-rows.ts';

const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);
const ago = (seconds: number): string => new Date(NOW - seconds * 1000).toISOString().replace('.000Z', 'Z');

const running = { running: { startedAt: ago(60) } };
const waiting = (reason: string) => ({ waiting: { reason } });
const terminated = (exitCode: number, reason?: string, signal?: number) => ({
  terminated: {
    exitCode,
    ...(reason === undefined ? {} : { reason }),
    ...(signal === undefined ? {} : { signal }),
  },
});

function pod(
  spec: Record<string, unknown>,
  status: Record<string, unknown>,
  metadata: Record<string, unknown> = {},
) {
  return { metadata: { name: 'web-0', creationTimestamp: ago(7200), ...metadata }, spec, status };
}

/** Ready, Status and Restarts cells. */
const summary = (object: unknown): unknown[] => POD_ROWS.render(object, NOW).cells.slice(1, 4);

const containers = (...names: string[]) => names.map((name) => ({ name, image: 'x' }));

test('columns: the five narrow ones, then IP, Node, Nominated Node and Readiness Gates at priority 1', () => {
  assert.deepEqual(
    POD_ROWS.columns.map((c) => [c.name, c.type, c.priority]),
    [
      ['Name', 'string', 0],
      ['Ready', 'string', 0],
      ['Status', 'string', 0],
      ['Restarts', 'string', 0],
      ['Age', 'string', 0],
      ['IP', 'string', 1],
      ['Node', 'string', 1],
      ['Nominated Node', 'string', 1],
      ['Readiness Gates', 'string', 1],
    ],
    'pod columns',
  );
});

test('a running pod with a restart', () => {
  const object = pod(
    { containers: containers('web', 'proxy'), nodeName: 'node-1' },
    {
      phase: 'Running',
      podIP: '10.0.0.7',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        {
          name: 'web',
          ready: true,
          restartCount: 1,
          state: running,
          lastTerminationState: { terminated: { exitCode: 1, finishedAt: ago(300) } },
        },
        { name: 'proxy', ready: true, restartCount: 0, state: running },
      ],
    },
  );
  const row = POD_ROWS.render(object, NOW);
  assert.deepEqual(
    row.cells,
    ['web-0', '2/2', 'Running', '1 (5m ago)', '120m', '10.0.0.7', 'node-1', '<none>', '<none>'],
    'cells',
  );
  assert.equal(row.conditions, undefined, 'a running pod has no row condition');
});

test('STATUS comes from the first container with a waiting or terminated reason', () => {
  const spec = { containers: containers('a', 'b') };
  assert.deepEqual(
    summary(
      pod(spec, {
        phase: 'Pending',
        containerStatuses: [{ name: 'a', state: waiting('ContainerCreating') }],
      }),
    ),
    ['0/2', 'ContainerCreating', '0'],
    'creating',
  );
  assert.deepEqual(
    summary(
      pod(spec, {
        phase: 'Running',
        containerStatuses: [
          { name: 'a', restartCount: 4, state: waiting('CrashLoopBackOff') },
          { name: 'b', ready: true, state: running },
        ],
      }),
    ),
    ['1/2', 'CrashLoopBackOff', '4'],
    'crash loop, restarts without a finish time',
  );
  assert.deepEqual(
    summary(
      pod(spec, {
        phase: 'Running',
        containerStatuses: [
          { name: 'a', state: terminated(137) },
          { name: 'b', state: terminated(0, undefined, 9) },
        ],
      }),
    ),
    ['0/2', 'ExitCode:137', '0'],
    'exit code, the first container wins over a signal',
  );
  assert.deepEqual(
    summary(
      pod(spec, { phase: 'Running', containerStatuses: [{ name: 'b', state: terminated(0, undefined, 9) }] }),
    ),
    ['0/2', 'Signal:9', '0'],
    'signal',
  );
});

test('a completed container next to a running one reads Running or NotReady by the Ready condition', () => {
  const statuses = [
    { name: 'job', state: terminated(0, 'Completed') },
    { name: 'sidecar', ready: true, state: running },
  ];
  const spec = { containers: containers('job', 'sidecar') };
  assert.deepEqual(
    summary(
      pod(spec, {
        phase: 'Running',
        containerStatuses: statuses,
        conditions: [{ type: 'Ready', status: 'True' }],
      }),
    ),
    ['1/2', 'Running', '0'],
    'ready',
  );
  assert.deepEqual(
    summary(pod(spec, { phase: 'Running', containerStatuses: statuses })),
    ['1/2', 'NotReady', '0'],
    'not ready',
  );
});

test('finished pods carry a Completed row condition', () => {
  const done = POD_ROWS.render(
    pod(
      { containers: containers('a') },
      { phase: 'Succeeded', containerStatuses: [{ name: 'a', state: terminated(0, 'Completed') }] },
    ),
    NOW,
  );
  assert.equal(done.cells[2], 'Completed', 'status');
  assert.deepEqual(
    done.conditions,
    [
      {
        type: 'Completed',
        status: 'True',
        reason: 'Succeeded',
        message: 'The pod has completed successfully.',
      },
    ],
    'succeeded',
  );
  const evicted = POD_ROWS.render(
    pod({ containers: containers('a') }, { phase: 'Failed', reason: 'Evicted' }),
    NOW,
  );
  assert.equal(evicted.cells[2], 'Evicted', 'the pod reason');
  assert.deepEqual(
    evicted.conditions,
    [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }],
    'failed',
  );
});

test('init containers report Init:<state> until the pod is initialized', () => {
  const spec = { initContainers: containers('migrate', 'seed'), containers: containers('web') };
  const init = (statuses: unknown[]) =>
    summary(pod(spec, { phase: 'Pending', initContainerStatuses: statuses }));
  assert.deepEqual(
    init([{ name: 'migrate', state: waiting('PodInitializing') }]),
    ['0/1', 'Init:0/2', '0'],
    'first',
  );
  assert.deepEqual(
    init([
      { name: 'migrate', state: terminated(0, 'Completed') },
      { name: 'seed', state: running },
    ]),
    ['0/1', 'Init:1/2', '0'],
    'second',
  );
  assert.deepEqual(
    init([{ name: 'migrate', restartCount: 2, state: waiting('CrashLoopBackOff') }]),
    ['0/1', 'Init:CrashLoopBackOff', '2'],
    'init restarts count while initializing',
  );
  assert.deepEqual(
    init([{ name: 'migrate', state: terminated(1, 'Error') }]),
    ['0/1', 'Init:Error', '0'],
    'error',
  );
  assert.deepEqual(
    init([{ name: 'migrate', state: terminated(3) }]),
    ['0/1', 'Init:ExitCode:3', '0'],
    'exit code',
  );
  assert.deepEqual(
    init([{ name: 'migrate', state: terminated(2, '', 15) }]),
    ['0/1', 'Init:Signal:15', '0'],
    'signal',
  );
});

test('a restartable init container (sidecar) counts as a container', () => {
  const object = pod(
    { initContainers: [{ name: 'mesh', restartPolicy: 'Always' }], containers: containers('web') },
    {
      phase: 'Running',
      conditions: [{ type: 'Initialized', status: 'True' }],
      initContainerStatuses: [
        {
          name: 'mesh',
          started: true,
          ready: true,
          restartCount: 1,
          state: running,
          lastTerminationState: { terminated: { exitCode: 1, finishedAt: ago(30) } },
        },
      ],
      containerStatuses: [{ name: 'web', ready: true, state: running }],
    },
  );
  assert.deepEqual(summary(object), ['2/2', 'Running', '1 (30s ago)'], 'sidecar ready and its restarts');
});

test('deletion, lost nodes and scheduling gates', () => {
  const spec = { containers: containers('a') };
  const status = { phase: 'Running', containerStatuses: [{ name: 'a', ready: true, state: running }] };
  assert.equal(summary(pod(spec, status, { deletionTimestamp: ago(1) }))[1], 'Terminating', 'terminating');
  assert.equal(
    summary(pod(spec, { ...status, reason: 'NodeLost' }, { deletionTimestamp: ago(1) }))[1],
    'Unknown',
    'node lost',
  );
  assert.equal(
    summary(pod(spec, { phase: 'Succeeded' }, { deletionTimestamp: ago(1) }))[1],
    'Succeeded',
    'a finished pod is not terminating',
  );
  assert.equal(
    summary(
      pod(spec, {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }],
      }),
    )[1],
    'SchedulingGated',
    'gated',
  );
});

test('wide cells: podIPs, nominated node and readiness gates', () => {
  const object = pod(
    {
      containers: containers('a'),
      readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }],
    },
    {
      phase: 'Pending',
      podIPs: [{ ip: 'fd00::7' }, { ip: '10.0.0.7' }],
      nominatedNodeName: 'node-2',
      conditions: [
        { type: 'example.com/lb', status: 'True' },
        { type: 'example.com/dns', status: 'False' },
      ],
    },
  );
  assert.deepEqual(
    POD_ROWS.render(object, NOW).cells.slice(5),
    ['fd00::7', '<none>', 'node-2', '1/2'],
    'wide cells',
  );
});
