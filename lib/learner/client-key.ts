// The client behind a route-handler request: server.ts stamps the address it worked out (TCP peer, or the
// nearest untrusted X-Forwarded-For hop behind a TRUSTED_PROXY) and strips any copy a client sent. A request
// that did not come through server.ts (a test calling a handler directly) counts as the client "unknown".
import { isIP } from 'node:net';
import { CLIENT_ADDRESS_HEADER, clientKeyForAddress } from '../net/client-address.ts';

export function requestClientKey(request: Request): string {
  const address = request.headers.get(CLIENT_ADDRESS_HEADER)?.trim();
  return clientKeyForAddress(address && isIP(address) ? address : 'unknown');
}

/** A signed-in account is one client wherever it connects from: a class behind one NAT is not one client. */
export function accountClientKey(accountId: string): string {
  return `account:${accountId}`;
}

export function isAccountClientKey(clientKey: string): boolean {
  return clientKey.startsWith('account:');
}
