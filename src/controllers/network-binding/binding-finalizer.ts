import { Finalizer } from '../runtime/finalizer.ts';

/** Held by every binding that may have an address, so the address is freed before the binding goes. */
export const NETWORK_BINDING_FINALIZER = new Finalizer('networking.datumapis.com/address-allocation');
