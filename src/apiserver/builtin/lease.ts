import { type Static, Type } from 'typebox';
import { ageColumn } from '../../api/kind.ts';
import { ObjectMeta } from '../../api/object-meta.ts';
import { StringConstant } from '../../api/structural.ts';
import type { ResourceInfo } from '../registry/resource-info.ts';
import { type FieldError, forbidden, invalid, notSupported } from '../schema/field-error.ts';
import { isQualifiedName } from '../schema/k8s-names.ts';
import { openAPIV3SchemaOf } from './open-api-schema.ts';
import { Int32, MicroTime } from './scalar-fields.ts';
import { wellTyped } from './well-typed.ts';

/** Coordinated leader election's strategies Kubernetes defines; others must be qualified names. */
export const LEASE_STRATEGIES = ['OldestEmulationVersion'] as const;

export const LeaseSpec = Type.Object(
  {
    holderIdentity: Type.Optional(Type.String({ description: 'Who holds the lease now.' })),
    leaseDurationSeconds: Type.Optional(
      Int32('How long, from renewTime, candidates wait before they may take the lease.'),
    ),
    acquireTime: Type.Optional(MicroTime('When the current holder acquired the lease.')),
    renewTime: Type.Optional(MicroTime('When the current holder last renewed the lease.')),
    leaseTransitions: Type.Optional(Int32('How many times the lease has changed holders.')),
    strategy: Type.Optional(
      Type.String({ description: 'How coordinated leader election picks the holder, if it does.' }),
    ),
    preferredHolder: Type.Optional(
      Type.String({ description: 'The holder coordinated leader election wants next.' }),
    ),
  },
  { description: 'The desired state of the lease.' },
);

export const Lease = Type.Object({
  apiVersion: StringConstant('coordination.k8s.io/v1', 'The versioned schema of this object.'),
  kind: StringConstant('Lease', 'The kind of this object: Lease.'),
  metadata: ObjectMeta,
  spec: Type.Optional(LeaseSpec),
});
export type Lease = Static<typeof Lease>;

const DESCRIPTION = 'A lease: who leads a group of replicas (leader election) and until when.';

export const LeaseResource: ResourceInfo = {
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  listKind: 'LeaseList',
  plural: 'leases',
  singular: 'lease',
  namespaced: true,
  shortNames: [],
  categories: [],
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: [],
  printerColumns: [
    {
      name: 'Holder',
      type: 'string',
      jsonPath: '.spec.holderIdentity',
      description: 'Who holds the lease now.',
    },
    ageColumn,
  ],
  selectableFields: [],
  schema: openAPIV3SchemaOf(Lease, DESCRIPTION),
  description: DESCRIPTION,
};

/** Kubernetes' ValidateLeaseSpec: a positive duration, no negative transitions, a known strategy. */
export function validateLease(lease: Lease): FieldError[] {
  if (!wellTyped(LeaseResource.schema, lease)) return [];
  const spec = lease.spec ?? {};
  const errs: FieldError[] = [];
  if (spec.leaseDurationSeconds !== undefined && spec.leaseDurationSeconds <= 0) {
    errs.push(invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  if (spec.leaseTransitions !== undefined && spec.leaseTransitions < 0) {
    errs.push(invalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
  }
  const strategy = spec.strategy;
  if (strategy !== undefined) {
    if (!strategy.includes('/')) {
      if (!(LEASE_STRATEGIES as readonly string[]).includes(strategy))
        errs.push(notSupported('spec.strategy', strategy, LEASE_STRATEGIES));
    } else for (const msg of isQualifiedName(strategy)) errs.push(invalid('spec.strategy', strategy, msg));
  }
  if ((spec.preferredHolder ?? '') !== '' && (strategy ?? '') === '') {
    errs.push(forbidden('spec.preferredHolder', 'may only be specified if `strategy` is defined'));
  }
  return errs;
}
