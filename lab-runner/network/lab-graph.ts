// The pure state-to-graph model: the nodes' states (node-state.ts) -> the map the browser draws (wire/network.ts).
// No I/O; every rule here is unit-tested on output recorded from real labs (tests/fixtures/network/).
import { ifaceId, nsId } from '../wire/network.ts';
import type {
  Impairment,
  InterfaceKind,
  InterfaceState,
  LabMap,
  MapInterface,
  MapLink,
  MapNamespace,
  MapNode,
  MapService,
  TunnelInfo,
} from '../wire/network.ts';
import { iptablesServices } from './iptables-services.ts';
import { nftServices } from './nft-services.ts';
import type { NamespaceState, NodeState } from './node-state.ts';
import type { IpLink, Qdisc } from './raw-schemas.ts';

const KINDS: Record<string, InterfaceKind> = {
  veth: 'veth',
  bridge: 'bridge',
  vxlan: 'vxlan',
  gre: 'gre',
  gretap: 'gre',
  ip6gre: 'gre',
  ipip: 'ipip',
  vlan: 'vlan',
  macvlan: 'macvlan',
  dummy: 'dummy',
  tun: 'tun',
  wireguard: 'wireguard',
};

function kindOf(l: IpLink): InterfaceKind {
  if (l.link_type === 'loopback') return 'loopback';
  const k = l.linkinfo?.info_kind;
  if (k) return KINDS[k] ?? 'other';
  return l.link_type === 'ether' ? 'ether' : 'other';
}

function stateOf(l: IpLink): InterfaceState {
  if (l.operstate === 'UP' || (l.operstate === 'UNKNOWN' && l.flags.includes('UP') && l.flags.includes('LOWER_UP'))) return 'up';
  if (!l.flags.includes('UP') || l.operstate === 'DOWN' || l.operstate === 'LOWERLAYERDOWN') return 'down';
  return 'unknown';
}

function tunnelOf(l: IpLink, kind: InterfaceKind): TunnelInfo | undefined {
  if (kind !== 'vxlan' && kind !== 'gre' && kind !== 'ipip') return undefined;
  const d = l.linkinfo?.info_data ?? {};
  const str = (k: string) => (typeof d[k] === 'string' && d[k] !== 'any' ? (d[k] as string) : undefined);
  const num = (k: string) => (typeof d[k] === 'number' ? (d[k] as number) : undefined);
  const t: TunnelInfo = { kind };
  const vni = num('id');
  if (kind === 'vxlan' && vni !== undefined) t.vni = vni;
  const remote = str('remote') ?? str('group');
  if (remote) t.remote = remote;
  const local = str('local');
  if (local) t.local = local;
  const port = num('port');
  if (port !== undefined) t.port = port;
  const dev = str('link');
  if (dev) t.device = dev;
  return t;
}

/** What tc says of a qdisc that changes behaviour; plain queues (noqueue, fq_codel, pfifo…) are not impairments. */
export function impairmentOf(q: Pick<Qdisc, 'kind' | 'options'> | undefined): Impairment | undefined {
  if (!q) return undefined;
  const o = q.options ?? {};
  if (q.kind === 'netem') {
    const parts: string[] = [];
    const delay = o.delay as { delay?: number; jitter?: number } | undefined;
    if (delay?.delay) parts.push(`delay ${fmtSeconds(delay.delay)}${delay.jitter ? ` ± ${fmtSeconds(delay.jitter)}` : ''}`);
    const loss = o['loss-random'] as { loss?: number } | undefined;
    if (loss?.loss) parts.push(`loss ${+(loss.loss * 100).toFixed(2)}%`);
    const rate = o.rate as { rate?: number } | undefined;
    if (rate?.rate) parts.push(`rate ${fmtRate(rate.rate)}`);
    return { kind: 'netem', summary: parts.join(' ') || 'netem' };
  }
  if (q.kind === 'tbf') return { kind: 'tbf', summary: typeof o.rate === 'number' ? `rate ${fmtRate(o.rate)}` : 'rate limit' };
  return undefined;
}

const fmtSeconds = (s: number) => (s >= 1 ? `${+s.toFixed(3)}s` : `${+(s * 1000).toFixed(2)}ms`);
/** tc -j reports rates in bytes per second. */
const fmtRate = (bytesPerSecond: number) => {
  const bits = bytesPerSecond * 8;
  return bits >= 1e6 ? `${+(bits / 1e6).toFixed(2)}Mbit` : bits >= 1e3 ? `${+(bits / 1e3).toFixed(2)}Kbit` : `${bits}bit`;
};

const ipv4 = (a: string) => /^\d+\.\d+\.\d+\.\d+$/.test(a);

function networkOf(cidr: string): string {
  const [a, len] = cidr.split('/');
  const n = a!.split('.').reduce((acc, o) => (acc << 8) + Number(o), 0) >>> 0;
  const bits = Number(len);
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  const net = (n & mask) >>> 0;
  return `${[24, 16, 8, 0].map((s) => (net >>> s) & 255).join('.')}/${bits}`;
}

export interface BuildOptions {
  labId: string;
  readAt: number;
  /** Nodes that could not be read this time (name -> why). */
  failed?: Record<string, string>;
}

export function buildLabMap(states: NodeState[], opts: BuildOptions): LabMap {
  const nodes: MapNode[] = [];
  const namespaces: MapNamespace[] = [];
  const interfaces: MapInterface[] = [];
  const links: MapLink[] = [];
  const services: MapService[] = [];
  const linkKeys = new Set<string>();
  const addLink = (l: MapLink) => {
    if (linkKeys.has(l.id)) return;
    linkKeys.add(l.id);
    links.push(l);
  };
  /** address -> the interface (and node) that owns it, for tunnels. */
  const owners = new Map<string, MapInterface>();
  const rawById = new Map<string, IpLink>();

  for (const s of states) {
    const root = s.namespaces.find((n) => n.name === '');
    const rootQdiscs = new Map(s.qdiscs.filter((q) => q.root).map((q) => [q.dev, q]));
    const vlans = new Map(
      s.vlans.map((v) => [
        v.ifname,
        v.vlans.map((x) => [x.vlanEnd ? `${x.vlan}-${x.vlanEnd}` : `${x.vlan}`, ...(x.flags ?? []).map((f) => f.toLowerCase().replace(/ /g, '-'))].join(' ')),
      ]),
    );
    for (const ns of s.namespaces) {
      namespaces.push({
        id: nsId(s.node, ns.name),
        node: s.node,
        name: ns.name,
        ...(ns.routes
          ? {
              routes: ns.routes.map((r) => ({
                dst: r.dst,
                ...(r.gateway ? { via: r.gateway } : {}),
                ...(r.dev ? { dev: r.dev } : {}),
                ...(r.protocol ? { protocol: r.protocol } : {}),
                ...(r.scope ? { scope: r.scope } : {}),
              })),
            }
          : {}),
      });
      for (const l of ns.links) {
        const kind = kindOf(l);
        const id = ifaceId(s.node, ns.name, l.ifname);
        const addresses = l.addr_info.map((a) => `${a.local}/${a.prefixlen}`).sort((a, b) => Number(ipv4(b.split('/')[0]!)) - Number(ipv4(a.split('/')[0]!)));
        const master = l.master ? ns.links.find((m) => m.ifname === l.master) : undefined;
        const tunnel = tunnelOf(l, kind);
        // Details from tc where we have them (the node's own namespace); elsewhere the qdisc's name from ip -d.
        const impairment =
          ns.name === ''
            ? impairmentOf(rootQdiscs.get(l.ifname))
            : l.qdisc === 'netem' || l.qdisc === 'tbf'
              ? ({ kind: l.qdisc, summary: l.qdisc } as Impairment)
              : undefined;
        const iface: MapInterface = {
          id,
          node: s.node,
          ns: ns.name,
          name: l.ifname,
          ifindex: l.ifindex,
          kind,
          state: stateOf(l),
          ...(l.mtu ? { mtu: l.mtu } : {}),
          ...(l.address && kind !== 'loopback' && l.link_type === 'ether' ? { mac: l.address } : {}),
          addresses,
          ...(master?.linkinfo?.info_kind === 'bridge' ? { bridge: ifaceId(s.node, ns.name, master.ifname) } : {}),
          ...(tunnel ? { tunnel } : {}),
          ...(impairment ? { impairment } : {}),
          ...(ns.name === '' && vlans.get(l.ifname)?.length ? { vlans: vlans.get(l.ifname) } : {}),
        };
        interfaces.push(iface);
        rawById.set(id, l);
        for (const a of l.addr_info) if (kind !== 'loopback') owners.set(a.local, iface);
        if (iface.bridge) addLink({ id: `port:${iface.bridge}>${id}`, kind: 'bridge-port', bridge: iface.bridge, port: id });
      }
    }
    // veth pairs
    const byNsid = new Map<number, NamespaceState>();
    for (const ns of s.namespaces) if (ns.nsid !== undefined) byNsid.set(ns.nsid, ns);
    const unresolved: { ns: NamespaceState; l: IpLink }[] = [];
    for (const ns of s.namespaces) {
      for (const l of ns.links) {
        if (l.linkinfo?.info_kind !== 'veth') continue;
        const me = ifaceId(s.node, ns.name, l.ifname);
        if (l.link_netnsid === undefined) {
          // Peer in the same namespace: named.
          if (l.link) addLink(vethLink(me, ifaceId(s.node, ns.name, l.link)));
          continue;
        }
        if (ns.name === '') {
          const peerNs = byNsid.get(l.link_netnsid);
          const peer = peerNs?.links.find((p) => p.ifindex === l.link_index);
          if (peerNs && peer) addLink(vethLink(me, ifaceId(s.node, peerNs.name, peer.ifname)));
          else if (l.addr_info.some((a) => a.family === 'inet')) {
            // The peer is outside the lab node (Docker's end of the node's eth0): the lab network.
            const a = l.addr_info.find((x) => x.family === 'inet')!;
            addLink({ id: `lan:${me}`, kind: 'lan', iface: me, network: networkOf(`${a.local}/${a.prefixlen}`) });
          }
          continue;
        }
        unresolved.push({ ns, l });
      }
    }
    // Pairs between two named namespaces: each end numbers the other with its own nsids, so match by ifindex.
    for (const { ns, l } of unresolved) {
      if (root && l.link_netnsid !== undefined) {
        const rootPeer = root.links.find((r) => r.ifindex === l.link_index && r.linkinfo?.info_kind === 'veth' && r.link_index === l.ifindex);
        if (rootPeer) continue; // already linked from the root side
      }
      const peer = unresolved.find((o) => o.ns !== ns && o.l.ifindex === l.link_index && o.l.link_index === l.ifindex);
      if (peer) addLink(vethLink(ifaceId(s.node, ns.name, l.ifname), ifaceId(s.node, peer.ns.name, peer.l.ifname)));
    }
    const ipt = iptablesServices(s.node, s.iptablesNat);
    const seen = new Set(ipt.map((x) => `${x.vip}:${x.port ?? '*'}`));
    services.push(...ipt, ...nftServices(s.node, s.nft).filter((x) => !seen.has(`${x.vip}:${x.port ?? '*'}`)));
    const lanAddr = links.find((k) => k.kind === 'lan' && k.iface.startsWith(`${s.node}/-/`));
    const addr = lanAddr?.kind === 'lan' ? interfaces.find((i) => i.id === lanAddr.iface)?.addresses.find((a) => ipv4(a.split('/')[0]!)) : undefined;
    nodes.push({ name: s.node, ...(addr ? { address: addr.split('/')[0]! } : {}) });
  }
  for (const [name, error] of Object.entries(opts.failed ?? {})) if (!nodes.some((n) => n.name === name)) nodes.push({ name, error });
  // Tunnels: to the node that owns the remote address, and to its matching tunnel end when there is one.
  for (const t of interfaces) {
    if (!t.tunnel?.remote) continue;
    const owner = owners.get(t.tunnel.remote);
    const mine = new Set(interfaces.filter((i) => i.node === t.node).flatMap((i) => i.addresses.map((a) => a.split('/')[0]!)));
    const peerEnd = owner
      ? interfaces.find(
          (i) =>
            i.node === owner.node && i.tunnel?.kind === t.tunnel!.kind && i.tunnel.vni === t.tunnel!.vni && (!i.tunnel.remote || mine.has(i.tunnel.remote)),
        )
      : undefined;
    const ends = [t.id, peerEnd?.id ?? owner?.id ?? t.tunnel.remote].sort();
    addLink({
      id: `tunnel:${ends.join('<>')}`,
      kind: 'tunnel',
      from: t.id,
      remote: t.tunnel.remote,
      ...(peerEnd || owner ? { to: (peerEnd ?? owner)!.id, toNode: owner!.node } : {}),
    });
  }
  nodes.sort((a, b) => a.name.localeCompare(b.name));
  return { labId: opts.labId, readAt: opts.readAt, nodes, namespaces, interfaces, links, services };
}

function vethLink(a: string, b: string): MapLink {
  const [x, y] = [a, b].sort() as [string, string];
  return { id: `veth:${x}<>${y}`, kind: 'veth', a: x, b: y };
}
