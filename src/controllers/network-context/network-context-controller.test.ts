// The NetworkContext controller against a real API server with fake providers: the specification's
// prod-context is programmed by the provider its providerConfig names, with Ready at its generation and an
// Event; an unknown provider and a missing network are conditions that say so; a failing provider is retried;
// deleting the context deletes the provider's resources before the context goes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { NetworkKind } from '../../api/network.ts';
import { NetworkContextKind } from '../../api/network-context.ts';
import { isNotFound } from '../../client/api-error.ts';
import { ApiTransport } from '../../client/api-transport.ts';
import { Informer } from '../../client/informer.ts';
import { apiResourceOf, type KubeObject } from '../../client/kube-object.ts';
import { ResourceClient } from '../../client/resource-client.ts';
import { startTestApiServer, type TestApiServer } from '../../client/testing/test-api-server.ts';
import { FakeProvider } from '../../providers/fake/fake-provider.ts';
import { eventSink } from '../runtime/client-adapters.ts';
import type { Controller } from '../runtime/controller.ts';
import { type CoreEvent, EventRecorder } from '../runtime/event-recorder.ts';
import { EVENTS } from '../runtime/operator-api.ts';
import { eventually } from '../runtime/testing/eventually.ts';
import {
  type NetworkContextObject,
  type NetworkObject,
  networkContextController,
  PROVIDER_FINALIZER,
} from './network-context-controller.ts';

type Loose = KubeObject & Record<string, unknown>;
const NS = 'default';

const network = (name: string, block: string): NetworkObject =>
  ({
    apiVersion: 'networking.datumapis.com/v1alpha1',
    kind: 'Network',
    metadata: { name, namespace: NS },
    spec: { ipv4Blocks: [block] },
  }) as NetworkObject;

const context = (name: string, networkName: string, providerConfig: object): NetworkContextObject =>
  ({
    apiVersion: 'networking.datumapis.com/v1alpha1',
    kind: 'NetworkContext',
    metadata: { name, namespace: NS },
    spec: { networkRef: { name: networkName }, providerConfig },
  }) as NetworkContextObject;

describe('the NetworkContext controller', { timeout: 60_000 }, () => {
  let server: TestApiServer;
  let transport: ApiTransport;
  let contexts: ResourceClient<NetworkContextObject>;
  let networks: ResourceClient<NetworkObject>;
  let informers: Informer<NetworkContextObject | NetworkObject>[];
  let controller: Controller;
  const gcp = new FakeProvider('gcp');
  const fake = new FakeProvider('fake');

  before(async () => {
    server = await startTestApiServer();
    transport = new ApiTransport(server.kubeConfig);
    contexts = new ResourceClient(transport, apiResourceOf(NetworkContextKind));
    networks = new ResourceClient(transport, apiResourceOf(NetworkKind));
    const contextInformer = new Informer<NetworkContextObject>(contexts);
    const networkInformer = new Informer<NetworkObject>(networks);
    informers = [contextInformer, networkInformer] as Informer<NetworkContextObject | NetworkObject>[];
    for (const each of informers) each.start();
    await Promise.all(informers.map((each) => each.waitForSync()));
    controller = networkContextController({
      contexts: contextInformer,
      networks: networkInformer,
      client: contexts,
      providers: new Map([
        [gcp.name, gcp],
        [fake.name, fake],
      ]),
      recorder: new EventRecorder({
        sink: eventSink(new ResourceClient<CoreEvent & KubeObject>(transport, EVENTS)),
        component: 'network-services-operator',
      }),
    });
    controller.start();
  });
  after(async () => {
    await controller.stop();
    await Promise.all(informers.map((each) => each.stop()));
    transport.close();
    await server.close();
  });

  const readyOf = (name: string, reason: string) =>
    eventually(`${name} Ready with reason ${reason}`, async () => {
      const current = await contexts.get(NS, name);
      const ready = current.status?.conditions?.find((c) => c.type === 'Ready');
      return ready?.reason === reason ? { context: current, ready } : undefined;
    });

  const eventOf = (name: string, reason: string) =>
    eventually(`a ${reason} event for ${name}`, async () => {
      const events = new ResourceClient<Loose>(transport, EVENTS);
      return (await events.list(NS, { fieldSelector: `involvedObject.name=${name}` })).items.find(
        (event) => event.reason === reason,
      );
    });

  test("the specification's prod-context is programmed by the gcp provider", async () => {
    await networks.create(network('production-network', '10.0.0.0/16'));
    await contexts.create(
      context('prod-context', 'production-network', {
        gcp: { region: 'us-central1', autoCreateSubnets: false },
      }),
    );
    const { context: programmed, ready } = await readyOf('prod-context', 'Programmed');
    assert.equal(ready.status, 'True', 'Ready is True');
    assert.equal(ready.observedGeneration, programmed.metadata.generation, 'Ready at the generation it saw');
    assert.equal(programmed.status?.provider, 'gcp', 'status names the provider');
    assert.equal(
      programmed.status?.conditions?.find((c) => c.type === 'Programmed')?.status,
      'True',
      'Programmed is True',
    );
    assert.deepEqual(
      programmed.status?.resources,
      [{ kind: 'network', name: 'default-production-network', id: programmed.status?.resources?.[0]?.id }],
      'status lists what the provider created',
    );
    assert.ok(
      programmed.metadata.finalizers?.includes(PROVIDER_FINALIZER.name),
      'the context holds the finalizer',
    );
    const call = gcp.calls.find((c) => c.method === 'ensureNetwork' && c.context.name === 'prod-context');
    assert.ok(call?.method === 'ensureNetwork', 'the gcp provider was asked to ensure the network');
    assert.deepEqual(call.context.config, { region: 'us-central1', autoCreateSubnets: false }, 'its config');
    assert.equal(call.network.name, 'production-network', 'the referenced network');
    assert.deepEqual(call.network.ipv4Blocks, ['10.0.0.0/16'], "the network's blocks");
    assert.equal(fake.calls.length, 0, 'no other provider was called');
    const event = await eventOf('prod-context', 'Programmed');
    assert.equal(event.type, 'Normal', 'a Normal event');
  });

  test('an unknown provider is a condition naming the known providers', async () => {
    await contexts.create(
      context('linux-context', 'production-network', { linux: { namespacePrefix: 'nso' } }),
    );
    const { ready } = await readyOf('linux-context', 'UnknownProvider');
    assert.equal(ready.status, 'False', 'not Ready');
    assert.match(
      ready.message,
      /unknown provider "linux"; known providers: fake, gcp/,
      'names the known ones',
    );
    const event = await eventOf('linux-context', 'UnknownProvider');
    assert.equal(event.type, 'Warning', 'a Warning event');
  });

  test('a missing network is NetworkNotFound until it is created', async () => {
    await contexts.create(context('late-context', 'late-network', { fake: {} }));
    const { ready } = await readyOf('late-context', 'NetworkNotFound');
    assert.equal(ready.status, 'False', 'not Ready');
    assert.match(ready.message, /network late-network not found/, 'names the network');
    assert.ok(
      !fake.calls.some((c) => c.method === 'ensureNetwork' && c.context.name === 'late-context'),
      'the provider was not called without a network',
    );
    await networks.create(network('late-network', '10.9.0.0/16'));
    const programmed = await readyOf('late-context', 'Programmed');
    assert.equal(programmed.ready.status, 'True', 'Ready once the network exists');
  });

  test('a failing provider is ProviderFailed and retried until it succeeds', async () => {
    await networks.create(network('flaky-network', '10.8.0.0/16'));
    fake.failWith('quota exceeded');
    await contexts.create(context('flaky-context', 'flaky-network', { fake: {} }));
    const { ready } = await readyOf('flaky-context', 'ProviderFailed');
    assert.equal(ready.status, 'False', 'not Ready');
    assert.match(ready.message, /provider fake failed: quota exceeded/, "carries the provider's message");
    fake.failWith(undefined);
    const programmed = await readyOf('flaky-context', 'Programmed');
    assert.equal(programmed.ready.status, 'True', 'Ready after a retry');
  });

  test("switching providers deletes the previous provider's resources", async () => {
    await contexts.create(context('switch-context', 'production-network', { fake: {} }));
    const first = await readyOf('switch-context', 'Programmed');
    assert.equal(first.context.status?.provider, 'fake', 'programmed by fake first');
    await contexts.update({ ...first.context, spec: { ...first.context.spec, providerConfig: { gcp: {} } } });
    await eventually('switch-context programmed by gcp', async () => {
      const current = await contexts.get(NS, 'switch-context');
      return current.status?.provider === 'gcp' ? true : undefined;
    });
    assert.ok(
      fake.calls.some((c) => c.method === 'deleteNetwork' && c.context.name === 'switch-context'),
      'fake deleted what it had created',
    );
    assert.ok(
      gcp.calls.some((c) => c.method === 'ensureNetwork' && c.context.name === 'switch-context'),
      'gcp programmed the network',
    );
  });

  test("deleting a context deletes the provider's resources first", async () => {
    await contexts.delete(NS, 'prod-context');
    await eventually('prod-context gone', async () => {
      try {
        await contexts.get(NS, 'prod-context');
        return undefined;
      } catch (error) {
        if (isNotFound(error)) return true;
        throw error;
      }
    });
    // deleteNetwork is idempotent, so a reconcile from a cache still holding the finalizer may repeat it.
    const deleted = new Set(gcp.calls.filter((c) => c.method === 'deleteNetwork').map((c) => c.context.name));
    assert.deepEqual(
      [...deleted],
      ['prod-context'],
      'the gcp provider deleted the resources of prod-context',
    );
  });
});
