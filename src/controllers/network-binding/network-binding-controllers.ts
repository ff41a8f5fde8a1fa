import type { Controller } from '../runtime/controller.ts';
import { type NetworkBindingControllerOptions, networkBindingController } from './binding-controller.ts';

export type NetworkBindingControllersOptions = NetworkBindingControllerOptions;

/**
 * NetworkBinding → address, over caches of Networks, Subnets, NetworkBindings, NetworkAddresses and optionally
 * Workloads. Safe to run in several operators at once: the API server arbitrates every address.
 */
export function networkBindingControllers(options: NetworkBindingControllersOptions): Controller[] {
  return [networkBindingController(options)];
}
