import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { customResourceDefinition } from '../src/api/crd.ts';
import { KINDS } from '../src/api/kinds.ts';
import { ApiServer } from '../src/apiserver/api-server.ts';
import type { ApiObject } from '../src/apiserver/registry/object-codec.ts';
import { systemWrite } from '../src/apiserver/registry/request-options.ts';
import { SqliteStorage } from '../src/storage/sqlite/sqlite-storage.ts';
import { type Bench, median, percentile, round } from './bench.ts';

const G = '/apis/networking.datumapis.com/v1alpha1/namespaces/default/networks';

interface Running {
  readonly api: ApiServer;
  readonly port: number;
  readonly agent: Agent;
  close(): Promise<void>;
}

/** `nso`'s API server on sqlite (synchronous=FULL, the default) over plain loopback HTTP/1.1 with keep-alive. */
async function start(): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'nso-bench-api-'));
  const storage = await SqliteStorage.open(join(dir, 'store.db'));
  const api = await ApiServer.start({
    storage,
    customResourceDefinitions: KINDS.map((kind) => customResourceDefinition(kind) as ApiObject),
  });
  const server = createServer(api.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const agent = new Agent({ keepAlive: true, maxSockets: 128 });
  return {
    api,
    port: (server.address() as AddressInfo).port,
    agent,
    close: async () => {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await api.close();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function call(
  run: Running,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; text: string }> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: run.port,
        method,
        path,
        agent: run.agent,
        headers:
          payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': payload.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const network = (name: string, i: number): ApiObject => ({
  apiVersion: 'networking.datumapis.com/v1alpha1',
  kind: 'Network',
  metadata: { name, labels: { bench: 'yes', shard: String(i % 16) } },
  spec: { ipv4Blocks: [`10.${(i >> 8) & 0xff}.${i & 0xff}.0/24`] },
});

async function create(run: Running, name: string, i: number): Promise<void> {
  const reply = await call(run, 'POST', G, network(name, i));
  if (reply.status !== 201) throw new Error(`create ${name}: ${reply.status} ${reply.text}`);
}

async function create16(): Promise<Record<string, number>> {
  const run = await start();
  try {
    const perClient = 250;
    await Promise.all(Array.from({ length: 16 }, (_, c) => create(run, `warm-${c}`, c)));
    const startAt = performance.now();
    await Promise.all(
      Array.from({ length: 16 }, async (_, c) => {
        for (let i = 0; i < perClient; i++) await create(run, `n-${c}-${i}`, c * perClient + i);
      }),
    );
    const seconds = (performance.now() - startAt) / 1000;
    return { createsPerSec: round((16 * perClient) / seconds), clients: 16, creates: 16 * perClient };
  } finally {
    await run.close();
  }
}

async function get(): Promise<Record<string, number>> {
  const run = await start();
  try {
    for (let i = 0; i < 100; i++) await create(run, `g-${i}`, i);
    const latencies: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const t = performance.now();
      const reply = await call(run, 'GET', `${G}/g-${i % 100}`);
      if (reply.status !== 200) throw new Error(`get: ${reply.status}`);
      if (i >= 200) latencies.push(performance.now() - t);
    }
    latencies.sort((a, b) => a - b);
    return {
      p50Ms: round(percentile(latencies, 50)),
      p99Ms: round(percentile(latencies, 99)),
      gets: latencies.length,
    };
  } finally {
    await run.close();
  }
}

async function list10k(): Promise<Record<string, number>> {
  const run = await start();
  try {
    const store = run.api.registry.lookup('networking.datumapis.com', 'v1alpha1', 'networks')!;
    const total = 10_000;
    for (let start = 0; start < total; start += 200) {
      await Promise.all(
        Array.from({ length: 200 }, (_, j) =>
          store.create('default', network(`l-${start + j}`, start + j), systemWrite('bench')),
        ),
      );
    }
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 7; i++) {
      const t = performance.now();
      const reply = await call(run, 'GET', G);
      times.push(performance.now() - t);
      if (reply.status !== 200) throw new Error(`list: ${reply.status}`);
      const items = (JSON.parse(reply.text) as { items: unknown[] }).items.length;
      if (items !== total) throw new Error(`list returned ${items} items`);
      bytes = reply.text.length;
    }
    return { ms: round(median(times.slice(1))), objects: total, bytes };
  } finally {
    await run.close();
  }
}

async function watchFanout100(): Promise<Record<string, number>> {
  const run = await start();
  try {
    const watchers = 100;
    const writes = 200;
    const seen = new Map<string, number>();
    const arrivals = new Map<string, number>();
    let waiting: (() => void) | undefined;
    const requests = await Promise.all(
      Array.from(
        { length: watchers },
        () =>
          new Promise<ReturnType<typeof request>>((resolve, reject) => {
            const req = request(
              { host: '127.0.0.1', port: run.port, path: `${G}?watch=true&resourceVersion=0`, agent: false },
              (res) => {
                let buffer = '';
                res.setEncoding('utf8');
                res.on('data', (chunk: string) => {
                  buffer += chunk;
                  for (let at = buffer.indexOf('\n'); at >= 0; at = buffer.indexOf('\n')) {
                    const event = JSON.parse(buffer.slice(0, at)) as { object: ApiObject };
                    buffer = buffer.slice(at + 1);
                    const name = event.object.metadata.name ?? '';
                    const count = (seen.get(name) ?? 0) + 1;
                    seen.set(name, count);
                    if (count === watchers) {
                      arrivals.set(name, performance.now());
                      waiting?.();
                    }
                  }
                });
                resolve(req);
              },
            );
            req.on('error', reject);
            req.end();
          }),
      ),
    );
    const latencies: number[] = [];
    for (let i = 0; i < writes; i++) {
      const name = `w-${i}`;
      const done = new Promise<void>((resolve) => {
        waiting = resolve;
      });
      const t = performance.now();
      await create(run, name, i);
      if (!arrivals.has(name)) await done;
      latencies.push(arrivals.get(name)! - t);
    }
    for (const req of requests) req.destroy();
    latencies.sort((a, b) => a - b);
    return {
      p50Ms: round(percentile(latencies, 50)),
      p99Ms: round(percentile(latencies, 99)),
      watchers,
      writes,
    };
  } finally {
    await run.close();
  }
}

export const benches: Bench[] = [
  { name: 'apiserver.create16', run: create16 },
  { name: 'apiserver.get', run: get },
  { name: 'apiserver.list10k', run: list10k },
  { name: 'apiserver.watchFanout100', run: watchFanout100 },
];
