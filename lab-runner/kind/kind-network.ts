// The Docker network a cluster's nodes (and its jumpbox) live on.
// kind puts every cluster on one shared bridge network named "kind" (or $KIND_EXPERIMENTAL_DOCKER_NETWORK).
// That is right on a learner's own laptop, but on a shared host every learner's nodes could reach every other
// learner's nodes and API servers. packetwalk therefore defaults to one network per cluster; the kind CLI
// still works on such clusters because `kind get clusters`, `export kubeconfig`, `load` and `delete` find
// nodes by label, never by network (only `kind create` reads the network name). See docs/kind.md.
import type { NetworkSpec } from '../runtime/container-runtime.ts';
import { KindLabels } from './kind-labels.ts';

export type KindNetworkMode = 'per-cluster' | 'shared';

export interface KindNetworkChoice {
  mode: KindNetworkMode;
  name: string;
  /** A shared network outlives any one cluster; only per-cluster networks are removed on teardown. */
  removeOnTeardown: boolean;
}

/** The shared "kind" network unless KIND_EXPERIMENTAL_DOCKER_NETWORK names another, as kind does. */
export function sharedKindNetworkName(env: Record<string, string | undefined>): string {
  return env.KIND_EXPERIMENTAL_DOCKER_NETWORK || 'kind';
}

export function chooseNetwork(mode: KindNetworkMode, clusterName: string, env: Record<string, string | undefined>): KindNetworkChoice {
  if (mode === 'shared') return { mode, name: sharedKindNetworkName(env), removeOnTeardown: false };
  return { mode, name: `${clusterName}-net`, removeOnTeardown: true };
}

export interface KindNetworkSpecInput {
  choice: KindNetworkChoice;
  clusterName: string;
  /** Lab labels for a per-cluster network (the reaper prunes by them). kind's shared network carries none. */
  labLabels: Record<string, string>;
  /** No route off the host (tests; classrooms that must not reach the internet). Port publishing needs false. */
  internal: boolean;
  /** MTU of Docker's default bridge network, copied when set (kind does this for hosts with a small MTU). */
  mtu?: number;
}

export function kindNetworkSpec(i: KindNetworkSpecInput): NetworkSpec {
  return {
    name: i.choice.name,
    internal: i.internal,
    labels: i.choice.mode === 'per-cluster' ? { ...i.labLabels, [KindLabels.cluster]: i.clusterName } : {},
    driverOptions: { 'com.docker.network.bridge.enable_ip_masquerade': 'true' },
    ...(i.mtu ? { mtu: i.mtu } : {}),
  };
}
