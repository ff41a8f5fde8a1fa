// e2e.claims10k (issue 7): SubnetClaims applied by 16 clients to a real `nso up` on sqlite, timed from each
// claim's create to its Ready condition (the Subnet exists with the claim's block), next to a plain sqlite
// commit loop at the same durability on the same machine. NSO_BENCH_CLAIMS changes the count. The claims
// start once the networks are Ready, so operator start-up is not counted as claim latency.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { NetworkKind } from '../src/api/network.ts';
import { SubnetClaimKind } from '../src/api/subnet-claim.ts';
import { ApiTransport } from '../src/client/api-transport.ts';
import { apiResourceOf, type KubeObject } from '../src/client/kube-object.ts';
import { ResourceClient } from '../src/client/resource-client.ts';
import { NsoProcess } from '../test/e2e/nso-process.ts';
import { type Bench, percentile, round } from './bench.ts';
import { sqlite } from './storage-local.bench.ts';

type Loose = KubeObject & {
  spec?: unknown;
  status?: { conditions?: { type: string; status: string }[] };
};

const NETWORKS = 8;
const CLIENTS = 16;
/**
 * Claims applied first, to a network of their own, and reported apart (warmupP99Ms): the first second of
 * load runs through code V8 has not compiled yet, and would otherwise be most of the measured p99.
 */
const WARMUP_CLAIMS = 1_000;
const WARMUP_NETWORK = 'bench-warmup';

async function claims10k(): Promise<Record<string, number>> {
  const count = Number(process.env.NSO_BENCH_CLAIMS ?? 10_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'nso-bench-e2e-'));
  const running = await NsoProcess.start(dataDir);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(running.kubeconfig);
  const transport = new ApiTransport(kubeConfig);
  try {
    const networks = new ResourceClient<Loose>(transport, apiResourceOf(NetworkKind));
    const claims = new ResourceClient<Loose>(transport, apiResourceOf(SubnetClaimKind));
    for (const name of [WARMUP_NETWORK, ...Array.from({ length: NETWORKS }, (_, n) => `bench-${n}`)]) {
      await networks.create({
        apiVersion: 'networking.datumapis.com/v1alpha1',
        kind: 'Network',
        metadata: { name, namespace: 'default' },
        spec: { ipv4Blocks: ['10.0.0.0/8'] },
      });
    }
    // As a user would: the networks Ready (the operator is up and has its caches) before the claims.
    for (let n = 0; n < NETWORKS; n++) {
      for (;;) {
        const network = await networks.get('default', `bench-${n}`);
        if (network.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    const warmup = await applyClaims(claims, 'warmup', WARMUP_CLAIMS, () => WARMUP_NETWORK);
    const measured = await applyClaims(claims, 'claim', count, (i) => `bench-${i % NETWORKS}`);
    const { latencies } = measured;
    return {
      claims: count,
      ready: latencies.length,
      claimsPerSec: round((latencies.length / measured.ms) * 1000),
      p50Ms: round(percentile(latencies, 50)),
      p99Ms: round(percentile(latencies, 99)),
      warmupClaims: WARMUP_CLAIMS,
      warmupP99Ms: round(percentile(warmup.latencies, 99)),
      rawCommitsPerSec: round(sqlite.rawWrites(5_000, Buffer.alloc(600, 1))),
    };
  } finally {
    transport.close();
    await running.nso.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const benches: Bench[] = [{ name: 'e2e.claims10k', run: claims10k }];

/**
 * `count` claims named `<prefix>-<i>`, created by CLIENTS clients at once; resolves once all are Ready with
 * each one's latency from the start of its create to its Ready condition, and the time from the first create
 * to the last Ready.
 */
async function applyClaims(
  claims: ResourceClient<Loose>,
  prefix: string,
  count: number,
  networkOf: (i: number) => string,
): Promise<{ latencies: number[]; ms: number }> {
  const stop = new AbortController();
  const created = new Map<string, number>();
  const ready = new Map<string, number>();
  let allReady: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    allReady = resolve;
  });
  const { resourceVersion } = await claims.list('default', { limit: 1 });
  const watching = claims
    .watch(
      'default',
      { resourceVersion },
      (event) => {
        if (event.type !== 'ADDED' && event.type !== 'MODIFIED') return;
        const name = event.object.metadata.name ?? '';
        if (!name.startsWith(`${prefix}-`)) return;
        const isReady = event.object.status?.conditions?.some(
          (c) => c.type === 'Ready' && c.status === 'True',
        );
        if (isReady && !ready.has(name)) {
          ready.set(name, performance.now());
          if (ready.size === count) allReady();
        }
      },
      stop.signal,
    )
    .catch(() => {});
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let i = next++; i < count; i = next++) {
        const name = `${prefix}-${i}`;
        const begin = performance.now();
        await claims.create({
          apiVersion: 'networking.datumapis.com/v1alpha1',
          kind: 'SubnetClaim',
          metadata: { name, namespace: 'default' },
          spec: { networkRef: { name: networkOf(i) }, prefixLength: i % 2 === 0 ? 24 : 28 },
        });
        created.set(name, begin);
      }
    }),
  );
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 600_000).unref());
  await Promise.race([done, timeout]);
  stop.abort();
  await watching;
  const latencies = [...ready].map(([name, at]) => at - (created.get(name) ?? at)).sort((a, b) => a - b);
  return { latencies, ms: Math.max(...ready.values()) - started };
}
