// Proves validateObjectMeta reports what ValidateObjectMetaAccessor reports for a create, with Kubernetes' messages.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatFieldError } from './field-error.ts';
import { type ObjectMetaOptions, validateObjectMeta } from './object-meta.ts';

const NAMESPACED: ObjectMetaOptions = { namespaced: true };
const check = (meta: unknown, options: ObjectMetaOptions = NAMESPACED): string[] =>
  validateObjectMeta(meta, options).map(formatFieldError);

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_KEY_NAME_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

describe('name', () => {
  test('a valid object has no errors', () => {
    assert.deepEqual(
      check({ name: 'app-network', namespace: 'default', labels: { 'app.kubernetes.io/name': 'web' } }),
      [],
    );
  });

  test('name or generateName is required', () => {
    assert.deepEqual(check({ namespace: 'default' }), [
      'metadata.name: Required value: name or generateName is required',
    ]);
  });

  test('a name must be a DNS-1123 subdomain', () => {
    assert.deepEqual(check({ name: 'Web_App', namespace: 'default' }), [
      `metadata.name: Invalid value: "Web_App": ${SUBDOMAIN_MSG}`,
    ]);
  });

  test('a name is at most 253 characters', () => {
    const name = 'a'.repeat(254);
    assert.deepEqual(check({ name, namespace: 'default' }), [
      `metadata.name: Invalid value: "${name}": must be no more than 253 characters`,
    ]);
  });

  test('a generateName may end in a dash but must otherwise be a subdomain prefix', () => {
    assert.deepEqual(check({ generateName: 'web-', name: 'web-x1b2c', namespace: 'default' }), []);
    assert.deepEqual(check({ generateName: 'Web-', name: 'web-x1b2c', namespace: 'default' }), [
      `metadata.generateName: Invalid value: "Web-": ${SUBDOMAIN_MSG}`,
    ]);
  });

  test('embedded resources only need path-segment names', () => {
    const options: ObjectMetaOptions = {
      namespaced: false,
      names: 'path-segment',
      path: 'spec.template.metadata',
    };
    assert.deepEqual(check({ name: 'Any_Case' }, options), []);
    assert.deepEqual(check({ name: '..' }, options), [
      `spec.template.metadata.name: Invalid value: "..": may not be '..'`,
    ]);
    assert.deepEqual(check({ name: 'a%b' }, options), [
      `spec.template.metadata.name: Invalid value: "a%b": may not contain '%'`,
    ]);
  });
});

describe('namespace', () => {
  test('a namespaced kind needs a namespace', () => {
    assert.deepEqual(check({ name: 'x' }), ['metadata.namespace: Required value']);
  });

  test('a namespace is a DNS-1123 label', () => {
    assert.deepEqual(check({ name: 'x', namespace: 'My_NS' }), [
      `metadata.namespace: Invalid value: "My_NS": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    ]);
    assert.deepEqual(check({ name: 'x', namespace: 'team.a' }), [
      'metadata.namespace: Invalid value: "team.a": must not contain dots',
    ]);
  });

  test('a cluster-scoped kind has none', () => {
    assert.deepEqual(check({ name: 'x', namespace: 'default' }, { namespaced: false }), [
      'metadata.namespace: Forbidden: not allowed on this type',
    ]);
  });
});

describe('labels and annotations', () => {
  test('label keys are qualified names; errors name the labels map', () => {
    assert.deepEqual(check({ name: 'x', namespace: 'd', labels: { 'app.kubernetes.io/Na me': 'web' } }), [
      `metadata.labels: Invalid value: "app.kubernetes.io/Na me": ${LABEL_KEY_NAME_MSG}`,
    ]);
  });

  test('a label key prefix must be a subdomain and non-empty', () => {
    assert.deepEqual(check({ name: 'x', namespace: 'd', labels: { '/name': 'v' } }), [
      'metadata.labels: Invalid value: "/name": prefix part must be non-empty',
    ]);
    assert.deepEqual(check({ name: 'x', namespace: 'd', labels: { 'Example.com/name': 'v' } }), [
      `metadata.labels: Invalid value: "Example.com/name": prefix part ${SUBDOMAIN_MSG}`,
    ]);
  });

  test('a label key with two slashes', () => {
    assert.deepEqual(check({ name: 'x', namespace: 'd', labels: { 'a/b/c': 'v' } }), [
      `metadata.labels: Invalid value: "a/b/c": a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ]);
  });

  test('label values: at most 63 bytes, alphanumeric at both ends', () => {
    const long = 'v'.repeat(64);
    assert.deepEqual(check({ name: 'x', namespace: 'd', labels: { tier: long } }), [
      `metadata.labels: Invalid value: "${long}": must be no more than 63 bytes`,
    ]);
    assert.deepEqual(check({ name: 'x', namespace: 'd', labels: { tier: '-web' } }), [
      `metadata.labels: Invalid value: "-web": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ]);
    assert.deepEqual(check({ name: 'x', namespace: 'd', labels: { tier: '' } }), []);
  });

  test('annotation keys are case-insensitive qualified names; values are free', () => {
    assert.deepEqual(
      check({ name: 'x', namespace: 'd', annotations: { 'Example.com/Note': 'any text at all!' } }),
      [],
    );
    assert.deepEqual(check({ name: 'x', namespace: 'd', annotations: { 'bad key': 'v' } }), [
      `metadata.annotations: Invalid value: "bad key": ${LABEL_KEY_NAME_MSG}`,
    ]);
  });

  test('annotations may total 256 KiB', () => {
    const fits = { a: 'x'.repeat(256 * 1024 - 1) };
    assert.deepEqual(check({ name: 'x', namespace: 'd', annotations: fits }), []);
    const over = { a: 'x'.repeat(256 * 1024) };
    assert.deepEqual(check({ name: 'x', namespace: 'd', annotations: over }), [
      'metadata.annotations: Too long: may not be more than 262144 bytes',
    ]);
  });
});

describe('owner references, finalizers, generation', () => {
  test('every owner reference field is required', () => {
    assert.deepEqual(check({ name: 'x', namespace: 'd', ownerReferences: [{}] }), [
      'metadata.ownerReferences[0].apiVersion: Required value: must not be empty',
      'metadata.ownerReferences[0].kind: Required value: must not be empty',
      'metadata.ownerReferences[0].name: Required value: must not be empty',
      'metadata.ownerReferences[0].uid: Required value: must not be empty',
    ]);
  });

  test('an owner apiVersion is <group>/<version> or <version>', () => {
    const ref = { apiVersion: 'a/b/c', kind: 'Network', name: 'n', uid: 'u' };
    assert.deepEqual(check({ name: 'x', namespace: 'd', ownerReferences: [ref] }), [
      'metadata.ownerReferences[0].apiVersion: Invalid value: "a/b/c": must be <group>/<version> or <version>',
    ]);
  });

  test('an Event cannot own anything', () => {
    const ref = { apiVersion: 'v1', kind: 'Event', name: 'e', uid: 'u' };
    assert.deepEqual(check({ name: 'x', namespace: 'd', ownerReferences: [ref] }), [
      'metadata.ownerReferences[0]: Invalid value: {"apiVersion":"v1","kind":"Event","name":"e","uid":"u"}: /v1, Kind=Event is disallowed from being an owner',
    ]);
  });

  test('only one owner may be the controller', () => {
    const refs = [
      { apiVersion: 'a/v1', kind: 'Network', name: 'n1', uid: '1', controller: true },
      { apiVersion: 'a/v1', kind: 'Network', name: 'n2', uid: '2', controller: true },
    ];
    assert.deepEqual(check({ name: 'x', namespace: 'd', ownerReferences: refs }), [
      'metadata.ownerReferences: Invalid value: [{"apiVersion":"a/v1","kind":"Network","name":"n1","uid":"1","controller":true},{"apiVersion":"a/v1","kind":"Network","name":"n2","uid":"2","controller":true}]: Only one reference can have Controller set to true. Found "true" in references for Network/n1 and Network/n2',
    ]);
  });

  test('finalizers are qualified names and cannot both orphan and delete in the foreground', () => {
    assert.deepEqual(check({ name: 'x', namespace: 'd', finalizers: ['networking.datumapis.com/ipam'] }), []);
    assert.deepEqual(check({ name: 'x', namespace: 'd', finalizers: ['bad finalizer'] }), [
      `metadata.finalizers: Invalid value: "bad finalizer": ${LABEL_KEY_NAME_MSG}`,
    ]);
    assert.deepEqual(check({ name: 'x', namespace: 'd', finalizers: ['orphan', 'foregroundDeletion'] }), [
      'metadata.finalizers: Invalid value: ["orphan","foregroundDeletion"]: finalizer orphan and foregroundDeletion cannot be both set',
    ]);
  });

  test('generation is not negative', () => {
    assert.deepEqual(check({ name: 'x', namespace: 'd', generation: -1 }), [
      'metadata.generation: Invalid value: -1: must be greater than or equal to 0',
    ]);
  });

  test('metadata that cannot decode into ObjectMeta says what Go says', () => {
    assert.deepEqual(check({ name: 5 }), [
      'metadata: Invalid value: {"name":5}: json: cannot unmarshal number into Go struct field ObjectMeta.name of type string',
    ]);
    assert.deepEqual(check('x'), [
      'metadata: Invalid value: "x": json: cannot unmarshal string into Go value of type v1.ObjectMeta',
    ]);
  });

  test('errors come in ValidateObjectMetaAccessor order', () => {
    const reasons = validateObjectMeta(
      { generateName: 'Bb-', labels: { 'a b': 'c' } },
      { namespaced: true },
    ).map((e) => [e.field, e.reason]);
    assert.deepEqual(reasons, [
      ['metadata.generateName', 'FieldValueInvalid'],
      ['metadata.name', 'FieldValueRequired'],
      ['metadata.namespace', 'FieldValueRequired'],
      ['metadata.labels', 'FieldValueInvalid'],
    ]);
  });
});
