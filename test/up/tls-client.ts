// One HTTPS request over HTTP/1.1 or HTTP/2 with the credentials a test chooses: the tests of `nso up` check
// who is let in, so they speak to it directly rather than through kubectl.
import { connect } from 'node:http2';
import { request as httpsRequest } from 'node:https';

export interface Credentials {
  readonly ca: string;
  readonly cert?: string;
  readonly key?: string;
  readonly token?: string;
}

export interface Answer {
  readonly status: number;
  readonly httpVersion: string;
  readonly contentType: string;
  readonly body: string;
}

export interface Call {
  readonly method?: string;
  readonly body?: unknown;
  readonly contentType?: string;
  readonly http2?: boolean;
}

export async function call(
  base: string,
  path: string,
  credentials: Credentials,
  options: Call = {},
): Promise<Answer> {
  const method = options.method ?? 'GET';
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = {};
  if (credentials.token !== undefined) headers.authorization = `Bearer ${credentials.token}`;
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const tls = { ca: credentials.ca, cert: credentials.cert, key: credentials.key };
  if (options.http2 === true) {
    const session = connect(base, tls);
    try {
      return await new Promise<Answer>((resolve, reject) => {
        session.on('error', reject);
        const stream = session.request({ ':method': method, ':path': path, ...headers });
        let status = 0;
        let contentType = '';
        let text = '';
        stream.setEncoding('utf8');
        stream.on('response', (response) => {
          status = Number(response[':status']);
          contentType = String(response['content-type'] ?? '');
        });
        stream.on('data', (chunk: string) => {
          text += chunk;
        });
        stream.on('end', () => resolve({ status, httpVersion: '2.0', contentType, body: text }));
        stream.on('error', reject);
        stream.end(body);
      });
    } finally {
      session.close();
    }
  }
  return new Promise<Answer>((resolve, reject) => {
    const req = httpsRequest(new URL(path, base), { method, headers, ...tls, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          httpVersion: res.httpVersion,
          contentType: String(res.headers['content-type'] ?? ''),
          body: text,
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}
