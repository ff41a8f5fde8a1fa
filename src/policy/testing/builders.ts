// Small builders for policy tests: objects shaped as the API serves them, written `namespace/name`.
import type {
  Labels,
  NetworkInput,
  NetworkPolicyInput,
  PolicyInputs,
  WorkloadInput,
  WorkloadPortInput,
} from '../inputs.ts';

function split(key: string): { namespace: string; name: string } {
  const [namespace, name] = key.split('/') as [string, string];
  return { namespace, name };
}

export function workload(
  key: string,
  labels: Labels,
  interfaces: readonly { network: string; address?: string }[],
  ports: readonly WorkloadPortInput[] = [],
): WorkloadInput {
  return {
    metadata: { ...split(key), labels },
    spec: { ports, networkInterfaces: interfaces.map(({ network }) => ({ network: { name: network } })) },
    status: {
      interfaces: interfaces.map(({ network, address }) =>
        address === undefined ? { network } : { network, ipAddress: address },
      ),
    },
  };
}

/** `peers` maps `namespace/name` to the state this network reports for it; each is also declared in spec. */
export function network(
  key: string,
  blocks: readonly string[],
  peers: Readonly<Record<string, string>> = {},
): NetworkInput {
  const { namespace } = split(key);
  const refs = Object.keys(peers).map((peer) => split(peer));
  return {
    metadata: split(key),
    spec: {
      ipv4Blocks: blocks.filter((block) => !block.includes(':')),
      ipv6Blocks: blocks.filter((block) => block.includes(':')),
      peering: refs.map(({ namespace: ns, name }) => ({
        networkRef: ns === namespace ? { name } : { name, namespace: ns },
      })),
    },
    status: {
      peerings: refs.map(({ namespace: ns, name }) => ({
        networkRef: { name, namespace: ns },
        state: peers[`${ns}/${name}`]!,
      })),
    },
  };
}

export function policy(key: string, spec: NetworkPolicyInput['spec']): NetworkPolicyInput {
  return { metadata: split(key), spec };
}

export function inputs(parts: Partial<PolicyInputs>): PolicyInputs {
  return { networks: [], workloads: [], policies: [], ...parts };
}
