// Proves CRDs are refused as kube-apiserver refuses them (field path and message), while nso's own CRDs pass untouched.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { customResourceDefinition, KINDS, NetworkKind } from '../../api/index.ts';
import { ResourceSchema } from '../admission/resource-schema.ts';
import { type FieldError, formatFieldError } from '../schema/field-error.ts';
import {
  type CustomResourceDefinition,
  CustomResourceDefinitionResource,
  validateCustomResourceDefinition,
  withCustomResourceDefinitionDefaults,
} from './custom-resource-definition.ts';

type Crd = CustomResourceDefinition;
type Obj = Record<string, unknown>;
const schema = new ResourceSchema(CustomResourceDefinitionResource.schema, { namespaced: false });

/** As the registry creates one: decode with the CRD schema, default, then the schema's errors and the CRD rules. */
function admit(object: Obj): string[] {
  const crd = withCustomResourceDefinitionDefaults(schema.decode(object).object as unknown as Crd);
  const decoded = crd as unknown as Obj;
  return [...schema.validate(decoded), ...validateCustomResourceDefinition(crd)].map(formatFieldError);
}

const network = (): Crd => structuredClone(customResourceDefinition(NetworkKind)) as unknown as Crd;
const changed = (change: (crd: Crd) => void): Obj => {
  const crd = network();
  change(crd);
  return crd as unknown as Obj;
};
const version = (crd: Crd) => crd.spec.versions[0]!;
const schemaOf = (crd: Crd) => version(crd).schema!.openAPIV3Schema as Obj & { properties: Obj };
const v0 = 'spec.versions[0]';

describe('our own CRDs', () => {
  for (const kind of KINDS) {
    test(`${kind.plural}.${kind.group} is accepted as generated`, () => {
      const object = customResourceDefinition(kind);
      assert.deepEqual(schema.decode(object).unknownFields, [], 'no field of the CRD is unknown');
      assert.deepEqual(schema.decode(object).object, object, 'decoding changes nothing');
      assert.deepEqual(admit(object), [], 'valid');
    });
  }
});

describe('a CRD is refused', () => {
  const cases: [string, Obj, string, string, number?][] = [
    [
      'named other than plural.group',
      changed((c) => {
        c.metadata.name = 'nets.networking.datumapis.com';
      }),
      'metadata.name',
      'Invalid value: "nets.networking.datumapis.com": must be spec.names.plural+"."+spec.group',
    ],
    [
      'in a group without a dot',
      changed((c) => {
        c.spec.group = 'networking';
        c.metadata.name = 'networks.networking';
      }),
      'spec.group',
      'Invalid value: "networking": should be a domain with at least one dot',
    ],
    [
      'in a group that is not a DNS subdomain',
      changed((c) => {
        c.spec.group = 'Networking.example.com';
        c.metadata.name = 'networks.Networking.example.com';
      }),
      'spec.group',
      'a lowercase RFC 1123 subdomain must consist of',
      2,
    ],
    [
      'with an unknown scope',
      changed((c) => {
        c.spec.scope = 'Global';
      }),
      'spec.scope',
      'Unsupported value: "Global": supported values: "Cluster", "Namespaced"',
    ],
    [
      'with an empty scope',
      changed((c) => {
        c.spec.scope = '';
      }),
      'spec.scope',
      'Required value',
    ],
    [
      'with a plural that is not lowercase',
      changed((c) => {
        c.spec.names.plural = 'Networks';
        c.metadata.name = 'Networks.networking.datumapis.com';
      }),
      'spec.names.plural',
      'Invalid value: "Networks": a DNS-1035 label must consist of lower case alphanumeric characters',
      2,
    ],
    [
      'with a short name that is not a DNS-1035 label',
      changed((c) => {
        c.spec.names.shortNames = ['net_1'];
      }),
      'spec.names.shortNames[0]',
      'Invalid value: "net_1": a DNS-1035 label',
    ],
    [
      'with a kind that is not a label even in lowercase',
      changed((c) => {
        c.spec.names.kind = 'Net_work';
        c.spec.names.listKind = 'Net_workList';
      }),
      'spec.names.kind',
      'Invalid value: "Net_work": may have mixed case, but should otherwise match: a DNS-1035 label',
      2,
    ],
    [
      'with listKind equal to kind',
      changed((c) => {
        c.spec.names.listKind = 'Network';
      }),
      'spec.names.listKind',
      'Invalid value: "Network": kind and listKind may not be the same',
    ],
    [
      'with a category that is not a label',
      changed((c) => {
        c.spec.names.categories = ['Datum'];
      }),
      'spec.names.categories[0]',
      'Invalid value: "Datum": a DNS-1035 label',
    ],
    [
      'with an empty plural',
      changed((c) => {
        c.spec.names.plural = '';
        c.metadata.name = '.networking.datumapis.com';
      }),
      'spec.names.plural',
      'Required value',
      2,
    ],
    [
      'without versions',
      changed((c) => {
        c.spec.versions = [];
      }),
      'spec.versions',
      'Required value',
    ],
    [
      'with two versions of one name',
      changed((c) => {
        c.spec.versions = [version(c), { ...version(c), storage: false }];
      }),
      'spec.versions',
      'must contain unique version names',
    ],
    [
      'with no storage version',
      changed((c) => {
        version(c).storage = false;
      }),
      'spec.versions',
      'must have exactly one version marked as storage version',
    ],
    [
      'with two storage versions',
      changed((c) => {
        c.spec.versions = [version(c), { ...version(c), name: 'v1beta1' }];
      }),
      'spec.versions',
      'must have exactly one version marked as storage version',
    ],
    [
      'with a version name that is not a DNS-1035 label',
      changed((c) => {
        version(c).name = 'V1';
      }),
      `${v0}.name`,
      'Invalid value: "V1": a DNS-1035 label',
    ],
    [
      'with a version without a schema',
      changed((c) => {
        delete version(c).schema;
        delete version(c).selectableFields;
      }),
      `${v0}.schema.openAPIV3Schema`,
      'Required value',
    ],
    [
      'with a schema that is not structural',
      changed((c) => {
        schemaOf(c).properties.extra = { description: 'no type' };
      }),
      `${v0}.schema.openAPIV3Schema.properties[extra].type`,
      'Required value: must not be empty for specified object fields',
    ],
    [
      'with a default that does not match its schema',
      changed((c) => {
        schemaOf(c).properties.extra = { type: 'integer', default: 'ten' };
      }),
      `${v0}.schema.openAPIV3Schema.properties[extra].default`,
      'Invalid value: "string": ',
    ],
    [
      'with a CEL rule that does not compile',
      changed((c) => {
        schemaOf(c).properties.extra = {
          type: 'object',
          'x-kubernetes-validations': [{ rule: 'self.a +', message: 'broken' }],
        };
      }),
      `${v0}.schema.openAPIV3Schema.properties[extra].x-kubernetes-validations[0].rule`,
      'Invalid value: "self.a +": compilation failed',
    ],
    [
      'with a status subresource and a root schema field it would lose',
      changed((c) => {
        schemaOf(c).minProperties = 1;
      }),
      `${v0}.schema.openAPIV3Schema`,
      'only [Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum MaxLength MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items Properties ExternalDocs Example XPreserveUnknownFields XValidations] fields are allowed at the root of the schema if the status subresource is enabled',
    ],
    [
      'with a printer column of an unknown type',
      changed((c) => {
        version(c).additionalPrinterColumns![0]!.type = 'text';
      }),
      `${v0}.additionalPrinterColumns[0].type`,
      'Invalid value: "text": must be one of boolean,date,integer,number,string',
    ],
    [
      'with a printer column path not starting with a dot',
      changed((c) => {
        version(c).additionalPrinterColumns![0]!.jsonPath = 'status.phase';
      }),
      `${v0}.additionalPrinterColumns[0].jsonPath`,
      'Invalid value: "status.phase": must be a simple json path starting with .',
    ],
    [
      'with a printer column path that does not parse',
      changed((c) => {
        version(c).additionalPrinterColumns![0]!.jsonPath = '.status.conditions[0';
      }),
      `${v0}.additionalPrinterColumns[0].jsonPath`,
      'Invalid value: ".status.conditions[0": must be a valid JSONPath: unterminated array',
    ],
    [
      'with a printer column of an unknown format',
      changed((c) => {
        version(c).additionalPrinterColumns![0]!.format = 'cidr';
      }),
      `${v0}.additionalPrinterColumns[0].format`,
      'Invalid value: "cidr": must be one of byte,date,date-time,double,float,int32,int64,password',
    ],
    [
      'with a selectable field that is an object',
      changed((c) => {
        version(c).selectableFields = [{ jsonPath: '.spec' }];
      }),
      `${v0}.selectableFields[0].jsonPath`,
      'Invalid value: ".spec": must point to a field of type string, boolean or integer.',
    ],
    [
      'with a selectable field that does not exist',
      changed((c) => {
        version(c).selectableFields = [{ jsonPath: '.spec.nothing' }];
      }),
      `${v0}.selectableFields[0].jsonPath`,
      'Invalid value: ".spec.nothing": is an invalid path: does not refer to a valid field',
    ],
    [
      'with a selectable field in metadata',
      changed((c) => {
        version(c).selectableFields = [{ jsonPath: '.metadata' }];
      }),
      `${v0}.selectableFields[0].jsonPath`,
      'Invalid value: ".metadata": must not point to fields in metadata',
      2,
    ],
    [
      'with a selectable field twice',
      changed((c) => {
        version(c).selectableFields = [{ jsonPath: '.spec.mtu' }, { jsonPath: ".spec['mtu']" }];
      }),
      `${v0}.selectableFields[1].jsonPath`,
      `Duplicate value: ".spec['mtu']"`,
    ],
    [
      'with more than 8 selectable fields',
      changed((c) => {
        const fields = (schemaOf(c).properties.spec as { properties: Obj }).properties;
        for (let i = 0; i < 9; i++) fields[`f${i}`] = { type: 'string' };
        version(c).selectableFields = [...Array(9).keys()].map((i) => ({ jsonPath: `.spec.f${i}` }));
      }),
      `${v0}.selectableFields`,
      'Too many: 9: must have at most 8 items',
    ],
    [
      'with a scale subresource reading replicas outside .spec',
      changed((c) => {
        version(c).subresources!.scale = {
          specReplicasPath: '.status.replicas',
          statusReplicasPath: '.status.replicas',
        };
      }),
      `${v0}.subresources.scale.specReplicasPath`,
      'Invalid value: ".status.replicas": should be a json path under .spec',
    ],
    [
      'with a deprecation warning on a version that is not deprecated',
      changed((c) => {
        version(c).deprecationWarning = 'use v1';
      }),
      `${v0}.deprecationWarning`,
      'Invalid value: "use v1": can only be set for deprecated versions',
    ],
    [
      'with webhook conversion but no webhook',
      changed((c) => {
        c.spec.conversion = { strategy: 'Webhook' };
      }),
      'spec.conversion.webhook.clientConfig',
      'Required value: required when strategy is set to Webhook',
      2,
    ],
    [
      'with a conversion webhook over plain http',
      changed((c) => {
        c.spec.conversion = {
          strategy: 'Webhook',
          webhook: { clientConfig: { url: 'http://convert.example.com/' }, conversionReviewVersions: ['v1'] },
        };
      }),
      'spec.conversion.webhook.clientConfig.url',
      `Invalid value: "http": 'https' is the only allowed URL scheme; desired format: https://host[/path]`,
    ],
    [
      'with preserveUnknownFields',
      changed((c) => {
        c.spec.preserveUnknownFields = true;
      }),
      'spec.preserveUnknownFields',
      'Invalid value: true: cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead',
    ],
    [
      'in a Kubernetes community group without approval',
      changed((c) => {
        c.spec.group = 'networking.k8s.io';
        c.metadata.name = 'networks.networking.k8s.io';
      }),
      'metadata.annotations[api-approved.kubernetes.io]',
      'Required value: protected groups must have approval annotation "api-approved.kubernetes.io"',
    ],
    [
      'without a kind (the CRD schema requires it)',
      changed((c) => {
        delete (c.spec.names as Partial<Crd['spec']['names']>).kind;
      }),
      'spec.names.kind',
      'Required value',
    ],
    [
      'with served not a boolean (the CRD schema types it)',
      changed((c) => {
        (version(c) as Obj).served = 'yes';
      }),
      `${v0}.served`,
      'Invalid value: "string": spec.versions[0].served in body must be of type boolean: "string"',
    ],
  ];

  assert.ok(cases.length >= 15, 'the table is long enough');
  for (const [what, object, field, fragment, count = 1] of cases) {
    test(what, () => {
      const errors = admit(object);
      const expected = `${field}: ${fragment}`;
      assert.ok(
        errors.some((e) => e.startsWith(`${field}: `) && e.includes(fragment)),
        `${JSON.stringify(errors, null, 1)}\nshould include\n${expected}`,
      );
      assert.equal(
        errors.length,
        count,
        `only what was broken is reported: ${JSON.stringify(errors, null, 1)}`,
      );
    });
  }
});

describe('defaults and what they allow', () => {
  test('singular and listKind default from kind, conversion to None', () => {
    const crd = network();
    delete crd.spec.names.singular;
    delete crd.spec.names.listKind;
    const defaulted = withCustomResourceDefinitionDefaults(crd);
    assert.equal(defaulted.spec.names.singular, 'network', 'singular');
    assert.equal(defaulted.spec.names.listKind, 'NetworkList', 'listKind');
    assert.deepEqual(defaulted.spec.conversion, { strategy: 'None' }, 'conversion');
    assert.deepEqual(validateCustomResourceDefinition(defaulted), [], 'then valid');
  });

  test('a conversion service defaults to port 443', () => {
    const crd = network();
    crd.spec.conversion = {
      strategy: 'Webhook',
      webhook: {
        clientConfig: { service: { namespace: 'datum-system', name: 'convert' } },
        conversionReviewVersions: ['v1'],
      },
    };
    const defaulted = withCustomResourceDefinitionDefaults(crd);
    assert.equal(defaulted.spec.conversion?.webhook?.clientConfig?.service?.port, 443, 'port');
    assert.deepEqual(validateCustomResourceDefinition(defaulted), [], 'valid');
  });

  test('an approved or explicitly unapproved community group is accepted', () => {
    for (const approval of [
      'https://github.com/kubernetes/enhancements/pull/1111',
      'unapproved, experimental',
    ]) {
      const crd = network();
      crd.spec.group = 'networking.x-k8s.io';
      crd.metadata.name = 'networks.networking.x-k8s.io';
      assert.deepEqual(admit(crd as unknown as Obj), [], 'x-k8s.io is not protected');
      crd.spec.group = 'networking.k8s.io';
      crd.metadata.name = 'networks.networking.k8s.io';
      crd.metadata.annotations = { 'api-approved.kubernetes.io': approval };
      assert.deepEqual(admit(crd as unknown as Obj), [], approval);
    }
  });
});

describe('updating a CRD', () => {
  const established = (): Crd => {
    const crd = network();
    crd.status = {
      conditions: [{ type: 'Established', status: 'True' }],
      acceptedNames: { ...crd.spec.names },
      storedVersions: ['v1alpha1'],
    };
    return crd;
  };
  const update = (old: Crd, change: (crd: Crd) => void): FieldError[] => {
    const crd = structuredClone(old);
    change(crd);
    return validateCustomResourceDefinition(crd, old);
  };

  test('group and plural are immutable', () => {
    const errors = update(established(), (c) => {
      c.spec.group = 'net.example.com';
      c.spec.names.plural = 'nets';
    }).map(formatFieldError);
    assert.deepEqual(
      errors,
      [
        'spec.group: Invalid value: "net.example.com": field is immutable',
        'spec.names.plural: Invalid value: "nets": field is immutable',
      ],
      'both',
    );
  });

  test('scope and kind are immutable once established, not before', () => {
    const change = (c: Crd): void => {
      c.spec.scope = 'Cluster';
      c.spec.names.kind = 'Net';
      c.spec.names.listKind = 'NetList';
    };
    assert.deepEqual(
      update(established(), change).map(formatFieldError),
      [
        'spec.scope: Invalid value: "Cluster": field is immutable',
        'spec.names.kind: Invalid value: "Net": field is immutable',
      ],
      'established',
    );
    assert.deepEqual(update(network(), change), [], 'not established');
  });

  test('a version objects were stored at cannot be dropped', () => {
    const old = established();
    old.spec.versions = [{ ...version(old), name: 'v1beta1', storage: false }, version(old)];
    old.status!.storedVersions = ['v1beta1', 'v1alpha1'];
    const errors = update(old, (c) => {
      c.spec.versions = c.spec.versions.filter((v) => v.name === 'v1alpha1');
    }).map(formatFieldError);
    assert.deepEqual(
      errors,
      [
        'status.storedVersions[0]: Invalid value: "v1beta1": missing from spec.versions; v1beta1 was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in v1beta1 and removes v1beta1 from status.storedVersions',
      ],
      'stored version kept',
    );
  });

  test('a change of the schema, columns and short names is accepted', () => {
    const errors = update(established(), (c) => {
      c.spec.names.shortNames = ['net', 'nw'];
      version(c).additionalPrinterColumns = [];
      schemaOf(c).description = 'changed';
    });
    assert.deepEqual(errors, [], 'valid');
  });
});
