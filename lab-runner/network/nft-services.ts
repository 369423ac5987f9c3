// Services from native nftables rules (`nft -j`): a rule matching `ip daddr VIP` (and maybe a port) that DNATs, or
// jumps/gotos (directly or through a verdict map, as kube-proxy's nftables mode and numgen load balancing do) to
// chains that DNAT. Rules written through iptables-nft appear as opaque `xt` expressions here: iptables-services.ts
// reads those.
import { nftRule } from './raw-schemas.ts';
import type { NftRule } from './raw-schemas.ts';
import type { MapService, ServiceEndpoint } from '../wire/network.ts';

type Expr = Record<string, unknown>;
const MAX_DEPTH = 5;

const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/** The value a `match ==` compares a payload field with: `ip daddr`, `tcp dport`… */
function matchOf(e: Expr, protocol: string | undefined, field: string): unknown {
  const m = obj(e.match);
  if (!m || m.op !== '==') return undefined;
  const p = obj(obj(m.left)?.payload);
  if (!p || p.field !== field || (protocol && p.protocol !== protocol)) return undefined;
  return m.right;
}

/** Chains a rule's verdicts lead to: jump, goto, and the jumps/gotos inside a verdict map. */
function targetsOf(e: Expr): string[] {
  const direct = obj(e.jump) ?? obj(e.goto);
  if (typeof direct?.target === 'string') return [direct.target];
  const vmap = obj(e.vmap);
  const set = obj(vmap?.data)?.set;
  if (!Array.isArray(set)) return [];
  return set.flatMap((entry) => {
    const verdict = Array.isArray(entry) ? obj(entry[1]) : undefined;
    const t = obj(verdict?.jump) ?? obj(verdict?.goto);
    return typeof t?.target === 'string' ? [t.target] : [];
  });
}

function dnatOf(e: Expr): ServiceEndpoint | undefined {
  const d = obj(e.dnat);
  if (!d || typeof d.addr !== 'string') return undefined;
  return { address: d.addr, ...(typeof d.port === 'number' ? { port: d.port } : {}) };
}

export function nftServices(node: string, ruleset: Record<string, unknown>[]): MapService[] {
  const rules: NftRule[] = ruleset.flatMap((entry) => {
    const r = nftRule.safeParse(entry.rule);
    return r.success ? [r.data] : [];
  });
  const key = (r: { family: string; table: string }, chain: string) => `${r.family}/${r.table}/${chain}`;
  const byChain = new Map<string, NftRule[]>();
  for (const r of rules) byChain.set(key(r, r.chain), [...(byChain.get(key(r, r.chain)) ?? []), r]);
  const endpointsOf = (r: NftRule, depth: number, seen: Set<string>): ServiceEndpoint[] =>
    r.expr.flatMap((e) => {
      const d = dnatOf(e);
      if (d) return [d];
      return targetsOf(e).flatMap((t) => endpointsIn(key(r, t), depth + 1, seen));
    });
  const endpointsIn = (chainKey: string, depth: number, seen: Set<string>): ServiceEndpoint[] => {
    if (depth > MAX_DEPTH || seen.has(chainKey)) return [];
    seen.add(chainKey);
    return (byChain.get(chainKey) ?? []).flatMap((r) => endpointsOf(r, depth, seen));
  };
  const services: MapService[] = [];
  for (const r of rules) {
    let vip: unknown;
    let port: unknown;
    let protocol: string | undefined;
    for (const e of r.expr) {
      vip ??= matchOf(e, 'ip', 'daddr');
      for (const proto of ['tcp', 'udp', 'sctp']) {
        const p = matchOf(e, proto, 'dport');
        if (p !== undefined) {
          port = p;
          protocol = proto;
        }
      }
    }
    // Docker's embedded DNS rules are the engine's, not the lab's.
    if (typeof vip !== 'string' || r.chain.startsWith('DOCKER') || r.expr.flatMap(targetsOf).some((t) => t.startsWith('DOCKER'))) continue;
    const leads = r.expr.some((e) => dnatOf(e) || targetsOf(e).length > 0);
    if (!leads) continue;
    const endpoints = endpointsOf(r, 0, new Set());
    if (endpoints.length === 0 && !r.expr.some((e) => targetsOf(e).length > 0)) continue;
    const p = typeof port === 'number' ? port : undefined;
    const id = `${node}/nft/${vip}:${p ?? '*'}/${protocol ?? 'all'}`;
    if (services.some((s) => s.id === id)) continue;
    const chain = r.expr.flatMap(targetsOf)[0];
    services.push({
      id,
      node,
      vip,
      ...(p !== undefined ? { port: p } : {}),
      ...(protocol ? { protocol } : {}),
      ...(r.comment ? { name: r.comment } : chain ? { name: chain } : {}),
      endpoints,
      source: 'nft',
    });
  }
  return services;
}
