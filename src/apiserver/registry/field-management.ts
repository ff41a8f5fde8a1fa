import { StatusError } from '../../api/status-error.ts';
import { type ApplyResult, applyConfiguration, type FieldNames } from '../patch/apply.ts';
import { conflictCauses, conflictMessage } from '../patch/conflict.ts';
import { updateManagedFields } from '../patch/update-managed-fields.ts';
import type { JsonSchemaProps } from '../schema/json-schema.ts';
import { badRequest, internal } from '../status-errors.ts';
import type { ApiObject } from './object-codec.ts';
import type { WriteOptions } from './request-options.ts';
import { apiVersionOf, type ResourceInfo } from './resource-info.ts';

/** RFC 3339 with second precision, as Kubernetes writes timestamps. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** metadata.managedFields for one resource: Update entries for ordinary writes, server-side apply for apply patches. */
export class FieldManagement {
  readonly #schema: JsonSchemaProps;
  readonly #apiVersion: string;
  readonly #hasStatus: boolean;

  constructor(
    resource: ResourceInfo,
    private readonly now: () => number = Date.now,
  ) {
    this.#schema = resource.schema;
    this.#apiVersion = apiVersionOf(resource);
    this.#hasStatus = resource.subresources.includes('status');
  }

  /** Records a create, update or non-apply patch as the writer's Update entry. */
  afterWrite(
    old: ApiObject | undefined,
    next: ApiObject,
    options: WriteOptions,
    subresource: string | undefined,
  ): ApiObject {
    const status = subresource === 'status';
    return updateManagedFields({
      old,
      next,
      manager: options.fieldManager,
      schema: this.#schema,
      apiVersion: this.#apiVersion,
      now: rfc3339(this.now()),
      ignoredFields: this.#ignored(status),
      ...(status ? { subresource: 'status' as const } : {}),
    }) as ApiObject;
  }

  /** Server-side apply of `config` onto `live` (undefined: create); a 409 Conflict names each contested field. */
  apply(
    live: ApiObject | undefined,
    config: ApiObject,
    manager: string,
    force: boolean,
    subresource: string | undefined,
  ): ApiObject {
    const status = subresource === 'status';
    const result: ApplyResult = applyConfiguration({
      live,
      config,
      manager,
      force,
      schema: this.#schema,
      apiVersion: this.#apiVersion,
      now: rfc3339(this.now()),
      ignoredFields: this.#ignored(status),
      ...(status ? { subresource: 'status' as const } : {}),
    });
    if (result.ok) return result.object as ApiObject;
    switch (result.reason) {
      case 'Conflict':
        throw new StatusError(409, 'Conflict', conflictMessage(result.conflicts), {
          causes: conflictCauses(result.conflicts),
        });
      case 'BadRequest':
        throw badRequest(result.message);
      case 'Invalid':
        throw new StatusError(422, 'Invalid', result.message);
      case 'InternalError':
        throw internal(result.message);
    }
  }

  #ignored(status: boolean): readonly FieldNames[] {
    if (!this.#hasStatus) return [];
    return status ? [['spec']] : [['status']];
  }
}
