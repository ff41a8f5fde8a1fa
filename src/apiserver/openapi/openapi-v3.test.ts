import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { contentHash } from '../discovery/content-hash.ts';
import { network, SAMPLE_RESOURCES } from '../discovery/testing/sample-resources.ts';
import { buildOpenAPIV3 } from './openapi-v3.ts';

describe('buildOpenAPIV3', () => {
  const openapi = buildOpenAPIV3(SAMPLE_RESOURCES);

  test('the index links every group version document, core first, keys without a leading slash', () => {
    assert.deepEqual(
      Object.keys(openapi.index.paths),
      ['api/v1', 'apis/networking.datumapis.com/v1alpha1'],
      'index keys',
    );
    for (const [path, { serverRelativeURL }] of Object.entries(openapi.index.paths)) {
      const served = openapi.documents.get(path);
      assert.ok(served, `${path} is served`);
      assert.equal(serverRelativeURL, `/openapi/v3/${path}?hash=${served.hash}`, `${path} URL`);
      assert.equal(served.hash, contentHash(served.body), `${path} hash is the hash of its body`);
      assert.deepEqual(JSON.parse(served.body), served.document, `${path} body is the document`);
      assert.equal(served.document.openapi, '3.0.0', `${path} is OpenAPI 3.0`);
    }
    assert.deepEqual(JSON.parse(openapi.indexBody), openapi.index, 'index body');
  });

  test('a change to one kind changes the hash of its document only', () => {
    const changed = buildOpenAPIV3([
      { ...network, schema: { ...network.schema, description: 'Changed.' } },
      ...SAMPLE_RESOURCES.filter((r) => r !== network),
    ]);
    const path = 'apis/networking.datumapis.com/v1alpha1';
    assert.notEqual(changed.documents.get(path)?.hash, openapi.documents.get(path)?.hash, 'Network changed');
    assert.notEqual(changed.index.paths[path], openapi.index.paths[path], 'and so did its URL');
    assert.equal(
      changed.documents.get('api/v1')?.hash,
      openapi.documents.get('api/v1')?.hash,
      'core did not',
    );
  });

  test('the same resource set gives the same hashes', () => {
    assert.deepEqual(buildOpenAPIV3(SAMPLE_RESOURCES).index, openapi.index, 'deterministic');
  });

  test('an empty resource set has an empty index', () => {
    assert.deepEqual(buildOpenAPIV3([]).index, { paths: {} }, 'no documents');
  });
});
