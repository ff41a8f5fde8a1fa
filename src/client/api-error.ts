import { STATUS_REASONS, type Status, StatusError, type StatusReason } from '../api/status-error.ts';

/**
 * A refusal from a Kubernetes API server: the HTTP code, the Status reason (derived from the code when the
 * server sent none or one this client does not know) and the Status as the server sent it.
 */
export class ApiError extends StatusError {
  readonly status: Status;

  constructor(status: Status, cause?: unknown) {
    super(status.code, reasonOf(status), status.message ?? reasonOf(status), status.details, cause);
    this.status = status;
  }

  /** The error for a response: its body when that is a Status, else one built from the HTTP code. */
  static fromResponse(code: number, body: string, request: string): ApiError {
    const parsed = parseStatus(body);
    if (parsed !== undefined) return new ApiError({ ...parsed, code: parsed.code || code });
    const text = body.trim().slice(0, 512);
    return new ApiError({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      code,
      reason: reasonForCode(code),
      message: `${request}: HTTP ${code}${text === '' ? '' : `: ${text}`}`,
    });
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof StatusError && error.reason === 'NotFound';
}

/** A resourceVersion precondition failed: someone wrote first; re-read and retry. */
export function isConflict(error: unknown): boolean {
  return error instanceof StatusError && error.reason === 'Conflict';
}

export function isAlreadyExists(error: unknown): boolean {
  return error instanceof StatusError && error.reason === 'AlreadyExists';
}

/** The requested resourceVersion is older than the server keeps (410 Gone or Expired): re-list. */
export function isGone(error: unknown): boolean {
  return error instanceof StatusError && error.code === 410;
}

function parseStatus(body: string): Status | undefined {
  try {
    const parsed = JSON.parse(body) as Partial<Status> | null;
    if (parsed === null || typeof parsed !== 'object' || parsed.kind !== 'Status') return undefined;
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: parsed.status ?? 'Failure',
      code: typeof parsed.code === 'number' ? parsed.code : 0,
      ...(parsed.reason === undefined ? {} : { reason: parsed.reason }),
      ...(parsed.message === undefined ? {} : { message: parsed.message }),
      ...(parsed.details === undefined ? {} : { details: parsed.details }),
    };
  } catch {
    // Not JSON (a proxy's HTML page, say): the caller describes the response by its code instead.
    return undefined;
  }
}

function reasonOf(status: Status): StatusReason {
  const given = STATUS_REASONS.find((reason) => reason === status.reason);
  return given ?? reasonForCode(status.code);
}

function reasonForCode(code: number): StatusReason {
  switch (code) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 405:
      return 'MethodNotAllowed';
    case 406:
      return 'NotAcceptable';
    case 409:
      return 'Conflict';
    case 410:
      return 'Gone';
    case 413:
      return 'RequestEntityTooLarge';
    case 415:
      return 'UnsupportedMediaType';
    case 422:
      return 'Invalid';
    case 429:
      return 'TooManyRequests';
    case 503:
      return 'ServiceUnavailable';
    case 504:
      return 'Timeout';
    default:
      return 'InternalError';
  }
}
