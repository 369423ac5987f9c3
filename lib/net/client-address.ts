// Who is asking, as far as the network can tell: the TCP peer, or — when the peer is a trusted reverse proxy
// (TRUSTED_PROXY) — the nearest untrusted address in X-Forwarded-For. Proxies append the address they saw, so the
// list is read from the right and every trusted hop is skipped; entries a client wrote itself sit further left and
// are never reached unless every hop after them is trusted.
//
// server.ts stamps the result on each request as CLIENT_ADDRESS_HEADER (overwriting whatever a client sent), so
// route handlers, which only see a Fetch Request, read it from there.
import { isIP } from 'node:net';
import { AddressSet, normalizeAddress } from './cidr.ts';

export const CLIENT_ADDRESS_HEADER = 'x-packetwalk-client-address';

export function clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, trusted: AddressSet): string {
  let address = normalizeAddress(peer ?? '') || 'unknown';
  if (trusted.size === 0 || !trusted.has(address) || forwardedFor === undefined) return address;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((h) => normalizeAddress(h.replace(/^\[|\](:\d+)?$/g, '')))
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (isIP(hop) === 0) return address; // garbage: stop at the last address a trusted proxy vouched for
    address = hop;
    if (!trusted.has(hop)) return hop;
  }
  return address;
}

/**
 * The key caps are counted under. IPv6 clients usually hold a whole /64, so they are grouped by it; IPv4 by
 * address. When accounts exist, the account id replaces the address here (one place to change).
 */
export function clientKeyForAddress(address: string): string {
  if (isIP(address) !== 6) return `ip:${address}`;
  const groups = expandIpv6(address);
  return `ip6:${groups.slice(0, 4).join(':')}::/64`;
}

function expandIpv6(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail ? tail.split(':') : [];
  const fill = tail !== undefined ? Array(Math.max(0, 8 - h.length - t.length)).fill('0') : [];
  return [...h, ...fill, ...t].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
}
