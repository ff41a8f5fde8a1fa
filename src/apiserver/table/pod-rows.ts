import { humanDuration } from './duration.ts';
import { CREATION_TIMESTAMP_DESCRIPTION, NAME_COLUMN } from './object-meta-columns.ts';
import type { RenderedRow, RowRenderer } from './row-renderer.ts';
import type { TableColumnDefinition, TableRowCondition } from './table-shape.ts';
import { GO_ZERO_TIME_MS, instantOf, translateTimestampSince } from './timestamp.ts';
import { arrayAt, booleanAt, numberAt, objectAt, stringAt, valueAt } from './zero-valued-fields.ts';

const column = (name: string, type: string, description: string, priority = 0): TableColumnDefinition => ({
  name,
  type,
  format: '',
  description,
  priority,
});

const POD_COLUMNS: readonly TableColumnDefinition[] = [
  NAME_COLUMN,
  column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
  column('Status', 'string', 'The aggregate status of the containers in this pod.'),
  column(
    'Restarts',
    'string',
    'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
  ),
  column('Age', 'string', CREATION_TIMESTAMP_DESCRIPTION),
  column(
    'IP',
    'string',
    'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
    1,
  ),
  column(
    'Node',
    'string',
    'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename',
    1,
  ),
  column(
    'Nominated Node',
    'string',
    'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.',
    1,
  ),
  column(
    'Readiness Gates',
    'string',
    'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates',
    1,
  ),
];

const completed = (reason: string, message: string): readonly TableRowCondition[] => [
  { type: 'Completed', status: 'True', reason, message },
];
const SUCCEEDED = completed('Succeeded', 'The pod has completed successfully.');
const FAILED = completed('Failed', 'The pod failed.');

/** kubectl's printPod: READY as ready/total containers, STATUS from the phase and the container states. */
export const POD_ROWS: RowRenderer = {
  columns: POD_COLUMNS,
  render: renderPod,
};

function renderPod(pod: unknown, now: number): RenderedRow {
  const metadata = objectAt(pod, 'metadata');
  const spec = objectAt(pod, 'spec');
  const status = objectAt(pod, 'status');
  const phase = stringAt(status, 'phase');
  const conditions = arrayAt(status, 'conditions');
  let reason = stringAt(status, 'reason') || phase;
  for (const condition of conditions) {
    if (
      stringAt(condition, 'type') === 'PodScheduled' &&
      stringAt(condition, 'reason') === 'SchedulingGated'
    ) {
      reason = 'SchedulingGated';
    }
  }

  const initSpecs = arrayAt(spec, 'initContainers');
  const initContainers = new Map(initSpecs.map((c) => [stringAt(c, 'name'), c]));
  const totalContainers = arrayAt(spec, 'containers').length + initSpecs.filter(isRestartable).length;
  let readyContainers = 0;
  let restarts = 0;
  let restartableRestarts = 0;
  let lastRestart = GO_ZERO_TIME_MS;
  let lastRestartableRestart = GO_ZERO_TIME_MS;
  let initializing = false;

  const initStatuses = arrayAt(status, 'initContainerStatuses');
  for (const [i, container] of initStatuses.entries()) {
    const restartCount = numberAt(container, 'restartCount');
    const finishedAt = lastFinishedAt(container);
    restarts += restartCount;
    lastRestart = Math.max(lastRestart, finishedAt);
    const restartable = isRestartable(initContainers.get(stringAt(container, 'name')));
    if (restartable) {
      restartableRestarts += restartCount;
      lastRestartableRestart = Math.max(lastRestartableRestart, finishedAt);
    }
    const state = objectAt(container, 'state');
    const terminated = objectAt(state, 'terminated');
    const waiting = objectAt(state, 'waiting');
    if (terminated && numberAt(terminated, 'exitCode') === 0) continue;
    if (restartable && booleanAt(container, 'started')) {
      if (booleanAt(container, 'ready')) readyContainers++;
      continue;
    }
    initializing = true;
    if (terminated) reason = `Init:${terminatedReason(terminated)}`;
    else if (
      waiting &&
      stringAt(waiting, 'reason') !== '' &&
      stringAt(waiting, 'reason') !== 'PodInitializing'
    ) {
      reason = `Init:${stringAt(waiting, 'reason')}`;
    } else reason = `Init:${i}/${initSpecs.length}`;
    break;
  }

  if (!initializing || conditionStatus(conditions, 'Initialized') === 'True') {
    restarts = restartableRestarts;
    lastRestart = lastRestartableRestart;
    let hasRunning = false;
    const statuses = arrayAt(status, 'containerStatuses');
    for (const container of [...statuses].reverse()) {
      restarts += numberAt(container, 'restartCount');
      lastRestart = Math.max(lastRestart, lastFinishedAt(container));
      const state = objectAt(container, 'state');
      const waiting = objectAt(state, 'waiting');
      const terminated = objectAt(state, 'terminated');
      if (waiting && stringAt(waiting, 'reason') !== '') reason = stringAt(waiting, 'reason');
      else if (terminated) reason = terminatedReason(terminated);
      else if (booleanAt(container, 'ready') && objectAt(state, 'running')) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = conditions.some((c) => stringAt(c, 'type') === 'Ready' && stringAt(c, 'status') === 'True')
        ? 'Running'
        : 'NotReady';
    }
  }

  const deleting = (valueAt(metadata, 'deletionTimestamp') ?? null) !== null;
  if (deleting && stringAt(status, 'reason') === 'NodeLost') reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  const restartsCell =
    restarts !== 0 && lastRestart !== GO_ZERO_TIME_MS
      ? `${restarts} (${humanDuration(now - lastRestart)} ago)`
      : String(restarts);

  const row: RenderedRow = {
    cells: [
      stringAt(metadata, 'name'),
      `${readyContainers}/${totalContainers}`,
      reason,
      restartsCell,
      translateTimestampSince(valueAt(metadata, 'creationTimestamp'), now),
      podIp(status) || '<none>',
      stringAt(spec, 'nodeName') || '<none>',
      stringAt(status, 'nominatedNodeName') || '<none>',
      readinessGates(arrayAt(spec, 'readinessGates'), conditions),
    ],
  };
  if (phase === 'Succeeded') return { ...row, conditions: SUCCEEDED };
  if (phase === 'Failed') return { ...row, conditions: FAILED };
  return row;
}

const isRestartable = (container: unknown): boolean => stringAt(container, 'restartPolicy') === 'Always';

/** The finish time of the container's previous run, or Go's zero time. */
const lastFinishedAt = (container: unknown): number =>
  instantOf(valueAt(objectAt(objectAt(container, 'lastTerminationState'), 'terminated'), 'finishedAt')) ??
  GO_ZERO_TIME_MS;

function terminatedReason(terminated: Record<string, unknown>): string {
  const reason = stringAt(terminated, 'reason');
  if (reason !== '') return reason;
  const signal = numberAt(terminated, 'signal');
  return signal !== 0 ? `Signal:${signal}` : `ExitCode:${numberAt(terminated, 'exitCode')}`;
}

const conditionStatus = (conditions: readonly unknown[], type: string): string | undefined => {
  const found = conditions.find((c) => stringAt(c, 'type') === type);
  return found === undefined ? undefined : stringAt(found, 'status');
};

/** The internal API's first pod IP: v1 `podIP` wins over `podIPs`, as the v1 conversion decides. */
function podIp(status: Record<string, unknown> | undefined): string {
  return stringAt(status, 'podIP') || stringAt(arrayAt(status, 'podIPs')[0], 'ip');
}

function readinessGates(gates: readonly unknown[], conditions: readonly unknown[]): string {
  if (gates.length === 0) return '<none>';
  const ready = gates.filter(
    (gate) => conditionStatus(conditions, stringAt(gate, 'conditionType')) === 'True',
  );
  return `${ready.length}/${gates.length}`;
}
