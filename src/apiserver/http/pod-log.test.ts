// Proves GET …/pods/NAME/log answers as kube-apiserver does for what kubectl logs sends, over HTTP/1.1 and HTTP/2.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect, createServer as createHttp2Server, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { LogBuffer } from '../../log/log-buffer.ts';
import { MemoryStorage } from '../../storage/memory/memory-storage.ts';
import { PodResource } from '../builtin/pod.ts';
import { builtinStrategy } from '../builtin-strategies.ts';
import { systemWrite } from '../registry/request-options.ts';
import { ResourceRegistry } from '../registry/resource-registry.ts';
import { parseApiPath } from './api-path.ts';
import { podLogTarget, servePodLog, timestampOf } from './pod-log.ts';
import type { ServerRequest } from './request-body.ts';
import { type ServerReply, sendError } from './responses.ts';

const T0 = Date.UTC(2026, 10, 24, 10, 0, 0, 123);
const clock = { now: T0 + 60_000 };
const registry = new ResourceRegistry({
  storage: new MemoryStorage(),
  now: () => clock.now,
  admitNamespace: async () => {},
  findOwnerUid: async () => undefined,
});
const pods = registry.register(PodResource, builtinStrategy(PodResource));
const buffers = new Map<string, LogBuffer>();

function handler(req: ServerRequest, res: ServerReply): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const target = podLogTarget(parseApiPath(url.pathname));
  const served =
    target === undefined
      ? Promise.reject(new Error(`not a log path: ${url.pathname}`))
      : servePodLog(
          {
            pods,
            logsFor: (namespace, pod, container) => buffers.get(`${namespace}/${pod}/${container}`),
            now: () => clock.now,
          },
          target,
          req,
          res,
          url.searchParams,
        );
  served.catch((error: unknown) =>
    sendError(res, error, (internal) => assert.fail(`internal error: ${String(internal)}`)),
  );
}

let http1: Server;
let http2: Http2Server;
let base: string;
let base2: string;

async function listen(server: Server | Http2Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function pod(name: string, containers: string[], nodeName?: string): Promise<void> {
  await pods.create(
    'datum-system',
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: {
        containers: containers.map((c) => ({ name: c })),
        ...(nodeName === undefined ? {} : { nodeName }),
      },
    },
    systemWrite('test'),
  );
}

function fill(buffer: LogBuffer, count: number): void {
  for (let i = 0; i < count; i++) buffer.append({ time: T0 + i * 10_000, text: `line ${i}` });
}

const LOG = '/api/v1/namespaces/datum-system/pods';

async function get(path: string, method = 'GET') {
  const response = await fetch(`${base}${path}`, { method });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), text };
}

async function status(path: string) {
  const reply = await get(path);
  return { ...reply, body: JSON.parse(reply.text) };
}

/** Reads a streamed body until `until` holds for the text so far (or the stream ends). */
async function readUntil(
  body: ReadableStream<Uint8Array>,
  until: (text: string) => boolean,
): Promise<{ text: string; ended: boolean }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    if (until(text)) {
      reader.releaseLock();
      return { text, ended: false };
    }
    const next = await reader.read();
    if (next.done) return { text, ended: true };
    text += decoder.decode(next.value, { stream: true });
  }
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('servePodLog', () => {
  let logs: LogBuffer;

  before(async () => {
    http1 = createServer(handler);
    http2 = createHttp2Server(handler);
    base = await listen(http1);
    base2 = await listen(http2);
    await pod('one', ['apiserver']);
    await pod('two', ['a', 'b']);
    await pod('elsewhere', ['apiserver'], 'node-b');
  });

  after(async () => {
    http1.closeAllConnections();
    await new Promise<void>((resolve) => http1.close(() => resolve()));
    await new Promise<void>((resolve) => http2.close(() => resolve()));
  });

  beforeEach(() => {
    logs = new LogBuffer();
    buffers.clear();
    buffers.set('datum-system/one/apiserver', logs);
    buffers.set('datum-system/two/b', new LogBuffer());
    clock.now = T0 + 60_000;
  });

  test('podLogTarget picks only core v1 pods/NAME/log in a namespace', () => {
    assert.deepEqual(
      podLogTarget(parseApiPath(`${LOG}/one/log`)),
      { namespace: 'datum-system', name: 'one' },
      'the log path',
    );
    assert.equal(podLogTarget(parseApiPath(`${LOG}/one`)), undefined, 'the pod itself');
    assert.equal(podLogTarget(parseApiPath('/api/v1/pods/one/log')), undefined, 'no namespace');
    assert.equal(podLogTarget(parseApiPath(`${LOG}/one/status`)), undefined, 'another subresource');
    assert.equal(
      podLogTarget(parseApiPath('/apis/x.io/v1/namespaces/n/pods/one/log')),
      undefined,
      'another group',
    );
  });

  test('serves every line as text/plain, each ending in a newline, with the only container implied', async () => {
    fill(logs, 3);
    const reply = await get(`${LOG}/one/log`);
    assert.equal(reply.status, 200, 'ok');
    assert.equal(reply.type, 'text/plain', 'content type');
    assert.equal(reply.text, 'line 0\nline 1\nline 2\n', 'body');
    assert.equal((await get(`${LOG}/one/log?container=apiserver`)).text, reply.text, 'named container');
  });

  test('an empty log is an empty 200', async () => {
    const reply = await get(`${LOG}/one/log`);
    assert.deepEqual([reply.status, reply.text], [200, ''], 'empty');
  });

  test('tailLines keeps the last lines; 0 keeps none', async () => {
    fill(logs, 5);
    assert.equal((await get(`${LOG}/one/log?tailLines=2`)).text, 'line 3\nline 4\n', 'last two');
    assert.equal(
      (await get(`${LOG}/one/log?tailLines=10`)).text.split('\n').length,
      6,
      'more than there are',
    );
    assert.equal((await get(`${LOG}/one/log?tailLines=0`)).text, '', 'none');
  });

  test('timestamps prefixes each line with its RFC3339 time in nanoseconds', async () => {
    fill(logs, 2);
    assert.equal(
      (await get(`${LOG}/one/log?timestamps=true`)).text,
      '2026-11-24T10:00:00.123000000Z line 0\n2026-11-24T10:00:10.123000000Z line 1\n',
      'kubelet format',
    );
    assert.equal(timestampOf(Date.UTC(2026, 0, 2, 3, 4, 5, 6)), '2026-01-02T03:04:05.006000000Z', 'padding');
  });

  test('sinceSeconds and sinceTime keep lines not older than the cut', async () => {
    fill(logs, 6);
    assert.equal(
      (await get(`${LOG}/one/log?sinceSeconds=20`)).text,
      'line 4\nline 5\n',
      'now is 60 s after line 0: lines at 40 s and 50 s',
    );
    assert.equal(
      (await get(`${LOG}/one/log?sinceTime=2026-11-24T10:00:30.123Z`)).text,
      'line 3\nline 4\nline 5\n',
      'from the exact time on',
    );
    assert.equal(
      (await get(`${LOG}/one/log?sinceTime=2026-11-24T11:00:35%2B01:00&tailLines=1`)).text,
      'line 5\n',
      'an offset time, then tail',
    );
  });

  test('limitBytes cuts the body at that many bytes, even mid-line', async () => {
    fill(logs, 3);
    assert.equal((await get(`${LOG}/one/log?limitBytes=10`)).text, 'line 0\nlin', 'ten bytes');
  });

  test('a missing pod is the usual NotFound', async () => {
    const reply = await status(`${LOG}/nope/log`);
    assert.equal(reply.status, 404, 'status');
    assert.equal(reply.body.message, 'pods "nope" not found', 'message');
  });

  test('a pod whose logs another replica holds is NotFound saying so', async () => {
    const reply = await status(`${LOG}/elsewhere/log`);
    assert.equal(reply.status, 404, 'status');
    assert.equal(reply.body.reason, 'NotFound', 'reason');
    assert.match(reply.body.message, /served by the API server replica running it on node node-b/, 'message');
    assert.equal(reply.body.details.name, 'elsewhere', 'pod name in details');
  });

  test('a pod of several containers needs one named, and a named one must exist', async () => {
    const none = await status(`${LOG}/two/log`);
    assert.equal(none.status, 400, 'no container: status');
    assert.equal(
      none.body.message,
      'a container name must be specified for pod two, choose one of: [a b]',
      'no container: message',
    );
    const wrong = await status(`${LOG}/two/log?container=c`);
    assert.equal(wrong.status, 400, 'unknown container: status');
    assert.equal(wrong.body.message, 'container c is not valid for pod two', 'unknown container: message');
    assert.equal((await get(`${LOG}/two/log?container=b`)).status, 200, 'a named container');
  });

  test('previous=true finds no terminated container', async () => {
    const reply = await status(`${LOG}/one/log?previous=true`);
    assert.equal(reply.status, 400, 'status');
    assert.equal(
      reply.body.message,
      'previous terminated container "apiserver" in pod "one" not found',
      'message',
    );
  });

  test('bad parameters are 400s that name the parameter', async () => {
    const cases: [string, string, RegExp][] = [
      ['tailLines=-1', 'tailLines', /^tailLines: Invalid value: -1: must be greater than or equal to 0$/],
      ['tailLines=ten', 'tailLines', /^tailLines: Invalid value: "ten": must be an integer$/],
      ['limitBytes=0', 'limitBytes', /^limitBytes: Invalid value: 0: must be greater than 0$/],
      ['sinceSeconds=0', 'sinceSeconds', /^sinceSeconds: Invalid value: 0: must be greater than 0$/],
      ['sinceSeconds=1.5', 'sinceSeconds', /^sinceSeconds: .*must be an integer$/],
      ['sinceTime=yesterday', 'sinceTime', /^sinceTime: Invalid value: "yesterday": must be an RFC3339 time/],
      [
        'sinceSeconds=5&sinceTime=2026-11-24T10:00:00Z',
        'sinceTime',
        /at most one of `sinceTime` or `sinceSeconds`/,
      ],
      ['follow=maybe', 'follow', /^follow: Invalid value: "maybe": must be a boolean/],
    ];
    for (const [query, field, message] of cases) {
      const reply = await status(`${LOG}/one/log?${query}`);
      assert.equal(reply.status, 400, `${query}: status`);
      assert.equal(reply.body.reason, 'BadRequest', `${query}: reason`);
      assert.match(reply.body.message, message, `${query}: message`);
      assert.equal(reply.body.details.causes[0].field, field, `${query}: cause field`);
    }
  });

  test('parameters are checked before the pod is looked up', async () => {
    const reply = await status(`${LOG}/nope/log?tailLines=-1`);
    assert.equal(reply.status, 400, 'a bad parameter wins over a missing pod');
  });

  test('only GET is allowed', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const reply = await get(`${LOG}/one/log`, method);
      assert.equal(reply.status, 405, `${method}: status`);
      assert.equal(JSON.parse(reply.text).reason, 'MethodNotAllowed', `${method}: reason`);
    }
  });

  test('follow sends the chosen lines at once, then new lines as they come, until the log ends', async () => {
    fill(logs, 3);
    const response = await fetch(`${base}${LOG}/one/log?follow=true&tailLines=1&timestamps=true`);
    assert.equal(response.status, 200, 'status');
    assert.equal(response.headers.get('content-type'), 'text/plain', 'content type');
    const body = response.body!;
    const first = await readUntil(body, (text) => text.endsWith('\n'));
    assert.equal(first.text, '2026-11-24T10:00:20.123000000Z line 2\n', 'the tail line');
    await waitFor(() => logs.followers === 1, 'the follower');
    logs.append({ time: T0 + 90_000, text: 'new' });
    const second = await readUntil(body, (text) => text.endsWith('\n'));
    assert.equal(second.text, '2026-11-24T10:01:30.123000000Z new\n', 'the appended line');
    logs.close();
    const rest = await readUntil(body, () => false);
    assert.deepEqual(rest, { text: '', ended: true }, 'closing the log ends the response');
    assert.equal(logs.followers, 0, 'no follower left');
  });

  test('follow honours limitBytes across the stream and then ends', async () => {
    fill(logs, 1);
    const response = await fetch(`${base}${LOG}/one/log?follow=true&limitBytes=12`);
    const body = response.body!;
    assert.equal((await readUntil(body, (t) => t.length >= 7)).text, 'line 0\n', 'first line');
    await waitFor(() => logs.followers === 1, 'the follower');
    logs.append({ time: T0, text: 'abcdefgh' });
    logs.append({ time: T0, text: 'never' });
    const rest = await readUntil(body, () => false);
    assert.deepEqual(rest, { text: 'abcde', ended: true }, 'cut at twelve bytes in all, then ended');
    assert.equal(logs.followers, 0, 'unsubscribed');
  });

  test('follow of a log already spent by limitBytes, or already closed, is a plain reply', async () => {
    fill(logs, 2);
    assert.equal((await get(`${LOG}/one/log?follow=true&limitBytes=3`)).text, 'lin', 'spent by the limit');
    logs.close();
    assert.equal(
      (await get(`${LOG}/one/log?follow=true`)).text,
      'line 0\nline 1\n',
      'closed: the lines, then the end',
    );
  });

  test('follow stops following when the client goes away', async () => {
    const abort = new AbortController();
    const response = await fetch(`${base}${LOG}/one/log?follow=1`, { signal: abort.signal });
    assert.equal(response.status, 200, 'status');
    await waitFor(() => logs.followers === 1, 'the follower');
    abort.abort();
    await waitFor(() => logs.followers === 0, 'the follower to leave');
    logs.append({ time: T0, text: 'after' });
  });

  test('follow works over HTTP/2', async () => {
    fill(logs, 1);
    const session = connect(base2);
    try {
      const stream = session.request({ ':path': `${LOG}/one/log?follow=true` });
      const headers = await new Promise<Record<string, unknown>>((resolve) =>
        stream.once('response', resolve),
      );
      assert.equal(headers[':status'], 200, 'status');
      assert.equal(headers['content-type'], 'text/plain', 'content type');
      let text = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        text += chunk;
      });
      const ended = new Promise<void>((resolve) => stream.once('end', resolve));
      await waitFor(() => text === 'line 0\n', 'the first line');
      logs.append({ time: T0, text: 'next' });
      await waitFor(() => text === 'line 0\nnext\n', 'the appended line');
      logs.close();
      await ended;
      assert.equal(logs.followers, 0, 'unsubscribed');
    } finally {
      session.close();
    }
  });
});
