// Steps "network", "create nodes" and "kubeadm config": the cluster's network, its node containers up to systemd's
// multi-user target, and each node's kubeadm configuration.
import { ProvisionError } from '../../errors.ts';
import { allSettledOrThrow } from '../../util/all-settled-or-throw.ts';
import { isPortTaken, pinFreeHostPorts } from '../api-server-port.ts';
import { dockerHostIsLocal, PreflightError } from '../host-preflight.ts';
import { chooseNetwork, ensureClusterNetwork, kindNetworkSpec } from '../kind-network.ts';
import { renderKubeadmConfig } from '../kubeadm-config.ts';
import { nodeContainerSpec } from '../node-container-spec.ts';
import { runOnNode, writeFileOnNode, type NodeRef } from '../node-exec.ts';
import { kubeadmApiVersionFor, parseKubernetesVersion } from '../../../course/sandbox/kind/node-images.ts';
import { API_SERVER_INTERNAL_PORT, type PlannedNode } from '../../../course/sandbox/kind/node-plan.ts';
import { PRIVILEGED_FIX } from '../privileged-probe.ts';
import { proxyEnvFor } from '../proxy-env.ts';
import type { HostChecked, KindStart, NetworkReady, NodesConfigured, NodesStarted } from './step-context.ts';

/** kind waits up to 30 s for systemd; exec'ing earlier breaks the cgroup v2 kubelet setup. */
export const SYSTEMD_READY = /Reached target .*Multi-User System.*|detected cgroup v1/;

/** What runc says when the engine may not grant a privileged container its capabilities or devices. */
const PRIVILEGED_REFUSED = /unable to apply caps|privileged mode is disabled/i;

export async function createNetwork(c: KindStart): Promise<NetworkReady> {
  const choice = chooseNetwork(c.o.networkMode, c.clusterName, c.o.env);
  // kind copies the default bridge's MTU (hosts behind a VPN or on a cloud with MTU < 1500).
  const mtu = (await c.runtime.inspectNetwork('bridge').catch(() => undefined))?.mtu;
  const spec = kindNetworkSpec({ choice, clusterName: c.clusterName, labLabels: c.req.labLabels, internal: c.o.internalNetwork, mtu });
  const info = await ensureClusterNetwork(c.runtime, spec, choice, c.req.labId);
  return { network: { id: info.id, name: info.name, subnet: info.subnet, removeOnTeardown: choice.removeOnTeardown } };
}

/** All nodes at once, as kind does: the slowest node, not the sum, sets the pace. Each waits for systemd (`systemdTimeoutMs`). */
export async function createNodes(c: KindStart & HostChecked & NetworkReady, systemdTimeoutMs: number): Promise<NodesStarted> {
  const { cfg, o, network } = c;
  const proxyEnv = proxyEnvFor({
    hostEnv: o.env,
    networkSubnets: network.subnet ? [network.subnet] : [],
    podSubnet: cfg.networking.podSubnet,
    serviceSubnet: cfg.networking.serviceSubnet,
    nodeNames: c.plan.map((n) => n.name),
  });
  const engineIsLocal = dockerHostIsLocal(o.env);
  const refs = await allSettledOrThrow(
    c.plan.map(async (node) =>
      createNode(c, node, systemdTimeoutMs, async () => {
        const spec = nodeContainerSpec(node, {
          clusterName: c.clusterName,
          network: network.name,
          labLabels: c.req.labLabels,
          proxyEnv,
          apiServerAddress: cfg.networking.apiServerAddress,
          apiServerHostPort: '',
          privileged: o.privileged,
          runtime: o.containerRuntime,
          mountHostModules: o.mountHostModules,
          containerdSnapshotter: o.env.KIND_EXPERIMENTAL_CONTAINERD_SNAPSHOTTER,
          host: c.host,
        });
        // Host ports are chosen here, as kind does, so published ports survive a dockerd restart (an internal
        // network publishes nothing).
        return o.internalNetwork ? spec : { ...spec, portBindings: await pinFreeHostPorts(spec.portBindings ?? [], engineIsLocal) };
      }),
    ),
  );
  return { refs };
}

/** Creates and starts a node; when a chosen host port was taken meanwhile, other ports are chosen (at most 3 tries). */
async function createNode(
  c: KindStart,
  node: PlannedNode,
  systemdTimeoutMs: number,
  makeSpec: () => Promise<ReturnType<typeof nodeContainerSpec>>,
): Promise<NodeRef> {
  let id = '';
  for (let attempt = 1; ; attempt++) {
    const spec = await makeSpec();
    ({ id } = await c.runtime.createContainer(spec));
    try {
      await c.runtime.startContainer(id);
      break;
    } catch (e) {
      const message = (e as Error).message;
      // A host that refuses --privileged fails every kind node the same way: say so as the host's state, with the fix.
      if (c.o.privileged && PRIVILEGED_REFUSED.test(message)) {
        throw new PreflightError([
          { name: 'Privileged containers', status: 'fail', detail: `--privileged refused: ${message.split('\n')[0]}`, fix: PRIVILEGED_FIX },
        ]);
      }
      if (attempt >= 3 || !isPortTaken(message)) throw e;
      await c.runtime.removeContainer(id);
    }
  }
  try {
    await c.runtime.waitForLog(id, SYSTEMD_READY, systemdTimeoutMs);
  } catch (e) {
    throw new ProvisionError(
      'create nodes',
      `${node.name} did not reach systemd's multi-user target within ${systemdTimeoutMs / 1000} s`,
      (e as Error).message,
      e,
    );
  }
  return { id, name: node.name };
}

/** Reads each node's Kubernetes version and address, and writes its /kind/kubeadm.conf. */
export async function writeKubeadmConfigs(c: KindStart & HostChecked & NetworkReady & NodesStarted): Promise<NodesConfigured> {
  const { cfg, network } = c;
  const nodes = await Promise.all(
    c.plan.map(async (p, i) => {
      const ref = c.refs[i]!;
      const versionText = (await runOnNode(c.nodeCtx, ref, 'kubeadm config', ['cat', '/kind/version'])).stdout.trim();
      const version = parseKubernetesVersion(versionText);
      if (!version) throw new ProvisionError('kubeadm config', `${ref.name}: /kind/version holds "${versionText}", not a Kubernetes version`);
      const info = await c.runtime.inspectContainer(ref.id);
      const ipv4 = info?.ipv4[network.name];
      if (!ipv4) throw new ProvisionError('kubeadm config', `${ref.name} has no IPv4 address on network ${network.name}`);
      const config = renderKubeadmConfig({
        apiVersion: kubeadmApiVersionFor(version),
        kubernetesVersion: version.text,
        clusterName: c.clusterName,
        controlPlaneEndpoint: `${c.cpPlan.name}:${API_SERVER_INTERNAL_PORT}`,
        apiServerAddress: cfg.networking.apiServerAddress,
        apiBindPort: API_SERVER_INTERNAL_PORT,
        nodeName: p.name,
        nodeAddress: ipv4,
        controlPlane: p.role === 'control-plane',
        nodeLabels: p.config.labels ?? {},
        podSubnet: cfg.networking.podSubnet,
        serviceSubnet: cfg.networking.serviceSubnet,
        kubeProxyMode: cfg.networking.kubeProxyMode,
        patches: [...cfg.kubeadmConfigPatches, ...(p.config.kubeadmConfigPatches ?? [])],
        rootless: c.host.rootless,
      });
      await writeFileOnNode(c.nodeCtx, ref, 'kubeadm config', '/kind/kubeadm.conf', config);
      return { ...ref, suffix: p.suffix, role: p.role, ipv4, version: version.text };
    }),
  );
  const controlPlane = nodes.find((n) => n.name === c.cpPlan.name)!;
  return { nodes, controlPlane, kubernetesVersion: controlPlane.version };
}
