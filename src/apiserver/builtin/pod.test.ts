// Proves the pods nso presents for its own components decode as kubectl logs and kubectl get pods read them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ResourceSchema } from '../admission/resource-schema.ts';
import { formatFieldError } from '../schema/field-error.ts';
import { PodResource } from './pod.ts';

type Obj = Record<string, unknown>;
const schema = new ResourceSchema(PodResource.schema, { namespaced: true });

const component: Obj = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'network-services-operator-0',
    namespace: 'datum-system',
    labels: { app: 'network-services-operator' },
    annotations: { 'kubectl.kubernetes.io/default-container': 'operator' },
  },
  spec: { containers: [{ name: 'operator', image: 'nso' }], nodeName: 'localhost' },
  status: {
    phase: 'Running',
    podIP: '127.0.0.1',
    startTime: '2024-01-01T00:00:00Z',
    conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-01-01T00:00:01Z' }],
    containerStatuses: [
      {
        name: 'operator',
        ready: true,
        restartCount: 0,
        image: 'nso',
        imageID: '',
        started: true,
        state: { running: { startedAt: '2024-01-01T00:00:00Z' } },
      },
    ],
  },
};

describe('Pod', () => {
  test('a component pod is valid and keeps every field kubectl reads', () => {
    const decoded = schema.decode(component);
    assert.deepEqual(decoded.unknownFields, [], 'no field pruned');
    assert.deepEqual(decoded.object, component, 'unchanged by decoding');
    assert.deepEqual(schema.validate(decoded.object).map(formatFieldError), [], 'valid');
  });

  test('a container needs a name, which kubectl logs -c selects', () => {
    const errors = schema.validate({ ...component, spec: { containers: [{ image: 'nso' }] } });
    assert.deepEqual(errors.map(formatFieldError), ['spec.containers[0].name: Required value'], 'name');
  });

  test('a terminated container reports its exit code', () => {
    const status = component.status as Obj;
    const [container] = status.containerStatuses as Obj[];
    const stopped = {
      ...component,
      status: {
        ...status,
        phase: 'Failed',
        containerStatuses: [
          { ...container, ready: false, state: { terminated: { exitCode: 1, reason: 'Error' } } },
        ],
      },
    };
    assert.deepEqual(schema.validate(schema.decode(stopped).object).map(formatFieldError), [], 'valid');
  });
});
