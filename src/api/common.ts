import { Type } from 'typebox';
import { StringEnum, StringMap, type ValidationRule } from './structural.ts';

export const Name = (description: string) => Type.String({ description, minLength: 1, maxLength: 253 });

export const LocalReference = (what: string) =>
  Type.Object(
    { name: Name(`The name of the ${what}, in the same namespace.`) },
    { description: `A reference to a ${what}.` },
  );

export const NetworkReference = Type.Object(
  {
    name: Name('The name of the Network.'),
    namespace: Type.Optional(
      Type.String({
        description: "The namespace of the Network; the referring object's namespace when omitted.",
        minLength: 1,
        maxLength: 63,
      }),
    ),
  },
  { description: 'A reference to a Network.' },
);

export const IP_FAMILIES = ['IPv4', 'IPv6'] as const;
export const IPFamily = StringEnum(IP_FAMILIES, { description: 'The address family.', default: 'IPv4' });

export const Location = Type.Object(
  {
    region: Type.Optional(Type.String({ description: 'The region, e.g. us-central1.', maxLength: 63 })),
    zone: Type.Optional(
      Type.String({ description: 'The zone within the region, e.g. us-central1-a.', maxLength: 63 }),
    ),
  },
  { description: 'Where the resource lives.' },
);

export const CONDITION_STATUSES = ['True', 'False', 'Unknown'] as const;

export const Condition = Type.Object(
  {
    type: Type.String({ description: 'The condition type, e.g. Ready.', maxLength: 316 }),
    status: StringEnum(CONDITION_STATUSES, { description: 'True, False or Unknown.' }),
    reason: Type.String({
      description: 'A CamelCase word saying why the condition has its status.',
      maxLength: 1024,
    }),
    message: Type.String({ description: 'A sentence for a person.', maxLength: 32768 }),
    lastTransitionTime: Type.String({ description: 'When the status last changed.', format: 'date-time' }),
    observedGeneration: Type.Optional(
      Type.Integer({ description: 'The .metadata.generation the condition was computed from.', minimum: 0 }),
    ),
  },
  { description: "One aspect of the object's state, as in metav1.Condition." },
);

export const Conditions = Type.Array(Condition, {
  description: "The latest observations of the object's state.",
  maxItems: 16,
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': ['type'],
});

export const ObservedGeneration = Type.Integer({
  description: 'The .metadata.generation the status was computed from.',
  minimum: 0,
});

export const LabelSelector = Type.Object(
  {
    matchLabels: Type.Optional(StringMap({ description: 'Labels that must all match.' })),
    matchExpressions: Type.Optional(
      Type.Array(
        Type.Object(
          {
            key: Type.String({ description: 'The label key.', minLength: 1, maxLength: 317 }),
            operator: StringEnum(['In', 'NotIn', 'Exists', 'DoesNotExist'] as const, {
              description: 'How the key relates to the values.',
            }),
            values: Type.Optional(Type.Array(Type.String({ maxLength: 63 }), { maxItems: 64 })),
          },
          {
            'x-kubernetes-validations': [
              {
                rule: "self.operator in ['In', 'NotIn'] ? (has(self.values) && size(self.values) > 0) : (!has(self.values) || size(self.values) == 0)",
                message: 'values must be non-empty for In and NotIn, and empty for Exists and DoesNotExist',
              },
            ],
          },
        ),
        { description: 'Expressions that must all match.', maxItems: 32 },
      ),
    ),
  },
  { description: 'A Kubernetes label selector; an empty selector matches everything.' },
);

export const PrefixLength = Type.Integer({
  description: 'The size of the subnet as a prefix length: 24 asks for a /24 (256 addresses).',
  minimum: 0,
  maximum: 128,
});

/** A subnet must leave room for its reserved addresses: IPv4 /8 to /29, IPv6 /8 to /126. */
export const prefixLengthRule: ValidationRule = {
  rule: "self.ipFamily == 'IPv6' ? (self.prefixLength >= 8 && self.prefixLength <= 126) : (self.prefixLength >= 8 && self.prefixLength <= 29)",
  messageExpression:
    "'prefixLength ' + string(self.prefixLength) + ' is out of range for ' + self.ipFamily + ': use ' + (self.ipFamily == 'IPv6' ? '8 to 126' : '8 to 29 (a /29 has 4 usable addresses after the network, gateway, second-to-last and broadcast)')",
  fieldPath: '.prefixLength',
};
