// The Docker network a cluster's nodes (and its jumpbox) live on.
// kind puts every cluster on one shared bridge network named "kind" (or $KIND_EXPERIMENTAL_DOCKER_NETWORK).
// That is right on a learner's own laptop, but on a shared host every learner's nodes could reach every other
// learner's nodes and API servers. packetwalk therefore defaults to one network per cluster; the kind CLI
// still works on such clusters because `kind get clusters`, `export kubeconfig`, `load` and `delete` find
// nodes by label, never by network (only `kind create` reads the network name). See docs/kind.md.
import { isNetworkOverlap } from '../runtime/network-overlap.ts';
import { LabRunnerError } from '../errors.ts';
import { Labels } from '../labels.ts';
import type { ContainerRuntime, NetworkInfo, NetworkSpec } from '../runtime/container-runtime.ts';
import { jitteredBackoff, linearBackoff } from '../util/backoff.ts';
import { done, notYet, pollUntil } from '../util/poll-until.ts';
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

/** Docker's words for two creates racing for the same subnet (kind retries on these): runtime/network-overlap.ts. */
export const isPoolOverlap = isNetworkOverlap;

export interface EnsureNetworkOptions {
  /** Attempts at creating before giving up on pool overlaps (kind makes 5). */
  attempts?: number;
  /** Pause between attempts, ms (jittered so two racing labs do not collide again). */
  pauseMs?: number;
}

/**
 * Creates the cluster's network, or finds it: a shared network another lab created first (also when two labs
 * race and one gets 409), or a per-cluster network of this very lab left by an interrupted attempt. Pool overlaps
 * from concurrent creates are retried, as kind does.
 */
export async function ensureClusterNetwork(
  runtime: ContainerRuntime,
  spec: NetworkSpec,
  choice: KindNetworkChoice,
  labId: string | undefined,
  o: EnsureNetworkOptions = {},
): Promise<NetworkInfo> {
  const attempts = o.attempts ?? 5;
  const pauseMs = o.pauseMs ?? 250;
  const reusable = (n: NetworkInfo | undefined) =>
    n && (choice.mode === 'shared' || (labId !== undefined && n.labels[Labels.labId] === labId)) ? n : undefined;
  return pollUntil(
    async () => {
      if (choice.mode === 'shared') {
        const existing = await runtime.inspectNetwork(choice.name);
        if (existing) return done(existing);
      }
      try {
        return done(await runtime.createNetwork(spec));
      } catch (e) {
        const conflict = e instanceof LabRunnerError && e.code === 'name-conflict';
        if (conflict) {
          const found = reusable(await runtime.inspectNetwork(choice.name));
          if (found) return done(found);
          throw e;
        }
        if (!isPoolOverlap((e as Error).message)) throw e;
        // Another process may have created the very network meanwhile.
        const found = reusable(await runtime.inspectNetwork(choice.name));
        if (found) return done(found);
        return notYet((e as Error).message, e);
      }
    },
    {
      what: `network ${choice.name}`,
      maxAttempts: attempts,
      // Jittered, so that two racing labs do not collide again.
      backoff: jitteredBackoff(linearBackoff(pauseMs)),
      giveUp: (g) =>
        new LabRunnerError(
          'capacity',
          `Could not create network ${choice.name}: the subnet Docker chose kept overlapping another network after ${attempts} attempts (${g.detail})`,
          { cause: g.cause },
        ),
    },
  );
}
