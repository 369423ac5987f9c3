// Creates a kind cluster through the ContainerRuntime, step for step as `kind create cluster` does, so the
// result is a real kind cluster (`kind get clusters`, `kind export kubeconfig`, `kind load`, `kind delete` work).
// Each step reports progress; a failed step tears everything down (unless retain) and the error names the step
// and shows the tail of its output.
import { createLogger } from '../../lib/log.ts';
import { ProvisionError, LabRunnerError } from '../errors.ts';
import type { ProvisionProgress } from '../lab/lab.ts';
import type { ContainerRuntime } from '../runtime/container-runtime.ts';
import { teardownCluster } from './cluster-teardown.ts';
import { prepareDefaultCni, CNI_MANIFEST_PATH } from './default-cni.ts';
import { storageManifest, STORAGE_MANIFEST_PATH } from './default-storage.ts';
import { isPortTaken, pinFreeHostPorts } from './api-server-port.ts';
import { PRIVILEGED_FIX } from './privileged-probe.ts';
import { dockerHostIsLocal, engineWithFilesystem, evaluatePreflight, gatherHostFacts, PreflightError } from './host-preflight.ts';
import { hostAdaptations, NO_ADAPTATIONS, type HostAdaptations } from './host-adaptations.ts';
import { preloadWorkloadImages, type PreloadOutcome } from './preload.ts';
import { copyKubectl, JUMPBOX_IMAGE, jumpboxContainerSpec, writeJumpboxKubeconfig } from './jumpbox.ts';
import type { KindTemplate } from '../../course/sandbox/kind/kind-sandbox-schema.ts';
import { chooseNetwork, ensureClusterNetwork, kindNetworkSpec, type KindNetworkMode } from './kind-network.ts';
import { ADMIN_CONF_PATH, kubeconfigsFor, type ClusterKubeconfigs } from './kubeconfig.ts';
import { renderKubeadmConfig } from './kubeadm-config.ts';
import { ensureLearnerAccount, issueLearnerToken, tokenKubeconfig } from './learner-credentials.ts';
import { nodeContainerSpec } from './node-container-spec.ts';
import { startToolbox, TOOLBOX_IMAGE, toolboxContainerSpec } from './node-toolbox.ts';
import { readFileOnNode, runOnNode, writeFileOnNode, type NodeExecContext, type NodeRef } from './node-exec.ts';
import { kubeadmApiVersionFor, kubernetesVersionOfImage, parseKubernetesVersion } from '../../course/sandbox/kind/node-images.ts';
import { API_SERVER_INTERNAL_PORT, controlPlaneOf, internalApiEndpoint, planNodes, type PlannedNode } from '../../course/sandbox/kind/node-plan.ts';
import { PROVISION_STEPS, type ProvisionStepId } from './provision-steps.ts';
import { proxyEnvFor } from './proxy-env.ts';
import { copySandboxFiles } from './copy-sandbox-files.ts';
import { waitForNodesReady } from './wait-for-ready.ts';
import type { EngineInfo } from '../runtime/container-runtime.ts';

export { waitForNodesReady } from './wait-for-ready.ts';

const log = createLogger('kind');

/** kind waits up to 30 s for systemd; exec'ing earlier breaks the cgroup v2 kubelet setup. */
export const SYSTEMD_READY = /Reached target .*Multi-User System.*|detected cgroup v1/;

export interface KindProvisionOptions {
  /** per-cluster (default, isolates learners) or kind's shared network. */
  networkMode: KindNetworkMode;
  /** Internal network: nothing leaves the host (tests). The published API port then does not work. */
  internalNetwork: boolean;
  /** kind nodes are privileged; false with Sysbox, and for the stand-in image in tests. */
  privileged: boolean;
  /** HostConfig.Runtime for nodes (LAB_RUNTIME), e.g. sysbox-runc. */
  containerRuntime?: string;
  mountHostModules: boolean;
  /** Keep containers after a failure, for debugging (kind --retain). */
  retain: boolean;
  /** Run the host checks (doctor) first. */
  preflight: boolean;
  /** Pull a missing node image (needs a registry). When false a missing image fails the step with advice. */
  allowPull: boolean;
  systemdTimeoutMs: number;
  /** Nodes not Ready after this long: a warning, and the wait goes on (a slow host is not a failed cluster). */
  readyTimeoutMs: number;
  /** Nodes not Ready after this long: the cluster has failed and is torn down. */
  readyGiveUpMs: number;
  /**
   * Safety net for one kubeadm init/join. kind sets none; kubeadm's own timeouts (4-5 min per phase) end a real
   * failure first, so this only stops a hung exec.
   */
  kubeadmTimeoutMs: number;
  startJumpbox: boolean;
  /** Start the template's toolbox targets (node1 → a packetwalk/node container in kind-worker's network namespace). */
  startToolboxes: boolean;
  /** Seconds the learner's token stays valid (lab lifetime). */
  credentialsValidForSeconds: number;
  env: Record<string, string | undefined>;
}

export const DEFAULT_KIND_OPTIONS: KindProvisionOptions = {
  networkMode: 'per-cluster',
  internalNetwork: false,
  privileged: true,
  mountHostModules: true,
  retain: false,
  preflight: true,
  allowPull: true,
  systemdTimeoutMs: 30_000,
  readyTimeoutMs: 300_000,
  readyGiveUpMs: 20 * 60_000,
  kubeadmTimeoutMs: 30 * 60_000,
  startJumpbox: true,
  startToolboxes: true,
  credentialsValidForSeconds: 4 * 3600,
  env: process.env,
};

/** The host port a container port is published on; ContainerInfo.hostPorts holds "hostIp:hostPort" ("" when unpublished). */
export function publishedPort(hostPorts: Record<string, string> | undefined, containerPort: string): string {
  const binding = hostPorts?.[containerPort];
  return binding ? (binding.split(':').pop() ?? '') : '';
}

/** Node and jumpbox options for an isolating runtime: Sysbox runs kind nodes without --privileged. */
export function optionsForLabRuntime(labRuntime: string | undefined): Pick<KindProvisionOptions, 'containerRuntime' | 'privileged'> {
  if (!labRuntime || labRuntime === 'runc') return { privileged: true };
  return { containerRuntime: labRuntime, privileged: !labRuntime.startsWith('sysbox') };
}

export interface ProvisionKindRequest {
  runtime: ContainerRuntime;
  labId: string;
  clusterName: string;
  /** io.packetwalk.* labels of the lab (labLabels()). */
  labLabels: Record<string, string>;
  template: KindTemplate;
  options?: Partial<KindProvisionOptions>;
  onProgress?: (p: ProvisionProgress) => void;
  /** Sub-step detail lines (pull progress, image sizes), for a log pane under the progress bar. */
  onDetail?: (line: string) => void;
  /** Aborted when the lab is destroyed mid-provisioning: stop before the next step. */
  signal?: AbortSignal;
}

export interface ProvisionedNode extends NodeRef {
  suffix: string;
  role: PlannedNode['role'];
  ipv4: string;
}

export interface KindCluster {
  labId: string;
  clusterName: string;
  kubernetesVersion: string;
  network: { id: string; name: string; removeOnTeardown: boolean };
  nodes: ProvisionedNode[];
  controlPlane: ProvisionedNode;
  jumpbox?: NodeRef & { ipv4?: string };
  /** One per toolbox target: `target` (node1) → container sharing node `node`'s (worker) network namespace. */
  toolboxes: (NodeRef & { target: string; node: string })[];
  apiServer: { hostAddress: string; hostPort: string; internalEndpoint: string };
  kubeconfig: ClusterKubeconfigs;
  /** ms per step, for benchmarks and logs. */
  timings: Partial<Record<ProvisionStepId, number>>;
  /** What was changed for this Docker host (rootless, userns-remap, /dev/mapper). */
  host?: HostAdaptations;
  /** Workload images loaded, and those that were not (with how to get them): never a reason to fail. */
  preload?: PreloadOutcome;
  /** Every warning shown while creating (preflight, slow nodes, preload), for reports. */
  warnings?: string[];
}

class StepRunner {
  readonly timings: Partial<Record<ProvisionStepId, number>> = {};
  private readonly onProgress?: (p: ProvisionProgress) => void;
  private readonly signal?: AbortSignal;
  constructor(onProgress?: (p: ProvisionProgress) => void, signal?: AbortSignal) {
    this.onProgress = onProgress;
    this.signal = signal;
  }
  async run<T>(id: ProvisionStepId, fn: () => Promise<T>, label?: string): Promise<T> {
    const index = PROVISION_STEPS.findIndex((s) => s.id === id);
    const step = PROVISION_STEPS[index]!;
    if (this.signal?.aborted) throw new ProvisionError(id, 'the lab was destroyed while it was being created');
    this.onProgress?.({ step: index + 1, totalSteps: PROVISION_STEPS.length, label: `${label ?? step.label}…` });
    const t0 = performance.now();
    try {
      return await fn();
    } catch (e) {
      if (e instanceof ProvisionError || e instanceof PreflightError) throw e;
      const err = e as Error;
      throw new ProvisionError(id, err.message, undefined, e);
    } finally {
      this.timings[id] = Math.round(performance.now() - t0);
    }
  }
}

async function ensureNodeImage(req: ProvisionKindRequest, o: KindProvisionOptions, images: string[]): Promise<void> {
  for (const image of images) {
    if (await req.runtime.inspectImage(image)) continue;
    if (!o.allowPull) {
      throw new ProvisionError('node image', `node image ${image} is not on the Docker host and pulling is disabled; run "docker pull ${image}" where a registry is reachable, then "docker save"/"docker load" it here`);
    }
    // Warn before a long download: a first pull of kindest/node is about 1 GB.
    req.onDetail?.(`Pulling ${image} — about 1 GB on first use; later labs start from the local copy.`);
    let lastError: unknown;
    // kind retries a failed pull 4 more times, sleeping 1, 2, 3, 4 s.
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await req.runtime.pullImage(image, (line) => req.onDetail?.(line));
        lastError = undefined;
        break;
      } catch (e) {
        lastError = e;
        if (attempt < 4) await new Promise((r) => setTimeout(r, (attempt + 1) * 1000));
      }
    }
    if (lastError) throw new ProvisionError('node image', `could not pull ${image}: ${(lastError as Error).message}`, undefined, lastError);
  }
}

/** What runc says when the engine may not grant a privileged container its capabilities or devices. */
const PRIVILEGED_REFUSED = /unable to apply caps|privileged mode is disabled/i;

/** Creates and starts a node; when a chosen host port was taken meanwhile, other ports are chosen (at most 3 tries). */
async function createNode(req: ProvisionKindRequest, o: KindProvisionOptions, node: PlannedNode, makeSpec: () => Promise<ReturnType<typeof nodeContainerSpec>>): Promise<NodeRef> {
  let id = '';
  for (let attempt = 1; ; attempt++) {
    const spec = await makeSpec();
    ({ id } = await req.runtime.createContainer(spec));
    try {
      await req.runtime.startContainer(id);
      break;
    } catch (e) {
      const message = (e as Error).message;
      // A host that refuses --privileged fails every kind node the same way: say so as the host's state, with the fix.
      if (o.privileged && PRIVILEGED_REFUSED.test(message)) {
        throw new PreflightError([{ name: 'Privileged containers', status: 'fail', detail: `--privileged refused: ${message.split('\n')[0]}`, fix: PRIVILEGED_FIX }]);
      }
      if (attempt >= 3 || !isPortTaken(message)) throw e;
      await req.runtime.removeContainer(id);
    }
  }
  try {
    await req.runtime.waitForLog(id, SYSTEMD_READY, o.systemdTimeoutMs);
  } catch (e) {
    throw new ProvisionError('create nodes', `${node.name} did not reach systemd's multi-user target within ${o.systemdTimeoutMs / 1000} s`, (e as Error).message, e);
  }
  return { id, name: node.name };
}

/**
 * Promise.all that waits for every promise before rejecting with the first error: a failed sibling must not let
 * teardown run while another branch is still creating containers (which would then outlive the teardown).
 */
async function allSettledOrThrow<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<{ -readonly [K in keyof T]: T[K] }> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: T[K] };
}

/** Provisions a kind cluster; on failure removes everything it created unless options.retain. */
export async function provisionKindCluster(req: ProvisionKindRequest): Promise<KindCluster> {
  const o: KindProvisionOptions = { ...DEFAULT_KIND_OPTIONS, ...req.options };
  const { runtime, template, clusterName } = req;
  const cfg = template.cluster;
  const steps = new StepRunner(req.onProgress, req.signal);
  const plan = planNodes(clusterName, cfg, template.nodeImage);
  const cpPlan = controlPlaneOf(plan);
  const nodeCtx: NodeExecContext = { runtime, privileged: o.privileged };
  const jumpCtx: NodeExecContext = { runtime, privileged: false };
  const imageVersion = kubernetesVersionOfImage(template.nodeImage);
  log.info('creating kind cluster', { lab: req.labId, cluster: clusterName, nodes: plan.length, image: template.nodeImage });
  const warnings: string[] = [];
  const warn = (line: string) => {
    warnings.push(line);
    req.onDetail?.(line);
  };
  const detail = (line: string) => (line.startsWith('warning:') ? warn(line) : req.onDetail?.(line));

  try {
    const engine: EngineInfo | undefined = await steps.run('preflight', async () => {
      if (!o.preflight) return runtime.info().catch(() => undefined);
      const facts = await gatherHostFacts(runtime, o.env);
      const results = evaluatePreflight(facts, { nodeCount: plan.length, kubernetesMinor: imageVersion?.minor ?? 35 });
      for (const r of results.filter((x) => x.status === 'warn')) warn(`warning: ${r.name}: ${r.detail}. ${r.fix ?? ''}`);
      if (results.some((r) => r.status === 'fail')) throw new PreflightError(results);
      return engineWithFilesystem(facts);
    });
    const host = engine ? hostAdaptations(engine) : NO_ADAPTATIONS;

    await steps.run('node image', async () => {
      await ensureNodeImage(req, o, [...new Set(plan.map((n) => n.image))]);
      // packetwalk's own images are built locally, never pulled: say so now, not after kubeadm has run for a minute.
      const helpers = [
        ...(o.startJumpbox ? [template.jumpbox.image ?? JUMPBOX_IMAGE] : []),
        ...(o.startToolboxes && template.targets.some((t) => t.kind === 'toolbox') ? [template.toolbox.image ?? TOOLBOX_IMAGE] : []),
      ];
      for (const image of helpers) {
        if (!(await runtime.inspectImage(image))) throw new ProvisionError('node image', `${image} is not on the Docker host; run "npm run images" to build it`);
      }
    });

    const choice = chooseNetwork(o.networkMode, clusterName, o.env);
    const network = await steps.run('network', async () => {
      // kind copies the default bridge's MTU (hosts behind a VPN or on a cloud with MTU < 1500).
      const mtu = (await runtime.inspectNetwork('bridge').catch(() => undefined))?.mtu;
      const spec = kindNetworkSpec({ choice, clusterName, labLabels: req.labLabels, internal: o.internalNetwork, mtu });
      const info = await ensureClusterNetwork(runtime, spec, choice, req.labId);
      return { id: info.id, name: info.name, subnet: info.subnet, removeOnTeardown: choice.removeOnTeardown };
    });

    const refs = await steps.run('create nodes', async () => {
      const proxyEnv = proxyEnvFor({
        hostEnv: o.env,
        networkSubnets: network.subnet ? [network.subnet] : [],
        podSubnet: cfg.networking.podSubnet,
        serviceSubnet: cfg.networking.serviceSubnet,
        nodeNames: plan.map((n) => n.name),
      });
      // All nodes at once, as kind does: the slowest node, not the sum, sets the pace.
      const engineIsLocal = dockerHostIsLocal(o.env);
      return allSettledOrThrow(
        plan.map(async (node) =>
          createNode(req, o, node, async () => {
            const spec = nodeContainerSpec(node, {
              clusterName,
              network: network.name,
              labLabels: req.labLabels,
              proxyEnv,
              apiServerAddress: cfg.networking.apiServerAddress,
              apiServerHostPort: '',
              privileged: o.privileged,
              runtime: o.containerRuntime,
              mountHostModules: o.mountHostModules,
              containerdSnapshotter: o.env.KIND_EXPERIMENTAL_CONTAINERD_SNAPSHOTTER,
              host,
            });
            // Host ports are chosen here, as kind does, so published ports survive a dockerd restart (an internal
            // network publishes nothing).
            return o.internalNetwork ? spec : { ...spec, portBindings: await pinFreeHostPorts(spec.portBindings ?? [], engineIsLocal) };
          }),
        ),
      );
    });

    const nodes: (ProvisionedNode & { version: string })[] = await steps.run('kubeadm config', () =>
      Promise.all(
        plan.map(async (p, i) => {
          const ref = refs[i]!;
          const versionText = (await runOnNode(nodeCtx, ref, 'kubeadm config', ['cat', '/kind/version'])).stdout.trim();
          const version = parseKubernetesVersion(versionText);
          if (!version) throw new ProvisionError('kubeadm config', `${ref.name}: /kind/version holds "${versionText}", not a Kubernetes version`);
          const info = await runtime.inspectContainer(ref.id);
          const ipv4 = info?.ipv4[network.name];
          if (!ipv4) throw new ProvisionError('kubeadm config', `${ref.name} has no IPv4 address on network ${network.name}`);
          const config = renderKubeadmConfig({
            apiVersion: kubeadmApiVersionFor(version),
            kubernetesVersion: version.text,
            clusterName,
            controlPlaneEndpoint: `${cpPlan.name}:${API_SERVER_INTERNAL_PORT}`,
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
            rootless: host.rootless,
          });
          await writeFileOnNode(nodeCtx, ref, 'kubeadm config', '/kind/kubeadm.conf', config);
          return { ...ref, suffix: p.suffix, role: p.role, ipv4, version: version.text };
        }),
      ),
    );
    const controlPlane = nodes.find((n) => n.name === cpPlan.name)!;
    const kubernetesVersion = controlPlane.version;

    await steps.run('kubeadm init', async () => {
      await runOnNode(nodeCtx, controlPlane, 'kubeadm init', ['kubeadm', 'init', '--config=/kind/kubeadm.conf', '--skip-token-print', '--v=6'], { timeoutMs: o.kubeadmTimeoutMs });
      if (plan.length === 1) {
        // Single node: let workloads schedule on the control plane, as kind does.
        const kubectl = ['kubectl', '--kubeconfig=/etc/kubernetes/admin.conf'];
        await runOnNode(nodeCtx, controlPlane, 'kubeadm init', [...kubectl, 'taint', 'nodes', '--all', 'node-role.kubernetes.io/control-plane-']);
        await runOnNode(nodeCtx, controlPlane, 'kubeadm init', [...kubectl, 'label', 'nodes', '--all', 'node.kubernetes.io/exclude-from-external-load-balancers-']);
      }
    });

    await steps.run(
      'install CNI',
      async () => {
        if (cfg.networking.disableDefaultCNI) return;
        const raw = await readFileOnNode(nodeCtx, controlPlane, 'install CNI', CNI_MANIFEST_PATH, 8 * 1024 * 1024);
        if (raw === undefined) throw new ProvisionError('install CNI', `${CNI_MANIFEST_PATH} is missing from ${controlPlane.name}; is this a kindest/node image?`);
        const manifest = prepareDefaultCni(raw, { podSubnet: cfg.networking.podSubnet, controlPlaneEndpoint: internalApiEndpoint(plan) });
        await runOnNode(nodeCtx, controlPlane, 'install CNI', ['kubectl', 'create', '--kubeconfig=/etc/kubernetes/admin.conf', '-f', '-'], { stdin: manifest, timeoutMs: 120_000 });
      },
      cfg.networking.disableDefaultCNI ? 'Skipping the default CNI (disableDefaultCNI)' : undefined,
    );

    await steps.run('install storage', async () => {
      const fromNode = await readFileOnNode(nodeCtx, controlPlane, 'install storage', STORAGE_MANIFEST_PATH, 8 * 1024 * 1024);
      await runOnNode(nodeCtx, controlPlane, 'install storage', ['kubectl', '--kubeconfig=/etc/kubernetes/admin.conf', 'apply', '-f', '-'], { stdin: storageManifest(fromNode), timeoutMs: 120_000 });
    });

    await steps.run('kubeadm join', async () => {
      // Workers join concurrently (extra control planes would go one by one; packetwalk allows one).
      await Promise.all(
        nodes
          .filter((n) => n.role === 'worker')
          .map((n) => runOnNode(nodeCtx, n, 'kubeadm join', ['kubeadm', 'join', '--config', '/kind/kubeadm.conf', '--v=6'], { timeoutMs: o.kubeadmTimeoutMs })),
      );
    });

    await steps.run(
      'wait for ready',
      // Without a CNI nodes stay NotReady until the learner installs one: wait only for them to register.
      () =>
        waitForNodesReady(nodeCtx, controlPlane, nodes.length, Math.max(o.readyGiveUpMs, o.readyTimeoutMs), !cfg.networking.disableDefaultCNI, {
          warnAfterMs: o.readyTimeoutMs,
          onWarn: warn,
        }),
      cfg.networking.disableDefaultCNI ? 'Waiting for nodes to register (no CNI yet)' : undefined,
    );

    const { adminConf, kubeconfig, hostPort } = await steps.run('kubeconfig', async () => {
      const adminConf = await readFileOnNode(nodeCtx, controlPlane, 'kubeconfig', ADMIN_CONF_PATH);
      if (!adminConf) throw new ProvisionError('kubeconfig', `${ADMIN_CONF_PATH} is missing on ${controlPlane.name}`);
      const info = await runtime.inspectContainer(controlPlane.id);
      const hostPort = publishedPort(info?.hostPorts, `${API_SERVER_INTERNAL_PORT}/tcp`);
      const kubeconfig = kubeconfigsFor(adminConf, clusterName, { address: cfg.networking.apiServerAddress, port: hostPort || '0' }, controlPlane.name);
      return { adminConf, kubeconfig, hostPort };
    });

    // Never fails the cluster: a missing or unloadable image is a warning with its fix (as a later `kind load` would be).
    const preload = await steps.run('load images', () =>
      preloadWorkloadImages({ ctx: nodeCtx, nodes, images: template.preloadImages, clusterName, engine, onDetail: detail }),
    );

    const toolboxTargets = o.startToolboxes ? template.targets.flatMap((t) => (t.kind === 'toolbox' ? [t] : [])) : [];
    const { jumpbox, toolboxes } = await steps.run(
      'start jumpbox',
      async () => {
        // The jumpbox and the toolboxes are independent of each other: start them together.
        const startingJumpbox = (async () => {
          if (!o.startJumpbox) return undefined;
          const spec = jumpboxContainerSpec({ clusterName, network: network.name, labLabels: req.labLabels, image: template.jumpbox.image, runtime: o.containerRuntime });
          const { id } = await runtime.createContainer(spec);
          await runtime.startContainer(id);
          const ref = { id, name: spec.name };
          await Promise.all([
            copyKubectl(nodeCtx, controlPlane, jumpCtx, ref),
            template.files.length ? copySandboxFiles(jumpCtx, ref, template.dir, template.files, 'start jumpbox') : undefined,
          ]);
          await ensureLearnerAccount(nodeCtx, controlPlane);
          await issueJumpboxCredentials({ runtime, privileged: o.privileged }, controlPlane, ref, adminConf, clusterName, o.credentialsValidForSeconds);
          const info = await runtime.inspectContainer(id);
          return { ...ref, ipv4: info?.ipv4[network.name] };
        })();
        const startingToolboxes = allSettledOrThrow(
          toolboxTargets.map(async (t) => {
            const node = nodes.find((n) => n.suffix === t.node);
            if (!node) throw new ProvisionError('start jumpbox', `target ${t.name} maps to kind node "${t.node}", which the cluster does not have`);
            const spec = toolboxContainerSpec({ clusterName, node, target: t.name, image: template.toolbox.image, labLabels: req.labLabels, runtime: o.containerRuntime });
            const started = await startToolbox({ runtime, nodeCtx, spec, node, step: 'start jumpbox' });
            return { id: started.id, name: started.name, target: t.name, node: node.suffix };
          }),
        );
        const [jumpbox, toolboxes] = await allSettledOrThrow([startingJumpbox, startingToolboxes] as const);
        return { jumpbox, toolboxes };
      },
      toolboxTargets.length && o.startJumpbox ? 'Starting the jumpbox and node toolboxes' : toolboxTargets.length ? 'Starting node toolboxes' : undefined,
    );

    log.info('kind cluster ready', { lab: req.labId, cluster: clusterName, timings: steps.timings });
    return {
      labId: req.labId,
      clusterName,
      kubernetesVersion,
      network: { id: network.id, name: network.name, removeOnTeardown: network.removeOnTeardown },
      nodes: nodes.map(({ id, name, suffix, role, ipv4 }) => ({ id, name, suffix, role, ipv4 })),
      controlPlane: { id: controlPlane.id, name: controlPlane.name, suffix: controlPlane.suffix, role: controlPlane.role, ipv4: controlPlane.ipv4 },
      jumpbox,
      toolboxes,
      apiServer: { hostAddress: cfg.networking.apiServerAddress, hostPort, internalEndpoint: internalApiEndpoint(plan) },
      kubeconfig,
      timings: steps.timings,
      host,
      preload,
      warnings,
    };
  } catch (e) {
    const err = e instanceof LabRunnerError ? e : new ProvisionError('unknown', (e as Error).message, undefined, e);
    if (o.retain) {
      log.warn('kind cluster failed; retaining its containers for debugging', { lab: req.labId, cluster: clusterName, error: err.message });
    } else {
      log.warn('kind cluster failed; removing it', { lab: req.labId, cluster: clusterName, error: err.message });
      await teardownCluster(runtime, { labId: req.labId, clusterName }).catch((te: unknown) =>
        log.error('teardown after failure also failed', { lab: req.labId, error: (te as Error).message }),
      );
    }
    throw err;
  }
}

/** New learner credentials: a fresh token written as the jumpbox's kubeconfig (provisioning and warm-pool claims). */
export async function issueJumpboxCredentials(
  nodeCtx: NodeExecContext,
  controlPlane: NodeRef,
  jumpbox: NodeRef,
  adminConf: string,
  clusterName: string,
  validForSeconds: number,
): Promise<void> {
  const token = await issueLearnerToken(nodeCtx, controlPlane, validForSeconds);
  const kubeconfig = tokenKubeconfig(adminConf, clusterName, `https://${controlPlane.name}:${API_SERVER_INTERNAL_PORT}`, token);
  await writeJumpboxKubeconfig({ runtime: nodeCtx.runtime, privileged: false }, jumpbox, kubeconfig);
}
