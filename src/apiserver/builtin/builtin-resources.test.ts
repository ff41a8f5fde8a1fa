// Proves the built-in kinds are served through the same schema path as CRDs: structural schemas, described fields, discovery-ready names.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ResourceSchema } from '../admission/resource-schema.ts';
import { formatFieldError } from '../schema/field-error.ts';
import { itemsSchema, type JsonSchemaProps } from '../schema/json-schema.ts';
import { checkStructural } from '../schema/structural.ts';
import { BUILTIN_RESOURCES } from './builtin-resources.ts';

function undescribed(schema: JsonSchemaProps, path: string): string[] {
  const found: string[] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const at = `${path}.${name}`;
    if (name !== 'metadata' && !property.description) found.push(at);
    found.push(...undescribed(property, at));
    const items = itemsSchema(property);
    if (items !== undefined) found.push(...undescribed(items, `${at}[]`));
  }
  return found;
}

describe('the built-in resources', () => {
  test('are Namespace, Event, Lease, Pod and CustomResourceDefinition', () => {
    assert.deepEqual(
      BUILTIN_RESOURCES.map((r) => `${r.group}/${r.version}/${r.plural}`),
      [
        '/v1/namespaces',
        '/v1/events',
        'coordination.k8s.io/v1/leases',
        '/v1/pods',
        'apiextensions.k8s.io/v1/customresourcedefinitions',
      ],
      'the set kubectl needs',
    );
  });

  for (const resource of BUILTIN_RESOURCES) {
    test(`${resource.kind} has a structural schema`, () => {
      assert.deepEqual(checkStructural(resource.schema).map(formatFieldError), [], `${resource.kind} schema`);
    });

    test(`${resource.kind} describes every field`, () => {
      assert.ok(resource.description.length > 0, `${resource.kind} has a description`);
      assert.equal(resource.schema.description, resource.description, 'the schema carries the description');
      assert.deepEqual(undescribed(resource.schema, resource.kind), [], 'fields without a description');
    });

    test(`${resource.kind} declares discovery as Kubernetes does`, () => {
      assert.deepEqual([...resource.verbs], [...resource.verbs].sort(), 'verbs are sorted');
      assert.equal(resource.listKind, `${resource.kind}List`, 'listKind');
      assert.equal(resource.singular, resource.kind.toLowerCase(), 'singular');
      assert.ok(
        !resource.selectableFields.some((f) => f.startsWith('.')),
        'selectable fields have no leading dot',
      );
      assert.ok(!resource.schema.required?.includes('metadata'), 'metadata is the API server’s to require');
    });
  }

  test('a resource schema can be built for each, so the generic registry serves them', () => {
    for (const resource of BUILTIN_RESOURCES) {
      const schema = new ResourceSchema(resource.schema, { namespaced: resource.namespaced });
      const decoded = schema.decode({
        apiVersion: 'x',
        kind: resource.kind,
        metadata: { name: 'a' },
        unknown: 1,
      });
      assert.deepEqual(decoded.unknownFields, ['unknown'], `${resource.kind} prunes unknown fields`);
    }
  });

  test('only pods are read-only, with a log subresource', () => {
    const pods = BUILTIN_RESOURCES.find((r) => r.kind === 'Pod')!;
    assert.deepEqual(pods.verbs, ['get', 'list', 'watch'], 'pod verbs');
    assert.deepEqual(pods.subresources, ['log'], 'pod subresources');
    const namespaces = BUILTIN_RESOURCES.find((r) => r.kind === 'Namespace')!;
    assert.equal(namespaces.namespaced, false, 'namespaces are cluster-scoped');
    assert.deepEqual(namespaces.shortNames, ['ns'], 'kubectl get ns');
    assert.deepEqual(
      namespaces.printerColumns.map((c) => c.name),
      ['Status', 'Age'],
      'NAME STATUS AGE',
    );
  });
});
