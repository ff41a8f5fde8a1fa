import type { ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import { isStatusError, type Status } from '../../api/status-error.ts';
import { internal } from '../status-errors.ts';

export type ServerReply = ServerResponse | Http2ServerResponse;

const JSON_TYPE = 'application/json';

function warningHeader(warnings: readonly string[]): Record<string, string[]> {
  if (warnings.length === 0) return {};
  return {
    Warning: [...new Set(warnings)].map((w) => `299 - ${headerText(w)}`),
  };
}

/** A quoted header value: header fields carry only visible ASCII, so anything else is written as a \u escape. */
function headerText(text: string): string {
  return JSON.stringify(text).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function sendJson(
  res: ServerReply,
  code: number,
  body: unknown,
  warnings: readonly string[] = [],
  headers: Record<string, string> = {},
): void {
  sendBytes(res, code, Buffer.from(JSON.stringify(body)), JSON_TYPE, warnings, headers);
}

export function sendBytes(
  res: ServerReply,
  code: number,
  body: Uint8Array,
  contentType: string,
  warnings: readonly string[] = [],
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(code, {
    'Content-Type': contentType,
    'Content-Length': String(body.byteLength),
    ...headers,
    ...warningHeader(warnings),
  });
  res.end(body);
}

/** Every failure leaves as a Status; anything that is not a StatusError is a bug and becomes a 500 that says so. */
export function sendError(res: ServerReply, error: unknown, onInternal: (error: unknown) => void): void {
  const statusError = isStatusError(error)
    ? error
    : internal(error instanceof Error ? error.message : String(error), error);
  if (statusError.code >= 500) onInternal(error);
  const status: Status = statusError.toStatus();
  const headers: Record<string, string> = {};
  // HTTP/2 has no Connection header (sending one is a protocol error); there the stream simply ends.
  if (statusError.code === 413 && !('stream' in res)) headers.Connection = 'close';
  const retry = statusError.details?.retryAfterSeconds;
  if (retry !== undefined) headers['Retry-After'] = String(retry);
  sendJson(res, statusError.code, status, [], headers);
}
