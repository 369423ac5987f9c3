// One node's networking as read by the collector (collect-script.ts), validated section by section with zod.
// A section that does not parse is recorded in `problems` and left empty: one odd namespace never blanks the map.
import { z } from 'zod';
import { splitSections } from './collect-script.ts';
import { bridgeVlans, ipLink, ipRoute, netnsList, nftRuleset, qdiscs } from './raw-schemas.ts';
import type { IpLink, IpRoute, Qdisc } from './raw-schemas.ts';

export interface NamespaceState {
  /** ROOT_NS ('') for the node's own. */
  name: string;
  /** The namespace's id as the root namespace numbers it (`ip netns list`), which is what link_netnsid means there. */
  nsid?: number;
  links: IpLink[];
  /** Present when routes were collected. */
  routes?: IpRoute[];
}

export interface NodeState {
  node: string;
  namespaces: NamespaceState[];
  vlans: z.infer<typeof bridgeVlans>;
  qdiscs: Qdisc[];
  /** The `nftables` array of `nft -j list ruleset`. */
  nft: Record<string, unknown>[];
  /** `iptables-save -t nat` lines (empty when the table is nft-only or absent). */
  iptablesNat: string[];
  problems: string[];
}

/** `ip -j -batch` prints one JSON array per command, one per line. */
function jsonLines(body: string): unknown[] {
  return body
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('[') || l.startsWith('{'))
    .map((l) => JSON.parse(l) as unknown);
}

export function parseNodeState(node: string, stdout: string, token: string): NodeState {
  const state: NodeState = { node, namespaces: [], vlans: [], qdiscs: [], nft: [], iptablesNat: [], problems: [] };
  const nsids = new Map<string, number>();
  const pending: { name: string; body: string }[] = [];
  const parse = <T>(what: string, schema: z.ZodType<T>, raw: () => unknown): T | undefined => {
    try {
      const r = schema.safeParse(raw());
      if (r.success) return r.data;
      state.problems.push(`${what}: ${r.error.issues[0]?.path.join('.') ?? ''} ${r.error.issues[0]?.message ?? 'invalid'}`.trim());
    } catch (err) {
      state.problems.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
    }
    return undefined;
  };
  for (const s of splitSections(stdout, token)) {
    if (s.body === '' && s.kind !== 'ip' && s.kind !== 'ns-ip') continue; // tool missing or nothing to say
    switch (s.kind) {
      case 'ip':
        pending.unshift({ name: '', body: s.body });
        break;
      case 'ns-ip':
        pending.push({ name: s.ns ?? '', body: s.body });
        break;
      case 'netns':
        for (const n of parse('ip netns list', netnsList, () => JSON.parse(s.body)) ?? []) if (n.id !== undefined) nsids.set(n.name, n.id);
        break;
      case 'vlan':
        state.vlans = parse('bridge vlan', bridgeVlans, () => JSON.parse(s.body)) ?? [];
        break;
      case 'qdisc':
        state.qdiscs = parse('tc qdisc', qdiscs, () => JSON.parse(s.body)) ?? [];
        break;
      case 'nft':
        state.nft = parse('nft ruleset', nftRuleset, () => JSON.parse(s.body))?.nftables ?? [];
        break;
      case 'iptables-nat':
        state.iptablesNat = s.body.split('\n').filter((l) => l.startsWith('-A '));
        break;
      default:
        break; // bridge link: the same facts are in `ip -d` (master, info_slave_kind); kept in the script for debugging
    }
  }
  for (const p of pending) {
    const what = p.name ? `namespace ${p.name}` : 'the node';
    const [links, routes] = (() => {
      try {
        return jsonLines(p.body);
      } catch (err) {
        state.problems.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
        return [];
      }
    })();
    const parsedLinks = parse(`${what} interfaces`, z.array(ipLink), () => links ?? []);
    if (!parsedLinks) continue;
    const parsedRoutes = routes === undefined ? undefined : parse(`${what} routes`, z.array(ipRoute), () => routes);
    state.namespaces.push({
      name: p.name,
      nsid: p.name ? nsids.get(p.name) : undefined,
      links: parsedLinks,
      ...(parsedRoutes ? { routes: parsedRoutes } : {}),
    });
  }
  return state;
}
