import { type Static, Type } from 'typebox';
import { ageColumn } from '../../api/kind.ts';
import { ObjectMeta } from '../../api/object-meta.ts';
import { StringConstant, StringEnum } from '../../api/structural.ts';
import type { ResourceInfo } from '../registry/resource-info.ts';
import { openAPIV3SchemaOf } from './open-api-schema.ts';
import { Int32, Time } from './scalar-fields.ts';

export const POD_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const;
export type PodPhase = (typeof POD_PHASES)[number];

const text = (description: string) => Type.Optional(Type.String({ description }));

export const Container = Type.Object(
  {
    name: Type.String({
      description: 'The name of the container, unique in the pod; kubectl logs -c picks it.',
    }),
    image: text('The image the container runs.'),
  },
  { description: 'One container of the pod.' },
);

export const ContainerState = (description: string) =>
  Type.Object(
    {
      waiting: Type.Optional(
        Type.Object(
          { reason: text('Why it is not running yet.'), message: text('More about why.') },
          { description: 'The container has not started yet.' },
        ),
      ),
      running: Type.Optional(
        Type.Object(
          { startedAt: Type.Optional(Time('When it last started.')) },
          { description: 'The container is running.' },
        ),
      ),
      terminated: Type.Optional(
        Type.Object(
          {
            exitCode: Int32('Its exit code.'),
            signal: Type.Optional(Int32('The signal that stopped it, if one did.')),
            reason: text('Why it stopped, in a word.'),
            message: text('Why it stopped.'),
            startedAt: Type.Optional(Time('When it started.')),
            finishedAt: Type.Optional(Time('When it stopped.')),
            containerID: text('The runtime id of the container.'),
          },
          { description: 'The container has stopped.' },
        ),
      ),
    },
    { description },
  );

export const ContainerStatus = Type.Object(
  {
    name: Type.String({ description: 'The container this status is about.' }),
    ready: Type.Boolean({ description: 'Whether the container is ready.' }),
    restartCount: Int32('How many times the container has restarted.'),
    image: Type.String({ description: 'The image the container runs.' }),
    imageID: Type.String({ description: 'The image digest.' }),
    containerID: text('The runtime id of the container.'),
    started: Type.Optional(Type.Boolean({ description: 'Whether the container has started.' })),
    state: Type.Optional(ContainerState('Waiting, running or terminated.')),
    lastState: Type.Optional(ContainerState('The state before the last restart.')),
  },
  { description: 'The observed state of one container.' },
);

export const PodCondition = Type.Object(
  {
    type: Type.String({ description: 'The condition type, e.g. Ready.' }),
    status: Type.String({ description: 'True, False or Unknown.' }),
    lastProbeTime: Type.Optional(Time('When the condition was last probed.')),
    lastTransitionTime: Type.Optional(Time('When the status last changed.')),
    reason: text('A CamelCase word saying why.'),
    message: text('A sentence for a person.'),
  },
  { description: "One aspect of the pod's state." },
);

export const Pod = Type.Object({
  apiVersion: StringConstant('v1', 'The versioned schema of this object: v1.'),
  kind: StringConstant('Pod', 'The kind of this object: Pod.'),
  metadata: ObjectMeta,
  spec: Type.Optional(
    Type.Object(
      {
        containers: Type.Array(Container, {
          description: 'The containers of the pod.',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
        }),
        nodeName: text('The node the pod runs on.'),
      },
      { description: 'What the pod runs.' },
    ),
  ),
  status: Type.Optional(
    Type.Object(
      {
        phase: Type.Optional(StringEnum(POD_PHASES, { description: 'Where the pod is in its lifecycle.' })),
        podIP: text('The address of the pod.'),
        hostIP: text('The address of its node.'),
        startTime: Type.Optional(Time('When the pod started.')),
        conditions: Type.Optional(
          Type.Array(PodCondition, {
            description: "The latest observations of the pod's state.",
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['type'],
          }),
        ),
        containerStatuses: Type.Optional(
          Type.Array(ContainerStatus, {
            description: 'The observed state of each container.',
            'x-kubernetes-list-type': 'atomic',
          }),
        ),
      },
      { description: 'The observed state of the pod.' },
    ),
  ),
});
export type Pod = Static<typeof Pod>;

const DESCRIPTION =
  "A running component of nso's control plane, presented as a pod so that kubectl get pods and kubectl logs work.";

/** Read-only: nso presents its own components as pods; nothing may create or change them through the API. */
export const PodResource: ResourceInfo = {
  group: '',
  version: 'v1',
  kind: 'Pod',
  listKind: 'PodList',
  plural: 'pods',
  singular: 'pod',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  verbs: ['get', 'list', 'watch'],
  subresources: ['log'],
  printerColumns: [
    {
      name: 'Status',
      type: 'string',
      jsonPath: '.status.phase',
      description: 'Where the pod is in its lifecycle.',
    },
    ageColumn,
    {
      name: 'IP',
      type: 'string',
      jsonPath: '.status.podIP',
      description: 'The address of the pod.',
      priority: 1,
    },
    {
      name: 'Node',
      type: 'string',
      jsonPath: '.spec.nodeName',
      description: 'The node it runs on.',
      priority: 1,
    },
  ],
  selectableFields: ['spec.nodeName', 'status.phase', 'status.podIP'],
  schema: openAPIV3SchemaOf(Pod, DESCRIPTION),
  description: DESCRIPTION,
};
