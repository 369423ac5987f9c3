// A lab network: a private bridge per lab. Without egress it is "internal" (no route out of the machine) and the
// bridge has no IPv4 address of its own (inhibit_ipv4), so nodes cannot reach the host either: the lab's nodes
// are all there is. With egress it is an ordinary NATed bridge (an explicit per-template choice).
import type { NetworkSpec } from '../runtime/container-runtime.ts';
import { labNetworkName } from './node-container-spec.ts';

export function labNetworkSpec(i: { labId: string; name: string; egress: boolean; labels: Record<string, string>; subnet?: string }): NetworkSpec {
  return {
    name: labNetworkName(i.labId, i.name),
    internal: !i.egress,
    labels: i.labels,
    subnet: i.subnet,
    driverOptions: i.egress ? {} : { 'com.docker.network.bridge.inhibit_ipv4': 'true' },
  };
}
