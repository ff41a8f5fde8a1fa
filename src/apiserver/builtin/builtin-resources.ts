import type { ResourceInfo } from '../registry/resource-info.ts';
import { CustomResourceDefinitionResource } from './custom-resource-definition.ts';
import { EventResource } from './event.ts';
import { LeaseResource } from './lease.ts';
import { NamespaceResource } from './namespace.ts';
import { PodResource } from './pod.ts';

/** The kinds nso serves without a CRD, beside those CRDs (its own kinds included) declare. */
export const BUILTIN_RESOURCES: readonly ResourceInfo[] = [
  NamespaceResource,
  EventResource,
  LeaseResource,
  PodResource,
  CustomResourceDefinitionResource,
];
