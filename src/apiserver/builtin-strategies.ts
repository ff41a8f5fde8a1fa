import { NETWORK_BINDING_FINALIZER_NAME, SUBNET_CLAIM_FINALIZER_NAME } from '../api/finalizers.ts';
import { NETWORKING_GROUP } from '../api/kind.ts';
import {
  type CustomResourceDefinition,
  validateCustomResourceDefinition,
  withCustomResourceDefinitionDefaults,
} from './builtin/custom-resource-definition.ts';
import { type Event, eventFieldValue, validateEvent } from './builtin/event.ts';
import { type Lease, validateLease } from './builtin/lease.ts';
import { type Namespace, validateNamespace } from './builtin/namespace.ts';
import type { ApiObject } from './registry/object-codec.ts';
import type { ResourceInfo } from './registry/resource-info.ts';
import { NO_STRATEGY, type Strategy } from './registry/strategy.ts';
import { CLEANUP_FINALIZER } from './system-controllers/crd-controller.ts';
import { namespaceStrategy } from './system-controllers/namespace-lifecycle.ts';

/**
 * The kind-specific rules of the built-in kinds, and the finalizers nso's own kinds get at create (see
 * api/finalizers.ts); other custom resources need nothing beyond their schema.
 */
export function builtinStrategy(resource: ResourceInfo): Strategy {
  switch (`${resource.group}/${resource.plural}`) {
    case '/namespaces':
      return {
        ...namespaceStrategy,
        validate: (object) => validateNamespace(object as unknown as Namespace),
      };
    case '/events':
      return {
        validate: (object) => validateEvent(object as unknown as Event),
        fieldValue: (object, label) => eventFieldValue(object as unknown as Event, label),
      };
    case 'coordination.k8s.io/leases':
      return { allowCreateOnUpdate: true, validate: (object) => validateLease(object as unknown as Lease) };
    case 'apiextensions.k8s.io/customresourcedefinitions':
      return {
        defaultFinalizers: [CLEANUP_FINALIZER],
        prepareForCreate: crdDefaults,
        prepareForUpdate: crdDefaults,
        validate: (object, old) =>
          validateCustomResourceDefinition(
            object as unknown as CustomResourceDefinition,
            old as unknown as CustomResourceDefinition | undefined,
          ),
      };
    case `${NETWORKING_GROUP}/subnetclaims`:
      return { defaultFinalizers: [SUBNET_CLAIM_FINALIZER_NAME] };
    case `${NETWORKING_GROUP}/networkbindings`:
      return { defaultFinalizers: [NETWORK_BINDING_FINALIZER_NAME] };
    default:
      return NO_STRATEGY;
  }
}

function crdDefaults(object: ApiObject): void {
  object.spec = withCustomResourceDefinitionDefaults(object as unknown as CustomResourceDefinition).spec;
}
