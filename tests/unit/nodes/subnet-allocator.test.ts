import { describe, expect, it } from 'vitest';
import { CapacityError } from '../../../lab-runner/errors.ts';
import { cidrSize, formatCidr, intToIp, ipToInt, nthSubnet, overlaps, parseCidr } from '../../../lab-runner/nodes/ipv4-cidr.ts';
import { isPoolOverlapError, SubnetAllocator } from '../../../lab-runner/nodes/subnet-allocator.ts';
import type { ContainerRuntime, NetworkInfo } from '../../../lab-runner/runtime/container-runtime.ts';

/** Only listNetworks is used by the allocator: a runtime whose engine already holds these subnets. */
function engineWith(subnets: string[]): ContainerRuntime {
  const networks: NetworkInfo[] = subnets.map((subnet, i) => ({ id: `n${i}`, name: `n${i}`, labels: {}, subnet, internal: true }));
  return { listNetworks: async () => networks } as unknown as ContainerRuntime;
}

describe('IPv4 CIDR helpers', () => {
  it('parse, format, size, overlap and carve', () => {
    expect(intToIp(ipToInt('10.200.3.64'))).toBe('10.200.3.64');
    expect(formatCidr(parseCidr('10.200.3.77/27'))).toBe('10.200.3.64/27');
    expect(cidrSize(parseCidr('10.0.0.0/16'))).toBe(65536);
    expect(overlaps(parseCidr('10.0.0.0/16'), parseCidr('10.0.255.0/24'))).toBe(true);
    expect(overlaps(parseCidr('10.0.0.0/27'), parseCidr('10.0.0.32/27'))).toBe(false);
    expect(formatCidr(nthSubnet(parseCidr('10.200.0.0/16'), 27, 9))).toBe('10.200.1.32/27');
    expect(() => parseCidr('10.0.0/8')).toThrow(/not an IPv4 CIDR/);
    expect(() => ipToInt('10.0.0.300')).toThrow(/not an IPv4 address/);
  });
});

describe('SubnetAllocator', () => {
  it('hands out free subnets of the pool, never one Docker already uses or one still reserved', async () => {
    const a = new SubnetAllocator(engineWith(['10.200.0.0/27', '172.17.0.0/16', '10.200.0.96/28']), '10.200.0.0/25', 27);
    expect(a.capacity).toBe(4);
    const got = [await a.allocate(), await a.allocate()].sort();
    expect(got).toEqual(['10.200.0.32/27', '10.200.0.64/27']);
    await expect(a.allocate()).rejects.toThrow(CapacityError);
    a.release('10.200.0.32/27');
    expect(await a.allocate()).toBe('10.200.0.32/27');
  });

  it('explains exhaustion with the pool and what to change', async () => {
    const a = new SubnetAllocator(engineWith(['10.0.0.0/8']), '10.201.0.0/24', 26);
    await expect(a.allocate()).rejects.toThrow(/No free \/26 subnet left in LAB_SUBNET_POOL 10\.201\.0\.0\/24 \(4 lab networks\)\. .*LAB_SUBNET_POOL/);
  });

  it('rejects prefixes outside the pool', () => {
    expect(() => new SubnetAllocator(engineWith([]), '10.0.0.0/24', 16)).toThrow(/between/);
  });

  it("recognises Docker's overlap error for the retry", () => {
    expect(isPoolOverlapError(new Error('Docker network create failed (...): Pool overlaps with other one on this address space'))).toBe(true);
    // The bridge driver's words when an existing network already covers the subnet (seen when two servers or test
    // files share one engine): retried with another subnet too.
    expect(
      isPoolOverlapError(
        new Error(
          'Docker network create failed (...): cannot create network b02d (pw-ihk9cg0y-0): conflicts with network 1c97 (pw-ou99avw4-0): networks have overlapping IPv4',
        ),
      ),
    ).toBe(true);
    expect(isPoolOverlapError(new Error('something else'))).toBe(false);
  });
});
