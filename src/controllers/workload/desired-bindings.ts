import type { NetworkBinding } from '../../api/network-binding.ts';
import type { Workload } from '../../api/workload.ts';

type BindingSpec = NetworkBinding['spec'];

/** The binding the operator makes for one interface, named `<workload>-<network>`. */
export interface DesiredBinding {
  readonly name: string;
  readonly network: string;
  readonly spec: BindingSpec;
}

/** One binding per interface (a workload attaches to each network once, so the names never collide). */
export function desiredBindings(workload: Workload): DesiredBinding[] {
  const name = workload.metadata.name ?? '';
  return (workload.spec.networkInterfaces ?? []).map((nic) => ({
    name: `${name}-${nic.network.name}`,
    network: nic.network.name,
    spec: {
      workloadRef: { name, kind: 'Workload' },
      networkRef: { name: nic.network.name },
      ...(nic.subnet === undefined ? {} : { subnetRef: { name: nic.subnet.name } }),
      ipAddressAllocation:
        nic.ipAddress === undefined ? { type: 'Dynamic' } : { type: 'Static', specificIP: nic.ipAddress },
    },
  }));
}
