import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import { parseDocument } from 'yaml';
import { StatusError } from '../../api/status-error.ts';
import { MAX_JSON_DEPTH } from '../schema/json-value.ts';
import { badRequest } from '../status-errors.ts';
import { parseStrictJson } from './strict-json.ts';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export type ServerRequest = IncomingMessage | Http2ServerRequest;

function tooLarge(): StatusError {
  return new StatusError(
    413,
    'RequestEntityTooLarge',
    `Request entity too large: limit is ${MAX_BODY_BYTES}`,
  );
}

/** The body, refused with 413 before buffering when Content-Length says it is too large, or as soon as it grows so. */
export async function readBody(req: ServerRequest): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

export interface ParsedBody {
  readonly value: unknown;
  readonly duplicates: readonly string[];
}

/** JSON (strict: duplicates reported, `__proto__` and deep nesting refused), or YAML for apply patches and yaml bodies. */
export function parseBody(body: Buffer, yaml: boolean): ParsedBody {
  const text = body.toString('utf8');
  if (text.trim() === '') throw badRequest('the request body is empty');
  if (!yaml || /^\s*[{[]/.test(text)) {
    const parsed = parseStrictJson(text);
    if (!parsed.ok) throw badRequest(`the request body is not valid JSON: ${parsed.message}`);
    return { value: parsed.value, duplicates: parsed.duplicates };
  }
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) {
    throw badRequest(`the request body is not valid YAML: ${document.errors[0]?.message ?? 'parse error'}`);
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw badRequest(
      `the request body is not acceptable YAML: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  checkTree(value, 0);
  return { value, duplicates: [] };
}

function checkTree(value: unknown, depth: number): void {
  if (depth > MAX_JSON_DEPTH) throw badRequest(`the request body nests deeper than ${MAX_JSON_DEPTH} levels`);
  if (Array.isArray(value)) {
    for (const item of value) checkTree(item, depth + 1);
  } else if (typeof value === 'object' && value !== null) {
    if (Object.hasOwn(value, '__proto__')) throw badRequest('the key "__proto__" is not allowed');
    for (const item of Object.values(value)) checkTree(item, depth + 1);
  }
}
