// zod schemas for the structured output the collector reads. Loose objects: iproute2 and nft add fields between
// versions, and the map needs only these; anything missing that the map relies on fails validation of that section
// (reported on the map as "could not read …"), never a crash.
import { z } from 'zod';

const addrInfo = z.looseObject({
  family: z.string(),
  local: z.string(),
  prefixlen: z.number().int(),
});

const linkInfo = z.looseObject({
  info_kind: z.string().optional(),
  info_data: z.record(z.string(), z.unknown()).optional(),
  info_slave_kind: z.string().optional(),
});

/** One entry of `ip -j -d addr show`: the link and its addresses. */
export const ipLink = z.looseObject({
  ifindex: z.number().int(),
  ifname: z.string(),
  flags: z.array(z.string()).default([]),
  mtu: z.number().int().optional(),
  qdisc: z.string().optional(),
  operstate: z.string().optional(),
  link_type: z.string().optional(),
  address: z.string().optional(),
  master: z.string().optional(),
  /** The peer's ifindex (veth) or the lower device's (vlan, macvlan) when it lives in another namespace or was given by index. */
  link_index: z.number().int().optional(),
  /** The peer's name when it is in the same namespace. */
  link: z.string().nullable().optional(),
  /** The namespace (as numbered in this namespace) of the peer / lower device. */
  link_netnsid: z.number().int().optional(),
  linkinfo: linkInfo.optional(),
  addr_info: z.array(addrInfo).default([]),
});
export type IpLink = z.infer<typeof ipLink>;

export const ipRoute = z.looseObject({
  type: z.string().optional(),
  dst: z.string(),
  gateway: z.string().optional(),
  dev: z.string().optional(),
  protocol: z.string().optional(),
  scope: z.string().optional(),
  prefsrc: z.string().optional(),
  metric: z.number().optional(),
});
export type IpRoute = z.infer<typeof ipRoute>;

export const netnsList = z.array(z.looseObject({ name: z.string(), id: z.number().int().optional() }));

export const bridgeLinks = z.array(
  z.looseObject({ ifindex: z.number().int(), ifname: z.string(), master: z.string().optional(), state: z.string().optional() }),
);

export const bridgeVlans = z.array(
  z.looseObject({
    ifname: z.string(),
    vlans: z.array(z.looseObject({ vlan: z.number().int(), flags: z.array(z.string()).optional(), vlanEnd: z.number().int().optional() })).default([]),
  }),
);

export const qdiscs = z.array(
  z.looseObject({
    kind: z.string(),
    handle: z.string().optional(),
    dev: z.string(),
    root: z.boolean().optional(),
    parent: z.string().optional(),
    options: z.record(z.string(), z.unknown()).optional(),
  }),
);
export type Qdisc = z.infer<typeof qdiscs>[number];

/** `nft -j list ruleset`: an array of one-key objects (metainfo, table, chain, rule, set, map…). */
export const nftRuleset = z.object({ nftables: z.array(z.record(z.string(), z.unknown())) });

export const nftRule = z.looseObject({
  family: z.string(),
  table: z.string(),
  chain: z.string(),
  handle: z.number().optional(),
  comment: z.string().optional(),
  expr: z.array(z.record(z.string(), z.unknown())).default([]),
});
export type NftRule = z.infer<typeof nftRule>;
