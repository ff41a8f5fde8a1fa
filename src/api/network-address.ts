import { type Static, Type } from 'typebox';
import { Conditions, LocalReference, Name, ObservedGeneration } from './common.ts';
import { IPAddress } from './ip-fields.ts';
import { ageColumn, CATEGORIES, type KindDefinition, NETWORKING_GROUP, VERSION } from './kind.ts';
import { ObjectMeta } from './object-meta.ts';
import { Immutable, rules, StringConstant } from './structural.ts';

export const AddressHolder = Type.Object(
  {
    kind: StringConstant('NetworkBinding', 'The kind of the holder: NetworkBinding.'),
    name: Name('The name of the holder, in the same namespace.'),
    uid: Type.String({
      description:
        "The holder's metadata.uid: the address belongs to that object only, never to a later one of the same name.",
      minLength: 1,
      maxLength: 128,
    }),
  },
  { description: 'The object the address is assigned to.' },
);

export const NetworkAddressSpec = Type.Object(
  {
    networkRef: { ...LocalReference('Network'), ...rules(Immutable('networkRef')) },
    subnetRef: LocalReference('Subnet'),
    address: IPAddress('The address, in canonical form, e.g. 10.0.1.2.'),
    holder: { ...AddressHolder, ...rules(Immutable('holder')) },
  },
  { description: 'One assigned address and its holder.' },
);

export const NetworkAddressStatus = Type.Object(
  {
    observedGeneration: Type.Optional(ObservedGeneration),
    conditions: Type.Optional(Conditions),
  },
  { description: 'The observed state of a NetworkAddress.' },
);

export const NetworkAddress = Type.Object({
  apiVersion: StringConstant('networking.datumapis.com/v1alpha1', 'networking.datumapis.com/v1alpha1'),
  kind: StringConstant('NetworkAddress', 'NetworkAddress'),
  metadata: ObjectMeta,
  spec: NetworkAddressSpec,
  status: Type.Optional(NetworkAddressStatus),
});
export type NetworkAddress = Static<typeof NetworkAddress>;

export const NetworkAddressKind: KindDefinition = {
  group: NETWORKING_GROUP,
  version: VERSION,
  kind: 'NetworkAddress',
  plural: 'networkaddresses',
  singular: 'networkaddress',
  shortNames: ['netaddr'],
  categories: CATEGORIES,
  description:
    "One address assigned in a network, named <network>.<address> (IPv6 with ':' written '-'), so the API server refuses a second holder: creating it is the assignment, AlreadyExists means taken. Written by the operator, not by hand.",
  schema: NetworkAddress,
  printerColumns: [
    { name: 'Address', type: 'string', jsonPath: '.spec.address', description: 'The address.' },
    { name: 'Subnet', type: 'string', jsonPath: '.spec.subnetRef.name', description: 'The subnet.' },
    { name: 'Holder', type: 'string', jsonPath: '.spec.holder.name', description: 'The holder.' },
    ageColumn,
  ],
  selectableFields: [],
};
