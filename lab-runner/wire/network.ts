// What the browser sees of a lab's network: the map (nodes, namespaces, interfaces, cables, services), captures and
// impairments. Plain JSON, no engine types: the app imports this file (and lab-runner/index.ts) only.

/** The node's own namespace (what `ip netns` calls no namespace at all). */
export const ROOT_NS = '';

export type InterfaceKind = 'loopback' | 'veth' | 'bridge' | 'vxlan' | 'gre' | 'ipip' | 'vlan' | 'macvlan' | 'dummy' | 'tun' | 'wireguard' | 'ether' | 'other';
export type InterfaceState = 'up' | 'down' | 'unknown';

export interface TunnelInfo {
  kind: 'vxlan' | 'gre' | 'ipip';
  vni?: number;
  remote?: string;
  local?: string;
  port?: number;
  /** The underlay device (vxlan "dev eth0"). */
  device?: string;
}

/** A qdisc that changes how the interface behaves (netem delay/loss, tbf rate); plain queues are left out. */
export interface Impairment {
  kind: 'netem' | 'tbf' | 'other';
  /** "delay 50ms loss 1%", "rate 1Mbit". */
  summary: string;
}

export interface MapInterface {
  /** "<node>/<namespace or '-'>/<ifname>": stable across refreshes while the interface keeps its name. */
  id: string;
  node: string;
  /** Namespace name; ROOT_NS for the node's own. */
  ns: string;
  name: string;
  ifindex: number;
  kind: InterfaceKind;
  state: InterfaceState;
  mtu?: number;
  mac?: string;
  /** "10.100.1.10/24", IPv4 first. */
  addresses: string[];
  /** The bridge this interface is a port of (an interface id). */
  bridge?: string;
  tunnel?: TunnelInfo;
  impairment?: Impairment;
  /** Bridge VLANs when the bridge filters VLANs ("10 pvid untagged"). */
  vlans?: string[];
}

export interface MapRoute {
  dst: string;
  via?: string;
  dev?: string;
  /** kernel, static, boot… */
  protocol?: string;
  scope?: string;
}

export interface MapNamespace {
  /** "<node>/<namespace or '-'>". */
  id: string;
  node: string;
  name: string;
  /** Pod name/namespace when a kind view knows which pod owns it. */
  pod?: { name: string; namespace: string; ip?: string };
  /** Present when routes were asked for. */
  routes?: MapRoute[];
}

export type MapLink =
  /** A veth pair: one cable, possibly across namespaces. */
  | { id: string; kind: 'veth'; a: string; b: string }
  /** A port plugged into a bridge. */
  | { id: string; kind: 'bridge-port'; bridge: string; port: string }
  /** An encapsulating interface to the node that owns its remote address (toNode unset: nobody in the lab owns it). */
  | { id: string; kind: 'tunnel'; from: string; remote: string; to?: string; toNode?: string }
  /** A node's interface on a lab network (the Docker network the nodes share). */
  | { id: string; kind: 'lan'; iface: string; network: string };

export interface ServiceEndpoint {
  address: string;
  port?: number;
  /** kind views: the pod behind it. */
  pod?: string;
  ready?: boolean;
}

/** A virtual IP rewritten to endpoints (DNAT): an arrow VIP -> each endpoint. */
export interface MapService {
  id: string;
  /** The node whose rules do the rewrite (kind views: the cluster). */
  node: string;
  vip: string;
  port?: number;
  protocol?: string;
  /** From an iptables comment, an nft chain or a Kubernetes Service. */
  name?: string;
  endpoints: ServiceEndpoint[];
  source: 'nft' | 'iptables' | 'kubernetes';
}

export interface MapNode {
  name: string;
  /** The node's address on the lab network. */
  address?: string;
  /** Set when this node could not be read this time; its last parts are absent. */
  error?: string;
}

export interface LabMap {
  labId: string;
  /** Milliseconds since the epoch when the lab was read. */
  readAt: number;
  nodes: MapNode[];
  namespaces: MapNamespace[];
  interfaces: MapInterface[];
  links: MapLink[];
  services: MapService[];
}

export const ifaceId = (node: string, ns: string, name: string) => `${node}/${ns || '-'}/${name}`;
export const nsId = (node: string, ns: string) => `${node}/${ns || '-'}`;

/** One captured packet as tshark's columns show it (tshark -P -T ek: its dissectors, not ours). */
export interface PacketRow {
  /** The row's number in the capture's list (1, 2, …), which names it for the packet detail. */
  no: number;
  /** Seconds since the capture started. */
  time: number;
  src: string;
  dst: string;
  protocol: string;
  length: number;
  info: string;
}

export type CaptureState = 'starting' | 'running' | 'stopped' | 'failed';

export interface CaptureView {
  id: string;
  target: string;
  /** ROOT_NS or a namespace name. */
  ns: string;
  iface: string;
  filter?: string;
  state: CaptureState;
  /** Why it stopped or failed ("the lab was paused", tshark's own message). */
  reason?: string;
  /** Packets tshark reported. */
  seen: number;
  /** Packets not sent to the browser because of the rate limit (they are still in the pcapng). */
  skipped: number;
  startedAt: number;
}

/** Server -> browser events of a capture stream (SSE; "event: <type>", data: the rest). */
export type CaptureEvent = { type: 'capture'; capture: CaptureView } | { type: 'packets'; rows: PacketRow[] };

/** A packet's layer tree, as tshark -T json gives it: layer name -> fields (nested objects for subtrees). */
export interface PacketDetail {
  no: number;
  layers: Record<string, unknown>;
}

export interface ImpairmentRequest {
  target: string;
  ns: string;
  iface: string;
  /** Milliseconds of added one-way delay (netem). */
  delayMs?: number;
  /** Percent of packets dropped (netem). */
  lossPercent?: number;
  /** Rate limit in kbit/s (tbf). */
  rateKbit?: number;
}
