// LabMap (wire) -> the boxes and lines the map draws, before layout: lab nodes contain namespaces, namespaces contain
// interfaces; cables, bridge ports, tunnels, the lab network and Service arrows are edges. Pure, ordered by id, so
// the same lab state always gives the same graph (the layout is then the same too).
import type { LabMap, MapInterface, MapNamespace, MapService } from '../../../lab-runner/wire/network.ts';
import { nsId } from '../../../lab-runner/wire/network.ts';

export type BoxKind = 'node' | 'netns' | 'iface' | 'service' | 'lan';

export interface Box {
  id: string;
  kind: BoxKind;
  parent?: string;
  width: number;
  height: number;
  iface?: MapInterface;
  ns?: MapNamespace;
  service?: MapService;
  label: string;
  /** Node boxes: why the node could not be read. */
  error?: string;
}

export type LineKind = 'veth' | 'bridge-port' | 'tunnel' | 'lan' | 'service';

export interface Line {
  id: string;
  kind: LineKind;
  source: string;
  target: string;
  label?: string;
}

export interface MapGraph {
  boxes: Box[];
  lines: Line[];
}

export const IFACE_W = 168;
export const IFACE_H = 46;
const SERVICE_W = 180;
const SERVICE_H = 46;
const LAN_W = 150;
const LAN_H = 40;

const byId = <T extends { id: string }>(a: T, b: T) => a.id.localeCompare(b.id);

export function toGraph(map: LabMap, opts: { showLoopback: boolean }): MapGraph {
  const boxes: Box[] = [];
  const lines: Line[] = [];
  const shown = new Set<string>();
  for (const n of [...map.nodes].sort((a, b) => a.name.localeCompare(b.name))) {
    boxes.push({
      id: `node:${n.name}`,
      kind: 'node',
      width: 0,
      height: 0,
      label: n.address ? `${n.name} · ${n.address}` : n.name,
      ...(n.error ? { error: n.error } : {}),
    });
  }
  for (const ns of [...map.namespaces].sort(byId)) {
    if (ns.name === '') continue;
    boxes.push({
      id: `ns:${ns.id}`,
      kind: 'netns',
      parent: `node:${ns.node}`,
      width: 0,
      height: 0,
      ns,
      label: ns.pod ? `${ns.name} · pod ${ns.pod.namespace}/${ns.pod.name}` : `netns ${ns.name}`,
    });
  }
  for (const i of [...map.interfaces].sort(byId)) {
    if (i.kind === 'loopback' && !opts.showLoopback) continue;
    shown.add(i.id);
    boxes.push({
      id: i.id,
      kind: 'iface',
      parent: i.ns === '' ? `node:${i.node}` : `ns:${nsId(i.node, i.ns)}`,
      width: IFACE_W,
      height: IFACE_H,
      iface: i,
      label: i.name,
    });
  }
  const lans = new Set<string>();
  for (const l of [...map.links].sort(byId)) {
    switch (l.kind) {
      case 'veth':
        if (shown.has(l.a) && shown.has(l.b)) lines.push({ id: l.id, kind: 'veth', source: l.a, target: l.b });
        break;
      case 'bridge-port':
        if (shown.has(l.port) && shown.has(l.bridge)) lines.push({ id: l.id, kind: 'bridge-port', source: l.port, target: l.bridge });
        break;
      case 'tunnel':
        if (l.to && shown.has(l.to)) {
          const t = map.interfaces.find((i) => i.id === l.from)?.tunnel;
          lines.push({ id: l.id, kind: 'tunnel', source: l.from, target: l.to, label: t?.vni !== undefined ? `VNI ${t.vni}` : t?.kind });
        }
        break;
      case 'lan':
        if (!lans.has(l.network)) {
          lans.add(l.network);
          boxes.push({ id: `lan:${l.network}`, kind: 'lan', width: LAN_W, height: LAN_H, label: `lab network ${l.network}` });
        }
        lines.push({ id: l.id, kind: 'lan', source: l.iface, target: `lan:${l.network}` });
        break;
    }
  }
  // Services: a box per VIP:port on the node whose rules rewrite it, an arrow to each endpoint's interface.
  const owner = new Map<string, string>();
  for (const i of map.interfaces) if (shown.has(i.id)) for (const a of i.addresses) owner.set(a.split('/')[0]!, i.id);
  for (const s of [...map.services].sort(byId)) {
    const parent = map.nodes.some((n) => n.name === s.node) ? `node:${s.node}` : undefined;
    const id = `svc:${s.id}`;
    boxes.push({
      id,
      kind: 'service',
      ...(parent ? { parent } : {}),
      width: SERVICE_W,
      height: SERVICE_H,
      service: s,
      label: `${s.vip}${s.port ? `:${s.port}` : ''}`,
    });
    s.endpoints.forEach((e, n) => {
      const target = owner.get(e.address);
      if (target) lines.push({ id: `${id}>${n}`, kind: 'service', source: id, target, label: e.port ? `:${e.port}` : undefined });
    });
  }
  return { boxes, lines };
}

/** Changes when anything the layout depends on changes (boxes, their nesting, lines); not on addresses or states. */
export function structureKey(g: MapGraph): string {
  return JSON.stringify([g.boxes.map((b) => [b.id, b.parent ?? '']), g.lines.map((l) => [l.id, l.source, l.target])]);
}
