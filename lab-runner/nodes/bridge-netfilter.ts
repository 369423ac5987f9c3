// br_netfilter on the Docker host. Bare-node labs stand in for Kubernetes nodes, and Kubernetes needs bridged
// traffic to pass through iptables (kubeadm's preflight refuses a node without it); the pod-to-pod lesson shows a
// FORWARD policy dropping frames that a bridge switches. Both need the br_netfilter module, which adds
// net.bridge.bridge-nf-call-* to every network namespace. Docker up to 27 loaded it whenever it set up a bridge
// network. Docker 28 loads it only for a bridge network with inter-container traffic off (icc=false) or when the
// userland proxy is off (moby's bridge driver, setup_bridgenetfiltering.go), so on a stock Docker 28/29 host it is
// usually absent and `sysctl net.bridge.bridge-nf-call-iptables` fails inside a node.
//
// packetwalk runs without root on the host, so it asks Docker to load the module the way Docker itself does: it
// creates a bridge network with com.docker.network.bridge.enable_icc=false and removes it at once (the module stays
// loaded until the host reboots). Where Docker cannot load modules (rootless Docker, a kernel without the module),
// one warning says how to load it by hand. Checked once per process, from inside a lab node; never throws.
import { existsSync } from 'node:fs';
import { createLogger } from '../../lib/log.ts';
import type { CheckResult } from '../kind/host-preflight.ts';
import { Labels } from '../labels.ts';
import type { ContainerRuntime } from '../runtime/container-runtime.ts';

const log = createLogger('nodes');

/** Present in every network namespace exactly when br_netfilter is loaded (kernel 5.3 and later). */
export const BRIDGE_NF_SYSCTL = '/proc/sys/net/bridge/bridge-nf-call-iptables';
/** The network that makes Docker load the module; it exists for a moment only. */
export const BRIDGE_NF_NETWORK = 'packetwalk-br-netfilter';
export const BRIDGE_NF_FIX = 'on the Docker host: sudo modprobe br_netfilter, and add br_netfilter to /etc/modules-load.d/ to keep it after a reboot';
const RETRY_AFTER_MS = 60_000;

export type BridgeNetfilterState =
  /** host: it was loaded already; docker: packetwalk had Docker load it. */
  { kind: 'loaded'; by: 'host' | 'docker' } | { kind: 'missing'; reason: string };

export class BridgeNetfilter {
  /** The last answer and until when it holds: for good once loaded, a minute when missing. */
  private known?: { state: BridgeNetfilterState; until: number };
  private pending?: Promise<BridgeNetfilterState>;
  private warned = false;

  private readonly rt: ContainerRuntime;

  constructor(runtime: ContainerRuntime) {
    this.rt = runtime;
  }

  /** Makes sure the module is loaded, looking from inside a running container (any lab node). */
  ensure(containerId: string): Promise<BridgeNetfilterState> {
    if (this.known && Date.now() < this.known.until) return Promise.resolve(this.known.state);
    this.pending ??= this.check(containerId).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async check(containerId: string): Promise<BridgeNetfilterState> {
    try {
      if (await this.present(containerId)) return this.noteLoaded('host');
      await this.askDocker();
      if (await this.present(containerId)) {
        log.info('br_netfilter was not loaded on the Docker host; Docker loaded it for a network with inter-container traffic off', {
          network: BRIDGE_NF_NETWORK,
        });
        return this.noteLoaded('docker');
      }
      return this.noteMissing('Docker made a network with inter-container traffic off and still did not load it');
    } catch (err) {
      return this.noteMissing((err as Error).message);
    }
  }

  private async present(containerId: string): Promise<boolean> {
    const r = await this.rt.exec(containerId, { cmd: ['test', '-e', BRIDGE_NF_SYSCTL], timeoutMs: 15_000 });
    return r.exitCode === 0;
  }

  private async askDocker(): Promise<void> {
    // A network left by a process that died between the two calls below would make the create fail.
    await this.rt.removeNetwork(BRIDGE_NF_NETWORK);
    const net = await this.rt.createNetwork({
      name: BRIDGE_NF_NETWORK,
      internal: true,
      labels: { [Labels.managed]: 'true', [Labels.createdBy]: `${process.env.HOSTNAME ?? 'host'}:${process.pid}` },
      driverOptions: { 'com.docker.network.bridge.enable_icc': 'false' },
    });
    await this.rt.removeNetwork(net.id);
  }

  private noteLoaded(by: 'host' | 'docker'): BridgeNetfilterState {
    this.known = { state: { kind: 'loaded', by }, until: Infinity };
    return this.known.state;
  }

  private noteMissing(reason: string): BridgeNetfilterState {
    const state: BridgeNetfilterState = { kind: 'missing', reason };
    this.known = { state, until: Date.now() + RETRY_AFTER_MS };
    if (!this.warned) {
      this.warned = true;
      log.warn(
        `br_netfilter is not loaded on the Docker host and Docker could not load it (${reason.replace(/\.$/, '')}). Labs still start, but ` +
          `net.bridge.bridge-nf-call-iptables does not exist in their nodes, so lessons that filter bridged traffic fail their setup. Fix: ${BRIDGE_NF_FIX}.`,
      );
    }
    return state;
  }
}

const shared = new WeakMap<ContainerRuntime, BridgeNetfilter>();

/** One per runtime: every provisioner on a Docker host checks (and loads) the module once. */
export function bridgeNetfilterFor(runtime: ContainerRuntime): BridgeNetfilter {
  let b = shared.get(runtime);
  if (!b) shared.set(runtime, (b = new BridgeNetfilter(runtime)));
  return b;
}

/** npm run doctor's line, read from this machine's /proc: doctor runs on the Docker host, as its kernel checks do. */
export function bridgeNetfilterCheck(sysctl = BRIDGE_NF_SYSCTL): CheckResult {
  if (existsSync(sysctl))
    return { name: 'Bridge netfilter', status: 'ok', detail: 'br_netfilter is loaded: lab nodes have net.bridge.bridge-nf-call-iptables' };
  return {
    name: 'Bridge netfilter',
    status: 'warn',
    detail:
      'br_netfilter is not loaded (Docker 28 and later load it only for a network with inter-container traffic off); the first bare-node lab asks ' +
      'Docker to load it that way, which needs a rootful Docker',
    fix: `If the server then warns that it could not: ${BRIDGE_NF_FIX}.`,
  };
}
