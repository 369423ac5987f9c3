import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { AddressSet } from '../../../lib/net/cidr.ts';
import { dropUntrustedForwarding } from '../../../lib/net/forwarded-headers.ts';

const forwarded = () => ({
  'x-forwarded-proto': 'https',
  'x-forwarded-host': 'labs.example.org',
  'x-forwarded-port': '443',
  'x-forwarded-for': '10.1.1.1',
  host: 'h',
});
const req = (peer: string, headers: IncomingMessage['headers']) => ({ headers, socket: { remoteAddress: peer } as IncomingMessage['socket'] });

describe('dropUntrustedForwarding', () => {
  const trusted = new AddressSet(['127.0.0.1', '10.0.0.0/8']);

  it('keeps what a trusted proxy says, IPv4-mapped peers included', () => {
    for (const peer of ['127.0.0.1', '::ffff:10.2.3.4']) {
      const r = req(peer, forwarded());
      expect(dropUntrustedForwarding(r, trusted)).toBe(false);
      expect(r.headers).toEqual(forwarded());
    }
  });

  it('removes proto, host and port claimed by any other peer, and leaves the rest', () => {
    const r = req('127.0.0.2', forwarded());
    expect(dropUntrustedForwarding(r, trusted)).toBe(true);
    expect(r.headers).toEqual({ 'x-forwarded-for': '10.1.1.1', host: 'h' });
  });

  it('believes nobody when no proxy is trusted', () => {
    const r = req('127.0.0.1', forwarded());
    expect(dropUntrustedForwarding(r, new AddressSet([]))).toBe(true);
    expect(r.headers['x-forwarded-proto']).toBeUndefined();
  });
});
