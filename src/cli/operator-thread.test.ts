// nso up's operator thread against a real API server: it reconciles, is started again after it dies, and
// stops cleanly.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Network, NetworkKind } from '../api/network.ts';
import { ApiTransport } from '../client/api-transport.ts';
import { apiResourceOf, type KubeObject } from '../client/kube-object.ts';
import { ResourceClient } from '../client/resource-client.ts';
import { startTestApiServer, type TestApiServer } from '../client/testing/test-api-server.ts';
import { eventually } from '../controllers/runtime/testing/eventually.ts';
import { LogBuffer } from '../log/log-buffer.ts';
import { type OperatorThread, startOperatorThread } from './operator-thread.ts';

type NetworkObject = Network & KubeObject;

describe('the operator thread', { timeout: 60_000 }, () => {
  let server: TestApiServer;
  let transport: ApiTransport;
  let networks: ResourceClient<NetworkObject>;
  let thread: OperatorThread;
  const logs = new LogBuffer();
  const echoed: string[] = [];

  before(async () => {
    server = await startTestApiServer();
    transport = new ApiTransport(server.kubeConfig);
    networks = new ResourceClient<NetworkObject>(transport, apiResourceOf(NetworkKind));
    thread = startOperatorThread({
      kubeconfig: server.kubeConfig.exportConfig(),
      logs,
      echo: (line) => echoed.push(line),
    });
  });
  after(async () => {
    await thread.stop();
    transport.close();
    await server.close();
  });

  const ready = (name: string) =>
    eventually(`network ${name} Ready`, async () => {
      const found = await networks.get('default', name);
      return found.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')
        ? found
        : undefined;
    });
  const network = (name: string, block: string): NetworkObject =>
    ({
      apiVersion: 'networking.datumapis.com/v1alpha1',
      kind: 'Network',
      metadata: { name, namespace: 'default' },
      spec: { ipv4Blocks: [block] },
    }) as NetworkObject;

  test('reconciles, and its log lines land in the buffer', async () => {
    await networks.create(network('before-crash', '10.1.0.0/16'));
    await ready('before-crash');
    assert.ok(
      logs.lines().some((line) => line.text.includes('"component":"operator"')),
      'operator lines in the buffer',
    );
    const metrics = await thread.metricsText();
    assert.match(metrics.text, /reconcile/, 'metrics come from the thread');
  });

  test('a thread that dies is started again and carries on', async () => {
    await thread.kill();
    await networks.create(network('after-crash', '10.2.0.0/16'));
    await ready('after-crash');
    assert.equal(thread.starts, 2, 'one restart');
    assert.ok(
      echoed.some((line) => /operator thread exited with code \d+; starting it again/.test(line)),
      `the restart is reported: ${echoed.join(' | ')}`,
    );
  });
});
