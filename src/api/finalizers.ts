/**
 * Finalizers the operator holds on objects until it has released what they hold. nso's API server adds them
 * when such an object is created, as Kubernetes' StorageObjectInUseProtection admission adds
 * `kubernetes.io/pvc-protection` to every new PersistentVolumeClaim; that saves the operator a write per
 * object. On a cluster without that admission the operator adds them itself.
 */

/** Held by every SubnetClaim that may have a block, so its block is freed before the claim goes. */
export const SUBNET_CLAIM_FINALIZER_NAME = 'networking.datumapis.com/subnet-allocation';

/** Held by every NetworkBinding that may have an address, so the address is freed before the binding goes. */
export const NETWORK_BINDING_FINALIZER_NAME = 'networking.datumapis.com/address-allocation';
