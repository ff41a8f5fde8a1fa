import { Finalizer } from '../runtime/finalizer.ts';

/** Held by every claim that may have a block, so its block is freed before the claim goes. */
export const SUBNET_CLAIM_FINALIZER = new Finalizer('networking.datumapis.com/subnet-allocation');
