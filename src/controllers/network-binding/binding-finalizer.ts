import { NETWORK_BINDING_FINALIZER_NAME } from '../../api/finalizers.ts';
import { Finalizer } from '../runtime/finalizer.ts';

/** Held by every binding that may have an address, so the address is freed before the binding goes. */
export const NETWORK_BINDING_FINALIZER = new Finalizer(NETWORK_BINDING_FINALIZER_NAME);
