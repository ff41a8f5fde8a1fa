import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import type { TLSSocket } from 'node:tls';
import type { UserInfo } from './token-file.ts';

export const AUTHENTICATED_GROUP = 'system:authenticated';

/** Who sent a request, or undefined when it carries no valid credentials. */
export type Authenticator = (req: IncomingMessage | Http2ServerRequest) => UserInfo | undefined;

export interface TokenLookup {
  lookup(token: string): UserInfo | undefined;
}

/**
 * Kubernetes' two common schemes: a client certificate the TLS layer verified against our CA (CN is the user,
 * each O a group), else a bearer token from the token file. A certificate is read once per connection.
 */
export function requestAuthenticator(tokens: TokenLookup | undefined): Authenticator {
  const byConnection = new WeakMap<object, UserInfo | null>();
  return (req) => {
    const socket = req.socket as Partial<TLSSocket> | undefined;
    if (socket !== undefined && typeof socket.getPeerCertificate === 'function') {
      let user = byConnection.get(socket);
      if (user === undefined) {
        user = certificateUser(socket as TLSSocket) ?? null;
        byConnection.set(socket, user);
      }
      if (user !== null) return user;
    }
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (match === null || tokens === undefined) return undefined;
    const user = tokens.lookup(match[1]!);
    return user === undefined ? undefined : withAuthenticated(user);
  };
}

function certificateUser(socket: TLSSocket): UserInfo | undefined {
  if (!socket.authorized) return undefined;
  const subject = socket.getPeerCertificate()?.subject as Record<string, string | string[]> | undefined;
  const name = subject?.CN;
  if (typeof name !== 'string' || name === '') return undefined;
  const organizations = subject?.O;
  const groups =
    organizations === undefined ? [] : Array.isArray(organizations) ? organizations : [organizations];
  return withAuthenticated({ name, groups });
}

function withAuthenticated(user: UserInfo): UserInfo {
  return user.groups.includes(AUTHENTICATED_GROUP)
    ? user
    : { ...user, groups: [...user.groups, AUTHENTICATED_GROUP] };
}
