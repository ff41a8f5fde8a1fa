import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createSecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import type { ListenAddress } from './listen-address.ts';

export type Handler = (
  req: IncomingMessage | Http2ServerRequest,
  res: ServerResponse | Http2ServerResponse,
) => void;

export interface Tls {
  readonly key: string;
  readonly cert: string;
  /** Client certificates are verified against this CA; a connection without one still opens (for tokens). */
  readonly ca: string;
}

export interface Serving {
  readonly port: number;
  /** Stops accepting, ends every open connection (watches included) and resolves once all are closed. */
  close(): Promise<void>;
}

/**
 * HTTPS with HTTP/2 and HTTP/1.1 on one port (kubectl speaks h2, client-node 1.1), or plain HTTP/1.1 when no
 * TLS material is given. A port already taken is an Error that says so.
 */
export async function serve(listen: ListenAddress, tls: Tls | undefined, handler: Handler): Promise<Serving> {
  const server =
    tls === undefined
      ? createHttpServer(handler)
      : createSecureServer(
          {
            key: tls.key,
            cert: tls.cert,
            ca: tls.ca,
            allowHTTP1: true,
            requestCert: true,
            rejectUnauthorized: false,
            minVersion: 'TLSv1.2',
          },
          handler,
        );
  const sockets = new Set<Socket>();
  server.on(tls === undefined ? 'connection' : 'secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // A client that breaks off its TLS handshake is its own problem, never the server's.
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException): void =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `${listen.host}:${listen.port} is in use; pick another with --listen ${listen.host}:PORT (0 picks a free port)`,
            )
          : error,
      );
    server.once('error', failed);
    server.listen(listen.port, listen.host, () => {
      server.off('error', failed);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
