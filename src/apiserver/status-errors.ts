import { type StatusCause, StatusError } from '../api/status-error.ts';
import { isStorageError } from '../storage/storage.ts';
import { qualifiedResource, type ResourceInfo } from './registry/resource-info.ts';
import { type FieldError, formatFieldError } from './schema/field-error.ts';

/** A value from a request body as a message shows it: strings as they are, anything else as JSON. */
export function shownValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

type Named = Pick<ResourceInfo, 'group' | 'plural'>;

export function notFound(resource: Named, name: string): StatusError {
  return new StatusError(404, 'NotFound', `${qualifiedResource(resource)} "${name}" not found`, {
    name,
    group: resource.group,
    kind: resource.plural,
  });
}

export function alreadyExists(resource: Named, name: string): StatusError {
  return new StatusError(409, 'AlreadyExists', `${qualifiedResource(resource)} "${name}" already exists`, {
    name,
    group: resource.group,
    kind: resource.plural,
  });
}

export function conflict(resource: Named, name: string, detail: string): StatusError {
  return new StatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(resource)} "${name}": ${detail}`,
    { name, group: resource.group, kind: resource.plural },
  );
}

export const MODIFIED =
  'the object has been modified; please apply your changes to the latest version and try again';

/** 422 with one cause per field error; kubectl builds `The Network "x" is invalid: …` from the causes. */
export function invalid(
  resource: Pick<ResourceInfo, 'group' | 'kind'>,
  name: string,
  errors: readonly FieldError[],
): StatusError {
  const group = resource.group === '' ? resource.kind : `${resource.kind}.${resource.group}`;
  const summary =
    errors.length === 1 ? formatFieldError(errors[0]!) : `[${errors.map(formatFieldError).join(', ')}]`;
  const causes: StatusCause[] = errors.map((e) => ({ reason: e.reason, message: e.message, field: e.field }));
  return new StatusError(422, 'Invalid', `${group} "${name}" is invalid: ${summary}`, {
    name,
    group: resource.group,
    kind: resource.kind,
    causes,
  });
}

export function badRequest(message: string, causes?: readonly StatusCause[]): StatusError {
  return new StatusError(400, 'BadRequest', message, causes === undefined ? undefined : { causes });
}

export function forbidden(resource: Named, name: string, detail: string): StatusError {
  const target = name === '' ? qualifiedResource(resource) : `${qualifiedResource(resource)} "${name}"`;
  return new StatusError(403, 'Forbidden', `${target} is forbidden: ${detail}`, {
    name,
    group: resource.group,
    kind: resource.plural,
  });
}

export function methodNotAllowed(method: string): StatusError {
  return new StatusError(
    405,
    'MethodNotAllowed',
    `the server does not allow this method on the requested resource`,
    {
      causes: [{ message: `method ${method} is not supported here` }],
    },
  );
}

export function expired(message: string): StatusError {
  return new StatusError(410, 'Expired', message);
}

export function internal(message: string, cause?: unknown): StatusError {
  return new StatusError(500, 'InternalError', `Internal error occurred: ${message}`, undefined, cause);
}

/** The one place storage errors become API Status (STYLE: translated in exactly one place). */
export function fromStorageError(error: unknown, resource: Named, name: string): StatusError {
  if (!isStorageError(error)) return error instanceof StatusError ? error : internal(String(error), error);
  switch (error.code) {
    case 'KeyNotFound':
      return notFound(resource, name);
    case 'KeyExists':
      return alreadyExists(resource, name);
    case 'Conflict':
      return conflict(resource, name, MODIFIED);
    case 'Compacted':
      return expired(`too old resource version: ${error.message}`);
    case 'FutureRevision':
      return new StatusError(504, 'Timeout', `Too large resource version: ${error.message}`, {
        causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
        retryAfterSeconds: 1,
      });
    case 'InvalidContinue':
      return badRequest(`The provided continue parameter is too old or malformed: ${error.message}`);
    case 'Unreachable':
      return new StatusError(503, 'ServiceUnavailable', `storage is unreachable: ${error.message}`, {
        retryAfterSeconds: 1,
      });
  }
}
