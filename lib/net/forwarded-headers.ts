// X-Forwarded-Proto / -Host / -Port tell what the browser used (https, the public host) as a reverse proxy saw it.
// Only a TRUSTED_PROXY's word counts: from any other peer they are removed before Next or a route reads them, so a
// direct request cannot claim https (cookies marked Secure on plain http) or another site's host (Origin checks).
// Next then fills them in from the connection itself. X-Forwarded-For is weighed separately (client-address.ts).
import type { IncomingMessage } from 'node:http';
import type { AddressSet } from './cidr.ts';

export const FORWARDING_HEADERS = ['x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port'] as const;

/** Removes the forwarding headers unless the TCP peer is a trusted proxy; returns whether any were removed. */
export function dropUntrustedForwarding(req: Pick<IncomingMessage, 'headers' | 'socket'>, trusted: AddressSet): boolean {
  if (trusted.has(req.socket.remoteAddress ?? '')) return false;
  let dropped = false;
  for (const name of FORWARDING_HEADERS) {
    if (req.headers[name] === undefined) continue;
    delete req.headers[name];
    dropped = true;
  }
  return dropped;
}
