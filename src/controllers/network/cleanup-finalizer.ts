import { Finalizer } from '../runtime/finalizer.ts';

/**
 * Held by every Network until what references it is gone: its contexts (provider resources torn down), claims
 * and subnets (blocks freed) and bindings (addresses freed).
 */
export const NETWORK_CLEANUP_FINALIZER = new Finalizer('networking.datumapis.com/network-cleanup');
