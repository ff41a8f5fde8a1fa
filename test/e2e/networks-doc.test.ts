// Proves that every kubectl command of the Networks doc, with the doc's own YAML, prints what a user expects on
// each stock kubectl 1.27–1.33 against the real `nso up` (HTTPS, admin certificate), and that objects survive a restart.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import type { KindDefinition } from '../../src/api/kind.ts';
import { NetworkKind, NetworkSpec } from '../../src/api/network.ts';
import { NetworkBindingKind } from '../../src/api/network-binding.ts';
import { NetworkPolicyKind } from '../../src/api/network-policy.ts';
import { SubnetKind } from '../../src/api/subnet.ts';
import { installedKubectls, Kubectl, type KubectlResult, shown } from './kubectl.ts';
import { manifestResources, printedTable } from './kubectl-output.ts';
import { NsoProcess } from './nso-process.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const example = (name: string): string => join(EXAMPLES, `${name}.yaml`);

const NETWORK = 'production-network';
const NETWORK_RESOURCE = `network.networking.datumapis.com/${NETWORK}`;
const MTU_DEFAULT = (NetworkSpec.properties.mtu as unknown as { default: number }).default;
const LABEL_SELECTOR = 'app=network-services-operator';

/** The doc's manifests (and the repo's other examples) applied with `-n`, in dependency order. */
const NAMESPACED_EXAMPLES = [
  'network-context',
  'subnet-claim',
  'subnet',
  'multi-tier',
  'network-binding',
  'static-ip-binding',
  'network-policy',
  'deny-all-policy',
  'hub-and-spoke',
  'multi-region',
  'ipv6-network',
  'workload',
] as const;

const header = (kind: KindDefinition, wide = false): string[] => [
  'NAME',
  ...kind.printerColumns.filter((c) => wide || (c.priority ?? 0) === 0).map((c) => c.name.toUpperCase()),
];

const words = (text: string): string => text.replace(/\s+/g, ' ').trim();

function succeeded(result: KubectlResult, what: string): void {
  assert.equal(result.code, 0, `${what} should exit 0\n${shown(result)}`);
}

function printedLine(result: KubectlResult, line: string, what: string): void {
  succeeded(result, what);
  assert.ok(
    result.stdout.split('\n').includes(line),
    `${what} should print the line "${line}"\n${shown(result)}`,
  );
}

function rowNamed(result: KubectlResult, name: string, what: string): Readonly<Record<string, string>> {
  const row = printedTable(result.stdout).rows.find((r) => r.NAME === name);
  assert.ok(row, `${what} should list a row named ${name}\n${shown(result)}`);
  return row;
}

const versions = installedKubectls();

describe('the Networks doc, with stock kubectl against nso up', { timeout: 10 * 60_000 }, () => {
  let work = '';
  let dataDir = '';
  let nso: NsoProcess | undefined;
  let kubeconfig = '';

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'nso-e2e-'));
    dataDir = join(work, 'data');
    mkdirSync(dataDir);
    const started = await NsoProcess.start(dataDir);
    nso = started.nso;
    kubeconfig = started.kubeconfig;
  });

  after(async () => {
    await nso?.stop();
    if (work !== '') rmSync(work, { recursive: true, force: true });
  });

  for (const { minor, binary } of versions) {
    describe(`kubectl 1.${minor}`, () => {
      const ns = `e2e-1${minor}`;
      let k: Kubectl;
      let scratch = '';
      const inNs = (...args: string[]) => k.run(['-n', ns, ...args]);
      const networkJson = async () => {
        const result = await inNs('get', 'network', NETWORK, '-o', 'json');
        succeeded(result, `get network ${NETWORK} -o json`);
        // biome-ignore lint/suspicious/noExplicitAny: the test reads an arbitrary JSON object
        return JSON.parse(result.stdout) as any;
      };

      before(() => {
        scratch = join(work, `kubectl-1${minor}`);
        mkdirSync(scratch);
        k = new Kubectl(minor, binary, kubeconfig, join(scratch, 'cache'));
      });

      test(`kubectl create namespace ${ns}`, async () => {
        const result = await k.run(['create', 'namespace', ns]);
        if (result.code !== 0) {
          // Keep the rest of this version's scenario meaningful; this test still fails below.
          const manifest = join(scratch, 'namespace.json');
          writeFileSync(
            manifest,
            JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }),
          );
          await k.run(['apply', '-f', manifest]);
        }
        printedLine(result, `namespace/${ns} created`, 'create namespace');
      });

      test('kubectl apply -f network.yaml creates the network', async () => {
        printedLine(await inNs('apply', '-f', example('network')), `${NETWORK_RESOURCE} created`, 'apply');
      });

      test('kubectl apply -f of a modified network.yaml reports configured', async () => {
        const manifest = parse(readFileSync(example('network'), 'utf8'));
        manifest.spec.mtu = 1500;
        manifest.metadata.labels = { env: 'e2e' };
        const modified = join(scratch, 'network-modified.yaml');
        writeFileSync(modified, stringify(manifest));
        printedLine(
          await inNs('apply', '-f', modified),
          `${NETWORK_RESOURCE} configured`,
          'apply (modified)',
        );
        const network = await networkJson();
        assert.equal(network.spec.mtu, 1500, 'the modified mtu should be stored');
        assert.equal(network.metadata.labels?.env, 'e2e', 'the added label should be stored');
      });

      test('kubectl apply -f network.yaml again reverts the modification (configured)', async () => {
        printedLine(await inNs('apply', '-f', example('network')), `${NETWORK_RESOURCE} configured`, 'apply');
        const network = await networkJson();
        assert.equal(
          network.spec.mtu,
          MTU_DEFAULT,
          'mtu removed from the manifest should fall back to the default',
        );
        assert.equal(
          network.metadata.labels?.env,
          undefined,
          'the label removed from the manifest should be gone',
        );
      });

      test('kubectl apply -f network.yaml unchanged reports unchanged', async () => {
        printedLine(await inNs('apply', '-f', example('network')), `${NETWORK_RESOURCE} unchanged`, 'apply');
      });

      test('kubectl apply --server-side -f network.yaml reports serverside-applied and keeps the spec', async () => {
        const result = await inNs('apply', '--server-side', '-f', example('network'));
        printedLine(result, `${NETWORK_RESOURCE} serverside-applied`, 'apply --server-side');
        const network = await networkJson();
        assert.deepEqual(
          network.spec.ipv4Blocks,
          ['10.0.0.0/16'],
          'ipv4Blocks should survive server-side apply',
        );
        assert.deepEqual(
          network.spec.ipv6Blocks,
          ['fd00:db8::/64'],
          'ipv6Blocks should survive server-side apply',
        );
        assert.equal(
          network.metadata.annotations?.['kubernetes.io/description'],
          'Production environment network',
          'the description annotation should survive server-side apply',
        );
      });

      test('an earlier tier holds 10.0.0.0/24 of production-network, as in the specification', async () => {
        // The specification shows web-tier-subnet-claim bound to 10.0.1.0/24: the operator allocates the lowest
        // free /24, so the first one must already be taken. Wait until the operator has seen it.
        const reserved = join(scratch, 'reserved.yaml');
        writeFileSync(
          reserved,
          [
            'apiVersion: networking.datumapis.com/v1alpha1',
            'kind: Subnet',
            'metadata: {name: earlier-tier}',
            `spec: {networkRef: {name: ${NETWORK}}, cidrBlock: 10.0.0.0/24, ipFamily: IPv4}`,
          ].join('\n'),
        );
        printedLine(
          await inNs('apply', '-f', reserved),
          'subnet.networking.datumapis.com/earlier-tier created',
          'apply',
        );
        const waited = await inNs(
          'wait',
          '--for=jsonpath={.status.ipv4.allocated}=256',
          `network/${NETWORK}`,
          '--timeout=20s',
        );
        succeeded(waited, 'wait for the operator to count the earlier tier');
      });

      for (const name of NAMESPACED_EXAMPLES) {
        test(`kubectl apply -f ${name}.yaml creates every object of it`, async () => {
          const result = await inNs('apply', '-f', example(name));
          for (const resource of manifestResources(example(name))) {
            // The operator creates web-tier-subnet for its claim; the specification's Subnet then either
            // creates it first (the operator adopts it) or configures the operator's: the same object.
            const verbs = name === 'subnet' ? ['created', 'configured'] : ['created'];
            assert.ok(
              verbs.some((verb) => result.stdout.split('\n').includes(`${resource} ${verb}`)),
              `apply -f ${name}.yaml should print ${resource} ${verbs.join(' or ')}\n${shown(result)}`,
            );
          }
        });
      }

      test('kubectl get networks shows the printer columns and every network', async () => {
        const result = await inNs('get', 'networks');
        succeeded(result, 'get networks');
        const table = printedTable(result.stdout);
        assert.deepEqual(
          table.columns,
          header(NetworkKind),
          `the header should be the CRD's columns\n${shown(result)}`,
        );
        const networks = NAMESPACED_EXAMPLES.flatMap((name) => manifestResources(example(name)))
          .filter((resource) => resource.startsWith('network.networking.datumapis.com/'))
          .map((resource) => resource.slice(resource.indexOf('/') + 1));
        for (const name of [NETWORK, ...networks]) rowNamed(result, name, 'get networks');
        const row = rowNamed(result, NETWORK, 'get networks');
        assert.equal(row.IPV4, '["10.0.0.0/16"]', `IPV4 of ${NETWORK}\n${shown(result)}`);
        assert.equal(row.IPV6, '["fd00:db8::/64"]', `IPV6 of ${NETWORK}\n${shown(result)}`);
        assert.match(row.AGE ?? '', /^\d+[smhdy]$/, `AGE should be a short duration\n${shown(result)}`);
      });

      test('kubectl get networks -o wide adds the priority-1 MTU column', async () => {
        const result = await inNs('get', 'networks', '-o', 'wide');
        succeeded(result, 'get networks -o wide');
        const table = printedTable(result.stdout);
        assert.deepEqual(table.columns, header(NetworkKind, true), `the wide header\n${shown(result)}`);
        assert.ok(!header(NetworkKind).includes('MTU'), 'MTU should be a wide-only column');
        assert.equal(
          rowNamed(result, NETWORK, 'get -o wide').MTU,
          String(MTU_DEFAULT),
          `MTU\n${shown(result)}`,
        );
      });

      test('kubectl get networks -o custom-columns=NAME:.metadata.name,CIDR:.spec.ipv4Blocks', async () => {
        const result = await inNs(
          'get',
          'networks',
          '-o',
          'custom-columns=NAME:.metadata.name,CIDR:.spec.ipv4Blocks',
        );
        succeeded(result, 'get networks -o custom-columns');
        assert.deepEqual(printedTable(result.stdout).columns, ['NAME', 'CIDR'], `header\n${shown(result)}`);
        assert.equal(
          rowNamed(result, NETWORK, 'custom-columns').CIDR,
          '[10.0.0.0/16]',
          `CIDR\n${shown(result)}`,
        );
        assert.equal(
          rowNamed(result, 'app-network', 'custom-columns').CIDR,
          '[10.100.0.0/16]',
          shown(result),
        );
        assert.equal(
          rowNamed(result, 'global-network', 'custom-columns').CIDR,
          '[10.0.0.0/8]',
          shown(result),
        );
      });

      test('kubectl get subnets', async () => {
        const result = await inNs('get', 'subnets');
        succeeded(result, 'get subnets');
        assert.deepEqual(printedTable(result.stdout).columns, header(SubnetKind), `header\n${shown(result)}`);
        const row = rowNamed(result, 'web-tier-subnet', 'get subnets');
        assert.equal(row.CIDR, '10.0.1.0/24', `CIDR of web-tier-subnet\n${shown(result)}`);
        assert.equal(row.NETWORK, NETWORK, `NETWORK of web-tier-subnet\n${shown(result)}`);
      });

      test('kubectl get subnets -o custom-columns=NAME:.metadata.name,CIDR:.spec.cidrBlock,NETWORK:.spec.networkRef.name', async () => {
        const result = await inNs(
          'get',
          'subnets',
          '-o',
          'custom-columns=NAME:.metadata.name,CIDR:.spec.cidrBlock,NETWORK:.spec.networkRef.name',
        );
        succeeded(result, 'get subnets -o custom-columns');
        assert.deepEqual(
          printedTable(result.stdout).columns,
          ['NAME', 'CIDR', 'NETWORK'],
          `header\n${shown(result)}`,
        );
        assert.deepEqual(
          rowNamed(result, 'web-tier-subnet', 'custom-columns'),
          { NAME: 'web-tier-subnet', CIDR: '10.0.1.0/24', NETWORK: NETWORK },
          `the web-tier-subnet row\n${shown(result)}`,
        );
      });

      test('kubectl describe subnet web-tier-subnet', async () => {
        const result = await inNs('describe', 'subnet', 'web-tier-subnet');
        succeeded(result, 'describe subnet');
        assert.match(result.stdout, /^Name:\s+web-tier-subnet$/m, `Name line\n${shown(result)}`);
        assert.match(result.stdout, /^Kind:\s+Subnet$/m, `Kind line\n${shown(result)}`);
        assert.match(
          result.stdout,
          /^ {2}Cidr Block:\s+10\.0\.1\.0\/24$/m,
          `Cidr Block line\n${shown(result)}`,
        );
        assert.match(result.stdout, /^\s+Kind:\s+SubnetClaim$/m, `the owner reference\n${shown(result)}`);
      });

      test('kubectl get networks -o yaml', async () => {
        const result = await inNs('get', 'networks', '-o', 'yaml');
        succeeded(result, 'get networks -o yaml');
        const list = parse(result.stdout);
        assert.equal(list.kind, 'List', `kubectl wraps the items in a List\n${shown(result)}`);
        // biome-ignore lint/suspicious/noExplicitAny: arbitrary YAML
        const network = list.items.find((item: any) => item.metadata.name === NETWORK);
        assert.ok(network, `the list should hold ${NETWORK}\n${shown(result)}`);
        assert.equal(network.kind, 'Network', 'item kind');
        assert.equal(network.metadata.namespace, ns, 'item namespace');
        assert.deepEqual(network.spec.ipv4Blocks, ['10.0.0.0/16'], 'item ipv4Blocks');
      });

      test('kubectl get networks -o json', async () => {
        const result = await inNs('get', 'networks', '-o', 'json');
        succeeded(result, 'get networks -o json');
        const list = JSON.parse(result.stdout);
        assert.equal(list.kind, 'List', `kubectl wraps the items in a List\n${shown(result)}`);
        // biome-ignore lint/suspicious/noExplicitAny: arbitrary JSON
        const network = list.items.find((item: any) => item.metadata.name === NETWORK);
        assert.ok(network, `the list should hold ${NETWORK}\n${shown(result)}`);
        assert.equal(network.apiVersion, 'networking.datumapis.com/v1alpha1', 'item apiVersion');
        assert.deepEqual(network.spec.ipv6Blocks, ['fd00:db8::/64'], 'item ipv6Blocks');
        assert.match(network.metadata.uid, /^[0-9a-f-]{36}$/, 'item uid');
      });

      test(`kubectl get network ${NETWORK} -w prints a second row on a concurrent change`, async () => {
        const watch = k.watch(['-n', ns, 'get', 'network', NETWORK, '-w']);
        const rows = (stdout: string) => stdout.split('\n').filter((line) => line.startsWith(`${NETWORK} `));
        try {
          await watch.until((stdout) => rows(stdout).length >= 1, 'the first row');
          assert.deepEqual(
            printedTable(watch.stdout).columns,
            header(NetworkKind),
            `the watch header\n${watch.stdout}`,
          );
          printedLine(
            await inNs('label', 'network', NETWORK, `e2e-watch=${minor}`),
            `${NETWORK_RESOURCE} labeled`,
            'label',
          );
          await watch.until((stdout) => rows(stdout).length >= 2, 'a second row after the label change');
        } finally {
          await watch.stop();
        }
      });

      test(`kubectl edit network ${NETWORK} with a scripted EDITOR changes mtu`, async () => {
        const editor = join(scratch, 'set-mtu-1500.sh');
        writeFileSync(editor, `#!/bin/sh\nsed -i 's/^  mtu: [0-9]*$/  mtu: 1500/' "$1"\n`);
        chmodSync(editor, 0o755);
        const result = await k.run(['-n', ns, 'edit', 'network', NETWORK], { env: { EDITOR: editor } });
        printedLine(result, `${NETWORK_RESOURCE} edited`, 'edit');
        assert.equal((await networkJson()).spec.mtu, 1500, 'the edited mtu should be stored');
      });

      test(`kubectl edit network ${NETWORK} with an invalid mtu is refused naming spec.mtu`, async () => {
        const editor = join(scratch, 'set-mtu-9000.sh');
        const seen = join(scratch, 'editor-saw.yaml');
        writeFileSync(
          editor,
          `#!/bin/sh\ncat "$1" >> '${seen}'\nsed -i 's/^  mtu: [0-9]*$/  mtu: 9000/' "$1"\n`,
        );
        chmodSync(editor, 0o755);
        const result = await k.run(['-n', ns, 'edit', 'network', NETWORK], { env: { EDITOR: editor } });
        assert.notEqual(result.code, 0, `an invalid edit should fail\n${shown(result)}`);
        assert.match(
          result.stderr,
          /is invalid/,
          `kubectl should say the object is invalid\n${shown(result)}`,
        );
        const reopened = readFileSync(seen, 'utf8');
        assert.match(
          reopened,
          /^# \* spec\.mtu: Invalid value: 9000/m,
          `kubectl should reopen the editor with the error naming spec.mtu\n${reopened}`,
        );
        assert.equal((await networkJson()).spec.mtu, 1500, 'the refused edit should not be stored');
      });

      test(`kubectl wait --for=condition=Ready network/${NETWORK} --timeout=20s`, async () => {
        const generation = (await networkJson()).metadata.generation;
        const condition = {
          type: 'Ready',
          status: 'True',
          reason: 'Ready',
          message: 'set by the e2e suite',
          lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
          observedGeneration: generation,
        };
        const patch = JSON.stringify({ status: { conditions: [condition] } });
        printedLine(
          await inNs('patch', 'network', NETWORK, '--subresource=status', '--type=merge', '-p', patch),
          `${NETWORK_RESOURCE} patched`,
          'patch --subresource=status',
        );
        const result = await k.run(
          ['-n', ns, 'wait', '--for=condition=Ready', `network/${NETWORK}`, '--timeout=20s'],
          {
            timeoutMs: 30_000,
          },
        );
        printedLine(result, `${NETWORK_RESOURCE} condition met`, 'wait');
        const listed = await inNs('get', 'networks');
        assert.equal(
          rowNamed(listed, NETWORK, 'get networks').READY,
          'True',
          `READY column\n${shown(listed)}`,
        );
      });

      test(`kubectl describe network ${NETWORK} lists its Events`, async () => {
        const uid = (await networkJson()).metadata.uid;
        const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
        const name = `${NETWORK}.e2e-${minor}`;
        const message = `written by the e2e suite for kubectl 1.${minor}`;
        const event = {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name },
          involvedObject: {
            apiVersion: 'networking.datumapis.com/v1alpha1',
            kind: 'Network',
            name: NETWORK,
            namespace: ns,
            uid,
          },
          reason: 'E2EProbe',
          message,
          type: 'Normal',
          source: { component: 'nso-e2e' },
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
        };
        const file = join(scratch, 'event.json');
        writeFileSync(file, JSON.stringify(event));
        printedLine(await inNs('create', '-f', file), `event/${name} created`, 'create -f event.json');

        const result = await inNs('describe', 'network', NETWORK);
        succeeded(result, 'describe network');
        assert.match(result.stdout, new RegExp(`^Name:\\s+${NETWORK}$`, 'm'), `Name line\n${shown(result)}`);
        assert.match(
          result.stdout,
          new RegExp(`^Namespace:\\s+${ns}$`, 'm'),
          `Namespace line\n${shown(result)}`,
        );
        assert.match(
          result.stdout,
          /^Annotations:\s+kubernetes\.io\/description: Production environment network$/m,
          `the description annotation\n${shown(result)}`,
        );
        assert.match(result.stdout, /^ {2}Mtu:\s+1500$/m, `the edited mtu\n${shown(result)}`);
        assert.match(result.stdout, /^\s+Type:\s+Ready$/m, `the Ready condition\n${shown(result)}`);
        const events = result.stdout.split(/^Events:/m)[1] ?? '';
        const rows = printedTable(events.replace(/^.*\n/, '')).rows;
        assert.ok(
          rows.some(
            (row) =>
              row.Type === 'Normal' &&
              row.Reason === 'E2EProbe' &&
              row.From === 'nso-e2e' &&
              row.Message === message,
          ),
          `the Events: section should list the event\n${shown(result)}`,
        );
      });

      test(`kubectl get events --field-selector involvedObject.name=${NETWORK}`, async () => {
        const result = await inNs('get', 'events', '--field-selector', `involvedObject.name=${NETWORK}`);
        succeeded(result, 'get events');
        const table = printedTable(result.stdout);
        assert.deepEqual(
          table.columns,
          ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'],
          `the event columns\n${shown(result)}`,
        );
        assert.ok(
          table.rows.some(
            (row) =>
              row.REASON === 'E2EProbe' && row.TYPE === 'Normal' && row.MESSAGE?.includes(`1.${minor}`),
          ),
          `the event should be listed\n${shown(result)}`,
        );
        assert.ok(
          table.rows.every((row) => row.OBJECT === `network/${NETWORK}`),
          `only events of ${NETWORK} should be listed\n${shown(result)}`,
        );
      });

      test(`kubectl logs -n datum-system -l ${LABEL_SELECTOR} (and --tail=1)`, async () => {
        const pods = await k.run(['get', 'pods', '-n', 'datum-system', '-l', LABEL_SELECTOR, '-o', 'name']);
        succeeded(pods, 'get pods');
        const podCount = pods.stdout.split('\n').filter((line) => line.startsWith('pod/')).length;
        assert.ok(podCount >= 1, `nso's components should appear as pods\n${shown(pods)}`);

        const jsonLines = (result: KubectlResult) =>
          result.stdout
            .split('\n')
            .filter((line) => line.trim() !== '')
            .map((line) => {
              try {
                return JSON.parse(line) as Record<string, unknown>;
              } catch (error) {
                throw new Error(`a log line is not JSON: ${line}\n${shown(result)}`, { cause: error });
              }
            });
        const all = await k.run(['logs', '-n', 'datum-system', '-l', LABEL_SELECTOR]);
        succeeded(all, 'logs');
        const lines = jsonLines(all);
        assert.ok(
          lines.some((line) => line.component === 'apiserver'),
          `a log line should come from the apiserver\n${shown(all)}`,
        );
        assert.ok(lines.length <= 10 * podCount, `at most 10 lines per pod by default\n${shown(all)}`);

        const tail = await k.run(['logs', '-n', 'datum-system', '-l', LABEL_SELECTOR, '--tail=1']);
        succeeded(tail, 'logs --tail=1');
        const tailed = jsonLines(tail).length;
        assert.ok(
          tailed >= 1 && tailed <= podCount,
          `--tail=1 gives one line per pod (${podCount})\n${shown(tail)}`,
        );
      });

      test('kubectl explain network', async () => {
        const result = await k.run(['explain', 'network']);
        succeeded(result, 'explain network');
        assert.match(result.stdout, /^KIND:\s+Network$/m, `KIND line\n${shown(result)}`);
        assert.match(result.stdout, /^VERSION:\s+v1alpha1$/m, `VERSION line\n${shown(result)}`);
        assert.ok(
          words(result.stdout).includes(words(NetworkKind.description)),
          `the kind's description\n${shown(result)}`,
        );
        assert.match(result.stdout, /^ {2}spec\t<Object>/m, `the spec field\n${shown(result)}`);
      });

      test('kubectl explain network.spec', async () => {
        const result = await k.run(['explain', 'network.spec']);
        succeeded(result, 'explain network.spec');
        for (const [field, schema] of Object.entries(NetworkSpec.properties)) {
          assert.match(
            result.stdout,
            new RegExp(`^ {2}${field}\\t<`, 'm'),
            `the field ${field}\n${shown(result)}`,
          );
          const description = (schema as { description?: string }).description;
          assert.ok(
            description !== undefined && words(result.stdout).includes(words(description)),
            `the description of ${field}\n${shown(result)}`,
          );
        }
      });

      test('kubectl get networkbindings', async () => {
        const result = await inNs('get', 'networkbindings');
        succeeded(result, 'get networkbindings');
        assert.deepEqual(
          printedTable(result.stdout).columns,
          header(NetworkBindingKind),
          `header\n${shown(result)}`,
        );
        for (const name of ['web-app-binding', 'db-primary-binding']) {
          const row = rowNamed(result, name, 'get networkbindings');
          assert.equal(row.NETWORK, NETWORK, `NETWORK of ${name}\n${shown(result)}`);
        }
        assert.equal(
          rowNamed(result, 'web-app-binding', '').WORKLOAD,
          'web-app',
          `WORKLOAD\n${shown(result)}`,
        );
      });

      test('kubectl get networkpolicies', async () => {
        const result = await inNs('get', 'networkpolicies');
        succeeded(result, 'get networkpolicies');
        assert.deepEqual(
          printedTable(result.stdout).columns,
          header(NetworkPolicyKind),
          `header\n${shown(result)}`,
        );
        for (const name of ['web-tier-policy', 'deny-all']) rowNamed(result, name, 'get networkpolicies');
        // The operator in nso up writes each policy's status: both select the one workload (web-app).
        const deadline = Date.now() + 15_000;
        let latest = result;
        while (
          !/^web-tier-policy\s+1\s+\["Ingress","Egress"\]/m.test(latest.stdout) ||
          !/^deny-all\s+1\s/m.test(latest.stdout)
        ) {
          assert.ok(Date.now() < deadline, `the SELECTED column fills in\n${shown(latest)}`);
          await new Promise((resolve) => setTimeout(resolve, 200));
          latest = await inNs('get', 'networkpolicies');
        }
      });

      test('kubectl describe networkpolicy web-tier-policy (and deny-all)', async () => {
        const result = await inNs('describe', 'networkpolicy', 'web-tier-policy');
        succeeded(result, 'describe networkpolicy');
        assert.match(result.stdout, /^Name:\s+web-tier-policy$/m, `Name line\n${shown(result)}`);
        assert.match(result.stdout, /^Kind:\s+NetworkPolicy$/m, `Kind line\n${shown(result)}`);
        for (const line of [
          /^ {2}Ingress:$/m,
          /^ {2}Egress:$/m,
          /^ {2}Pod Selector:$/m,
          /^\s+Tier:\s+web$/m,
        ]) {
          assert.match(result.stdout, line, `the spec should show ${line}\n${shown(result)}`);
        }
        for (const port of ['80', '443', '8080']) {
          assert.match(
            result.stdout,
            new RegExp(`^\\s+Port:\\s+${port}$`, 'm'),
            `port ${port}\n${shown(result)}`,
          );
        }
        const denyAll = await inNs('describe', 'networkpolicy', 'deny-all');
        succeeded(denyAll, 'describe networkpolicy deny-all');
        assert.match(
          denyAll.stdout,
          /^ {2}Policy Types:\n\s+Ingress\n\s+Egress$/m,
          `policy types\n${shown(denyAll)}`,
        );
      });

      test('kubectl apply -f cross-namespace-peering.yaml uses its own namespaces', async () => {
        const file = example('cross-namespace-peering');
        const result = await k.run(['apply', '-f', file]);
        for (const resource of manifestResources(file)) printedLine(result, `${resource} created`, 'apply');
        const listed = await k.run(['get', 'networks', '-A']);
        succeeded(listed, 'get networks -A');
        const rows = printedTable(listed.stdout).rows;
        for (const [namespace, name] of [
          ['team-a', 'shared-services'],
          ['team-b', 'analytics'],
        ]) {
          assert.ok(
            rows.some((row) => row.NAMESPACE === namespace && row.NAME === name),
            `${namespace}/${name} should be listed\n${shown(listed)}`,
          );
        }
        const deleted = await k.run(['delete', 'namespace', 'team-a', 'team-b'], { timeoutMs: 60_000 });
        for (const namespace of ['team-a', 'team-b']) {
          printedLine(deleted, `namespace "${namespace}" deleted`, 'delete namespace');
        }
        const gone = await k.run(['get', 'networks', '-n', 'team-a']);
        succeeded(gone, 'get networks -n team-a');
        assert.match(gone.stderr, /^No resources found in team-a namespace\.$/m, `emptied\n${shown(gone)}`);
      });

      test(`kubectl delete network ${NETWORK}`, async () => {
        const result = await k.run(['-n', ns, 'delete', 'network', NETWORK], { timeoutMs: 60_000 });
        printedLine(result, `network.networking.datumapis.com "${NETWORK}" deleted`, 'delete');
        const gone = await inNs('get', 'network', NETWORK);
        assert.equal(gone.code, 1, `get after delete should fail\n${shown(gone)}`);
        assert.match(
          gone.stderr,
          new RegExp(
            `^Error from server \\(NotFound\\): networks\\.networking\\.datumapis\\.com "${NETWORK}" not found$`,
            'm',
          ),
          `get after delete should be NotFound\n${shown(gone)}`,
        );
      });
    });
  }

  describe('nso up restart', () => {
    test('SIGTERM stops nso cleanly and a restart on the same data dir keeps every object', async (t) => {
      const newest = versions.at(-1);
      if (newest === undefined) return t.skip('no kubectl installed');
      const stopped = await nso?.stop();
      assert.deepEqual(stopped, { code: 0, signal: null }, `nso up should exit 0 on SIGTERM\n${nso?.stderr}`);
      const restarted = await NsoProcess.start(dataDir);
      nso = restarted.nso;
      const k = new Kubectl(newest.minor, newest.binary, restarted.kubeconfig, join(work, 'cache-restart'));
      const result = await k.run(['get', 'networks', '-A']);
      succeeded(result, 'get networks -A after a restart');
      const rows = printedTable(result.stdout).rows;
      for (const { minor } of versions) {
        const namespace = `e2e-1${minor}`;
        assert.ok(
          rows.some((row) => row.NAMESPACE === namespace && row.NAME === 'hub-network'),
          `${namespace}/hub-network should survive the restart\n${shown(result)}`,
        );
        assert.ok(
          !rows.some((row) => row.NAMESPACE === namespace && row.NAME === NETWORK),
          `${namespace}/${NETWORK} was deleted and should stay deleted\n${shown(result)}`,
        );
      }
    });
  });
});
