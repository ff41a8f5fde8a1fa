// Proves nso's kinds as the API server applies them: examples valid, CRDs structural, rules compiling, defaults applied, and bad input refused at the right field with an actionable message.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { type JsonObject, KINDS, type KindDefinition, openAPIV3Schema } from '../../api/index.ts';
import { compileRule } from '../cel/environment.ts';
import { type FieldError, formatFieldError } from '../schema/field-error.ts';
import type { JsonSchemaProps } from '../schema/json-schema.ts';
import { validateObjectMeta } from '../schema/object-meta.ts';
import { checkStructural } from '../schema/structural.ts';
import { RULES_NOT_CHECKED } from '../schema/validate.ts';
import { resolveOwnerReferences } from './owner-references.ts';
import { ResourceSchema } from './resource-schema.ts';

type Obj = Record<string, unknown>;

const schemas = new Map(
  KINDS.map((kind) => [
    kind.kind,
    new ResourceSchema(openAPIV3Schema(kind) as JsonSchemaProps, { namespaced: true }),
  ]),
);
const schemaOf = (kind: string): ResourceSchema => {
  const schema = schemas.get(kind);
  assert.ok(schema, `no schema for ${kind}`);
  return schema;
};

/** What the API server does before validating: namespace from the request, then decode. */
function admit(
  object: Obj,
  old?: Obj,
): { object: Obj; unknownFields: readonly string[]; errors: FieldError[] } {
  const withNamespace = { ...object, metadata: { namespace: 'default', ...(object.metadata as Obj) } };
  const schema = schemaOf(object.kind as string);
  const decoded = schema.decode(withNamespace);
  const oldDecoded =
    old === undefined
      ? undefined
      : schema.decode({ ...old, metadata: { namespace: 'default', ...(old.metadata as Obj) } }).object;
  return { ...decoded, errors: schema.validate(decoded.object, oldDecoded) };
}

const examplesDir = new URL('../../../examples/', import.meta.url);
const examples = readdirSync(examplesDir)
  .filter((file) => file.endsWith('.yaml'))
  .flatMap((file) =>
    parseAllDocuments(readFileSync(new URL(file, examplesDir), 'utf8')).map((doc, index) => {
      assert.deepEqual(doc.errors, [], `${file} document ${index + 1} is not valid YAML`);
      return { file, object: doc.toJS() as Obj };
    }),
  );

describe('the examples', () => {
  test('every YAML snippet of the specification has its example file', () => {
    const files = new Set(examples.map((e) => e.file));
    for (const file of [
      'network.yaml',
      'network-context.yaml',
      'subnet-claim.yaml',
      'subnet.yaml',
      'multi-tier.yaml',
      'network-binding.yaml',
      'network-policy.yaml',
      'deny-all-policy.yaml',
      'hub-and-spoke.yaml',
      'multi-region.yaml',
    ]) {
      assert.ok(files.has(file), `examples/${file} is missing`);
    }
  });

  const byName = new Map(
    examples.map(({ object }) => [`${object.kind}/${(object.metadata as Obj).name}`, object]),
  );
  for (const { file, object } of examples) {
    const name = `${object.kind}/${(object.metadata as Obj).name}`;
    test(`${file}: ${name} is valid as written`, () => {
      if (object.kind === 'Namespace') {
        assert.deepEqual(
          validateObjectMeta(object.metadata, { namespaced: false }).map(formatFieldError),
          [],
        );
        return;
      }
      const resolved = resolveOwnerReferences(object, ({ kind, name }) =>
        byName.has(`${kind}/${name}`) ? `uid-of-${name}` : undefined,
      );
      assert.deepEqual(resolved.errors, []);
      const { errors, unknownFields } = admit(resolved.object);
      assert.deepEqual(errors.map(formatFieldError), []);
      assert.deepEqual(unknownFields, []);
    });
  }

  test('an owner reference without uid is refused when its owner does not exist', () => {
    const subnet = examples.find((e) => e.object.kind === 'Subnet')!.object;
    const { errors } = resolveOwnerReferences(subnet, () => undefined);
    assert.deepEqual(errors.map(formatFieldError), [
      'metadata.ownerReferences[0].uid: Required value: SubnetClaim "web-tier-subnet-claim" was not found in this namespace; create it first or give its uid',
    ]);
  });

  test('the specification uses every kind but Workload, and the examples cover Workload too', () => {
    const kinds = new Set(examples.map((e) => e.object.kind));
    for (const kind of KINDS) assert.ok(kinds.has(kind.kind), `no example of ${kind.kind}`);
  });
});

describe('the CRDs', () => {
  for (const kind of KINDS) {
    test(`${kind.plural} is a structural schema`, () => {
      assert.deepEqual(checkStructural(openAPIV3Schema(kind) as JsonSchemaProps).map(formatFieldError), []);
    });
    test(`every rule of ${kind.plural} compiles`, () => {
      const found = rulesOf(openAPIV3Schema(kind));
      assert.ok(found.length > 0 || kind.kind === 'NetworkPolicy' || kind.kind === 'Workload');
      for (const rule of found) {
        const compiled = compileRule(rule);
        assert.ok(compiled.ok, `${rule.rule}: ${compiled.ok ? '' : compiled.message}`);
      }
    });
  }
});

function rulesOf(node: unknown): { rule: string; message?: string; messageExpression?: string }[] {
  if (!node || typeof node !== 'object') return [];
  const here = ((node as JsonObject)['x-kubernetes-validations'] as { rule: string }[] | undefined) ?? [];
  return [...here, ...Object.values(node as JsonObject).flatMap(rulesOf)];
}

describe('defaults', () => {
  test('ipFamily IPv4, mtu 1460, Dynamic allocation, TCP ports, Workload kind of workloadRef', () => {
    const network = admit(network10()).object;
    assert.equal((network.spec as Obj).mtu, 1460);
    const claim = admit(claim24()).object;
    assert.equal((claim.spec as Obj).ipFamily, 'IPv4');
    const binding = admit({
      ...base('NetworkBinding'),
      spec: { workloadRef: { name: 'web' }, networkRef: { name: 'net' } },
    }).object;
    assert.deepEqual((binding.spec as Obj).ipAddressAllocation, { type: 'Dynamic' });
    assert.equal(((binding.spec as Obj).workloadRef as Obj).kind, 'Workload');
    const policy = admit(policyWith({ ingress: [{ ports: [{ port: 80 }] }] })).object;
    assert.deepEqual((policy.spec as { ingress: { ports: Obj[] }[] }).ingress[0]!.ports[0], {
      protocol: 'TCP',
      port: 80,
    });
  });

  test('unknown fields are pruned and reported', () => {
    const { unknownFields, object } = admit({
      ...network10(),
      spec: { ipv4Blocks: ['10.0.0.0/16'], color: 'blue' },
    });
    assert.deepEqual(unknownFields, ['spec.color']);
    assert.equal((object.spec as Obj).color, undefined);
  });
});

const base = (kind: string): Obj => ({
  apiVersion: kind === 'Workload' ? 'compute.datumapis.com/v1alpha1' : 'networking.datumapis.com/v1alpha1',
  kind,
  metadata: { name: 'example' },
});
const network10 = (spec: Obj = { ipv4Blocks: ['10.0.0.0/16'] }): Obj => ({ ...base('Network'), spec });
const claim24 = (spec: Obj = {}): Obj => ({
  ...base('SubnetClaim'),
  spec: { networkRef: { name: 'net' }, prefixLength: 24, ...spec },
});
const subnet = (spec: Obj = {}): Obj => ({
  ...base('Subnet'),
  spec: { networkRef: { name: 'net' }, cidrBlock: '10.0.1.0/24', ...spec },
});
const binding = (allocation: Obj): Obj => ({
  ...base('NetworkBinding'),
  spec: {
    workloadRef: { name: 'web', kind: 'Workload' },
    networkRef: { name: 'net' },
    ipAddressAllocation: allocation,
  },
});
const policyWith = (spec: Obj): Obj => ({ ...base('NetworkPolicy'), spec: { podSelector: {}, ...spec } });
const peer = (p: Obj): Obj => policyWith({ ingress: [{ from: [p] }] });
const port = (p: Obj): Obj => policyWith({ ingress: [{ ports: [p] }] });
const workload = (spec: Obj): Obj => ({ ...base('Workload'), spec });

interface Refusal {
  readonly name: string;
  readonly object: Obj;
  readonly old?: Obj;
  /** field → a fragment its message must contain; the refusal must name exactly these fields. */
  readonly expect: Readonly<Record<string, string>>;
}

const refusals: Refusal[] = [
  {
    name: 'host bits set',
    object: network10({ ipv4Blocks: ['10.0.0.1/16'] }),
    expect: { 'spec.ipv4Blocks[0]': '10.0.0.1/16 has host bits set; did you mean 10.0.0.0/16?' },
  },
  {
    name: 'a /33',
    object: network10({ ipv4Blocks: ['10.0.0.0/33'] }),
    expect: { 'spec.ipv4Blocks[0]': 'the prefix length 33 is out of range; IPv4 allows 0 to 32' },
  },
  {
    name: 'a leading zero',
    object: network10({ ipv4Blocks: ['010.0.0.0/8'] }),
    expect: { 'spec.ipv4Blocks[0]': 'did you mean 10.0.0.0/8?' },
  },
  {
    name: 'not a CIDR at all',
    object: network10({ ipv4Blocks: ['ten-dot-oh'] }),
    expect: { 'spec.ipv4Blocks[0]': 'must be of type cidr' },
  },
  {
    name: 'an address without a length',
    object: network10({ ipv4Blocks: ['10.0.0.0'] }),
    expect: { 'spec.ipv4Blocks[0]': 'it has no prefix length' },
  },
  {
    name: 'an IPv6 block among the IPv4 blocks',
    object: network10({ ipv4Blocks: ['fd00::/48'] }),
    expect: { 'spec.ipv4Blocks[0]': 'fd00::/48 is not an IPv4 CIDR block' },
  },
  {
    name: 'an IPv4 block among the IPv6 blocks',
    object: network10({ ipv6Blocks: ['10.0.0.0/8'] }),
    expect: { 'spec.ipv6Blocks[0]': '10.0.0.0/8 is not an IPv6 CIDR block' },
  },
  {
    name: 'a non-canonical IPv6 block',
    object: network10({ ipv6Blocks: ['fd00:0db8::/32'] }),
    expect: { 'spec.ipv6Blocks[0]': 'is not in canonical form; write fd00:db8::/32' },
  },
  {
    name: 'overlapping blocks of one network',
    object: network10({ ipv4Blocks: ['10.0.0.0/16', '10.0.128.0/17'] }),
    expect: {
      'spec.ipv4Blocks':
        'the blocks of one network must not overlap: 10.0.128.0/17 lies inside another block',
    },
  },
  {
    name: 'the same block twice',
    object: network10({ ipv4Blocks: ['10.0.0.0/16', '10.0.0.0/16'] }),
    expect: { 'spec.ipv4Blocks[1]': 'Duplicate value: "10.0.0.0/16"' },
  },
  {
    name: 'a loopback block',
    object: network10({ ipv4Blocks: ['127.0.0.0/16'] }),
    expect: { 'spec.ipv4Blocks[0]': '127.0.0.0/16 overlaps 127.0.0.0/8, which is reserved for loopback' },
  },
  {
    name: 'a block that swallows the link-local range',
    object: network10({ ipv4Blocks: ['169.0.0.0/8'] }),
    expect: { 'spec.ipv4Blocks[0]': 'overlaps 169.254.0.0/16, which is reserved for link-local' },
  },
  {
    name: 'a multicast IPv6 block',
    object: network10({ ipv6Blocks: ['ff02::/16'] }),
    expect: { 'spec.ipv6Blocks[0]': 'which is reserved for multicast' },
  },
  {
    name: 'a network without blocks',
    object: network10({ mtu: 1500 }),
    expect: { spec: 'a network needs at least one CIDR block in ipv4Blocks or ipv6Blocks' },
  },
  {
    name: 'an mtu too small',
    object: network10({ ipv4Blocks: ['10.0.0.0/16'], mtu: 500 }),
    expect: { 'spec.mtu': 'should be greater than or equal to 1280' },
  },
  {
    name: 'an mtu of the wrong type, which holds back the CEL rules as Kubernetes does',
    object: network10({ ipv4Blocks: ['10.0.0.0/16'], mtu: 'big' }),
    expect: { 'spec.mtu': 'must be of type integer', '<nil>': RULES_NOT_CHECKED },
  },
  {
    name: 'blocks that are not a list',
    object: network10({ ipv4Blocks: '10.0.0.0/16' }),
    expect: { 'spec.ipv4Blocks': 'must be of type array' },
  },
  {
    name: 'a network peering with itself',
    object: network10({ ipv4Blocks: ['10.0.0.0/16'], peering: [{ networkRef: { name: 'example' } }] }),
    expect: { 'spec.peering': 'a network cannot peer with itself' },
  },
  {
    name: 'the same peer twice',
    object: network10({
      ipv4Blocks: ['10.0.0.0/16'],
      peering: [{ networkRef: { name: 'hub' } }, { networkRef: { name: 'hub' } }],
    }),
    expect: { 'spec.peering': 'each network may be peered only once' },
  },
  {
    name: 'a peering without a network name',
    object: network10({ ipv4Blocks: ['10.0.0.0/16'], peering: [{ networkRef: {} }] }),
    expect: { 'spec.peering[0].networkRef.name': 'Required value' },
  },
  {
    name: 'a region claim out of range',
    object: network10({
      ipv4Blocks: ['10.0.0.0/8'],
      regions: [{ name: 'us-central1', subnetClaims: [{ prefixLength: 30 }] }],
    }),
    expect: {
      'spec.regions[0].subnetClaims[0].prefixLength': 'prefixLength 30 is out of range for IPv4: use 8 to 29',
    },
  },
  {
    name: 'two regions of one name',
    object: network10({ ipv4Blocks: ['10.0.0.0/8'], regions: [{ name: 'eu' }, { name: 'eu' }] }),
    expect: { 'spec.regions[1]': 'Duplicate value: {"name":"eu"}' },
  },
  {
    name: 'a claim with prefixLength out of range',
    object: claim24({ prefixLength: 31 }),
    expect: { 'spec.prefixLength': 'prefixLength 31 is out of range for IPv4: use 8 to 29' },
  },
  {
    name: 'a claim with prefixLength beyond IPv6',
    object: claim24({ prefixLength: 129, ipFamily: 'IPv6' }),
    expect: { 'spec.prefixLength': 'should be less than or equal to 128' },
  },
  {
    name: 'a claim with a negative prefixLength',
    object: claim24({ prefixLength: -1 }),
    expect: { 'spec.prefixLength': 'should be greater than or equal to 0' },
  },
  {
    name: 'a claim with a fractional prefixLength',
    object: claim24({ prefixLength: 24.5 }),
    expect: { 'spec.prefixLength': 'must be of type integer' },
  },
  {
    name: 'an unknown ipFamily',
    object: claim24({ ipFamily: 'IPv5' }),
    expect: { 'spec.ipFamily': 'Unsupported value: "IPv5": supported values: "IPv4", "IPv6"' },
  },
  {
    name: 'a claim without networkRef',
    object: { ...base('SubnetClaim'), spec: { prefixLength: 24 } },
    expect: { 'spec.networkRef': 'Required value' },
  },
  {
    name: 'a claim whose cidrBlock disagrees with prefixLength',
    object: claim24({ cidrBlock: '10.0.5.0/25' }),
    expect: { 'spec.cidrBlock': 'cidrBlock 10.0.5.0/25 is a /25 but prefixLength is 24' },
  },
  {
    name: 'a claim whose cidrBlock is of the other family',
    object: claim24({ cidrBlock: 'fd00::/24' }),
    expect: { 'spec.cidrBlock': 'cidrBlock fd00::/24 is not an IPv4 block (ipFamily is IPv4)' },
  },
  {
    name: 'a changed networkRef',
    object: claim24({ networkRef: { name: 'other' } }),
    old: claim24(),
    expect: { 'spec.networkRef': 'networkRef is immutable' },
  },
  {
    name: 'a changed claim cidrBlock',
    object: claim24({ cidrBlock: '10.0.6.0/24' }),
    old: claim24({ cidrBlock: '10.0.5.0/24' }),
    expect: { 'spec.cidrBlock': 'cidrBlock is immutable; delete and re-create the claim to change it' },
  },
  {
    name: 'a changed subnet cidrBlock',
    object: subnet({ cidrBlock: '10.0.2.0/24' }),
    old: subnet(),
    expect: { 'spec.cidrBlock': 'cidrBlock is immutable' },
  },
  {
    name: 'a subnet with host bits',
    object: subnet({ cidrBlock: '10.0.1.7/24' }),
    expect: { 'spec.cidrBlock': '10.0.1.7/24 has host bits set; did you mean 10.0.1.0/24?' },
  },
  {
    name: 'a subnet whose block is not of its family',
    object: subnet({ cidrBlock: 'fd00::/64', ipFamily: 'IPv4' }),
    expect: { 'spec.cidrBlock': 'is not an IPv4 block' },
  },
  {
    name: 'Static without specificIP',
    object: binding({ type: 'Static' }),
    expect: { 'spec.ipAddressAllocation.specificIP': 'specificIP is required when type is Static' },
  },
  {
    name: 'Dynamic with a specificIP',
    object: binding({ type: 'Dynamic', specificIP: '10.0.1.10' }),
    expect: { 'spec.ipAddressAllocation.specificIP': 'specificIP may only be set when type is Static' },
  },
  {
    name: 'an unknown allocation type',
    object: binding({ type: 'Sticky' }),
    expect: {
      'spec.ipAddressAllocation.type': 'Unsupported value: "Sticky": supported values: "Dynamic", "Static"',
    },
  },
  {
    name: 'a specificIP that is not an address',
    object: binding({ type: 'Static', specificIP: '10.0.1.300' }),
    expect: { 'spec.ipAddressAllocation.specificIP': '10.0.1.300 is not a valid IP address' },
  },
  {
    name: 'a binding without workloadRef',
    object: { ...base('NetworkBinding'), spec: { networkRef: { name: 'net' } } },
    expect: { 'spec.workloadRef': 'Required value' },
  },
  {
    name: 'endPort below port',
    object: port({ port: 8080, endPort: 80 }),
    expect: { 'spec.ingress[0].ports[0].endPort': 'endPort 80 must be greater than or equal to port 8080' },
  },
  {
    name: 'endPort with a named port',
    object: port({ port: 'http', endPort: 90 }),
    expect: { 'spec.ingress[0].ports[0].endPort': 'endPort requires a numeric port' },
  },
  {
    name: 'a port out of range',
    object: port({ port: 70000 }),
    expect: { 'spec.ingress[0].ports[0].port': 'port 70000 is out of range: use 1 to 65535' },
  },
  {
    name: 'a bad port name',
    object: port({ port: 'HTTP_PORT' }),
    expect: { 'spec.ingress[0].ports[0].port': 'is not a valid port name' },
  },
  {
    name: 'an unknown protocol',
    object: port({ protocol: 'ICMP', port: 80 }),
    expect: {
      'spec.ingress[0].ports[0].protocol':
        'Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"',
    },
  },
  {
    name: 'except outside cidr',
    object: peer({ ipBlock: { cidr: '10.0.0.0/16', except: ['10.1.0.0/24'] } }),
    expect: {
      'spec.ingress[0].from[0].ipBlock.except':
        'every except block must lie strictly inside 10.0.0.0/16; 10.1.0.0/24 does not',
    },
  },
  {
    name: 'except equal to cidr',
    object: peer({ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.0.0/16'] } }),
    expect: { 'spec.ingress[0].from[0].ipBlock.except': '10.0.0.0/16 does not' },
  },
  {
    name: 'ipBlock combined with a podSelector',
    object: peer({ ipBlock: { cidr: '10.0.0.0/16' }, podSelector: {} }),
    expect: { 'spec.ingress[0].from[0]': 'ipBlock cannot be combined with podSelector or namespaceSelector' },
  },
  {
    name: 'an empty peer',
    object: peer({}),
    expect: { 'spec.ingress[0].from[0]': 'a peer needs podSelector, namespaceSelector or ipBlock' },
  },
  {
    name: 'an unknown policy type',
    object: policyWith({ policyTypes: ['Ingress', 'Sideways'] }),
    expect: { 'spec.policyTypes[1]': 'Unsupported value: "Sideways": supported values: "Ingress", "Egress"' },
  },
  {
    name: 'In without values',
    object: policyWith({ podSelector: { matchExpressions: [{ key: 'tier', operator: 'In' }] } }),
    expect: { 'spec.podSelector.matchExpressions[0]': 'values must be non-empty for In and NotIn' },
  },
  {
    name: 'a policy without podSelector',
    object: { ...base('NetworkPolicy'), spec: { ingress: [] } },
    expect: { 'spec.podSelector': 'Required value' },
  },
  {
    name: 'a NetworkContext naming two providers',
    object: {
      ...base('NetworkContext'),
      spec: { networkRef: { name: 'net' }, providerConfig: { gcp: {}, linux: {} } },
    },
    expect: { 'spec.providerConfig': 'providerConfig must name exactly one provider' },
  },
  {
    name: 'a Workload attached twice to one network',
    object: workload({ networkInterfaces: [{ network: { name: 'a' } }, { network: { name: 'a' } }] }),
    expect: { 'spec.networkInterfaces': 'a workload may attach to each network once' },
  },
  {
    name: 'a Workload port name that is too long',
    object: workload({ ports: [{ name: 'a-very-long-port-name', port: 80 }] }),
    expect: { 'spec.ports[0].name': 'may not be more than 15 bytes' },
  },
  {
    name: 'an upper-case name',
    object: { ...network10(), metadata: { name: 'Production_Network' } },
    expect: {
      'metadata.name': 'a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters',
    },
  },
  {
    name: 'a name that is too long',
    object: { ...network10(), metadata: { name: 'n'.repeat(254) } },
    expect: { 'metadata.name': 'must be no more than 253 characters' },
  },
  {
    name: 'no name at all',
    object: { ...network10(), metadata: {} },
    expect: { 'metadata.name': 'name or generateName is required' },
  },
  {
    name: 'a bad label value',
    object: { ...network10(), metadata: { name: 'net', labels: { tier: 'web app' } } },
    expect: {
      'metadata.labels':
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'",
    },
  },
];

describe('bad input is refused at the right field', () => {
  test(`there are at least 40 cases (${refusals.length})`, () => assert.ok(refusals.length >= 40));
  for (const refusal of refusals) {
    test(refusal.name, () => {
      const errors = admit(refusal.object, refusal.old).errors.filter(
        (e) => e.field !== '<nil>' || '<nil>' in refusal.expect,
      );
      const fields = [...new Set(errors.map((e) => e.field))].sort();
      assert.deepEqual(fields, Object.keys(refusal.expect).sort(), errors.map(formatFieldError).join('\n'));
      for (const [field, fragment] of Object.entries(refusal.expect)) {
        const messages = errors.filter((e) => e.field === field).map((e) => e.message);
        assert.ok(
          messages.some((m) => m.includes(fragment)),
          `${field}: expected a message containing ${JSON.stringify(fragment)}, got ${JSON.stringify(messages)}`,
        );
      }
    });
  }
});

test('every kind is registered once, with a plural, a short name and the datum category', () => {
  const plurals = KINDS.map((k: KindDefinition) => k.plural);
  assert.equal(new Set(plurals).size, KINDS.length);
  for (const kind of KINDS) {
    assert.ok(kind.shortNames.length > 0);
    assert.deepEqual(kind.categories, ['datum']);
    assert.ok(kind.printerColumns.some((c) => c.jsonPath === '.metadata.creationTimestamp'));
  }
});
