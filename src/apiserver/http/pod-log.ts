import { StatusError } from '../../api/status-error.ts';
import type { LogBuffer, LogLine } from '../../log/log-buffer.ts';
import type { RegistryStore } from '../registry/registry-store.ts';
import { badRequest, methodNotAllowed } from '../status-errors.ts';
import type { ApiPath } from './api-path.ts';
import type { ServerRequest } from './request-body.ts';
import { type ServerReply, sendBytes } from './responses.ts';

export interface PodLogContext {
  /** The core/v1 pods store. */
  readonly pods: RegistryStore;
  /** The buffer of a container this process runs; undefined when another replica runs it. */
  readonly logsFor: (namespace: string, pod: string, container: string) => LogBuffer | undefined;
  readonly now: () => number;
}

export interface PodLogOptions {
  readonly container: string | undefined;
  readonly follow: boolean;
  readonly previous: boolean;
  readonly timestamps: boolean;
  readonly tailLines: number | undefined;
  readonly limitBytes: number | undefined;
  readonly sinceSeconds: number | undefined;
  /** sinceTime in ms since the epoch. */
  readonly sinceTime: number | undefined;
}

/** A follow whose client reads slower than the log grows keeps at most this much unsent, dropping the oldest. */
const MAX_PENDING_BYTES = 4 * 1024 * 1024;

/** `GET /api/v1/namespaces/NS/pods/NAME/log`, the one subresource the generic handler does not serve. */
export function podLogTarget(parsed: ApiPath): { namespace: string; name: string } | undefined {
  if (parsed.kind !== 'resource') return undefined;
  const { group, version, plural, namespace, name, subresource } = parsed.path;
  if (group !== '' || version !== 'v1' || plural !== 'pods' || subresource !== 'log') return undefined;
  if (namespace === undefined || name === undefined) return undefined;
  return { namespace, name };
}

/**
 * A container's log as kubelet serves it through kube-apiserver: text/plain, one line per entry, filtered by
 * tailLines, sinceSeconds/sinceTime and cut at limitBytes; with follow=true the response stays open and
 * carries new lines until the log ends or the client leaves. Refusals are thrown as StatusErrors.
 */
export async function servePodLog(
  context: PodLogContext,
  target: { readonly namespace: string; readonly name: string },
  req: ServerRequest,
  res: ServerReply,
  query: URLSearchParams,
): Promise<void> {
  const method = req.method ?? 'GET';
  if (method !== 'GET') throw methodNotAllowed(method);
  const options = podLogOptions(query);
  const pod = await context.pods.get(target.namespace, target.name);
  const containers = ((pod.spec as { containers?: { name: string }[] } | undefined)?.containers ?? []).map(
    (c) => c.name,
  );
  const container = chooseContainer(target.name, containers, options.container);
  if (options.previous) {
    throw badRequest(`previous terminated container "${container}" in pod "${target.name}" not found`);
  }
  const buffer = context.logsFor(target.namespace, target.name, container);
  if (buffer === undefined) {
    const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    throw new StatusError(
      404,
      'NotFound',
      `the logs of pod "${target.name}" are served by the API server replica running it${node === undefined ? '' : ` on node ${node}`}; ask that replica`,
      { name: target.name, group: '', kind: 'pods' },
    );
  }
  const since =
    options.sinceSeconds !== undefined ? context.now() - options.sinceSeconds * 1000 : options.sinceTime;
  const render = (line: LogLine): string =>
    options.timestamps ? `${timestampOf(line.time)} ${line.text}\n` : `${line.text}\n`;
  const chosen = selectLines(buffer.lines(), options.tailLines, since);
  const limit = new ByteLimit(options.limitBytes);
  const head = limit.take(Buffer.from(chosen.map(render).join('')));
  if (!options.follow || buffer.closed || limit.reached) {
    sendBytes(res, 200, head, 'text/plain');
    return;
  }
  await follow(
    res,
    buffer,
    head,
    (line) => {
      if (since !== undefined && line.time < since) return undefined;
      return limit.take(Buffer.from(render(line)));
    },
    () => limit.reached,
  );
}

export function podLogOptions(query: URLSearchParams): PodLogOptions {
  const sinceSeconds = integer(query, 'sinceSeconds', 1);
  const sinceTime = time(query, 'sinceTime');
  if (sinceSeconds !== undefined && sinceTime !== undefined) {
    const message = 'at most one of `sinceTime` or `sinceSeconds` may be specified';
    throw badRequest(`sinceTime: Forbidden: ${message}`, [
      { reason: 'FieldValueForbidden', message: `Forbidden: ${message}`, field: 'sinceTime' },
    ]);
  }
  const container = query.get('container');
  return {
    container: container === null || container === '' ? undefined : container,
    follow: bool(query, 'follow'),
    previous: bool(query, 'previous'),
    timestamps: bool(query, 'timestamps'),
    tailLines: integer(query, 'tailLines', 0),
    limitBytes: integer(query, 'limitBytes', 1),
    sinceSeconds,
    sinceTime,
  };
}

const TRUE = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** As kube words a field error: `tailLines: Invalid value: -1: must be …` (strings quoted, numbers not). */
function invalidParameter(name: string, value: string | number, detail: string): StatusError {
  const message = `Invalid value: ${JSON.stringify(value)}: ${detail}`;
  return badRequest(`${name}: ${message}`, [{ reason: 'FieldValueInvalid', message, field: name }]);
}

/** A boolean as Go's strconv.ParseBool reads it; an empty value is false. */
function bool(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  if (value === null || value === '' || FALSE.has(value)) return false;
  if (TRUE.has(value)) return true;
  throw invalidParameter(name, value, 'must be a boolean (true or false)');
}

function integer(query: URLSearchParams, name: string, min: number): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  const n = Number(value);
  if (!/^[+-]?\d+$/.test(value) || !Number.isSafeInteger(n)) {
    throw invalidParameter(name, value, 'must be an integer');
  }
  if (n < min) {
    throw invalidParameter(
      name,
      n,
      min === 0 ? 'must be greater than or equal to 0' : `must be greater than ${min - 1}`,
    );
  }
  return n;
}

function time(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  const ms = RFC3339.test(value) ? Date.parse(value.toUpperCase()) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw invalidParameter(name, value, 'must be an RFC3339 time, e.g. 2006-01-02T15:04:05Z');
  }
  return ms;
}

/** RFC3339 with nanoseconds, as kubelet prefixes lines: `2026-11-24T10:00:00.123000000Z`. */
export function timestampOf(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000000Z');
}

function chooseContainer(pod: string, containers: readonly string[], asked: string | undefined): string {
  if (asked !== undefined) {
    if (!containers.includes(asked)) throw badRequest(`container ${asked} is not valid for pod ${pod}`);
    return asked;
  }
  if (containers.length === 1) return containers[0]!;
  if (containers.length === 0) throw badRequest(`a container name must be specified for pod ${pod}`);
  throw badRequest(
    `a container name must be specified for pod ${pod}, choose one of: [${containers.join(' ')}]`,
  );
}

/** As kubelet reads: the last tailLines lines, then those not older than `since`. */
function selectLines(
  lines: readonly LogLine[],
  tailLines: number | undefined,
  since: number | undefined,
): readonly LogLine[] {
  const tail = tailLines === undefined ? lines : tailLines === 0 ? [] : lines.slice(-tailLines);
  return since === undefined ? tail : tail.filter((line) => line.time >= since);
}

class ByteLimit {
  #left: number;

  constructor(limit: number | undefined) {
    this.#left = limit ?? Number.POSITIVE_INFINITY;
  }

  get reached(): boolean {
    return this.#left <= 0;
  }

  take(bytes: Buffer): Buffer {
    const taken = bytes.byteLength <= this.#left ? bytes : bytes.subarray(0, this.#left);
    this.#left -= taken.byteLength;
    return taken;
  }
}

/** Streams `head` and then each followed line that `render` keeps, flushing as it goes, until `done` or the end. */
function follow(
  res: ServerReply,
  buffer: LogBuffer,
  head: Buffer,
  render: (line: LogLine) => Buffer | undefined,
  done: () => boolean,
): Promise<void> {
  const out = res as unknown as NodeJS.WritableStream;
  return new Promise<void>((resolve) => {
    const pending: Buffer[] = [];
    let pendingBytes = 0;
    let blocked = false;
    // At the log's end (or the byte limit) whatever is still queued goes out before the response ends.
    let ending = false;
    let finished = false;
    let unsubscribe = (): void => {};
    const finish = (): void => {
      if (finished) return;
      finished = true;
      unsubscribe();
      res.off('drain', drain);
      if (!res.writableEnded && !res.destroyed) res.end();
      resolve();
    };
    const end = (): void => {
      ending = true;
      if (pending.length === 0) finish();
    };
    const write = (chunk: Buffer): void => {
      if (chunk.byteLength === 0) return;
      if (!blocked) {
        blocked = !out.write(chunk);
        return;
      }
      pending.push(chunk);
      pendingBytes += chunk.byteLength;
      while (pendingBytes > MAX_PENDING_BYTES && pending.length > 1) {
        pendingBytes -= pending.shift()!.byteLength;
      }
    };
    const drain = (): void => {
      blocked = false;
      while (pending.length > 0 && !blocked) {
        const chunk = pending.shift()!;
        pendingBytes -= chunk.byteLength;
        blocked = !out.write(chunk);
      }
      if (ending && pending.length === 0) finish();
    };
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
    if ('flushHeaders' in res) res.flushHeaders();
    res.on('drain', drain);
    res.on('close', finish);
    write(head);
    unsubscribe = buffer.subscribe({
      line: (line) => {
        if (ending) return;
        const chunk = render(line);
        if (chunk !== undefined) write(chunk);
        if (done()) end();
      },
      end,
    });
  });
}
