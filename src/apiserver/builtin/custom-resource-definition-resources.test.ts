// Proves a CRD resolves to the resources it serves: nso's own kinds round-trip from KindDefinition through their CRD unchanged.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { customResourceDefinition, KINDS, NetworkKind, openAPIV3Schema } from '../../api/index.ts';
import { ResourceSchema } from '../admission/resource-schema.ts';
import {
  type CustomResourceDefinition,
  CustomResourceDefinitionResource,
  resourcesOfCustomResourceDefinition,
  withCustomResourceDefinitionDefaults,
} from './custom-resource-definition.ts';

type Crd = CustomResourceDefinition;
const schema = new ResourceSchema(CustomResourceDefinitionResource.schema, { namespaced: false });
/** As stored: decoded by the CRD schema and defaulted. */
const stored = (object: Record<string, unknown>): Crd =>
  withCustomResourceDefinitionDefaults(schema.decode(object).object as unknown as Crd);

describe('resources of our own CRDs', () => {
  for (const kind of KINDS) {
    test(`${kind.plural} serves ${kind.kind} as its KindDefinition declares`, () => {
      const [resource, ...more] = resourcesOfCustomResourceDefinition(stored(customResourceDefinition(kind)));
      assert.equal(more.length, 0, 'one served version');
      assert.ok(resource, 'a resource');
      assert.deepEqual(
        [
          resource.group,
          resource.version,
          resource.kind,
          resource.listKind,
          resource.plural,
          resource.singular,
        ],
        [kind.group, kind.version, kind.kind, `${kind.kind}List`, kind.plural, kind.singular],
        'names',
      );
      assert.equal(resource.namespaced, true, 'namespaced');
      assert.deepEqual(resource.shortNames, kind.shortNames, 'short names');
      assert.deepEqual(resource.categories, kind.categories, 'categories');
      assert.deepEqual(
        resource.verbs,
        ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
        'verbs',
      );
      assert.deepEqual(resource.subresources, ['status'], 'status subresource');
      assert.deepEqual(resource.printerColumns, kind.printerColumns, 'printer columns');
      assert.deepEqual(
        resource.selectableFields,
        kind.selectableFields.map((path) => path.slice(1)),
        'selectable fields without the leading dot',
      );
      assert.deepEqual(resource.schema, openAPIV3Schema(kind), 'schema');
      assert.equal(resource.description, kind.description, 'description');
    });
  }
});

describe('resources of a CRD', () => {
  const twoVersions = (): Crd => {
    const crd = stored(customResourceDefinition(NetworkKind));
    const v1alpha1 = crd.spec.versions[0]!;
    crd.spec.versions = [
      { ...v1alpha1, storage: false, additionalPrinterColumns: [], selectableFields: [] },
      { ...v1alpha1, name: 'v1beta1', subresources: {} },
      { ...v1alpha1, name: 'v1', served: false, storage: false },
    ];
    return crd;
  };

  test('one per served version, each with its own subresources, columns and fields', () => {
    const resources = resourcesOfCustomResourceDefinition(twoVersions());
    assert.deepEqual(
      resources.map((r) => [
        r.version,
        r.subresources,
        r.printerColumns.length > 0,
        r.selectableFields.length,
      ]),
      [
        ['v1alpha1', ['status'], false, 0],
        ['v1beta1', [], true, 0],
      ],
      'v1 is not served',
    );
  });

  test('a cluster-scoped CRD serves a cluster-scoped resource', () => {
    const crd = twoVersions();
    crd.spec.scope = 'Cluster';
    assert.ok(
      resourcesOfCustomResourceDefinition(crd).every((r) => !r.namespaced),
      'cluster-scoped',
    );
  });

  test('the accepted names are served once the status has them', () => {
    const crd = stored(customResourceDefinition(NetworkKind));
    crd.spec.names.shortNames = ['net', 'nw'];
    crd.status = { acceptedNames: { ...crd.spec.names, shortNames: ['net'] } };
    assert.deepEqual(
      resourcesOfCustomResourceDefinition(crd)[0]?.shortNames,
      ['net'],
      'accepted short names',
    );
    crd.status = { acceptedNames: { plural: '', kind: '' } };
    assert.deepEqual(
      resourcesOfCustomResourceDefinition(crd)[0]?.shortNames,
      ['net', 'nw'],
      'none accepted yet',
    );
  });

  test('printer columns keep priority and format', () => {
    const crd = stored(customResourceDefinition(NetworkKind));
    crd.spec.versions[0]!.additionalPrinterColumns = [
      { name: 'MTU', type: 'integer', format: 'int32', jsonPath: '.spec.mtu', priority: 1 },
    ];
    assert.deepEqual(
      resourcesOfCustomResourceDefinition(crd)[0]?.printerColumns,
      [
        {
          name: 'MTU',
          type: 'integer',
          format: 'int32',
          jsonPath: '.spec.mtu',
          priority: 1,
          description: '',
        },
      ],
      'column',
    );
  });
});
