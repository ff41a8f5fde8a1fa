import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { network, SAMPLE_RESOURCES } from '../discovery/testing/sample-resources.ts';
import type { OpenAPIDocument, Operation, PathItem, Schema } from './openapi-document.ts';
import { buildOpenAPIV3 } from './openapi-v3.ts';

const G = '/apis/networking.datumapis.com/v1alpha1';
const NETWORK = 'com.datumapis.networking.v1alpha1.Network';
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

const openapi = buildOpenAPIV3(SAMPLE_RESOURCES);
const documentAt = (path: string): OpenAPIDocument => {
  const served = openapi.documents.get(path);
  assert.ok(served, `a document at ${path}`);
  return served.document;
};
const networking = documentAt('apis/networking.datumapis.com/v1alpha1');
const core = documentAt('api/v1');
const allDocuments = [...openapi.documents.values()].map((d) => d.document);

function* operations(document: OpenAPIDocument): Generator<[string, string, Operation]> {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (op) yield [path, method, op];
    }
  }
}
const item = (document: OpenAPIDocument, path: string): PathItem => {
  const found = document.paths[path];
  assert.ok(found, `path ${path} exists`);
  return found;
};
const schema = (document: OpenAPIDocument, name: string): Schema => {
  const found = document.components.schemas[name];
  assert.ok(found, `schema ${name} exists`);
  return found;
};
const at = (value: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], value);

describe('group version document: paths', () => {
  test('a namespaced kind has namespaced, all-namespaces and status paths, and no deprecated /watch/ paths', () => {
    assert.deepEqual(
      Object.keys(networking.paths).sort(),
      [
        `${G}/namespaces/{namespace}/networks`,
        `${G}/namespaces/{namespace}/networks/{name}`,
        `${G}/namespaces/{namespace}/networks/{name}/status`,
        `${G}/networks`,
      ],
      'the paths of a namespaced resource with status',
    );
  });

  test('each verb becomes the operation and action the real server publishes', () => {
    const ids = (path: string) =>
      Object.fromEntries(
        METHODS.flatMap((m) => {
          const op = item(networking, path)[m];
          return op ? [[m, `${op.operationId} ${op['x-kubernetes-action']}`]] : [];
        }),
      );
    const gv = 'NetworkingDatumapisComV1alpha1';
    assert.deepEqual(
      ids(`${G}/namespaces/{namespace}/networks`),
      {
        get: `list${gv}NamespacedNetwork list`,
        post: `create${gv}NamespacedNetwork post`,
        delete: `delete${gv}CollectionNamespacedNetwork deletecollection`,
      },
      'collection',
    );
    assert.deepEqual(
      ids(`${G}/namespaces/{namespace}/networks/{name}`),
      {
        get: `read${gv}NamespacedNetwork get`,
        put: `replace${gv}NamespacedNetwork put`,
        patch: `patch${gv}NamespacedNetwork patch`,
        delete: `delete${gv}NamespacedNetwork delete`,
      },
      'item',
    );
    assert.deepEqual(
      ids(`${G}/namespaces/{namespace}/networks/{name}/status`),
      {
        get: `read${gv}NamespacedNetworkStatus get`,
        put: `replace${gv}NamespacedNetworkStatus put`,
        patch: `patch${gv}NamespacedNetworkStatus patch`,
      },
      'status',
    );
    assert.deepEqual(
      ids(`${G}/networks`),
      { get: `list${gv}NetworkForAllNamespaces list` },
      'all namespaces',
    );
  });

  test('operations name their group, version and kind as an object, and a tag per group version', () => {
    for (const document of allDocuments) {
      for (const [path, method, op] of operations(document)) {
        const gvk = op['x-kubernetes-group-version-kind'];
        assert.ok(!Array.isArray(gvk), `${method} ${path}: an object, not an array`);
        assert.equal(typeof gvk.kind, 'string', `${method} ${path}: kind`);
      }
    }
    const patch = item(networking, `${G}/namespaces/{namespace}/networks/{name}`).patch;
    assert.deepEqual(
      patch?.['x-kubernetes-group-version-kind'],
      { group: 'networking.datumapis.com', version: 'v1alpha1', kind: 'Network' },
      'Network patch',
    );
    assert.deepEqual(patch?.tags, ['networkingDatumapisCom_v1alpha1'], 'tag');
    assert.deepEqual(item(core, '/api/v1/namespaces/{namespace}/events').get?.tags, ['core_v1'], 'core tag');
  });

  test('path parameters are declared on the path and required', () => {
    const params = item(networking, `${G}/namespaces/{namespace}/networks/{name}`).parameters ?? [];
    for (const name of ['name', 'namespace']) {
      const param = params.find((p) => p.name === name);
      assert.equal(param?.in, 'path', `${name} is a path parameter`);
      assert.equal(param?.required, true, `${name} is required`);
    }
  });

  test('a cluster-scoped kind has no namespace segment, no namespace parameter and no all-namespaces list', () => {
    const paths = Object.keys(core.paths).filter((p) =>
      /^\/api\/v1(\/watch)?\/namespaces(\/\{name\}(\/status)?)?$/.test(p),
    );
    assert.deepEqual(
      paths.sort(),
      ['/api/v1/namespaces', '/api/v1/namespaces/{name}', '/api/v1/namespaces/{name}/status'],
      'cluster-scoped paths',
    );
    const one = item(core, '/api/v1/namespaces/{name}');
    assert.equal(
      one.parameters?.some((p) => p.name === 'namespace'),
      false,
      'no namespace parameter',
    );
    assert.equal(one.get?.operationId, 'readCoreV1Namespace', 'no Namespaced in the operation id');
    assert.equal(
      item(core, '/api/v1/namespaces').delete,
      undefined,
      'no deletecollection verb, no operation',
    );
  });

  test('pods/log is a text/plain read', () => {
    const log = item(core, '/api/v1/namespaces/{namespace}/pods/{name}/log').get;
    assert.equal(log?.operationId, 'readCoreV1NamespacedPodLog', 'operation id');
    assert.deepEqual(
      Object.keys(at(log, 'responses', '200', 'content') as object),
      ['text/plain'],
      'plain text',
    );
    assert.ok(
      log?.parameters?.some((p) => p.name === 'tailLines'),
      'tailLines is declared',
    );
  });
});

describe('group version document: patch (kubectl field validation and patch type)', () => {
  const patches = allDocuments.flatMap((d) => [...operations(d)].filter(([, method]) => method === 'patch'));

  test('there are patch operations for every kind and its status', () => {
    const expected = SAMPLE_RESOURCES.reduce(
      (n, r) => n + Number(r.verbs.includes('patch')) + Number(r.subresources.includes('status')),
      0,
    );
    assert.equal(expected, 7, 'Network, Namespace and Pod have status; Event has none');
    assert.equal(patches.length, expected, 'one patch per patchable resource and status subresource');
  });

  test('no document mentions strategic merge patch anywhere', () => {
    for (const [path, { body }] of openapi.documents) {
      assert.ok(!body.includes('strategic-merge-patch'), `${path} never advertises strategic merge patch`);
    }
  });

  test('every patch accepts exactly JSON patch, merge patch and apply', () => {
    for (const [path, , op] of patches) {
      assert.deepEqual(
        Object.keys(op.requestBody?.content ?? {}),
        ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'],
        `${path}: patch content types`,
      );
    }
  });

  test('every patch declares fieldValidation, fieldManager, force and dryRun as query parameters', () => {
    for (const [path, , op] of patches) {
      for (const name of ['fieldValidation', 'fieldManager', 'force', 'dryRun']) {
        const param = op.parameters?.find((p) => p.name === name);
        assert.equal(param?.in, 'query', `${path}: ${name} is a query parameter of the patch itself`);
      }
    }
  });

  test("kubectl's detection finds fieldValidation whichever patch of the kind it meets first", () => {
    const kinds = new Set(patches.map(([, , op]) => op['x-kubernetes-group-version-kind'].kind));
    assert.deepEqual([...kinds].sort(), ['Event', 'Namespace', 'Network', 'Pod'], 'each kind has a patch');
    for (const [path, , op] of patches) {
      assert.ok(
        op.parameters?.some((p) => p.name === 'fieldValidation' && p.in === 'query'),
        `${path} (${op['x-kubernetes-group-version-kind'].kind})`,
      );
    }
  });
});

describe('group version document: schemas for kubectl explain', () => {
  const networkSchema = schema(networking, NETWORK);

  test('the kind schema is found by an x-kubernetes-group-version-kind array', () => {
    assert.deepEqual(
      networkSchema['x-kubernetes-group-version-kind'],
      [{ group: 'networking.datumapis.com', version: 'v1alpha1', kind: 'Network' }],
      'Network',
    );
    assert.deepEqual(
      schema(networking, `${NETWORK}List`)['x-kubernetes-group-version-kind'],
      [{ group: 'networking.datumapis.com', version: 'v1alpha1', kind: 'NetworkList' }],
      'NetworkList',
    );
    assert.deepEqual(
      schema(core, 'io.k8s.api.core.v1.Event')['x-kubernetes-group-version-kind'],
      [{ group: '', version: 'v1', kind: 'Event' }],
      'core Event',
    );
  });

  test('the kind and its spec fields keep their descriptions', () => {
    assert.equal(networkSchema.description, network.description, 'kind description');
    assert.equal(
      at(networkSchema, 'properties', 'spec', 'description'),
      'The desired state of a Network.',
      'spec',
    );
    assert.equal(
      at(networkSchema, 'properties', 'spec', 'properties', 'mtu', 'description'),
      'The maximum transmission unit of the network.',
      'spec.mtu',
    );
    assert.equal(
      at(networkSchema, 'properties', 'status', 'description'),
      'The observed state of a Network.',
      'status',
    );
    assert.deepEqual(networkSchema.required, ['spec'], 'required fields are kept');
  });

  test('metadata refers to a described ObjectMeta; apiVersion and kind are described', () => {
    const metadata = at(networkSchema, 'properties', 'metadata') as Schema;
    assert.deepEqual(
      metadata.allOf,
      [{ $ref: `#/components/schemas/${OBJECT_META}` }],
      'allOf with one $ref',
    );
    assert.equal(typeof metadata.description, 'string', 'metadata is described');
    for (const field of ['apiVersion', 'kind']) {
      assert.equal(
        typeof at(networkSchema, 'properties', field, 'description'),
        'string',
        `${field} described`,
      );
    }
    const objectMeta = schema(networking, OBJECT_META);
    assert.equal(typeof objectMeta.description, 'string', 'ObjectMeta is described');
    const properties = Object.entries(objectMeta.properties as Record<string, Schema>);
    assert.ok(properties.length >= 15, 'ObjectMeta has all its fields');
    for (const [name, property] of properties) {
      assert.ok(String(property.description ?? '').length > 10, `metadata.${name} is described`);
    }
  });

  test('the list schema holds items of the kind and ListMeta', () => {
    const list = schema(networking, `${NETWORK}List`);
    assert.deepEqual(list.required, ['items'], 'items required');
    assert.deepEqual(
      at(list, 'properties', 'items', 'items'),
      { $ref: `#/components/schemas/${NETWORK}` },
      'items',
    );
    assert.deepEqual(
      at(list, 'properties', 'metadata', 'allOf'),
      [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta' }],
      'ListMeta',
    );
  });

  test('every $ref resolves inside its own document, and every meta definition is described', () => {
    for (const document of allDocuments) {
      const refs = JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g);
      for (const [, name] of refs) {
        assert.ok(name && document.components.schemas[name], `${name} is defined`);
      }
      for (const [name, definition] of Object.entries(document.components.schemas)) {
        assert.equal(typeof definition.description, 'string', `${name} has a description`);
      }
    }
  });

  test('the source schema is not modified', () => {
    assert.deepEqual(
      network.schema.properties?.metadata,
      { type: 'object' },
      'metadata stays as the CRD has it',
    );
  });
});
