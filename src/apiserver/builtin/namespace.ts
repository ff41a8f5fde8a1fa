import { type Static, Type } from 'typebox';
import { ageColumn } from '../../api/kind.ts';
import { ObjectMeta } from '../../api/object-meta.ts';
import { StringConstant, StringEnum } from '../../api/structural.ts';
import type { ResourceInfo } from '../registry/resource-info.ts';
import { type FieldError, invalid } from '../schema/field-error.ts';
import { isDns1123Label, isDns1123Subdomain, isQualifiedName } from '../schema/k8s-names.ts';
import { openAPIV3SchemaOf } from './open-api-schema.ts';
import { Time } from './scalar-fields.ts';
import { wellTyped } from './well-typed.ts';

export const NAMESPACE_PHASES = ['Active', 'Terminating'] as const;
export type NamespacePhase = (typeof NAMESPACE_PHASES)[number];

/** Finalizers Kubernetes itself knows; any other must be qualified (`example.com/cleanup`). */
export const STANDARD_FINALIZERS = ['kubernetes', 'orphan', 'foregroundDeletion'] as const;

export const NamespaceCondition = Type.Object(
  {
    type: Type.String({ description: 'The condition type, e.g. NamespaceDeletionContentFailure.' }),
    status: Type.String({ description: 'True, False or Unknown.' }),
    lastTransitionTime: Type.Optional(Time('When the status last changed.')),
    reason: Type.Optional(Type.String({ description: 'A CamelCase word saying why.' })),
    message: Type.Optional(Type.String({ description: 'A sentence for a person.' })),
  },
  { description: "One aspect of the namespace's state." },
);

export const Namespace = Type.Object({
  apiVersion: StringConstant('v1', 'The versioned schema of this object: v1.'),
  kind: StringConstant('Namespace', 'The kind of this object: Namespace.'),
  metadata: ObjectMeta,
  spec: Type.Optional(
    Type.Object(
      {
        finalizers: Type.Optional(
          Type.Array(Type.String(), {
            description: 'What must finish before the namespace is removed from storage.',
            'x-kubernetes-list-type': 'atomic',
          }),
        ),
      },
      { description: 'The desired state of the namespace.' },
    ),
  ),
  status: Type.Optional(
    Type.Object(
      {
        phase: Type.Optional(
          StringEnum(NAMESPACE_PHASES, {
            description: 'Active, or Terminating while its objects are being deleted.',
          }),
        ),
        conditions: Type.Optional(
          Type.Array(NamespaceCondition, {
            description: "The latest observations of the namespace's state.",
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['type'],
          }),
        ),
      },
      { description: 'The observed state of the namespace.' },
    ),
  ),
});
export type Namespace = Static<typeof Namespace>;

const DESCRIPTION =
  'A scope for names: a project or tenant. Namespaced objects live in exactly one namespace; deleting it deletes them.';

export const NamespaceResource: ResourceInfo = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  listKind: 'NamespaceList',
  plural: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  shortNames: ['ns'],
  categories: [],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: ['status'],
  printerColumns: [
    {
      name: 'Status',
      type: 'string',
      jsonPath: '.status.phase',
      description: 'Active, or Terminating while its objects are being deleted.',
    },
    ageColumn,
  ],
  selectableFields: ['status.phase'],
  schema: openAPIV3SchemaOf(Namespace, DESCRIPTION),
  description: DESCRIPTION,
};

/**
 * What Kubernetes checks on a namespace beyond ObjectMeta: its name is a DNS-1123 label (it becomes part of
 * other objects' identity), and spec.finalizers are standard or qualified names. Nothing for a namespace
 * its schema refuses.
 */
export function validateNamespace(namespace: Namespace): FieldError[] {
  if (!wellTyped(NamespaceResource.schema, namespace)) return [];
  const errs: FieldError[] = [];
  const name: unknown = namespace.metadata?.name;
  if (typeof name === 'string' && name !== '' && isDns1123Subdomain(name).length === 0) {
    for (const msg of isDns1123Label(name)) errs.push(invalid('metadata.name', name, msg));
  }
  for (const finalizer of namespace.spec?.finalizers ?? []) {
    for (const msg of isQualifiedName(finalizer)) errs.push(invalid('spec.finalizers', finalizer, msg));
    if (!finalizer.includes('/') && !(STANDARD_FINALIZERS as readonly string[]).includes(finalizer)) {
      errs.push(
        invalid(
          'spec.finalizers',
          finalizer,
          'name is neither a standard finalizer name nor is it fully qualified',
        ),
      );
    }
  }
  return errs;
}
