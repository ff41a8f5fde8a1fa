import { SUBNET_CLAIM_FINALIZER_NAME } from '../../api/finalizers.ts';
import { Finalizer } from '../runtime/finalizer.ts';

/** Held by every claim that may have a block, so its block is freed before the claim goes. */
export const SUBNET_CLAIM_FINALIZER = new Finalizer(SUBNET_CLAIM_FINALIZER_NAME);
