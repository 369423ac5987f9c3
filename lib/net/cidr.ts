// Addresses and CIDRs of trusted proxies (TRUSTED_PROXY): parsed once, matched with node:net's BlockList.
import { BlockList, isIP } from 'node:net';

export interface Cidr {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** "10.0.0.0/8", "::1" or "192.168.1.7" → a CIDR (a bare address is a /32 or /128); undefined when invalid. */
export function parseCidr(text: string): Cidr | undefined {
  const [address = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const version = isIP(address);
  if (version === 0) return undefined;
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return undefined;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** Strips the IPv4-mapped IPv6 prefix Node reports for IPv4 peers on a dual-stack socket. */
export function normalizeAddress(address: string): string {
  const a = address.trim();
  return a.toLowerCase().startsWith('::ffff:') && isIP(a.slice(7)) === 4 ? a.slice(7) : a;
}

export class AddressSet {
  readonly #list = new BlockList();
  readonly size: number;

  constructor(entries: readonly string[]) {
    let n = 0;
    for (const e of entries) {
      const c = parseCidr(e);
      if (!c) throw new Error(`not an address or CIDR: ${e}`);
      this.#list.addSubnet(c.address, c.prefix, c.family);
      n++;
    }
    this.size = n;
  }

  has(address: string): boolean {
    const a = normalizeAddress(address);
    const v = isIP(a);
    if (v === 0) return false;
    return this.#list.check(a, v === 4 ? 'ipv4' : 'ipv6');
  }
}
