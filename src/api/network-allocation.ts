import { type Static, Type } from 'typebox';
import { Conditions, LocalReference, ObservedGeneration } from './common.ts';
import { ageColumn, CATEGORIES, type KindDefinition, NETWORKING_GROUP, VERSION } from './kind.ts';
import { ObjectMeta } from './object-meta.ts';
import { Immutable, rules, StringConstant } from './structural.ts';

/** What may hold a block of a network: a claim the operator allocated for, or a Subnet written with its own cidrBlock. */
export const ALLOCATION_HOLDER_KINDS = ['SubnetClaim', 'Subnet'] as const;
export type AllocationHolderKind = (typeof ALLOCATION_HOLDER_KINDS)[number];

/** A network holds at most this many blocks: the record is one object, and objects stay under 3 MiB. */
export const MAX_NETWORK_ALLOCATIONS = 20_000;

/** One block of the network and the object that holds it. */
export interface NetworkAllocationEntry {
  /** The block, in canonical form, e.g. 10.100.0.0/24. */
  readonly cidr: string;
  readonly kind: AllocationHolderKind;
  /** The name of the holder, in the same namespace. */
  readonly name: string;
  /** The holder's metadata.uid: the block belongs to that object only, never to a later one of the same name. */
  readonly uid: string;
}

/**
 * An entry as the record stores it: `<cidr> <kind> <name> <uid>`, e.g.
 * `10.100.0.0/24 SubnetClaim web-subnet 6f1c2f4e-0b1a-4c55-9a57-3d2f7f1e9a01`. One string rather than an object
 * of four fields: the whole record is rewritten on every commit, and the API server validates, prunes,
 * converts for CEL and tracks fields of every node of it, so a network with thousands of blocks costs a
 * fifth as much. (Kubernetes' own RangeAllocation goes further and stores an opaque bitmap.)
 */
const ENTRY_PATTERN = `^[0-9a-fA-F.:]+/[0-9]{1,3} (${ALLOCATION_HOLDER_KINDS.join('|')}) [a-z0-9]([-a-z0-9.]*[a-z0-9])? [^ ]{1,128}$`;
const ENTRY_RE = new RegExp(ENTRY_PATTERN);

export const NetworkAllocationEntryText = Type.String({
  description:
    'One block and its holder: "<cidr> <kind> <name> <uid>", e.g. "10.100.0.0/24 SubnetClaim web-subnet 6f1c2f4e-0b1a-4c55-9a57-3d2f7f1e9a01". The kind is SubnetClaim or Subnet; the uid is the holder\'s metadata.uid, so the block belongs to that object only, never to a later one of the same name.',
  pattern: ENTRY_PATTERN,
  maxLength: 49 + 1 + 11 + 1 + 253 + 1 + 128,
});

export function formatAllocationEntry(entry: NetworkAllocationEntry): string {
  return `${entry.cidr} ${entry.kind} ${entry.name} ${entry.uid}`;
}

/** The entry a stored line says, or undefined for a line that is not one (the schema refuses those). */
export function parseAllocationEntry(text: string): NetworkAllocationEntry | undefined {
  if (!ENTRY_RE.test(text)) return undefined;
  const [cidr, kind, name, uid] = text.split(' ') as [string, AllocationHolderKind, string, string];
  return { cidr, kind, name, uid };
}

export const NetworkAllocationSpec = Type.Object(
  {
    networkRef: { ...LocalReference('Network'), ...rules(Immutable('networkRef')) },
    allocations: Type.Array(NetworkAllocationEntryText, {
      description: 'Every block allocated in the network, in address order; no two overlap.',
      maxItems: MAX_NETWORK_ALLOCATIONS,
      'x-kubernetes-list-type': 'atomic',
    }),
    count: Type.Integer({
      description: 'The number of allocations, kept with them so that kubectl can show it.',
      minimum: 0,
      maximum: MAX_NETWORK_ALLOCATIONS,
    }),
  },
  {
    description: "The committed allocations of one network's address space.",
    ...rules({
      rule: 'size(self.allocations) == self.count',
      messageExpression:
        "'count is ' + string(self.count) + ' but there are ' + string(size(self.allocations)) + ' allocations'",
      fieldPath: '.count',
    }),
  },
);
export type NetworkAllocationSpec = Static<typeof NetworkAllocationSpec>;

export const NetworkAllocationStatus = Type.Object(
  {
    observedGeneration: Type.Optional(ObservedGeneration),
    conditions: Type.Optional(Conditions),
  },
  { description: 'The observed state of a NetworkAllocation.' },
);

export const NetworkAllocation = Type.Object({
  apiVersion: StringConstant('networking.datumapis.com/v1alpha1', 'networking.datumapis.com/v1alpha1'),
  kind: StringConstant('NetworkAllocation', 'NetworkAllocation'),
  metadata: ObjectMeta,
  spec: NetworkAllocationSpec,
  status: Type.Optional(NetworkAllocationStatus),
});
export type NetworkAllocation = Static<typeof NetworkAllocation>;

export const NetworkAllocationKind: KindDefinition = {
  group: NETWORKING_GROUP,
  version: VERSION,
  kind: 'NetworkAllocation',
  plural: 'networkallocations',
  singular: 'networkallocation',
  shortNames: ['netalloc'],
  categories: CATEGORIES,
  description:
    "The operator's record of which blocks of a network are allocated and to whom: one per Network, named like it and owned by it. Every allocation is committed by updating this object at its resourceVersion, so the API server decides between racing operators. Written by the operator, not by hand.",
  schema: NetworkAllocation,
  printerColumns: [
    { name: 'Network', type: 'string', jsonPath: '.spec.networkRef.name', description: 'The network.' },
    { name: 'Allocations', type: 'integer', jsonPath: '.spec.count', description: 'Blocks allocated.' },
    ageColumn,
  ],
  selectableFields: [],
};
