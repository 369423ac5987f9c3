// Provisions a "nodes" lab: networks first, then every node created, started and probed concurrently (and, at the
// same time, the host agent's rules for each internal lab bridge: routed pod traffic crosses it, nothing reaches the
// host), then the template's setup steps. Cold create of nodes-2 is under a second (bench/labs.ts).
import { createLogger } from '../../lib/log.ts';
import { LabRunnerError, ProvisionError, StorageOptUnsupportedError } from '../errors.ts';
import { Labels } from '../labels.ts';
import type { LabTarget } from '../lab/lab.ts';
import type { ProvisionerContext, Provisioner, ProvisionRequest, ProvisionResult } from '../lab/provisioner.ts';
import { teardownByLabel } from '../lab/teardown-by-label.ts';
import type { ContainerRuntime, ContainerSpec, EngineInfo, NetworkInfo } from '../runtime/container-runtime.ts';
import { diskCapFor } from '../isolation/disk-cap.ts';
import { ImageMissingError } from '../errors.ts';
import { hostAgentFor, type HostAgent } from '../host-agent/host-agent.ts';
import { bridgeNetfilterFor, type BridgeNetfilter } from './bridge-netfilter.ts';
import type { NodeDefinition, NodesSandbox } from '../../course/sandbox/nodes-sandbox-schema.ts';
import { labBridgeName, labNetworkSpec } from './lab-network-spec.ts';
import { labNetworkName, nodeContainerSpec, nodeNetworks } from './node-container-spec.ts';
import { waitUntilNodeReady } from './readiness-probe.ts';
import { runSetupSteps } from './setup-steps.ts';
import { isPoolOverlapError, type SubnetAllocator } from './subnet-allocator.ts';

const log = createLogger('nodes');

export interface NodesProvisionerOptions extends ProvisionerContext {
  /** Carves lab subnets out of LAB_SUBNET_POOL; without it Docker picks from its default pools. */
  subnets?: SubnetAllocator;
  readyTimeoutMs?: number;
  /** Puts host rules on lab bridges; default the runtime's shared agent, false for none. */
  hostAgent?: HostAgent | false;
  /** Makes sure br_netfilter is loaded on the Docker host; default the runtime's shared one, false for none. */
  bridgeNetfilter?: BridgeNetfilter | false;
}

export class NodesProvisioner implements Provisioner<NodesSandbox> {
  readonly runtime = 'nodes' as const;
  private readonly rt: ContainerRuntime;
  private readonly opts: NodesProvisionerOptions;
  private readonly agent?: HostAgent;
  private readonly bridgeNetfilter?: BridgeNetfilter;
  private engineInfo?: Promise<EngineInfo>;
  /** Why LAB_DISK_LIMIT cannot be enforced on this engine, once found out. */
  private diskCapUnsupported?: string;

  constructor(opts: NodesProvisionerOptions) {
    this.rt = opts.runtime;
    this.opts = opts;
    this.agent = opts.hostAgent === false ? undefined : (opts.hostAgent ?? hostAgentFor(opts.runtime));
    this.bridgeNetfilter = opts.bridgeNetfilter === false ? undefined : (opts.bridgeNetfilter ?? bridgeNetfilterFor(opts.runtime));
  }

  async provision(req: ProvisionRequest<NodesSandbox>): Promise<ProvisionResult> {
    const { sandbox, labId, signal } = req;
    const total = sandbox.setup.length ? 4 : 3;
    const step = (n: number, label: string) => {
      signal.throwIfAborted();
      req.onProgress({ step: n, totalSteps: total, label });
    };

    step(1, 'Creating the lab network');
    // Before any Docker object exists: a refused lab leaves nothing behind.
    const isolation = await this.opts.isolation?.nodeIsolation();
    await this.checkImages(sandbox);
    const networks = await Promise.all(sandbox.networks.map((n, index) => this.createLabNetwork(labId, n.name, index, n.egress, req.labels)));

    step(2, `Starting ${sandbox.nodes.length === 1 ? 'the node' : `${sandbox.nodes.length} nodes`}`);
    // Rules name the bridge, so they go in only once the bridge exists (the reaper's sweep relies on that order).
    const rules = this.applyBridgeRules(req);
    let targets: LabTarget[];
    try {
      targets = await Promise.all(sandbox.nodes.map((node) => this.startNode(req, node, signal, isolation?.securityOpt)));
    } finally {
      // Settled before a failure propagates, so the teardown that follows also removes rules added meanwhile.
      await rules;
    }
    // Before setup, which may set net.bridge.* sysctls. Checked once per process (bridge-netfilter.ts).
    await this.bridgeNetfilter?.ensure(targets[0]!.containerId);

    if (sandbox.setup.length) {
      step(3, 'Running setup');
      await runSetupSteps(this.rt, sandbox.setup, targets, signal);
    }
    step(total, 'Ready');
    return { networkId: networks[0]!.id, targets };
  }

  /** Creates, connects, starts and probes one node; resolves with its target. */
  private async startNode(req: ProvisionRequest<NodesSandbox>, node: NodeDefinition, signal: AbortSignal, securityOpt?: string[]): Promise<LabTarget> {
    const spec = nodeContainerSpec({
      labId: req.labId,
      sandbox: req.sandbox,
      node,
      labels: req.labels,
      containerRuntime: this.opts.containerRuntime,
      securityOpt,
    });
    const { id } = await this.createCapped({ ...spec, storageSizeBytes: await this.storageSize(node.image) });
    for (const extra of nodeNetworks(req.sandbox, node).slice(1)) {
      if (!this.rt.connectNetwork) throw new LabRunnerError('unsupported', `This container runtime cannot attach ${node.name} to a second network (${extra}).`);
      await this.rt.connectNetwork(labNetworkName(req.labId, extra), id, [node.name]);
    }
    signal.throwIfAborted();
    await this.rt.startContainer(id);
    await waitUntilNodeReady(this.rt, id, node.name, this.opts.readyTimeoutMs, signal);
    const info = await this.rt.inspectContainer(id);
    return {
      name: node.name,
      kind: 'node',
      title: node.title ?? node.name,
      containerId: id,
      containerName: spec.name,
      ipv4: info?.ipv4[spec.network],
    };
  }

  /** LAB_DISK_LIMIT as the engine's storage driver enforces it (disk-cap.ts); undefined where it cannot. */
  private async storageSize(image: string): Promise<number | undefined> {
    if (!this.opts.diskLimitBytes || this.diskCapUnsupported) return undefined;
    this.engineInfo ??= this.rt.info();
    const [info, img] = await Promise.all([this.engineInfo, this.rt.inspectImage(image)]);
    const cap = diskCapFor({
      limitBytes: this.opts.diskLimitBytes,
      storageDriver: info.storageDriver,
      backingFilesystem: info.backingFilesystem,
      containerdImageStore: info.containerdImageStore,
      imageSizeBytes: img?.sizeBytes ?? 0,
    });
    if (cap.kind === 'unsupported') this.noteDiskCapUnsupported(cap.reason);
    return cap.kind === 'capped' ? cap.storageSizeBytes : undefined;
  }

  /** Creates the node with its disk cap; an engine that refuses the cap (overlay2 on ext4) gets uncapped nodes from then on. */
  private async createCapped(spec: ContainerSpec): Promise<{ id: string }> {
    try {
      return await this.rt.createContainer(spec);
    } catch (err) {
      if (!(err instanceof StorageOptUnsupportedError)) throw err;
      this.noteDiskCapUnsupported(err.message);
      return this.rt.createContainer({ ...spec, storageSizeBytes: undefined });
    }
  }

  private noteDiskCapUnsupported(reason: string): void {
    if (this.diskCapUnsupported) return;
    this.diskCapUnsupported = reason;
    log.warn("LAB_DISK_LIMIT is not enforced on this engine: a node can fill the Docker host's disk (npm run doctor explains)", { reason });
  }

  /**
   * Internal lab networks drop frames whose addresses lie outside the lab subnet (Docker's isolation rules), which is
   * what routed pod ranges are: the host agent lets frames between the bridge's own ports through, and drops what the
   * lab sends to the host itself. Egress networks are ordinary NATed bridges and get neither. Never throws.
   */
  private async applyBridgeRules(req: ProvisionRequest<NodesSandbox>): Promise<void> {
    const bridges = req.sandbox.networks.flatMap((n, index) => (n.egress ? [] : [labBridgeName(req.labId, index)]));
    if (!this.agent || bridges.length === 0) return;
    await this.agent.applyLabRules(req.labId, bridges, req.sandbox.nodes[0]!.image);
  }

  private async checkImages(sandbox: NodesSandbox): Promise<void> {
    const images = [...new Set(sandbox.nodes.map((n) => n.image))];
    const found = await Promise.all(images.map((i) => this.rt.inspectImage(i)));
    const missing = images.find((_, i) => !found[i]);
    if (missing) throw new ImageMissingError(missing);
  }

  private async createLabNetwork(labId: string, name: string, index: number, egress: boolean, labels: Record<string, string>): Promise<NetworkInfo> {
    const allocator = this.opts.subnets;
    for (let attempt = 1; ; attempt++) {
      const subnet = allocator ? await allocator.allocate() : undefined;
      try {
        return await this.rt.createNetwork(labNetworkSpec({ labId, name, index, egress, labels, subnet }));
      } catch (err) {
        // Another process took the same subnet between our listing and our create: pick another one.
        if (subnet && isPoolOverlapError(err) && attempt < 5) {
          log.debug('subnet taken meanwhile, retrying', { lab: labId, subnet });
          continue;
        }
        throw err;
      } finally {
        if (subnet) allocator?.release(subnet);
      }
    }
  }

  async teardown(labId: string): Promise<void> {
    // Rules name bridges, not containers: both go at once. (Rules that outlive their bridge are swept by the reaper.)
    await Promise.all([teardownByLabel(this.rt, { [Labels.labId]: labId }, { sweepHostRules: false }), this.agent?.removeLabRules(labId)]);
  }

  async pause(labId: string): Promise<void> {
    const containers = await this.rt.listContainers({ [Labels.labId]: labId });
    await Promise.all(containers.filter((c) => c.state === 'running').map((c) => this.rt.pauseContainer(c.id)));
  }

  async resume(labId: string): Promise<void> {
    const containers = await this.rt.listContainers({ [Labels.labId]: labId });
    await Promise.all(containers.filter((c) => c.state === 'paused').map((c) => this.rt.unpauseContainer(c.id)));
  }

  /** Replaces every node container with a fresh one on the same networks (after a fork bomb, a broken config...). */
  async reset(req: ProvisionRequest<NodesSandbox>, current: LabTarget[]): Promise<LabTarget[]> {
    await Promise.all(current.map((t) => this.rt.removeContainer(t.containerId)));
    // Containers not in the record (should not exist) go too, so names are free.
    const leftovers = await this.rt.listContainers({ [Labels.labId]: req.labId });
    await Promise.all(leftovers.map((c) => this.rt.removeContainer(c.id)));
    try {
      const isolation = await this.opts.isolation?.nodeIsolation();
      const targets = await Promise.all(req.sandbox.nodes.map((node) => this.startNode(req, node, req.signal, isolation?.securityOpt)));
      await runSetupSteps(this.rt, req.sandbox.setup, targets, req.signal);
      return targets;
    } catch (err) {
      if (err instanceof ProvisionError) throw err;
      throw new ProvisionError('reset', (err as Error).message, undefined, err);
    }
  }
}
