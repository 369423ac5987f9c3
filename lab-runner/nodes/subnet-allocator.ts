// Gives each lab network its own small subnet from LAB_SUBNET_POOL (default 10.200.0.0/16 in /27s = 2048 labs).
// Why not Docker's default pools: they hand out a /16 per network and run dry after ~30 networks.
// Lab bridges carry no host address (inhibit_ipv4), so these subnets never appear in the host's routing table.
// Free subnets are found by listing every Docker network; a race with another process surfaces as Docker's
// overlap error (runtime/network-overlap.ts), on which the caller retries with another subnet.
import { isNetworkOverlap } from '../runtime/network-overlap.ts';
import { CapacityError } from '../errors.ts';
import type { ContainerRuntime } from '../runtime/container-runtime.ts';
import { cidrSize, formatCidr, nthSubnet, overlaps, parseCidr, type Cidr } from './ipv4-cidr.ts';

export class SubnetAllocator {
  private readonly pool: Cidr;
  private readonly prefix: number;
  private readonly runtime: ContainerRuntime;
  /** Handed out but maybe not yet visible in Docker's network list. */
  private readonly reserved = new Set<string>();

  constructor(runtime: ContainerRuntime, pool: string, prefix: number) {
    this.runtime = runtime;
    this.pool = parseCidr(pool);
    if (prefix < this.pool.prefix || prefix > 29) {
      throw new Error(`LAB_SUBNET_PREFIX /${prefix} must lie between the pool's /${this.pool.prefix} and /29`);
    }
    this.prefix = prefix;
  }

  get capacity(): number {
    return cidrSize(this.pool) / 2 ** (32 - this.prefix);
  }

  /** Picks a free subnet at random (two processes rarely pick the same one) and reserves it until release(). */
  async allocate(): Promise<string> {
    const used = (await this.runtime.listNetworks({}))
      .map((n) => n.subnet)
      .filter((s): s is string => !!s && /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(s))
      .map(parseCidr)
      .filter((c) => overlaps(c, this.pool));
    const free: Cidr[] = [];
    for (let i = 0; i < this.capacity; i++) {
      const candidate = nthSubnet(this.pool, this.prefix, i);
      if (this.reserved.has(formatCidr(candidate))) continue;
      if (used.some((u) => overlaps(u, candidate))) continue;
      free.push(candidate);
    }
    if (free.length === 0) {
      throw new CapacityError(
        `No free /${this.prefix} subnet left in LAB_SUBNET_POOL ${formatCidr(this.pool)} (${this.capacity} lab networks). ` +
          `Destroy idle labs ("npm run lab -- reap"), or set a larger LAB_SUBNET_POOL or a longer LAB_SUBNET_PREFIX.`,
      );
    }
    const pick = formatCidr(free[Math.floor(Math.random() * free.length)]!);
    this.reserved.add(pick);
    return pick;
  }

  release(subnet: string): void {
    this.reserved.delete(subnet);
  }
}

export function isPoolOverlapError(err: unknown): boolean {
  return isNetworkOverlap((err as Error | undefined)?.message ?? '');
}
