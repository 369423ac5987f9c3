// Client addresses for caps and rate limits: the TCP peer unless it is a configured trusted proxy, in which case the
// nearest untrusted X-Forwarded-For hop. A client's own X-Forwarded-For is never believed.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../lib/config.ts';
import { AddressSet } from '../../../lib/net/cidr.ts';
import { clientAddress, clientKeyForAddress } from '../../../lib/net/client-address.ts';

describe('clientAddress', () => {
  const none = new AddressSet([]);
  const proxies = new AddressSet(['127.0.0.1', '10.0.0.0/8', '::1']);

  it('ignores X-Forwarded-For without a trusted proxy, or from an untrusted peer', () => {
    expect(clientAddress('198.51.100.7', '1.2.3.4', none)).toBe('198.51.100.7');
    expect(clientAddress('198.51.100.7', '1.2.3.4', proxies)).toBe('198.51.100.7');
    expect(clientAddress('::ffff:198.51.100.7', undefined, none)).toBe('198.51.100.7');
  });

  it('behind trusted proxies takes the nearest untrusted hop, so a forged left-most entry does not count', () => {
    expect(clientAddress('127.0.0.1', '203.0.113.9', proxies)).toBe('203.0.113.9');
    expect(clientAddress('127.0.0.1', '6.6.6.6, 203.0.113.9, 10.1.2.3', proxies)).toBe('203.0.113.9');
    expect(clientAddress('::ffff:127.0.0.1', ['6.6.6.6', '203.0.113.9'], proxies)).toBe('203.0.113.9');
    // Garbage in the chain: stop at the last address a trusted proxy vouched for.
    expect(clientAddress('127.0.0.1', 'not-an-ip, 10.0.0.5', proxies)).toBe('10.0.0.5');
    expect(clientAddress('127.0.0.1', undefined, proxies)).toBe('127.0.0.1');
  });

  it('groups IPv6 clients by /64', () => {
    expect(clientKeyForAddress('2001:db8:1:2:aaaa::1')).toBe('ip6:2001:db8:1:2::/64');
    expect(clientKeyForAddress('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('ip6:2001:db8:1:2::/64');
    expect(clientKeyForAddress('198.51.100.7')).toBe('ip:198.51.100.7');
  });

  it('TRUSTED_PROXY is validated at start-up', () => {
    expect(loadConfig({ NODE_ENV: 'test', TRUSTED_PROXY: '127.0.0.1, 10.0.0.0/8,::1' }).TRUSTED_PROXY).toEqual(['127.0.0.1', '10.0.0.0/8', '::1']);
    expect(loadConfig({ NODE_ENV: 'test' }).TRUSTED_PROXY).toEqual([]);
    expect(() => loadConfig({ NODE_ENV: 'test', TRUSTED_PROXY: '10.0.0.0/33' })).toThrow(
      /TRUSTED_PROXY entry "10.0.0.0\/33" is not an IPv4\/IPv6 address or CIDR/,
    );
    expect(() => loadConfig({ NODE_ENV: 'test', TRUSTED_PROXY: 'proxy.local' })).toThrow(/TRUSTED_PROXY entry "proxy.local"/);
  });
});
