// A lab network: a private bridge per lab. Without egress it is "internal" (no route out of the machine) and the
// bridge has no IPv4 address of its own (inhibit_ipv4), so nodes cannot reach the host either: the lab's nodes
// are all there is. With egress it is an ordinary NATed bridge (an explicit per-template choice).
// Every lab bridge gets a predictable Linux name (labBridgeName) so the host agent can name it in the one
// firewall rule that lets routed traffic (pod ranges) cross it: see lab-runner/host-agent/.
import { createHash } from 'node:crypto';
import { LAB_BRIDGE_PREFIX } from '../host-agent/bridge-rules.ts';
import type { NetworkSpec } from '../runtime/container-runtime.ts';
import { labNetworkName } from './node-container-spec.ts';

/** Linux interface names are at most 15 bytes (IFNAMSIZ - 1). */
export const MAX_BRIDGE_NAME = 15;

/**
 * The Linux bridge behind a lab network: "pw-" + the lab id's 8 random characters + "-" + the network's position in
 * the sandbox ("pw-k3m9x2qa-0"). Ids that are not "lab-xxxxxxxx" (tests, tools) use 8 hex digits of their hash.
 */
export function labBridgeName(labId: string, index: number): string {
  if (!Number.isInteger(index) || index < 0 || index > 99) throw new Error(`network index ${index} must be an integer from 0 to 99`);
  const m = /^lab-([a-z0-9]{8})$/.exec(labId);
  const key = m ? m[1]! : createHash('sha256').update(labId).digest('hex').slice(0, 8);
  return `${LAB_BRIDGE_PREFIX}${key}-${index}`;
}

export function labNetworkSpec(i: {
  labId: string;
  name: string;
  egress: boolean;
  labels: Record<string, string>;
  subnet?: string;
  /** Position of the network in the sandbox's `networks` (0 for the first); part of the bridge name. */
  index?: number;
}): NetworkSpec {
  return {
    name: labNetworkName(i.labId, i.name),
    internal: !i.egress,
    labels: i.labels,
    subnet: i.subnet,
    driverOptions: {
      'com.docker.network.bridge.name': labBridgeName(i.labId, i.index ?? 0),
      ...(i.egress ? {} : { 'com.docker.network.bridge.inhibit_ipv4': 'true' }),
    },
  };
}
